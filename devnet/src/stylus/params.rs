//! Stylus chain parameters (what `ArbWasm`'s getters return) and the per-codehash activation
//! record.
//!
//! The values are nitro's defaults for a fresh chain (ArbOS 32+ "Stylus v2" parameters), as
//! reported by `ArbWasm` on the Arbitrum nitro devnode; they are documented in README.md.

use alloy_primitives::U256;

use super::validate::ModuleShape;

/// Stylus parameters of the devnet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StylusParams {
    /// Current Stylus version: programs activated under another version need re-activation.
    pub version: u16,
    /// Ink per gas (`tx_ink_price`).
    pub ink_price: u32,
    /// Maximum WASM stack depth in nitro's stack units.
    pub max_stack_depth: u32,
    /// Pages of memory that are free in a transaction.
    pub free_pages: u16,
    /// Gas per page beyond the free ones.
    pub page_gas: u16,
    /// Exponential ramp of memory pricing.
    pub page_ramp: u64,
    /// Maximum pages a program may ever have open.
    pub page_limit: u16,
    /// Minimum init gas, in units of 128 gas.
    pub min_init_gas: u8,
    /// Minimum init gas of a cached program, in units of 32 gas.
    pub min_cached_init_gas: u8,
    /// Scalar of the module-size dependent init cost, in units of 2 %.
    pub init_cost_scalar: u8,
    /// Same for cached programs.
    pub cached_cost_scalar: u8,
    /// Days after which an activation expires.
    pub expiry_days: u16,
    /// Days before a keepalive is allowed.
    pub keepalive_days: u16,
    /// Recent-program cache size (blocks).
    pub block_cache_size: u16,
    /// Maximum decompressed WASM size (bytes).
    pub max_wasm_size: usize,
    /// Maximum compressed code size (bytes), the 24 KiB contract limit.
    pub max_code_size: usize,
}

/// Nitro's prediction of what instantiating a module costs (`StylusData::init_cost` and
/// `cached_init_cost`), stored with the activation; nitro stores both as `u16` and refuses to
/// activate a module whose cost does not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InitCosts {
    /// Cost of an uncached entry, before scaling.
    pub init: u16,
    /// Cost of a cached entry, before scaling.
    pub cached: u16,
}

impl InitCosts {
    /// Nitro's linear model of instantiation work (arbitrator `WasmBinary::instrument`,
    /// coefficients in thousandths or hundred-thousandths of gas per unit).
    pub fn predict(shape: &ModuleShape) -> Option<Self> {
        let cached = shape.funcs * 13_420 / 100_000
            + shape.type_len * 89 / 100_000
            + shape.wasm_len * 122 / 100_000
            + shape.globals * 1_628 / 1_000
            + shape.data_len * 75_244 / 100_000
            + shape.footprint * 5;
        let init = cached
            + shape.funcs * 8_252 / 1_000
            + shape.type_len * 1_059 / 1_000
            + shape.wasm_len * 1_286 / 10_000;
        Some(Self { init: init.try_into().ok()?, cached: cached.try_into().ok()? })
    }
}

impl Default for StylusParams {
    fn default() -> Self {
        Self {
            version: 2,
            ink_price: 10_000,
            max_stack_depth: 4 * 65_536,
            free_pages: 2,
            page_gas: 1_000,
            page_ramp: 620_674_314,
            page_limit: 128,
            min_init_gas: 72,
            min_cached_init_gas: 11,
            init_cost_scalar: 50,
            cached_cost_scalar: 50,
            expiry_days: 365,
            keepalive_days: 31,
            block_cache_size: 32,
            max_wasm_size: 128 * 1024,
            max_code_size: 24 * 1024,
        }
    }
}

impl StylusParams {
    /// Entry gas of an uncached program: nitro's `initGas`, `min_init_gas * 128` plus the
    /// module's predicted init cost scaled by `init_cost_scalar` (in units of 2 %).
    pub fn init_gas(&self, costs: &InitCosts) -> u64 {
        u64::from(self.min_init_gas) * 128
            + (u64::from(costs.init) * u64::from(self.init_cost_scalar) * 2).div_ceil(100)
    }

    /// Entry gas every call of a Stylus v2 program pays, cached or not: nitro's `cachedGas`.
    pub fn cached_init_gas(&self, costs: &InitCosts) -> u64 {
        u64::from(self.min_cached_init_gas) * 32
            + (u64::from(costs.cached) * u64::from(self.cached_cost_scalar) * 2).div_ceil(100)
    }

    /// Data fee (wei) charged by `activateProgram`: a flat 1 gwei per WASM byte on the devnet.
    pub fn data_fee(&self, wasm_len: usize) -> U256 {
        U256::from(wasm_len as u64) * U256::from(1_000_000_000u64)
    }

    /// Gas burnt by `activateProgram` itself (nitro charges a few million for compilation).
    pub fn activation_gas(&self, wasm_len: usize) -> u64 {
        1_659_168 + 11 * wasm_len as u64
    }

    /// Seconds after which an activation expires.
    pub fn expiry_seconds(&self) -> u64 {
        u64::from(self.expiry_days) * 86_400
    }
}

/// What activation recorded about one codehash. Stored in the state (storage of the ArbOS state
/// account, keyed by codehash) so that it is journaled, reverted and snapshotted like any state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActivationRecord {
    /// Stylus version the program was activated under.
    pub version: u16,
    /// Initial memory pages of the program (paid on every call).
    pub footprint: u16,
    /// Entry gas an uncached call pays on top of the cached part (nitro's `initGas`).
    pub init_gas: u32,
    /// Entry gas every call pays (nitro's `cachedGas`).
    pub cached_init_gas: u32,
    /// Block timestamp of the activation.
    pub activated_at: u64,
    /// Size of the uncompressed WASM, reported as `codehashAsmSize`.
    pub wasm_len: u32,
}

impl ActivationRecord {
    /// Entry gas of a call into this program, before memory: the devnet does not model the
    /// CacheManager, so every call is uncached and, as on nitro for Stylus v2, pays the cached
    /// part plus the init part.
    pub fn entry_gas(&self) -> u64 {
        u64::from(self.init_gas) + u64::from(self.cached_init_gas)
    }

    /// Packs the record into one storage word (zero means "never activated").
    pub fn pack(&self) -> U256 {
        let mut v = U256::from(self.version);
        v |= U256::from(self.footprint) << 16;
        v |= U256::from(self.init_gas) << 32;
        v |= U256::from(self.cached_init_gas) << 64;
        v |= U256::from(self.activated_at) << 96;
        v |= U256::from(self.wasm_len) << 160;
        v
    }

    /// Unpacks a storage word; `None` for the zero word.
    pub fn unpack(word: U256) -> Option<Self> {
        if word.is_zero() {
            return None;
        }
        let field = |shift: usize, bits: usize| -> u64 {
            let mask = (U256::from(1u8) << bits) - U256::from(1u8);
            ((word >> shift) & mask).to::<u64>()
        };
        Some(Self {
            version: field(0, 16) as u16,
            footprint: field(16, 16) as u16,
            init_gas: field(32, 32) as u32,
            cached_init_gas: field(64, 32) as u32,
            activated_at: field(96, 64),
            wasm_len: field(160, 32) as u32,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_round_trips() {
        let r = ActivationRecord {
            version: 2,
            footprint: 17,
            init_gas: 12_345,
            cached_init_gas: 400,
            activated_at: 1_700_000_000,
            wasm_len: 40_000,
        };
        assert_eq!(ActivationRecord::unpack(r.pack()), Some(r));
        assert_eq!(ActivationRecord::unpack(U256::ZERO), None);
    }

    #[test]
    fn init_costs_follow_nitros_linear_model() {
        let shape = ModuleShape {
            wasm_len: 30_000,
            funcs: 200,
            type_len: 500,
            globals: 4,
            data_len: 3_000,
            footprint: 1,
        };
        // cached: 26 (funcs) + 0 (types) + 36 (bytes) + 6 (globals) + 2,257 (data) + 5 (page)
        // init: cached + 1,650 (funcs) + 529 (types) + 3,858 (bytes)
        let costs = InitCosts::predict(&shape).unwrap();
        assert_eq!(costs, InitCosts { init: 8_367, cached: 2_330 });
        let params = StylusParams::default();
        assert_eq!(params.init_gas(&costs), 9_216 + 8_367);
        assert_eq!(params.cached_init_gas(&costs), 352 + 2_330);
        // Nitro stores both costs as u16: a module past that cannot be activated.
        let huge = ModuleShape { data_len: 100_000, ..shape };
        assert_eq!(InitCosts::predict(&huge), None);
    }
}
