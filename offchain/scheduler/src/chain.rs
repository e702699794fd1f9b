//! The scheduler's view of the chain: reads through the hub's ABI retried with backoff, and
//! transactions that are signed locally, recorded in the database *before* they are sent,
//! then broadcast and awaited — so a restart, a lost reply or a node that is down for a
//! while never makes the scheduler sign a second transaction for the same step.

use std::{future::IntoFuture, time::Duration};

use alloy::{
    eips::{BlockNumberOrTag, Encodable2718},
    network::{EthereumWallet, TransactionBuilder},
    primitives::{Address, Bytes, B256},
    providers::{DynProvider, Provider, ProviderBuilder},
    rpc::types::{Filter, Log, TransactionReceipt, TransactionRequest},
    sol_types::SolCall,
    signers::local::PrivateKeySigner,
    transports::{RpcError, TransportError},
};
use anyhow::{anyhow, Context, Result};
use poco_client::revert::{decode_revert, revert_data};
use tracing::{info, warn};

use crate::store::{hex_of, Store};

/// How reads and broadcasts are retried.
#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    /// First pause.
    pub initial: Duration,
    /// Longest pause.
    pub max: Duration,
    /// Give up after this long (the engine's next round tries again).
    pub give_up_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { initial: Duration::from_millis(200), max: Duration::from_secs(5), give_up_after: Duration::from_secs(60) }
    }
}

/// Whether an RPC error is worth retrying: the node was unreachable, timed out or failed
/// internally — not a revert or a refused request, which would fail again.
fn transient(e: &TransportError) -> bool {
    match e {
        RpcError::Transport(_) => true,
        RpcError::ErrorResp(resp) => resp.code == -32603 || resp.code == -32000 && resp.message.contains("timeout"),
        RpcError::NullResp => true,
        _ => false,
    }
}

/// Runs `op` until it succeeds, retrying transient RPC errors with exponential backoff.
pub async fn retry<T, F, Fut>(policy: RetryPolicy, what: &str, mut op: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: IntoFuture<Output = Result<T, TransportError>>,
{
    let start = std::time::Instant::now();
    let mut pause = policy.initial;
    loop {
        match op().into_future().await {
            Ok(v) => return Ok(v),
            Err(e) if transient(&e) && start.elapsed() < policy.give_up_after => {
                warn!(%e, ?pause, "{what}: RPC failed, retrying");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(policy.max);
            }
            Err(e) => return Err(anyhow!(e).context(format!("{what} (RPC)"))),
        }
    }
}

/// What a transaction came to.
#[derive(Debug)]
pub enum Sent {
    /// Mined and succeeded, in this block.
    Mined(u64),
    /// Mined and reverted, with PoCo's decoded reason.
    Reverted(String),
    /// `eth_estimateGas` says it would revert (not sent), with the decoded reason.
    WouldRevert(String),
    /// Sent, but no receipt yet: it stays pending in the database and is resolved later.
    Pending(B256),
}

/// A connection to the chain as the workerpool owner.
#[derive(Clone)]
pub struct Chain {
    /// Reads (no wallet).
    pub provider: DynProvider,
    wallet: EthereumWallet,
    /// The scheduler's address (the workerpool owner).
    pub from: Address,
    /// The hub.
    pub hub: Address,
    /// Chain id.
    pub chain_id: u64,
    /// Retry policy.
    pub retry: RetryPolicy,
}

impl Chain {
    /// Connects to `rpc_url` as `signer`.
    pub async fn connect(rpc_url: &str, signer: PrivateKeySigner, hub: Address, retry_policy: RetryPolicy) -> Result<Self> {
        let url = rpc_url.parse().with_context(|| format!("RPC URL {rpc_url}"))?;
        let provider = ProviderBuilder::new().disable_recommended_fillers().connect_http(url).erased();
        let chain_id = retry(retry_policy, "eth_chainId", || provider.get_chain_id()).await?;
        let from = signer.address();
        Ok(Self { provider, wallet: EthereumWallet::from(signer), from, hub, chain_id, retry: retry_policy })
    }

    /// Retries `op` under this chain's policy.
    pub async fn read<T, F, Fut>(&self, what: &str, op: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: IntoFuture<Output = Result<T, TransportError>>,
    {
        retry(self.retry, what, op).await
    }

    /// `eth_call` of a view of `to` (retried), decoded.
    pub async fn view_at<C: SolCall>(&self, to: Address, call: C) -> Result<C::Return> {
        let request = TransactionRequest::default().with_to(to).with_input(call.abi_encode());
        let out = self.read(C::SIGNATURE, || self.provider.call(request.clone())).await?;
        C::abi_decode_returns(&out).with_context(|| format!("decoding {}", C::SIGNATURE))
    }

    /// `eth_call` of a view of the hub (retried), decoded.
    pub async fn view<C: SolCall>(&self, call: C) -> Result<C::Return> {
        self.view_at(self.hub, call).await
    }

    /// The latest block's number and timestamp: the scheduler's "now" (PoCo's deadlines are
    /// block times, and the devnet's clock moves when a test says so).
    pub async fn head(&self) -> Result<(u64, u64)> {
        let block = self
            .read("eth_getBlockByNumber(latest)", || self.provider.get_block_by_number(BlockNumberOrTag::Latest))
            .await?
            .context("the node has no latest block")?;
        Ok((block.header.number, block.header.timestamp))
    }

    /// `eth_getLogs` with retries.
    pub async fn logs(&self, filter: &Filter) -> Result<Vec<Log>> {
        self.read("eth_getLogs", || self.provider.get_logs(filter)).await
    }

    /// Signs a call of the hub with `input`, records it in `store` as `kind` on `subjects`
    /// (pending), broadcasts it and waits for its receipt. A call `eth_estimateGas` refuses
    /// is not sent ([`Sent::WouldRevert`]).
    pub async fn send(&self, store: &Store, kind: &str, subjects: &[B256], input: Bytes, now: u64) -> Result<Sent> {
        let request = TransactionRequest::default().with_from(self.from).with_to(self.hub).with_input(input);
        let estimate = match self.provider.estimate_gas(request.clone()).await {
            Ok(g) => g,
            Err(e) => {
                if let Some(data) = revert_data(&e) {
                    let reason = decode_revert(&data).to_string();
                    return Ok(Sent::WouldRevert(reason));
                }
                // Unreachable node: retry the estimate like any read.
                self.read("eth_estimateGas", || self.provider.estimate_gas(request.clone())).await?
            }
        };
        let nonce = self
            .read("eth_getTransactionCount(pending)", || self.provider.get_transaction_count(self.from).pending())
            .await?;
        let gas_price = self.read("eth_gasPrice", || self.provider.get_gas_price()).await?;
        let tx = request
            .with_nonce(nonce)
            .with_chain_id(self.chain_id)
            // A margin over the estimate: it is made at the latest block, mined in the next.
            .with_gas_limit(estimate + estimate / 4 + 50_000)
            .with_max_fee_per_gas(gas_price * 2)
            .with_max_priority_fee_per_gas(0);
        let envelope = tx.build(&self.wallet).await.context("signing the transaction")?;
        let hash = *envelope.tx_hash();
        let raw = Bytes::from(envelope.encoded_2718());
        let subjects_text = subjects.iter().map(hex_of).collect::<Vec<_>>().join(",");
        store.insert_tx(&hash, kind, &subjects_text, &hex_of(&raw), i64::try_from(now)?).await?;
        info!(%hash, kind, tasks = subjects.len(), nonce, "sending");
        self.broadcast(&raw).await?;
        self.settle(store, &hash_hex(&hash)).await
    }

    /// Broadcasts signed bytes; a node that already has them (or already mined their nonce)
    /// is not an error.
    async fn broadcast(&self, raw: &Bytes) -> Result<()> {
        let result = retry(self.retry, "eth_sendRawTransaction", || async {
            match self.provider.send_raw_transaction(raw).await {
                Ok(_) => Ok(()),
                Err(RpcError::ErrorResp(resp))
                    if resp.message.contains("already known") || resp.message.to_lowercase().contains("nonce too low") =>
                {
                    Ok(())
                }
                Err(e) => Err(e),
            }
        })
        .await;
        if let Err(e) = &result {
            warn!(%e, "broadcast failed; the transaction stays pending and is re-sent later");
        }
        Ok(())
    }

    /// Waits (bounded) for the receipt of a recorded transaction and settles it in `store`.
    pub async fn settle(&self, store: &Store, hash: &str) -> Result<Sent> {
        let h = crate::store::b256(hash)?;
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let receipt = self.read("eth_getTransactionReceipt", || self.provider.get_transaction_receipt(h)).await;
            match receipt {
                Ok(Some(r)) => {
                    let block = r.block_number.map(|b| b as i64);
                    if r.status() {
                        store.settle_tx(hash, "mined", block, None).await?;
                        return Ok(Sent::Mined(r.block_number.unwrap_or_default()));
                    }
                    let reason = self.revert_reason(h, &r).await;
                    warn!(%hash, %reason, "transaction reverted");
                    store.settle_tx(hash, "reverted", block, Some(&reason)).await?;
                    return Ok(Sent::Reverted(reason));
                }
                Ok(None) if std::time::Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(200)).await,
                Ok(None) => return Ok(Sent::Pending(h)),
                Err(e) => {
                    warn!(%e, %hash, "no receipt (node unreachable); the transaction stays pending");
                    return Ok(Sent::Pending(h));
                }
            }
        }
    }

    /// Resolves the transactions a previous run (or round) left pending: settles those
    /// mined, re-broadcasts the others' recorded bytes. Returns how many are still pending.
    pub async fn resolve_pending(&self, store: &Store) -> Result<usize> {
        let mut left = 0;
        for tx in store.txs("pending").await? {
            let h = crate::store::b256(&tx.tx_hash)?;
            if self.read("eth_getTransactionReceipt", || self.provider.get_transaction_receipt(h)).await?.is_none() {
                let raw: Bytes = tx.raw.parse().context("recorded raw transaction")?;
                self.broadcast(&raw).await?;
            }
            if matches!(self.settle(store, &tx.tx_hash).await?, Sent::Pending(_)) {
                left += 1;
            }
        }
        Ok(left)
    }

    /// PoCo's reason for a reverted transaction: the same call replayed at its block.
    async fn revert_reason(&self, hash: B256, receipt: &TransactionReceipt) -> String {
        let tx = match self.provider.get_transaction_by_hash(hash).await {
            Ok(Some(tx)) => tx,
            _ => return "reverted (its transaction could not be read back)".into(),
        };
        let input = alloy::consensus::Transaction::input(tx.inner.inner()).clone();
        let call = TransactionRequest::default().with_from(self.from).with_to(self.hub).with_input(input);
        let at = receipt.block_number.map(|b| b.saturating_sub(1)).unwrap_or_default();
        match self.provider.call(call).block(at.into()).await {
            Ok(_) => "reverted (its replay succeeds: out of gas?)".into(),
            Err(e) => revert_data(&e).map(|d| decode_revert(&d).to_string()).unwrap_or_else(|| e.to_string()),
        }
    }
}

/// The database's form of a transaction hash.
fn hash_hex(h: &B256) -> String {
    hex_of(h)
}
