//! `poco devnet --deploy` as users start it: a child process that prints the chain's URL
//! and the deployed hub, then serves until stopped; `poco` commands work against it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

use std::io::{BufRead, BufReader};

use assert_cmd::Command;
use serde_json::Value;

#[test]
fn devnet_deploy_prints_a_working_hub() {
    let home = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("poco"))
        .args(["--json", "devnet", "--port", "0", "--deploy"])
        .env("XDG_CONFIG_HOME", home.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let started: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
    let (rpc, hub) = (started["rpc"].as_str().unwrap(), started["hub"].as_str().unwrap());
    assert_eq!(started["chainId"], 412346);
    assert_eq!(started["accounts"].as_array().unwrap().len(), 10);
    let out = Command::cargo_bin("poco")
        .unwrap()
        .env("XDG_CONFIG_HOME", home.path())
        .args(["--json", "--rpc", rpc, "--hub", hub, "category", "count"])
        .output()
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(serde_json::from_slice::<Value>(&out.stdout).unwrap()["count"], "5");
}
