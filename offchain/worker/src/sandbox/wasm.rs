//! WebAssembly (WASI preview 1) apps run by wasmi: the embedded sandbox.
//!
//! The app sees only what iExec's worker mounts in an app's container — `/iexec_in`
//! (read-only) and `/iexec_out` — plus its arguments and the iExec environment; no network
//! (no socket is preopened), no other file, no stdin; stdout and stderr are kept, capped,
//! for the worker's log. Three limits bound a run, each with its own error: fuel (wasmi's
//! instruction metering, so the same app stops at the same point on every worker), linear
//! memory, and wall time.

use std::{
    io::Write,
    path::Path,
    sync::{Arc, Mutex},
    time::Instant,
};

use wasmi::{
    errors::{MemoryError, TableError},
    Config, Engine, Linker, Module, ResourceLimiter, Store, TypedFunc, TypedResumableCall,
};
use wasmi_core::LimiterError;
use wasmi_wasi::{
    wasi_common::{pipe::WritePipe, sync::Dir as CapStdDir, WasiCtx},
    WasiCtxBuilder,
};

use super::{fs::SandboxDir, AppRun, Limits, RunError, RunOutput, GUEST_IN, GUEST_OUT};

/// How much of stdout and of stderr a run keeps (the rest is dropped).
pub const CAPTURE_BYTES: usize = 64 * 1024;

/// Fuel granted between two wall-clock checks: small enough that a busy app notices its
/// deadline within milliseconds, large enough that the checks cost nothing.
const FUEL_SLICE: u64 = 1_000_000;

/// What the store holds: the WASI context and the memory limiter.
struct Host {
    wasi: WasiCtx,
    limiter: MemoryLimiter,
}

/// Caps linear memory (and tables) and remembers that it refused, so that the error says
/// which limit was hit instead of the app's own allocation-failure trap.
struct MemoryLimiter {
    max_bytes: usize,
    refused: bool,
}

impl ResourceLimiter for MemoryLimiter {
    fn memory_growing(&mut self, _current: usize, desired: usize, maximum: Option<usize>) -> Result<bool, LimiterError> {
        if desired > self.max_bytes || maximum.is_some_and(|m| desired > m) {
            self.refused = true;
            return Err(LimiterError::ResourceLimiterDeniedAllocation);
        }
        Ok(true)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, maximum: Option<usize>) -> Result<bool, LimiterError> {
        // A table entry is a few bytes of host memory: the memory cap bounds them too.
        Ok(desired <= self.max_bytes / 8 && maximum.is_none_or(|m| desired <= m))
    }

    fn memory_grow_failed(&mut self, _error: &MemoryError) -> Result<(), LimiterError> {
        Ok(())
    }

    fn table_grow_failed(&mut self, _error: &TableError) -> Result<(), LimiterError> {
        Ok(())
    }

    fn instances(&self) -> usize {
        1
    }

    fn tables(&self) -> usize {
        16
    }

    fn memories(&self) -> usize {
        1
    }
}

/// A `Write` that keeps the first [`CAPTURE_BYTES`] and drops the rest.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut kept = self.0.lock().map_err(|_| std::io::Error::other("capture lock poisoned"))?;
        let room = CAPTURE_BYTES.saturating_sub(kept.len());
        kept.extend_from_slice(&buf[..buf.len().min(room)]);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    fn text(&self) -> String {
        self.0.lock().map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default()
    }
}

/// Runs the WASI module `wasm` over `run`'s folders, within `limits`. Blocking: call it
/// from a blocking thread ([`super::run_wasm`] does).
pub(crate) fn run_blocking(wasm: &[u8], run: &AppRun, limits: &Limits, deadline: Instant) -> Result<RunOutput, RunError> {
    let mut config = Config::default();
    config.consume_fuel(true);
    let engine = Engine::new(&config);
    let module = Module::new(&engine, wasm).map_err(|e| RunError::InvalidModule(e.to_string()))?;

    let (stdout, stderr) = (Capture::default(), Capture::default());
    let wasi = wasi_context(run, &stdout, &stderr)?;
    let mut store = Store::new(&engine, Host { wasi, limiter: MemoryLimiter { max_bytes: limits.memory_bytes, refused: false } });
    store.limiter(|host| &mut host.limiter);
    let mut linker = <Linker<Host>>::new(&engine);
    wasmi_wasi::add_to_linker(&mut linker, |host| &mut host.wasi).map_err(|e| RunError::Sandbox(e.to_string()))?;

    let mut fuel_left = limits.fuel;
    let slice = fuel_left.min(FUEL_SLICE);
    store.set_fuel(slice).map_err(|e| RunError::Sandbox(e.to_string()))?;
    fuel_left -= slice;
    let memory_refused = |store: &Store<Host>| store.data().limiter.refused;

    let instance = linker.instantiate_and_start(&mut store, &module).map_err(|e| {
        if memory_refused(&store) {
            RunError::MemoryLimit { max_bytes: limits.memory_bytes }
        } else {
            RunError::InvalidModule(format!("instantiating: {e}"))
        }
    })?;
    let start: TypedFunc<(), ()> = instance
        .get_typed_func(&store, "_start")
        .map_err(|e| RunError::InvalidModule(format!("a WASI command exports `_start: () -> ()`: {e}")))?;

    let mut call = start.call_resumable(&mut store, ());
    let exit_code = loop {
        match call {
            Ok(TypedResumableCall::Finished(())) => break 0,
            Ok(TypedResumableCall::OutOfFuel(paused)) => {
                if Instant::now() >= deadline {
                    return Err(RunError::WallTime { limit: limits.wall_time });
                }
                if fuel_left == 0 || fuel_left < paused.required_fuel() {
                    return Err(RunError::OutOfFuel { limit: limits.fuel });
                }
                let slice = fuel_left.min(FUEL_SLICE.max(paused.required_fuel()));
                fuel_left -= slice;
                store.set_fuel(slice).map_err(|e| RunError::Sandbox(e.to_string()))?;
                call = paused.resume(&mut store);
            }
            Ok(TypedResumableCall::HostTrap(trap)) => {
                let error = trap.host_error();
                match error.i32_exit_status() {
                    Some(code) => break code,
                    None => return Err(RunError::Trap(error.to_string())),
                }
            }
            Err(error) => {
                if let Some(code) = error.i32_exit_status() {
                    break code;
                }
                if memory_refused(&store) {
                    return Err(RunError::MemoryLimit { max_bytes: limits.memory_bytes });
                }
                return Err(RunError::Trap(error.to_string()));
            }
        }
    };
    let fuel_used = limits.fuel - fuel_left - store.get_fuel().unwrap_or(0);
    Ok(RunOutput { exit_code, fuel_used, stdout: stdout.text(), stderr: stderr.text() })
}

/// The WASI context of `run`: arguments (the program name first, as a shell passes it),
/// environment, the two folders, captured stdout and stderr, and nothing else.
fn wasi_context(run: &AppRun, stdout: &Capture, stderr: &Capture) -> Result<WasiCtx, RunError> {
    let bad = |what: &str, e: &dyn std::fmt::Display| RunError::Sandbox(format!("{what}: {e}"));
    let mut builder = WasiCtxBuilder::new();
    builder.arg("app").map_err(|e| bad("arguments", &e))?;
    builder.args(&run.args).map_err(|e| bad("arguments", &e))?;
    builder.envs(&run.env).map_err(|e| bad("environment", &e))?;
    builder.stdout(Box::new(WritePipe::new(stdout.clone())));
    builder.stderr(Box::new(WritePipe::new(stderr.clone())));
    let ctx = builder.build();
    ctx.push_preopened_dir(Box::new(SandboxDir::new(open_dir(&run.input_dir)?, false)), GUEST_IN)
        .map_err(|e| bad("preopening the input folder", &e))?;
    ctx.push_preopened_dir(Box::new(SandboxDir::new(open_dir(&run.output_dir)?, true)), GUEST_OUT)
        .map_err(|e| bad("preopening the output folder", &e))?;
    Ok(ctx)
}

fn open_dir(path: &Path) -> Result<wasmi_wasi::wasi_common::sync::dir::Dir, RunError> {
    let dir = CapStdDir::open_ambient_dir(path, wasmi_wasi::wasi_common::sync::ambient_authority())
        .map_err(|e| RunError::Sandbox(format!("opening {}: {e}", path.display())))?;
    Ok(wasmi_wasi::wasi_common::sync::dir::Dir::from_cap_std(dir))
}

/// The deadline of a run starting now.
pub(crate) fn deadline(limits: &Limits) -> Instant {
    Instant::now() + limits.wall_time
}
