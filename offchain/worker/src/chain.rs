//! The worker's side of the chain: the views it reads before acting and the transactions
//! it sends, through the hub's ABI (poco-client's bindings), with RPC failures retried
//! under backoff and reverts decoded to PoCo's reason.
//!
//! A send is "estimate, then send with a margin": the estimate is where a transaction
//! PoCo refuses shows its revert data (decoded by poco-client's `revert`), and such a
//! refusal is never retried — only transport failures are (a node that is down, a
//! timeout). The caller reconciles with the chain before any retry of a send, so a
//! transaction whose answer was lost is not sent twice.

use std::{future::Future, time::Duration};

use alloy::{
    network::TransactionBuilder,
    primitives::{Address, Bytes, B256, U256},
    providers::{DynProvider, Provider},
    rpc::types::{TransactionReceipt, TransactionRequest},
    sol_types::SolCall,
};
use anyhow::{anyhow, Context, Result};
use poco_client::{
    bindings::{IAccessorsFacet, IHub, ITaskViews},
    revert::{contract_revert, decode_revert, revert_data, RevertReason},
};

/// How RPC failures are retried.
#[derive(Clone, Copy, Debug)]
pub struct Backoff {
    /// First wait.
    pub initial: Duration,
    /// Longest wait between two tries.
    pub max_delay: Duration,
    /// Give up after this long in total.
    pub max_elapsed: Duration,
}

impl Default for Backoff {
    /// 200 ms doubling to 5 s, for up to 3 minutes (a node restarting, a long outage).
    fn default() -> Self {
        Self { initial: Duration::from_millis(200), max_delay: Duration::from_secs(5), max_elapsed: Duration::from_secs(180) }
    }
}

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// PoCo refused it (estimate or receipt): not retried.
    #[error("{what} {reason}")]
    Reverted {
        /// The call.
        what: String,
        /// PoCo's decoded reason.
        reason: RevertReason,
    },
    /// The node could not be reached for longer than the backoff allows, or answered
    /// something unusable.
    #[error("{what}: {cause:#}")]
    Rpc {
        /// The call.
        what: String,
        /// The last failure.
        cause: anyhow::Error,
    },
}

/// Task statuses as the views return them (poco-core's `TaskStatusEnum`).
pub mod task_status {
    use poco_core::status::TaskStatusEnum;
    /// Accepting contributions.
    pub const ACTIVE: u8 = TaskStatusEnum::ACTIVE.as_u8();
    /// Consensus reached; reveals accepted.
    pub const REVEALING: u8 = TaskStatusEnum::REVEALING.as_u8();
    /// Finalized.
    pub const COMPLETED: u8 = TaskStatusEnum::COMPLETED.as_u8();
    /// Claimed.
    pub const FAILED: u8 = TaskStatusEnum::FAILED.as_u8();
}

/// Contribution statuses as the views return them (poco-core's `ContributionStatusEnum`).
pub mod contribution_status {
    use poco_core::status::ContributionStatusEnum;
    /// None.
    pub const UNSET: u8 = ContributionStatusEnum::UNSET.as_u8();
    /// Contributed.
    pub const CONTRIBUTED: u8 = ContributionStatusEnum::CONTRIBUTED.as_u8();
    /// Revealed ("PROVED"; Java: REVEALED).
    pub const PROVED: u8 = ContributionStatusEnum::PROVED.as_u8();
}

/// The hub, as this worker's wallet sees it.
#[derive(Clone)]
pub struct Chain {
    /// A provider signing as the worker.
    pub provider: DynProvider,
    /// The hub.
    pub hub: Address,
    /// The worker's wallet.
    pub worker: Address,
    /// Retry policy.
    pub backoff: Backoff,
}

impl Chain {
    /// Retries `f` under the backoff while it fails for a reason other than a revert.
    pub async fn retry<T, F, Fut>(&self, what: &str, mut f: F) -> Result<T, ChainError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, alloy::contract::Error>>,
    {
        let started = tokio::time::Instant::now();
        let mut delay = self.backoff.initial;
        loop {
            match f().await {
                Ok(value) => return Ok(value),
                Err(error) => {
                    if let Some(reason) = contract_revert(&error) {
                        return Err(ChainError::Reverted { what: what.to_string(), reason });
                    }
                    if started.elapsed() + delay > self.backoff.max_elapsed {
                        return Err(ChainError::Rpc { what: what.to_string(), cause: anyhow!(error) });
                    }
                    tracing::warn!(what, error = %error, retry_in = ?delay, "RPC failed; retrying");
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(self.backoff.max_delay);
                }
            }
        }
    }

    /// Retries a provider call (not a contract call) under the backoff.
    async fn retry_rpc<T, F, Fut>(&self, what: &str, mut f: F) -> Result<T, ChainError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, alloy::transports::TransportError>>,
    {
        self.retry(what, || {
            let fut = f();
            async move { fut.await.map_err(alloy::contract::Error::TransportError) }
        })
        .await
    }

    /// `viewTask(taskid)`.
    pub async fn task(&self, task: B256) -> Result<ITaskViews::Task, ChainError> {
        let views = ITaskViews::new(self.hub, &self.provider);
        self.retry("viewTask", || async { views.viewTask(task).call().await }).await
    }

    /// `viewContribution(taskid, worker)` of this worker.
    pub async fn contribution(&self, task: B256) -> Result<ITaskViews::Contribution, ChainError> {
        let views = ITaskViews::new(self.hub, &self.provider);
        self.retry("viewContribution", || async { views.viewContribution(task, self.worker).call().await }).await
    }

    /// `viewDeal(dealid)`.
    pub async fn deal(&self, deal: B256) -> Result<IAccessorsFacet::Deal, ChainError> {
        let hub = IHub::new(self.hub, &self.provider);
        self.retry("viewDeal", || async { hub.viewDeal(deal).call().await }).await
    }

    /// `viewApp(app)`.
    pub async fn app(&self, app: Address) -> Result<IAccessorsFacet::AppInfo, ChainError> {
        let hub = IHub::new(self.hub, &self.provider);
        self.retry("viewApp", || async { hub.viewApp(app).call().await }).await
    }

    /// `viewDataset(dataset)`.
    pub async fn dataset(&self, dataset: Address) -> Result<IAccessorsFacet::DatasetInfo, ChainError> {
        let hub = IHub::new(self.hub, &self.provider);
        self.retry("viewDataset", || async { hub.viewDataset(dataset).call().await }).await
    }

    /// This worker's free stake: `viewAccount(worker).stake`.
    pub async fn stake(&self) -> Result<U256, ChainError> {
        let hub = IHub::new(self.hub, &self.provider);
        Ok(self.retry("viewAccount", || async { hub.viewAccount(self.worker).call().await }).await?.stake)
    }

    /// The hub's RLC token (`token()`).
    pub async fn token(&self) -> Result<Address, ChainError> {
        let hub = IHub::new(self.hub, &self.provider);
        self.retry("token", || async { hub.token().call().await }).await
    }

    /// The latest block number.
    pub async fn block_number(&self) -> Result<u64, ChainError> {
        self.retry_rpc("eth_blockNumber", || self.provider.get_block_number()).await
    }

    /// The receipt of `tx`, if the node has mined it.
    pub async fn receipt(&self, tx: B256) -> Result<Option<TransactionReceipt>, ChainError> {
        self.retry_rpc("eth_getTransactionReceipt", || self.provider.get_transaction_receipt(tx)).await
    }

    /// Sends `call` to `to` (the hub unless another contract): estimates it (a refusal is
    /// [`ChainError::Reverted`] with PoCo's reason), sends it with a quarter more gas than
    /// estimated, hands the transaction hash to `sent` before waiting (the caller records
    /// it), and waits for the receipt.
    pub async fn send<C: SolCall>(
        &self,
        what: &str,
        to: Address,
        call: &C,
        sent: impl AsyncFnOnce(B256) -> Result<()>,
    ) -> Result<TransactionReceipt, ChainError> {
        let tx = TransactionRequest::default().with_from(self.worker).with_to(to).with_input(Bytes::from(call.abi_encode()));
        let gas = self.estimate(what, &tx).await?;
        let tx = tx.with_gas_limit(gas + gas / 4);
        let pending = self
            .retry_rpc(what, || {
                let tx = tx.clone();
                async move { self.provider.send_transaction(tx).await.map(|p| *p.tx_hash()) }
            })
            .await?;
        sent(pending).await.map_err(|cause| ChainError::Rpc { what: format!("recording {what}"), cause })?;
        let receipt = self.wait_receipt(what, pending).await?;
        if !receipt.status() {
            // Mined and reverted (the state moved between estimate and inclusion): replay
            // it at its block for the reason.
            let replay = self.provider.call(tx.clone()).block(receipt.block_number.unwrap_or_default().into()).await;
            let reason = match replay {
                Err(e) => revert_data(&e).map(|d| decode_revert(&d)).unwrap_or(RevertReason::Empty),
                Ok(_) => RevertReason::Empty,
            };
            return Err(ChainError::Reverted { what: what.to_string(), reason });
        }
        Ok(receipt)
    }

    async fn estimate(&self, what: &str, tx: &TransactionRequest) -> Result<u64, ChainError> {
        self.retry(what, || async {
            self.provider.estimate_gas(tx.clone()).await.map_err(alloy::contract::Error::TransportError)
        })
        .await
    }

    /// Waits for the receipt of a sent transaction (polling, under the backoff's total).
    pub async fn wait_receipt(&self, what: &str, tx: B256) -> Result<TransactionReceipt, ChainError> {
        let started = tokio::time::Instant::now();
        loop {
            if let Some(receipt) = self.receipt(tx).await? {
                return Ok(receipt);
            }
            if started.elapsed() > self.backoff.max_elapsed {
                return Err(ChainError::Rpc { what: what.to_string(), cause: anyhow!("transaction {tx} not mined after {:?}", self.backoff.max_elapsed) });
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// Reads `Result<T, ChainError>` as `anyhow`, keeping the message.
pub fn context<T>(r: Result<T, ChainError>, what: &str) -> Result<T> {
    r.map_err(anyhow::Error::from).with_context(|| what.to_string())
}
