//! Finds the deployable contracts of the workspace through `cargo metadata`.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;

/// One deployable Stylus contract.
#[derive(Debug, Clone)]
pub(crate) struct Contract {
    /// Cargo package name, e.g. `poco-rlc`.
    pub(crate) package: String,
    /// Short name used for artifacts and ABI files: the package name without `poco-`.
    pub(crate) name: String,
    /// File stem of the wasm cargo produces (`poco_rlc`).
    pub(crate) lib_stem: String,
    /// The export-abi binary (`required-features = ["export-abi"]`), if the crate has one.
    pub(crate) abi_bin: Option<String>,
    /// Features the contract asks of stylus-sdk (e.g. `reentrant`): contracts that ask the
    /// same can be built by one cargo invocation without one changing the other's code.
    pub(crate) sdk_features: Vec<String>,
}

/// The workspace root, from cargo itself so that the xtask runs from any folder.
pub(crate) fn workspace_root() -> Result<PathBuf> {
    let meta = metadata(None)?;
    let root = meta["workspace_root"]
        .as_str()
        .ok_or_else(|| anyhow!("cargo metadata has no workspace_root"))?;
    Ok(PathBuf::from(root))
}

fn metadata(root: Option<&Path>) -> Result<Value> {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(["metadata", "--no-deps", "--format-version", "1"]);
    if let Some(root) = root {
        cmd.current_dir(root);
    }
    let out = cmd.output().context("running cargo metadata")?;
    if !out.status.success() {
        bail!("cargo metadata failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    serde_json::from_slice(&out.stdout).context("parsing cargo metadata")
}

/// Every workspace package whose library target is a `cdylib`, sorted by name.
pub(crate) fn deployable(root: &Path) -> Result<Vec<Contract>> {
    let meta = metadata(Some(root))?;
    let packages = meta["packages"].as_array().ok_or_else(|| anyhow!("no packages"))?;
    let mut found = Vec::new();
    for pkg in packages {
        let package = pkg["name"].as_str().unwrap_or_default().to_string();
        let targets = pkg["targets"].as_array().cloned().unwrap_or_default();
        let lib = targets.iter().find(|t| {
            t["crate_types"].as_array().is_some_and(|c| c.iter().any(|k| k == "cdylib"))
        });
        let Some(lib) = lib else { continue };
        let lib_stem = lib["name"].as_str().unwrap_or_default().replace('-', "_");
        let abi_bin = targets
            .iter()
            .find(|t| {
                t["kind"].as_array().is_some_and(|k| k.iter().any(|k| k == "bin"))
                    && t["required-features"]
                        .as_array()
                        .is_some_and(|f| f.iter().any(|f| f == "export-abi"))
            })
            .and_then(|t| t["name"].as_str().map(String::from));
        let name = package.strip_prefix("poco-").unwrap_or(&package).to_string();
        let mut sdk_features: Vec<String> = pkg["dependencies"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|d| d["name"] == "stylus-sdk" && d["kind"].is_null())
            .flat_map(|d| d["features"].as_array().cloned().unwrap_or_default())
            .filter_map(|f| f.as_str().map(String::from))
            .collect();
        sdk_features.sort();
        found.push(Contract { package, name, lib_stem, abi_bin, sdk_features });
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

/// Keeps the contracts named on the command line (all when none is named).
pub(crate) fn select(all: Vec<Contract>, names: &[String]) -> Result<Vec<Contract>> {
    if names.is_empty() {
        return Ok(all);
    }
    let mut chosen = Vec::new();
    for n in names {
        let c = all
            .iter()
            .find(|c| &c.name == n || &c.package == n)
            .ok_or_else(|| anyhow!("unknown contract {n:?}"))?;
        chosen.push(c.clone());
    }
    Ok(chosen)
}

/// The `--features` list of every host build of the workspace (ABI export, clippy, tests):
/// each contract's `export-abi`. One list for all three keeps cargo's feature unification
/// identical between them, so they share compiled dependencies.
pub(crate) fn host_features(all: &[Contract]) -> String {
    let features: Vec<String> =
        all.iter().filter(|c| c.abi_bin.is_some()).map(|c| format!("{}/export-abi", c.package)).collect();
    features.join(",")
}
