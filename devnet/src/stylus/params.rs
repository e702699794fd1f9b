//! Stylus chain parameters (what `ArbWasm`'s getters return) and the per-codehash activation
//! record.
//!
//! The values are nitro's defaults for a fresh chain (ArbOS 32+ "Stylus v2" parameters), as
//! reported by `ArbWasm` on the Arbitrum nitro devnode; they are documented in README.md.

use alloy_primitives::U256;

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
    /// Init (entry) gas of a program of `wasm_len` uncompressed bytes: nitro's minimum
    /// (`min_init_gas * 128`) plus a size-dependent part scaled by `init_cost_scalar`.
    ///
    /// Nitro derives the size-dependent part from the compiled module; this devnet uses 0.3 gas
    /// per WASM byte at the default scalar, which reproduces the ~13k gas entry cost measured for
    /// an uncached counter on nitro (spec/STYLUS.md appendix).
    pub fn init_gas(&self, wasm_len: usize) -> u64 {
        let base = u64::from(self.min_init_gas) * 128;
        let dynamic = (wasm_len as u64 * 3 / 10) * u64::from(self.init_cost_scalar) * 2 / 100;
        base + dynamic
    }

    /// Init gas of a cached program (reported by `programInitGas`, not charged: the devnet does
    /// not model the CacheManager).
    pub fn cached_init_gas(&self, wasm_len: usize) -> u64 {
        let base = u64::from(self.min_cached_init_gas) * 32;
        let dynamic = (wasm_len as u64 / 100) * u64::from(self.cached_cost_scalar) * 2 / 100;
        base + dynamic
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
    /// Entry gas of an uncached call.
    pub init_gas: u32,
    /// Entry gas of a cached call.
    pub cached_init_gas: u32,
    /// Block timestamp of the activation.
    pub activated_at: u64,
    /// Size of the uncompressed WASM, reported as `codehashAsmSize`.
    pub wasm_len: u32,
}

impl ActivationRecord {
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
}
