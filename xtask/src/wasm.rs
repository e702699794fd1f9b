//! `cargo xtask wasm`: build, optimise, compress and size-check every Stylus contract.
//!
//! The compressed form is what Arbitrum stores and limits: brotli quality 11, window 22
//! (as cargo-stylus' `compress_wasm`), behind the 4-byte prefix `EF F0 00 00`
//! (Stylus discriminant `EF F0 00` + dictionary byte 0 = no dictionary); see the
//! `stylus-code` crate, which the devnet and the deployment client share.
//!
//! Every output must also activate on Arbitrum: after `wasm-opt`, the DataCount section it
//! writes is dropped (nitro's parser refuses that section), and each module goes through
//! nitro's activation rules (`stylus_code::nitro`, the same code the devnet's
//! `ArbWasm.activateProgram` runs); the command fails with nitro's reason when one is broken,
//! or when a module holds operators nitro's meter cannot price (floating point: such a block
//! always runs out of gas on Arbitrum).

use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{bail, Context, Result};

use crate::contracts::{self, Contract};

/// Stylus limit on the compressed program (`DEFAULT_MAX_CODE_SIZE` of stylus-tools).
pub(crate) const MAX_COMPRESSED: usize = 24 * 1024;
/// Stylus limit on the uncompressed WASM.
pub(crate) const MAX_RAW: usize = 128 * 1024;

/// wasm-opt flags. `-Os` gave the smallest brotli output in our measurements (README,
/// "WASM size"); the `--enable-*` flags name the post-MVP features rustc emits and nitro
/// accepts, so that binaryen 108 parses the module.
const WASM_OPT_FLAGS: &[&str] = &[
    "-Os",
    "--enable-bulk-memory",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-multivalue",
    "--strip-debug",
    "--strip-producers",
];

/// Size figures of one built contract.
struct Row {
    name: String,
    raw: usize,
    compressed: usize,
    optimised: bool,
    /// Why nitro would not run this program, if it would not.
    refused: Option<String>,
    /// Nitro's entry costs `(init_cost, cached_init_cost)` when it activates.
    entry_costs: Option<(u16, u16)>,
}

pub(crate) fn run(root: &Path, args: &[String]) -> Result<()> {
    let no_opt = args.iter().any(|a| a == "--no-opt");
    let names: Vec<String> = args.iter().filter(|a| !a.starts_with("--")).cloned().collect();
    let chosen = contracts::select(contracts::deployable(root)?, &names)?;
    let out_dir = root.join("target/stylus");
    fs::create_dir_all(&out_dir)?;
    let target = target_dir(root)?;
    let wasm_opt = !no_opt && has_wasm_opt();
    if !no_opt && !wasm_opt {
        eprintln!("note: wasm-opt not found (Debian package `binaryen`); sizes are unoptimised");
    }

    // One cargo invocation per group of contracts asking stylus-sdk for the same features:
    // cargo then builds the group's contracts in parallel, while feature unification cannot
    // leak one contract's SDK features (e.g. `reentrant`) into another.
    let mut groups: BTreeMap<&[String], Vec<&Contract>> = BTreeMap::new();
    for c in &chosen {
        groups.entry(c.sdk_features.as_slice()).or_default().push(c);
    }
    for group in groups.values() {
        build(root, group)?;
    }
    // Post-processing (re-encode, wasm-opt, brotli-11) is single-threaded per contract: run
    // the contracts side by side.
    let rows: Vec<Row> = std::thread::scope(|scope| {
        let jobs: Vec<_> =
            chosen.iter().map(|c| scope.spawn(|| finish(&target, &out_dir, c, wasm_opt))).collect();
        jobs.into_iter()
            .map(|job| job.join().unwrap_or_else(|_| Err(anyhow::anyhow!("post-processing panicked"))))
            .collect::<Result<Vec<Row>>>()
    })?;
    print_table(&rows);
    let over: Vec<&Row> =
        rows.iter().filter(|r| r.compressed > MAX_COMPRESSED || r.raw > MAX_RAW).collect();
    let refused: Vec<String> =
        rows.iter().filter_map(|r| r.refused.as_ref().map(|why| format!("{}: {why}", r.name))).collect();
    if !over.is_empty() || !refused.is_empty() {
        let names: Vec<&str> = over.iter().map(|r| r.name.as_str()).collect();
        let mut problems = Vec::new();
        if !names.is_empty() {
            problems.push(format!("over the Stylus size limits: {}", names.join(", ")));
        }
        if !refused.is_empty() {
            problems.push(format!("nitro would not run:\n  {}", refused.join("\n  ")));
        }
        bail!("{}", problems.join("\n"));
    }
    println!("deployable code written to {}", out_dir.display());
    Ok(())
}

/// Builds a group of contracts' cdylibs with one cargo invocation.
fn build(root: &Path, group: &[&Contract]) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root)
        // Deployable code is compiled by plain rustc with the project's own flags
        // (.cargo/config.toml): a lint wrapper or host RUSTFLAGS from scripts/test must not
        // reach it (RUSTFLAGS would replace the wasm32 stack-size flag).
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .env_remove("RUSTFLAGS")
        .args(["build", "--release", "--lib", "--target", "wasm32-unknown-unknown"]);
    // Cargo joins this array to .cargo/config.toml's (the stack size flag stays).
    let remaps: Vec<String> = remap_flags(root)?.iter().map(|f| serde_json::Value::from(f.as_str()).to_string()).collect();
    cmd.arg("--config").arg(format!("target.wasm32-unknown-unknown.rustflags=[{}]", remaps.join(",")));
    for c in group {
        cmd.args(["-p", &c.package]);
    }
    let names: Vec<&str> = group.iter().map(|c| c.package.as_str()).collect();
    let status = cmd.status().with_context(|| format!("building {}", names.join(", ")))?;
    if !status.success() {
        bail!("cargo build of {} failed", names.join(", "));
    }
    Ok(())
}

/// `--remap-path-prefix` flags that cut the build machine's directories out of source paths:
/// the workspace's and cargo's registry sources' (the standard library's paths come
/// precompiled as `/rustc/<commit>/…`, which no flag changes).
///
/// Panic locations keep their source file's path in the program's data, and nitro charges
/// every call of a program — cached or not — 0.75 gas per byte of data (`cached_init_cost`,
/// stylus_code::nitro): a registry path is ~100 bytes. Without the machine's paths the code,
/// and so the codehash, is also the same whichever directory builds it.
fn remap_flags(root: &Path) -> Result<Vec<String>> {
    let remap = |from: &Path| format!("--remap-path-prefix={}/=", from.display());
    let mut flags = vec![remap(root)];
    let cargo_home = match std::env::var_os("CARGO_HOME") {
        Some(home) => PathBuf::from(home),
        None => PathBuf::from(std::env::var_os("HOME").context("neither CARGO_HOME nor HOME is set")?).join(".cargo"),
    };
    // One directory per registry index (`index.crates.io-<hash>`).
    if let Ok(indexes) = fs::read_dir(cargo_home.join("registry/src")) {
        for index in indexes {
            flags.push(remap(&index?.path()));
        }
    }
    Ok(flags)
}

/// Cargo's target directory for this workspace, as `cargo metadata` reports it: it honours
/// `CARGO_TARGET_DIR` (relative to where cargo runs) and `build.target-dir`, where cargo
/// writes the builds of [`build`]. The deployable code stays in `<root>/target/stylus`,
/// where the client and the tests look for it.
fn target_dir(root: &Path) -> Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root).args(["metadata", "--format-version", "1", "--no-deps"]);
    metadata_target_dir(&mut cmd)
}

/// Runs a `cargo metadata` command and returns its `target_directory`.
fn metadata_target_dir(cmd: &mut Command) -> Result<PathBuf> {
    let out = cmd.output().context("running cargo metadata")?;
    if !out.status.success() {
        bail!("cargo metadata failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).context("parsing cargo metadata")?;
    match metadata["target_directory"].as_str() {
        Some(dir) => Ok(PathBuf::from(dir)),
        None => bail!("cargo metadata has no target_directory"),
    }
}

/// Turns one built contract into deployable code in `out_dir` and measures it.
fn finish(target: &Path, out_dir: &Path, c: &Contract, wasm_opt: bool) -> Result<Row> {
    let built = target.join(format!("wasm32-unknown-unknown/release/{}.wasm", c.lib_stem));
    // Canonical re-encoding first: rustc's overlong call_indirect encodings would not
    // pass nitro's validation without it (stylus_code::process_wasm).
    let processed = stylus_code::process_wasm(&fs::read(&built).with_context(|| format!("reading {}", built.display()))?)?;
    // binaryen writes a DataCount section whenever bulk memory is on and the module has data
    // segments; nitro refuses the section.
    let wasm = if wasm_opt { stylus_code::strip_data_count(&optimise(&processed, out_dir, c)?)? } else { processed };
    let code = stylus_code::program_code(&wasm)?;
    let activation = activate(&wasm);
    fs::write(out_dir.join(format!("{}.wasm", c.name)), &wasm)?;
    fs::write(out_dir.join(format!("{}.code", c.name)), &code)?;
    Ok(Row {
        name: c.name.clone(),
        raw: wasm.len(),
        compressed: code.len() - 4,
        optimised: wasm_opt,
        refused: nitro_refusal(&activation),
        entry_costs: activation.as_ref().ok().map(|a| (a.init_cost, a.cached_init_cost)),
    })
}

/// Nitro's activation of `wasm` on Arbitrum One, offline (no gas limit).
fn activate(wasm: &[u8]) -> Result<stylus_code::nitro::Activation, stylus_code::nitro::NitroError> {
    let mut gas = u64::MAX;
    stylus_code::nitro::activate(wasm, &stylus_code::nitro::Config::default(), &mut gas)
}

/// Why nitro would refuse to activate a module on Arbitrum One, or could never run part of it.
fn nitro_refusal(activation: &Result<stylus_code::nitro::Activation, stylus_code::nitro::NitroError>) -> Option<String> {
    match activation {
        Err(e) => Some(format!("activation fails: {e}")),
        Ok(a) if a.unpriced_operators > 0 => Some(format!(
            "{} floating-point operators: nitro's meter prices them at u64::MAX ink, so any block \
             holding one runs out of gas",
            a.unpriced_operators
        )),
        Ok(_) => None,
    }
}

fn has_wasm_opt() -> bool {
    Command::new("wasm-opt").arg("--version").output().is_ok_and(|o| o.status.success())
}

fn optimise(wasm: &[u8], out_dir: &Path, c: &Contract) -> Result<Vec<u8>> {
    let input = out_dir.join(format!("{}.in.wasm", c.name));
    fs::write(&input, wasm)?;
    let tmp = out_dir.join(format!("{}.opt.wasm", c.name));
    let status = Command::new("wasm-opt")
        .arg(&input)
        .arg("-o")
        .arg(&tmp)
        .args(WASM_OPT_FLAGS)
        .status()
        .context("running wasm-opt")?;
    if !status.success() {
        bail!("wasm-opt failed on {}", c.name);
    }
    let bytes = fs::read(&tmp)?;
    fs::remove_file(&tmp)?;
    fs::remove_file(&input)?;
    Ok(bytes)
}

fn print_table(rows: &[Row]) {
    println!();
    println!(
        "{:<22} {:>10} {:>12} {:>10} {:>9} {:>7} {:>7}  status",
        "contract", "raw bytes", "brotli bytes", "limit", "headroom", "init", "cached"
    );
    for r in rows {
        let status = if r.compressed > MAX_COMPRESSED || r.raw > MAX_RAW {
            "OVER"
        } else if r.refused.is_some() {
            "REFUSED BY NITRO"
        } else {
            "ok"
        };
        let headroom = MAX_COMPRESSED as i64 - r.compressed as i64;
        let (init, cached) = r.entry_costs.map_or((String::new(), String::new()), |(i, c)| (i.to_string(), c.to_string()));
        println!(
            "{:<22} {:>10} {:>12} {:>10} {:>9} {:>7} {:>7}  {}{}",
            r.name,
            r.raw,
            r.compressed,
            MAX_COMPRESSED,
            headroom,
            init,
            cached,
            status,
            if r.optimised { "" } else { " (no wasm-opt)" }
        );
    }
    println!(
        "init, cached: nitro's entry costs of each program (stylus_code::nitro). With Arbitrum One's \
         scalars a call pays 352 + cached gas\nwhen the program is cached, 9,568 + init + cached \
         when not (devnet/README.md, \"Gas model\")."
    );
    println!();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built programs are read where cargo wrote them: under `CARGO_TARGET_DIR` when it
    /// is set (issue 9: xtask used to read `<root>/target` whatever cargo's target was).
    #[test]
    fn target_dir_follows_cargo_target_dir() -> Result<()> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let elsewhere = std::env::temp_dir().join("poco-xtask-target-dir-test");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut cmd = Command::new(&cargo);
        cmd.current_dir(&root)
            .env("CARGO_TARGET_DIR", &elsewhere)
            .args(["metadata", "--format-version", "1", "--no-deps"]);
        assert_eq!(metadata_target_dir(&mut cmd)?, elsewhere);
        let mut cmd = Command::new(&cargo);
        cmd.current_dir(&root)
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("CARGO_BUILD_TARGET_DIR")
            .args(["metadata", "--format-version", "1", "--no-deps"]);
        assert_eq!(metadata_target_dir(&mut cmd)?, fs::canonicalize(&root)?.join("target"));
        Ok(())
    }

    #[test]
    fn modules_nitro_refuses_are_reported_with_its_reason() {
        // A valid module whose only section is a DataCount section, as binaryen writes them.
        let with_data_count = b"\0asm\x01\0\0\0\x0c\x01\x00";
        let why = nitro_refusal(&activate(with_data_count)).unwrap_or_default();
        assert!(why.contains("unsupported section type DataCountSection"), "{why}");
        let stripped = stylus_code::strip_data_count(with_data_count).unwrap_or_default();
        let why = nitro_refusal(&activate(&stripped)).unwrap_or_default();
        assert!(why.contains("missing memory export with name memory"), "{why}");
    }
}
