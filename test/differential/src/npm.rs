//! iExec's compiled PoCo, fetched from npm at test time and never committed: `npm pack
//! @iexec/poco@6.1.0` (the version `../shared/reference/abi/` was taken from, and the
//! latest on npm) unpacked into `target/poco-npm/`. Its hardhat artifacts hold every facet's
//! creation bytecode with unresolved library references, which [`Artifact::linked`] fills.

use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
};

use alloy::{
    json_abi::JsonAbi,
    primitives::{hex, Address, Bytes},
};
use anyhow::{bail, ensure, Context, Result};
use serde_json::Value;

/// The npm version of `@iexec/poco` the reference ABI comes from.
pub const POCO_NPM_VERSION: &str = "6.1.0";

/// The unpacked npm package.
pub struct PocoPackage {
    root: PathBuf,
}

/// One contract's hardhat artifact.
pub struct Artifact {
    /// Contract name.
    pub name: String,
    /// Its ABI.
    pub abi: JsonAbi,
    /// Creation bytecode as hex (may hold `__$…$__` library placeholders).
    bytecode: String,
    /// Library placeholders: (library name, byte offsets).
    links: Vec<(String, Vec<usize>)>,
}

impl PocoPackage {
    /// The package under `target/poco-npm/`, fetched with npm first when missing. Several
    /// test processes may start at once: each unpacks into its own folder and renames it
    /// into place, so a reader never sees a half-written package.
    pub fn fetch() -> Result<Self> {
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/poco-npm");
        let root = base.join(format!("iexec-poco-{POCO_NPM_VERSION}"));
        if root.join("package/package.json").exists() {
            return Ok(Self { root: root.join("package") });
        }
        let work = base.join(format!("tmp-{}", std::process::id()));
        fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
        let spec = format!("@iexec/poco@{POCO_NPM_VERSION}");
        let out = Command::new("npm")
            .args(["pack", &spec, "--silent"])
            .current_dir(&work)
            .output()
            .context("running `npm pack` (Node.js/npm must be installed; .ci/run installs them)")?;
        ensure!(out.status.success(), "npm pack {spec} failed: {}", String::from_utf8_lossy(&out.stderr));
        let tarball = format!("iexec-poco-{POCO_NPM_VERSION}.tgz");
        let out = Command::new("tar").args(["xzf", &tarball]).current_dir(&work).output().context("running tar")?;
        ensure!(out.status.success(), "unpacking {tarball}: {}", String::from_utf8_lossy(&out.stderr));
        if let Err(e) = fs::rename(&work, &root) {
            // Another process won the race: its copy is as good as ours.
            let _ = fs::remove_dir_all(&work);
            ensure!(root.join("package/package.json").exists(), "moving the package into {}: {e}", root.display());
        }
        Ok(Self { root: root.join("package") })
    }

    /// The artifact of contract `name` (searched under `artifacts/contracts/`).
    pub fn artifact(&self, name: &str) -> Result<Artifact> {
        let path = find(&self.root.join("artifacts/contracts"), &format!("{name}.json"))?
            .with_context(|| format!("no artifact {name}.json in @iexec/poco {POCO_NPM_VERSION}"))?;
        let json: Value = serde_json::from_str(&fs::read_to_string(&path)?).with_context(|| format!("parsing {}", path.display()))?;
        let abi: JsonAbi = serde_json::from_value(json["abi"].clone()).with_context(|| format!("ABI of {name}"))?;
        let bytecode = json["bytecode"].as_str().context("artifact without bytecode")?.trim_start_matches("0x").to_string();
        let mut links = Vec::new();
        if let Some(files) = json["linkReferences"].as_object() {
            for libs in files.values() {
                for (lib, places) in libs.as_object().into_iter().flatten() {
                    let offsets = places
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|p| p["start"].as_u64().and_then(|s| usize::try_from(s).ok()))
                        .collect();
                    links.push((lib.clone(), offsets));
                }
            }
        }
        Ok(Artifact { name: name.into(), abi, bytecode, links })
    }
}

impl Artifact {
    /// Names of the libraries the bytecode must be linked with.
    pub fn libraries(&self) -> Vec<&str> {
        self.links.iter().map(|(l, _)| l.as_str()).collect()
    }

    /// The creation bytecode with every library placeholder replaced by `resolve(library)`.
    pub fn linked(&self, resolve: impl Fn(&str) -> Option<Address>) -> Result<Bytes> {
        let mut code = self.bytecode.clone();
        for (lib, offsets) in &self.links {
            let address = resolve(lib).with_context(|| format!("{} needs library {lib}", self.name))?;
            let hex_address = hex::encode(address);
            for &offset in offsets {
                let at = 2 * offset;
                ensure!(code.get(at..at + 40).is_some_and(|p| p.starts_with("__$")), "{}: no placeholder at {offset}", self.name);
                code.replace_range(at..at + 40, &hex_address);
            }
        }
        if code.contains("__$") {
            bail!("{}: unresolved library placeholder left", self.name);
        }
        Ok(hex::decode(&code).with_context(|| format!("{}: bytecode is not hex", self.name))?.into())
    }
}

/// The first file named `file` under `dir`, depth first.
fn find(dir: &Path, file: &str) -> Result<Option<PathBuf>> {
    for entry in fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            if let Some(found) = find(&path, file)? {
                return Ok(Some(found));
            }
        } else if path.file_name().is_some_and(|n| n == file) {
            return Ok(Some(path));
        }
    }
    Ok(None)
}
