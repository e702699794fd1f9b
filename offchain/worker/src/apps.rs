//! The example apps of this repository (`examples/`), built to `wasm32-wasip1` for the
//! sandbox: what the tests and the demo run.

use std::path::{Path, PathBuf};

use anyhow::{ensure, Context, Result};

/// The WASI target the apps are built for.
pub const WASI_TARGET: &str = "wasm32-wasip1";

/// The workspace root (this crate is `offchain/worker`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Builds the example app `package` (e.g. `wordcount`) in release mode for
/// [`WASI_TARGET`] with the workspace's cargo, and returns its module's path. Needs the
/// target installed (`rustup target add wasm32-wasip1`; `.ci/run` does it).
pub fn build_example(package: &str) -> Result<PathBuf> {
    let root = workspace_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = std::process::Command::new(&cargo)
        .current_dir(&root)
        .args(["build", "--quiet", "--release", "-p", package, "--target", WASI_TARGET])
        .status()
        .with_context(|| format!("running {cargo} to build the example app {package}"))?;
    ensure!(status.success(), "building the example app {package} for {WASI_TARGET} failed (is the target installed? `rustup target add {WASI_TARGET}`)");
    let target_dir = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let module = target_dir.join(WASI_TARGET).join("release").join(format!("{package}.wasm"));
    ensure!(module.is_file(), "the build of {package} left no module at {}", module.display());
    Ok(module)
}
