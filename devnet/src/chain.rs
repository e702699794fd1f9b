//! The devnet: world state, blocks, transactions, receipts, time and snapshots.
//!
//! One block per transaction ("automine"). State lives in revm's `CacheDB`; execution goes
//! through revm with the devnet's precompile provider (see [`crate::evm`]), so EVM bytecode and
//! Stylus programs run behind one journal. Everything here is synchronous and single-threaded;
//! [`crate::rpc`] serves it from a dedicated thread.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use alloy_consensus::{
    Header, SignableTransaction, Transaction as _, TxEip1559, TxEnvelope, TxLegacy,
};
use alloy_eips::eip2930::AccessList;
use alloy_primitives::{Address, Bytes, Log, TxKind, B256, U256};
use alloy_signer::SignerSync;
use alloy_signer_local::{coins_bip39::English, MnemonicBuilder, PrivateKeySigner};
use revm::{
    context::{BlockEnv, TxEnv},
    context_interface::result::{ExecutionResult, Output},
    database::DatabaseCommit,
    state::{AccountInfo, Bytecode},
    ExecuteEvm,
};

use crate::config::DevnetConfig;
use crate::error::DevnetError;
use crate::evm::{new_evm, ChainDb, DevCtx, SPEC};
use crate::stylus::{arbwasm, cache, cache_manager, code, GasSplit, StylusChain, StylusRuntime};
use crate::stylus::recent::RecentPrograms;

/// A transaction to execute, as a client describes it (unsigned).
#[derive(Debug, Clone, Default)]
pub struct TxRequest {
    /// Sender.
    pub from: Address,
    /// Callee, `None` to create a contract.
    pub to: Option<Address>,
    /// Wei sent along.
    pub value: U256,
    /// Calldata or init code.
    pub data: Bytes,
    /// Gas limit (`None`: estimated for sends, block limit for calls).
    pub gas: Option<u64>,
    /// Legacy gas price (`None`: EIP-1559 with the fees below or the base fee).
    pub gas_price: Option<u128>,
    /// EIP-1559 fee cap.
    pub max_fee_per_gas: Option<u128>,
    /// EIP-1559 tip.
    pub max_priority_fee_per_gas: Option<u128>,
    /// Nonce (`None`: the account's next).
    pub nonce: Option<u64>,
    /// EIP-2930 access list.
    pub access_list: Option<AccessList>,
}

/// What executing a transaction or call produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecOutcome {
    /// `true` unless the execution reverted or halted.
    pub success: bool,
    /// Return data, or revert data.
    pub output: Bytes,
    /// Gas used (after refunds), as in the receipt.
    pub gas_used: u64,
    /// Logs (empty unless successful).
    pub logs: Vec<Log>,
    /// Address of the contract created by a create transaction.
    pub contract_address: Option<Address>,
    /// Halt reason when the execution halted (out of gas, invalid opcode, ...).
    pub halt: Option<String>,
    /// Gas of the Stylus frames of the transaction, split by what it paid for.
    pub stylus: GasSplit,
    /// Gas refunded (EIP-3529, capped at a fifth of the gas spent), already taken off
    /// `gas_used`.
    pub refunded: u64,
}

/// A mined transaction with its receipt.
#[derive(Debug, Clone)]
pub struct TxRecord {
    /// The signed transaction.
    pub envelope: TxEnvelope,
    /// Recovered sender.
    pub from: Address,
    /// Block it was mined in.
    pub block_number: u64,
    /// Hash of that block.
    pub block_hash: B256,
    /// Index in the block (0 unless interval mining put several transactions in it).
    pub index: u64,
    /// Gas price actually paid per gas.
    pub effective_gas_price: u128,
    /// Gas used by the block up to and including this transaction.
    pub cumulative_gas_used: u64,
    /// Index of its first log in the block.
    pub first_log_index: u64,
    /// Execution outcome.
    pub outcome: ExecOutcome,
}

impl TxRecord {
    /// The transaction's physical floor: what no implementation of the same effects can
    /// avoid paying — the intrinsic gas (21,000, calldata at 4/16 gas per zero/non-zero
    /// byte, access list, create base and init-code words) plus the EVM-priced storage
    /// accesses, logs and account accesses its Stylus programs made, less the refund those
    /// storage writes earn (capped at a fifth, EIP-3529). EVM frames (minimal proxies) are
    /// not counted: their work is a choice of this implementation.
    pub fn physical_floor(&self) -> u64 {
        let split = &self.outcome.stylus;
        let before_refund = self.intrinsic_gas() + split.storage + split.logs + split.accesses;
        before_refund - self.outcome.refunded.min(before_refund / 5)
    }

    /// Intrinsic gas (Cancun): 21,000, calldata at 4/16 gas per zero/non-zero byte, the
    /// access list, a create's base and init-code words.
    pub fn intrinsic_gas(&self) -> u64 {
        use alloy_consensus::Transaction as _;
        let input = self.envelope.input();
        let zeros = input.iter().filter(|b| **b == 0).count() as u64;
        let mut intrinsic = 21_000 + 4 * zeros + 16 * (input.len() as u64 - zeros);
        if let Some(list) = self.envelope.access_list() {
            intrinsic += list.iter().map(|item| 2_400 + 1_900 * item.storage_keys.len() as u64).sum::<u64>();
        }
        if self.envelope.kind().is_create() {
            intrinsic += 32_000 + 2 * (input.len() as u64).div_ceil(32);
        }
        intrinsic
    }

    /// Transaction hash.
    pub fn hash(&self) -> B256 {
        *self.envelope.tx_hash()
    }
}

/// A mined block.
#[derive(Debug, Clone)]
pub struct BlockRecord {
    /// Consensus header (number, timestamp, gas, base fee, parent).
    pub header: Header,
    /// Its hash.
    pub hash: B256,
    /// Hashes of its transactions, in order.
    pub transactions: Vec<B256>,
}

/// Everything `evm_snapshot` saves.
#[derive(Debug, Clone)]
struct Snapshot {
    db: ChainDb,
    blocks: Vec<BlockRecord>,
    txs: HashMap<B256, TxRecord>,
    time_offset: i64,
    next_timestamp: Option<u64>,
}

/// A local Arbitrum-like chain executing EVM bytecode and Stylus programs.
pub struct Devnet {
    config: DevnetConfig,
    db: ChainDb,
    runtime: Arc<StylusRuntime>,
    signers: Vec<PrivateKeySigner>,
    blocks: Vec<BlockRecord>,
    txs: HashMap<B256, TxRecord>,
    time_offset: i64,
    next_timestamp: Option<u64>,
    snapshots: HashMap<u64, Snapshot>,
    next_snapshot: u64,
    /// The block being filled under interval mining (`DevnetConfig::block_time`).
    pending: Option<PendingBlock>,
}

/// A block that collects transactions until it is sealed (interval mining). Its
/// transactions are executed at once against the state, so queries see them; their
/// receipts appear when the block is sealed.
#[derive(Debug, Clone)]
struct PendingBlock {
    number: u64,
    timestamp: u64,
    records: Vec<TxRecord>,
    /// Programs called in this block (ArbOS 60's cached entries span the block).
    recent: RecentPrograms,
}

impl std::fmt::Debug for Devnet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Devnet")
            .field("chain_id", &self.config.chain_id)
            .field("block", &self.block_number())
            .finish_non_exhaustive()
    }
}

fn wall_clock() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl Devnet {
    /// Creates a devnet with prefunded development accounts and a genesis block.
    pub fn new(config: DevnetConfig) -> Result<Self, DevnetError> {
        let runtime =
            Arc::new(StylusRuntime::new().map_err(|e| DevnetError::Internal(e.to_string()))?);
        let mut signers = Vec::new();
        for i in 0..config.dev_accounts {
            let signer = MnemonicBuilder::<English>::default()
                .phrase(config.mnemonic.as_str())
                .index(i)
                .map_err(|e| DevnetError::Internal(e.to_string()))?
                .build()
                .map_err(|e| DevnetError::Internal(e.to_string()))?;
            signers.push(signer);
        }
        let mut db = ChainDb::default();
        for signer in &signers {
            db.insert_account_info(
                signer.address(),
                AccountInfo {
                    balance: config.dev_balance,
                    ..Default::default()
                },
            );
        }
        // Non-empty, so that EIP-161 never clears the account holding activation records.
        let arbos_code = Bytecode::new_legacy(Bytes::from_static(&[0xfe]));
        db.insert_account_info(
            arbwasm::ARBOS_STATE,
            AccountInfo {
                nonce: 1,
                code_hash: arbos_code.hash_slow(),
                code: Some(arbos_code),
                ..Default::default()
            },
        );
        // ArbOS's chain owner and cache-manager set, and the CacheManager built-in.
        let owner = config.chain_owner.or_else(|| signers.first().map(|s| s.address())).unwrap_or_default();
        for (slot, value) in cache::genesis_storage(owner, &[cache_manager::CACHE_MANAGER]) {
            db.insert_account_storage(arbwasm::ARBOS_STATE, slot, value)
                .map_err(|e| DevnetError::Internal(e.to_string()))?;
        }
        let manager_code = Bytecode::new_legacy(Bytes::from_static(&[0xfe]));
        db.insert_account_info(
            cache_manager::CACHE_MANAGER,
            AccountInfo {
                nonce: 1,
                code_hash: manager_code.hash_slow(),
                code: Some(manager_code),
                ..Default::default()
            },
        );
        for (slot, value) in cache_manager::genesis_storage() {
            db.insert_account_storage(cache_manager::CACHE_MANAGER, slot, value)
                .map_err(|e| DevnetError::Internal(e.to_string()))?;
        }
        crate::stylus_deployer::install_genesis(&mut db);
        let timestamp = config.genesis_timestamp.unwrap_or_else(wall_clock);
        let header = Header {
            number: 0,
            timestamp,
            gas_limit: config.block_gas_limit,
            base_fee_per_gas: Some(config.base_fee),
            ..Default::default()
        };
        let genesis = BlockRecord {
            hash: header.hash_slow(),
            header,
            transactions: Vec::new(),
        };
        Ok(Self {
            config,
            db,
            runtime,
            signers,
            blocks: vec![genesis],
            txs: HashMap::new(),
            time_offset: 0,
            next_timestamp: None,
            snapshots: HashMap::new(),
            next_snapshot: 1,
            pending: None,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &DevnetConfig {
        &self.config
    }

    /// Addresses of the prefunded development accounts.
    pub fn accounts(&self) -> Vec<Address> {
        self.signers.iter().map(|s| s.address()).collect()
    }

    /// Number of the latest block.
    pub fn block_number(&self) -> u64 {
        self.blocks.len() as u64 - 1
    }

    /// The latest block.
    pub fn latest_block(&self) -> &BlockRecord {
        // `blocks` always holds at least the genesis block.
        &self.blocks[self.blocks.len() - 1]
    }

    /// Block by number.
    pub fn block(&self, number: u64) -> Option<&BlockRecord> {
        self.blocks.get(number as usize)
    }

    /// Block by hash.
    pub fn block_by_hash(&self, hash: B256) -> Option<&BlockRecord> {
        self.blocks.iter().find(|b| b.hash == hash)
    }

    /// Mined transaction by hash.
    pub fn transaction(&self, hash: B256) -> Option<&TxRecord> {
        self.txs.get(&hash)
    }

    /// Account balance (latest state).
    pub fn balance(&self, address: Address) -> U256 {
        self.db
            .cache
            .accounts
            .get(&address)
            .map(|a| a.info.balance)
            .unwrap_or_default()
    }

    /// Account nonce (latest state).
    pub fn nonce(&self, address: Address) -> u64 {
        self.db
            .cache
            .accounts
            .get(&address)
            .map(|a| a.info.nonce)
            .unwrap_or_default()
    }

    /// Account code (latest state).
    pub fn code(&self, address: Address) -> Bytes {
        self.db
            .cache
            .accounts
            .get(&address)
            .and_then(|a| a.info.code.as_ref().map(|c| c.original_bytes()))
            .unwrap_or_default()
    }

    /// Storage slot (latest state).
    pub fn storage(&self, address: Address, slot: U256) -> U256 {
        self.db
            .cache
            .accounts
            .get(&address)
            .and_then(|a| a.storage.get(&slot).copied())
            .unwrap_or_default()
    }

    /// Sets an account's balance directly (test helper, like `anvil_setBalance`).
    pub fn set_balance(&mut self, address: Address, balance: U256) {
        let mut info = self
            .db
            .cache
            .accounts
            .get(&address)
            .map(|a| a.info.clone())
            .unwrap_or_default();
        info.balance = balance;
        self.db.insert_account_info(address, info);
    }

    /// Base fee of the next block.
    pub fn base_fee(&self) -> u64 {
        self.config.base_fee
    }

    /// A copy of the latest state, to apply state overrides to.
    #[allow(dead_code)] // used by the JSON-RPC layer for state overrides
    pub(crate) fn db_copy(&self) -> ChainDb {
        self.db.clone()
    }

    // ----- time and blocks -----

    fn next_block_timestamp(&self) -> u64 {
        if let Some(ts) = self.next_timestamp {
            return ts;
        }
        // Nitro's rule: the wall clock (L1's timestamp there), never below the parent's —
        // blocks within one second share a timestamp (arbos/block_processor.go,
        // createNewHeader). A strictly increasing clock would make a busy devnet's time run
        // ahead by a second a block and pass deals' deadlines in minutes.
        let now = wall_clock().saturating_add_signed(self.time_offset);
        now.max(self.latest_block().header.timestamp)
    }

    /// Moves the clock forward by `seconds` (`evm_increaseTime`); returns the total offset.
    pub fn increase_time(&mut self, seconds: u64) -> i64 {
        self.time_offset = self.time_offset.saturating_add(seconds as i64);
        if let Some(ts) = self.next_timestamp.as_mut() {
            *ts = ts.saturating_add(seconds);
        }
        self.time_offset
    }

    /// Fixes the timestamp of the next block (`evm_setNextBlockTimestamp`).
    pub fn set_next_block_timestamp(&mut self, timestamp: u64) -> Result<(), DevnetError> {
        if timestamp <= self.latest_block().header.timestamp {
            return Err(DevnetError::InvalidTransaction(format!(
                "timestamp {timestamp} is not after the latest block's {}",
                self.latest_block().header.timestamp
            )));
        }
        self.next_timestamp = Some(timestamp);
        Ok(())
    }

    fn block_env(&self, number: u64, timestamp: u64) -> BlockEnv {
        BlockEnv {
            number: U256::from(number),
            timestamp: U256::from(timestamp),
            gas_limit: self.config.block_gas_limit,
            basefee: self.config.base_fee,
            beneficiary: arbwasm::SEQUENCER,
            difficulty: U256::from(1u8),
            prevrandao: Some(B256::with_last_byte(1)),
            ..Default::default()
        }
    }

    fn seal_block(&mut self, timestamp: u64, gas_used: u64, transactions: Vec<B256>) -> B256 {
        // The clock never lags behind the chain: after a fixed timestamp, or after several
        // blocks sealed within one wall-clock second (each +1 s), the offset catches up with
        // the block, so `evm_increaseTime(n)` always moves the next block ≥ n s past this one.
        let lead = timestamp as i64 - wall_clock() as i64;
        if self.next_timestamp.take().is_some() || lead > self.time_offset {
            self.time_offset = lead;
        }
        let parent = self.latest_block();
        let header = Header {
            parent_hash: parent.hash,
            number: parent.header.number + 1,
            timestamp,
            gas_limit: self.config.block_gas_limit,
            gas_used,
            base_fee_per_gas: Some(self.config.base_fee),
            beneficiary: arbwasm::SEQUENCER,
            ..Default::default()
        };
        let hash = header.hash_slow();
        self.blocks.push(BlockRecord {
            header,
            hash,
            transactions,
        });
        hash
    }

    /// Mines `count` blocks (`evm_mine`): under interval mining the pending block first,
    /// then empty ones.
    pub fn mine(&mut self, count: u64) {
        let sealed = u64::from(self.seal_pending());
        for _ in sealed..count {
            let ts = self.next_block_timestamp();
            self.seal_block(ts, 0, Vec::new());
        }
    }

    /// Seals the pending block of interval mining, if it holds transactions; returns whether
    /// a block was sealed. The JSON-RPC server calls it every `block_time`.
    pub fn seal_pending(&mut self) -> bool {
        let Some(pending) = self.pending.take() else {
            return false;
        };
        let gas_used = pending.records.last().map_or(0, |r| r.cumulative_gas_used);
        let hashes = pending.records.iter().map(TxRecord::hash).collect();
        let block_hash = self.seal_block(pending.timestamp, gas_used, hashes);
        for mut record in pending.records {
            record.block_hash = block_hash;
            self.txs.insert(record.hash(), record);
        }
        true
    }

    /// A transaction of the pending block (no receipt yet).
    pub fn pending_transaction(&self, hash: B256) -> Option<&TxRecord> {
        self.pending.as_ref()?.records.iter().find(|r| r.hash() == hash)
    }

    /// Mines one empty block at `timestamp` (`evm_mine` with a timestamp).
    pub fn mine_at(&mut self, timestamp: u64) -> Result<(), DevnetError> {
        self.seal_pending();
        self.set_next_block_timestamp(timestamp)?;
        self.mine(1);
        Ok(())
    }

    // ----- snapshots -----

    /// Saves the whole chain (`evm_snapshot`); returns the snapshot id.
    pub fn snapshot(&mut self) -> u64 {
        // A snapshot is of sealed blocks only.
        self.seal_pending();
        let id = self.next_snapshot;
        self.next_snapshot += 1;
        self.snapshots.insert(
            id,
            Snapshot {
                db: self.db.clone(),
                blocks: self.blocks.clone(),
                txs: self.txs.clone(),
                time_offset: self.time_offset,
                next_timestamp: self.next_timestamp,
            },
        );
        id
    }

    /// Restores a snapshot (`evm_revert`); like Ganache/Anvil, it and later snapshots are
    /// consumed. Returns `false` for an unknown id.
    pub fn revert_to(&mut self, id: u64) -> bool {
        let Some(snapshot) = self.snapshots.remove(&id) else {
            return false;
        };
        self.snapshots.retain(|k, _| *k < id);
        self.pending = None;
        self.db = snapshot.db;
        self.blocks = snapshot.blocks;
        self.txs = snapshot.txs;
        self.time_offset = snapshot.time_offset;
        self.next_timestamp = snapshot.next_timestamp;
        true
    }

    // ----- execution -----

    fn context(&mut self, db: ChainDb, block: BlockEnv, simulate: bool) -> DevCtx {
        let mut ctx = DevCtx::new(db, SPEC);
        ctx.block = block;
        ctx.cfg.chain_id = self.config.chain_id;
        ctx.cfg.disable_eip3541 = true;
        ctx.cfg.tx_gas_limit_cap = Some(self.config.block_gas_limit);
        if simulate {
            ctx.cfg.disable_nonce_check = true;
            ctx.cfg.disable_balance_check = true;
            ctx.cfg.disable_base_fee = true;
        }
        ctx.chain = StylusChain::new(self.runtime.clone(), self.config.stylus);
        ctx.chain.start_transaction();
        if let Some(pending) = self.pending.as_ref().filter(|_| !simulate) {
            ctx.chain.recent = pending.recent.clone();
        }
        ctx
    }

    /// Executes `tx` on `db` in block `block`; returns the outcome and the changed state.
    fn execute(
        &mut self,
        db: ChainDb,
        block: BlockEnv,
        tx: TxEnv,
        simulate: bool,
    ) -> (
        ChainDb,
        Result<(ExecOutcome, revm::state::EvmState), DevnetError>,
    ) {
        let ctx = self.context(db, block, simulate);
        let mut evm = new_evm(ctx);
        tracing::trace!(target: "devnet::storage", simulate, "execution");
        let result = evm.transact(tx);
        let split = evm.ctx.chain.split;
        if let Some(pending) = self.pending.as_mut().filter(|_| !simulate) {
            pending.recent = std::mem::take(&mut evm.ctx.chain.recent);
        }
        let db = std::mem::take(&mut evm.ctx.journaled_state.database);
        let result = match result {
            Ok(r) => Ok((outcome(r.result, split), r.state)),
            Err(e) => Err(DevnetError::InvalidTransaction(e.to_string())),
        };
        (db, result)
    }

    fn tx_env(&self, req: &TxRequest, gas_limit: u64, nonce: u64) -> TxEnv {
        let (tx_type, gas_price, priority) = match (req.gas_price, req.max_fee_per_gas) {
            (Some(price), _) => (if req.access_list.is_some() { 1 } else { 0 }, price, None),
            (None, Some(max)) => (2, max, Some(req.max_priority_fee_per_gas.unwrap_or(0))),
            (None, None) => (2, u128::from(self.config.base_fee), Some(0)),
        };
        TxEnv {
            tx_type,
            caller: req.from,
            gas_limit,
            gas_price,
            kind: req.to.map_or(TxKind::Create, TxKind::Call),
            value: req.value,
            data: req.data.clone(),
            nonce,
            chain_id: Some(self.config.chain_id),
            access_list: req.access_list.clone().unwrap_or_default(),
            gas_priority_fee: priority,
            ..Default::default()
        }
    }

    /// Simulates `req` against the latest state (or `db` when given, for state overrides)
    /// without changing anything (`eth_call`).
    pub fn call(&mut self, req: &TxRequest) -> Result<ExecOutcome, DevnetError> {
        self.call_with_db(req, None)
    }

    /// Like [`Devnet::call`], against a modified copy of the state.
    pub(crate) fn call_with_db(
        &mut self,
        req: &TxRequest,
        db: Option<ChainDb>,
    ) -> Result<ExecOutcome, DevnetError> {
        let latest = self.latest_block().header.clone();
        let block = self.block_env(latest.number, latest.timestamp);
        let gas = req
            .gas
            .unwrap_or(self.config.block_gas_limit)
            .min(self.config.block_gas_limit);
        let mut tx = self.tx_env(req, gas, req.nonce.unwrap_or_else(|| self.nonce(req.from)));
        if req.gas_price.is_none() && req.max_fee_per_gas.is_none() {
            tx.gas_price = 0;
            tx.gas_priority_fee = Some(0);
        }
        let (own, db) = match db {
            Some(db) => (false, db),
            None => (true, std::mem::take(&mut self.db)),
        };
        let (db, result) = self.execute(db, block, tx, true);
        if own {
            self.db = db;
        }
        result.map(|(outcome, _)| outcome)
    }

    /// Estimates the gas `req` needs (`eth_estimateGas`): binary search on the gas limit
    /// between the gas used at the cap and the cap. A failing call is reported as the outcome.
    pub fn estimate_gas(
        &mut self,
        req: &TxRequest,
    ) -> Result<Result<u64, ExecOutcome>, DevnetError> {
        self.estimate_gas_with_db(req, None)
    }

    pub(crate) fn estimate_gas_with_db(
        &mut self,
        req: &TxRequest,
        db: Option<ChainDb>,
    ) -> Result<Result<u64, ExecOutcome>, DevnetError> {
        let cap = req
            .gas
            .unwrap_or(self.config.block_gas_limit)
            .min(self.config.block_gas_limit);
        let probe = |this: &mut Self, gas: u64| -> Result<ExecOutcome, DevnetError> {
            let mut r = req.clone();
            r.gas = Some(gas);
            this.call_with_db(&r, db.clone())
        };
        let first = probe(self, cap)?;
        if !first.success {
            return Ok(Err(first));
        }
        // Gas used plus refunds is a lower bound; 63/64 forwarding needs a margin above it.
        let mut lo = first.gas_used.saturating_sub(1);
        let mut hi = cap;
        let guess = (first.gas_used * 64 / 63 + 2_300).min(cap);
        if probe(self, guess)?.success {
            hi = guess;
        } else {
            lo = guess;
        }
        while hi - lo > 1 && (hi - lo) * 1000 > hi {
            let mid = lo + (hi - lo) / 2;
            if probe(self, mid)?.success {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Ok(Ok(hi))
    }

    /// Signs and mines `req` from a development account (`eth_sendTransaction`).
    pub fn send(&mut self, req: TxRequest) -> Result<TxRecord, DevnetError> {
        let signer = self
            .signers
            .iter()
            .find(|s| s.address() == req.from)
            .cloned()
            .ok_or(DevnetError::UnknownAccount(req.from))?;
        let nonce = req.nonce.unwrap_or_else(|| self.nonce(req.from));
        let gas = match req.gas {
            Some(gas) => gas,
            None => match self.estimate_gas(&req)? {
                Ok(gas) => gas,
                // Mine the failing transaction anyway with the cap, like a node would.
                Err(_) => self.config.block_gas_limit,
            },
        };
        let kind = req.to.map_or(TxKind::Create, TxKind::Call);
        let envelope: TxEnvelope = if let Some(price) = req.gas_price {
            let tx = TxLegacy {
                chain_id: Some(self.config.chain_id),
                nonce,
                gas_price: price,
                gas_limit: gas,
                to: kind,
                value: req.value,
                input: req.data.clone(),
            };
            let sig = signer
                .sign_hash_sync(&tx.signature_hash())
                .map_err(|e| DevnetError::Internal(e.to_string()))?;
            tx.into_signed(sig).into()
        } else {
            let tx = TxEip1559 {
                chain_id: self.config.chain_id,
                nonce,
                gas_limit: gas,
                max_fee_per_gas: req
                    .max_fee_per_gas
                    .unwrap_or(u128::from(self.config.base_fee) * 2),
                max_priority_fee_per_gas: req.max_priority_fee_per_gas.unwrap_or(0),
                to: kind,
                value: req.value,
                access_list: req.access_list.clone().unwrap_or_default(),
                input: req.data.clone(),
            };
            let sig = signer
                .sign_hash_sync(&tx.signature_hash())
                .map_err(|e| DevnetError::Internal(e.to_string()))?;
            tx.into_signed(sig).into()
        };
        self.submit(envelope, req.from)
    }

    /// Decodes, recovers and mines a signed transaction (`eth_sendRawTransaction`).
    pub fn send_raw(&mut self, raw: &[u8]) -> Result<TxRecord, DevnetError> {
        use alloy_consensus::transaction::SignerRecoverable;
        use alloy_eips::eip2718::Decodable2718;
        let envelope = TxEnvelope::decode_2718(&mut &raw[..])
            .map_err(|e| DevnetError::Decode(e.to_string()))?;
        let from = envelope
            .recover_signer()
            .map_err(|e| DevnetError::Decode(e.to_string()))?;
        self.submit(envelope, from)
    }

    /// Executes a signed transaction in a new block and records it.
    pub fn submit(&mut self, envelope: TxEnvelope, from: Address) -> Result<TxRecord, DevnetError> {
        let tx = tx_env_from_envelope(&envelope, from)?;
        if tx.chain_id.is_some_and(|id| id != self.config.chain_id) {
            return Err(DevnetError::InvalidTransaction("wrong chain id".into()));
        }
        let hash = *envelope.tx_hash();
        if self.txs.contains_key(&hash) || self.pending_transaction(hash).is_some() {
            return Err(DevnetError::AlreadyKnown);
        }
        let state = self.nonce(from);
        match tx.nonce.cmp(&state) {
            std::cmp::Ordering::Less => return Err(DevnetError::NonceTooLow { address: from, tx: tx.nonce, state }),
            std::cmp::Ordering::Greater => {
                return Err(DevnetError::NonceTooHigh { address: from, tx: tx.nonce, state })
            }
            std::cmp::Ordering::Equal => {}
        }
        if self.config.block_time.is_some() && self.pending.is_none() {
            let (number, timestamp) = (self.block_number() + 1, self.next_block_timestamp());
            self.pending = Some(PendingBlock { number, timestamp, records: Vec::new(), recent: Default::default() });
        }
        let (number, timestamp) = match &self.pending {
            Some(p) => (p.number, p.timestamp),
            None => (self.block_number() + 1, self.next_block_timestamp()),
        };
        let block = self.block_env(number, timestamp);
        let db = std::mem::take(&mut self.db);
        let effective_gas_price = {
            use revm::context::Transaction as _;
            tx.effective_gas_price(u128::from(self.config.base_fee))
        };
        let (mut db, result) = self.execute(db, block, tx, false);
        let (outcome, state) = match result {
            Ok(r) => r,
            Err(e) => {
                self.db = db;
                return Err(e);
            }
        };
        db.commit(state);
        self.db = db;
        let gas_used = outcome.gas_used;
        if let Some(pending) = self.pending.as_mut() {
            let last = pending.records.last();
            let record = TxRecord {
                envelope,
                from,
                block_number: number,
                // Known when the block is sealed.
                block_hash: B256::ZERO,
                index: pending.records.len() as u64,
                effective_gas_price,
                cumulative_gas_used: last.map_or(0, |r| r.cumulative_gas_used) + gas_used,
                first_log_index: last.map_or(0, |r| r.first_log_index + r.outcome.logs.len() as u64),
                outcome,
            };
            pending.records.push(record.clone());
            tracing::debug!(%hash, number, gas_used, success = record.outcome.success, "pending");
            return Ok(record);
        }
        let block_hash = self.seal_block(timestamp, gas_used, vec![hash]);
        let record = TxRecord {
            envelope,
            from,
            block_number: number,
            block_hash,
            index: 0,
            effective_gas_price,
            cumulative_gas_used: gas_used,
            first_log_index: 0,
            outcome,
        };
        self.txs.insert(hash, record.clone());
        tracing::debug!(%hash, number, gas_used, success = record.outcome.success, "mined");
        Ok(record)
    }

    /// Logs of mined transactions in blocks `from..=to`, with their position.
    pub fn logs_in(&self, from: u64, to: u64) -> Vec<(&TxRecord, u64, &Log)> {
        let mut out = Vec::new();
        for number in from..=to.min(self.block_number()) {
            let Some(block) = self.block(number) else {
                continue;
            };
            for hash in &block.transactions {
                if let Some(tx) = self.txs.get(hash) {
                    for (i, log) in tx.outcome.logs.iter().enumerate() {
                        out.push((tx, tx.first_log_index + i as u64, log));
                    }
                }
            }
        }
        out
    }

    // ----- Stylus conveniences -----

    /// Deploys `wasm` as a Stylus program from `from` and activates it; returns its address.
    ///
    /// `wasm` is a compiler's output: it is first processed like cargo-stylus does
    /// ([`code::process_wasm`]).
    pub fn deploy_stylus(&mut self, from: Address, wasm: &[u8]) -> Result<Address, DevnetError> {
        let wasm =
            code::process_wasm(wasm).map_err(|e| DevnetError::InvalidTransaction(e.to_string()))?;
        let code = code::compress_wasm(&wasm);
        let deployed = self.send(TxRequest {
            from,
            data: code::deploy_init_code(&code),
            gas: Some(self.config.block_gas_limit),
            ..Default::default()
        })?;
        let address = match (&deployed.outcome.contract_address, deployed.outcome.success) {
            (Some(a), true) => *a,
            _ => {
                return Err(DevnetError::InvalidTransaction(format!(
                    "deploying the program failed: {:?}",
                    deployed.outcome.halt
                )))
            }
        };
        match self.activate(from, address) {
            // Activation is per codehash: the same program deployed twice is already active.
            Ok(_) | Err(DevnetError::AlreadyActivated(_)) => Ok(address),
            Err(e) => Err(e),
        }
    }

    /// Activates the Stylus program at `program` through `ArbWasm`, paying the data fee.
    pub fn activate(&mut self, from: Address, program: Address) -> Result<TxRecord, DevnetError> {
        use alloy_sol_types::SolCall;
        let data: Bytes = arbwasm::ArbWasm::activateProgramCall { program }
            .abi_encode()
            .into();
        let probe = self.call(&TxRequest {
            from,
            to: Some(arbwasm::ARB_WASM),
            data: data.clone(),
            value: U256::from(10u64).pow(U256::from(18u64)),
            ..Default::default()
        })?;
        if !probe.success {
            use alloy_sol_types::SolError;
            if arbwasm::ArbWasm::ProgramUpToDate::abi_decode(&probe.output).is_ok() {
                return Err(DevnetError::AlreadyActivated(program));
            }
            let why = probe.halt.clone().unwrap_or_else(|| revert_text(&probe.output));
            return Err(DevnetError::InvalidTransaction(format!("activation fails: {why}")));
        }
        let fee = arbwasm::ArbWasm::activateProgramCall::abi_decode_returns(&probe.output)
            .map(|r| r.dataFee)
            .map_err(|e| DevnetError::Internal(e.to_string()))?;
        let record = self.send(TxRequest {
            from,
            to: Some(arbwasm::ARB_WASM),
            data,
            value: fee,
            ..Default::default()
        })?;
        if !record.outcome.success {
            let why = record.outcome.halt.clone().unwrap_or_else(|| revert_text(&record.outcome.output));
            return Err(DevnetError::InvalidTransaction(format!("activation failed: {why}")));
        }
        Ok(record)
    }
}

/// Best-effort text of revert data (an `Error(string)` reason, else hex).
pub fn revert_text(output: &[u8]) -> String {
    use alloy_sol_types::SolError;
    match alloy_sol_types::Revert::abi_decode(output) {
        Ok(r) => r.reason,
        Err(_) => alloy_primitives::hex::encode_prefixed(output),
    }
}

fn outcome(result: ExecutionResult, stylus: GasSplit) -> ExecOutcome {
    let gas_used = result.tx_gas_used();
    let refunded = result.gas().final_refunded();
    match result {
        ExecutionResult::Success { logs, output, .. } => {
            let (output, contract_address) = match output {
                Output::Call(bytes) => (bytes, None),
                Output::Create(bytes, address) => (bytes, address),
            };
            ExecOutcome {
                success: true,
                output,
                gas_used,
                logs,
                contract_address,
                halt: None,
                stylus,
                refunded,
            }
        }
        ExecutionResult::Revert { output, .. } => ExecOutcome {
            success: false,
            output,
            gas_used,
            logs: Vec::new(),
            contract_address: None,
            halt: None,
            stylus,
            refunded,
        },
        ExecutionResult::Halt { reason, .. } => ExecOutcome {
            success: false,
            output: Bytes::new(),
            gas_used,
            logs: Vec::new(),
            contract_address: None,
            halt: Some(halt_text(&reason)),
            stylus,
            refunded,
        },
    }
}

/// What a halted transaction reports: a precompile's own error as it gave it (nitro's
/// activation failures, e.g. "program activation failed: …"), otherwise revm's halt reason.
fn halt_text(reason: &revm::context_interface::result::HaltReason) -> String {
    use revm::context_interface::result::HaltReason;
    match reason {
        HaltReason::PrecompileErrorWithContext(message) => message.clone(),
        other => format!("{other:?}"),
    }
}

/// Builds revm's transaction environment from a signed transaction.
fn tx_env_from_envelope(envelope: &TxEnvelope, from: Address) -> Result<TxEnv, DevnetError> {
    let (tx_type, priority) = match envelope {
        TxEnvelope::Legacy(_) => (0u8, None),
        TxEnvelope::Eip2930(_) => (1, None),
        TxEnvelope::Eip1559(_) => (2, envelope.max_priority_fee_per_gas()),
        _ => {
            return Err(DevnetError::InvalidTransaction(
                "unsupported transaction type (legacy, EIP-2930 and EIP-1559 are)".into(),
            ))
        }
    };
    Ok(TxEnv {
        tx_type,
        caller: from,
        gas_limit: envelope.gas_limit(),
        gas_price: envelope.max_fee_per_gas(),
        kind: envelope.kind(),
        value: envelope.value(),
        data: envelope.input().clone(),
        nonce: envelope.nonce(),
        chain_id: envelope.chain_id(),
        access_list: envelope.access_list().cloned().unwrap_or_default(),
        gas_priority_fee: priority,
        ..Default::default()
    })
}
