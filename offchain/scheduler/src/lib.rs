//! # poco-scheduler
//!
//! A PoCo workerpool's scheduler, what iexec-core is to iExec (spec/OFFCHAIN.md §2, §6):
//! - [`engine`]: rounds that watch the pool's `SchedulerNotice` logs from a persisted cursor
//!   (re-reading a reorg margin), initialize tasks by `initializeArray` batches, follow each
//!   task on chain (`viewTask`, `viewContribution`): winners are asked to reveal, one
//!   revealer to upload, then `finalize` with iExec's result-link JSON; a task whose winners
//!   never revealed is **reopened**, tasks past their final deadline are **claimed**
//!   (`claimArray`, `initializeAndClaimArray`) so requesters are refunded without acting;
//!   trust-1 tasks go to one worker on the `contributeAndFinalize` fast path;
//! - [`api`]: the worker API of `poco_client::pool_api` (axum, 127.0.0.1 by default);
//! - [`store`]: the state in SQLite (a file) or PostgreSQL (a URL) through sqlx;
//! - [`chain`]: reads retried with backoff; transactions recorded before they are sent, so a
//!   restart never signs the same step twice;
//! - [`orders`]: the workerpool order it publishes (`broadcastWorkerpoolOrder`).
//!
//! [`Scheduler::start`] runs both halves in the background; dropping the returned
//! [`Scheduler`] (or [`Scheduler::stop`]) stops them — what a crash does, which a new
//! scheduler on the same database survives.

pub mod api;
pub mod chain;
pub mod config;
pub mod engine;
pub mod orders;
pub mod store;

use std::{net::SocketAddr, sync::Arc};

use alloy::{primitives::Address, signers::local::PrivateKeySigner};
use anyhow::{ensure, Context, Result};
use poco_client::{bindings::IWorkerpool, pool_api::PoolInfo};
use tokio::task::JoinHandle;
use tracing::warn;

pub use config::{Config, OrderConfig};
pub use engine::Engine;
pub use store::Store;

/// A running scheduler: its worker API and its rounds.
pub struct Scheduler {
    /// Where the worker API listens.
    pub addr: SocketAddr,
    /// The engine (chain, store), for inspection.
    pub engine: Arc<Engine>,
    api: JoinHandle<()>,
    rounds: JoinHandle<()>,
}

impl Scheduler {
    /// Connects to the chain and the database, checks that `signer` owns the workerpool,
    /// settles what a previous run left pending, publishes the configured order, then
    /// serves workers and runs rounds every `poll_interval` until stopped.
    pub async fn start(config: Config, signer: PrivateKeySigner) -> Result<Self> {
        let store = Store::connect(&config.database_url).await?;
        let chain = chain::Chain::connect(&config.rpc_url, signer.clone(), config.hub, config.retry).await?;
        let owner: Address = chain.view_at(config.workerpool, IWorkerpool::ownerCall {}).await?;
        ensure!(
            owner == signer.address(),
            "the scheduler's wallet {} does not own workerpool {} (its owner is {owner}): run it with the owner's key",
            signer.address(),
            config.workerpool
        );
        let info = PoolInfo { chain_id: chain.chain_id, hub: config.hub, workerpool: config.workerpool, owner };
        let engine = Engine::new(chain, store, config.clone(), signer);
        // Reconcile before acting: transactions in flight are settled first.
        engine.chain.resolve_pending(&engine.store).await.context("settling transactions a previous run left pending")?;
        if let Some(order) = &config.order {
            orders::publish(&engine, order).await.context("publishing the workerpool order")?;
        }
        let results_dir = config.results_dir.clone();
        let engine_for_api = engine.clone();
        let (addr, api) = api::serve(config.listen, move |bound| api::ApiState {
            public_url: engine_for_api.public_url(bound),
            engine: engine_for_api,
            pool: info,
            results_dir,
        })
        .await?;
        let looping = engine.clone();
        let rounds = tokio::spawn(async move {
            loop {
                if let Err(e) = looping.round().await {
                    warn!(error = %format!("{e:#}"), "scheduler round failed; retrying next round");
                }
                tokio::time::sleep(looping.config.poll_interval).await;
            }
        });
        Ok(Self { addr, engine, api, rounds })
    }

    /// Stops serving and scheduling at once (in-flight work is abandoned, as in a crash).
    pub fn stop(&self) {
        self.api.abort();
        self.rounds.abort();
    }

    /// Runs until `shutdown` resolves (e.g. Ctrl-C), then stops.
    pub async fn run_until(self, shutdown: impl std::future::Future<Output = ()>) {
        shutdown.await;
        self.stop();
    }
}

impl Drop for Scheduler {
    fn drop(&mut self) {
        self.stop();
    }
}
