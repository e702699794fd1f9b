//! Every deployable of the workspace (`target/stylus/<name>.code`, written by
//! `cargo xtask wasm`) deploys as it is and activates through `ArbWasm.activateProgram` under
//! nitro's rules, as cargo-stylus and `poco-client` deploy them.
//!
//! The deployables are the workspace's `cdylib` packages (as xtask finds them, through
//! `cargo metadata`), so a new contract is covered without editing this test; a missing
//! artifact fails the test and says how to build it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Command;

use alloy_primitives::U256;
use alloy_sol_types::SolCall;
use poco_devnet::stylus::arbwasm::{ArbWasm, ARB_WASM};
use poco_devnet::stylus::code::{deploy_init_code, is_stylus};
use poco_devnet::{revert_text, Devnet, DevnetConfig, TxRequest};

/// Artifact names of the workspace's deployable contracts: `cdylib` packages, `poco-` dropped.
fn deployable_names() -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
    let mut names: Vec<String> = meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .filter(|p| {
            p["targets"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|t| t["crate_types"].as_array().is_some_and(|c| c.iter().any(|k| k == "cdylib")))
        })
        .map(|p| {
            let name = p["name"].as_str().expect("package name");
            name.strip_prefix("poco-").unwrap_or(name).to_string()
        })
        .collect();
    names.sort();
    names
}

/// `target/stylus` (or `$CARGO_TARGET_DIR/stylus`).
fn stylus_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if PathBuf::from(&dir).join("stylus").is_dir() => PathBuf::from(dir).join("stylus"),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/stylus"),
    }
}

#[test]
fn every_deployable_activates_on_nitros_rules() {
    let names = deployable_names();
    assert!(names.len() >= 15, "the workspace has at least the fifteen programs of issue 7: {names:?}");
    let mut dev = Devnet::new(DevnetConfig::default()).expect("devnet");
    let alice = dev.accounts()[0];
    let dir = stylus_dir();
    let mut refused = Vec::new();
    for name in &names {
        let path = dir.join(format!("{name}.code"));
        let code = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{} is missing ({e}): run `cargo xtask wasm` first", path.display()));
        assert!(is_stylus(&code), "{} is not Stylus program code", path.display());
        let deployed =
            dev.send(TxRequest { from: alice, data: deploy_init_code(&code), ..Default::default() }).expect("deploy");
        let program = deployed.outcome.contract_address.unwrap_or_else(|| panic!("deploying {name} failed"));
        let activation = dev
            .send(TxRequest {
                from: alice,
                to: Some(ARB_WASM),
                data: ArbWasm::activateProgramCall { program }.abi_encode().into(),
                value: U256::from(10u64).pow(U256::from(18u64)),
                ..Default::default()
            })
            .expect("send activateProgram");
        if !activation.outcome.success {
            let why = activation.outcome.halt.clone().unwrap_or_else(|| revert_text(&activation.outcome.output));
            refused.push(format!("{name}: {why}"));
            continue;
        }
        let version = ArbWasm::activateProgramCall::abi_decode_returns(&activation.outcome.output).expect("returns");
        assert_eq!(version.version, 2, "{name}");
    }
    assert!(refused.is_empty(), "refused by nitro's rules:\n{}", refused.join("\n"));
}
