//! Where the built programs and their ABIs are read from.

use std::{
    fs,
    path::{Path, PathBuf},
};

use alloy::json_abi::JsonAbi;
use anyhow::{bail, Context, Result};

/// The build outputs of this repository: program code and exported ABIs.
#[derive(Debug, Clone)]
pub struct Artifacts {
    /// `target/stylus`: `<contract>.code` (deployable Stylus code).
    pub code_dir: PathBuf,
    /// `abi`: `<contract>.json`.
    pub abi_dir: PathBuf,
}

impl Artifacts {
    /// The artifacts of the workspace at `root`.
    pub fn in_workspace(root: &Path) -> Self {
        Self { code_dir: root.join("target/stylus"), abi_dir: root.join("abi") }
    }

    /// The artifacts of this source tree (the workspace this crate was built in).
    pub fn of_this_workspace() -> Self {
        Self::in_workspace(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
    }

    /// Deployable code of `contract` (`EF F0 00 00` + brotli WASM).
    pub fn code(&self, contract: &str) -> Result<Vec<u8>> {
        let path = self.code_dir.join(format!("{contract}.code"));
        let code = fs::read(&path)
            .with_context(|| format!("reading {} (build the contracts with `cargo xtask wasm`)", path.display()))?;
        if !stylus_code::is_stylus(&code) {
            bail!("{} is not Stylus program code", path.display());
        }
        Ok(code)
    }

    /// Exported ABI of `contract`.
    pub fn abi(&self, contract: &str) -> Result<JsonAbi> {
        let path = self.abi_dir.join(format!("{contract}.json"));
        let text = fs::read_to_string(&path)
            .with_context(|| format!("reading {} (export it with `cargo xtask abi`)", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    }

    /// Names of the hub's facets (`abi/facet-*.json`), sorted.
    pub fn facets(&self) -> Result<Vec<String>> {
        let mut names = Vec::new();
        for entry in fs::read_dir(&self.abi_dir).with_context(|| format!("listing {}", self.abi_dir.display()))? {
            let name = entry?.file_name().to_string_lossy().into_owned();
            if let Some(stem) = name.strip_suffix(".json") {
                if stem.starts_with("facet-") {
                    names.push(stem.to_string());
                }
            }
        }
        names.sort();
        Ok(names)
    }
}
