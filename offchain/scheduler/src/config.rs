//! What a scheduler is told: its chain, its workerpool, its database, where it serves
//! workers, its pace, and the workerpool order it publishes.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use alloy::primitives::{Address, B256};

use crate::chain::RetryPolicy;

/// The workerpool order a scheduler publishes on start (`broadcastWorkerpoolOrder`).
#[derive(Clone, Debug)]
pub struct OrderConfig {
    /// Price per task, in nRLC.
    pub price: u64,
    /// Tasks the order offers.
    pub volume: u64,
    /// Category id.
    pub category: u64,
    /// Trust it accepts (requests with a trust up to it match).
    pub trust: u64,
    /// Tag (zero: standard tasks).
    pub tag: B256,
}

/// A scheduler's configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// JSON-RPC endpoint.
    pub rpc_url: String,
    /// The PoCo hub.
    pub hub: Address,
    /// The workerpool this scheduler runs (its owner is the scheduler's wallet).
    pub workerpool: Address,
    /// `sqlite://file` (created if missing) or `postgres://…`.
    pub database_url: String,
    /// Where the worker API listens (127.0.0.1 by default; port 0 picks one).
    pub listen: SocketAddr,
    /// The URL workers and requesters reach the API at (result links point there);
    /// `None`: `http://<listen address>`.
    pub public_url: Option<String>,
    /// Where uploaded results are kept.
    pub results_dir: PathBuf,
    /// Pause between two rounds of the engine (watch, initialize, drive, claim).
    pub poll_interval: Duration,
    /// Blocks re-read behind the cursor on every watch, so a reorg's new logs are seen.
    pub reorg_margin: u64,
    /// First block to watch when the database has no cursor.
    pub start_block: u64,
    /// Tasks per `initializeArray`.
    pub init_batch: usize,
    /// Tasks per `claimArray` / `initializeAndClaimArray`.
    pub claim_batch: usize,
    /// Trust-1 tasks use `contributeAndFinalize` (one worker transaction instead of
    /// contribute + reveal + finalize, and no stake locked).
    pub fast_path: bool,
    /// Seconds (chain clock) an uploader has before another revealer is asked.
    pub upload_timeout_secs: u64,
    /// RPC retries.
    pub retry: RetryPolicy,
    /// The order to publish on start, if any.
    pub order: Option<OrderConfig>,
}

impl Config {
    /// A configuration with the defaults: SQLite file `scheduler.db`, API on
    /// 127.0.0.1:7070, a round per second, 20 blocks of reorg margin, batches of 50.
    pub fn new(rpc_url: impl Into<String>, hub: Address, workerpool: Address) -> Self {
        Self {
            rpc_url: rpc_url.into(),
            hub,
            workerpool,
            database_url: "sqlite://scheduler.db".into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 7070)),
            public_url: None,
            results_dir: PathBuf::from("scheduler-results"),
            poll_interval: Duration::from_secs(1),
            reorg_margin: 20,
            start_block: 0,
            init_batch: 50,
            claim_batch: 50,
            fast_path: true,
            upload_timeout_secs: 120,
            retry: RetryPolicy::default(),
            order: None,
        }
    }
}
