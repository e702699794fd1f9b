//! Gas report of the protocol on the devnet, printed as tables: deploys everything from this
//! tree's build outputs (`cargo xtask wasm` first), then
//! 1. the marketplace's hot paths (createApp, deposits, matchOrders);
//! 2. PoCo's six reference lifecycle scenarios of issue 8 (A3, B, B0, D, C, A5) with exactly
//!    its inputs, per transaction and per scenario, beside Solidity PoCo 6.1.0's figures;
//! 3. the entry gas each Stylus program pays per call (`ArbWasm.programInitGas`).
//!
//! `cargo run -p poco-e2e --bin gas-report` (scripts/test runs it). Where the figures come
//! from: the Solidity column is the fixed table of issue 8 ("Solidity PoCo 6.1.0, measured on
//! a plain EVM chain", steady state), plus createApp's average from PoCo's gas reports
//! (PROTOCOL.md §5.1); our column is `gasUsed` on the devnet, whose Stylus pricing is a model
//! of nitro's (devnet/README.md): a program's first call in a block pays its full entry, a
//! later one in the same block (the same transaction, here: one per block) its cached entry;
//! the CacheManager (programs cached by bid) is not modelled. The scenarios run through
//! the lifecycle harness, so each is also checked against the model of PoCo's rules, and
//! after one warm-up deal, so that none is the first deal of the deployment.

use alloy::{
    network::TransactionBuilder,
    primitives::{Address, Bytes, B256, U256},
    providers::Provider,
    rpc::types::TransactionRequest,
    sol_types::SolCall,
};
use anyhow::{ensure, Context, Result};
use poco_core::{constants::TAG_TEE, status::TaskStatusEnum};
use poco_devnet::stylus::arbwasm::{ArbWasm, ARB_WASM};
use poco_e2e::{
    account,
    bindings::IAppRegistry,
    lifecycle::{digest, enclave_key, Harness, Sent, REFERENCE_RESULTS},
    market::{confirm, deposit, match_orders, register_assets, signed_orders, Actors, DealTerms},
    network, provider,
};

/// AppRegistry.createApp's average in PoCo's gas reports (PROTOCOL.md §5.1, source B).
const SOLIDITY_CREATE_APP: u64 = 625_505;
/// B's matchOrders (with dataset, reference params), issue 8.
const SOLIDITY_MATCH_ORDERS: u64 = 909_389;

/// Workers of the report, by scenario: the warm-up deal's, then each scenario's own, so that
/// every scenario's workers are fresh (score 0), as the references were measured.
const WARM_UP: usize = 0;
const A3: [usize; 2] = [1, 2];
const B: usize = 3;
const B0: usize = 4;
const D: usize = 5;
const A5: [usize; 3] = [6, 7, 8];
const WORKERS: u32 = 9;

fn ratio(gas: u64, solidity: u64) -> String {
    format!("{:.2}×", gas as f64 / solidity as f64)
}

/// `n` with thousands separators, as the reference figures are written.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn row(what: &str, gas: u64, solidity: Option<u64>) {
    match solidity {
        Some(s) => println!("{what:<46} {:>10} {:>12} {:>7}", thousands(gas), thousands(s), ratio(gas, s)),
        None => println!("{what:<46} {:>10}", thousands(gas)),
    }
}

/// One scenario's transactions: label, gasUsed, Solidity's figure when issue 8 gives it.
struct Scenario {
    name: &'static str,
    solidity_total: u64,
    rows: Vec<(String, u64, Option<u64>)>,
}

impl Scenario {
    fn new(name: &'static str, solidity_total: u64) -> Self {
        Self { name, solidity_total, rows: Vec::new() }
    }

    /// Records a transaction that must have succeeded.
    fn tx(&mut self, what: &str, sent: &Sent, solidity: Option<u64>) -> Result<()> {
        ensure!(sent.ok(), "{}: {what} reverted ({:?})", self.name, sent.revert);
        self.rows.push((what.to_string(), sent.receipt.gas_used, solidity));
        Ok(())
    }

    fn total(&self) -> u64 {
        self.rows.iter().map(|r| r.1).sum()
    }

    fn print(&self) {
        println!("{}", self.name);
        for (what, gas, solidity) in &self.rows {
            row(&format!("  {what}"), *gas, *solidity);
        }
        row("  total", self.total(), Some(self.solidity_total));
    }
}

/// The reference results (89 bytes) as `finalize` takes them.
fn results() -> &'static [u8] {
    REFERENCE_RESULTS.as_bytes()
}

/// Match, initialize, one contribution, its reveal, finalize: B, B0 and the warm-up.
async fn trust_one(h: &mut Harness, s: &mut Scenario, terms: &DealTerms, w: usize, sol: [Option<u64>; 5]) -> Result<()> {
    let deal = h.match_deal(terms).await?;
    s.rows.push(("matchOrders".into(), deal.receipt.gas_used, sol[0]));
    let (task, sent) = h.initialize(deal.id, 0).await?;
    s.tx("initialize", &sent, sol[1])?;
    let result = digest("reference result");
    s.tx("contribute", &h.contribute(w, task, result, None).await?, sol[2])?;
    s.tx("reveal", &h.reveal(w, task, result).await?, sol[3])?;
    s.tx("finalize", &h.finalize(task, results(), &[]).await?, sol[4])?;
    ensure!(h.model.status(task) == TaskStatusEnum::COMPLETED, "{} did not complete", s.name);
    Ok(())
}

/// Match and initialize a deal of `trust`, every worker of `workers` contributes the same
/// result and reveals it, finalize: A3 and A5.
async fn replicated(h: &mut Harness, s: &mut Scenario, trust: u64, workers: &[usize], sol: &[Option<u64>]) -> Result<()> {
    let terms = DealTerms { trust, ..DealTerms::reference() };
    let deal = h.match_deal(&terms).await?;
    s.rows.push(("matchOrders".into(), deal.receipt.gas_used, None));
    let (task, sent) = h.initialize(deal.id, 0).await?;
    s.tx("initialize", &sent, None)?;
    let result = digest("reference result");
    let solidity = |i: usize| sol.get(i).copied().flatten();
    for (i, w) in workers.iter().enumerate() {
        s.tx(&format!("contribute ({})", i + 1), &h.contribute(*w, task, result, None).await?, solidity(i))?;
    }
    ensure!(h.model.status(task) == TaskStatusEnum::REVEALING, "{}: no consensus", s.name);
    for (i, w) in workers.iter().enumerate() {
        s.tx(&format!("reveal ({})", i + 1), &h.reveal(*w, task, result).await?, solidity(workers.len() + i))?;
    }
    s.tx("finalize", &h.finalize(task, results(), &[]).await?, solidity(2 * workers.len()))?;
    ensure!(h.model.status(task) == TaskStatusEnum::COMPLETED, "{} did not complete", s.name);
    Ok(())
}

async fn scenarios(h: &mut Harness) -> Result<Vec<Scenario>> {
    let mut warm_up = Scenario::new("warm-up (B, not reported)", 0);
    trust_one(h, &mut warm_up, &DealTerms::reference(), WARM_UP, [None; 5]).await?;

    let mut a3 = Scenario::new("A3: trust 3, 2 workers", 2_334_798);
    let sol = [Some(320_101), Some(373_363), Some(93_455), Some(56_455), Some(350_916)];
    replicated(h, &mut a3, 3, &A3, &sol).await?;

    let mut b = Scenario::new("B: trust 1, contribute + reveal", 1_940_580);
    let sol = [Some(909_389), Some(231_099), Some(399_250), Some(93_455), Some(307_387)];
    trust_one(h, &mut b, &DealTerms::reference(), B, sol).await?;

    let mut b0 = Scenario::new("B0: as B, without dataset", 1_804_740);
    let terms = DealTerms { with_dataset: false, ..DealTerms::reference() };
    trust_one(h, &mut b0, &terms, B0, [Some(785_583), None, None, None, Some(295_365)]).await?;

    let mut d = Scenario::new("D: TEE (tag 0x3), trust 1, fast path", 1_714_858);
    let terms = DealTerms { tag: B256::with_last_byte(TAG_TEE | 0x02), ..DealTerms::reference() };
    let deal = h.match_deal(&terms).await?;
    d.rows.push(("matchOrders".into(), deal.receipt.gas_used, Some(929_337)));
    let (task, sent) = h.initialize(deal.id, 0).await?;
    d.tx("initialize", &sent, None)?;
    let enclave = enclave_key(0)?;
    let sent = h.contribute_and_finalize(D, task, digest("reference result"), results(), &[], Some(&enclave)).await?;
    d.tx("contributeAndFinalize (enclave-signed)", &sent, Some(554_422))?;
    ensure!(h.model.status(task) == TaskStatusEnum::COMPLETED, "D did not complete");

    let mut c = Scenario::new("C: volume 10, initializeArray of 10 tasks", 2_658_501);
    let deal = h.match_deal(&DealTerms { volume: 10, ..DealTerms::reference() }).await?;
    c.rows.push(("matchOrders (volume 10)".into(), deal.receipt.gas_used, Some(909_437)));
    let indexes: Vec<u64> = (0..10).collect();
    let (tasks, sent) = h.initialize_array(deal.id, &indexes).await?;
    c.tx("initializeArray (10 tasks)", &sent, Some(1_749_064))?;
    ensure!(tasks.iter().all(|t| h.model.status(*t) == TaskStatusEnum::ACTIVE), "C: tasks not ACTIVE");

    let mut a5 = Scenario::new("A5: trust 5, 3 workers", 2_721_130);
    replicated(h, &mut a5, 5, &A5, &[]).await?;
    Ok(vec![a3, b, b0, d, c, a5])
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let net = network().await.context("deploying the protocol on a devnet")?;
    let owner = provider(net.addr, account(0)?)?;
    let actors = Actors::new()?;
    let assets = register_assets(&net, &actors, U256::from(1_000_000_000_000u64)).await?;

    println!("Gas on the devnet (Stylus programs priced by nitro's model; no CacheManager, so every program's");
    println!("first call in a transaction pays its full entry)");
    println!("beside Solidity PoCo 6.1.0 on a plain EVM chain (issue 8's reference figures).");
    println!();
    println!("{:<46} {:>10} {:>12} {:>7}", "transaction", "gasUsed", "Solidity", "ratio");
    // One more app, to measure createApp alone.
    let apps = IAppRegistry::new(net.poco.app_registry, &owner);
    let created = confirm(
        "createApp",
        apps.createApp(actors.app_dev.address(), "app-2".into(), "DOCKER".into(), Bytes::from_static(b"img"), B256::ZERO, Bytes::new())
            .send()
            .await,
    )
    .await?;
    row("createApp", created.gas_used, Some(SOLIDITY_CREATE_APP));
    for (who, label) in [(&actors.requester, "deposit (RLC approveAndCall), first"), (&actors.scheduler, "deposit (RLC approveAndCall), second")] {
        let receipt = deposit(&net, who, U256::from(500_000_000_000u64)).await?;
        row(label, receipt.gas_used, None);
    }
    let requester = provider(net.addr, actors.requester.clone())?;
    let chain_id = requester.get_chain_id().await?;
    // Volume 4 and larger prices than the scenarios, with the reference 110-byte params:
    // volume and prices change no slot count, so the figure compares with B's match.
    for (with_dataset, label) in [(true, "matchOrders, with dataset, volume 4"), (false, "matchOrders, without dataset, volume 4")] {
        let terms = DealTerms {
            app_price: 3,
            dataset_price: 2,
            pool_price: 10,
            volume: 4,
            with_dataset,
            salt: B256::with_last_byte(0xf0 | u8::from(with_dataset)),
            ..DealTerms::reference()
        };
        let call = signed_orders(&actors, &assets, chain_id, net.poco.hub, &terms);
        let receipt = match_orders(&requester, net.poco.hub, &call).await?;
        row(label, receipt.gas_used, with_dataset.then_some(SOLIDITY_MATCH_ORDERS));
    }

    println!();
    println!("PoCo's reference scenarios (issue 8): prices app 1, dataset 1, workerpool 5 nRLC; category 0;");
    println!("volume 1 (C: 10); fresh orders per deal; worker stake 30 %, scheduler reward 1 %; fresh workers;");
    println!("110-byte params, 89-byte results, no callback; after one warm-up deal. Solidity per-transaction");
    println!("figures are those issue 8 gives; every total is.");
    println!("{:<46} {:>10} {:>12} {:>7}", "scenario / transaction", "gasUsed", "Solidity", "ratio");
    // Until the lifecycle facets are built, the hub does not route them: say so rather
    // than fail the report of what exists.
    let hub_abi = poco_client::Artifacts::of_this_workspace().abi("hub")?;
    if ["initialize", "contribute", "finalize", "viewTask"].iter().all(|f| hub_abi.function(f).is_some()) {
        let mut h = Harness::new(&net, actors, assets, WORKERS, 1_000).await?;
        let scenarios = scenarios(&mut h).await?;
        for s in &scenarios {
            s.print();
        }
        println!();
        for s in &scenarios {
            row(s.name, s.total(), Some(s.solidity_total));
        }
    } else {
        println!("(skipped: abi/hub.json has no task lifecycle yet)");
    }

    println!();
    println!("{:<46} {:>10}", "Stylus program (entry gas per uncached call)", "gas");
    let mut programs: Vec<(String, Address)> = vec![
        ("rlc".into(), net.poco.rlc),
        ("app-registry".into(), net.poco.app_registry),
        ("dataset-registry".into(), net.poco.dataset_registry),
        ("workerpool-registry".into(), net.poco.workerpool_registry),
        ("app (entry program)".into(), net.poco.app_master),
        ("dataset (entry program)".into(), net.poco.dataset_master),
        ("workerpool (entry program)".into(), net.poco.workerpool_master),
        ("hub-router".into(), net.poco.hub),
    ];
    programs.extend(net.poco.facets.iter().map(|(name, address)| (name.clone(), *address)));
    for (name, program) in programs {
        let input = ArbWasm::programInitGasCall { program }.abi_encode();
        let out = owner.call(TransactionRequest::default().with_to(ARB_WASM).with_input(input)).await?;
        let init = ArbWasm::programInitGasCall::abi_decode_returns(&out).context("programInitGas")?;
        row(&name, init.gas, None);
    }
    Ok(())
}
