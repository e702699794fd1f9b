//! JSON-RPC server (jsonrpsee) over a devnet owned by one executor thread.
//!
//! The chain is single-threaded by design (revm's context is not `Send`, and a chain executes
//! one transaction at a time anyway), so a [`DevnetHandle`] sends closures to the thread that
//! owns the [`Devnet`] and awaits their answers. Every method parses its parameters into
//! alloy's RPC types and answers with alloy's RPC types; bad input is a JSON-RPC error, never a
//! panic. Reverts are reported like geth: error code 3, message `execution reverted: …`,
//! `data` = the revert bytes.

use std::net::SocketAddr;
use std::sync::mpsc;

use alloy_consensus::{Eip658Value, Receipt, ReceiptEnvelope, ReceiptWithBloom, TxEnvelope};
use alloy_eips::{BlockId, BlockNumberOrTag};
use alloy_primitives::{hex, logs_bloom, Bytes, B256, U256};
use alloy_rpc_types_eth::{
    state::StateOverride, Block, BlockTransactions, FeeHistory, Filter, Header as RpcHeader,
    Log as RpcLog, Transaction as RpcTransaction, TransactionReceipt, TransactionRequest,
};
use jsonrpsee::{
    server::{Server, ServerHandle},
    types::ErrorObjectOwned,
    RpcModule,
};
use revm::{
    database::DatabaseRef,
    state::{AccountInfo, Bytecode},
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use tokio::sync::oneshot;

use crate::chain::{revert_text, BlockRecord, Devnet, ExecOutcome, TxRecord, TxRequest};
use crate::config::DevnetConfig;
use crate::error::DevnetError;

/// Stack of the executor thread: Stylus and EVM frames recurse natively.
const EXECUTOR_STACK: usize = 256 * 1024 * 1024;

type Job = Box<dyn FnOnce(&mut Devnet) + Send>;

/// A cloneable, thread-safe handle to a devnet running on its own executor thread.
#[derive(Debug, Clone)]
pub struct DevnetHandle {
    jobs: mpsc::Sender<Job>,
}

impl DevnetHandle {
    /// Starts a devnet on a new executor thread.
    pub fn spawn(config: DevnetConfig) -> Result<Self, DevnetError> {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (ready_tx, ready_rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("devnet-executor".into())
            .stack_size(EXECUTOR_STACK)
            .spawn(move || {
                let mut devnet = match Devnet::new(config) {
                    Ok(d) => {
                        let _ = ready_tx.send(Ok(()));
                        d
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                while let Ok(job) = inbox.recv() {
                    // A panic here is a devnet bug; answer the other requests rather than die
                    // (the failed request's caller sees its reply channel dropped).
                    let run = std::panic::AssertUnwindSafe(|| job(&mut devnet));
                    if std::panic::catch_unwind(run).is_err() {
                        tracing::error!("devnet job panicked; the node keeps serving");
                    }
                }
            })
            .map_err(|e| DevnetError::Internal(format!("cannot start executor thread: {e}")))?;
        ready_rx
            .recv()
            .map_err(|_| DevnetError::Internal("executor thread died during start".into()))??;
        Ok(Self { jobs })
    }

    /// Runs `f` on the devnet and returns its result.
    pub async fn run<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Devnet) -> R + Send + 'static,
    ) -> Result<R, DevnetError> {
        let (tx, rx) = oneshot::channel();
        self.jobs
            .send(Box::new(move |d| {
                let _ = tx.send(f(d));
            }))
            .map_err(|_| DevnetError::Internal("devnet executor stopped".into()))?;
        rx.await
            .map_err(|_| DevnetError::Internal("devnet executor dropped the job".into()))
    }

    /// Blocking variant of [`DevnetHandle::run`] for non-async callers.
    pub fn run_blocking<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Devnet) -> R + Send + 'static,
    ) -> Result<R, DevnetError> {
        let (tx, rx) = mpsc::channel();
        self.jobs
            .send(Box::new(move |d| {
                let _ = tx.send(f(d));
            }))
            .map_err(|_| DevnetError::Internal("devnet executor stopped".into()))?;
        rx.recv()
            .map_err(|_| DevnetError::Internal("devnet executor dropped the job".into()))
    }
}

/// A JSON-RPC error with its code, message and optional data.
#[derive(Debug)]
struct RpcError {
    code: i32,
    message: String,
    data: Option<Value>,
}

impl RpcError {
    fn invalid_params(message: impl Into<String>) -> Self {
        Self {
            code: -32602,
            message: message.into(),
            data: None,
        }
    }

    fn server(message: impl Into<String>) -> Self {
        Self {
            code: -32000,
            message: message.into(),
            data: None,
        }
    }

    /// geth's shape for a reverted call.
    fn reverted(outcome: &ExecOutcome) -> Self {
        if let Some(halt) = &outcome.halt {
            return Self::server(format!("execution halted: {halt}"));
        }
        let reason = revert_text(&outcome.output);
        // Custom errors have no text: geth then says just "execution reverted".
        let message = if outcome.output.is_empty() || reason.starts_with("0x") {
            "execution reverted".to_string()
        } else {
            format!("execution reverted: {reason}")
        };
        Self {
            code: 3,
            message,
            data: Some(Value::String(hex::encode_prefixed(&outcome.output))),
        }
    }
}

impl From<DevnetError> for RpcError {
    fn from(e: DevnetError) -> Self {
        match e {
            DevnetError::Decode(_) | DevnetError::UnknownAccount(_) => {
                Self::invalid_params(e.to_string())
            }
            _ => Self::server(e.to_string()),
        }
    }
}

impl From<RpcError> for ErrorObjectOwned {
    fn from(e: RpcError) -> Self {
        ErrorObjectOwned::owned(e.code, e.message, e.data)
    }
}

type Handler = fn(&mut Devnet, &[Value]) -> Result<Value, RpcError>;

/// Every method the server answers.
const METHODS: &[(&str, Handler)] = &[
    ("web3_clientVersion", |_, _| {
        Ok(json!(concat!("poco-devnet/", env!("CARGO_PKG_VERSION"))))
    }),
    ("net_version", |d, _| {
        Ok(json!(d.config().chain_id.to_string()))
    }),
    ("net_listening", |_, _| Ok(json!(true))),
    ("eth_chainId", |d, _| Ok(quantity(d.config().chain_id))),
    ("eth_blockNumber", |d, _| Ok(quantity(d.block_number()))),
    ("eth_accounts", |d, _| to_json(d.accounts())),
    ("eth_gasPrice", |d, _| Ok(quantity(d.base_fee()))),
    ("eth_maxPriorityFeePerGas", |_, _| Ok(quantity(0))),
    ("eth_syncing", |_, _| Ok(json!(false))),
    ("eth_getBalance", |d, p| to_json(d.balance(param(p, 0)?))),
    ("eth_getCode", |d, p| to_json(d.code(param(p, 0)?))),
    ("eth_getStorageAt", |d, p| {
        let slot: U256 = param(p, 1)?;
        to_json(B256::from(d.storage(param(p, 0)?, slot)))
    }),
    ("eth_getTransactionCount", |d, p| {
        Ok(quantity(d.nonce(param(p, 0)?)))
    }),
    ("eth_feeHistory", fee_history),
    ("eth_call", eth_call),
    ("eth_estimateGas", eth_estimate_gas),
    ("eth_sendRawTransaction", |d, p| {
        let raw: Bytes = param(p, 0)?;
        let record = d.send_raw(&raw)?;
        to_json(record.hash())
    }),
    ("eth_sendTransaction", |d, p| {
        let req: TransactionRequest = param(p, 0)?;
        let record = d.send(tx_request(&req))?;
        to_json(record.hash())
    }),
    ("eth_getTransactionByHash", |d, p| {
        let hash: B256 = param(p, 0)?;
        if let Some(pending) = d.pending_transaction(hash) {
            // In the pending block of interval mining: no block yet.
            let mut tx = rpc_transaction(pending);
            (tx.block_hash, tx.block_number, tx.transaction_index) = (None, None, None);
            return to_json(tx);
        }
        to_json(d.transaction(hash).map(rpc_transaction))
    }),
    ("eth_getTransactionReceipt", |d, p| {
        let hash: B256 = param(p, 0)?;
        to_json(d.transaction(hash).map(|t| rpc_receipt(d, t)))
    }),
    ("eth_getBlockByNumber", |d, p| {
        let tag: BlockNumberOrTag = param(p, 0)?;
        let full: bool = opt_param(p, 1)?.unwrap_or(false);
        let block = resolve_block(d, tag).and_then(|n| d.block(n));
        to_json(block.map(|b| rpc_block(d, b, full)))
    }),
    ("eth_getBlockByHash", |d, p| {
        let hash: B256 = param(p, 0)?;
        let full: bool = opt_param(p, 1)?.unwrap_or(false);
        to_json(d.block_by_hash(hash).map(|b| rpc_block(d, b, full)))
    }),
    ("eth_getLogs", get_logs),
    ("evm_increaseTime", |d, p| {
        let seconds: Value = param(p, 0)?;
        Ok(quantity(d.increase_time(as_u64(&seconds)?).max(0) as u64))
    }),
    ("evm_setNextBlockTimestamp", |d, p| {
        let ts: Value = param(p, 0)?;
        d.set_next_block_timestamp(as_u64(&ts)?)?;
        Ok(Value::Null)
    }),
    ("evm_mine", |d, p| {
        match opt_param::<Value>(p, 0)? {
            Some(ts) if !ts.is_null() => d.mine_at(as_u64(&ts)?)?,
            _ => d.mine(1),
        }
        Ok(json!("0x0"))
    }),
    ("evm_snapshot", |d, _| Ok(quantity(d.snapshot()))),
    ("evm_revert", |d, p| {
        let id: Value = param(p, 0)?;
        Ok(json!(d.revert_to(as_u64(&id)?)))
    }),
];

/// Names of the JSON-RPC methods the server implements.
pub fn method_names() -> Vec<&'static str> {
    METHODS.iter().map(|(name, _)| *name).collect()
}

/// Starts the JSON-RPC server on `addr` (port 0 picks a free port).
pub async fn serve(
    devnet: DevnetHandle,
    addr: SocketAddr,
) -> Result<(SocketAddr, ServerHandle), DevnetError> {
    let mut module = RpcModule::new(devnet.clone());
    for (name, handler) in METHODS {
        let handler = *handler;
        module
            .register_async_method(name, move |params, ctx, _| async move {
                // Absent or `null` params are an empty list; anything but an array is refused.
                let list: Vec<Value> = match params.as_str() {
                    None => Vec::new(),
                    Some(_) => match params.parse::<Option<Vec<Value>>>() {
                        Ok(list) => list.unwrap_or_default(),
                        Err(e) => {
                            return Err(ErrorObjectOwned::from(RpcError::invalid_params(
                                e.to_string(),
                            )))
                        }
                    },
                };
                let answer = ctx.run(move |d| handler(d, &list)).await;
                match answer {
                    Ok(Ok(value)) => Ok(value),
                    Ok(Err(e)) => Err(ErrorObjectOwned::from(e)),
                    Err(e) => Err(ErrorObjectOwned::from(RpcError::from(e))),
                }
            })
            .map_err(|e| DevnetError::Internal(e.to_string()))?;
    }
    let server = Server::builder()
        .build(addr)
        .await
        .map_err(|e| DevnetError::Internal(format!("cannot bind {addr}: {e}")))?;
    let local = server
        .local_addr()
        .map_err(|e| DevnetError::Internal(e.to_string()))?;
    let handle = server.start(module);
    // Interval mining: seal the pending block every `block_time`, while the server runs.
    if let Some(interval) = devnet.run(|d| d.config().block_time).await? {
        let (devnet, stopped) = (devnet.clone(), handle.clone());
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(interval);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = stopped.clone().stopped() => break,
                    _ = ticks.tick() => {
                        if devnet.run(|d| d.seal_pending()).await.is_err() {
                            break;
                        }
                    }
                }
            }
        });
    }
    Ok((local, handle))
}

// ----- parameter helpers -----

fn param<T: DeserializeOwned>(params: &[Value], index: usize) -> Result<T, RpcError> {
    let value = params
        .get(index)
        .cloned()
        .ok_or_else(|| RpcError::invalid_params(format!("missing parameter {index}")))?;
    serde_json::from_value(value)
        .map_err(|e| RpcError::invalid_params(format!("parameter {index}: {e}")))
}

fn opt_param<T: DeserializeOwned>(params: &[Value], index: usize) -> Result<Option<T>, RpcError> {
    match params.get(index) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => param(params, index).map(Some),
    }
}

/// A number given as a JSON number or a hex/decimal string.
fn as_u64(value: &Value) -> Result<u64, RpcError> {
    match value {
        Value::Number(n) => n
            .as_u64()
            .ok_or_else(|| RpcError::invalid_params("expected an unsigned integer")),
        Value::String(s) => {
            let parsed = match s.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => s.parse(),
            };
            parsed.map_err(|e| RpcError::invalid_params(e.to_string()))
        }
        _ => Err(RpcError::invalid_params("expected a number")),
    }
}

fn quantity(n: u64) -> Value {
    json!(format!("{n:#x}"))
}

fn to_json<T: serde::Serialize>(value: T) -> Result<Value, RpcError> {
    serde_json::to_value(value).map_err(|e| RpcError::server(e.to_string()))
}

fn resolve_block(d: &Devnet, tag: BlockNumberOrTag) -> Option<u64> {
    match tag {
        BlockNumberOrTag::Number(n) => Some(n),
        BlockNumberOrTag::Earliest => Some(0),
        _ => Some(d.block_number()),
    }
}

/// The block a `BlockId` names; only its existence is checked: state queries always answer
/// from the latest state (see README, "Known gaps").
fn check_block(d: &Devnet, id: Option<BlockId>) -> Result<(), RpcError> {
    let exists = match id {
        None => true,
        Some(BlockId::Hash(h)) => d.block_by_hash(h.block_hash).is_some(),
        Some(BlockId::Number(tag)) => resolve_block(d, tag).is_some_and(|n| n <= d.block_number()),
    };
    if exists {
        Ok(())
    } else {
        Err(RpcError::server("header not found"))
    }
}

fn tx_request(req: &TransactionRequest) -> TxRequest {
    TxRequest {
        from: req.from.unwrap_or_default(),
        to: req.to.and_then(|k| k.to().copied()),
        value: req.value.unwrap_or_default(),
        data: req.input.input().cloned().unwrap_or_default(),
        gas: req.gas,
        gas_price: req.gas_price,
        max_fee_per_gas: req.max_fee_per_gas,
        max_priority_fee_per_gas: req.max_priority_fee_per_gas,
        nonce: req.nonce,
        access_list: req.access_list.clone(),
    }
}

/// Applies geth-style state overrides to a copy of the state.
fn overridden_state(d: &Devnet, overrides: StateOverride) -> Result<crate::evm::ChainDb, RpcError> {
    let mut db = d.db_copy();
    for (address, account) in overrides {
        let mut info: AccountInfo = db.basic_ref(address).ok().flatten().unwrap_or_default();
        if let Some(balance) = account.balance {
            info.balance = balance;
        }
        if let Some(nonce) = account.nonce {
            info.nonce = nonce;
        }
        if let Some(code) = account.code {
            let code = Bytecode::new_raw_checked(code)
                .map_err(|e| RpcError::invalid_params(e.to_string()))?;
            info.code_hash = code.hash_slow();
            info.code = Some(code);
        }
        db.insert_account_info(address, info);
        if let Some(state) = account.state {
            let storage = state
                .into_iter()
                .map(|(k, v)| (U256::from_be_bytes(k.0), U256::from_be_bytes(v.0)));
            db.replace_account_storage(address, storage.collect())
                .map_err(|e| RpcError::server(e.to_string()))?;
        }
        if let Some(diff) = account.state_diff {
            for (k, v) in diff {
                db.insert_account_storage(
                    address,
                    U256::from_be_bytes(k.0),
                    U256::from_be_bytes(v.0),
                )
                .map_err(|e| RpcError::server(e.to_string()))?;
            }
        }
    }
    Ok(db)
}

fn eth_call(d: &mut Devnet, p: &[Value]) -> Result<Value, RpcError> {
    let req: TransactionRequest = param(p, 0)?;
    check_block(d, opt_param(p, 1)?)?;
    let db = match opt_param::<StateOverride>(p, 2)? {
        Some(o) => Some(overridden_state(d, o)?),
        None => None,
    };
    let outcome = d.call_with_db(&tx_request(&req), db)?;
    if outcome.success {
        to_json(outcome.output)
    } else {
        Err(RpcError::reverted(&outcome))
    }
}

fn eth_estimate_gas(d: &mut Devnet, p: &[Value]) -> Result<Value, RpcError> {
    let req: TransactionRequest = param(p, 0)?;
    check_block(d, opt_param(p, 1)?)?;
    let db = match opt_param::<StateOverride>(p, 2)? {
        Some(o) => Some(overridden_state(d, o)?),
        None => None,
    };
    match d.estimate_gas_with_db(&tx_request(&req), db)? {
        Ok(gas) => Ok(quantity(gas)),
        Err(outcome) => Err(RpcError::reverted(&outcome)),
    }
}

fn fee_history(d: &mut Devnet, p: &[Value]) -> Result<Value, RpcError> {
    let count = as_u64(&param::<Value>(p, 0)?)?.clamp(1, 1024);
    let newest = resolve_block(d, param(p, 1)?)
        .unwrap_or(0)
        .min(d.block_number());
    let percentiles: Vec<f64> = opt_param(p, 2)?.unwrap_or_default();
    let oldest = newest.saturating_sub(count - 1);
    let blocks: Vec<&BlockRecord> = (oldest..=newest).filter_map(|n| d.block(n)).collect();
    let base_fee = u128::from(d.base_fee());
    let history = FeeHistory {
        base_fee_per_gas: vec![base_fee; blocks.len() + 1],
        gas_used_ratio: blocks
            .iter()
            .map(|b| b.header.gas_used as f64 / b.header.gas_limit.max(1) as f64)
            .collect(),
        base_fee_per_blob_gas: Vec::new(),
        blob_gas_used_ratio: Vec::new(),
        oldest_block: oldest,
        reward: Some(
            blocks
                .iter()
                .map(|_| vec![0u128; percentiles.len()])
                .collect(),
        ),
    };
    to_json(history)
}

fn get_logs(d: &mut Devnet, p: &[Value]) -> Result<Value, RpcError> {
    let filter: Filter = param(p, 0)?;
    let (from, to) = match filter.get_block_hash() {
        Some(hash) => {
            let n = d
                .block_by_hash(hash)
                .map(|b| b.header.number)
                .ok_or_else(|| RpcError::server("unknown block"))?;
            (n, n)
        }
        None => {
            let latest = d.block_number();
            let bound = |b: Option<BlockNumberOrTag>| b.and_then(|t| resolve_block(d, t));
            let from = bound(filter.block_option.get_from_block().copied()).unwrap_or(latest);
            let to = bound(filter.block_option.get_to_block().copied()).unwrap_or(latest);
            (from, to)
        }
    };
    let logs: Vec<RpcLog> = d
        .logs_in(from, to)
        .into_iter()
        .filter(|(_, _, log)| filter.matches(log))
        .map(|(tx, index, log)| rpc_log(d, tx, index, log))
        .collect();
    to_json(logs)
}

// ----- response builders (alloy RPC types) -----

fn rpc_log(d: &Devnet, tx: &TxRecord, index: u64, log: &alloy_primitives::Log) -> RpcLog {
    RpcLog {
        inner: log.clone(),
        block_hash: Some(tx.block_hash),
        block_number: Some(tx.block_number),
        block_timestamp: d.block(tx.block_number).map(|b| b.header.timestamp),
        transaction_hash: Some(tx.hash()),
        transaction_index: Some(tx.index),
        log_index: Some(index),
        removed: false,
    }
}

fn rpc_transaction(tx: &TxRecord) -> RpcTransaction {
    RpcTransaction {
        inner: alloy_consensus::transaction::Recovered::new_unchecked(tx.envelope.clone(), tx.from),
        block_hash: Some(tx.block_hash),
        block_number: Some(tx.block_number),
        transaction_index: Some(tx.index),
        effective_gas_price: Some(tx.effective_gas_price),
    }
}

fn rpc_receipt(d: &Devnet, tx: &TxRecord) -> TransactionReceipt {
    let logs: Vec<RpcLog> = tx
        .outcome
        .logs
        .iter()
        .enumerate()
        .map(|(i, log)| rpc_log(d, tx, tx.first_log_index + i as u64, log))
        .collect();
    let receipt = Receipt {
        status: Eip658Value::Eip658(tx.outcome.success),
        cumulative_gas_used: tx.cumulative_gas_used,
        logs,
    };
    let with_bloom = ReceiptWithBloom {
        receipt,
        logs_bloom: logs_bloom(tx.outcome.logs.iter()),
    };
    let inner = match &tx.envelope {
        TxEnvelope::Legacy(_) => ReceiptEnvelope::Legacy(with_bloom),
        TxEnvelope::Eip2930(_) => ReceiptEnvelope::Eip2930(with_bloom),
        _ => ReceiptEnvelope::Eip1559(with_bloom),
    };
    use alloy_consensus::Transaction as _;
    TransactionReceipt {
        inner,
        transaction_hash: tx.hash(),
        transaction_index: Some(tx.index),
        block_hash: Some(tx.block_hash),
        block_number: Some(tx.block_number),
        gas_used: tx.outcome.gas_used,
        effective_gas_price: tx.effective_gas_price,
        blob_gas_used: None,
        blob_gas_price: None,
        from: tx.from,
        to: tx.envelope.to(),
        contract_address: tx.outcome.contract_address,
    }
}

fn rpc_block(d: &Devnet, block: &BlockRecord, full: bool) -> Block<RpcTransaction> {
    let transactions = if full {
        BlockTransactions::Full(
            block
                .transactions
                .iter()
                .filter_map(|h| d.transaction(*h))
                .map(rpc_transaction)
                .collect(),
        )
    } else {
        BlockTransactions::Hashes(block.transactions.clone())
    };
    let mut header = block.header.clone();
    header.logs_bloom = logs_bloom(
        block
            .transactions
            .iter()
            .filter_map(|h| d.transaction(*h))
            .flat_map(|t| t.outcome.logs.iter()),
    );
    Block {
        header: RpcHeader {
            hash: block.hash,
            inner: header,
            total_difficulty: Some(U256::ZERO),
            size: None,
        },
        uncles: Vec::new(),
        transactions,
        withdrawals: None,
    }
}
