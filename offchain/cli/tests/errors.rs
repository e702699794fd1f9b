//! `poco`'s failures users meet before any protocol rule: a bad key, a wrong chain id, an
//! unreachable endpoint, a hub address with no contract — each one line on stderr saying
//! what to do, a non-zero exit code, no panic, no secret echoed; with `--json`, a JSON
//! `{"error": ...}` on stdout as well. A bare devnet is enough (nothing is deployed).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

use assert_cmd::Command;
use poco_devnet::{rpc, DevnetConfig};
use serde_json::Value;

const SOMEONE: &str = "0x00000000000000000000000000000000000000aa";

fn poco(home: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("poco")
        .unwrap()
        .env_remove("POCO_PRIVATE_KEY")
        .env_remove("POCO_HUB")
        .env_remove("POCO_RPC")
        .env("XDG_CONFIG_HOME", home)
        .current_dir(home)
        .args(args)
        .output()
        .unwrap()
}

/// The one stderr line of a failed run.
fn failure(out: &std::process::Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "should fail: {}", String::from_utf8_lossy(&out.stdout));
    assert!(stderr.starts_with("error: ") && stderr.trim_end().lines().count() == 1, "one error line: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn bad_keys_wrong_chains_unreachable_nodes_and_missing_hubs_say_what_to_do() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (addr, _server) = runtime.block_on(async {
        let devnet = rpc::DevnetHandle::spawn(DevnetConfig::default()).unwrap();
        rpc::serve(devnet, "127.0.0.1:0".parse().unwrap()).await.unwrap()
    });
    let home = tempfile::tempdir().unwrap();
    let rpc = format!("http://{addr}");

    // A key that is not one: refused without echoing it.
    let secret = "0x1234567890abcdef";
    let bad_key = failure(&poco(home.path(), &["--rpc", &rpc, "--private-key", secret, "wallet", "show"]));
    assert!(bad_key.contains("--private-key") && bad_key.contains("64 hex digits"), "{bad_key}");
    assert!(!bad_key.contains("1234567890abcdef"), "the key leaked: {bad_key}");
    let keystore = failure(&poco(home.path(), &["--rpc", &rpc, "--keystore", "nowhere.json", "wallet", "show"]));
    assert!(keystore.contains("password"), "{keystore}");

    // The devnet serves 412346, not Arbitrum One's 42161.
    let wrong_chain = failure(&poco(home.path(), &["--chain", "arbitrum-one", "--rpc", &rpc, "account", "show", SOMEONE]));
    assert!(
        wrong_chain.contains("serves chain id 412346") && wrong_chain.contains("42161") && wrong_chain.contains("--chain"),
        "{wrong_chain}"
    );
    let unknown_chain = failure(&poco(home.path(), &["--chain", "mars", "account", "show", SOMEONE]));
    assert!(unknown_chain.contains("no chain `mars`") && unknown_chain.contains("arbitrum-sepolia"), "{unknown_chain}");

    // Nobody listens on port 1.
    let unreachable = failure(&poco(home.path(), &["--rpc", "http://127.0.0.1:1", "account", "show", SOMEONE]));
    assert!(unreachable.contains("cannot reach") && unreachable.contains("poco devnet"), "{unreachable}");

    // No protocol on this devnet: no hub known, then a hub address without code.
    let no_hub = failure(&poco(home.path(), &["--rpc", &rpc, "account", "show", SOMEONE]));
    assert!(no_hub.contains("no hub known") && no_hub.contains("--hub"), "{no_hub}");
    let empty_hub = failure(&poco(home.path(), &["--rpc", &rpc, "--hub", SOMEONE, "account", "show", SOMEONE]));
    assert!(empty_hub.contains("no contract at the hub address"), "{empty_hub}");

    // Scripts get a JSON document either way.
    let out = poco(home.path(), &["--json", "--rpc", "http://127.0.0.1:1", "account", "show", SOMEONE]);
    failure(&out);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["error"].as_str().unwrap().contains("cannot reach"), "{doc}");

    // A keystore signs once its password is given; a wrong one is refused as such.
    let dev = poco_e2e::account(7).unwrap();
    let (_, _) = alloy::signers::local::PrivateKeySigner::encrypt_keystore(
        home.path(),
        &mut rand::thread_rng(),
        dev.to_bytes(),
        "secret",
        Some("key.json"),
    )
    .unwrap();
    std::fs::write(home.path().join("pw"), "secret\n").unwrap();
    std::fs::write(home.path().join("bad-pw"), "guess\n").unwrap();
    let send = ["--json", "--rpc", &rpc, "--keystore", "key.json", "wallet", "send-eth", "1", "gwei", "--to", SOMEONE];
    let sent = poco(home.path(), &[&send[..], &["--password-file", "pw"]].concat());
    assert!(sent.status.success(), "{}", String::from_utf8_lossy(&sent.stderr));
    assert_eq!(serde_json::from_slice::<Value>(&sent.stdout).unwrap()["wei"], "1000000000");
    let wrong = failure(&poco(home.path(), &[&send[..], &["--password-file", "bad-pw"]].concat()));
    assert!(wrong.contains("wrong password") && !wrong.contains("guess"), "{wrong}");

    // A signing command without any key says how to give one.
    let keyless = failure(&poco(home.path(), &["--rpc", &rpc, "wallet", "send-eth", "1", "--to", SOMEONE]));
    assert!(keyless.contains("POCO_PRIVATE_KEY") && keyless.contains("--keystore"), "{keyless}");
}
