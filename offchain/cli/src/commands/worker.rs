//! `poco worker run`: a workerpool worker (crate `poco-worker`) until Ctrl-C — it registers
//! with the scheduler at `--scheduler`, runs the tasks it is given in the WebAssembly
//! sandbox (or docker for `DOCKER` apps, where a docker CLI exists), and contributes,
//! reveals and uploads as the scheduler asks, signing with the given key. Its state is in
//! `--database` (SQLite in `--work-dir` by default, PostgreSQL by URL); started again on the
//! same database it resumes without sending a transaction twice.

use std::{path::PathBuf, time::Duration};

use alloy::primitives::U256;
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use poco_worker::{sandbox::Limits, Worker, WorkerConfig};
use serde_json::json;

use crate::{cli::Global, context::Session, output::Report};

/// `poco worker ...`
#[derive(Debug, Subcommand)]
pub(crate) enum WorkerCommand {
    /// Runs a worker of a workerpool until Ctrl-C.
    Run(RunArgs),
}

/// `poco worker run` flags.
#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    /// The scheduler's worker API.
    #[arg(long, env = "POCO_SCHEDULER_URL", default_value = "http://127.0.0.1:7070", value_name = "URL")]
    scheduler: String,
    /// Folder of the task folders (and of the default database).
    #[arg(long, default_value = "worker-data", value_name = "DIR")]
    work_dir: PathBuf,
    /// State database: `sqlite://FILE?mode=rwc` or `postgres://USER@HOST/DB`; default a
    /// SQLite file in the work dir.
    #[arg(long, env = "POCO_WORKER_DB", value_name = "URL")]
    database: Option<String>,
    /// Accept app modules and datasets that are local files under this folder.
    #[arg(long, value_name = "DIR")]
    local_root: Option<PathBuf>,
    /// IPFS gateway for `/ipfs/…` multiaddrs, e.g. `https://ipfs.io`.
    #[arg(long, value_name = "URL")]
    ipfs_gateway: Option<String>,
    /// Fuel of one app run (wasmi, about one unit per instruction).
    #[arg(long, default_value_t = Limits::default().fuel)]
    fuel: u64,
    /// Memory of one app run, in MiB.
    #[arg(long, default_value_t = 512)]
    memory_mib: usize,
    /// Wall time of one app run, in seconds.
    #[arg(long, default_value_t = 600)]
    wall_secs: u64,
    /// When the free stake is below a deal's worker stake, deposit this much (nRLC, at least
    /// the shortfall) from the wallet.
    #[arg(long, value_name = "NRLC")]
    auto_deposit: Option<u64>,
    /// Tasks held at once.
    #[arg(long, default_value_t = 1)]
    slots: u32,
}

impl WorkerCommand {
    pub(crate) async fn run(self, global: &Global) -> Result<Report> {
        let WorkerCommand::Run(args) = self;
        let session = Session::open(global).await?;
        let signer = session.signer()?.clone();
        let wallet = signer.address();
        let mut config = WorkerConfig::new(&args.scheduler, &session.chain.rpc, signer, args.work_dir);
        if let Some(db) = args.database {
            config.database_url = db;
        }
        config.fetch.local_root = args.local_root;
        config.fetch.ipfs_gateway = args.ipfs_gateway;
        config.limits = Limits { fuel: args.fuel, memory_bytes: args.memory_mib * 1024 * 1024, wall_time: Duration::from_secs(args.wall_secs) };
        config.auto_deposit = args.auto_deposit.map(U256::from);
        config.slots = args.slots.max(1);
        let worker = Worker::new(config).await.context("starting the worker")?;
        eprintln!("worker {wallet} working for the scheduler at {} (Ctrl-C stops it)", args.scheduler);
        worker
            .run(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        Ok(Report::new(json!({ "worker": wallet, "scheduler": args.scheduler, "stopped": true }), "worker stopped"))
    }
}
