//! `poco scheduler run`: the workerpool's scheduler (crate `poco-scheduler`) until Ctrl-C —
//! it watches the pool's deals, initializes their tasks, serves workers over HTTP, drives
//! consensus to finalize (or reopen), claims what passed its final deadline, and publishes
//! the workerpool order given by the `--order-*` flags. Its state is in `--database`
//! (SQLite file by default, PostgreSQL by URL); stopping and starting it again on the same
//! database resumes where it was, without sending a transaction twice.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use alloy::primitives::{Address, B256};
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use poco_scheduler::{Config, OrderConfig, Scheduler};
use serde_json::json;

use crate::{cli::Global, context::Session, output::Report};

/// `poco scheduler ...`
#[derive(Debug, Subcommand)]
pub(crate) enum SchedulerCommand {
    /// Runs the scheduler of a workerpool (signing as its owner) until Ctrl-C.
    Run(RunArgs),
}

/// `poco scheduler run` flags.
#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    /// The workerpool to run (the key must be its owner's).
    #[arg(long, env = "POCO_WORKERPOOL", value_name = "ADDR")]
    workerpool: Address,
    /// State database: `sqlite://FILE` (created if missing) or `postgres://USER@HOST/DB`.
    #[arg(long, env = "POCO_SCHEDULER_DB", default_value = "sqlite://scheduler.db", value_name = "URL")]
    database: String,
    /// Where the worker API listens.
    #[arg(long, default_value = "127.0.0.1:7070", value_name = "ADDR:PORT")]
    listen: SocketAddr,
    /// The URL workers and requesters reach the API at (result links point there); default
    /// `http://<listen>`.
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// Where uploaded results are kept.
    #[arg(long, default_value = "scheduler-results", value_name = "DIR")]
    results_dir: PathBuf,
    /// Milliseconds between two rounds.
    #[arg(long, default_value_t = 1000, value_name = "MS")]
    poll_ms: u64,
    /// Blocks re-read behind the watch cursor (reorgs).
    #[arg(long, default_value_t = 20)]
    reorg_margin: u64,
    /// First block to watch on a fresh database.
    #[arg(long, default_value_t = 0)]
    start_block: u64,
    /// Tasks per `initializeArray`.
    #[arg(long, default_value_t = 50)]
    init_batch: usize,
    /// Do not use `contributeAndFinalize` for trust-1 tasks.
    #[arg(long)]
    no_fast_path: bool,
    /// Publish a workerpool order at this price per task (nRLC).
    #[arg(long, value_name = "NRLC")]
    order_price: Option<u64>,
    /// Its volume.
    #[arg(long, default_value_t = 1000)]
    order_volume: u64,
    /// Its category.
    #[arg(long, default_value_t = 0)]
    order_category: u64,
    /// Its trust.
    #[arg(long, default_value_t = 1)]
    order_trust: u64,
    /// Its tag.
    #[arg(long, default_value_t = B256::ZERO)]
    order_tag: B256,
}

impl SchedulerCommand {
    pub(crate) async fn run(self, global: &Global) -> Result<Report> {
        let SchedulerCommand::Run(args) = self;
        let session = Session::open(global).await?;
        let hub = session.hub().await?;
        let signer = session.signer()?.clone();
        let mut config = Config::new(session.chain.rpc.clone(), hub, args.workerpool);
        config.database_url = args.database;
        config.listen = args.listen;
        config.public_url = args.public_url;
        config.results_dir = args.results_dir;
        config.poll_interval = Duration::from_millis(args.poll_ms.max(50));
        config.reorg_margin = args.reorg_margin;
        config.start_block = args.start_block;
        config.init_batch = args.init_batch;
        config.fast_path = !args.no_fast_path;
        config.order = args.order_price.map(|price| OrderConfig {
            price,
            volume: args.order_volume,
            category: args.order_category,
            trust: args.order_trust,
            tag: args.order_tag,
        });
        let scheduler = Scheduler::start(config, signer).await.context("starting the scheduler")?;
        let addr = scheduler.addr;
        eprintln!("scheduler of workerpool {} serving workers on http://{addr} (Ctrl-C stops it)", args.workerpool);
        scheduler.run_until(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
        Ok(Report::new(json!({ "workerpool": args.workerpool, "api": addr.to_string(), "stopped": true }), "scheduler stopped"))
    }
}
