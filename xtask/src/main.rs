//! Project automation, run as `cargo xtask <command>` (alias in `.cargo/config.toml`).
//!
//! - `wasm`: builds every deployable Stylus contract for wasm32, optimises it with `wasm-opt`
//!   when present, brotli-compresses it as cargo-stylus does, writes the deployable code to
//!   `target/stylus/`, prints the size table and fails when a contract is over a limit.
//! - `abi [--check]`: exports every contract's ABI from its Rust source into `abi/`, and
//!   compares it with iExec's reference ABI; `--check` fails when `abi/` is stale.
//! - `features`: prints the `--features` list of host builds (every contract's `export-abi`),
//!   which `scripts/test` passes to clippy and nextest so that they reuse the ABI build.
//!
//! A deployable contract is a workspace package whose library is a `cdylib`.

mod abi;
mod contracts;
mod wasm;

use anyhow::{bail, Result};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = contracts::workspace_root()?;
    match args.first().map(String::as_str) {
        Some("wasm") => wasm::run(&root, &args[1..]),
        Some("abi") => abi::run(&root, &args[1..]),
        Some("features") => {
            println!("{}", contracts::host_features(&contracts::deployable(&root)?));
            Ok(())
        }
        _ => bail!(
            "usage: cargo xtask wasm [--no-opt] [CONTRACT...]\n       cargo xtask abi [--check]\n       cargo xtask features"
        ),
    }
}
