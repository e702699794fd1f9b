//! `poco demo`: the whole marketplace on this machine, in about a minute, leaving nothing
//! running. It starts the embedded devnet, deploys the protocol with `poco deploy`, and then
//! plays every role with its own development key through the same commands a user types —
//! an app developer and a dataset owner deploy and publish their assets' orders, a
//! workerpool owner runs a scheduler and several workers, a requester runs the example app
//! (`examples/wordcount`, built to WASI) over a text dataset with `poco app run` — and
//! prints the result and who was paid what.
//!
//! Each command is printed as `role$ poco …` before it runs (in this process, through the
//! same dispatch as the binary; keys and the chain file are left out of the printed line).
//! The scheduler and the workers run in this process too, as `poco scheduler run` and
//! `poco worker run` would, until the deal is done.
//!
//! With `--tasks`, `--workers` and `--trust` the same run is the workerpool benchmark: the
//! closing figures give the wall time of the deal and the transactions it took.

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use alloy::{
    eips::BlockNumberOrTag,
    network::TransactionResponse as _,
    primitives::{hex, Address, B256, U256},
    providers::{Provider, ProviderBuilder},
    signers::local::{coins_bip39::English, MnemonicBuilder, PrivateKeySigner},
};
use anyhow::{bail, ensure, Context, Result};
use clap::{Args, Parser};
use poco_client::{bindings::IHub, orders::OrdersFile, Artifacts};
use poco_core::constants::{KITTY_ADDRESS, WORKERPOOL_STAKE_RATIO};
use poco_devnet::{
    rpc::{serve, DevnetHandle},
    DevnetConfig, DEV_MNEMONIC,
};
use poco_scheduler::{Config, OrderConfig, Scheduler};
use poco_worker::{apps::build_example, fetch::sha256, Worker, WorkerConfig};
use serde_json::{json, Value};
use tokio::sync::watch;

use crate::{
    amount::format_rlc,
    cli::{Cli, Global},
    output::Report,
};

/// The dataset the demo counts: the opening of Dickens' *A Tale of Two Cities* (1859,
/// public domain).
const TEXT: &str = "It was the best of times, it was the worst of times, it was the age of wisdom, \
it was the age of foolishness, it was the epoch of belief, it was the epoch of incredulity, it was \
the season of Light, it was the season of Darkness, it was the spring of hope, it was the winter of \
despair, we had everything before us, we had nothing before us, we were all going direct to Heaven, \
we were all going direct the other way.\n";

/// Prices per task, in nRLC (1 RLC = 10^9 nRLC).
const APP_PRICE: u64 = 100_000_000;
const DATASET_PRICE: u64 = 50_000_000;
const POOL_PRICE: u64 = 300_000_000;
/// Volume of each provider's order.
const ORDER_VOLUME: u64 = 100_000;

/// `poco demo`
#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Workers of the workerpool.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=32))]
    workers: u32,
    /// Tasks of the deal (the request's volume).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    tasks: u64,
    /// Trust the requester asks for: 1 lets one worker settle a task; 3 and more make
    /// workers vote (PoCo consensus) before a task is finalized.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(0..=100))]
    trust: u64,
    /// Tasks each worker holds at once (`poco worker run --slots`): a worker waiting for
    /// the others' votes on one task computes the next.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=64))]
    slots: u32,
    /// Words of the ranking the app prints (its argument).
    #[arg(long, default_value_t = 5)]
    top: u32,
    /// Keep the demo's files (chain file, deployment record, orders, databases, results)
    /// in this folder instead of a temporary one removed at the end.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Print only the closing figures (benchmark runs).
    #[arg(long)]
    quiet: bool,
}

/// One role of the demo: a name and a development key.
struct Actor {
    role: String,
    key: PrivateKeySigner,
}

impl Actor {
    fn address(&self) -> Address {
        self.key.address()
    }
}

/// The running demo: its folder, chain and printing.
struct Demo {
    dir: PathBuf,
    chain_file: PathBuf,
    rpc: String,
    quiet: bool,
}

impl Demo {
    /// Runs `poco <args>` as `actor` on the demo chain, in this process; prints the command
    /// and the first lines of its report.
    async fn poco(&self, actor: &Actor, args: &[&str]) -> Result<Report> {
        let key = format!("0x{}", hex::encode(actor.key.to_bytes()));
        let chain_file = self.chain_file.display().to_string();
        let mut argv = vec!["poco", "--chain-file", &chain_file, "--chain", "demo", "--private-key", &key];
        argv.extend_from_slice(args);
        let cli = Cli::try_parse_from(&argv).with_context(|| format!("the demo's command `poco {}`", args.join(" ")))?;
        self.say(format!("{}$ poco {}", actor.role, shell_line(args)));
        // Boxed: `poco demo` is itself one of the commands this dispatches.
        let report = Box::pin(super::run(cli.command, &cli.global))
            .await
            .with_context(|| format!("{}: `poco {}`", actor.role, args.join(" ")))?;
        let lines: Vec<&str> = report.human.lines().collect();
        for line in lines.iter().take(8) {
            self.say(format!("    {line}"));
        }
        if lines.len() > 8 {
            self.say(format!("    … {} more line(s)", lines.len() - 8));
        }
        Ok(report)
    }

    fn say(&self, line: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", line.as_ref());
        }
    }

    fn step(&self, title: &str) {
        self.say(format!("\n== {title}"));
    }
}

impl DemoArgs {
    pub(crate) async fn run(self, global: &Global) -> Result<Report> {
        let started = Instant::now();
        let temp = tempfile::Builder::new().prefix("poco-demo-").tempdir().context("creating the demo's folder")?;
        let dir = match &self.dir {
            Some(dir) => {
                std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
                dir.canonicalize()?
            }
            None => temp.path().to_path_buf(),
        };
        let quiet = self.quiet || global.json;

        // The builds the demo needs: the contracts and the example app.
        ensure_contracts(quiet)?;
        let module_path = build_example("wordcount").context("building the example app (examples/wordcount)")?;
        let module = std::fs::read(&module_path).with_context(|| format!("reading {}", module_path.display()))?;

        // The chain: the embedded devnet on a free loopback port, a chain file naming it.
        let actors = actors(self.workers)?;
        let config = DevnetConfig { dev_accounts: u32::try_from(actors.len())?, ..DevnetConfig::default() };
        let chain_id = config.chain_id;
        let devnet = DevnetHandle::spawn(config).context("starting the devnet")?;
        let (rpc_addr, rpc_server) = serve(devnet, "127.0.0.1:0".parse()?).await.context("serving the devnet's JSON-RPC")?;
        let rpc = format!("http://{rpc_addr}");
        let chain_file = dir.join("chains.toml");
        std::fs::write(&chain_file, format!("[demo]\nrpc = \"{rpc}\"\nchain-id = {chain_id}\n"))
            .with_context(|| format!("writing {}", chain_file.display()))?;
        let demo = Demo { dir: dir.clone(), chain_file, rpc: rpc.clone(), quiet };
        demo.say(format!(
            "PoCo on Stylus, the whole marketplace on this machine: a devnet on {rpc} (chain id {chain_id}), \
             files in {}",
            dir.display()
        ));

        // The providers' storage: the app module and the dataset over HTTP on loopback.
        let (storage, storage_task) = serve_files(module.clone()).await?;
        let outcome = self.play(&demo, &actors, &storage, &module).await;
        storage_task.abort();
        rpc_server.stop().ok();
        let mut outcome = outcome?;
        outcome.figures["wallSeconds"] = json!(started.elapsed().as_secs_f64());
        if self.dir.is_none() {
            drop(temp);
        } else {
            let _ = temp.keep();
        }
        let human = format!("{}\ndemo finished in {:.1} s; nothing is left running", outcome.human, started.elapsed().as_secs_f64());
        Ok(Report::new(outcome.figures, human))
    }

    /// Whole RLC the requester deposits: the deal's price, rounded up.
    fn requester_deposit(&self) -> u64 {
        ((APP_PRICE + DATASET_PRICE + POOL_PRICE) * self.tasks).div_ceil(1_000_000_000)
    }

    /// Whole RLC the workerpool owner deposits: 30% of the pool's price per task (PoCo's
    /// scheduler stake), rounded up, and at least 1.
    fn scheduler_deposit(&self) -> u64 {
        (POOL_PRICE * WORKERPOOL_STAKE_RATIO / 100 * self.tasks).div_ceil(1_000_000_000).max(1)
    }

    /// Everything that happens on the chain, from deployment to payouts.
    async fn play(&self, demo: &Demo, actors: &[Actor], storage: &str, module: &[u8]) -> Result<Outcome> {
        let [owner, app_dev, dataset_owner, pool_owner, requester, workers @ ..] = actors else {
            bail!("the demo needs five roles and a worker");
        };

        demo.step("1. The protocol owner deploys PoCo (22 Stylus programs) and hands out RLC");
        let deploy_started = Instant::now();
        let deployed = demo.poco(owner, &["deploy"]).await?;
        let hub: Address = serde_json::from_value(deployed.json["addresses"]["hub"].clone()).context("the hub address in the deploy report")?;
        demo.say(format!("    (deployed in {:.1} s)", deploy_started.elapsed().as_secs_f64()));
        let (requester_rlc, pool_rlc) = (self.requester_deposit() + 100, self.scheduler_deposit() + 100);
        for (who, rlc) in [(requester, requester_rlc), (pool_owner, pool_rlc)].into_iter().chain(workers.iter().map(|w| (w, 100))) {
            demo.poco(owner, &["wallet", "send-rlc", &rlc.to_string(), "RLC", "--to", &who.address().to_string()]).await?;
        }

        demo.step("2. An app developer and a dataset owner deploy their assets and publish orders");
        let app_url = format!("{storage}/wordcount.wasm");
        let app_sum = sha256(module).to_string();
        let app = created(&demo.poco(app_dev, &["app", "deploy", "--name", "wordcount", "--type", "WASM", "--multiaddr", &app_url, "--checksum", &app_sum]).await?)?;
        let text_url = format!("{storage}/a-tale-of-two-cities.txt");
        let text_sum = sha256(TEXT.as_bytes()).to_string();
        let dataset = created(
            &demo.poco(dataset_owner, &["dataset", "deploy", "--name", "a-tale-of-two-cities", "--multiaddr", &text_url, "--checksum", &text_sum]).await?,
        )?;
        publish(demo, app_dev, "--app", &app.to_string(), |f| {
            let o = f.apporder.as_mut().context("app order")?;
            o.appprice = U256::from(APP_PRICE);
            o.volume = U256::from(ORDER_VOLUME);
            Ok(())
        })
        .await?;
        publish(demo, dataset_owner, "--dataset", &dataset.to_string(), |f| {
            let o = f.datasetorder.as_mut().context("dataset order")?;
            o.datasetprice = U256::from(DATASET_PRICE);
            o.volume = U256::from(ORDER_VOLUME);
            Ok(())
        })
        .await?;

        demo.step(&format!("3. A workerpool owner runs a scheduler and {} worker(s)", workers.len()));
        let pool = created(&demo.poco(pool_owner, &["workerpool", "deploy", "--description", "demo workerpool"]).await?)?;
        // The scheduler stakes 30% of the pool's price per task of a deal it takes.
        demo.poco(pool_owner, &["account", "deposit", &self.scheduler_deposit().to_string(), "RLC"]).await?;
        let trust = self.trust.max(1);
        demo.say(format!(
            "{}$ poco scheduler run --workerpool {pool} --order-price {POOL_PRICE} --order-volume {ORDER_VOLUME} --order-trust {trust}   (in this process)",
            pool_owner.role
        ));
        let mut config = Config::new(demo.rpc.clone(), hub, pool);
        config.database_url = format!("sqlite://{}", demo.dir.join("scheduler.db").display());
        config.listen = "127.0.0.1:0".parse()?;
        config.results_dir = demo.dir.join("scheduler-results");
        config.poll_interval = Duration::from_millis(200);
        config.order = Some(OrderConfig { price: POOL_PRICE, volume: ORDER_VOLUME, category: 0, trust, tag: B256::ZERO });
        let scheduler = Scheduler::start(config, pool_owner.key.clone()).await.context("starting the scheduler")?;
        let scheduler_url = format!("http://{}", scheduler.addr);
        let (stop, stopped) = watch::channel(false);
        let mut running = Vec::new();
        for w in workers {
            // A worker stakes 30% of the pool's price per task it contributes to.
            demo.poco(w, &["account", "deposit", "10", "RLC"]).await?;
            demo.say(format!("{}$ poco worker run --scheduler {scheduler_url} --slots {}   (in this process)", w.role, self.slots));
            let mut c = WorkerConfig::new(&scheduler_url, &demo.rpc, w.key.clone(), demo.dir.join(&w.role));
            c.slots = self.slots;
            c.max_tick = Duration::from_millis(200);
            let worker = Worker::new(c).await.with_context(|| format!("starting {}", w.role))?;
            let mut stopped = stopped.clone();
            running.push(tokio::spawn(worker.run(async move {
                let _ = stopped.wait_for(|s| *s).await;
            })));
        }

        let played = self.request(demo, actors, hub, app, dataset, pool).await;
        // Workers first, so that none ticks against a stopped scheduler.
        stop.send(true).ok();
        for r in running {
            match r.await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => demo.say(format!("a worker stopped on an error: {e:#}")),
                Err(e) => demo.say(format!("a worker task failed: {e}")),
            }
        }
        scheduler.stop();
        played
    }

    /// The requester's part: deposit, `poco app run`, the result, the payouts.
    async fn request(&self, demo: &Demo, actors: &[Actor], hub: Address, app: Address, dataset: Address, pool: Address) -> Result<Outcome> {
        let requester = &actors[4];
        demo.step("4. A requester runs the app on the dataset through the marketplace");
        demo.poco(requester, &["account", "deposit", &self.requester_deposit().to_string(), "RLC"]).await?;
        let provider = ProviderBuilder::new().connect_http(demo.rpc.parse().context("devnet URL")?);
        let before = accounts(&provider, hub, actors).await?;
        let before_kitty = kitty_of(&provider, hub).await?;
        let first_block = provider.get_block_number().await?;
        let deal_started = Instant::now();
        let (tasks, trust, top) = (self.tasks.to_string(), self.trust.to_string(), self.top.to_string());
        let params = format!("{{\"iexec_args\":\"{top}\"}}");
        let (app_s, dataset_s, pool_s) = (app.to_string(), dataset.to_string(), pool.to_string());
        let args = [
            "app", "run", &app_s, "--dataset", &dataset_s, "--workerpool", &pool_s, "--trust", &trust, "--volume", &tasks, "--params", &params,
            "--poll", "1",
        ];
        let ran = demo.poco(requester, &args).await?;
        let deal_secs = deal_started.elapsed().as_secs_f64();
        let last_block = provider.get_block_number().await?;
        let after = accounts(&provider, hub, actors).await?;

        demo.step("5. The result");
        let first_task = ran.json["tasks"][0]["taskid"].as_str().context("the first task in the app run report")?.to_owned();
        let zip_path = demo.dir.join("result-0.zip");
        let zip_s = zip_path.display().to_string();
        demo.poco(requester, &["task", "show", &first_task, "--download", &zip_s]).await?;
        let result = result_txt(&zip_path)?;
        for line in result.lines() {
            demo.say(format!("    | {line}"));
        }
        demo.say(format!("    (the deal's {} task(s) ran the same params over the same dataset: one result each)", self.tasks));

        demo.step("6. Who was paid what (change of each hub account during the deal)");
        let mut human = String::new();
        let mut payouts = Vec::new();
        for ((actor, b), a) in actors.iter().zip(&before).zip(&after) {
            let delta = i128::try_from(a.0)? - i128::try_from(b.0)?;
            let locked = i128::try_from(a.1)? - i128::try_from(b.1)?;
            if delta == 0 && locked == 0 {
                continue;
            }
            let signed = if delta < 0 { format!("-{}", format_rlc(U256::from(delta.unsigned_abs()))) } else { format!("+{}", format_rlc(U256::from(delta.unsigned_abs()))) };
            writeln!(human, "  {:<14} {}  {signed:>18}  (now {} free)", actor.role, actor.address(), format_rlc(U256::from(a.0)))?;
            payouts.push(json!({ "role": actor.role, "address": actor.address(), "delta": delta.to_string(), "stake": a.0.to_string(), "locked": a.1.to_string() }));
        }
        let kitty = (kitty_of(&provider, hub).await?, before_kitty);
        if kitty.0 != kitty.1 {
            let delta = i128::try_from(kitty.0)? - i128::try_from(kitty.1)?;
            writeln!(human, "  {:<14} {}  {delta:>+14} nRLC  (PoCo's kitty: seized stakes)", "kitty", KITTY_ADDRESS)?;
        }
        // Conservation: what the requester paid is exactly what the others gained.
        let total = |rows: &[(u128, u128)], kitty: u128| rows.iter().map(|(s, l)| s + l).sum::<u128>() + kitty;
        ensure!(
            total(&before, kitty.1) == total(&after, kitty.0),
            "the hub accounts do not balance over the deal: {} nRLC before, {} after",
            total(&before, kitty.1),
            total(&after, kitty.0)
        );
        writeln!(human, "  (the changes sum to zero: every nRLC paid went to someone)")?;
        let txs = transactions(&provider, first_block + 1, last_block, actors).await?;
        let per_role: Vec<String> = txs.iter().map(|(role, n)| format!("{role} {n}")).collect();
        let total: u64 = txs.iter().map(|(_, n)| n).sum();
        writeln!(
            human,
            "deal of {} task(s) at trust {} with {} worker(s): {deal_secs:.1} s from `app run` to every task final; {total} transaction(s) ({})",
            self.tasks,
            self.trust,
            actors.len() - 5,
            per_role.join(", ")
        )?;
        let figures = json!({
            "tasks": self.tasks,
            "trust": self.trust,
            "workers": actors.len() - 5,
            "dealSeconds": deal_secs,
            "transactions": total,
            "transactionsByRole": txs.iter().map(|(r, n)| (r.clone(), json!(n))).collect::<serde_json::Map<String, Value>>(),
            "payouts": payouts,
            "result": result,
        });
        Ok(Outcome { human, figures })
    }
}

/// What the demo prints last, and its JSON.
struct Outcome {
    human: String,
    figures: Value,
}

/// The roles, each with its development key: owner, app developer, dataset owner,
/// workerpool owner, requester, then the workers.
fn actors(workers: u32) -> Result<Vec<Actor>> {
    let roles = ["protocol-owner", "app-developer", "dataset-owner", "pool-owner", "requester"];
    let names = roles.iter().map(|r| r.to_string()).chain((0..workers).map(|i| format!("worker-{i}")));
    names
        .enumerate()
        .map(|(i, role)| {
            let key = MnemonicBuilder::<English>::default().phrase(DEV_MNEMONIC).index(u32::try_from(i)?)?.build()?;
            Ok(Actor { role, key })
        })
        .collect()
}

/// Builds the contracts (`cargo xtask wasm`) when this tree has no build of them yet.
fn ensure_contracts(quiet: bool) -> Result<()> {
    let artifacts = Artifacts::of_this_workspace();
    if artifacts.code("hub-router").is_ok() && artifacts.facets().is_ok_and(|f| !f.is_empty()) {
        return Ok(());
    }
    let root = artifacts.abi_dir.parent().context("the source tree")?.to_path_buf();
    if !quiet {
        eprintln!("building the contracts first (`cargo xtask wasm`, a few minutes the first time)...");
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = std::process::Command::new(&cargo)
        .args(["xtask", "wasm"])
        .current_dir(&root)
        .stdout(std::process::Stdio::null())
        .status()
        .with_context(|| format!("running `{cargo} xtask wasm` in {}", root.display()))?;
    ensure!(status.success(), "`cargo xtask wasm` failed in {}: run it there to see why", root.display());
    Ok(())
}

/// Serves the app module and the dataset on a free loopback port; returns the base URL.
async fn serve_files(module: Vec<u8>) -> Result<(String, tokio::task::JoinHandle<()>)> {
    let router = axum::Router::new()
        .route("/wordcount.wasm", axum::routing::get(move || std::future::ready(module.clone())))
        .route("/a-tale-of-two-cities.txt", axum::routing::get(|| std::future::ready(TEXT)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.context("binding the demo's file server")?;
    let url = format!("http://{}", listener.local_addr()?);
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok((url, task))
}

/// The address in a `poco app|dataset|workerpool deploy` report.
fn created(report: &Report) -> Result<Address> {
    serde_json::from_value(report.json["address"].clone()).context("the address in the deploy report")
}

/// `poco order init`, an edit of the file (prices, volume), `order sign`, `order publish`.
async fn publish(demo: &Demo, actor: &Actor, flag: &str, asset: &str, edit: impl FnOnce(&mut OrdersFile) -> Result<()>) -> Result<()> {
    let file = demo.dir.join(format!("{}-orders.json", actor.role));
    let file_s = file.display().to_string();
    demo.poco(actor, &["order", "init", flag, asset, "--file", &file_s]).await?;
    let mut orders = OrdersFile::load(&file)?;
    edit(&mut orders)?;
    orders.save(&file)?;
    demo.say(format!("    (price and volume set in {})", file.file_name().and_then(|n| n.to_str()).unwrap_or_default()));
    demo.poco(actor, &["order", "sign", flag, "--file", &file_s]).await?;
    demo.poco(actor, &["order", "publish", flag, "--file", &file_s]).await?;
    Ok(())
}

/// `(stake, locked)` of every actor in the hub.
async fn accounts<P: Provider>(provider: &P, hub: Address, actors: &[Actor]) -> Result<Vec<(u128, u128)>> {
    let hub = IHub::new(hub, provider);
    let mut out = Vec::with_capacity(actors.len());
    for a in actors {
        let v = hub.viewAccount(a.address()).call().await.context("viewAccount")?;
        out.push((v.stake.try_into()?, v.locked.try_into()?));
    }
    Ok(out)
}

/// What PoCo's kitty holds (frozen at its address).
async fn kitty_of<P: Provider>(provider: &P, hub: Address) -> Result<u128> {
    let v = IHub::new(hub, provider).viewAccount(KITTY_ADDRESS).call().await.context("viewAccount of the kitty")?;
    Ok(v.locked.try_into()?)
}

/// Transactions mined in blocks `from..=to`, counted by the role that sent them (workers
/// together).
async fn transactions<P: Provider>(provider: &P, from: u64, to: u64, actors: &[Actor]) -> Result<Vec<(String, u64)>> {
    let mut counts: Vec<(String, u64)> = Vec::new();
    for n in from..=to {
        let Some(block) = provider.get_block_by_number(BlockNumberOrTag::Number(n)).full().await? else { continue };
        for tx in block.transactions.txns() {
            let from = tx.from();
            let role = match actors.iter().find(|a| a.address() == from) {
                Some(a) if a.role.starts_with("worker-") => "workers".to_owned(),
                Some(a) => a.role.clone(),
                None => format!("{from}"),
            };
            match counts.iter_mut().find(|(r, _)| *r == role) {
                Some((_, c)) => *c += 1,
                None => counts.push((role, 1)),
            }
        }
    }
    Ok(counts)
}

/// `result.txt` of a result archive (iExec's `iexec_out.zip`).
fn result_txt(zip_path: &Path) -> Result<String> {
    let file = std::fs::File::open(zip_path).with_context(|| format!("opening {}", zip_path.display()))?;
    let mut archive = zip::ZipArchive::new(file).with_context(|| format!("{} is not a zip archive", zip_path.display()))?;
    let mut entry = archive.by_name("result.txt").with_context(|| format!("{} holds no result.txt", zip_path.display()))?;
    let mut text = String::new();
    std::io::Read::read_to_string(&mut entry, &mut text).context("reading result.txt")?;
    Ok(text)
}

/// `args` as one shell line: arguments with spaces or shell characters in single quotes.
fn shell_line(args: &[&str]) -> String {
    let plain = |a: &str| !a.is_empty() && a.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+".contains(c));
    args.iter().map(|a| if plain(a) { (*a).to_owned() } else { format!("'{}'", a.replace('\'', r"'\''")) }).collect::<Vec<_>>().join(" ")
}
