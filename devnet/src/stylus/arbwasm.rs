//! The `ArbWasm` precompile (0x…71): program activation and the getters cargo-stylus reads.
//!
//! Activation state is kept in the journaled state, in the storage of the ArbOS state account
//! ([`ARBOS_STATE`]) keyed by codehash, so a reverted activation leaves nothing behind and
//! `evm_snapshot`/`evm_revert` cover it. Nitro keeps it in ArbOS storage as well.

use alloy_primitives::{address, keccak256, Address, Bytes, Log, B256, U256};
use alloy_sol_types::{sol, SolError, SolEvent, SolInterface, SolValue};
use revm::{
    context::{ContextTr, JournalTr, LocalContextTr},
    interpreter::{CallInputs, Gas, InstructionResult, InterpreterResult},
};

use stylus_code::nitro::{self, NitroError};

use super::params::{ActivationRecord, DataPricer, ACTIVATION_FIXED_GAS};
use super::code;
use crate::evm::DevCtx;

/// Address of the `ArbWasm` precompile.
pub const ARB_WASM: Address = address!("0000000000000000000000000000000000000071");
/// Address of the `ArbSys` precompile (block number, chain id, ArbOS version).
pub const ARB_SYS: Address = address!("0000000000000000000000000000000000000064");
/// Account whose storage holds ArbOS state (here: activation records), as on nitro.
pub const ARBOS_STATE: Address = address!("A4B05FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF");
/// Coinbase of Arbitrum blocks (the "sequencer" address nitro reports).
pub const SEQUENCER: Address = address!("A4B000000000000000000073657175656e636572");
/// `ArbSys.arbOSVersion()` is 55 + the ArbOS version (nitro `ArbSys.ArbOSVersion`).
const ARBSYS_VERSION_OFFSET: u64 = 55;
/// Gas charged by an `ArbWasm`/`ArbSys` getter.
const GETTER_GAS: u64 = 800;

sol! {
    /// ABI of nitro-contracts' `ArbWasm.sol`.
    #[allow(missing_docs)]
    interface ArbWasm {
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
        function stylusVersion() external view returns (uint16 version);
        function codehashVersion(bytes32 codehash) external view returns (uint16 version);
        function codehashKeepalive(bytes32 codehash) external payable;
        function codehashAsmSize(bytes32 codehash) external view returns (uint32 size);
        function programVersion(address program) external view returns (uint16 version);
        function programInitGas(address program) external view returns (uint64 gas, uint64 gasWhenCached);
        function programMemoryFootprint(address program) external view returns (uint16 footprint);
        function programTimeLeft(address program) external view returns (uint64 _secs);
        function inkPrice() external view returns (uint32 price);
        function maxStackDepth() external view returns (uint32 depth);
        function freePages() external view returns (uint16 pages);
        function pageGas() external view returns (uint16 gas);
        function pageRamp() external view returns (uint64 ramp);
        function pageLimit() external view returns (uint16 limit);
        function minInitGas() external view returns (uint64 gas, uint64 cached);
        function initCostScalar() external view returns (uint64 percent);
        function expiryDays() external view returns (uint16 _days);
        function keepaliveDays() external view returns (uint16 _days);
        function blockCacheSize() external view returns (uint16 count);

        event ProgramActivated(bytes32 indexed codehash, bytes32 moduleHash, address program, uint256 dataFee, uint16 version);
        event ProgramLifetimeExtended(bytes32 indexed codehash, uint256 dataFee);

        error ProgramNotWasm();
        error ProgramNotActivated();
        error ProgramNeedsUpgrade(uint16 version, uint16 stylusVersion);
        error ProgramExpired(uint64 ageInSeconds);
        error ProgramUpToDate();
        error ProgramKeepaliveTooSoon(uint64 ageInSeconds);
        error ProgramInsufficientValue(uint256 have, uint256 want);
    }

    /// The subset of nitro-contracts' `ArbSys.sol` the devnet answers.
    #[allow(missing_docs)]
    interface ArbSys {
        function arbBlockNumber() external view returns (uint256);
        function arbChainID() external view returns (uint256);
        function arbOSVersion() external view returns (uint256);
    }
}

/// Reads the activation record of `codehash`.
pub(crate) fn load_record(
    ctx: &mut DevCtx,
    codehash: B256,
) -> Result<Option<ActivationRecord>, String> {
    let journal = ctx.journal_mut();
    journal
        .load_account(ARBOS_STATE)
        .map_err(|e| e.to_string())?;
    let word = journal
        .sload(ARBOS_STATE, U256::from_be_bytes(codehash.0))
        .map_err(|e| e.to_string())?
        .data;
    Ok(ActivationRecord::unpack(word))
}

pub(crate) fn store_record(ctx: &mut DevCtx, codehash: B256, record: &ActivationRecord) -> Result<(), String> {
    let journal = ctx.journal_mut();
    journal
        .load_account(ARBOS_STATE)
        .map_err(|e| e.to_string())?;
    journal
        .sstore(ARBOS_STATE, U256::from_be_bytes(codehash.0), record.pack())
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Result of a precompile call before it becomes an [`InterpreterResult`].
enum Answer {
    Return(Vec<u8>),
    Revert(Vec<u8>),
}

fn reason(message: impl Into<String>) -> Answer {
    Answer::Revert(alloy_sol_types::Revert::from(message.into()).abi_encode())
}

/// Runs an `ArbWasm` call.
pub(crate) fn run(ctx: &mut DevCtx, inputs: &CallInputs) -> InterpreterResult {
    let mut gas = Gas::new(inputs.gas_limit);
    if !gas.record_regular_cost(GETTER_GAS) {
        return halt(inputs.gas_limit);
    }
    let input = inputs.input.bytes(ctx);
    let params = ctx.chain.params;
    use ArbWasm::ArbWasmCalls as C;
    let call = match C::abi_decode(&input) {
        Ok(call) => call,
        Err(_) => return finish(gas, Answer::Revert(Vec::new())),
    };
    let answer = match call {
        C::activateProgram(c) => {
            if !gas.record_regular_cost(ACTIVATION_FIXED_GAS) {
                return halt(inputs.gas_limit);
            }
            return activate(ctx, inputs, &mut gas, c.program);
        }
        C::stylusVersion(_) => ret(params.version),
        C::inkPrice(_) => ret(params.ink_price),
        C::maxStackDepth(_) => ret(params.max_stack_depth),
        C::freePages(_) => ret(params.free_pages),
        C::pageGas(_) => ret(params.page_gas),
        C::pageRamp(_) => ret(params.page_ramp),
        C::pageLimit(_) => ret(params.page_limit),
        C::minInitGas(_) => Answer::Return(
            (
                u64::from(params.min_init_gas) * 128,
                u64::from(params.min_cached_init_gas) * 32,
            )
                .abi_encode_params(),
        ),
        C::initCostScalar(_) => ret(u64::from(params.init_cost_scalar) * 2),
        C::expiryDays(_) => ret(params.expiry_days),
        C::keepaliveDays(_) => ret(params.keepalive_days),
        C::blockCacheSize(_) => ret(params.block_cache_size),
        C::codehashVersion(c) => with_record(ctx, c.codehash, |r| ret(r.version)),
        // Nitro stores the estimate in kilobytes, rounded up.
        C::codehashAsmSize(c) => with_record(ctx, c.codehash, |r| ret(r.asm_estimate.div_ceil(1024).saturating_mul(1024))),
        C::codehashKeepalive(c) => keepalive(ctx, inputs, c.codehash),
        C::programVersion(c) => with_program(ctx, c.program, |r| ret(r.version)),
        // Like nitro for Stylus v2: an uncached entry pays the cached part too.
        C::programInitGas(c) => with_program(ctx, c.program, |r| {
            Answer::Return(
                (r.entry_gas(), u64::from(r.cached_init_gas)).abi_encode_params(),
            )
        }),
        C::programMemoryFootprint(c) => with_program(ctx, c.program, |r| ret(r.footprint)),
        C::programTimeLeft(c) => {
            let now = ctx.block.timestamp.saturating_to::<u64>();
            with_program(ctx, c.program, |r| {
                ret((r.activated_at + params.expiry_seconds()).saturating_sub(now))
            })
        }
    };
    finish(gas, answer)
}

/// Runs an `ArbSys` call.
pub(crate) fn run_arbsys(ctx: &mut DevCtx, inputs: &CallInputs) -> InterpreterResult {
    let mut gas = Gas::new(inputs.gas_limit);
    if !gas.record_regular_cost(GETTER_GAS) {
        return halt(inputs.gas_limit);
    }
    let input = inputs.input.bytes(ctx);
    use ArbSys::ArbSysCalls as C;
    let answer = match C::abi_decode(&input) {
        Ok(C::arbBlockNumber(_)) => ret(ctx.block.number),
        Ok(C::arbChainID(_)) => ret(U256::from(ctx.cfg.chain_id)),
        Ok(C::arbOSVersion(_)) => ret(U256::from(ARBSYS_VERSION_OFFSET + ctx.chain.params.arbos_version)),
        Err(_) => Answer::Revert(Vec::new()),
    };
    finish(gas, answer)
}

fn ret<T: SolValue>(value: T) -> Answer {
    Answer::Return(value.abi_encode())
}

fn finish(gas: Gas, answer: Answer) -> InterpreterResult {
    match answer {
        Answer::Return(out) => InterpreterResult::new(InstructionResult::Return, out.into(), gas),
        Answer::Revert(out) => InterpreterResult::new(InstructionResult::Revert, out.into(), gas),
    }
}

fn halt(gas_limit: u64) -> InterpreterResult {
    let mut gas = Gas::new(gas_limit);
    gas.spend_all();
    InterpreterResult::new(InstructionResult::PrecompileOOG, Bytes::new(), gas)
}

/// The record of `codehash` if it is activated, current and not expired, or the `ArbWasm`
/// error nitro returns.
fn current_record(ctx: &mut DevCtx, codehash: B256) -> Result<ActivationRecord, Answer> {
    let params = ctx.chain.params;
    let record = match load_record(ctx, codehash) {
        Ok(Some(r)) => r,
        Ok(None) => return Err(Answer::Revert(ArbWasm::ProgramNotActivated {}.abi_encode())),
        Err(e) => return Err(reason(e)),
    };
    if record.version != params.version {
        return Err(Answer::Revert(
            ArbWasm::ProgramNeedsUpgrade {
                version: record.version,
                stylusVersion: params.version,
            }
            .abi_encode(),
        ));
    }
    let age = ctx
        .block
        .timestamp
        .saturating_to::<u64>()
        .saturating_sub(record.activated_at);
    if age > params.expiry_seconds() {
        return Err(Answer::Revert(
            ArbWasm::ProgramExpired { ageInSeconds: age }.abi_encode(),
        ));
    }
    Ok(record)
}

fn with_record(
    ctx: &mut DevCtx,
    codehash: B256,
    f: impl FnOnce(&ActivationRecord) -> Answer,
) -> Answer {
    match current_record(ctx, codehash) {
        Ok(r) => f(&r),
        Err(answer) => answer,
    }
}

fn with_program(
    ctx: &mut DevCtx,
    program: Address,
    f: impl FnOnce(&ActivationRecord) -> Answer,
) -> Answer {
    match ctx.journal_mut().code_hash(program) {
        Ok(hash) => with_record(ctx, hash.data, f),
        Err(e) => reason(e.to_string()),
    }
}

/// The outcome of an activation that nitro's rules refused: all gas burnt, and the reason
/// as the call's error (nitro returns `ErrProgramActivation`, which geth reports as the
/// transaction's error; revm carries it as a precompile error with context).
fn refuse(ctx: &mut DevCtx, inputs: &CallInputs, why: &NitroError) -> InterpreterResult {
    let message = format!("program activation failed: {why}");
    tracing::debug!(%message, "activation refused");
    if ctx.journal_mut().depth() == 1 {
        ctx.local_mut().set_precompile_error_context(message);
    }
    let mut gas = Gas::new(inputs.gas_limit);
    gas.spend_all();
    InterpreterResult::new(InstructionResult::PrecompileError, Bytes::new(), gas)
}

/// `activateProgram`, after `ArbWasm`'s fixed cost (nitro `Programs.ActivateProgram` and
/// `ArbWasm.ActivateProgram`).
fn activate(ctx: &mut DevCtx, inputs: &CallInputs, gas: &mut Gas, program: Address) -> InterpreterResult {
    if inputs.is_static {
        return finish(*gas, reason("write protection"));
    }
    let params = ctx.chain.params;
    let (code_bytes, codehash) = match (ctx.journal_mut().code(program), ctx.journal_mut().code_hash(program)) {
        (Ok(code), Ok(hash)) => (code.data, hash.data),
        (Err(e), _) | (_, Err(e)) => return finish(*gas, reason(e.to_string())),
    };
    let now = ctx.block.timestamp.saturating_to::<u64>();
    // A re-activation (new Stylus version, or expired) keeps the program cached, as nitro's
    // `ActivateProgram` does.
    let was_cached = match load_record(ctx, codehash) {
        Ok(Some(r)) if r.version == params.version && now.saturating_sub(r.activated_at) <= params.expiry_seconds() => {
            return finish(*gas, Answer::Revert(ArbWasm::ProgramUpToDate {}.abi_encode()));
        }
        Ok(record) => record.is_some_and(|r| r.cached),
        Err(e) => return finish(*gas, reason(e)),
    };
    if code_bytes.is_empty() {
        return finish(*gas, Answer::Revert(ArbWasm::ProgramNotWasm {}.abi_encode()));
    }
    // Not a Stylus prefix, or a stream that does not decompress: a plain error in nitro,
    // which the precompile turns into an empty revert.
    let Ok(wasm) = code::decompress(&code_bytes, params.max_wasm_size) else {
        return finish(*gas, Answer::Revert(Vec::new()));
    };

    let config = nitro::Config {
        page_limit: params.page_limit.saturating_sub(ctx.chain.open_pages),
        debug: params.debug,
        arbos_version: params.arbos_version,
    };
    let mut left = gas.remaining();
    let activation = nitro::activate(&wasm, &config, &mut left);
    let _ = gas.record_regular_cost(gas.remaining() - left);
    let activation = match activation {
        Ok(a) => a,
        Err(why) => return refuse(ctx, inputs, &why),
    };
    let Some(runtime) = ctx.chain.runtime.clone() else {
        return finish(*gas, reason("stylus runtime missing"));
    };
    let compiled = nitro::instrument(&wasm).map_err(|e| e.to_string());
    if let Err(e) = runtime.module(codehash, || compiled) {
        return finish(*gas, reason(format!("devnet cannot compile the activated program: {e}")));
    }

    let fee = match update_data_pricer(ctx, activation.asm_estimate, now) {
        Ok(fee) => fee,
        Err(e) => return finish(*gas, reason(e)),
    };
    let paid = inputs.value.get();
    if paid < fee {
        return finish(*gas, Answer::Revert(ArbWasm::ProgramInsufficientValue { have: paid, want: fee }.abi_encode()));
    }
    if paid > fee {
        match ctx.journal_mut().transfer(ARB_WASM, inputs.caller, paid - fee) {
            Ok(None) => {}
            Ok(Some(e)) => return finish(*gas, reason(format!("refund failed: {e:?}"))),
            Err(e) => return finish(*gas, reason(e.to_string())),
        }
    }
    let record = ActivationRecord {
        version: params.version,
        footprint: activation.footprint,
        init_gas: params.init_gas(activation.init_cost) as u32,
        cached_init_gas: params.cached_init_gas(activation.cached_init_cost) as u32,
        activated_at: now,
        wasm_len: wasm.len() as u32,
        asm_estimate: activation.asm_estimate,
        init_cost: activation.init_cost,
        cached: was_cached,
    };
    if let Err(e) = store_record(ctx, codehash, &record) {
        return finish(*gas, reason(e));
    }
    let event = ArbWasm::ProgramActivated {
        codehash,
        moduleHash: keccak256(&wasm),
        program,
        dataFee: fee,
        version: params.version,
    };
    ctx.journal_mut().log(Log { address: ARB_WASM, data: event.encode_log_data() });
    tracing::debug!(%program, %codehash, wasm_len = wasm.len(), footprint = activation.footprint, "program activated");
    finish(*gas, Answer::Return((params.version, fee).abi_encode_params()))
}

/// Slot of the data pricer's state in the ArbOS state account (activation records use
/// codehashes as slots).
const DATA_PRICER_SLOT: U256 = U256::MAX;

/// Charges the data pricer for `bytes` at `time`; returns the fee.
fn update_data_pricer(ctx: &mut DevCtx, bytes: u32, time: u64) -> Result<U256, String> {
    let journal = ctx.journal_mut();
    journal.load_account(ARBOS_STATE).map_err(|e| e.to_string())?;
    let word = journal.sload(ARBOS_STATE, DATA_PRICER_SLOT).map_err(|e| e.to_string())?.data;
    let mut pricer = DataPricer::unpack(word);
    let fee = pricer.update(bytes, time);
    journal.sstore(ARBOS_STATE, DATA_PRICER_SLOT, pricer.pack()).map_err(|e| e.to_string())?;
    Ok(fee)
}

fn keepalive(ctx: &mut DevCtx, inputs: &CallInputs, codehash: B256) -> Answer {
    let params = ctx.chain.params;
    let mut record = match current_record(ctx, codehash) {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    let now = ctx.block.timestamp.saturating_to::<u64>();
    let age = now.saturating_sub(record.activated_at);
    if age < u64::from(params.keepalive_days) * 86_400 {
        return Answer::Revert(ArbWasm::ProgramKeepaliveTooSoon { ageInSeconds: age }.abi_encode());
    }
    // Nitro prices a keepalive on the estimate stored in kilobytes, rounded up.
    let asm_size = record.asm_estimate.div_ceil(1024).saturating_mul(1024);
    let fee = match update_data_pricer(ctx, asm_size, now) {
        Ok(fee) => fee,
        Err(e) => return reason(e),
    };
    let paid = inputs.value.get();
    if paid < fee {
        return Answer::Revert(
            ArbWasm::ProgramInsufficientValue {
                have: paid,
                want: fee,
            }
            .abi_encode(),
        );
    }
    record.activated_at = now;
    if let Err(e) = store_record(ctx, codehash, &record) {
        return reason(e);
    }
    let event = ArbWasm::ProgramLifetimeExtended {
        codehash,
        dataFee: fee,
    };
    ctx.journal_mut().log(Log {
        address: ARB_WASM,
        data: event.encode_log_data(),
    });
    Answer::Return(Vec::new())
}
