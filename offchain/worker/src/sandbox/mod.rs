//! Running a task's app: what it sees (folders, arguments, iExec's environment) and the
//! limits it runs under, whatever runs it — the embedded WebAssembly sandbox
//! ([`run_wasm`], the default) or the docker CLI for iExec's `DOCKER` apps ([`docker`]).

pub mod docker;
mod fs;
mod wasm;

use std::{path::PathBuf, sync::Arc, time::Duration};

use alloy::primitives::{Address, B256};

pub use wasm::CAPTURE_BYTES;

/// The input folder as the app sees it (iExec's `IexecFileHelper.SLASH_IEXEC_IN`).
pub const GUEST_IN: &str = "/iexec_in";
/// The output folder as the app sees it (`SLASH_IEXEC_OUT`).
pub const GUEST_OUT: &str = "/iexec_out";

/// What bounds one run of an app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// wasmi fuel (about one unit per instruction): the deterministic bound, the same on
    /// every worker.
    pub fuel: u64,
    /// Linear memory, in bytes.
    pub memory_bytes: usize,
    /// Wall time from start to exit.
    pub wall_time: Duration,
}

impl Default for Limits {
    /// 20 billion fuel, 512 MiB, 10 minutes: a generous single task on one core.
    fn default() -> Self {
        Self { fuel: 20_000_000_000, memory_bytes: 512 * 1024 * 1024, wall_time: Duration::from_secs(600) }
    }
}

/// One run: the host folders mounted as [`GUEST_IN`] and [`GUEST_OUT`], the arguments
/// (after the program name) and the environment.
#[derive(Clone, Debug, Default)]
pub struct AppRun {
    /// Host folder seen read-only as [`GUEST_IN`].
    pub input_dir: PathBuf,
    /// Host folder seen as [`GUEST_OUT`].
    pub output_dir: PathBuf,
    /// Arguments.
    pub args: Vec<String>,
    /// Environment variables.
    pub env: Vec<(String, String)>,
}

/// How a run ended when the app exited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunOutput {
    /// Its exit code (0: success; WASI `proc_exit` or the end of `_start`).
    pub exit_code: i32,
    /// Fuel it burnt (0 for docker).
    pub fuel_used: u64,
    /// The first [`CAPTURE_BYTES`] of its stdout.
    pub stdout: String,
    /// The first [`CAPTURE_BYTES`] of its stderr.
    pub stderr: String,
}

/// Why an app did not run to its exit.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Not a WASI command module.
    #[error("the app is not a runnable WASI command module: {0}")]
    InvalidModule(String),
    /// It burnt all its fuel.
    #[error("the app ran out of fuel (limit {limit}): it computes more than the worker allows; raise the fuel limit or use a smaller input")]
    OutOfFuel {
        /// The limit.
        limit: u64,
    },
    /// It asked for more memory than allowed.
    #[error("the app exceeded its memory limit of {max_bytes} bytes")]
    MemoryLimit {
        /// The limit.
        max_bytes: usize,
    },
    /// It ran past its wall time.
    #[error("the app ran longer than its wall-time limit of {limit:?}")]
    WallTime {
        /// The limit.
        limit: Duration,
    },
    /// It trapped (unreachable, out-of-bounds access, a panic, ...).
    #[error("the app trapped: {0}")]
    Trap(String),
    /// The sandbox itself could not be set up (folders, environment).
    #[error("setting up the sandbox: {0}")]
    Sandbox(String),
    /// A docker app could not be run.
    #[error("docker: {0}")]
    Docker(String),
}

/// Stack of the thread an app runs on: wasmi's interpreter frames are large in debug
/// builds, and a deep guest call stack must hit wasmi's own limit, not the thread's.
const SANDBOX_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Runs the WASI module `wasm` (already checksum-verified) in the sandbox. The run happens
/// on a thread of its own; the wall-time limit holds even while the app is inside a
/// blocking host call (a long `poll_oneoff` sleep): the run is then abandoned, and its
/// thread ends at its next fuel check or when the call returns.
pub async fn run_wasm(wasm: Arc<Vec<u8>>, run: AppRun, limits: Limits) -> Result<RunOutput, RunError> {
    let deadline = wasm::deadline(&limits);
    let (done, result) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("poco-sandbox".into())
        .stack_size(SANDBOX_STACK_BYTES)
        .spawn(move || {
            let _ = done.send(wasm::run_blocking(&wasm, &run, &limits, deadline));
        })
        .map_err(|e| RunError::Sandbox(format!("starting the sandbox thread: {e}")))?;
    match tokio::time::timeout(limits.wall_time + Duration::from_secs(1), result).await {
        Ok(Ok(result)) => result,
        Ok(Err(_)) => Err(RunError::Sandbox("the sandbox thread ended without a result".into())),
        Err(_) => Err(RunError::WallTime { limit: limits.wall_time }),
    }
}

/// What iExec's worker tells an app about its task (`iexec-common`
/// `IexecEnvUtils.getComputeStageEnvMap`).
#[derive(Clone, Debug, Default)]
pub struct TaskEnv {
    /// The task.
    pub task_id: B256,
    /// The deal's dataset (zero: none).
    pub dataset: Address,
    /// The dataset's file name in [`GUEST_IN`] (empty: none).
    pub dataset_filename: String,
    /// `deal.botSize`.
    pub bot_size: u64,
    /// `deal.botFirst`.
    pub bot_first: u64,
    /// The task's index in the deal.
    pub task_index: u64,
    /// The file names of the input files in [`GUEST_IN`], in the request's order.
    pub input_files: Vec<String>,
}

impl TaskEnv {
    /// The environment variables, named as iExec names them.
    pub fn vars(&self) -> Vec<(String, String)> {
        let dataset = if self.dataset.is_zero() { String::new() } else { lower_hex(&self.dataset) };
        let mut vars = vec![
            ("IEXEC_TASK_ID".to_string(), self.task_id.to_string()),
            ("IEXEC_IN".to_string(), GUEST_IN.to_string()),
            ("IEXEC_OUT".to_string(), GUEST_OUT.to_string()),
            ("IEXEC_DATASET_ADDRESS".to_string(), dataset),
            ("IEXEC_DATASET_FILENAME".to_string(), self.dataset_filename.clone()),
            ("IEXEC_BOT_SIZE".to_string(), self.bot_size.to_string()),
            ("IEXEC_BOT_FIRST_INDEX".to_string(), self.bot_first.to_string()),
            ("IEXEC_BOT_TASK_INDEX".to_string(), self.task_index.to_string()),
            ("IEXEC_INPUT_FILES_NUMBER".to_string(), self.input_files.len().to_string()),
            ("IEXEC_INPUT_FILES_FOLDER".to_string(), GUEST_IN.to_string()),
        ];
        for (i, name) in self.input_files.iter().enumerate() {
            vars.push((format!("IEXEC_INPUT_FILE_NAME_{}", i + 1), name.clone()));
        }
        vars
    }
}

/// `0x`-prefixed lowercase hex of an address, as web3j prints it (the dataset's file name
/// in iExec's worker).
pub fn lower_hex(address: &Address) -> String {
    format!("0x{}", alloy::primitives::hex::encode(address.as_slice()))
}
