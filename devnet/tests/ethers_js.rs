//! The devnet driven by ethers v6 from Node.js, as JavaScript dApps use it: interval mining
//! (250 ms is the documented choice for JavaScript clients; the test seals every second so
//! that three sends fit in one interval even on a loaded CI machine) lets a default
//! `JsonRpcProvider`, whose identical requests are cached for 250 ms, send transactions back
//! to back, and a reused nonce is answered in geth's words (ethers: `NONCE_EXPIRED`).
//!
//! Needs `node` and `npm` (installed by `.ci/run`); ethers is installed on first use into
//! `target/ethers-js` (not committed).
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use alloy_signer_local::{coins_bip39::English, MnemonicBuilder};
use poco_devnet::rpc::{serve, DevnetHandle};
use poco_devnet::{DevnetConfig, DEV_MNEMONIC};

/// `target/ethers-js`, with ethers 6 installed by npm when it is not there yet.
fn ethers_dir() -> PathBuf {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"),
    };
    let dir = target.join("ethers-js");
    if !dir.join("node_modules/ethers/package.json").is_file() {
        std::fs::create_dir_all(&dir).expect("create target/ethers-js");
        let status = Command::new("npm")
            .args(["install", "--prefix", ".", "ethers@6", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .status()
            .expect("npm must be installed (.ci/run installs Node.js and npm)");
        assert!(status.success(), "npm install ethers@6 failed in {}", dir.display());
    }
    // ES modules resolve packages from the script's folder: the script runs from there.
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/js/back_to_back.mjs");
    std::fs::copy(&script, dir.join("back_to_back.mjs")).expect("copy the script");
    dir
}

fn private_key(index: u32) -> String {
    let signer = MnemonicBuilder::<English>::default().phrase(DEV_MNEMONIC).index(index).unwrap().build().unwrap();
    format!("0x{}", alloy_primitives::hex::encode(signer.to_bytes()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ethers_v6_sends_transactions_back_to_back_under_interval_mining() {
    let dir = tokio::task::spawn_blocking(ethers_dir).await.unwrap();
    let config = DevnetConfig { block_time: Some(Duration::from_secs(1)), ..Default::default() };
    let devnet = DevnetHandle::spawn(config).expect("devnet");
    let (addr, server) = serve(devnet.clone(), "127.0.0.1:0".parse().unwrap()).await.expect("serve");
    let url = format!("http://{addr}");
    let (a, b) = (private_key(1), private_key(2));
    let run = tokio::task::spawn_blocking(move || {
        Command::new("node").arg("back_to_back.mjs").args([&url, &a, &b]).current_dir(&dir).output()
    });
    let out = tokio::time::timeout(Duration::from_secs(90), run).await.expect("ethers script timed out").unwrap();
    let out = out.expect("node must be installed (.ci/run installs Node.js)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "ethers script failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let seen: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON line");
    assert_eq!(seen["nonces"], serde_json::json!([0, 1, 2]));
    assert_eq!(seen["stale"], "NONCE_EXPIRED");
    // 3 + 3·2 + 3 + 0 wei: every transaction that was to land landed once.
    assert_eq!(seen["balance"], "12");
    // The signer's three transactions, sent back to back within one interval (they take a
    // few milliseconds each), fall in at most two blocks: some share one.
    let blocks: Vec<u64> = seen["blocks"].as_array().unwrap().iter().map(|b| b.as_u64().unwrap()).collect();
    assert!(blocks.windows(2).all(|w| w[0] <= w[1]), "{blocks:?}");
    let mut distinct = blocks.clone();
    distinct.dedup();
    assert!(distinct.len() < blocks.len(), "back-to-back transactions in one block: {blocks:?}");
    let sizes = devnet
        .run(move |d| distinct.iter().map(|n| d.block(*n).map_or(0, |b| b.transactions.len())).sum::<usize>())
        .await
        .unwrap();
    assert_eq!(sizes, 3, "the blocks hold the three transactions and nothing else");
    server.stop().unwrap();
}
