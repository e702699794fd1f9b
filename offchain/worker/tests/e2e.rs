//! The worker end to end on the devnet: the example app (wordcount, built to WASI) served
//! over HTTP on 127.0.0.1 and registered with its sha256, a text dataset registered with
//! its own, the real scheduler (`poco-scheduler`) and one `poco-worker` over HTTP — a
//! trust-1 deal on the `contributeAndFinalize` fast path, and a contribute + reveal deal
//! whose worker is killed after contributing and restarted on its database.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

use std::time::Duration;

use alloy::{
    primitives::{Address, Bytes, B256, U256},
    providers::Provider,
    rpc::types::Filter,
    sol_types::SolEvent,
};
use anyhow::{ensure, Context, Result};
use poco_client::{
    bindings::{IAppRegistry, IDatasetRegistry, IHub, IPoco2, ITaskViews, IWorkerpoolRegistry},
    pool_api::{ResultLink, STORAGE_POOL},
};
use poco_core::{
    eip712::{domain_separator, PocoStructHash},
    ids::{deal_id, task_id},
};
use poco_e2e::{
    account,
    lifecycle::{fund_worker, worker},
    market::{confirm, deposit, match_orders, signed_orders, Actors, Assets, DealTerms},
    network, provider, Network,
};
use poco_scheduler::{engine::task_status, Config, Scheduler};
use poco_worker::{
    apps::build_example,
    fetch::sha256,
    store::{Step, Store},
    Worker, WorkerConfig,
};

/// The dataset the deals count.
const TEXT: &str = "the quick brown fox jumps over the lazy dog; The dog sleeps.";
/// What wordcount writes for it with the argument `3`.
const EXPECTED: &str = "words: 12\ndistinct: 9\n3 the\n2 dog\n1 brown\n";

/// A devnet with the protocol, the wordcount app and the text dataset registered, a
/// workerpool, funded actors and one funded worker.
struct World {
    net: Network,
    actors: Actors,
    assets: Assets,
    chain_id: u64,
    dir: tempfile::TempDir,
}

async fn world() -> Result<World> {
    let net = network().await?;
    let actors = Actors::new()?;
    let owner = provider(net.addr, account(0)?)?;
    let dir = tempfile::tempdir()?;

    // The app: served over HTTP, its checksum the module's sha256.
    let module = std::fs::read(build_example("wordcount")?)?;
    let checksum = sha256(&module);
    let served = axum::Router::new().route("/wordcount.wasm", axum::routing::get(move || async move { module.clone() }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let app_url = format!("http://{}/wordcount.wasm", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, served).await });
    let apps = IAppRegistry::new(net.poco.app_registry, &owner);
    let (name, kind, multiaddr) = ("wordcount".to_string(), "WASM".to_string(), Bytes::from(app_url.into_bytes()));
    let app = apps.predictApp(actors.app_dev.address(), name.clone(), kind.clone(), multiaddr.clone(), checksum, Bytes::new()).call().await?;
    confirm("createApp", apps.createApp(actors.app_dev.address(), name, kind, multiaddr, checksum, Bytes::new()).send().await).await?;

    // The dataset: a local file under the worker's local root.
    let data = dir.path().join("data");
    std::fs::create_dir(&data)?;
    let text_path = data.join("text.txt");
    std::fs::write(&text_path, TEXT)?;
    let datasets = IDatasetRegistry::new(net.poco.dataset_registry, &owner);
    let (ds_name, ds_addr, ds_sum) = ("text".to_string(), Bytes::from(text_path.display().to_string().into_bytes()), sha256(TEXT.as_bytes()));
    let dataset = datasets.predictDataset(actors.dataset_owner.address(), ds_name.clone(), ds_addr.clone(), ds_sum).call().await?;
    confirm("createDataset", datasets.createDataset(actors.dataset_owner.address(), ds_name, ds_addr, ds_sum).send().await).await?;

    let pools = IWorkerpoolRegistry::new(net.poco.workerpool_registry, &owner);
    let pool = pools.predictWorkerpool(actors.scheduler.address(), "pool".into()).call().await?;
    confirm("createWorkerpool", pools.createWorkerpool(actors.scheduler.address(), "pool".into()).send().await).await?;

    let token = poco_client::bindings::IRlc::new(net.poco.rlc, &owner);
    for who in actors.all() {
        confirm("RLC transfer", token.transfer(who.address(), U256::from(1_000_000u64)).send().await).await?;
    }
    deposit(&net, &actors.requester, U256::from(100_000u64)).await?;
    deposit(&net, &actors.scheduler, U256::from(10_000u64)).await?;
    fund_worker(&net, &owner, &worker(0)?, 1_000).await?;
    let chain_id = owner.get_chain_id().await?;
    Ok(World { net, actors, assets: Assets { app, dataset, pool }, chain_id, dir })
}

impl World {
    fn rpc_url(&self) -> String {
        format!("http://{}", self.net.addr)
    }

    async fn scheduler(&self, fast_path: bool) -> Result<Scheduler> {
        let mut c = Config::new(self.rpc_url(), self.net.poco.hub, self.assets.pool);
        c.database_url = format!("sqlite://{}", self.dir.path().join("scheduler.db").display());
        c.listen = "127.0.0.1:0".parse()?;
        c.results_dir = self.dir.path().join("results");
        c.poll_interval = Duration::from_millis(150);
        c.fast_path = fast_path;
        Scheduler::start(c, self.actors.scheduler.clone()).await
    }

    fn worker_config(&self, scheduler: &Scheduler) -> Result<WorkerConfig> {
        let mut c = WorkerConfig::new(&format!("http://{}", scheduler.addr), &self.rpc_url(), worker(0)?, self.dir.path().join("worker"));
        c.fetch.local_root = Some(self.dir.path().join("data"));
        c.max_tick = Duration::from_millis(150);
        Ok(c)
    }

    /// Matches a trust-1 deal of one task over the app and the dataset; returns its task.
    async fn deal(&self, salt: u64) -> Result<B256> {
        let terms = DealTerms {
            app_price: 10,
            dataset_price: 5,
            pool_price: 100,
            salt: B256::from(U256::from(salt)),
            params: r#"{"iexec_args":"3"}"#.into(),
            ..DealTerms::reference()
        };
        let orders = signed_orders(&self.actors, &self.assets, self.chain_id, self.net.poco.hub, &terms);
        let request_hash = orders._3.typed_data_hash(&domain_separator(self.chain_id, &self.net.poco.hub));
        match_orders(&provider(self.net.addr, self.actors.requester.clone())?, self.net.poco.hub, &orders).await?;
        Ok(task_id(&deal_id(&request_hash, &U256::ZERO), &U256::ZERO))
    }

    async fn task(&self, id: B256) -> Result<ITaskViews::Task> {
        Ok(ITaskViews::new(self.net.poco.hub, provider(self.net.addr, account(0)?)?).viewTask(id).call().await?)
    }

    async fn stake(&self, who: Address) -> Result<U256> {
        Ok(IHub::new(self.net.poco.hub, provider(self.net.addr, account(0)?)?).viewAccount(who).call().await?.stake)
    }

    /// How many `E` events of `task` the hub emitted for `worker`.
    async fn events_of<E: SolEvent>(&self, task: B256, worker: Address) -> Result<usize> {
        let p = provider(self.net.addr, account(0)?)?;
        let filter = Filter::new().address(self.net.poco.hub).event_signature(E::SIGNATURE_HASH).topic1(task).topic2(worker.into_word()).from_block(0);
        Ok(p.get_logs(&filter).await?.len())
    }
}

/// Ticks `worker` until `done` holds, for at most `secs` seconds.
async fn tick_until<F, Fut>(worker: &mut Worker, secs: u64, what: &str, mut done: F) -> Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<bool>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Err(e) = worker.tick().await {
            eprintln!("tick: {e:#}");
        }
        if done().await? {
            return Ok(());
        }
        ensure!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The archive behind a result link of the scheduler's store, unzipped: `result.txt`.
async fn fetched_result(results: &[u8]) -> Result<String> {
    let link: ResultLink = serde_json::from_slice(results).context("results is a result link")?;
    ensure!(link.storage == STORAGE_POOL, "storage {}", link.storage);
    let zip = reqwest::get(&link.location).await?.bytes().await?;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.to_vec()))?;
    let mut text = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("result.txt")?, &mut text)?;
    Ok(text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trust_1_deal_runs_wordcount_and_the_worker_contributes_and_finalizes() -> Result<()> {
    let world = world().await?;
    let scheduler = world.scheduler(true).await?;
    let w = worker(0)?.address();
    let stake_before = world.stake(w).await?;
    let task = world.deal(1).await?;
    let config = world.worker_config(&scheduler)?;
    let db = config.database_url.clone();
    let mut worker = Worker::new(config).await?;
    tick_until(&mut worker, 90, "the task to complete", || async { Ok(world.task(task).await?.status == task_status::COMPLETED) }).await?;

    let t = world.task(task).await?;
    ensure!(t.resultDigest == sha256(EXPECTED.as_bytes()), "digest {} is not sha256 of wordcount's result", t.resultDigest);
    ensure!(t.contributors == vec![w], "contributors {:?}", t.contributors);
    ensure!(t.resultsCallback.is_empty());
    ensure!(fetched_result(&t.results).await? == EXPECTED, "the uploaded archive holds another result.txt");
    ensure!(world.events_of::<IPoco2::TaskContribute>(task, w).await? == 1, "one contribution");
    // Paid for the task: the pool price less the scheduler's share, no stake locked.
    let gained = world.stake(w).await? - stake_before;
    ensure!(gained > U256::ZERO && gained <= U256::from(100u64), "worker gained {gained}");
    let record = Store::open(&db).await?.get(task).await?.context("the worker recorded its task")?;
    ensure!(record.step == Step::Done && record.uploaded && record.contribute_tx.is_some(), "{record:?}");
    drop(scheduler);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_restarted_after_contributing_reads_the_chain_and_never_contributes_twice() -> Result<()> {
    let world = world().await?;
    let scheduler = world.scheduler(false).await?;
    let w = worker(0)?.address();
    let task = world.deal(2).await?;
    let config = world.worker_config(&scheduler)?;
    std::fs::create_dir_all(&config.work_dir)?;
    let store = Store::open(&config.database_url).await?;

    // First run: until its contribution is mined and recorded, then "killed".
    let mut first = Worker::new(config.clone()).await?;
    tick_until(&mut first, 90, "the contribution", || async {
        Ok(store.get(task).await?.is_some_and(|r| r.step == Step::Contributed))
    })
    .await?;
    drop(first);
    ensure!(world.events_of::<IPoco2::TaskContribute>(task, w).await? == 1);
    // As if it had died between the mined transaction and writing it down.
    let mut record = store.get(task).await?.context("recorded")?;
    record.step = Step::Computed;
    record.contribute_tx = None;
    store.save(&record).await?;
    let p = provider(world.net.addr, account(0)?)?;
    let nonce = p.get_transaction_count(w).await?;

    // Second run on the same database: reads its contribution, reveals, uploads.
    let mut second = Worker::new(config).await?;
    tick_until(&mut second, 90, "the task to complete", || async { Ok(world.task(task).await?.status == task_status::COMPLETED) }).await?;
    ensure!(world.events_of::<IPoco2::TaskContribute>(task, w).await? == 1, "contributed twice");
    ensure!(world.events_of::<IPoco2::TaskReveal>(task, w).await? == 1, "revealed {} times", world.events_of::<IPoco2::TaskReveal>(task, w).await?);
    ensure!(p.get_transaction_count(w).await? == nonce + 1, "the second run sent more than its reveal");
    let t = world.task(task).await?;
    ensure!(t.resultDigest == sha256(EXPECTED.as_bytes()));
    ensure!(fetched_result(&t.results).await? == EXPECTED);
    drop(scheduler);
    Ok(())
}
