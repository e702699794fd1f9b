//! revm wiring: the context type, the precompile provider that routes Stylus code to the WASM
//! engine, and nested frames for hostios.
//!
//! Design (see README.md): revm's `PrecompileProvider::run` is consulted for *every* call frame
//! after revm opened the frame's journal checkpoint and moved the call value, with the callee's
//! code at hand (`CallInputs::known_bytecode`) and mutable access to the whole context. The
//! devnet's provider answers for Ethereum precompiles, for `ArbWasm`/`ArbSys`, and for any code
//! that starts with `0xEFF000` (a Stylus program); revm then commits or reverts the checkpoint
//! from the result, exactly as for an EVM frame. Hostios that call out build a fresh `Evm`
//! around the same context and run one frame to completion with revm's own
//! `Handler::run_exec_loop`, so nesting works both ways through one journal.

use std::convert::Infallible;

use revm::{
    context::{
        BlockEnv, CfgEnv, Context, ContextTr, Evm, Journal, JournalTr, LocalContextTr, TxEnv,
    },
    context_interface::result::EVMError,
    database::{CacheDB, EmptyDB},
    handler::{
        instructions::EthInstructions, EthFrame, EthPrecompiles, FrameResult, Handler,
        MainnetHandler, PrecompileProvider,
    },
    interpreter::{
        interpreter::EthInterpreter, interpreter_action::FrameInit, CallInputs, FrameInput,
        InterpreterResult, SharedMemory,
    },
    primitives::{hardfork::SpecId, AddressSet},
};

use crate::stylus::{arbwasm, cache, cache_manager, code, program, StylusChain};

/// The world state: revm's in-memory cache database over an empty backend.
pub type ChainDb = CacheDB<EmptyDB>;

/// The execution context of the devnet (revm's mainnet context plus Stylus bookkeeping).
pub type DevCtx = Context<BlockEnv, TxEnv, CfgEnv, ChainDb, Journal<ChainDb>, StylusChain>;

/// The devnet's EVM: mainnet instructions, the devnet precompile provider, mainnet frames.
pub(crate) type DevEvm = Evm<
    DevCtx,
    (),
    EthInstructions<EthInterpreter, DevCtx>,
    DevPrecompiles,
    EthFrame<EthInterpreter>,
>;

/// Hardfork the devnet runs (Arbitrum's EVM is Cancun-compatible since ArbOS 20).
pub const SPEC: SpecId = SpecId::CANCUN;

/// Builds an EVM around `ctx`.
pub(crate) fn new_evm(ctx: DevCtx) -> DevEvm {
    Evm::new(
        ctx,
        EthInstructions::new_mainnet_with_spec(SPEC),
        DevPrecompiles::new(SPEC),
    )
}

/// A cheap empty context that stands in while the real one is moved into a WASM store or a
/// nested EVM (it is never executed against).
pub(crate) fn placeholder_ctx() -> DevCtx {
    DevCtx::new(ChainDb::default(), SPEC)
}

/// Runs one call or create frame to completion on `ctx`'s journal, at the current depth.
///
/// The frame gets a child of the context's shared EVM memory buffer, after the memory of the
/// frames below it, as revm does for a CALL.
pub(crate) fn run_frame(ctx: &mut DevCtx, frame_input: FrameInput) -> Result<FrameResult, String> {
    stacker::maybe_grow(program::STACK_RED_ZONE, program::STACK_SEGMENT, || {
        run_frame_on_stack(ctx, frame_input)
    })
}

fn run_frame_on_stack(ctx: &mut DevCtx, frame_input: FrameInput) -> Result<FrameResult, String> {
    let depth = ctx.journal_ref().depth();
    let mut root = SharedMemory::new_with_buffer(ctx.local().shared_memory_buffer().clone());
    let memory = root.new_child_context();
    let owned = std::mem::replace(ctx, placeholder_ctx());
    let mut evm = new_evm(owned);
    let mut handler: MainnetHandler<DevEvm, EVMError<Infallible>, EthFrame<EthInterpreter>> =
        MainnetHandler::default();
    let result = handler.run_exec_loop(
        &mut evm,
        FrameInit {
            depth,
            memory,
            frame_input,
        },
    );
    *ctx = evm.ctx;
    root.free_child_context();
    result.map_err(|e| e.to_string())
}

/// Precompile provider: Ethereum precompiles, Arbitrum's `ArbWasm`/`ArbSys`, and Stylus
/// programs (any callee code with the `0xEFF000` prefix).
#[derive(Debug, Clone)]
pub(crate) struct DevPrecompiles {
    eth: EthPrecompiles,
    warm: AddressSet,
}

impl DevPrecompiles {
    pub(crate) fn new(spec: SpecId) -> Self {
        let eth = EthPrecompiles::new(spec);
        let warm = Self::warm_set(&eth);
        Self { eth, warm }
    }

    fn warm_set(eth: &EthPrecompiles) -> AddressSet {
        let mut warm = eth.warm_addresses().clone();
        warm.insert(arbwasm::ARB_WASM);
        warm.insert(arbwasm::ARB_SYS);
        warm.insert(cache::ARB_WASM_CACHE);
        warm
    }
}

impl PrecompileProvider<DevCtx> for DevPrecompiles {
    type Output = InterpreterResult;

    fn set_spec(&mut self, spec: SpecId) -> bool {
        let changed = <EthPrecompiles as PrecompileProvider<DevCtx>>::set_spec(&mut self.eth, spec);
        self.warm = Self::warm_set(&self.eth);
        changed
    }

    fn run(
        &mut self,
        ctx: &mut DevCtx,
        inputs: &CallInputs,
    ) -> Result<Option<InterpreterResult>, String> {
        if inputs.bytecode_address == arbwasm::ARB_WASM {
            return Ok(Some(arbwasm::run(ctx, inputs)));
        }
        if inputs.bytecode_address == arbwasm::ARB_SYS {
            return Ok(Some(arbwasm::run_arbsys(ctx, inputs)));
        }
        if inputs.bytecode_address == cache::ARB_WASM_CACHE {
            return Ok(Some(cache::run(ctx, inputs)));
        }
        if inputs.bytecode_address == cache_manager::CACHE_MANAGER {
            return Ok(Some(cache_manager::run(ctx, inputs)));
        }
        if inputs.bytecode_address == crate::stylus_deployer::STYLUS_DEPLOYER {
            return Ok(Some(crate::stylus_deployer::run(ctx, inputs)));
        }
        if let Some(result) =
            <EthPrecompiles as PrecompileProvider<DevCtx>>::run(&mut self.eth, ctx, inputs)?
        {
            return Ok(Some(result));
        }
        if code::is_stylus(inputs.known_bytecode.1.original_byte_slice()) {
            return Ok(Some(program::call(ctx, inputs)));
        }
        Ok(None)
    }

    fn warm_addresses(&self) -> &AddressSet {
        &self.warm
    }
}
