//! The `poco` binary driven as users drive it, against a devnet with the protocol deployed
//! (one deployment for the whole story: it is the slow part). Providers deploy an app, a
//! dataset and a workerpool; a requester deposits, signs a request, fills it with the
//! providers' signed orders and reads the deal; a cancelled order cannot be filled and the
//! error says why; `app run` matches published orders and follows the task while the test
//! plays scheduler and worker with the lifecycle calls; every `--json` output parses.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

use std::{net::SocketAddr, path::Path, process::Output};

use alloy::{
    primitives::{hex, Address, Bytes, U256},
    providers::{Provider, ProviderBuilder},
    rpc::types::Filter,
    signers::local::PrivateKeySigner,
    network::TransactionBuilder,
    sol_types::{SolCall, SolEvent},
};
use assert_cmd::Command;
use poco_client::bindings::IPoco2;
use poco_e2e::{
    account,
    lifecycle::{authorize, digest, no_enclave_sign, worker, Vote},
    network,
};
use poco_facet_matching::OrdersMatched;
use serde_json::Value;

/// How to call `poco` against the test's devnet.
struct Poco {
    rpc: String,
    hub: Address,
    dir: tempfile::TempDir,
}

impl Poco {
    fn command(&self, key: Option<&PrivateKeySigner>, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("poco").unwrap();
        cmd.current_dir(self.dir.path())
            .env_remove("POCO_PRIVATE_KEY")
            .env_remove("POCO_CHAIN_FILE")
            .env("XDG_CONFIG_HOME", self.dir.path())
            .args(["--rpc", &self.rpc, "--hub", &self.hub.to_string()]);
        if let Some(key) = key {
            cmd.env("POCO_PRIVATE_KEY", hex::encode(key.to_bytes()));
        }
        cmd.args(args);
        cmd
    }

    /// Runs `poco --json ARGS` as `key`; it must succeed and print one JSON document.
    fn json(&self, key: Option<&PrivateKeySigner>, args: &[&str]) -> Value {
        let out = self.command(key, &[&["--json"], args].concat()).output().unwrap();
        assert!(out.status.success(), "poco {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("poco {args:?} printed no JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
    }

    /// Runs `poco ARGS` as `key`; it must fail with one line on stderr, which is returned.
    fn fails(&self, key: Option<&PrivateKeySigner>, args: &[&str]) -> String {
        let out: Output = self.command(key, args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!out.status.success(), "poco {args:?} should fail; printed {}", String::from_utf8_lossy(&out.stdout));
        assert!(stderr.starts_with("error: ") && stderr.trim_end().lines().count() == 1, "one error line: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        stderr
    }

    /// Runs `poco ARGS` (human output) as `key`; it must succeed; returns stdout.
    fn human(&self, key: Option<&PrivateKeySigner>, args: &[&str]) -> String {
        let out = self.command(key, args).output().unwrap();
        assert!(out.status.success(), "poco {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    fn file(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("no string `{key}` in {v}"))
}

fn address(v: &Value, key: &str) -> Address {
    text(v, key).parse().unwrap_or_else(|e| panic!("`{key}` of {v} is not an address: {e}"))
}

fn edit(path: &Path, change: impl FnOnce(&mut Value)) {
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    change(&mut v);
    std::fs::write(path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

#[test]
fn providers_and_a_requester_make_and_follow_a_deal() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let net = runtime.block_on(network()).unwrap();
    let poco = Poco { rpc: format!("http://{}", net.addr), hub: net.poco.hub, dir: tempfile::tempdir().unwrap() };
    let [owner, requester, app_dev, dataset_owner, scheduler] = [0, 1, 2, 3, 4].map(|i| account(i).unwrap());
    let w = worker(0).unwrap();

    // Providers deploy their assets; the registries say who owns what.
    let app = text(&poco.json(Some(&app_dev), &["app", "deploy", "--name", "hello", "--multiaddr", "docker.io/hello:1"]), "address")
        .to_string();
    let dataset =
        text(&poco.json(Some(&dataset_owner), &["dataset", "deploy", "--name", "data", "--multiaddr", "ipfs://data"]), "address")
            .to_string();
    let pool = text(&poco.json(Some(&scheduler), &["workerpool", "deploy", "--description", "pool"]), "address").to_string();
    let again = poco.fails(Some(&app_dev), &["app", "deploy", "--name", "hello", "--multiaddr", "docker.io/hello:1"]);
    assert!(again.contains("already deployed at"), "{again}");
    let shown = poco.json(None, &["app", "show", &app]);
    assert_eq!(address(&shown, "owner"), app_dev.address());
    assert_eq!(text(&shown, "multiaddr"), "docker.io/hello:1");
    let by_index = poco.json(Some(&app_dev), &["app", "show", "0"]);
    assert_eq!(address(&by_index, "address"), app.parse::<Address>().unwrap());
    assert_eq!(text(&poco.json(Some(&scheduler), &["workerpool", "count"]), "count"), "1");
    assert_eq!(address(&poco.json(None, &["dataset", "show", &dataset]), "owner"), dataset_owner.address());

    // The requester gets RLC from the owner and deposits it.
    for who in [&requester, &w, &scheduler] {
        poco.json(Some(&owner), &["wallet", "send-rlc", "1", "RLC", "--to", &who.address().to_string()]);
    }
    let wallet = poco.json(Some(&requester), &["wallet", "show"]);
    assert_eq!(text(&wallet, "nRLC"), "1000000000");
    let deposit = poco.json(Some(&requester), &["account", "deposit", "100"]);
    assert_eq!(text(&deposit, "stake"), "100");
    poco.json(Some(&w), &["account", "deposit", "100"]);
    let too_much = poco.fails(Some(&requester), &["account", "withdraw", "1000"]);
    assert!(too_much.contains("not enough stake"), "{too_much}");

    // Orders: templates, prices edited by hand, each signed by its owner.
    let orders = poco.file("orders.json");
    poco.json(None, &["order", "init", "--app", &app, "--dataset", &dataset, "--workerpool", &pool, "--file", &orders]);
    edit(Path::new(&orders), |v| {
        v["apporder"]["appprice"] = "3".into();
        v["apporder"]["volume"] = "2".into();
        v["datasetorder"]["datasetprice"] = "2".into();
        v["datasetorder"]["volume"] = "2".into();
        v["workerpoolorder"]["workerpoolprice"] = "5".into();
        v["workerpoolorder"]["volume"] = "2".into();
    });
    let init = poco.json(Some(&requester), &["order", "init", "--request", "--file", &orders]);
    assert_eq!(init["initialised"], serde_json::json!(["requestorder"]));
    let wrong = poco.fails(Some(&dataset_owner), &["order", "sign", "--app", "--file", &orders]);
    assert!(wrong.contains("is owned by") && wrong.contains("owner's key"), "{wrong}");
    for (key, flag) in [(&app_dev, "--app"), (&dataset_owner, "--dataset"), (&scheduler, "--workerpool"), (&requester, "--request")] {
        let signed = poco.json(Some(key), &["order", "sign", flag, "--file", &orders]);
        assert_eq!(signed["signed"].as_array().unwrap().len(), 1, "{signed}");
    }
    let before = poco.json(None, &["order", "show", "--file", &orders]);
    let remaining: Vec<&str> = before["orders"].as_array().unwrap().iter().map(|o| text(o, "remaining")).collect();
    assert_eq!(remaining, ["2", "2", "2", "1"]);

    // Without the workerpool owner's stake (30% of its price), no match: `fill` says so.
    let unstaked = poco.fails(Some(&requester), &["order", "fill", "--file", &orders]);
    assert!(unstaked.contains("workerpool's side") && unstaked.contains("poco account deposit"), "{unstaked}");
    poco.json(Some(&scheduler), &["account", "deposit", "100"]);

    // A tampered request signature reverts on chain; the error is PoCo's reason, decoded.
    let tampered = poco.file("tampered.json");
    std::fs::copy(&orders, &tampered).unwrap();
    edit(Path::new(&tampered), |v| v["requestorder"]["sign"] = format!("0x{}", "11".repeat(65)).into());
    let bad = poco.fails(Some(&requester), &["order", "fill", "--file", &tampered]);
    assert!(bad.contains("iExecV5-matchOrders-0x50") && bad.contains("poco order sign"), "{bad}");

    // The requester fills the orders and reads the deal.
    let deal = poco.json(Some(&requester), &["order", "fill", "--file", &orders]);
    let dealid = text(&deal, "dealid").to_string();
    assert_eq!(text(&deal, "volume"), "1");
    let shown = poco.json(None, &["deal", "show", &dealid]);
    assert_eq!(address(&shown, "requester"), requester.address());
    assert_eq!(text(&shown["app"], "price"), "3");
    assert_eq!(text(&shown, "botSize"), "1");
    assert_eq!(text(&shown["tasks"][0], "status"), "UNSET");
    let account = poco.json(Some(&requester), &["account", "show"]);
    assert_eq!((text(&account, "stake"), text(&account, "locked")), ("90", "10"));
    let task = text(&shown["tasks"][0], "taskid").to_string();
    let for_humans = poco.human(None, &["deal", "show", &dealid]);
    assert!(for_humans.contains("tasks (1):") && for_humans.contains(&format!("{task} UNSET")), "{for_humans}");
    let orders_for_humans = poco.human(None, &["order", "show", "--app", "--file", &orders]);
    assert!(orders_for_humans.contains("volume 2, consumed 1, remaining 1"), "{orders_for_humans}");
    assert_eq!(text(&poco.json(None, &["task", "show", &task]), "status"), "UNSET");
    let early = poco.fails(Some(&requester), &["task", "claim", &task]);
    assert!(early.contains("not initialized"), "{early}");
    let consumed = poco.json(None, &["order", "show", "--request", "--file", &orders]);
    assert_eq!(text(&consumed["orders"][0], "status"), "consumed or cancelled");
    let refill = poco.fails(Some(&requester), &["order", "fill", "--file", &orders]);
    assert!(refill.contains("request order") && refill.contains("fully consumed"), "{refill}");

    // A cancelled order cannot be filled, and the error says why.
    for (key, flag) in [(&app_dev, "--app"), (&dataset_owner, "--dataset"), (&scheduler, "--workerpool")] {
        poco.json(Some(key), &["order", "sign", flag, "--file", &orders]);
    }
    // Without a kind flag, a party signs what it may sign: the requester, its request only.
    let own = poco.json(Some(&requester), &["order", "sign", "--file", &orders]);
    assert_eq!(own["signed"].as_array().unwrap().len(), 1, "{own}");
    assert_eq!(text(&own["signed"][0], "kind"), "requestorder");
    let cancelled = poco.json(Some(&app_dev), &["order", "cancel", "--app", "--file", &orders]);
    assert_eq!(text(&cancelled[0], "action"), "cancelled");
    let refused = poco.fails(Some(&requester), &["order", "fill", "--file", &orders]);
    assert!(refused.contains("app order") && refused.contains("cancelled or fully consumed"), "{refused}");
    let twice = poco.fails(Some(&app_dev), &["order", "cancel", "--app", "--file", &orders]);
    assert!(twice.contains("already cancelled"), "{twice}");

    // A sponsor pays for someone else's request (`sponsorMatchOrders`).
    poco.json(Some(&app_dev), &["order", "sign", "--app", "--file", &orders]);
    poco.json(Some(&owner), &["account", "deposit", "100"]);
    let sponsored = poco.json(Some(&owner), &["order", "fill", "--sponsor", "--file", &orders]);
    let sponsored_deal = poco.json(None, &["deal", "show", text(&sponsored, "dealid")]);
    assert_eq!(address(&sponsored_deal, "sponsor"), owner.address());
    assert_eq!(address(&sponsored_deal, "requester"), requester.address());
    let owner_account = poco.json(Some(&owner), &["account", "show"]);
    assert_eq!((text(&owner_account, "stake"), text(&owner_account, "locked")), ("90", "10"));
    poco.json(Some(&requester), &["account", "withdraw", "5"]);
    assert_eq!(text(&poco.json(Some(&requester), &["account", "show"]), "stake"), "85");

    // A chain file of the user's names the hub: no --hub needed.
    let chains = poco.file("chains.toml");
    std::fs::write(&chains, format!("[local]\nrpc = \"{}\"\nchain-id = 412346\nhub = \"{}\"\n", poco.rpc, poco.hub)).unwrap();
    let from_file = Command::cargo_bin("poco")
        .unwrap()
        .args(["--json", "--chain", "local", "--chain-file", &chains, "category", "count"])
        .output()
        .unwrap();
    assert!(from_file.status.success(), "{}", String::from_utf8_lossy(&from_file.stderr));
    assert_eq!(serde_json::from_slice::<Value>(&from_file.stdout).unwrap()["count"], "5");

    // Categories.
    assert_eq!(text(&poco.json(None, &["category", "count"]), "count"), "5");
    assert_eq!(text(&poco.json(None, &["category", "show", "0"]), "name"), "XS");
    let not_owner = poco.fails(Some(&requester), &["category", "create", "--name", "Z", "--work-clock-time-ref", "60"]);
    assert!(not_owner.contains("createCategory reverted"), "{not_owner}");

    // `app run`: the providers publish fresh orders; the requester's run matches them and
    // follows the task while the test schedules and computes it.
    for (key, flag) in [(&app_dev, "--app"), (&scheduler, "--workerpool")] {
        poco.json(Some(key), &["order", "sign", flag, "--file", &orders]);
        let published = poco.json(Some(key), &["order", "publish", flag, "--file", &orders]);
        assert_eq!(text(&published[0], "action"), "published");
    }
    let mut run = std::process::Command::new(assert_cmd::cargo::cargo_bin("poco"));
    run.current_dir(poco.dir.path())
        .env("POCO_PRIVATE_KEY", hex::encode(requester.to_bytes()))
        .env("XDG_CONFIG_HOME", poco.dir.path())
        .args(["--rpc", &poco.rpc, "--hub", &poco.hub.to_string(), "--json", "app", "run", &app])
        .args(["--workerpool", &pool, "--params", "{\"iexec_args\":\"hi\"}", "--poll", "1", "--timeout", "120"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = run.spawn().unwrap();
    let results = runtime.block_on(compute_next_deal(net.addr, net.poco.hub, &scheduler, &w));
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "app run: {}", String::from_utf8_lossy(&out.stderr));
    let ran: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(text(&ran["tasks"][0], "status"), "COMPLETED", "{ran}");
    assert_eq!(text(&ran["tasks"][0], "results"), results);
    assert_eq!(text(&poco.json(None, &["task", "show", text(&ran["tasks"][0], "taskid")]), "status"), "COMPLETED");

    // The app changes hands.
    poco.json(Some(&app_dev), &["app", "transfer", &app, "--to", &requester.address().to_string()]);
    assert_eq!(address(&poco.json(None, &["app", "show", &app]), "owner"), requester.address());
    let not_yours = poco.fails(Some(&app_dev), &["app", "transfer", &app, "--to", &app_dev.address().to_string()]);
    assert!(not_yours.contains("belongs to"), "{not_yours}");

    // Past the final deadline, the first deal's task (never initialized) shows TIMEOUT and
    // its claim refunds the requester.
    let later = runtime.block_on(async {
        let p = ProviderBuilder::new().connect_http(poco.rpc.parse().unwrap());
        let now = poco_client::tasks::chain_time(&p).await.unwrap();
        let later = now + U256::from(100_000);
        let () = p.raw_request("evm_setNextBlockTimestamp".into(), (later.to::<u64>(),)).await.unwrap();
        later
    });
    poco.json(Some(&owner), &["wallet", "send-eth", "1", "--to", &requester.address().to_string()]);
    assert!(later > U256::ZERO);
    // `deal show` knows the deal's deadline; `task show` of a task never initialized does not.
    assert_eq!(text(&poco.json(None, &["deal", "show", &dealid])["tasks"][0], "status"), "TIMEOUT");
    assert_eq!(text(&poco.json(None, &["task", "show", &task]), "status"), "UNSET");
    let locked_before = poco.json(Some(&requester), &["account", "show"]);
    assert_eq!(text(&locked_before, "locked"), "10");
    let claimed = poco.json(Some(&owner), &["deal", "claim", &dealid]);
    assert_eq!(claimed["claimed"].as_array().unwrap().len(), 1, "{claimed}");
    assert_eq!(text(&poco.json(None, &["task", "show", &task]), "status"), "FAILED");
    let refunded = poco.json(Some(&requester), &["account", "show"]);
    // 85 after the withdrawal, 8 paid for the app run's task (app 3 + workerpool 5), the
    // first deal's 10 back.
    assert_eq!((text(&refunded, "stake"), text(&refunded, "locked")), ("87", "0"));
    let nothing = poco.fails(Some(&owner), &["deal", "claim", &dealid]);
    assert!(nothing.contains("nothing to claim"), "{nothing}");
}

/// Plays scheduler and worker for the next deal of `pool`: initialize, contribute, reveal,
/// finalize (what `test/src/lifecycle.rs` sends); returns the results it finalized with.
async fn compute_next_deal(addr: SocketAddr, hub: Address, scheduler: &PrivateKeySigner, w: &PrivateKeySigner) -> String {
    let reader = ProviderBuilder::new().connect_http(format!("http://{addr}").parse().unwrap());
    let start = reader.get_block_number().await.unwrap();
    let deal = loop {
        let filter = Filter::new().address(hub).event_signature(OrdersMatched::SIGNATURE_HASH).from_block(start);
        let logs = reader.get_logs(&filter).await.unwrap();
        if let Some(log) = logs.last() {
            break OrdersMatched::decode_log_data(log.data()).unwrap().dealid;
        }
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    };
    let send = |who: &PrivateKeySigner, data: Vec<u8>| {
        let p = poco_e2e::provider(addr, who.clone()).unwrap();
        async move {
            let tx = alloy::rpc::types::TransactionRequest::default()
                .with_to(hub)
                .with_input(Bytes::from(data))
                .with_gas_limit(8_000_000);
            let receipt = p.send_transaction(tx).await.unwrap().get_receipt().await.unwrap();
            assert!(receipt.status(), "lifecycle transaction reverted");
        }
    };
    send(scheduler, IPoco2::initializeCall { dealId: deal, index: U256::ZERO }.abi_encode()).await;
    let task = poco_core::ids::task_id(&deal, &U256::ZERO);
    let result = digest("hello");
    let vote = Vote::new(w.address(), task, result);
    let contribute = IPoco2::contributeCall {
        taskId: task,
        resultHash: vote.hash,
        resultSeal: vote.seal,
        enclaveChallenge: Address::ZERO,
        enclaveSign: no_enclave_sign(),
        authorizationSign: authorize(scheduler, w.address(), task, Address::ZERO),
    };
    send(w, contribute.abi_encode()).await;
    send(w, IPoco2::revealCall { taskId: task, resultDigest: result }.abi_encode()).await;
    let results = "{ \"storage\": \"ipfs\", \"location\": \"/ipfs/QmHello\" }";
    let finalize = IPoco2::finalizeCall { taskId: task, results: results.as_bytes().to_vec().into(), resultsCallback: Bytes::new() };
    send(scheduler, finalize.abi_encode()).await;
    results.to_string()
}
