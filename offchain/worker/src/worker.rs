//! The worker loop: register, ask for work, and carry every task it holds one step further
//! on each tick — compute, contribute (or contribute-and-finalize), reveal and upload when
//! the scheduler asks — with each step reconciled with the chain first.
//!
//! The restart rule: before any transaction the worker reads what the chain already has
//! (its contribution, its reveal, the task's status), and a transaction hash recorded by a
//! previous run is waited for first. So a worker killed at any point and started again on
//! the same database sends each transaction at most once (iExec's worker does the same
//! through `ContributionService.getCannotContributeStatusCause` and its replicate recovery).

use std::{path::PathBuf, sync::Arc, time::Duration};

use alloy::{
    network::EthereumWallet,
    primitives::{Address, Bytes, B256, U256},
    providers::{Provider, ProviderBuilder},
    signers::local::PrivateKeySigner,
};
use anyhow::{anyhow, Context, Result};
use poco_client::{
    bindings::{IPoco2, IRlc},
    pool_api::{
        challenge_signer, Action, AskForWork, Assignment, Capabilities, FailureReason, Mode, PoolInfo, ResultLink,
        StatusReport,
    },
};
use poco_core::messages::{result_hash, result_seal, worker_authorization_hash};

use crate::{
    chain::{contribution_status, task_status, Backoff, Chain, ChainError},
    digest::{task_result, zip_output, ComputedFile},
    fetch::{fetch, fetch_checked, FetchPolicy},
    params::{input_file_name, DealParams},
    pool::{PoolClient, PoolError},
    sandbox::{self, docker, lower_hex, run_wasm, AppRun, Limits, TaskEnv},
    store::{Step, Store, TaskRecord},
};

/// App types the embedded sandbox runs (the registry's `m_appType`, case-insensitive).
pub const WASM_APP_TYPES: [&str; 2] = ["WASM", "WASI"];
/// iExec's container app type.
pub const DOCKER_APP_TYPE: &str = "DOCKER";

/// `enclaveSign` of a standard task: 32 zero bytes, as iExec's worker sends
/// (`EMPTY_HEX_STRING_32`); the hub ignores it when the enclave challenge is zero.
const NO_ENCLAVE_SIGN: [u8; 32] = [0; 32];

/// How a worker runs.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    /// The scheduler's base URL.
    pub scheduler_url: String,
    /// The chain's JSON-RPC URL.
    pub rpc_url: String,
    /// The worker's wallet.
    pub wallet: PrivateKeySigner,
    /// Task folders live under it.
    pub work_dir: PathBuf,
    /// Its database (`sqlite://…?mode=rwc`, `postgres://…`).
    pub database_url: String,
    /// Limits of each app run.
    pub limits: Limits,
    /// Where apps and datasets may come from.
    pub fetch: FetchPolicy,
    /// When its free stake is below a deal's worker stake: deposit this much RLC
    /// (at least the shortfall) from its wallet; none: refuse the task.
    pub auto_deposit: Option<U256>,
    /// Tasks it holds at once.
    pub slots: u32,
    /// RPC retry policy.
    pub backoff: Backoff,
    /// Longest pause between two ticks (the scheduler's `ask_period_secs` when shorter).
    pub max_tick: Duration,
}

impl WorkerConfig {
    /// A configuration with the defaults: one slot, default limits, remote downloads only,
    /// no auto-deposit, a database file in `work_dir`.
    pub fn new(scheduler_url: &str, rpc_url: &str, wallet: PrivateKeySigner, work_dir: PathBuf) -> Self {
        let database_url = format!("sqlite://{}?mode=rwc", work_dir.join("worker.db").display());
        Self {
            scheduler_url: scheduler_url.to_string(),
            rpc_url: rpc_url.to_string(),
            wallet,
            work_dir,
            database_url,
            limits: Limits::default(),
            fetch: FetchPolicy::default(),
            auto_deposit: None,
            slots: 1,
            backoff: Backoff::default(),
            max_tick: Duration::from_secs(5),
        }
    }
}

/// A task that could not go on, with the reason the scheduler is told.
struct Refusal {
    reason: FailureReason,
    message: String,
}

fn refuse(reason: FailureReason, message: impl Into<String>) -> Refusal {
    Refusal { reason, message: message.into() }
}

/// What a step did.
enum Outcome {
    /// Moved on (or stayed, waiting): saved.
    Progressed,
    /// The task cannot go on for this worker.
    Refused(Refusal),
}

/// A running worker.
pub struct Worker {
    config: WorkerConfig,
    chain: Chain,
    store: Store,
    pool: PoolClient,
    info: Option<PoolInfo>,
    tick: Duration,
    docker: bool,
}

impl Worker {
    /// Opens the database and connects to the chain (nothing is sent yet).
    pub async fn new(config: WorkerConfig) -> Result<Self> {
        std::fs::create_dir_all(&config.work_dir).with_context(|| format!("creating {}", config.work_dir.display()))?;
        let store = Store::open(&config.database_url).await?;
        let url = config.rpc_url.parse().with_context(|| format!("RPC URL {:?}", config.rpc_url))?;
        let provider = ProviderBuilder::new().wallet(EthereumWallet::from(config.wallet.clone())).connect_http(url).erased();
        let chain = Chain { provider, hub: Address::ZERO, worker: config.wallet.address(), backoff: config.backoff };
        let pool = PoolClient::new(&config.scheduler_url);
        let docker = docker::docker_available().await;
        Ok(Self { tick: config.max_tick, config, chain, store, pool, info: None, docker })
    }

    /// Its database (tests and reports read it).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Runs until `shutdown` resolves. Errors of one tick are logged and retried on the
    /// next; only a bad configuration ends the loop.
    pub async fn run(mut self, shutdown: impl std::future::Future<Output = ()>) -> Result<()> {
        tokio::pin!(shutdown);
        let mut last_ping = tokio::time::Instant::now();
        loop {
            if let Err(error) = self.tick().await {
                tracing::warn!(error = format!("{error:#}"), "worker tick failed; retrying");
            }
            if self.pool.is_registered() && last_ping.elapsed() >= self.tick {
                last_ping = tokio::time::Instant::now();
                if let Err(PoolError::Unauthorized) = self.pool.ping().await {
                    self.pool.forget();
                }
            }
            tokio::select! {
                _ = &mut shutdown => return Ok(()),
                _ = tokio::time::sleep(self.tick) => {}
            }
        }
    }

    /// One pass: register if needed, follow the scheduler's instructions on every task
    /// held, ask for more work if a slot is free.
    pub async fn tick(&mut self) -> Result<()> {
        if !self.pool.is_registered() {
            self.register().await?;
        }
        let instructions = match self.pool.instructions().await {
            Ok(i) => i.instructions,
            Err(PoolError::Unauthorized) => {
                self.pool.forget();
                return Ok(());
            }
            Err(PoolError::Other(e)) => return Err(e),
        };
        for record in self.store.open_tasks().await? {
            let action = instructions.iter().find(|i| i.task_id == record.assignment.task_id).map(|i| i.action.clone());
            self.carry(record, action).await?;
        }
        // Ask while a slot is free and the scheduler has work: a worker that finished a
        // task takes the next one now, not a tick later.
        loop {
            let held: Vec<B256> = self.store.open_tasks().await?.iter().map(|r| r.assignment.task_id).collect();
            let open = held.len();
            if open >= self.config.slots as usize {
                return Ok(());
            }
            let block_number = self.chain.block_number().await.unwrap_or(0);
            let free_slots = self.config.slots - open as u32;
            let reply = match self.pool.ask(&AskForWork { block_number, free_slots, held: Some(held) }).await {
                Ok(reply) => reply,
                Err(PoolError::Unauthorized) => {
                    self.pool.forget();
                    return Ok(());
                }
                Err(PoolError::Other(e)) => return Err(e),
            };
            let Some(assignment) = reply.assignment else { return Ok(()) };
            let task = assignment.task_id;
            let known = self.store.get(task).await?.is_some();
            self.accept(assignment).await?;
            if known {
                return Ok(()); // A repeated answer: ask again next tick.
            }
            if let Some(record) = self.store.get(task).await? {
                self.carry(record, None).await?;
            }
        }
    }

    /// Steps `record` while it moves on by itself (computed, then contributed...), and stops
    /// where it waits for the chain or the scheduler; `action` is the scheduler's
    /// instruction for its first step.
    async fn carry(&mut self, mut record: TaskRecord, mut action: Option<Action>) -> Result<()> {
        let task = record.assignment.task_id;
        loop {
            let before = record.step;
            self.step(record, action.take()).await?;
            match self.store.get(task).await? {
                Some(now) if now.step != before && !matches!(now.step, Step::Done | Step::Failed | Step::Aborted) => record = now,
                _ => return Ok(()),
            }
        }
    }

    async fn register(&mut self) -> Result<()> {
        let capabilities = Capabilities {
            wasm: true,
            docker: self.docker,
            tee: false,
            slots: self.config.slots,
            version: format!("poco-worker {}", env!("CARGO_PKG_VERSION")),
        };
        let registered = self.pool.register(&self.config.wallet, capabilities).await.context("registering with the scheduler")?;
        self.chain.hub = registered.pool.hub;
        self.tick = self.config.max_tick.min(Duration::from_secs(registered.ask_period_secs.max(1)));
        tracing::info!(pool = %registered.pool.workerpool, hub = %registered.pool.hub, "registered with the scheduler");
        self.info = Some(registered.pool);
        Ok(())
    }

    /// Records a new assignment after checking that it is for this worker and signed by
    /// the workerpool's owner, then takes its first step.
    async fn accept(&mut self, assignment: Assignment) -> Result<()> {
        if self.store.get(assignment.task_id).await?.is_some() {
            return Ok(()); // Already held (a repeated answer).
        }
        let info = self.info.as_ref().context("not registered")?;
        let message = worker_authorization_hash(&assignment.worker, &assignment.task_id, &assignment.enclave_challenge);
        let signer = challenge_signer(&message, &assignment.authorization).ok();
        if assignment.worker != self.config.wallet.address() || signer != Some(info.owner) {
            tracing::warn!(task = %assignment.task_id, ?signer, owner = %info.owner, "refusing an assignment not authorized for this worker by the pool owner");
            let report = StatusReport::Failed {
                reason: FailureReason::Other,
                message: "the authorization is not the pool owner's signature for this worker".into(),
            };
            let _ = self.pool.report(&assignment.task_id, &report).await;
            return Ok(());
        }
        tracing::info!(task = %assignment.task_id, mode = ?assignment.mode, "assigned");
        let record = TaskRecord::new(assignment);
        self.store.save(&record).await?;
        self.step(record, Some(Action::Continue)).await
    }

    /// Carries `record` one step, following the scheduler's `action` on it.
    async fn step(&mut self, mut record: TaskRecord, action: Option<Action>) -> Result<()> {
        let task = record.assignment.task_id;
        match &action {
            Some(Action::Abort { reason }) => {
                tracing::info!(%task, ?reason, "aborted by the scheduler");
                record.step = Step::Aborted;
                record.message = format!("aborted: {reason:?}");
                self.store.save(&record).await?;
                self.clean(&task);
                return Ok(());
            }
            Some(Action::Complete) => {
                record.step = Step::Done;
                self.store.save(&record).await?;
                self.clean(&task);
                return Ok(());
            }
            _ => {}
        }
        let outcome = match (record.step, record.assignment.mode, &action) {
            (Step::Assigned, _, _) => self.compute(&mut record).await,
            (Step::Computed, Mode::Contribute, _) => self.contribute(&mut record).await,
            (Step::Computed, Mode::ContributeAndFinalize, _) => self.contribute_and_finalize(&mut record).await,
            (Step::Contributed, _, Some(Action::Reveal { consensus_block })) => self.reveal(&mut record, *consensus_block).await,
            (Step::Revealed, _, Some(Action::Upload)) if !record.uploaded => self.upload(&mut record).await,
            (Step::Contributed | Step::Revealed, _, _) => self.check_completed(&mut record).await,
            _ => Ok(Outcome::Progressed),
        };
        match outcome {
            Ok(Outcome::Progressed) => Ok(()),
            Ok(Outcome::Refused(refusal)) => {
                tracing::warn!(%task, reason = ?refusal.reason, message = refusal.message, "giving up the task");
                record.step = Step::Failed;
                record.message = refusal.message.clone();
                self.store.save(&record).await?;
                let report = StatusReport::Failed { reason: refusal.reason, message: refusal.message };
                let _ = self.pool.report(&task, &report).await;
                Ok(())
            }
            Err(error) => Err(error.context(format!("task {task}"))),
        }
    }

    fn task_dir(&self, task: &B256) -> PathBuf {
        self.config.work_dir.join(task.to_string())
    }

    fn clean(&self, task: &B256) {
        let _ = std::fs::remove_dir_all(self.task_dir(task));
    }

    async fn report(&mut self, task: &B256, report: StatusReport) {
        match self.pool.report(task, &report).await {
            Ok(_) => {}
            Err(PoolError::Unauthorized) => self.pool.forget(),
            // The scheduler learns it from the chain or the next poll; the chain is the truth.
            Err(PoolError::Other(e)) => tracing::warn!(%task, error = format!("{e:#}"), "report not delivered"),
        }
    }

    /// Reads the task, the deal, the app and the dataset; checks stake; fetches; runs the
    /// app; computes the digest.
    async fn compute(&mut self, record: &mut TaskRecord) -> Result<Outcome> {
        let a = record.assignment.clone();
        let chain_task = self.chain.task(a.task_id).await?;
        if chain_task.contributors.contains(&self.chain.worker) {
            // A previous run contributed but did not record its digest: nothing it can do
            // now that it could not prove (the digest is not on chain before reveal).
            return Ok(Outcome::Refused(refuse(FailureReason::CannotContribute, "already contributed by a previous run whose result is lost")));
        }
        if chain_task.status != task_status::ACTIVE {
            return Ok(Outcome::Refused(refuse(FailureReason::CannotContribute, format!("the task is not active on chain (status {})", chain_task.status))));
        }
        let deal = self.chain.deal(a.deal_id).await?;
        if deal.tag[31] & 0x01 != 0 {
            return Ok(Outcome::Refused(refuse(
                FailureReason::UnsupportedApp,
                "a TEE task needs an SMS and an enclave; this worker runs standard tasks only",
            )));
        }
        if a.mode == Mode::Contribute {
            if let Some(refusal) = self.ensure_stake(deal.workerStake).await? {
                return Ok(Outcome::Refused(refusal));
            }
        }
        let app = self.chain.app(deal.app.pointer).await?;
        let kind = app.m_appType.to_ascii_uppercase();
        let multiaddr = String::from_utf8_lossy(&app.m_appMultiaddr).into_owned();
        if kind == DOCKER_APP_TYPE && !self.docker {
            return Ok(Outcome::Refused(refuse(
                FailureReason::UnsupportedApp,
                format!("the app is a DOCKER app ({multiaddr}) and this machine has no docker CLI; it runs WebAssembly apps only"),
            )));
        }
        if kind != DOCKER_APP_TYPE && !WASM_APP_TYPES.contains(&kind.as_str()) {
            return Ok(Outcome::Refused(refuse(FailureReason::UnsupportedApp, format!("unknown app type {:?}", app.m_appType))));
        }

        // The task's folders, fresh (a rerun after a restart starts over).
        let dir = self.task_dir(&a.task_id);
        let _ = std::fs::remove_dir_all(&dir);
        let (input_dir, output_dir) = (dir.join("iexec_in"), dir.join("iexec_out"));
        std::fs::create_dir_all(&input_dir)?;
        std::fs::create_dir_all(&output_dir)?;

        let mut env = TaskEnv {
            task_id: a.task_id,
            bot_size: deal.botSize.saturating_to(),
            bot_first: deal.botFirst.saturating_to(),
            task_index: a.task_index,
            ..Default::default()
        };
        if !deal.dataset.pointer.is_zero() {
            let dataset = self.chain.dataset(deal.dataset.pointer).await?;
            let addr = String::from_utf8_lossy(&dataset.m_datasetMultiaddr).into_owned();
            if addr.ends_with(".enc") {
                return Ok(Outcome::Refused(refuse(
                    FailureReason::UnsupportedApp,
                    format!("the dataset {addr} is encrypted: its key is in an SMS, which only TEE tasks use; this worker cannot decrypt it"),
                )));
            }
            let bytes = match fetch_checked("dataset", &addr, dataset.m_datasetChecksum, &self.config.fetch).await {
                Ok(bytes) => bytes,
                Err(e @ crate::fetch::FetchError::Checksum { .. }) => return Ok(Outcome::Refused(refuse(FailureReason::ChecksumMismatch, e.to_string()))),
                Err(e) => return Ok(Outcome::Refused(refuse(FailureReason::DownloadFailed, e.to_string()))),
            };
            let name = lower_hex(&deal.dataset.pointer);
            std::fs::write(input_dir.join(&name), bytes)?;
            env.dataset = deal.dataset.pointer;
            env.dataset_filename = name;
        }
        let params = DealParams::parse(&deal.params);
        for url in &params.input_files {
            let Some(name) = input_file_name(url) else {
                return Ok(Outcome::Refused(refuse(FailureReason::DownloadFailed, format!("input file URL {url:?} names no file"))));
            };
            match fetch(url, &self.config.fetch).await {
                Ok(bytes) => std::fs::write(input_dir.join(&name), bytes)?,
                Err(e) => return Ok(Outcome::Refused(refuse(FailureReason::DownloadFailed, format!("input file {url}: {e:#}")))),
            }
            env.input_files.push(name);
        }

        let run = AppRun { input_dir, output_dir: output_dir.clone(), args: params.args, env: env.vars() };
        let output = if kind == DOCKER_APP_TYPE {
            sandbox::docker::run_docker(&multiaddr, &format!("poco-{}", a.task_id), &run, &self.config.limits).await
        } else {
            let module = match fetch_checked("app", &multiaddr, app.m_appChecksum, &self.config.fetch).await {
                Ok(bytes) => bytes,
                Err(e @ crate::fetch::FetchError::Checksum { .. }) => return Ok(Outcome::Refused(refuse(FailureReason::ChecksumMismatch, e.to_string()))),
                Err(e) => return Ok(Outcome::Refused(refuse(FailureReason::DownloadFailed, e.to_string()))),
            };
            run_wasm(Arc::new(module), run, self.config.limits).await
        };
        let output = match output {
            Ok(output) => output,
            Err(e) => return Ok(Outcome::Refused(refuse(FailureReason::ComputeFailed, e.to_string()))),
        };
        if output.exit_code != 0 {
            let tail: String = output.stderr.chars().rev().take(500).collect::<Vec<_>>().into_iter().rev().collect();
            return Ok(Outcome::Refused(refuse(FailureReason::ComputeFailed, format!("the app exited with code {}: {tail}", output.exit_code))));
        }
        let result = ComputedFile::read(&output_dir).and_then(|computed| task_result(&output_dir, &computed, deal.callback));
        let result = match result {
            Ok(result) => result,
            Err(e) => return Ok(Outcome::Refused(refuse(FailureReason::ComputeFailed, format!("{e:#}")))),
        };
        tracing::info!(task = %a.task_id, digest = %result.digest, fuel = output.fuel_used, "computed");
        record.result_digest = Some(result.digest);
        record.callback_data = result.callback_data;
        record.step = Step::Computed;
        self.store.save(record).await?;
        self.report(&a.task_id, StatusReport::Computed { result_digest: result.digest }).await;
        // Go straight on to the transaction.
        match a.mode {
            Mode::Contribute => self.contribute(record).await,
            Mode::ContributeAndFinalize => self.contribute_and_finalize(record).await,
        }
    }

    /// Makes the free stake at least `needed`, depositing when configured.
    async fn ensure_stake(&self, needed: U256) -> Result<Option<Refusal>> {
        let stake = self.chain.stake().await?;
        if stake >= needed {
            return Ok(None);
        }
        let Some(deposit) = self.config.auto_deposit else {
            return Ok(Some(refuse(
                FailureReason::StakeTooLow,
                format!("free stake {stake} is below the deal's worker stake {needed}: deposit RLC into the hub, or configure an automatic deposit"),
            )));
        };
        let amount = deposit.max(needed - stake);
        let token = self.chain.token().await?;
        let rlc = IRlc::new(token, &self.chain.provider);
        let balance = self.chain.retry("balanceOf", || async { rlc.balanceOf(self.chain.worker).call().await }).await?;
        if balance < amount {
            return Ok(Some(refuse(FailureReason::StakeTooLow, format!("depositing {amount} RLC needs that much in the wallet, which holds {balance}"))));
        }
        let call = IRlc::approveAndCallCall { spender: self.chain.hub, value: amount, extra_data: Bytes::new() };
        match self.chain.send("RLC approveAndCall (deposit)", token, &call, async |_| Ok(())).await {
            Ok(_) => {
                tracing::info!(%amount, "deposited RLC into the hub as stake");
                Ok(None)
            }
            Err(ChainError::Reverted { reason, .. }) => Ok(Some(refuse(FailureReason::StakeTooLow, format!("the deposit {reason}")))),
            Err(e) => Err(e.into()),
        }
    }

    /// Waits for a transaction a previous run recorded (so that the chain shows its effect
    /// before the worker decides anything).
    async fn settle(&self, tx: Option<B256>) -> Result<()> {
        if let Some(tx) = tx {
            if self.chain.receipt(tx).await?.is_none() {
                // Pending or dropped: give it the backoff's time, then decide from the chain.
                let _ = self.chain.wait_receipt("a recorded transaction", tx).await;
            }
        }
        Ok(())
    }

    /// `contribute`, unless the chain already has this worker's contribution.
    async fn contribute(&mut self, record: &mut TaskRecord) -> Result<Outcome> {
        let a = record.assignment.clone();
        let digest = record.result_digest.context("computed without a digest")?;
        self.settle(record.contribute_tx).await?;
        let contribution = self.chain.contribution(a.task_id).await?;
        if contribution.status != contribution_status::UNSET {
            tracing::info!(task = %a.task_id, "the chain already has this worker's contribution: not sending it again");
            return self.contributed(record).await;
        }
        let chain_task = self.chain.task(a.task_id).await?;
        if chain_task.status != task_status::ACTIVE {
            return Ok(Outcome::Refused(refuse(FailureReason::CannotContribute, format!("the task is no longer active (status {})", chain_task.status))));
        }
        let call = IPoco2::contributeCall {
            taskId: a.task_id,
            resultHash: result_hash(&a.task_id, &digest),
            resultSeal: result_seal(&self.chain.worker, &a.task_id, &digest),
            enclaveChallenge: a.enclave_challenge,
            enclaveSign: Bytes::from_static(&NO_ENCLAVE_SIGN),
            authorizationSign: a.authorization.clone(),
        };
        let store = self.store.clone();
        let mut pending = record.clone();
        let sent = self
            .chain
            .send("contribute", self.chain.hub, &call, async |tx| {
                pending.contribute_tx = Some(tx);
                store.save(&pending).await
            })
            .await;
        record.contribute_tx = pending.contribute_tx;
        match sent {
            Ok(_) => self.contributed(record).await,
            Err(ChainError::Reverted { reason, .. }) => {
                tracing::error!(task = %a.task_id, %reason, "contribute reverted");
                Ok(Outcome::Refused(refuse(FailureReason::ContributeReverted, format!("contribute {reason}"))))
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn contributed(&mut self, record: &mut TaskRecord) -> Result<Outcome> {
        record.step = Step::Contributed;
        self.store.save(record).await?;
        let tx = record.contribute_tx.unwrap_or_default();
        self.report(&record.assignment.task_id, StatusReport::Contributed { tx }).await;
        Ok(Outcome::Progressed)
    }

    /// The link of this task's result: the callback's for a callback deal, else the
    /// scheduler's store after uploading the archive.
    async fn result_link(&mut self, record: &mut TaskRecord) -> Result<std::result::Result<ResultLink, Refusal>> {
        let deal = self.chain.deal(record.assignment.deal_id).await?;
        if !deal.callback.is_zero() {
            return Ok(Ok(ResultLink::ethereum(deal.callback)));
        }
        let archive = match zip_output(&self.task_dir(&record.assignment.task_id).join("iexec_out")) {
            Ok(a) => a,
            Err(e) => return Ok(Err(refuse(FailureReason::UploadFailed, format!("archiving the output: {e:#}")))),
        };
        match self.pool.upload(&record.assignment.task_id, archive).await {
            Ok(link) => {
                record.uploaded = true;
                self.store.save(record).await?;
                Ok(Ok(link))
            }
            Err(PoolError::Unauthorized) => {
                self.pool.forget();
                Err(anyhow!("upload refused: not registered"))
            }
            Err(PoolError::Other(e)) => Err(e.context("uploading the result")),
        }
    }

    /// Trust-1 fast path: upload, then `contributeAndFinalize`, unless the chain shows it
    /// done.
    async fn contribute_and_finalize(&mut self, record: &mut TaskRecord) -> Result<Outcome> {
        let a = record.assignment.clone();
        let digest = record.result_digest.context("computed without a digest")?;
        self.settle(record.contribute_tx).await?;
        let contribution = self.chain.contribution(a.task_id).await?;
        let chain_task = self.chain.task(a.task_id).await?;
        if contribution.status != contribution_status::UNSET {
            tracing::info!(task = %a.task_id, "the chain already has this worker's contributeAndFinalize: not sending it again");
            return self.finalized(record).await;
        }
        if chain_task.status != task_status::ACTIVE || !chain_task.contributors.is_empty() {
            return Ok(Outcome::Refused(refuse(FailureReason::CannotContribute, format!("the task can no longer take the fast path (status {}, {} contributors)", chain_task.status, chain_task.contributors.len()))));
        }
        let link = match self.result_link(record).await? {
            Ok(link) => link,
            Err(refusal) => return Ok(Outcome::Refused(refusal)),
        };
        let call = IPoco2::contributeAndFinalizeCall {
            taskId: a.task_id,
            resultDigest: digest,
            results: link.to_results(),
            resultsCallback: record.callback_data.clone(),
            enclaveChallenge: a.enclave_challenge,
            enclaveSign: Bytes::from_static(&NO_ENCLAVE_SIGN),
            authorizationSign: a.authorization.clone(),
        };
        let store = self.store.clone();
        let mut pending = record.clone();
        let sent = self
            .chain
            .send("contributeAndFinalize", self.chain.hub, &call, async |tx| {
                pending.contribute_tx = Some(tx);
                store.save(&pending).await
            })
            .await;
        record.contribute_tx = pending.contribute_tx;
        match sent {
            Ok(_) => self.finalized(record).await,
            Err(ChainError::Reverted { reason, .. }) => {
                tracing::error!(task = %a.task_id, %reason, "contributeAndFinalize reverted");
                Ok(Outcome::Refused(refuse(FailureReason::ContributeReverted, format!("contributeAndFinalize {reason}"))))
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn finalized(&mut self, record: &mut TaskRecord) -> Result<Outcome> {
        record.step = Step::Done;
        self.store.save(record).await?;
        let tx = record.contribute_tx.unwrap_or_default();
        self.report(&record.assignment.task_id, StatusReport::ContributedAndFinalized { tx }).await;
        self.clean(&record.assignment.task_id);
        Ok(Outcome::Progressed)
    }

    /// `reveal` once the node has the consensus block, unless already revealed.
    async fn reveal(&mut self, record: &mut TaskRecord, consensus_block: u64) -> Result<Outcome> {
        let a = record.assignment.clone();
        let digest = record.result_digest.context("contributed without a digest")?;
        if self.chain.block_number().await? < consensus_block {
            return Ok(Outcome::Progressed); // The node lags: next tick.
        }
        self.settle(record.reveal_tx).await?;
        let contribution = self.chain.contribution(a.task_id).await?;
        if contribution.status == contribution_status::PROVED {
            tracing::info!(task = %a.task_id, "the chain already has this worker's reveal: not sending it again");
            return self.revealed(record).await;
        }
        let chain_task = self.chain.task(a.task_id).await?;
        let vote = result_hash(&a.task_id, &digest);
        if chain_task.status != task_status::REVEALING
            || contribution.status != contribution_status::CONTRIBUTED
            || chain_task.consensusValue != vote
            || contribution.resultHash != vote
            || contribution.resultSeal != result_seal(&self.chain.worker, &a.task_id, &digest)
        {
            return Ok(Outcome::Refused(refuse(
                FailureReason::CannotReveal,
                format!("cannot reveal: task status {}, contribution status {}, consensus {}", chain_task.status, contribution.status, chain_task.consensusValue),
            )));
        }
        let call = IPoco2::revealCall { taskId: a.task_id, resultDigest: digest };
        let store = self.store.clone();
        let mut pending = record.clone();
        let sent = self
            .chain
            .send("reveal", self.chain.hub, &call, async |tx| {
                pending.reveal_tx = Some(tx);
                store.save(&pending).await
            })
            .await;
        record.reveal_tx = pending.reveal_tx;
        match sent {
            Ok(_) => self.revealed(record).await,
            Err(ChainError::Reverted { reason, .. }) => {
                tracing::error!(task = %a.task_id, %reason, "reveal reverted");
                Ok(Outcome::Refused(refuse(FailureReason::RevealReverted, format!("reveal {reason}"))))
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn revealed(&mut self, record: &mut TaskRecord) -> Result<Outcome> {
        record.step = Step::Revealed;
        self.store.save(record).await?;
        let tx = record.reveal_tx.unwrap_or_default();
        self.report(&record.assignment.task_id, StatusReport::Revealed { tx }).await;
        Ok(Outcome::Progressed)
    }

    /// Uploads when asked (after revealing).
    async fn upload(&mut self, record: &mut TaskRecord) -> Result<Outcome> {
        let link = match self.result_link(record).await? {
            Ok(link) => link,
            Err(refusal) => return Ok(Outcome::Refused(refusal)),
        };
        record.uploaded = true;
        self.store.save(record).await?;
        let report = StatusReport::Uploaded { link, callback_data: record.callback_data.clone() };
        self.report(&record.assignment.task_id, report).await;
        Ok(Outcome::Progressed)
    }

    /// A task waiting on the scheduler: done once the chain shows it completed (or
    /// claimed), whatever the scheduler says.
    async fn check_completed(&mut self, record: &mut TaskRecord) -> Result<Outcome> {
        let chain_task = self.chain.task(record.assignment.task_id).await?;
        if chain_task.status == task_status::COMPLETED || chain_task.status == task_status::FAILED {
            record.step = Step::Done;
            self.store.save(record).await?;
            self.clean(&record.assignment.task_id);
        }
        Ok(Outcome::Progressed)
    }
}

/// Whether the chain's JSON-RPC endpoint answers (a start-up check with a clear error).
pub async fn check_rpc(rpc_url: &str) -> Result<u64> {
    let url = rpc_url.parse().with_context(|| format!("RPC URL {rpc_url:?}"))?;
    let provider = ProviderBuilder::new().connect_http(url);
    provider.get_chain_id().await.with_context(|| format!("the chain's JSON-RPC at {rpc_url} does not answer"))
}
