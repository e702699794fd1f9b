//! Stylus chain parameters (what `ArbWasm`'s getters return), the per-codehash activation
//! record, and the activation data fee.
//!
//! The values are nitro v3.9.5's defaults for a chain on Stylus version 2 (nitro
//! `arbos/programs/params.go`); they are documented in README.md.

use alloy_primitives::U256;

/// Stylus parameters of the devnet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StylusParams {
    /// Current Stylus version: programs activated under another version need re-activation.
    pub version: u16,
    /// Ink per gas (`tx_ink_price`).
    pub ink_price: u32,
    /// Maximum WASM stack depth in nitro's stack units (words).
    pub max_stack_depth: u32,
    /// Pages of memory that are free in a transaction.
    pub free_pages: u16,
    /// Gas per page beyond the free ones.
    pub page_gas: u16,
    /// Exponential ramp of memory pricing (reported; the model uses nitro's table for it).
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
    /// ArbOS version the rules that depend on it follow (default: Arbitrum One's,
    /// [`ARBITRUM_ONE_ARBOS_VERSION`]). Build the parameters with [`StylusParams::for_arbos`]
    /// so that the values ArbOS upgrades change follow it.
    pub arbos_version: u64,
    /// Debug mode: activation links the `console` hostios (Arbitrum One and Sepolia: off).
    pub debug: bool,
}

/// The ArbOS version Arbitrum One runs: 51 ("Dia"), activated on 8 January 2026 (ArbitrumDAO's
/// constitutional AIP "ArbOS Version 50 Dia", shipped as 51 with nitro v3.9; nitro's
/// `arbosstate.go` upgrade table has no state change at 51). ArbOS 60 is the next version
/// nitro knows (v3.10), not adopted by Arbitrum One.
pub const ARBITRUM_ONE_ARBOS_VERSION: u64 = 51;

/// ArbOS version from which a program called again in the same block pays only its cached
/// entry (nitro v3.10 `CallProgram`: `if p.ArbosVersion >= ArbosVersion_60 { … RecentWasms … }`).
pub const ARBOS_RECENT_PROGRAMS: u64 = 60;

/// ArbOS version whose upgrade caps `maxStackDepth` at 22,000 (nitro `params.go`,
/// `UpgradeToArbosVersion(ArbosVersion_50)`, `arbOS50MaxWasmSize`).
pub const ARBOS_STACK_DEPTH_CAP: u64 = 50;

/// `maxStackDepth` after the ArbOS 50 upgrade.
const ARBOS_50_MAX_STACK_DEPTH: u32 = 22_000;

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
            arbos_version: 40,
            debug: false,
        }
        .at_arbos(ARBITRUM_ONE_ARBOS_VERSION)
    }
}

/// Gas `ArbWasm.activateProgram` burns before compiling (nitro `precompiles/ArbWasm.go`).
pub const ACTIVATION_FIXED_GAS: u64 = 1_659_168;

impl StylusParams {
    /// Nitro's defaults as a chain at `arbos_version` has them (the upgrades of nitro's
    /// `arbosstate.go` that change Stylus parameters applied in order).
    pub fn for_arbos(arbos_version: u64) -> Self {
        Self::default().at_arbos(arbos_version)
    }

    fn at_arbos(mut self, arbos_version: u64) -> Self {
        self.arbos_version = arbos_version;
        self.max_stack_depth = match arbos_version >= ARBOS_STACK_DEPTH_CAP {
            true => self.max_stack_depth.min(ARBOS_50_MAX_STACK_DEPTH),
            false => 4 * 65_536,
        };
        self
    }

    /// Whether a program called again in the same block pays only its cached entry: from
    /// ArbOS 60 (see `stylus::recent`).
    pub fn recent_programs_cache(&self) -> bool {
        self.arbos_version >= ARBOS_RECENT_PROGRAMS
    }

    /// Entry gas of an uncached program: nitro's `initGas`, `min_init_gas * 128` plus the
    /// module's init cost scaled by `init_cost_scalar` (in units of 2 %).
    pub fn init_gas(&self, init_cost: u16) -> u64 {
        u64::from(self.min_init_gas) * 128 + (u64::from(init_cost) * u64::from(self.init_cost_scalar) * 2).div_ceil(100)
    }

    /// Entry gas every call of a Stylus v2 program pays, cached or not: nitro's `cachedGas`.
    pub fn cached_init_gas(&self, cached_cost: u16) -> u64 {
        u64::from(self.min_cached_init_gas) * 32
            + (u64::from(cached_cost) * u64::from(self.cached_cost_scalar) * 2).div_ceil(100)
    }

    /// Seconds after which an activation expires.
    pub fn expiry_seconds(&self) -> u64 {
        u64::from(self.expiry_days) * 86_400
    }
}

/// Nitro's activation data pricer (`arbos/programs/data_pricer.go`): a demand that refills at
/// a fixed rate, and a price per byte of estimated compiled code growing exponentially with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataPricer {
    /// Bytes of outstanding demand.
    pub demand: u32,
    /// Timestamp of the last update.
    pub last_update: u64,
}

/// Day Arbitrum began (nitro `ArbitrumStartTime`).
pub const ARBITRUM_START_TIME: u64 = 1_421_388_000;

impl Default for DataPricer {
    fn default() -> Self {
        Self { demand: 0, last_update: ARBITRUM_START_TIME }
    }
}

impl DataPricer {
    /// Demand refilled per second: 1 TiB a year (`initialBytesPerSecond`).
    const BYTES_PER_SECOND: u32 = ((1u64 << 40) / (365 * 24) / 3600) as u32;
    /// Floor price per byte in wei (`initialMinPrice`, 5 MB = $1).
    const MIN_PRICE: u64 = 82_928_201;
    /// Demand at which the price is e times the floor (`initialInertia`).
    const INERTIA: u64 = 21_360_419;

    /// Adds `bytes` of demand at `time` and returns the fee in wei (nitro `UpdateModel`).
    pub fn update(&mut self, bytes: u32, time: u64) -> U256 {
        let passed = u32::try_from(time.saturating_sub(self.last_update)).unwrap_or(u32::MAX);
        let credit = Self::BYTES_PER_SECOND.saturating_mul(passed);
        self.demand = self.demand.saturating_sub(credit).saturating_add(bytes);
        self.last_update = time;
        let exponent = 10_000 * u64::from(self.demand) / Self::INERTIA;
        let multiplier = approx_exp_bips(exponent, 12);
        let per_byte = Self::MIN_PRICE.saturating_mul(multiplier) / 10_000;
        U256::from(per_byte.saturating_mul(u64::from(bytes)))
    }

    /// One storage word.
    pub fn pack(&self) -> U256 {
        U256::from(self.demand) | (U256::from(self.last_update) << 32)
    }

    /// From a storage word; the zero word is the initial state.
    pub fn unpack(word: U256) -> Self {
        if word.is_zero() {
            return Self::default();
        }
        let low =
            |shift: usize, bits: usize| ((word >> shift) & ((U256::from(1u8) << bits) - U256::from(1u8))).to::<u64>();
        Self { demand: low(0, 32) as u32, last_update: low(32, 64) }
    }
}

/// `10_000 · e^(x / 10_000)` by a Horner-form Maclaurin series of `accuracy` terms (nitro
/// `ApproxExpBasisPoints`).
fn approx_exp_bips(x: u64, accuracy: u64) -> u64 {
    let b = 10_000u64;
    let mut res = b + x / accuracy;
    for i in (1..accuracy).rev() {
        res = b + res.saturating_mul(x) / (i * b);
    }
    res
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
    /// Size of the uncompressed WASM.
    pub wasm_len: u32,
    /// Nitro's estimate of the compiled size (`codehashAsmSize`, and the keepalive fee).
    pub asm_estimate: u32,
    /// The module's init cost before scaling (nitro `Program.initCost`): what caching or
    /// evicting the program burns (`SetProgramCached`).
    pub init_cost: u16,
    /// Cached by a cache manager through `ArbWasmCache` (nitro `Program.cached`): every call
    /// pays only the cached part of the entry.
    pub cached: bool,
}

impl ActivationRecord {
    /// Entry gas of an uncached call into this program, before memory: on Stylus v2 the
    /// cached part plus the init part (nitro `CallProgram`).
    pub fn entry_gas(&self) -> u64 {
        u64::from(self.init_gas) + u64::from(self.cached_init_gas)
    }

    /// Entry gas of a call into this program, before memory, when it is `cached` (by a cache
    /// manager, or called earlier in the block from ArbOS 60): the cached part only.
    pub fn entry_gas_when(&self, cached: bool) -> u64 {
        match cached {
            true => u64::from(self.cached_init_gas),
            false => self.entry_gas(),
        }
    }

    /// Packs the record into one storage word (zero means "never activated").
    pub fn pack(&self) -> U256 {
        let mut v = U256::from(self.version);
        v |= U256::from(self.footprint) << 16;
        v |= U256::from(self.init_gas) << 32;
        v |= U256::from(self.cached_init_gas) << 64;
        v |= U256::from(self.activated_at) << 96;
        v |= U256::from(self.wasm_len) << 160;
        v |= U256::from(self.asm_estimate) << 192;
        v |= U256::from(u8::from(self.cached)) << 224;
        v |= U256::from(self.init_cost) << 232;
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
            asm_estimate: field(192, 32) as u32,
            cached: field(224, 8) != 0,
            init_cost: field(232, 16) as u16,
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
            asm_estimate: 900_000,
            init_cost: 8_367,
            cached: true,
        };
        assert_eq!(ActivationRecord::unpack(r.pack()), Some(r));
        assert_eq!(ActivationRecord::unpack(U256::ZERO), None);
    }

    #[test]
    fn entry_gas_follows_nitros_scalars() {
        let params = StylusParams::default();
        // 100 % scalars: the costs are added as they are.
        assert_eq!(params.init_gas(8_367), 9_216 + 8_367);
        assert_eq!(params.cached_init_gas(2_330), 352 + 2_330);
    }

    #[test]
    fn data_fee_grows_with_demand() {
        assert_eq!(approx_exp_bips(0, 12), 10_000);
        assert_eq!(approx_exp_bips(10_000, 12), 27_182);
        let mut pricer = DataPricer::default();
        let first = pricer.update(1_000_000, 1_700_000_000);
        // Demand 1 MB of an inertia of 21.36 MB: 4.9 % over the floor price.
        assert_eq!(first, U256::from(82_928_201u64 * 10_479 / 10_000 * 1_000_000));
        let second = pricer.update(1_000_000, 1_700_000_000);
        assert!(second > first);
        assert_eq!(DataPricer::unpack(pricer.pack()), pricer);
    }
}
