//! The `ArbWasmCache` precompile (0x…72): which programs are cached, and who may cache them
//! (nitro `precompiles/ArbWasmCache.go`, `arbos/programs/programs.go` `SetProgramCached`).
//!
//! A cached program pays only the cached part of its entry on every call (see
//! `stylus::program`). Only a cache manager (an address of ArbOS's cache-manager set) or the
//! chain owner may cache or evict; anyone else's call burns all its gas (nitro `BurnOut`).
//! The cached flag lives in the program's activation record, the cache-manager set and the
//! chain owner in the ArbOS state account: all journaled state, so a reverted transaction
//! or `evm_revert` undoes them.

use alloy_primitives::{address, keccak256, Address, Log, B256, U256};
use alloy_sol_types::{sol, SolError, SolEvent, SolInterface, SolValue};
use revm::{
    context::{ContextTr, JournalTr},
    interpreter::{CallInputs, Gas, InstructionResult, InterpreterResult},
};

use super::arbwasm::{self, ArbWasm, ARBOS_STATE};
use crate::evm::DevCtx;

/// Address of the `ArbWasmCache` precompile.
pub const ARB_WASM_CACHE: Address = address!("0000000000000000000000000000000000000072");

/// Gas of an ArbOS storage read (nitro `storage.StorageReadCost`, `SloadGasEIP2200`).
pub(crate) const ARBOS_READ_GAS: u64 = 800;
/// Gas of an ArbOS storage write of a non-zero word (nitro `StorageWriteCost`).
pub(crate) const ARBOS_WRITE_GAS: u64 = 20_000;

sol! {
    /// ABI of nitro's `ArbWasmCache` precompile.
    #[allow(missing_docs)]
    interface ArbWasmCache {
        function isCacheManager(address manager) external view returns (bool);
        function allCacheManagers() external view returns (address[] memory managers);
        function cacheCodehash(bytes32 codehash) external;
        function cacheProgram(address addr) external;
        function evictCodehash(bytes32 codehash) external;
        function codehashIsCached(bytes32 codehash) external view returns (bool);

        event UpdateProgramCache(address indexed manager, bytes32 indexed codehash, bool cached);
    }
}

/// Slot of the number of cache managers; manager `i` is at `base + 1 + i`, and
/// `keccak(base ‖ manager)` holds its position + 1 (an address set, as nitro's `addressSet`).
fn managers_base() -> U256 {
    U256::from_be_bytes(keccak256(b"poco-devnet.arbos.cache-managers").0)
}

fn member_slot(manager: Address) -> U256 {
    let mut preimage = managers_base().to_be_bytes::<32>().to_vec();
    preimage.extend_from_slice(manager.as_slice());
    U256::from_be_bytes(keccak256(preimage).0)
}

/// Slot of the chain owner (nitro's chain-owner set; the devnet has one owner).
fn owner_slot() -> U256 {
    U256::from_be_bytes(keccak256(b"poco-devnet.arbos.chain-owner").0)
}

/// Genesis storage of the ArbOS state account: the chain owner and the cache managers.
pub(crate) fn genesis_storage(owner: Address, managers: &[Address]) -> Vec<(U256, U256)> {
    let mut slots = vec![(owner_slot(), address_word(owner)), (managers_base(), U256::from(managers.len()))];
    for (i, manager) in managers.iter().enumerate() {
        slots.push((managers_base() + U256::from(1 + i), address_word(*manager)));
        slots.push((member_slot(*manager), U256::from(1 + i)));
    }
    slots
}

fn address_word(a: Address) -> U256 {
    U256::from_be_slice(a.as_slice())
}

fn word_address(w: U256) -> Address {
    Address::from_word(B256::from(w.to_be_bytes::<32>()))
}

fn sload(ctx: &mut DevCtx, slot: U256) -> Result<U256, String> {
    let journal = ctx.journal_mut();
    journal.load_account(ARBOS_STATE).map_err(|e| e.to_string())?;
    Ok(journal.sload(ARBOS_STATE, slot).map_err(|e| e.to_string())?.data)
}

/// Whether `who` is in the cache-manager set.
pub(crate) fn is_cache_manager(ctx: &mut DevCtx, who: Address) -> Result<bool, String> {
    Ok(!sload(ctx, member_slot(who))?.is_zero())
}

/// The cache managers, in the order they were added.
pub(crate) fn cache_managers(ctx: &mut DevCtx) -> Result<Vec<Address>, String> {
    let count = sload(ctx, managers_base())?.saturating_to::<u64>();
    (0..count).map(|i| sload(ctx, managers_base() + U256::from(1 + i)).map(word_address)).collect()
}

/// The chain owner (the devnet's first dev account unless configured otherwise).
pub(crate) fn chain_owner(ctx: &mut DevCtx) -> Result<Address, String> {
    sload(ctx, owner_slot()).map(word_address)
}

/// Why caching or evicting was refused.
pub(crate) enum CacheError {
    /// The caller is neither a cache manager nor the chain owner: all gas is burnt.
    Denied,
    /// An `ArbWasm` error (not activated, needs upgrade, expired), as ABI-encoded revert data.
    Revert(Vec<u8>),
    /// Out of gas while paying for the change.
    OutOfGas,
}

/// Sets whether `codehash` is cached, as `caller` (nitro `SetProgramCached`): checks access,
/// refuses to cache a program that is not current or has expired, does nothing when the
/// flag is already as asked, otherwise emits `UpdateProgramCache`, burns the module's init
/// cost and writes the record.
pub(crate) fn set_cached(
    ctx: &mut DevCtx,
    gas: &mut Gas,
    caller: Address,
    codehash: B256,
    cache: bool,
) -> Result<(), CacheError> {
    let internal = |e: String| CacheError::Revert(alloy_sol_types::Revert::from(e).abi_encode());
    if !gas.record_regular_cost(ARBOS_READ_GAS) {
        return Err(CacheError::OutOfGas);
    }
    let allowed = is_cache_manager(ctx, caller).map_err(internal)? || chain_owner(ctx).map_err(internal)? == caller;
    if !allowed {
        return Err(CacheError::Denied);
    }
    let params = ctx.chain.params;
    let Some(mut record) = arbwasm::load_record(ctx, codehash).map_err(internal)? else {
        return Err(CacheError::Revert(ArbWasm::ProgramNotActivated {}.abi_encode()));
    };
    let age = ctx.block.timestamp.saturating_to::<u64>().saturating_sub(record.activated_at);
    if cache && record.version != params.version {
        let err = ArbWasm::ProgramNeedsUpgrade { version: record.version, stylusVersion: params.version };
        return Err(CacheError::Revert(err.abi_encode()));
    }
    if cache && age > params.expiry_seconds() {
        return Err(CacheError::Revert(ArbWasm::ProgramExpired { ageInSeconds: age }.abi_encode()));
    }
    if record.cached == cache {
        return Ok(());
    }
    let event = ArbWasmCache::UpdateProgramCache { manager: caller, codehash, cached: cache };
    let log = Log { address: ARB_WASM_CACHE, data: event.encode_log_data() };
    // Event gas as the EVM prices a LOG3 of one word, then the init cost, then the record.
    let cost = 375 * 4 + 8 * 32 + u64::from(record.init_cost) + ARBOS_WRITE_GAS;
    if !gas.record_regular_cost(cost) {
        return Err(CacheError::OutOfGas);
    }
    ctx.journal_mut().log(log);
    record.cached = cache;
    arbwasm::store_record(ctx, codehash, &record).map_err(internal)
}

/// Runs an `ArbWasmCache` call.
pub(crate) fn run(ctx: &mut DevCtx, inputs: &CallInputs) -> InterpreterResult {
    let mut gas = Gas::new(inputs.gas_limit);
    if !gas.record_regular_cost(ARBOS_READ_GAS) {
        return burn_out(inputs.gas_limit);
    }
    let input = inputs.input.bytes(ctx);
    use ArbWasmCache::ArbWasmCacheCalls as C;
    let Ok(call) = C::abi_decode(&input) else {
        return answer(gas, Err(Vec::new()));
    };
    let reason = |e: String| alloy_sol_types::Revert::from(e).abi_encode();
    let change = |ctx: &mut DevCtx, gas: &mut Gas, codehash: B256, cache: bool| {
        if inputs.is_static {
            return Some(Err(reason("write protection".into())));
        }
        match set_cached(ctx, gas, inputs.caller, codehash, cache) {
            Ok(()) => Some(Ok(Vec::new())),
            Err(CacheError::Revert(data)) => Some(Err(data)),
            Err(CacheError::Denied | CacheError::OutOfGas) => None,
        }
    };
    let result = match call {
        C::isCacheManager(c) => Some(is_cache_manager(ctx, c.manager).map(|b| b.abi_encode()).map_err(reason)),
        C::allCacheManagers(_) => Some(cache_managers(ctx).map(|m| m.abi_encode()).map_err(reason)),
        C::codehashIsCached(c) => Some(
            arbwasm::load_record(ctx, c.codehash).map(|r| r.is_some_and(|r| r.cached).abi_encode()).map_err(reason),
        ),
        C::cacheCodehash(c) => change(ctx, &mut gas, c.codehash, true),
        C::cacheProgram(c) => match ctx.journal_mut().code_hash(c.addr) {
            Ok(hash) => change(ctx, &mut gas, hash.data, true),
            Err(e) => Some(Err(reason(e.to_string()))),
        },
        C::evictCodehash(c) => change(ctx, &mut gas, c.codehash, false),
    };
    match result {
        Some(result) => answer(gas, result),
        None => burn_out(inputs.gas_limit),
    }
}

fn answer(gas: Gas, result: Result<Vec<u8>, Vec<u8>>) -> InterpreterResult {
    match result {
        Ok(out) => InterpreterResult::new(InstructionResult::Return, out.into(), gas),
        Err(out) => InterpreterResult::new(InstructionResult::Revert, out.into(), gas),
    }
}

/// Nitro's `BurnOut`: the call fails and every gas unit it was given is gone.
fn burn_out(gas_limit: u64) -> InterpreterResult {
    let mut gas = Gas::new(gas_limit);
    gas.spend_all();
    InterpreterResult::new(InstructionResult::PrecompileOOG, Default::default(), gas)
}
