//! What the workerpool's end-to-end tests share: a devnet with the protocol and a market,
//! the scheduler under test, in-process workers speaking `pool_api` over HTTP and sending
//! their own transactions (honest, lying, or never revealing), the devnet's clock, and
//! counting the scheduler's transactions per task from the chain.
//!
//! The workers here stand in for `poco-worker` (they compute no app: a task's "result" is a
//! digest derived from its id, equal for honest workers, different for a liar), so these
//! tests exercise the scheduler's side of PoCo exactly: what it sends, when, and what
//! everyone is paid.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, missing_docs, unreachable_pub)]

pub mod proxy;

use std::{collections::BTreeMap, net::SocketAddr, sync::Arc, time::Duration};

use alloy::{
    eips::BlockNumberOrTag,
    network::TransactionBuilder,
    primitives::{keccak256, Address, Bytes, B256, U256},
    providers::{DynProvider, Provider},
    rpc::types::TransactionRequest,
    signers::local::PrivateKeySigner,
    sol_types::SolCall,
};
use anyhow::{bail, ensure, Context, Result};
use poco_client::{
    bindings::{IHub, IPoco2, ITaskViews},
    pool_api::{self, routes, Action, AskForWork, AskReply, Assignment, Instructions, Mode, ResultLink, StatusReport},
};
use poco_core::{
    eip712::{domain_separator, PocoStructHash},
    ids::{deal_id, task_id},
    messages::{result_hash, result_seal},
};
use poco_e2e::{
    account,
    lifecycle::{fund_worker, worker},
    market::{deposit, match_orders, register_assets, signed_orders, Actors, Assets, DealTerms},
    network, provider, Network,
};
use poco_scheduler::{Config, Scheduler};
use tokio::sync::watch;

/// A devnet, the protocol, a market (app, dataset, workerpool of account 4) and funded
/// workers.
pub struct World {
    pub net: Network,
    pub actors: Arc<Actors>,
    pub assets: Assets,
    pub owner: DynProvider,
    pub chain_id: u64,
    salt: std::sync::atomic::AtomicU64,
    pub dir: tempfile::TempDir,
    /// Last block of the setup (the scheduler's own deposit is before it).
    pub setup_block: u64,
}

/// Gas limit of the test workers' transactions (explicit: no estimate decides an outcome).
const WORKER_GAS: u64 = 3_000_000;

impl World {
    /// Deploys everything; `workers` workers get 1,000 nRLC deposited each.
    pub async fn new(workers: u32) -> Result<Self> {
        let net = network().await?;
        let actors = Actors::new()?;
        let assets = register_assets(&net, &actors, U256::from(1_000_000u64)).await?;
        let owner = provider(net.addr, account(0)?)?;
        deposit(&net, &actors.requester, U256::from(100_000u64)).await?;
        // The scheduler stakes 30% of the pool price per task.
        deposit(&net, &actors.scheduler, U256::from(10_000u64)).await?;
        for i in 0..workers {
            fund_worker(&net, &owner, &worker(i)?, 1_000).await?;
        }
        let chain_id = owner.get_chain_id().await?;
        let setup_block = owner.get_block_number().await?;
        Ok(Self {
            setup_block,
            net,
            actors: Arc::new(actors),
            assets,
            owner,
            chain_id,
            salt: 1.into(),
            dir: tempfile::tempdir()?,
        })
    }

    pub fn rpc_url(&self) -> String {
        format!("http://{}", self.net.addr)
    }

    /// A scheduler configuration for this world: SQLite file `name` in the temp dir, a fast
    /// pace, the API on a free port.
    pub fn config(&self, db: &str) -> Config {
        let mut c = Config::new(self.rpc_url(), self.net.poco.hub, self.assets.pool);
        c.database_url = format!("sqlite://{}", self.dir.path().join(db).display());
        c.listen = "127.0.0.1:0".parse().unwrap();
        c.results_dir = self.dir.path().join("results");
        c.poll_interval = Duration::from_millis(150);
        c.upload_timeout_secs = 60;
        c
    }

    /// Starts a scheduler as the pool owner.
    pub async fn scheduler(&self, config: Config) -> Result<Scheduler> {
        Scheduler::start(config, self.actors.scheduler.clone()).await
    }

    /// Matches a deal of `terms` (fresh salt); returns its id.
    pub async fn deal(&self, terms: &DealTerms) -> Result<B256> {
        let mut terms = terms.clone();
        terms.salt = B256::from(U256::from(self.salt.fetch_add(1, std::sync::atomic::Ordering::SeqCst)));
        let orders = signed_orders(&self.actors, &self.assets, self.chain_id, self.net.poco.hub, &terms);
        let id = deal_id(&orders._3.typed_data_hash(&domain_separator(self.chain_id, &self.net.poco.hub)), &U256::ZERO);
        let p = provider(self.net.addr, self.actors.requester.clone())?;
        match_orders(&p, self.net.poco.hub, &orders).await?;
        Ok(id)
    }

    /// `(balance, locked)` of `who` in the hub.
    pub async fn account(&self, who: Address) -> Result<(u128, u128)> {
        let a = IHub::new(self.net.poco.hub, &self.owner).viewAccount(who).call().await?;
        Ok((a.stake.try_into()?, a.locked.try_into()?))
    }

    pub async fn task(&self, id: B256) -> Result<ITaskViews::Task> {
        Ok(ITaskViews::new(self.net.poco.hub, &self.owner).viewTask(id).call().await?)
    }

    /// Moves the chain's clock `seconds` forward and mines a block at the new time.
    pub async fn travel(&self, seconds: u64) -> Result<()> {
        let _: serde_json::Value = self.owner.raw_request("evm_increaseTime".into(), (seconds,)).await?;
        let _: serde_json::Value = self.owner.raw_request("evm_mine".into(), ()).await?;
        Ok(())
    }

    /// Waits until `cond` holds (checked every 100 ms), up to `secs` seconds.
    pub async fn until<F, Fut>(&self, what: &str, secs: u64, mut cond: F) -> Result<()>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<bool>>,
    {
        let deadline = std::time::Instant::now() + Duration::from_secs(secs);
        loop {
            if cond().await? {
                return Ok(());
            }
            if std::time::Instant::now() > deadline {
                bail!("timed out waiting for {what}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until every task of `deal` has on-chain `status`.
    pub async fn until_deal_status(&self, deal: B256, volume: u64, status: u8, secs: u64) -> Result<()> {
        self.until(&format!("deal {deal} tasks in status {status}"), secs, || async move {
            for i in 0..volume {
                if self.task(task_id(&deal, &U256::from(i))).await?.status != status {
                    return Ok(false);
                }
            }
            Ok(true)
        })
        .await
    }

    /// The scheduler's transactions on chain since the setup, by (function, task): every
    /// block's transactions from the pool owner, decoded.
    pub async fn scheduler_txs(&self) -> Result<BTreeMap<(String, B256), u32>> {
        let latest = self.owner.get_block_number().await?;
        let mut counts = BTreeMap::new();
        let from = self.actors.scheduler.address();
        for n in self.setup_block + 1..=latest {
            let Some(block) = self.owner.get_block_by_number(BlockNumberOrTag::Number(n)).full().await? else { continue };
            for tx in block.transactions.txns() {
                if alloy::consensus::transaction::SignerRecoverable::recover_signer(tx.inner.inner()).ok() != Some(from) {
                    continue;
                }
                let input = alloy::consensus::Transaction::input(tx.inner.inner());
                for (kind, ids) in decode_scheduler_call(input) {
                    for id in ids {
                        *counts.entry((kind.to_owned(), id)).or_default() += 1;
                    }
                }
            }
        }
        Ok(counts)
    }
}

/// The tasks a scheduler transaction acts on, by function.
fn decode_scheduler_call(input: &[u8]) -> Vec<(&'static str, Vec<B256>)> {
    if let Ok(c) = IPoco2::initializeArrayCall::abi_decode(input) {
        let ids = c.dealIds.iter().zip(&c.indexes).map(|(d, i)| task_id(d, i)).collect();
        return vec![("initialize", ids)];
    }
    if let Ok(c) = IPoco2::initializeCall::abi_decode(input) {
        return vec![("initialize", vec![task_id(&c.dealId, &c.index)])];
    }
    if let Ok(c) = IPoco2::finalizeCall::abi_decode(input) {
        return vec![("finalize", vec![c.taskId])];
    }
    if let Ok(c) = IPoco2::reopenCall::abi_decode(input) {
        return vec![("reopen", vec![c.taskId])];
    }
    if let Ok(c) = IPoco2::claimArrayCall::abi_decode(input) {
        return vec![("claim", c.taskIds)];
    }
    if let Ok(c) = IPoco2::initializeAndClaimArrayCall::abi_decode(input) {
        let ids = c.dealIds.iter().zip(&c.indexes).map(|(d, i)| task_id(d, i)).collect();
        return vec![("initialize_and_claim", ids)];
    }
    vec![("other", vec![B256::ZERO])]
}

/// How a test worker behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behaviour {
    /// Computes the agreed result, reveals and uploads when asked.
    Honest,
    /// Contributes a result of its own (outvoted).
    Liar,
    /// Contributes the agreed result but never reveals.
    NoReveal,
}

/// The digest a worker of `behaviour` computes for `task`.
pub fn digest_of(behaviour: Behaviour, me: Address, task: B256) -> B256 {
    match behaviour {
        Behaviour::Liar => keccak256([b"lie".as_slice(), me.as_slice(), task.as_slice()].concat()),
        _ => keccak256([b"result".as_slice(), task.as_slice()].concat()),
    }
}

/// A worker actor over HTTP and JSON-RPC.
pub struct TestWorker {
    pub signer: PrivateKeySigner,
    pub behaviour: Behaviour,
    http: reqwest::Client,
    base: String,
    token: String,
    chain: DynProvider,
    hub: Address,
    digests: BTreeMap<B256, B256>,
}

impl TestWorker {
    /// Registers `signer` with the scheduler at `api` (challenge, EIP-191 signature).
    pub async fn register(world: &World, api: SocketAddr, signer: PrivateKeySigner, behaviour: Behaviour) -> Result<Self> {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build()?;
        let base = format!("http://{api}");
        let c: pool_api::Challenge = http
            .get(format!("{base}{}?wallet={}", routes::CHALLENGE, signer.address()))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let reg = pool_api::Register {
            wallet: signer.address(),
            challenge: c.challenge,
            signature: pool_api::sign_challenge(&signer, &c.challenge)?,
            capabilities: pool_api::Capabilities { wasm: true, slots: 1, ..Default::default() },
        };
        let r: pool_api::Registered =
            http.post(format!("{base}{}", routes::REGISTER)).json(&reg).send().await?.error_for_status()?.json().await?;
        ensure!(r.pool.owner == world.actors.scheduler.address(), "pool owner {}", r.pool.owner);
        Ok(Self {
            chain: provider(world.net.addr, signer.clone())?,
            signer,
            behaviour,
            http,
            base,
            token: r.token,
            hub: world.net.poco.hub,
            digests: BTreeMap::new(),
        })
    }

    fn me(&self) -> Address {
        self.signer.address()
    }

    async fn post<T: serde::de::DeserializeOwned>(&self, path: &str, body: &impl serde::Serialize) -> Result<T> {
        let resp = self.http.post(format!("{}{path}", self.base)).bearer_auth(&self.token).json(body).send().await?;
        let status = resp.status();
        ensure!(status.is_success(), "POST {path}: {status} {}", resp.text().await.unwrap_or_default());
        Ok(resp.json().await?)
    }

    async fn send(&self, input: Vec<u8>) -> Result<B256> {
        let tx = TransactionRequest::default().with_to(self.hub).with_input(input).with_gas_limit(WORKER_GAS);
        let receipt = self.chain.send_transaction(tx).await?.get_receipt().await?;
        ensure!(receipt.status(), "worker {} transaction reverted", self.me());
        Ok(receipt.transaction_hash)
    }

    async fn upload(&self, task: B256) -> Result<ResultLink> {
        let archive = format!("result archive of {task}").into_bytes();
        let resp = self
            .http
            .put(format!("{}{}", self.base, routes::result(&task)))
            .bearer_auth(&self.token)
            .body(archive)
            .send()
            .await?;
        let status = resp.status();
        ensure!(status.is_success(), "upload: {status} {}", resp.text().await.unwrap_or_default());
        Ok(resp.json().await?)
    }

    /// Runs an assignment: contribute (or the fast path) and report.
    async fn work(&mut self, a: Assignment) -> Result<()> {
        let digest = digest_of(self.behaviour, self.me(), a.task_id);
        self.digests.insert(a.task_id, digest);
        let _: pool_api::Instruction =
            self.post(&routes::status(&a.task_id), &StatusReport::Computed { result_digest: digest }).await?;
        let report = match a.mode {
            Mode::Contribute => {
                let input = IPoco2::contributeCall {
                    taskId: a.task_id,
                    resultHash: result_hash(&a.task_id, &digest),
                    resultSeal: result_seal(&self.me(), &a.task_id, &digest),
                    enclaveChallenge: a.enclave_challenge,
                    enclaveSign: Bytes::from(vec![0u8; 32]),
                    authorizationSign: a.authorization.clone(),
                }
                .abi_encode();
                StatusReport::Contributed { tx: self.send(input).await? }
            }
            Mode::ContributeAndFinalize => {
                let link = self.upload(a.task_id).await?;
                let input = IPoco2::contributeAndFinalizeCall {
                    taskId: a.task_id,
                    resultDigest: digest,
                    results: link.to_results(),
                    resultsCallback: Bytes::new(),
                    enclaveChallenge: a.enclave_challenge,
                    enclaveSign: Bytes::from(vec![0u8; 32]),
                    authorizationSign: a.authorization.clone(),
                }
                .abi_encode();
                StatusReport::ContributedAndFinalized { tx: self.send(input).await? }
            }
        };
        let _: pool_api::Instruction = self.post(&routes::status(&a.task_id), &report).await?;
        Ok(())
    }

    /// Asks for work, saying it holds `held`.
    pub async fn ask(&self, held: Option<Vec<B256>>) -> Result<AskReply> {
        self.post(routes::ASK, &AskForWork { block_number: 1, free_slots: 1, held }).await
    }

    /// One poll: ask for work, then follow instructions.
    pub async fn step(&mut self) -> Result<()> {
        // Between steps it holds nothing: an assignment whose work a failed step dropped
        // is given again.
        let reply = self.ask(Some(Vec::new())).await?;
        if let Some(a) = reply.assignment {
            ensure!(a.worker == self.me(), "assignment for {}", a.worker);
            self.work(a).await?;
        }
        let resp = self.http.get(format!("{}{}", self.base, routes::INSTRUCTIONS)).bearer_auth(&self.token).send().await?;
        let list: Instructions = resp.error_for_status()?.json().await?;
        for i in list.instructions {
            match i.action {
                Action::Reveal { .. } if self.behaviour != Behaviour::NoReveal => {
                    let digest = *self.digests.get(&i.task_id).context("revealing a task it did not compute")?;
                    let tx = self.send(IPoco2::revealCall { taskId: i.task_id, resultDigest: digest }.abi_encode()).await?;
                    let _: pool_api::Instruction = self.post(&routes::status(&i.task_id), &StatusReport::Revealed { tx }).await?;
                }
                Action::Upload => {
                    let link = self.upload(i.task_id).await?;
                    let _: pool_api::Instruction = self
                        .post(&routes::status(&i.task_id), &StatusReport::Uploaded { link, callback_data: Bytes::new() })
                        .await?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Polls until `stop` turns true; errors (e.g. a scheduler restarting) are retried.
    pub fn spawn(mut self, mut stop: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            while !*stop.borrow() {
                if let Err(e) = self.step().await {
                    tracing::debug!(worker = %self.me(), "step failed: {e:#}");
                }
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(150)) => {}
                    _ = stop.changed() => {}
                }
            }
        })
    }
}

/// Workers `indices` (dev accounts `FIRST_WORKER + i`) registered and running with
/// `behaviour`; returns their stop switch.
pub async fn run_workers(world: &World, api: SocketAddr, indices: &[u32], behaviour: Behaviour) -> Result<watch::Sender<bool>> {
    let (tx, rx) = watch::channel(false);
    for &i in indices {
        let w = TestWorker::register(world, api, worker(i)?, behaviour).await?;
        w.spawn(rx.clone());
    }
    Ok(tx)
}

/// The reference terms with the prices these tests use: app 10, no dataset, pool 100,
/// category 0 (timeref 300 s).
pub fn terms(trust: u64, volume: u64) -> DealTerms {
    DealTerms {
        app_price: 10,
        dataset_price: 0,
        pool_price: 100,
        volume,
        with_dataset: false,
        trust,
        params: String::new(),
        ..DealTerms::reference()
    }
}

/// Balance deltas, as signed numbers.
pub fn delta(before: (u128, u128), after: (u128, u128)) -> (i128, i128) {
    (after.0 as i128 - before.0 as i128, after.1 as i128 - before.1 as i128)
}

/// `(balance, locked)` of each of `who`.
pub async fn accounts(world: &World, who: &[Address]) -> Result<Vec<(u128, u128)>> {
    let mut out = Vec::new();
    for w in who {
        out.push(world.account(*w).await?);
    }
    Ok(out)
}
