//! The scheduler's rounds: watch the workerpool's deals, initialize their tasks, drive each
//! task from the chain's state (consensus → reveal → upload → finalize, or reopen), claim
//! what passed its final deadline — and hand tasks to workers when they ask.
//!
//! Every decision is taken from what the chain says *now* (`viewTask`, `viewContribution`),
//! read just before acting; the database only remembers what the chain cannot tell (which
//! worker was given what, who uploads, the result link, transactions in flight). That is
//! what makes a restart safe: a new process reads the same chain and the same database and
//! takes up where the last one stopped, and a task with a transaction still pending is left
//! alone until that transaction is settled.

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
};

use alloy::{
    primitives::{keccak256, Address, Bytes, B256, U256},
    rpc::types::Filter,
    signers::{local::PrivateKeySigner, SignerSync},
    sol_types::{SolCall, SolEvent},
};
use anyhow::{Context, Result};
use poco_client::{
    bindings::{IHub, IPoco2, ITaskViews},
    pool_api::{AbortReason, Action, Assignment, Mode, ResultLink},
};
use poco_core::{
    consensus::{is_consensus_reached, worker_weight},
    constants::TAG_TEE,
    ids::task_id,
    messages::{eth_signed_message_hash, worker_authorization_hash},
};
use rand::seq::IndexedRandom;
use tokio::sync::Mutex;
use tracing::{info, warn};

use crate::{
    chain::{Chain, Sent},
    config::Config,
    store::{address, b256, hex_of, DealRow, ReplicateRow, Store, TaskRow},
};

alloy::sol! {
    /// The hub's deal notice to a workerpool (PoCo's `IexecPoco1Facet.matchOrders`); the
    /// event the scheduler watches, filtered on its pool (topic 1).
    #[derive(Debug)]
    event SchedulerNotice(address indexed workerpool, bytes32 dealid);
}

/// On-chain task status (`IexecLibCore_v5.TaskStatusEnum`).
pub mod task_status {
    /// Not initialized.
    pub const UNSET: u8 = 0;
    /// Taking contributions.
    pub const ACTIVE: u8 = 1;
    /// Consensus reached; taking reveals.
    pub const REVEALING: u8 = 2;
    /// Finalized.
    pub const COMPLETED: u8 = 3;
    /// Claimed.
    pub const FAILED: u8 = 4;
}

/// On-chain contribution status (`IexecLibCore_v5.ContributionStatusEnum`).
pub mod contribution_status {
    /// None.
    pub const UNSET: u8 = 0;
    /// Contributed.
    pub const CONTRIBUTED: u8 = 1;
    /// Revealed (Java: REVEALED).
    pub const PROVED: u8 = 2;
    /// Its vote lost (reopen).
    pub const REJECTED: u8 = 3;
}

/// Contribution deadline ratio (PoCo `FacetBase.CONTRIBUTION_DEADLINE_RATIO`).
const CONTRIBUTION_DEADLINE_RATIO: i64 = 7;
/// Final deadline ratio (PoCo `FacetBase.FINAL_DEADLINE_RATIO`).
const FINAL_DEADLINE_RATIO: i64 = 10;
/// Transactions of a task that may fail before the scheduler stops trying (the task is
/// then left to the claim at its final deadline, as the failure table says).
const MAX_FAILURES: i64 = 3;

/// Replicate statuses after which a replicate no longer counts for the consensus.
const DEAD: [&str; 3] = ["failed", "aborted", "rejected"];

/// The engine, shared by the rounds loop and the worker API.
pub struct Engine {
    /// Chain access.
    pub chain: Chain,
    /// Database.
    pub store: Store,
    /// Configuration.
    pub config: Config,
    /// The workerpool owner's key (authorizations).
    signer: PrivateKeySigner,
    /// One writer at a time over the tasks and replicates tables: a round's step of a task,
    /// an assignment and a worker's report each read rows, decide and write them back, so
    /// two of them interleaving would lose an update (e.g. a round saving a task read
    /// before a worker's upload, erasing its result link).
    state_lock: Mutex<()>,
}

/// The JSON of an action.
pub fn action_json(a: &Action) -> String {
    // Serialising a plain enum of strings and numbers cannot fail.
    serde_json::to_string(a).unwrap_or_else(|_| "{\"action\":\"wait\"}".into())
}

/// An action back from its JSON (a row this code wrote).
pub fn parse_action(s: &str) -> Action {
    serde_json::from_str(s).unwrap_or(Action::Wait)
}

fn u64_of(v: U256) -> u64 {
    v.try_into().unwrap_or(u64::MAX)
}

fn i64_of(v: U256) -> i64 {
    v.try_into().unwrap_or(i64::MAX)
}

impl Engine {
    /// An engine over `chain` and `store`, signing as `signer`.
    pub fn new(chain: Chain, store: Store, config: Config, signer: PrivateKeySigner) -> Arc<Self> {
        Arc::new(Self { chain, store, config, signer, state_lock: Mutex::new(()) })
    }

    /// Holds the state lock (see `state_lock`) for a read-decide-write over tasks and
    /// replicates outside the engine (the worker API's reports).
    pub async fn lock_state(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.state_lock.lock().await
    }

    /// The workerpool owner's key.
    pub fn signer(&self) -> &PrivateKeySigner {
        &self.signer
    }

    /// The URL result links point to.
    pub fn public_url(&self, bound: std::net::SocketAddr) -> String {
        self.config.public_url.clone().unwrap_or_else(|| format!("http://{bound}"))
    }

    /// One round: settle transactions in flight, watch, initialize, drive, claim.
    pub async fn round(&self) -> Result<()> {
        let pending = self.chain.resolve_pending(&self.store).await?;
        let busy = self.busy_tasks().await?;
        let (block, now) = self.chain.head().await?;
        self.watch(block, now).await?;
        if pending == 0 {
            self.initialize(now, &busy).await?;
        }
        let claimable = self.drive(now, &busy).await?;
        self.claim(now, claimable, &busy).await?;
        Ok(())
    }

    /// Task ids of transactions still pending.
    async fn busy_tasks(&self) -> Result<HashSet<String>> {
        let mut busy = HashSet::new();
        for tx in self.store.txs("pending").await? {
            busy.extend(tx.subjects.split(',').filter(|s| !s.is_empty()).map(str::to_owned));
        }
        Ok(busy)
    }

    /// Reads `SchedulerNotice` logs of the workerpool from the cursor (minus the reorg
    /// margin) up to `latest`, by batches of 1,000 blocks, and records new deals.
    async fn watch(&self, latest: u64, now: u64) -> Result<()> {
        let mut next = self.store.cursor().await?.unwrap_or(self.config.start_block);
        loop {
            let from = next.saturating_sub(self.config.reorg_margin);
            let to = latest.min(from + 999);
            if from > to {
                return Ok(());
            }
            let filter = Filter::new()
                .address(self.chain.hub)
                .event_signature(SchedulerNotice::SIGNATURE_HASH)
                .topic1(self.config.workerpool.into_word())
                .from_block(from)
                .to_block(to);
            for log in self.chain.logs(&filter).await? {
                let Ok(notice) = SchedulerNotice::decode_log_data(log.data()) else {
                    warn!(?log, "undecodable SchedulerNotice");
                    continue;
                };
                self.record_deal(notice.dealid, log.block_number.unwrap_or(to), now).await?;
            }
            next = to + 1;
            self.store.set_cursor(next).await?;
            if to >= latest {
                return Ok(());
            }
        }
    }

    /// Reads a deal and records it with its tasks (if new).
    async fn record_deal(&self, deal_id: B256, block: u64, now: u64) -> Result<()> {
        if self.store.deal(&hex_of(deal_id)).await.is_ok() {
            return Ok(());
        }
        let deal = self.chain.view(IHub::viewDealCall { id: deal_id }).await?;
        let category = self.chain.view(IHub::viewCategoryCall { catid: deal.category }).await?;
        let timeref = i64_of(category.workClockTimeRef);
        let start = i64_of(deal.startTime);
        let row = DealRow {
            deal_id: hex_of(deal_id),
            bot_first: i64_of(deal.botFirst),
            bot_size: i64_of(deal.botSize),
            trust: i64_of(deal.trust).max(1),
            callback: hex_of(deal.callback),
            start_time: start,
            timeref,
            notice_block: i64::try_from(block)?,
        };
        let tasks: Vec<(B256, u64)> = (u64_of(deal.botFirst)..u64_of(deal.botFirst) + u64_of(deal.botSize))
            .map(|i| (task_id(&deal_id, &U256::from(i)), i))
            .collect();
        // iexec-core's shouldProcessDeal: no TEE here (no SMS), nothing after the deadline.
        let tee = deal.tag.0[31] & TAG_TEE != 0;
        let late = i64::try_from(now)? >= start + CONTRIBUTION_DEADLINE_RATIO * timeref;
        let phase = if tee || late { "skipped" } else { "pending" };
        if self.store.insert_deal(&row, &tasks, phase).await? {
            info!(deal = %deal_id, tasks = tasks.len(), trust = row.trust, phase, "new deal");
            if tee {
                warn!(deal = %deal_id, "TEE deal: this scheduler has no SMS; its tasks are left to the claim");
            }
        }
        Ok(())
    }

    /// Initializes pending tasks with `initializeArray` (a task the chain already shows
    /// initialized is only marked so).
    async fn initialize(&self, now: u64, busy: &HashSet<String>) -> Result<()> {
        let mut todo: Vec<TaskRow> = Vec::new();
        for mut t in self.store.tasks_in_phase("pending").await? {
            if busy.contains(&t.task_id) {
                continue;
            }
            let id = b256(&t.task_id)?;
            let task = self.chain.view(ITaskViews::viewTaskCall { id }).await?;
            if task.status != task_status::UNSET {
                t.phase = "active".into();
                t.chain_status = i64::from(task.status);
                t.initialized_block.get_or_insert(self.chain.head().await?.0 as i64);
                self.store.save_task(&t).await?;
                continue;
            }
            let deal = self.store.deal(&t.deal_id).await?;
            if i64::try_from(now)? >= deal.start_time + CONTRIBUTION_DEADLINE_RATIO * deal.timeref {
                t.phase = "skipped".into();
                t.note = Some("contribution deadline passed before initialization".into());
                self.store.save_task(&t).await?;
                continue;
            }
            todo.push(t);
        }
        // Tasks that failed before go one by one, so one bad task does not block a batch.
        let (retried, fresh): (Vec<TaskRow>, Vec<TaskRow>) = todo.into_iter().partition(|t| t.failures > 0);
        let mut batches: Vec<Vec<TaskRow>> = fresh.chunks(self.config.init_batch.max(1)).map(<[TaskRow]>::to_vec).collect();
        batches.extend(retried.into_iter().map(|t| vec![t]));
        for batch in batches {
            let deals = batch.iter().map(|t| b256(&t.deal_id)).collect::<Result<Vec<_>>>()?;
            let idxs: Vec<U256> = batch.iter().map(|t| U256::from(t.idx.max(0) as u64)).collect();
            let ids = batch.iter().map(|t| b256(&t.task_id)).collect::<Result<Vec<_>>>()?;
            let input = IPoco2::initializeArrayCall { dealIds: deals, indexes: idxs }.abi_encode();
            let sent = self.chain.send(&self.store, "initialize", &ids, input.into(), now).await?;
            match sent {
                Sent::Mined(block) => {
                    for mut t in batch {
                        t.phase = "active".into();
                        t.chain_status = i64::from(task_status::ACTIVE);
                        t.initialized_block = Some(i64::try_from(block)?);
                        self.store.save_task(&t).await?;
                    }
                }
                Sent::Pending(_) => {}
                Sent::Reverted(reason) | Sent::WouldRevert(reason) => {
                    warn!(%reason, tasks = batch.len(), "initializeArray refused");
                    for t in batch {
                        self.fail_step(t, &format!("initialize: {reason}"), "skipped").await?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Counts a failed transaction of a task; after [`MAX_FAILURES`] the task goes to
    /// `give_up_phase` (the claim at its final deadline refunds the requester).
    async fn fail_step(&self, mut t: TaskRow, note: &str, give_up_phase: &str) -> Result<()> {
        t.failures += 1;
        t.note = Some(note.to_owned());
        if t.failures >= MAX_FAILURES {
            warn!(task = %t.task_id, note, "giving up on the task; it is claimed at its final deadline");
            t.phase = give_up_phase.into();
        }
        self.store.save_task(&t).await
    }

    /// Drives every active task from its on-chain state; returns the tasks past their
    /// final deadline that can be claimed.
    async fn drive(&self, now: u64, busy: &HashSet<String>) -> Result<Vec<B256>> {
        let mut claimable = Vec::new();
        let with_replicates = self.store.active_replicates().await?;
        let mut deals = DealCache::default();
        for listed in self.store.tasks_in_phase("active").await? {
            if busy.contains(&listed.task_id) {
                continue;
            }
            // A task known to be active that no worker was given cannot change on chain
            // (only its workers contribute) until its final deadline, when it is claimed:
            // it is not read. A deal of a thousand tasks costs a round its few live ones.
            // (A task whose status is not known yet — its initialize settled by a restart —
            // is read once, which records it as active.)
            let known_active = listed.chain_status == i64::from(task_status::ACTIVE);
            if known_active && listed.consensus_value.is_none() && !with_replicates.contains_key(&listed.task_id) {
                let deal = deals.get(&self.store, &listed.deal_id).await?;
                if i64::try_from(now)? < deal.start_time + FINAL_DEADLINE_RATIO * deal.timeref {
                    continue;
                }
            }
            let _guard = self.state_lock.lock().await;
            // Read again under the lock: a report may have changed it since the listing.
            let id = b256(&listed.task_id)?;
            let Some(t) = self.store.task(&id).await? else { continue };
            if t.phase != "active" {
                continue;
            }
            if let Some(claim) = self.drive_task(t, id, now).await.with_context(|| format!("task {id}"))? {
                claimable.push(claim);
            }
        }
        Ok(claimable)
    }

    /// One task's step.
    async fn drive_task(&self, mut t: TaskRow, id: B256, now: u64) -> Result<Option<B256>> {
        let task = self.chain.view(ITaskViews::viewTaskCall { id }).await?;
        t.chain_status = i64::from(task.status);
        let mut replicates = self.store.replicates(&t.task_id).await?;
        let final_deadline = u64_of(task.finalDeadline);
        match task.status {
            task_status::COMPLETED | task_status::FAILED => {
                let action = if task.status == task_status::COMPLETED {
                    Action::Complete
                } else {
                    Action::Abort { reason: AbortReason::FinalDeadlineReached }
                };
                for r in &mut replicates {
                    if !DEAD.contains(&r.status.as_str()) {
                        r.status = if task.status == task_status::COMPLETED { "completed".into() } else { "aborted".into() };
                    }
                    self.set_action(r, action.clone()).await?;
                }
                t.phase = "done".into();
                info!(task = %id, status = task.status, "task closed on chain");
                self.store.save_task(&t).await?;
                return Ok(None);
            }
            task_status::ACTIVE => {
                if t.consensus_value.is_some() {
                    // It was revealing and is active again: reopened (by us or anyone).
                    info!(task = %id, "task reopened: its winners' votes no longer count");
                    t.consensus_value = None;
                    t.consensus_block = None;
                    t.uploader = None;
                    t.upload_asked_at = None;
                    t.result_link = None;
                }
                for r in &mut replicates {
                    self.reconcile_contribution(id, r).await?;
                    if r.status == "rejected" {
                        self.set_action(r, Action::Abort { reason: AbortReason::Reopened }).await?;
                    }
                }
                if now >= u64_of(task.contributionDeadline) {
                    for r in replicates.iter_mut().filter(|r| !DEAD.contains(&r.status.as_str())) {
                        r.status = "aborted".into();
                        self.set_action(r, Action::Abort { reason: AbortReason::ContributionTimeout }).await?;
                    }
                }
            }
            task_status::REVEALING => {
                self.drive_revealing(&mut t, id, &task, &mut replicates, now).await?;
            }
            _ => {}
        }
        self.store.save_task(&t).await?;
        let open = task.status == task_status::ACTIVE || task.status == task_status::REVEALING;
        Ok((open && now >= final_deadline).then_some(id))
    }

    /// Brings a replicate's status up to what its on-chain contribution shows (a worker may
    /// have contributed or revealed without telling, or lost its vote to a reopen).
    async fn reconcile_contribution(&self, id: B256, r: &mut ReplicateRow) -> Result<()> {
        if matches!(r.status.as_str(), "failed" | "rejected" | "completed") {
            return Ok(());
        }
        let worker = address(&r.worker)?;
        let c = self.chain.view(ITaskViews::viewContributionCall { _taskid: id, _worker: worker }).await?;
        let before = r.status.clone();
        match c.status {
            contribution_status::CONTRIBUTED if matches!(r.status.as_str(), "assigned" | "computed") => {
                r.status = "contributed".into();
                r.result_hash = Some(hex_of(c.resultHash));
            }
            contribution_status::PROVED if !matches!(r.status.as_str(), "revealed" | "uploaded") => {
                r.status = "revealed".into();
                r.result_hash = Some(hex_of(c.resultHash));
            }
            contribution_status::REJECTED => r.status = "rejected".into(),
            _ => {}
        }
        if before != r.status {
            self.store.save_replicate(r).await?;
        }
        Ok(())
    }

    /// A revealing task: winners reveal, one revealer uploads, then finalize — or reopen
    /// when the reveal deadline passed with no reveal.
    async fn drive_revealing(
        &self,
        t: &mut TaskRow,
        id: B256,
        task: &ITaskViews::Task,
        replicates: &mut [ReplicateRow],
        now: u64,
    ) -> Result<()> {
        let consensus = hex_of(task.consensusValue);
        if t.consensus_value.as_deref() != Some(consensus.as_str()) || t.consensus_block.is_none() {
            t.consensus_value = Some(consensus.clone());
            t.consensus_block = Some(self.consensus_block(id, t.initialized_block.unwrap_or(0).max(0) as u64).await? as i64);
        }
        let block = t.consensus_block.unwrap_or(0).max(0) as u64;
        for r in replicates.iter_mut() {
            self.reconcile_contribution(id, r).await?;
            let winner = r.result_hash.as_deref() == Some(consensus.as_str());
            match r.status.as_str() {
                "contributed" if winner => self.set_action(r, Action::Reveal { consensus_block: block }).await?,
                "assigned" | "computed" | "contributed" => {
                    r.status = "aborted".into();
                    self.set_action(r, Action::Abort { reason: AbortReason::ConsensusReached }).await?;
                }
                _ => {}
            }
        }
        let reveal_deadline = u64_of(task.revealDeadline);
        let final_deadline = u64_of(task.finalDeadline);
        let reveals = u64_of(task.revealCounter);
        if now >= final_deadline {
            return Ok(());
        }
        if reveals == 0 {
            if now >= reveal_deadline {
                for r in replicates.iter_mut().filter(|r| r.status == "contributed") {
                    self.set_action(r, Action::Abort { reason: AbortReason::RevealTimeout }).await?;
                }
                let input = IPoco2::reopenCall { taskId: id }.abi_encode();
                match self.chain.send(&self.store, "reopen", &[id], input.into(), now).await? {
                    Sent::Mined(_) => info!(task = %id, "reopened: no winner revealed before the deadline"),
                    Sent::Pending(_) => {}
                    Sent::Reverted(reason) | Sent::WouldRevert(reason) => {
                        warn!(task = %id, %reason, "reopen refused");
                        t.failures += 1;
                        t.note = Some(format!("reopen: {reason}"));
                    }
                }
            }
            return Ok(());
        }
        // Winners that did not reveal in time: told so (they lose their stake at finalize).
        if now >= reveal_deadline {
            for r in replicates.iter_mut().filter(|r| r.status == "contributed") {
                self.set_action(r, Action::Abort { reason: AbortReason::RevealTimeout }).await?;
            }
        }
        self.ensure_uploader(t, replicates, now).await?;
        let Some(link) = t.result_link.clone() else { return Ok(()) };
        if !(reveals == u64_of(task.winnerCounter) || now >= reveal_deadline) {
            return Ok(());
        }
        let deal = self.store.deal(&t.deal_id).await?;
        let callback_data: Bytes = match &t.callback_data {
            Some(hex) => hex.parse().unwrap_or_default(),
            None => Bytes::new(),
        };
        let has_callback = address(&deal.callback)? != Address::ZERO;
        let callback = if has_callback { callback_data } else { Bytes::new() };
        if has_callback && keccak256(&callback) != task.resultDigest {
            warn!(task = %id, uploader = ?t.uploader, "the uploaded callback data does not hash to the revealed digest; asking another revealer");
            self.replace_uploader(t, replicates, now).await?;
            return Ok(());
        }
        let link: ResultLink = serde_json::from_str(&link).context("stored result link")?;
        let input = IPoco2::finalizeCall { taskId: id, results: link.to_results(), resultsCallback: callback }.abi_encode();
        match self.chain.send(&self.store, "finalize", &[id], input.into(), now).await? {
            Sent::Mined(_) => {
                info!(task = %id, reveals, "finalized");
                t.chain_status = i64::from(task_status::COMPLETED);
            }
            Sent::Pending(_) => {}
            Sent::Reverted(reason) | Sent::WouldRevert(reason) => {
                warn!(task = %id, %reason, "finalize refused");
                t.failures += 1;
                t.note = Some(format!("finalize: {reason}"));
            }
        }
        Ok(())
    }

    /// Picks a revealer to upload when none is, or when the one asked timed out.
    async fn ensure_uploader(&self, t: &mut TaskRow, replicates: &mut [ReplicateRow], now: u64) -> Result<()> {
        if t.result_link.is_some() {
            return Ok(());
        }
        match (&t.uploader, t.upload_asked_at) {
            (Some(_), Some(asked)) if now < asked.max(0) as u64 + self.config.upload_timeout_secs => Ok(()),
            _ => self.replace_uploader(t, replicates, now).await,
        }
    }

    /// Asks a random revealer other than the current uploader (if any other) to upload.
    async fn replace_uploader(&self, t: &mut TaskRow, replicates: &mut [ReplicateRow], now: u64) -> Result<()> {
        let previous = t.uploader.clone();
        let revealers: Vec<usize> = (0..replicates.len())
            .filter(|&i| matches!(replicates[i].status.as_str(), "revealed" | "uploaded"))
            .collect();
        let others: Vec<usize> = revealers.iter().copied().filter(|&i| Some(&replicates[i].worker) != previous.as_ref()).collect();
        let pool = if others.is_empty() { &revealers } else { &others };
        let Some(&pick) = pool.choose(&mut rand::rng()) else { return Ok(()) };
        if let Some(prev) = previous.filter(|p| p != &replicates[pick].worker) {
            if let Some(r) = replicates.iter_mut().find(|r| r.worker == prev) {
                self.set_action(r, Action::Wait).await?;
            }
        }
        t.uploader = Some(replicates[pick].worker.clone());
        t.upload_asked_at = Some(i64::try_from(now)?);
        t.result_link = None;
        t.callback_data = None;
        info!(task = %t.task_id, uploader = %replicates[pick].worker, "asking for the result upload");
        self.set_action(&mut replicates[pick], Action::Upload).await
    }

    /// Block of the task's `TaskConsensus` (the latest one: a reopened task reaches
    /// consensus again).
    async fn consensus_block(&self, id: B256, from: u64) -> Result<u64> {
        let filter = Filter::new()
            .address(self.chain.hub)
            .event_signature(IPoco2::TaskConsensus::SIGNATURE_HASH)
            .topic1(id)
            .from_block(from);
        let logs = self.chain.logs(&filter).await?;
        match logs.last().and_then(|l| l.block_number) {
            Some(b) => Ok(b),
            None => Ok(self.chain.head().await?.0),
        }
    }

    /// Stores a replicate's new action (a new final action is undelivered again).
    async fn set_action(&self, r: &mut ReplicateRow, action: Action) -> Result<()> {
        let json = action_json(&action);
        if r.action != json {
            r.action = json;
            r.delivered = 0;
            self.store.save_replicate(r).await?;
        }
        Ok(())
    }

    /// Claims tasks past their final deadline: `claimArray` for initialized ones,
    /// `initializeAndClaimArray` for tasks never initialized (refunding their requester).
    async fn claim(&self, now: u64, initialized: Vec<B256>, busy: &HashSet<String>) -> Result<()> {
        for batch in initialized.chunks(self.config.claim_batch.max(1)) {
            let input = IPoco2::claimArrayCall { taskIds: batch.to_vec() }.abi_encode();
            match self.chain.send(&self.store, "claim", batch, input.into(), now).await? {
                Sent::Mined(_) => info!(tasks = batch.len(), "claimed past their final deadline"),
                Sent::Pending(_) => {}
                Sent::Reverted(reason) | Sent::WouldRevert(reason) => warn!(%reason, "claimArray refused"),
            }
        }
        let mut never: Vec<TaskRow> = Vec::new();
        for t in self.store.tasks_in_phase("skipped").await?.into_iter().chain(self.store.tasks_in_phase("pending").await?) {
            if busy.contains(&t.task_id) {
                continue;
            }
            let deal = self.store.deal(&t.deal_id).await?;
            if i64::try_from(now)? >= deal.start_time + FINAL_DEADLINE_RATIO * deal.timeref {
                never.push(t);
            }
        }
        for batch in never.chunks(self.config.claim_batch.max(1)) {
            let mut deals = Vec::new();
            let mut idxs = Vec::new();
            let mut ids = Vec::new();
            for t in batch {
                let id = b256(&t.task_id)?;
                let task = self.chain.view(ITaskViews::viewTaskCall { id }).await?;
                if task.status != task_status::UNSET {
                    // Initialized by someone else: the active path claims it.
                    let mut t = t.clone();
                    t.phase = "active".into();
                    self.store.save_task(&t).await?;
                    continue;
                }
                deals.push(b256(&t.deal_id)?);
                idxs.push(U256::from(t.idx.max(0) as u64));
                ids.push(id);
            }
            if ids.is_empty() {
                continue;
            }
            let input = IPoco2::initializeAndClaimArrayCall { dealIds: deals, indexes: idxs }.abi_encode();
            match self.chain.send(&self.store, "initialize_and_claim", &ids, input.into(), now).await? {
                Sent::Mined(_) => {
                    for t in batch {
                        let mut t = t.clone();
                        t.phase = "done".into();
                        t.chain_status = i64::from(task_status::FAILED);
                        self.store.save_task(&t).await?;
                    }
                }
                Sent::Pending(_) => {}
                Sent::Reverted(reason) | Sent::WouldRevert(reason) => warn!(%reason, "initializeAndClaimArray refused"),
            }
        }
        Ok(())
    }

    /// A task for `worker`, if one needs a contribution: the oldest active task it has no
    /// part in whose live replicates cannot reach consensus yet (iexec-core's
    /// `doesTaskNeedMoreContributionsForConsensus`: contributed votes by group, replicates
    /// assigned less than one `timeref` ago counted as joining the best group).
    ///
    /// `held` is what the worker says it holds: an assignment of an active task it was given
    /// less than one `timeref` ago but does not hold, and has not reported on, is given again
    /// first (with `None`, never). Within one `timeref` only: a worker that dropped a task
    /// without a word (its failure report lost) is not offered it again for ever.
    pub async fn assign(&self, worker: Address, held: Option<&[B256]>) -> Result<Option<Assignment>> {
        let _guard = self.state_lock.lock().await;
        let (_, now) = self.chain.head().await?;
        let now_i = i64::try_from(now)?;
        let mut all_replicates = self.store.active_replicates().await?;
        let mut deals = DealCache::default();
        let active: Vec<TaskRow> = self.store.tasks_in_phase("active").await?;
        let assignable = |t: &TaskRow, deal: &DealRow| {
            t.chain_status == i64::from(task_status::ACTIVE)
                && now_i < deal.start_time + CONTRIBUTION_DEADLINE_RATIO * deal.timeref
        };
        if let Some(held) = held {
            for t in &active {
                let deal = deals.get(&self.store, &t.deal_id).await?.clone();
                let id = b256(&t.task_id)?;
                if !assignable(t, &deal) || held.contains(&id) {
                    continue;
                }
                let lost = all_replicates.get(&t.task_id).and_then(|rs| {
                    rs.iter().find(|r| {
                        r.worker == hex_of(worker) && r.status == "assigned" && now_i < r.assigned_at + deal.timeref
                    })
                });
                if let Some(r) = lost {
                    let fast = r.mode == "contribute_and_finalize";
                    info!(task = %id, %worker, "assignment given again (the worker does not hold it)");
                    return Ok(Some(self.assignment(t, worker, fast)?));
                }
            }
        }
        for t in &active {
            let deal = deals.get(&self.store, &t.deal_id).await?.clone();
            if !assignable(t, &deal) {
                continue;
            }
            let replicates = all_replicates.remove(&t.task_id).unwrap_or_default();
            if replicates.iter().any(|r| r.worker == hex_of(worker)) {
                continue;
            }
            let fast = self.config.fast_path && deal.trust == 1;
            if !needs_more(&replicates, deal.trust, deal.timeref, now_i, fast) {
                continue;
            }
            let id = b256(&t.task_id)?;
            let score = self.chain.view(IHub::viewScoreCall { worker }).await?;
            let weight = i64_of(worker_weight(&score));
            let mode = if fast { Mode::ContributeAndFinalize } else { Mode::Contribute };
            let row = ReplicateRow {
                task_id: t.task_id.clone(),
                worker: hex_of(worker),
                mode: if fast { "contribute_and_finalize".into() } else { "contribute".into() },
                status: "assigned".into(),
                weight,
                result_hash: None,
                assigned_at: now_i,
                seq: 0,
                action: action_json(&Action::Continue),
                delivered: 0,
            };
            self.store.insert_replicate(&row).await?;
            info!(task = %id, %worker, ?mode, "assigned");
            return Ok(Some(self.assignment(t, worker, fast)?));
        }
        Ok(None)
    }

    /// Task `t` for `worker`, with the pool owner's authorization to contribute.
    fn assignment(&self, t: &TaskRow, worker: Address, fast: bool) -> Result<Assignment> {
        let id = b256(&t.task_id)?;
        let hash = eth_signed_message_hash(&worker_authorization_hash(&worker, &id, &Address::ZERO));
        let sig = self.signer.sign_hash_sync(&hash).context("signing the worker authorization")?;
        Ok(Assignment {
            task_id: id,
            deal_id: b256(&t.deal_id)?,
            task_index: t.idx.max(0) as u64,
            worker,
            enclave_challenge: Address::ZERO,
            authorization: Bytes::from(sig.as_bytes().to_vec()),
            mode: if fast { Mode::ContributeAndFinalize } else { Mode::Contribute },
            initialized_block: t.initialized_block.unwrap_or(0).max(0) as u64,
        })
    }
}

/// Deals read from the database once per round or assignment.
#[derive(Default)]
struct DealCache(HashMap<String, DealRow>);

impl DealCache {
    async fn get(&mut self, store: &Store, deal_id: &str) -> Result<&DealRow> {
        if !self.0.contains_key(deal_id) {
            let row = store.deal(deal_id).await?;
            self.0.insert(deal_id.to_owned(), row);
        }
        self.0.get(deal_id).context("deal cached just now")
    }
}

/// Whether a task's live replicates cannot reach consensus yet, so another worker is
/// needed. Votes group by result hash (a group's weight is the product of its workers'
/// weights, PoCo's rule); replicates not contributed yet and assigned less than `timeref`
/// ago are assumed to join the best group. A trust-1 fast-path task needs one live
/// replicate.
fn needs_more(replicates: &[ReplicateRow], trust: i64, timeref: i64, now: i64, fast: bool) -> bool {
    let pending: Vec<&ReplicateRow> = replicates
        .iter()
        .filter(|r| matches!(r.status.as_str(), "assigned" | "computed") && now < r.assigned_at + timeref)
        .collect();
    if fast {
        let done = replicates.iter().any(|r| matches!(r.status.as_str(), "completed" | "contributed" | "revealed"));
        return !done && pending.is_empty();
    }
    let mut groups: std::collections::BTreeMap<&str, U256> = std::collections::BTreeMap::new();
    for r in replicates.iter().filter(|r| r.status != "rejected") {
        if let Some(h) = r.result_hash.as_deref() {
            let g = groups.entry(h).or_insert(U256::ZERO);
            *g = (*g).max(U256::from(1)) * U256::from(r.weight.max(1) as u64);
        }
    }
    let mut best = groups.values().copied().max().unwrap_or(U256::ZERO);
    let mut total = U256::from(1) + groups.values().fold(U256::ZERO, |a, g| a + g);
    for r in pending {
        let delta = best.max(U256::from(1)) * U256::from(r.weight.max(1) as u64) - best;
        best += delta;
        total += delta;
    }
    !is_consensus_reached(&best, &total, &U256::from(trust.max(1) as u64)).unwrap_or(true)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a panic here is a failed test

    use super::*;

    fn rep(status: &str, hash: Option<&str>, weight: i64, assigned_at: i64) -> ReplicateRow {
        ReplicateRow {
            task_id: "t".into(),
            worker: format!("w{assigned_at}{status}"),
            mode: "contribute".into(),
            status: status.into(),
            weight,
            result_hash: hash.map(str::to_owned),
            assigned_at,
            seq: 0,
            action: String::new(),
            delivered: 0,
        }
    }

    #[test]
    fn trust_3_needs_two_fresh_workers_that_agree() {
        // Weight 2 each: one vote is 2*3 > 3*2? no; two agreeing votes 4*3 > 5*2.
        assert!(needs_more(&[], 3, 300, 0, false));
        assert!(needs_more(&[rep("assigned", None, 2, 0)], 3, 300, 10, false));
        assert!(!needs_more(&[rep("assigned", None, 2, 0), rep("contributed", Some("a"), 2, 0)], 3, 300, 10, false));
        // A disagreement needs a third worker.
        let split = [rep("contributed", Some("a"), 2, 0), rep("contributed", Some("b"), 2, 0)];
        assert!(needs_more(&split, 3, 300, 10, false));
        // A stale assignment (older than timeref) no longer counts.
        assert!(needs_more(&[rep("assigned", None, 2, 0), rep("contributed", Some("a"), 2, 0)], 3, 300, 301, false));
        // Failed or rejected replicates do not count.
        assert!(needs_more(&[rep("failed", None, 2, 0), rep("contributed", Some("a"), 2, 0)], 3, 300, 1, false));
    }

    #[test]
    fn trust_1_needs_one_worker() {
        assert!(needs_more(&[], 1, 300, 0, true));
        assert!(!needs_more(&[rep("assigned", None, 2, 0)], 1, 300, 1, true));
        assert!(needs_more(&[rep("failed", None, 2, 0)], 1, 300, 1, true));
        assert!(!needs_more(&[rep("contributed", Some("a"), 2, 0)], 1, 300, 1, false));
    }
}
