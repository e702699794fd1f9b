//! One Stylus program call frame: activation check, entry pricing, execution, result
//! (nitro `arbos/programs/programs.go`, `CallProgram`).

use std::sync::Arc;

use alloy_primitives::{Address, Bytes};
use alloy_sol_types::SolError;
use revm::interpreter::{CallInputs, Gas, InstructionResult, InterpreterResult};
use stylus_code::nitro;
use wasmi::{Module, Store, Val};

use super::arbwasm::{self, ArbWasm};
use super::hostio::{Frame, Halt, HostState};
use super::meter::MeterGlobals;
use super::{code, ink, StylusRuntime};
use crate::evm::{placeholder_ctx, DevCtx};

/// ArbOS version from which return data costs at least what EVM memory would
/// (`ArbosVersion_StylusFixes`).
const ARBOS_STYLUS_FIXES: u64 = 31;

/// How a program ended.
enum Status {
    Success,
    /// The program returned non-zero or exited early with a non-zero status: revert data kept.
    Revert,
    /// A trap or a hostio failure: reverted without data.
    Failure,
    /// Out of ink or out of stack: the frame's gas is gone.
    Exhausted,
}

/// Runs the Stylus program `inputs.known_bytecode` in the frame described by `inputs`.
///
/// Called by the devnet's precompile provider after revm opened the frame's checkpoint and
/// moved the call value; revm commits or reverts the checkpoint from the returned result.
pub(crate) fn call(ctx: &mut DevCtx, inputs: &CallInputs) -> InterpreterResult {
    // Stylus and EVM frames recurse natively (wasmi -> hostio -> revm -> wasmi ...); grow the
    // stack on demand like rustc does, so deep call chains cannot overflow the host thread.
    stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || call_on_stack(ctx, inputs))
}

/// Remaining stack below which a new segment is allocated.
pub(crate) const STACK_RED_ZONE: usize = 1024 * 1024;
/// Size of each additional stack segment.
pub(crate) const STACK_SEGMENT: usize = 16 * 1024 * 1024;

fn call_on_stack(ctx: &mut DevCtx, inputs: &CallInputs) -> InterpreterResult {
    let gas_limit = inputs.gas_limit;
    let gas = Gas::new(gas_limit);
    let Some(runtime) = ctx.chain.runtime.clone() else {
        return revert(gas, Bytes::from_static(b"stylus runtime missing"));
    };
    let params = ctx.chain.params;
    let (codehash, bytecode) = (&inputs.known_bytecode.0, &inputs.known_bytecode.1);

    let record = match arbwasm::load_record(ctx, *codehash) {
        Ok(Some(record)) => record,
        Ok(None) => return revert(gas, ArbWasm::ProgramNotActivated {}.abi_encode().into()),
        Err(e) => return revert(gas, Bytes::from(e.into_bytes())),
    };
    if record.version != params.version {
        let err = ArbWasm::ProgramNeedsUpgrade { version: record.version, stylusVersion: params.version };
        return revert(gas, err.abi_encode().into());
    }
    let now = ctx.block.timestamp.saturating_to::<u64>();
    let age = now.saturating_sub(record.activated_at);
    if age > params.expiry_seconds() {
        return revert(gas, ArbWasm::ProgramExpired { ageInSeconds: age }.abi_encode().into());
    }
    let code_bytes = bytecode.original_byte_slice();
    let module = match runtime.module(*codehash, || {
        let wasm = code::decompress(code_bytes, params.max_wasm_size).map_err(|e| e.to_string())?;
        nitro::instrument(&wasm).map_err(|e| e.to_string())
    }) {
        Ok(module) => module,
        Err(e) => return revert(gas, Bytes::from(e.into_bytes())),
    };

    // Program entry: the initial memory pages, priced against the pages other programs of
    // this transaction hold open, plus the init gas, only its cached part when a cache
    // manager cached the program or (from ArbOS 60) it ran earlier in the block.
    let chain = &mut ctx.chain;
    let memory =
        ink::memory_gas(record.footprint, chain.open_pages, chain.ever_pages, params.free_pages, params.page_gas);
    let recent = params.recent_programs_cache() && chain.recent.insert(*codehash, params.block_cache_size);
    let cached = record.cached || recent;
    let entry = record.entry_gas_when(cached) + memory;
    if entry > gas_limit {
        return out_of_gas(gas_limit);
    }
    let (open_before, address) = (chain.open_pages, inputs.target_address);
    chain.open_pages = chain.open_pages.saturating_add(record.footprint);
    chain.ever_pages = chain.ever_pages.max(chain.open_pages);
    *chain.active.entry(address).or_default() += 1;

    let args = inputs.input.bytes(ctx);
    let frame = Frame { address, caller: inputs.caller, value: inputs.value.get(), is_static: inputs.is_static };
    let run = execute(ctx, &runtime, &module, frame, args, gas_limit - entry);

    let chain = &mut ctx.chain;
    chain.open_pages = open_before;
    if let Some(n) = chain.active.get_mut(&address) {
        *n -= 1;
        if *n == 0 {
            chain.active.remove(&address);
        }
    }
    let mut split = run.split;
    split.entry += entry;
    let used_in_program = (gas_limit - entry).saturating_sub(run.gas_left);
    split.wasm = used_in_program.saturating_sub(split.storage + split.logs + split.calls + split.memory);
    chain.split.add(&split);

    let mut gas_left = run.gas_left;
    if !run.output.is_empty() && params.arbos_version >= ARBOS_STYLUS_FIXES {
        // Return data costs at least what EVM memory of that size would.
        let cost = evm_memory_cost(run.output.len() as u64);
        if gas_limit < cost {
            return out_of_gas(gas_limit);
        }
        gas_left = gas_left.min(gas_limit - cost);
    }
    let mut gas = Gas::new(gas_limit);
    match run.status {
        Status::Exhausted => out_of_gas(gas_limit),
        Status::Revert | Status::Failure => {
            let _ = gas.record_regular_cost(gas_limit - gas_left);
            revert(gas, run.output)
        }
        Status::Success => {
            let _ = gas.record_regular_cost(gas_limit - gas_left);
            gas.record_refund(run.refund);
            InterpreterResult::new(InstructionResult::Return, run.output, gas)
        }
    }
}

/// EVM memory gas of `size` bytes (3 per word plus the quadratic term).
fn evm_memory_cost(size: u64) -> u64 {
    let words = size.div_ceil(32);
    words * 3 + words * words / 512
}

/// What one program execution produced.
struct Run {
    status: Status,
    output: Bytes,
    gas_left: u64,
    refund: i64,
    split: super::GasSplit,
}

/// Moves the context into a wasmi store, runs `user_entrypoint` with `gas` worth of ink, and
/// moves the context back.
fn execute(
    ctx: &mut DevCtx,
    runtime: &Arc<StylusRuntime>,
    module: &Module,
    frame: Frame,
    args: Bytes,
    gas: u64,
) -> Run {
    let params = ctx.chain.params;
    let ink_price = u64::from(params.ink_price).max(1);
    let owned = std::mem::replace(ctx, placeholder_ctx());
    let (args_len, address) = (args.len(), frame.address);
    let mut store = Store::new(&runtime.engine, HostState::new(owned, frame, params, args));
    store.limiter(|state| &mut state.limits);
    let mut meter = None;
    let mut stack = None;
    let entered = runtime.linker.instantiate_and_start(&mut store, module).and_then(|instance| {
        let memory = instance.get_memory(&store, "memory");
        let globals = MeterGlobals {
            ink_left: global(&instance, &store, nitro::INK_LEFT_EXPORT)?,
            ink_status: global(&instance, &store, nitro::INK_STATUS_EXPORT)?,
        };
        let stack_left = global(&instance, &store, nitro::STACK_LEFT_EXPORT)?;
        globals.write(&mut store, Ok(gas.saturating_mul(ink_price)));
        stack_left.set(&mut store, Val::I32(params.max_stack_depth as i32))?;
        (meter, stack) = (Some(globals), Some(stack_left));
        let state = store.data_mut();
        state.memory = memory;
        state.meter = Some(globals);
        let entry = instance.get_typed_func::<i32, i32>(&store, nitro::ENTRYPOINT)?;
        entry.call(&mut store, args_len as i32)
    });
    let ink_left = meter.and_then(|m| m.read(&store).ok());
    let out_of_stack = stack.is_some_and(|s| s.get(&store).i32() == Some(0));
    let status = match entered {
        _ if (meter.is_some() && ink_left.is_none()) || out_of_stack => Status::Exhausted,
        Ok(0) => Status::Success,
        Ok(_) => Status::Revert,
        Err(e) => classify(&e),
    };
    if tracing::enabled!(target: "devnet::memory", tracing::Level::TRACE) {
        trace_memory(&store, address);
    }
    let state = store.into_data();
    *ctx = state.ctx;
    let output = match status {
        Status::Exhausted | Status::Failure => Bytes::new(),
        Status::Success | Status::Revert => Bytes::from(state.output),
    };
    Run { status, output, gas_left: ink_left.unwrap_or(0) / ink_price, refund: state.refund, split: state.split }
}

/// Traces what a run used of its memory: the pages it ended with, and the lowest non-zero
/// byte — the depth its stack reached, as the stack (placed first by rustc, growing down from
/// the top of its region) starts zeroed in a fresh memory.
fn trace_memory(store: &Store<HostState>, address: Address) {
    let Some(memory) = store.data().memory else { return };
    let data = memory.data(store);
    let lowest = data.iter().position(|b| *b != 0).unwrap_or(data.len());
    tracing::trace!(target: "devnet::memory", %address, pages = data.len() / 65_536, lowest, "program memory");
}

fn global(instance: &wasmi::Instance, store: &Store<HostState>, name: &str) -> Result<wasmi::Global, wasmi::Error> {
    instance.get_global(store, name).ok_or_else(|| wasmi::Error::new(format!("instrumented module lacks {name}")))
}

fn classify(error: &wasmi::Error) -> Status {
    match error.downcast_ref::<Halt>() {
        Some(Halt::OutOfInk) => Status::Exhausted,
        Some(Halt::Exit(0)) => Status::Success,
        Some(Halt::Exit(_)) => Status::Revert,
        Some(Halt::Fatal(why)) => {
            tracing::error!(%why, "stylus program aborted by a devnet failure");
            Status::Failure
        }
        Some(other) => {
            tracing::debug!(%other, "stylus program failed");
            Status::Failure
        }
        // A trap (unreachable, bounds, wasmi's own stack limit): nitro reports a failed call.
        None => {
            tracing::debug!(%error, "stylus program trapped");
            Status::Failure
        }
    }
}

fn revert(gas: Gas, output: Bytes) -> InterpreterResult {
    InterpreterResult::new(InstructionResult::Revert, output, gas)
}

fn out_of_gas(gas_limit: u64) -> InterpreterResult {
    let mut gas = Gas::new(gas_limit);
    gas.spend_all();
    InterpreterResult::new(InstructionResult::OutOfGas, Bytes::new(), gas)
}
