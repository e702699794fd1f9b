//! `poco deploy` and `poco upgrade` driven as an operator would, against a devnet served on a
//! loopback port: the record, a second run that sends nothing, a run stopped after its fifth
//! transaction and finished by the next, activation renewal after a year, and an upgrade of
//! one facet whose code changed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

use alloy::{
    hex,
    primitives::{keccak256, Address, FixedBytes, B256, U256},
    providers::{Provider, ProviderBuilder},
    sol_types::SolCall,
};
use poco_devnet::{rpc, DevnetConfig};
use serde_json::Value;

/// A devnet, a chain file naming it, and the owner's key.
struct Chain {
    addr: SocketAddr,
    _server: Box<dyn std::any::Any + Send + Sync>,
    dir: tempfile::TempDir,
    key: String,
}

impl Chain {
    async fn start() -> Chain {
        let devnet = rpc::DevnetHandle::spawn(DevnetConfig::default()).unwrap();
        let (addr, server) = rpc::serve(devnet, "127.0.0.1:0".parse().unwrap()).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("chains.toml"),
            format!("[devnet]\nrpc = \"http://{addr}\"\nchain-id = {}\n", poco_devnet::DEVNODE_CHAIN_ID),
        )
        .unwrap();
        let key = hex::encode_prefixed(poco_e2e::account(0).unwrap().to_bytes());
        Chain { addr, _server: Box::new(server), dir, key }
    }

    fn record_path(&self) -> PathBuf {
        self.dir.path().join("devnet.json")
    }

    fn record(&self) -> Value {
        serde_json::from_str(&std::fs::read_to_string(self.record_path()).unwrap()).unwrap()
    }

    /// Runs `poco <args> --json` with the owner's key (on chain `devnet` unless `args` name
    /// one); its exit success and JSON output.
    async fn poco(&self, args: &[&str], env: &[(&str, &str)]) -> (bool, Value) {
        let mut cmd = assert_cmd::Command::cargo_bin("poco").unwrap();
        cmd.arg("--chain-file").arg(self.dir.path().join("chains.toml")).arg("--json");
        if !args.contains(&"--chain") {
            cmd.args(["--chain", "devnet"]);
        }
        cmd.args(args).env("POCO_PRIVATE_KEY", &self.key).env_remove("POCO_DEPLOY_STOP_AFTER");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let output = tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let json = serde_json::from_str(stdout.trim())
            .or_else(|_| serde_json::from_str(stderr.trim()))
            .unwrap_or_else(|_| Value::String(format!("{stdout}{stderr}")));
        (output.status.success(), json)
    }

    fn provider(&self) -> impl Provider {
        ProviderBuilder::new().connect_http(format!("http://{}", self.addr).parse().unwrap())
    }

    async fn owner_nonce(&self) -> u64 {
        self.provider().get_transaction_count(poco_e2e::address(0).unwrap()).await.unwrap()
    }
}

fn address(v: &Value) -> Address {
    v.as_str().unwrap().parse().unwrap()
}

/// How many transactions a whole deployment takes: one per program, one per call.
fn transactions_of(record: &Value) -> usize {
    record["programs"].as_object().unwrap().len() + record["calls"].as_object().unwrap().len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deploy_writes_a_verifiable_record_then_a_second_run_sends_nothing_and_keepalive_renews() {
    let chain = Chain::start().await;
    let (ok, out) = chain.poco(&["deploy"], &[]).await;
    assert!(ok, "{out}");
    let record = chain.record();
    let sent = out["sent"].as_u64().unwrap() as usize;
    assert_eq!(sent, transactions_of(&record), "one transaction per program and per call");
    assert_eq!(chain.owner_nonce().await as usize, sent);

    // Every program: at its address, with its codehash, created in its transaction, paid.
    let facets = poco_client::Artifacts::of_this_workspace().facets().unwrap();
    let programs = record["programs"].as_object().unwrap();
    assert_eq!(programs.len(), 7 + 1 + facets.len(), "rlc, 3 entries, 3 registries, the router, the facets");
    let p = chain.provider();
    for (name, program) in programs {
        let code = p.get_code_at(address(&program["address"])).await.unwrap();
        assert_eq!(format!("{}", keccak256(&code)), program["codehash"].as_str().unwrap(), "{name}");
        let tx: FixedBytes<32> = program["tx"].as_str().unwrap().parse().unwrap();
        let receipt = p.get_transaction_receipt(tx).await.unwrap().unwrap();
        assert_eq!(receipt.to, Some(poco_client::deploy::stylus_deployer::STYLUS_DEPLOYER), "{name}");
        assert_eq!(Some(program["block"].as_u64().unwrap()), receipt.block_number, "{name}");
        let fee: U256 = program["data-fee"].as_str().unwrap().parse().unwrap();
        assert!(fee > U256::ZERO, "{name} paid an activation fee");
    }
    // The routing is the loupe's, every facet with the selectors of its ABI, and the router
    // with the functions it serves itself (deposits and withdrawals).
    let routing = record["routing"].as_object().unwrap();
    assert_eq!(routing.len(), facets.len() + 1);
    {
        use poco_client::bindings::IEscrow::{depositCall, depositForCall, withdrawCall, withdrawToCall};
        let mut own: Vec<String> = [depositCall::SELECTOR, depositForCall::SELECTOR, withdrawCall::SELECTOR, withdrawToCall::SELECTOR]
            .iter()
            .map(|s| FixedBytes(*s).to_string())
            .collect();
        own.sort();
        let recorded: Vec<String> =
            routing["hub-router"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect();
        assert_eq!(recorded, own, "deposit, depositFor, withdraw, withdrawTo, served by the router");
    }
    assert_eq!(record["addresses"]["hub"], programs["hub-router"]["address"]);
    assert_eq!(address(&record["owner"]), poco_e2e::address(0).unwrap());
    assert_eq!(record["calls"].as_object().unwrap().len(), 3 * 2 + 1 + 1 + 5);
    assert!(!record["revision"].as_str().unwrap().is_empty());

    // Second run: everything verified, no transaction, the same record.
    let (ok, again) = chain.poco(&["deploy"], &[]).await;
    assert!(ok, "{again}");
    assert_eq!(again["sent"], 0);
    assert!(again["steps"].as_array().unwrap().iter().all(|s| s["outcome"] == "verified"), "{again}");
    assert_eq!(chain.owner_nonce().await as usize, sent);
    assert_eq!(chain.record(), record);
    assert!(again["activations"].as_array().unwrap().iter().all(|a| a["activation"]["state"] == "active"));

    // 340 days later every activation is within 30 days of its end; --keepalive renews them.
    let year_less_25_days = 340 * 86_400u64;
    let _: Value = p.raw_request("evm_increaseTime".into(), (year_less_25_days,)).await.unwrap();
    let _: Value = p.raw_request("evm_mine".into(), ()).await.unwrap();
    let (ok, late) = chain.poco(&["deploy"], &[]).await;
    assert!(ok, "{late}");
    let left = late["activations"][0]["activation"]["seconds-left"].as_u64().unwrap_or_else(|| panic!("{late}"));
    assert!(left <= 30 * 86_400, "{late}");
    assert_eq!(late["sent"], 0, "reporting sends nothing");
    let (ok, renewed) = chain.poco(&["deploy", "--keepalive"], &[]).await;
    assert!(ok, "{renewed}");
    assert_eq!(renewed["renewals"].as_array().unwrap().len(), programs.len(), "{renewed}");
    assert!(renewed["renewals"].as_array().unwrap().iter().all(|r| r["kind"] == "keepalive"));
    let (ok, after) = chain.poco(&["deploy"], &[]).await;
    assert!(ok, "{after}");
    for a in after["activations"].as_array().unwrap() {
        assert!(a["activation"]["seconds-left"].as_u64().unwrap_or_else(|| panic!("{a}")) > 360 * 86_400, "{a}");
    }

    // Cache bids: placed for every program once, then they are cached.
    let (ok, bids) = chain.poco(&["deploy", "--cache-bid", "1000"], &[]).await;
    assert!(ok, "{bids}");
    let placed = bids["cache-bids"].as_array().unwrap();
    assert_eq!(placed.len(), programs.len());
    assert!(placed.iter().all(|b| b["outcome"] == "placed" && b["bid"] == "0x3e8"), "{bids}");
    let (ok, again) = chain.poco(&["deploy", "--cache-bid", "1000"], &[]).await;
    assert!(ok, "{again}");
    assert!(again["cache-bids"].as_array().unwrap().iter().all(|b| b["outcome"] == "cached"), "{again}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deployment_stopped_after_its_fifth_transaction_completes_on_the_next_run_without_repeating_it() {
    let chain = Chain::start().await;
    let (ok, out) = chain.poco(&["deploy"], &[("POCO_DEPLOY_STOP_AFTER", "5")]).await;
    assert!(!ok, "{out}");
    assert!(out.to_string().contains("stopped after transaction 5"), "{out}");
    assert_eq!(chain.owner_nonce().await, 5);
    let partial = chain.record();
    let known = transactions_of(&partial);
    assert_eq!(known, 4, "the fifth transaction was mined but not recorded: {partial}");

    let (ok, done) = chain.poco(&["deploy"], &[]).await;
    assert!(ok, "{done}");
    let record = chain.record();
    let total = transactions_of(&record);
    assert_eq!(done["sent"].as_u64().unwrap() as usize, total - 5, "nothing deployed or called twice");
    assert_eq!(chain.owner_nonce().await as usize, total);
    let found: Vec<_> =
        done["steps"].as_array().unwrap().iter().filter(|s| s["outcome"] == "found").map(|s| s["step"].clone()).collect();
    assert_eq!(found.len(), 1, "the unrecorded fifth transaction is found on chain: {done}");
    for (name, program) in partial["programs"].as_object().unwrap() {
        assert_eq!(record["programs"][name]["address"], program["address"], "{name} kept its address");
        assert_eq!(record["programs"][name]["tx"], program["tx"], "{name} kept its transaction");
    }
    assert_eq!(record["addresses"]["rlc"], partial["addresses"]["rlc"]);
    let (ok, again) = chain.poco(&["deploy"], &[]).await;
    assert!(ok && again["sent"] == 0, "{again}");
}

/// A copy of the built programs where `facet`'s WASM carries one more custom section: a
/// different program (another codehash, another module hash) that activates and behaves
/// exactly as the original.
fn code_dir_with_changed(facet: &str, into: &Path) -> PathBuf {
    let artifacts = poco_client::Artifacts::of_this_workspace();
    let dir = into.join("stylus");
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(&artifacts.code_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "code") {
            std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
    }
    let code = artifacts.code(facet).unwrap();
    let mut wasm = poco_devnet::stylus::code::decompress(&code, 1 << 20).unwrap();
    let (name, payload) = (b"poco-upgrade-test", b"v2");
    let body_len = 1 + name.len() + payload.len();
    wasm.extend_from_slice(&[0x00, body_len as u8, name.len() as u8]);
    wasm.extend_from_slice(name);
    wasm.extend_from_slice(payload);
    std::fs::write(dir.join(format!("{facet}.code")), poco_devnet::stylus::code::compress_wasm(&wasm)).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upgrade_replaces_only_the_changed_facet_and_the_hub_answers_every_selector() {
    let chain = Chain::start().await;
    let (ok, out) = chain.poco(&["deploy"], &[]).await;
    assert!(ok, "{out}");
    let before = chain.record();
    let changed = "facet-escrow";
    let code_dir = code_dir_with_changed(changed, chain.dir.path());
    let code_dir = code_dir.to_str().unwrap();

    // Nothing changed: nothing to cut.
    let (ok, idle) = chain.poco(&["upgrade"], &[]).await;
    assert!(ok, "{idle}");
    assert_eq!((idle["sent"].clone(), idle["cut"].clone()), (Value::from(0), Value::Null), "{idle}");

    let nonce = chain.owner_nonce().await;
    let (ok, up) = chain.poco(&["upgrade", "--code-dir", code_dir], &[]).await;
    assert!(ok, "{up}");
    assert_eq!(up["sent"], 2, "one deployment, one diamondCut: {up}");
    assert_eq!(chain.owner_nonce().await, nonce + 2);
    let replaced = up["replaced"].as_object().unwrap();
    assert_eq!(replaced.keys().collect::<Vec<_>>(), vec![changed], "{up}");
    assert_eq!(replaced[changed], before["programs"][changed]["address"]);
    assert!(up["cut"]["added"].as_array().unwrap().is_empty() && up["cut"]["removed"].as_array().unwrap().is_empty());
    let hub_functions = poco_client::Artifacts::of_this_workspace().abi("hub").unwrap().functions().count();
    assert_eq!(up["checked"].as_u64().unwrap() as usize, hub_functions);

    let after = chain.record();
    let new_escrow = address(&after["addresses"]["facets"][changed]);
    assert_ne!(new_escrow, address(&before["addresses"]["facets"][changed]));
    for (facet, address) in before["addresses"]["facets"].as_object().unwrap() {
        if facet != changed {
            assert_eq!(&after["addresses"]["facets"][facet], address, "{facet} untouched");
        }
    }
    assert_eq!(after["routing"], before["routing"], "same selectors, facet by facet");
    assert_eq!(after["upgrades"].as_array().unwrap().len(), 1);

    // The hub serves the escrow's functions from the new program.
    let p = chain.provider();
    let hub = address(&after["addresses"]["hub"]);
    let escrow = poco_client::bindings::IEscrow::new(hub, &p);
    let owner = poco_e2e::address(0).unwrap();
    let call = escrow.transfer(poco_e2e::address(1).unwrap(), U256::ZERO).from(owner);
    assert!(call.call().await.unwrap(), "an escrow function answers through the new facet");
    let diamond = poco_client::deploy::routing::IHubDiamond::new(hub, &p);
    let selector = poco_client::bindings::IEscrow::transferCall::SELECTOR;
    assert_eq!(diamond.facetAddress(selector.into()).call().await.unwrap(), new_escrow);

    // A deploy with the new code verifies; again, an upgrade sends nothing.
    let (ok, verify) = chain.poco(&["deploy", "--code-dir", code_dir], &[]).await;
    assert!(ok && verify["sent"] == 0, "{verify}");
    let (ok, idle) = chain.poco(&["upgrade", "--code-dir", code_dir], &[]).await;
    assert!(ok && idle["sent"] == 0, "{idle}");
}

/// What `cargo stylus check --endpoint` asks the node (stylus-tools 0.10.10, `core/check.rs`
/// and `core/activation.rs`), for every built program: `ArbWasm.codehashVersion` answers
/// `ProgramNotActivated` for code never activated, then `activateProgram` in an `eth_call`
/// from a fresh sender given `U256::MAX` wei by a state override, with the code overridden
/// onto a fresh address and 1 ETH of value, returns the Stylus version and a data fee.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_program_passes_what_cargo_stylus_check_asks_the_devnet() {
    use alloy::{
        network::TransactionBuilder,
        rpc::types::{
            state::{AccountOverride, StateOverride},
            TransactionRequest,
        },
        sol_types::SolError,
    };
    use poco_client::deploy::activation::IArbWasmPrograms as ArbWasm;
    let chain = Chain::start().await;
    let p = chain.provider();
    let artifacts = poco_client::Artifacts::of_this_workspace();
    let mut names: Vec<String> = std::fs::read_dir(&artifacts.code_dir)
        .unwrap()
        .filter_map(|e| e.unwrap().file_name().to_str().and_then(|n| n.strip_suffix(".code")).map(String::from))
        .collect();
    names.sort();
    assert!(names.len() >= 22, "{names:?}");
    let arb_wasm = ArbWasm::new(poco_client::stylus::ARB_WASM, &p);
    for name in &names {
        let code = artifacts.code(name).unwrap();
        let unknown = arb_wasm.codehashVersion(keccak256(&code)).call().await.unwrap_err();
        let data = unknown.as_revert_data().unwrap();
        assert!(ArbWasm::ProgramNotActivated::abi_decode(&data).is_ok(), "{name}: {unknown}");

        // Fresh addresses, as cargo-stylus' random ones.
        let fresh = |what: &str| Address::from_word(keccak256(format!("{what} of {name}")));
        let (sender, program) = (fresh("sender"), fresh("program"));
        let mut overrides = StateOverride::default();
        overrides.insert(sender, AccountOverride { balance: Some(U256::MAX), ..Default::default() });
        overrides.insert(program, AccountOverride { code: Some(code.into()), ..Default::default() });
        let call = ArbWasm::activateProgramCall { program };
        let tx = TransactionRequest::default()
            .with_from(sender)
            .with_to(poco_client::stylus::ARB_WASM)
            .with_input(call.abi_encode())
            .with_value(U256::from(10u64).pow(U256::from(18u64)));
        let out = p.call(tx).overrides(overrides).await.unwrap_or_else(|e| panic!("{name}: {e}"));
        let answer = ArbWasm::activateProgramCall::abi_decode_returns(&out).unwrap();
        assert!(answer.version > 0 && answer.dataFee > U256::ZERO, "{name}");
    }
}

/// A chain whose file names an RLC (Arbitrum One, Sepolia) gets no RLC of ours: the hub is
/// configured with that token. Here the RLC is a first deployment's, and the second
/// deployment, under another `--salt`, is a distinct protocol on the same chain.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chain_with_its_own_rlc_uses_it_and_another_salt_is_another_deployment() {
    let chain = Chain::start().await;
    let (ok, first) = chain.poco(&["deploy"], &[]).await;
    assert!(ok, "{first}");
    let rlc = address(&chain.record()["addresses"]["rlc"]);
    let file = chain.dir.path().join("chains.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\n[with-rlc]\nrpc = \"http://{}\"\nchain-id = {}\nrlc = \"{rlc}\"\n", chain.addr, poco_devnet::DEVNODE_CHAIN_ID)).unwrap();
    let salt = format!("{}", B256::repeat_byte(0x11));
    let (ok, second) = chain.poco(&["--chain", "with-rlc", "deploy", "--salt", &salt], &[]).await;
    assert!(ok, "{second}");
    let record: Value = serde_json::from_str(&std::fs::read_to_string(chain.dir.path().join("with-rlc.json")).unwrap()).unwrap();
    assert_eq!(record["external-rlc"], true);
    assert!(record["programs"].get("rlc").is_none(), "no RLC deployed");
    assert_eq!(address(&record["addresses"]["rlc"]), rlc);
    assert_eq!(record["salt"], salt);
    let hub = address(&record["addresses"]["hub"]);
    assert_ne!(hub, address(&chain.record()["addresses"]["hub"]), "another salt, another hub");
    let p = chain.provider();
    assert_eq!(poco_client::bindings::IHub::new(hub, &p).token().call().await.unwrap(), rlc);
    // The record's salt is kept: another one is refused rather than mixing deployments.
    let (ok, mixed) = chain.poco(&["--chain", "with-rlc", "deploy"], &[]).await;
    assert!(ok && mixed["sent"] == 0, "{mixed}");
    let other = format!("{}", B256::repeat_byte(0x22));
    let (ok, refused) = chain.poco(&["--chain", "with-rlc", "deploy", "--salt", &other], &[]).await;
    assert!(!ok && refused.to_string().contains("salt"), "{refused}");
}
