//! One Stylus program call frame: activation check, entry pricing, execution, result.

use std::sync::Arc;

use alloy_primitives::Bytes;
use alloy_sol_types::SolError;
use revm::interpreter::{CallInputs, Gas, InstructionResult, InterpreterResult};
use wasmi::{Module, Store};

use super::arbwasm::{self, ArbWasm};
use super::hostio::{Frame, Fuel, Halt, HostState, FUEL_PER_GAS};
use super::{code, ink, StylusRuntime};
use crate::evm::{placeholder_ctx, DevCtx};

/// How a program ended.
enum Status {
    Success,
    Revert,
    OutOfInk,
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
        let err = ArbWasm::ProgramNeedsUpgrade {
            version: record.version,
            stylusVersion: params.version,
        };
        return revert(gas, err.abi_encode().into());
    }
    let now = ctx.block.timestamp.saturating_to::<u64>();
    let age = now.saturating_sub(record.activated_at);
    if age > params.expiry_seconds() {
        return revert(
            gas,
            ArbWasm::ProgramExpired { ageInSeconds: age }
                .abi_encode()
                .into(),
        );
    }
    let code_bytes = bytecode.original_byte_slice();
    let module = match runtime.module(*codehash, || {
        code::decompress(code_bytes, params.max_wasm_size).map_err(|e| e.to_string())
    }) {
        Ok(module) => module,
        Err(e) => return revert(gas, Bytes::from(e.into_bytes())),
    };

    // Program entry: init gas plus the initial memory pages, priced against the pages other
    // programs of this transaction already hold open.
    let chain = &mut ctx.chain;
    let memory = ink::memory_gas(
        record.footprint,
        chain.open_pages,
        chain.ever_pages,
        params.free_pages,
        params.page_gas,
        params.page_ramp,
    );
    let entry = record.entry_gas() + memory;
    if entry > gas_limit {
        return out_of_gas(gas_limit);
    }
    let (open_before, address) = (chain.open_pages, inputs.target_address);
    chain.open_pages = chain.open_pages.saturating_add(record.footprint);
    chain.ever_pages = chain.ever_pages.max(chain.open_pages);
    *chain.active.entry(address).or_default() += 1;

    let args = inputs.input.bytes(ctx);
    let frame = Frame {
        address,
        caller: inputs.caller,
        value: inputs.value.get(),
        is_static: inputs.is_static,
    };
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
    split.wasm =
        used_in_program.saturating_sub(split.storage + split.logs + split.calls + split.memory);
    chain.split.add(&split);

    let mut gas = Gas::new(gas_limit);
    match run.status {
        Status::OutOfInk => out_of_gas(gas_limit),
        Status::Revert => {
            let _ = gas.record_regular_cost(gas_limit - run.gas_left);
            revert(gas, run.output)
        }
        Status::Success => {
            let _ = gas.record_regular_cost(gas_limit - run.gas_left);
            gas.record_refund(run.refund);
            InterpreterResult::new(InstructionResult::Return, run.output, gas)
        }
    }
}

/// What one program execution produced.
struct Run {
    status: Status,
    output: Bytes,
    gas_left: u64,
    refund: i64,
    split: super::GasSplit,
}

/// Moves the context into a wasmi store, runs `user_entrypoint`, and moves it back.
fn execute(
    ctx: &mut DevCtx,
    runtime: &Arc<StylusRuntime>,
    module: &Module,
    frame: Frame,
    args: Bytes,
    gas: u64,
) -> Run {
    let params = ctx.chain.params;
    let owned = std::mem::replace(ctx, placeholder_ctx());
    let args_len = args.len();
    let mut store = Store::new(&runtime.engine, HostState::new(owned, frame, params, args));
    store.limiter(|state| &mut state.limits);
    let fuel_budget = gas.saturating_mul(FUEL_PER_GAS);
    let entered = store.set_fuel(fuel_budget).and_then(|()| {
        let instance = runtime.linker.instantiate_and_start(&mut store, module)?;
        let memory = instance.get_memory(&store, "memory");
        store.data_mut().memory = memory;
        let entry = instance.get_typed_func::<i32, i32>(&store, "user_entrypoint")?;
        entry.call(&mut store, args_len as i32)
    });
    let mut fuel = Fuel(store.get_fuel().unwrap_or(0));
    let status = match entered {
        Ok(0) => {
            // The SDK flushes before returning; flushing again here is free when nothing is
            // dirty and keeps a hand-written program's writes from being lost.
            match store.data_mut().flush_storage(&mut fuel, false) {
                Ok(()) => Status::Success,
                Err(Halt::OutOfInk) => Status::OutOfInk,
                Err(_) => Status::Revert,
            }
        }
        Ok(_) => Status::Revert,
        Err(e) => classify(&e),
    };
    let state = store.into_data();
    *ctx = state.ctx;
    let output = match status {
        Status::OutOfInk => Bytes::new(),
        _ => Bytes::from(state.output),
    };
    Run {
        status,
        output,
        gas_left: fuel.gas_left(),
        refund: state.refund,
        split: state.split,
    }
}

fn classify(error: &wasmi::Error) -> Status {
    if matches!(error.as_trap_code(), Some(wasmi::TrapCode::OutOfFuel)) {
        return Status::OutOfInk;
    }
    match error.downcast_ref::<Halt>() {
        Some(Halt::OutOfInk) => Status::OutOfInk,
        Some(Halt::Exit(0)) => Status::Success,
        Some(Halt::Fatal(why)) => {
            tracing::error!(%why, "stylus program aborted by a devnet failure");
            Status::Revert
        }
        Some(other) => {
            tracing::debug!(%other, "stylus program failed");
            Status::Revert
        }
        // A trap (unreachable, bounds, stack overflow): nitro reports a failed, reverted call.
        None => {
            tracing::debug!(%error, "stylus program trapped");
            Status::Revert
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
