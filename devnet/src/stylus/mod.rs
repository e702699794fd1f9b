//! Stylus: activation, pricing and execution of WASM programs.
//!
//! - [`code`]: the on-chain form (prefix + brotli) and deploy init code;
//! - [`params`]: chain parameters, the per-codehash activation record, the data fee;
//! - [`ink`]: hostio and memory pricing (operators are metered by nitro's instrumentation,
//!   `stylus_code::nitro`, which also holds the activation rules);
//! - `arbwasm`: the `ArbWasm` precompile (activation and getters);
//! - `cache`: the `ArbWasmCache` precompile (cached programs, cache managers);
//!   `cache_manager`: the CacheManager's bids for a place in that cache;
//! - `hostio`: the `vm_hooks` imports; `meter`: the program's ink meter; `storage_cache`:
//!   a program call's storage cache;
//! - `program`: running one program call frame.

pub mod code;
pub mod ink;
pub mod params;

pub mod arbwasm;
pub mod cache;
pub mod cache_manager;
pub(crate) mod hostio;
pub(crate) mod meter;
pub(crate) mod program;
pub(crate) mod recent;
pub(crate) mod storage_cache;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use alloy_primitives::{Address, B256};
use wasmi::{CompilationMode, Config, Engine, Linker, Module};

pub use hostio::GasSplit;
use hostio::HostState;
use params::StylusParams;

/// The WASM engine, the hostio linker and the compiled-module cache (keyed by codehash).
///
/// Compiled modules are derived data (a pure function of the code), so the cache lives outside
/// the journaled state; the *activation* itself is state.
pub(crate) struct StylusRuntime {
    pub(crate) engine: Engine,
    pub(crate) linker: Linker<HostState>,
    modules: Mutex<HashMap<B256, Module>>,
}

impl fmt::Debug for StylusRuntime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StylusRuntime").finish_non_exhaustive()
    }
}

impl StylusRuntime {
    /// Creates the engine. Modules are nitro's instrumented form, which meters itself, so
    /// wasmi's own fuel is off.
    pub(crate) fn new() -> Result<Self, wasmi::Error> {
        let mut config = Config::default();
        config.consume_fuel(false).compilation_mode(CompilationMode::Eager);
        let engine = Engine::new(&config);
        let linker = hostio::linker(&engine)?;
        Ok(Self {
            engine,
            linker,
            modules: Mutex::new(HashMap::new()),
        })
    }

    /// The compiled module of `codehash`, compiling `wasm()` (the instrumented module) on a
    /// cache miss.
    pub(crate) fn module(
        &self,
        codehash: B256,
        wasm: impl FnOnce() -> Result<Vec<u8>, String>,
    ) -> Result<Module, String> {
        let mut modules = self
            .modules
            .lock()
            .map_err(|_| "module cache poisoned".to_string())?;
        if let Some(module) = modules.get(&codehash) {
            return Ok(module.clone());
        }
        let wasm = wasm()?;
        let module = Module::new(&self.engine, &wasm).map_err(|e| e.to_string())?;
        modules.insert(codehash, module.clone());
        Ok(module)
    }
}

/// Per-transaction Stylus bookkeeping, carried in revm's context (`Context::chain`) so that
/// every nested frame sees it.
#[derive(Debug, Clone, Default)]
pub struct StylusChain {
    pub(crate) runtime: Option<Arc<StylusRuntime>>,
    pub(crate) params: StylusParams,
    /// Memory pages open across the programs currently on the call stack.
    pub(crate) open_pages: u16,
    /// Most pages ever open in this transaction.
    pub(crate) ever_pages: u16,
    /// Open program frames per acting address (`msg_reentrant`).
    pub(crate) active: HashMap<Address, u32>,
    /// Gas split of all Stylus frames of the transaction.
    pub(crate) split: GasSplit,
    /// Programs called in this block (from ArbOS 60 they pay their cached entry).
    pub(crate) recent: recent::RecentPrograms,
}

impl StylusChain {
    pub(crate) fn new(runtime: Arc<StylusRuntime>, params: StylusParams) -> Self {
        Self {
            runtime: Some(runtime),
            params,
            ..Default::default()
        }
    }

    /// Clears the per-transaction (and, one transaction a block, per-block) state.
    pub(crate) fn start_transaction(&mut self) {
        self.open_pages = 0;
        self.ever_pages = 0;
        self.active.clear();
        self.split = GasSplit::default();
        self.recent.clear();
    }
}
