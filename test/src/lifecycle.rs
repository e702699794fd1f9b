//! The task lifecycle on the devnet: workers, the scheduler's worker authorizations, votes
//! (result hash and seal), enclave signatures, and [`Harness`], which sends each lifecycle
//! transaction through the hub, applies the same operation to the plain model of PoCo's
//! rules ([`crate::model`]) and checks that both agree — on whether it succeeded, and on
//! every account, score, task and contribution afterwards.
//!
//! Time is the harness's: every transaction is mined at a timestamp it sets
//! (`evm_setNextBlockTimestamp`), one second after the previous one unless a test waits, so
//! deadlines are exact and no test depends on the wall clock. Transactions are sent with an
//! explicit gas limit, not estimated: a transaction PoCo refuses is then mined and reverts
//! like any other (its receipt is the outcome, and its revert data is read back with
//! `eth_call` at the same block), and `eth_estimateGas`, which simulates at the latest
//! block's timestamp rather than the next one's, never decides an outcome at a deadline.

mod boost;

use alloy::{
    network::TransactionBuilder,
    primitives::{Address, Bytes, B256, U256},
    providers::{DynProvider, Provider},
    rpc::types::{TransactionReceipt, TransactionRequest},
    signers::local::PrivateKeySigner,
    sol_types::{SolCall, SolEvent},
};
use anyhow::{anyhow, bail, ensure, Context, Result};
use poco_core::{
    constants::{DEFAULT_CATEGORIES, KITTY_ADDRESS, TAG_TEE},
    eip712::{domain_separator, PocoStructHash},
    ids::deal_id,
    messages::{enclave_message_hash, eth_signed_message_hash, result_hash, result_seal, worker_authorization_hash},
    orders::matchOrdersCall,
    status::TaskStatusEnum,
};
use poco_facet_matching::OrdersMatched;

use crate::{
    account,
    bindings::{IHub, IPoco2, IRlc, ITaskViews, IWorkerpool},
    market::{confirm, deposit, sign, signed_orders, Actors, Assets, DealTerms},
    model::{DealModel, Model, Outcome},
    provider, Network,
};

/// `params` of the reference scenarios (issue 8): the result storage of iExec's Arbitrum
/// deployment, 110 bytes.
pub const REFERENCE_PARAMS: &str =
    r#"{"iexec_result_storage_provider":"ipfs","iexec_result_storage_proxy":"https://result.arbitrum-mainnet.iex.ec"}"#;

/// `results` of the reference scenarios: the result link a worker pushes for an IPFS
/// upload, with the worker's exact formatting (OFFCHAIN.md §3.3), 89 bytes.
pub const REFERENCE_RESULTS: &str =
    r#"{ "storage": "ipfs", "location": "/ipfs/QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG" }"#;

/// Dev-mnemonic index of the first worker: accounts 0–4 are the protocol owner and the
/// market's actors ([`Actors`]).
pub const FIRST_WORKER: u32 = 5;

/// Accounts the devnet funds with ether (`DevnetConfig::dev_accounts`); workers beyond them
/// are sent ether for their transactions.
const FUNDED_DEV_ACCOUNTS: u32 = 10;

/// Gas limit of every lifecycle transaction: far above any of them (contributing to a task
/// with many contributors, a callback of `callbackgas`), far below the block's 32M.
pub const TX_GAS: u64 = 8_000_000;

/// Worker `i`: dev-mnemonic account `FIRST_WORKER + i`.
pub fn worker(i: u32) -> Result<PrivateKeySigner> {
    account(FIRST_WORKER + i)
}

/// The scheduler's (or TEE broker's) authorization of `worker` on `task`: an EIP-191
/// eth-signed `keccak256(worker ‖ taskid ‖ enclaveChallenge)` (PROTOCOL.md §4.5).
pub fn authorize(signer: &PrivateKeySigner, worker: Address, task: B256, enclave: Address) -> Bytes {
    sign(signer, eth_signed_message_hash(&worker_authorization_hash(&worker, &task, &enclave)))
}

/// A worker's contribution: its vote and proof of knowledge of `digest` on `task`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Vote {
    /// `keccak256(taskid ‖ digest)`.
    pub hash: B256,
    /// `keccak256(worker ‖ taskid ‖ digest)`.
    pub seal: B256,
}

impl Vote {
    /// `worker`'s vote for `digest` on `task`.
    pub fn new(worker: Address, task: B256, digest: B256) -> Self {
        Self { hash: result_hash(&task, &digest), seal: result_seal(&worker, &task, &digest) }
    }
}

/// The enclave's signature of a vote: eth-signed `keccak256(resultHash ‖ resultSeal)` by
/// the enclave challenge's key.
pub fn enclave_sign(enclave: &PrivateKeySigner, vote: &Vote) -> Bytes {
    sign(enclave, eth_signed_message_hash(&enclave_message_hash(&vote.hash, &vote.seal)))
}

/// A result digest for tests: what a worker computing `label` would find (its value is
/// arbitrary; workers agree when their labels are equal).
pub fn digest(label: &str) -> B256 {
    alloy::primitives::keccak256(label.as_bytes())
}

/// `enclaveSign` of a standard task: 32 zero bytes, as the reference scenarios send.
pub fn no_enclave_sign() -> Bytes {
    Bytes::from(vec![0u8; 32])
}

/// The enclave of a TEE worker: a key of its own, never an account with funds.
pub fn enclave_key(i: u32) -> Result<PrivateKeySigner> {
    let seed = alloy::primitives::keccak256(format!("poco-e2e enclave {i}").as_bytes());
    PrivateKeySigner::from_bytes(&seed).context("enclave key")
}

/// The deployed program bytes of an EVM contract whose runtime code is `runtime`: an init
/// code that copies it to memory and returns it (`PUSH1 n DUP1 PUSH1 11 PUSH1 0 CODECOPY
/// PUSH1 0 RETURN`, 11 bytes, then `runtime`).
pub fn evm_init_code(runtime: &[u8]) -> Result<Bytes> {
    let n = u8::try_from(runtime.len()).map_err(|_| anyhow!("runtime over 255 bytes"))?;
    let mut code = vec![0x60, n, 0x80, 0x60, 0x0b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3];
    code.extend_from_slice(runtime);
    Ok(code.into())
}

/// Runtime codes of result-callback contracts, hand-assembled EVM.
pub mod callbacks {
    /// Records that it was called: `sstore(calldataload(4), gas())` — the gas it was given,
    /// stored under the task id of `receiveResult(bytes32 taskid, bytes)`. Bytes:
    /// `GAS PUSH1 4 CALLDATALOAD SSTORE STOP`.
    pub const RECORDER: &[u8] = &[0x5a, 0x60, 0x04, 0x35, 0x55, 0x00];
    /// Reverts at once: `PUSH1 0 PUSH1 0 REVERT`.
    pub const REVERTER: &[u8] = &[0x60, 0x00, 0x60, 0x00, 0xfd];
    /// Loops until it has burnt all the gas it was given: `JUMPDEST PUSH1 0 JUMP`.
    pub const GAS_BURNER: &[u8] = &[0x5b, 0x60, 0x00, 0x56];
}

/// Deploys an EVM contract with `runtime` as its code (a raw CREATE); returns its address.
pub async fn deploy_evm(p: &DynProvider, runtime: &[u8]) -> Result<Address> {
    let tx = TransactionRequest::default().with_deploy_code(evm_init_code(runtime)?);
    let receipt = p.send_transaction(tx).await?.get_receipt().await?;
    ensure!(receipt.status(), "CREATE reverted");
    receipt.contract_address.context("no contract address")
}

/// The events `E` the hub emitted in `receipt`, in order.
pub fn events<E: SolEvent>(hub: Address, receipt: &TransactionReceipt) -> Vec<E> {
    receipt
        .inner
        .logs()
        .iter()
        .filter(|l| l.address() == hub && l.topics().first() == Some(&E::SIGNATURE_HASH))
        .filter_map(|l| E::decode_log_data(l.data()).ok())
        .collect()
}

/// What a sent transaction did.
#[derive(Debug)]
pub struct Sent {
    /// Its receipt (mined in any case).
    pub receipt: TransactionReceipt,
    /// The revert data when it reverted (empty: a bare revert), read back with `eth_call`.
    pub revert: Option<Bytes>,
    /// The timestamp of its block: PoCo's `now` for it.
    pub time: u64,
}

impl Sent {
    /// Whether it succeeded.
    pub fn ok(&self) -> bool {
        self.revert.is_none()
    }
}

/// A lifecycle test's world: the devnet, its market, the workers, the model, and the
/// harness's clock. Cloning it is cheap enough to save the model beside a chain snapshot.
#[derive(Clone)]
pub struct Harness {
    /// The JSON-RPC address.
    pub addr: std::net::SocketAddr,
    /// The hub.
    pub hub: Address,
    /// RLC.
    pub rlc: Address,
    /// Chain id.
    pub chain_id: u64,
    /// Market actors (accounts 1–4).
    pub actors: std::sync::Arc<Actors>,
    /// Their assets.
    pub assets: Assets,
    /// Workers (accounts `FIRST_WORKER..`).
    pub workers: Vec<PrivateKeySigner>,
    /// What PoCo's rules say.
    pub model: Model,
    /// Timestamp the next transaction is mined at.
    pub now: u64,
    /// Salt of the next deal's orders (fresh orders per deal).
    next_salt: u64,
    /// Accounts whose SRLC the checks compare (every account that can hold any).
    tracked: Vec<Address>,
    /// The workerpool's policies at match time.
    pool_policy: (u128, u128),
    /// Why the model refused the last operation (`None`: it accepted it), for tallies.
    pub last_refusal: Option<crate::model::Refused>,
}

/// A deal made by [`Harness::match_deal`].
#[derive(Clone, Debug)]
pub struct Deal {
    /// Its id.
    pub id: B256,
    /// The `matchOrders` call that made it.
    pub orders: matchOrdersCall,
    /// The receipt of `matchOrders`.
    pub receipt: TransactionReceipt,
}

impl Harness {
    /// A harness over `net`'s market: `actors` own `assets`, and `workers` workers (accounts
    /// `FIRST_WORKER..`) each have `worker_deposit` SRLC, on top of whatever the market's
    /// setup deposited (read from the chain as the model's starting point).
    pub async fn new(net: &Network, actors: Actors, assets: Assets, workers: u32, worker_deposit: u64) -> Result<Self> {
        let owner = provider(net.addr, account(0)?)?;
        let chain_id = owner.get_chain_id().await?;
        let mut ws = Vec::new();
        for i in 0..workers {
            let w = worker(i)?;
            fund_worker(net, &owner, &w, worker_deposit).await?;
            ws.push(w);
        }
        let pool = IWorkerpool::new(assets.pool, &owner);
        let pool_policy = (
            u128::try_from(pool.m_workerStakeRatioPolicy().call().await?)?,
            u128::try_from(pool.m_schedulerRewardRatioPolicy().call().await?)?,
        );
        let mut tracked: Vec<Address> = actors.all().iter().map(|a| a.address()).collect();
        tracked.extend(ws.iter().map(|w| w.address()));
        tracked.push(KITTY_ADDRESS);
        let latest = latest_timestamp(&owner).await?;
        let mut h = Self {
            addr: net.addr,
            hub: net.poco.hub,
            rlc: net.poco.rlc,
            chain_id,
            actors: std::sync::Arc::new(actors),
            assets,
            workers: ws,
            model: Model::default(),
            now: latest + 1,
            next_salt: 1,
            tracked,
            pool_policy,
            last_refusal: None,
        };
        // The model starts from the chain's balances; from here on it predicts them.
        let hub = IHub::new(h.hub, &owner);
        for who in h.tracked.clone() {
            let a = hub.viewAccount(who).call().await?;
            let acc = h.model.accounts.entry(who).or_default();
            acc.balance = u128::try_from(a.stake)?;
            acc.frozen = u128::try_from(a.locked)?;
        }
        h.check().await?;
        Ok(h)
    }

    /// A provider signing as `who`.
    pub fn as_(&self, who: &PrivateKeySigner) -> Result<DynProvider> {
        provider(self.addr, who.clone())
    }

    /// The scheduler (the workerpool's owner).
    pub fn scheduler(&self) -> &PrivateKeySigner {
        &self.actors.scheduler
    }

    /// Lets `seconds` pass before the next transaction.
    pub fn wait(&mut self, seconds: u64) {
        self.now += seconds;
    }

    /// Sends `input` to the hub as `from`, mined at [`Harness::now`]; the clock then moves
    /// one second on.
    pub async fn send(&mut self, from: &PrivateKeySigner, input: Bytes) -> Result<Sent> {
        self.send_with_gas(from, input, TX_GAS).await
    }

    /// [`Harness::send`] with a chosen gas limit.
    pub async fn send_with_gas(&mut self, from: &PrivateKeySigner, input: Bytes, gas: u64) -> Result<Sent> {
        let p = self.as_(from)?;
        // Transactions sent around the harness (deployments, administration) mine blocks
        // of their own: the clock never goes back behind them.
        self.now = self.now.max(latest_timestamp(&p).await? + 1);
        let () = p.raw_request("evm_setNextBlockTimestamp".into(), (self.now,)).await?;
        let tx = TransactionRequest::default().with_to(self.hub).with_input(input.clone()).with_gas_limit(gas);
        let receipt = p.send_transaction(tx.clone()).await?.get_receipt().await?;
        let time = self.now;
        self.now += 1;
        let revert = if receipt.status() {
            None
        } else {
            // The same call on the state the failed transaction left (its own), at its block.
            match p.call(tx).await {
                Ok(_) => bail!("the transaction reverted but its eth_call succeeds"),
                Err(e) => Some(
                    e.as_error_resp().and_then(|r| r.as_revert_data()).unwrap_or_default(),
                ),
            }
        };
        Ok(Sent { receipt, revert, time })
    }

    /// Fails unless the chain and the model agree on whether an operation succeeded, and a
    /// refusal has PoCo's revert shape (a bare revert for Poco2's `require`s, the escrow's
    /// reason string for missing funds).
    fn agree<T>(&mut self, what: &str, sent: &Sent, model: &Outcome<T>) -> Result<()> {
        self.last_refusal = model.as_ref().err().copied();
        match (sent.ok(), model) {
            (true, Ok(_)) => Ok(()),
            (false, Err(why)) => {
                let data = sent.revert.clone().unwrap_or_default();
                let expected = crate::model::revert_data(why);
                ensure!(data.as_ref() == expected.as_slice(), "{what} refused ({why}) with revert data {data}, PoCo's is {}", Bytes::from(expected));
                Ok(())
            }
            (true, Err(why)) => bail!("{what} succeeded on chain; PoCo's rules refuse it ({why})"),
            (false, Ok(_)) => bail!("{what} reverted on chain ({:?}); PoCo's rules accept it", sent.revert),
        }
    }

    /// The orders of `terms` with a fresh salt, `matchOrders` sent by the requester, and the
    /// deal recorded in the model. Fails if the match reverts.
    pub async fn match_deal(&mut self, terms: &DealTerms) -> Result<Deal> {
        let (deal, sent) = self.try_match_deal(terms).await?;
        ensure!(sent.ok(), "matchOrders reverted: {:?}", sent.revert);
        deal.context("matched")
    }

    /// [`Harness::match_deal`], returning the outcome even when PoCo refuses the match.
    pub async fn try_match_deal(&mut self, terms: &DealTerms) -> Result<(Option<Deal>, Sent)> {
        let mut terms = terms.clone();
        terms.salt = B256::from(U256::from(self.next_salt));
        self.next_salt += 1;
        let orders = signed_orders(&self.actors, &self.assets, self.chain_id, self.hub, &terms);
        let separator = domain_separator(self.chain_id, &self.hub);
        // Fresh orders: nothing consumed, so the deal id is the request hash with 0.
        let id = deal_id(&orders._3.typed_data_hash(&separator), &U256::ZERO);
        let requester = self.actors.requester.clone();
        let sent = self.send(&requester, orders.abi_encode().into()).await?;
        let deal = self.deal_model(&terms, self.actors.requester.address(), sent.time)?;
        let model = self.model.match_deal(id, deal);
        self.agree("matchOrders", &sent, &model)?;
        if !sent.ok() {
            return Ok((None, sent));
        }
        let matched = events::<OrdersMatched>(self.hub, &sent.receipt);
        let ids: Vec<B256> = matched.iter().map(|m| m.dealid).collect();
        ensure!(ids == [id], "OrdersMatched of deals {ids:?}, expected {id}");
        self.check().await?;
        Ok((Some(Deal { id, orders, receipt: sent.receipt.clone() }), sent))
    }

    /// What PoCo records of a deal of fresh orders of `terms`, paid by `sponsor` and matched
    /// at `time` (the model's view of `matchOrders` and `matchOrdersBoost` alike).
    fn deal_model(&self, terms: &DealTerms, sponsor: Address, time: u64) -> Result<DealModel> {
        let category = usize::try_from(terms.category)?;
        Ok(DealModel {
            app_owner: self.actors.app_dev.address(),
            app_price: u128::from(terms.app_price),
            dataset_owner: terms.with_dataset.then(|| self.actors.dataset_owner.address()),
            dataset_price: if terms.with_dataset { u128::from(terms.dataset_price) } else { 0 },
            scheduler: self.actors.scheduler.address(),
            pool_price: u128::from(terms.pool_price),
            sponsor,
            trust: terms.trust.max(1),
            tee: terms.tag[31] & TAG_TEE != 0,
            callback: terms.callback,
            start_time: time,
            timeref: DEFAULT_CATEGORIES.get(category).context("category")?.work_clock_time_ref,
            bot_first: 0,
            volume: terms.volume,
            worker_stake_ratio: self.pool_policy.0,
            scheduler_reward_ratio: self.pool_policy.1,
        })
    }

    /// `initialize(dealid, idx)`, sent by the scheduler; checks `TaskInitialize`.
    pub async fn initialize(&mut self, deal: B256, idx: u64) -> Result<(B256, Sent)> {
        let input = IPoco2::initializeCall { dealId: deal, index: U256::from(idx) }.abi_encode();
        let scheduler = self.actors.scheduler.clone();
        let sent = self.send(&scheduler, input.into()).await?;
        let model = self.model.initialize(deal, idx);
        self.agree("initialize", &sent, &model)?;
        let id = poco_core::ids::task_id(&deal, &U256::from(idx));
        if sent.ok() {
            let init = events::<IPoco2::TaskInitialize>(self.hub, &sent.receipt);
            ensure!(
                init.len() == 1 && init[0].taskid == id && init[0].workerpool == self.assets.pool,
                "TaskInitialize {init:?}"
            );
        }
        self.check_task(id).await?;
        Ok((id, sent))
    }

    /// Contributes `digest` to `task` as worker `w`, authorized by the scheduler; a TEE
    /// contribution (with `enclave`) is signed by the enclave too.
    pub async fn contribute(&mut self, w: usize, task: B256, digest: B256, enclave: Option<&PrivateKeySigner>) -> Result<Sent> {
        let worker = self.workers[w].clone();
        let scheduler = self.actors.scheduler.clone();
        self.contribute_signed(&worker, task, digest, enclave, &scheduler).await
    }

    /// [`Harness::contribute`] with the authorization signed by `authorizer` (the scheduler,
    /// the TEE broker, or anyone, for the tests of a wrong signer) and the model told
    /// whether PoCo should accept that signer.
    pub async fn contribute_signed(
        &mut self,
        worker: &PrivateKeySigner,
        task: B256,
        digest: B256,
        enclave: Option<&PrivateKeySigner>,
        authorizer: &PrivateKeySigner,
    ) -> Result<Sent> {
        let vote = Vote::new(worker.address(), task, digest);
        let challenge = enclave.map_or(Address::ZERO, |e| e.address());
        let call = IPoco2::contributeCall {
            taskId: task,
            resultHash: vote.hash,
            resultSeal: vote.seal,
            enclaveChallenge: challenge,
            enclaveSign: enclave.map_or_else(no_enclave_sign, |e| enclave_sign(e, &vote)),
            authorizationSign: authorize(authorizer, worker.address(), task, challenge),
        };
        let authorized = authorizer.address() == self.expected_authorizer(challenge).await?;
        let sent = self.send(worker, call.abi_encode().into()).await?;
        let model = self.model.contribute(task, worker.address(), vote.hash, vote.seal, challenge, authorized, sent.time);
        self.agree("contribute", &sent, &model)?;
        if sent.ok() {
            let c = events::<IPoco2::TaskContribute>(self.hub, &sent.receipt);
            ensure!(c.len() == 1 && c[0].taskid == task && c[0].worker == worker.address() && c[0].hash == vote.hash, "TaskContribute {c:?}");
            let consensus = events::<IPoco2::TaskConsensus>(self.hub, &sent.receipt);
            let reached = self.model.status(task) == TaskStatusEnum::REVEALING;
            ensure!(
                consensus.len() == usize::from(reached) && consensus.iter().all(|e| e.taskid == task && e.consensus == vote.hash),
                "TaskConsensus {consensus:?}, consensus reached: {reached}"
            );
        }
        self.check_task(task).await?;
        Ok(sent)
    }

    /// Who must sign a contribution's authorization: the TEE broker for an enclave
    /// contribution when a broker is set, the workerpool's owner otherwise.
    async fn expected_authorizer(&self, challenge: Address) -> Result<Address> {
        let p = self.as_(&self.actors.requester)?;
        let broker = IHub::new(self.hub, &p).teebroker().call().await?;
        Ok(if !challenge.is_zero() && !broker.is_zero() { broker } else { self.actors.scheduler.address() })
    }

    /// Worker `w` reveals `digest` on `task`; checks `TaskReveal`.
    pub async fn reveal(&mut self, w: usize, task: B256, digest: B256) -> Result<Sent> {
        let worker = self.workers[w].clone();
        let input = IPoco2::revealCall { taskId: task, resultDigest: digest }.abi_encode();
        let sent = self.send(&worker, input.into()).await?;
        let model = self.model.reveal(task, worker.address(), digest, sent.time);
        self.agree("reveal", &sent, &model)?;
        if sent.ok() {
            let r = events::<IPoco2::TaskReveal>(self.hub, &sent.receipt);
            ensure!(r.len() == 1 && r[0].taskid == task && r[0].worker == worker.address() && r[0].digest == digest, "TaskReveal {r:?}");
        }
        self.check_task(task).await?;
        Ok(sent)
    }

    /// `reopen(task)` sent by `from`; checks `TaskReopen`.
    pub async fn reopen(&mut self, from: &PrivateKeySigner, task: B256) -> Result<Sent> {
        let sent = self.send(from, IPoco2::reopenCall { taskId: task }.abi_encode().into()).await?;
        let model = self.model.reopen(task, from.address(), sent.time);
        self.agree("reopen", &sent, &model)?;
        if sent.ok() {
            let r = events::<IPoco2::TaskReopen>(self.hub, &sent.receipt);
            ensure!(r.len() == 1 && r[0].taskid == task, "TaskReopen {r:?}");
        }
        self.check_task(task).await?;
        Ok(sent)
    }

    /// `finalize(task, results, resultsCallback)` sent by the scheduler; checks
    /// `TaskFinalize` and the `AccurateContribution`/`FaultyContribution` of each
    /// contributor.
    pub async fn finalize(&mut self, task: B256, results: &[u8], results_callback: &[u8]) -> Result<Sent> {
        let scheduler = self.actors.scheduler.clone();
        self.finalize_as(&scheduler, task, results, results_callback, TX_GAS).await
    }

    /// [`Harness::finalize`] sent by `from` with a gas limit of `gas`.
    pub async fn finalize_as(
        &mut self,
        from: &PrivateKeySigner,
        task: B256,
        results: &[u8],
        results_callback: &[u8],
        gas: u64,
    ) -> Result<Sent> {
        let call = IPoco2::finalizeCall {
            taskId: task,
            results: Bytes::copy_from_slice(results),
            resultsCallback: Bytes::copy_from_slice(results_callback),
        };
        let before = self.model.tasks.get(&task).cloned();
        let sent = self.send_with_gas(from, call.abi_encode().into(), gas).await?;
        let model = self.model.finalize(task, from.address(), results, results_callback, sent.time);
        self.agree("finalize", &sent, &model)?;
        if sent.ok() {
            let f = events::<IPoco2::TaskFinalize>(self.hub, &sent.receipt);
            ensure!(f.len() == 1 && f[0].taskid == task && f[0].results.as_ref() == results, "TaskFinalize {f:?}");
            let before = before.context("finalized an unknown task")?;
            let accurate = events::<IPoco2::AccurateContribution>(self.hub, &sent.receipt);
            let faulty = events::<IPoco2::FaultyContribution>(self.hub, &sent.receipt);
            let after = &self.model.tasks[&task];
            let mut expect_accurate = Vec::new();
            let mut expect_faulty = Vec::new();
            for w in &before.contributors {
                if after.contributions[w].status == poco_core::status::ContributionStatusEnum::PROVED {
                    if before.contributors.len() > 1 {
                        expect_accurate.push(*w);
                    }
                } else {
                    expect_faulty.push(*w);
                }
            }
            let got_accurate: Vec<Address> = accurate.iter().filter(|e| e.taskid == task).map(|e| e.worker).collect();
            let got_faulty: Vec<Address> = faulty.iter().filter(|e| e.taskid == task).map(|e| e.worker).collect();
            ensure!(got_accurate == expect_accurate, "AccurateContribution {got_accurate:?}, expected {expect_accurate:?}");
            ensure!(got_faulty == expect_faulty, "FaultyContribution {got_faulty:?}, expected {expect_faulty:?}");
        }
        self.check_task(task).await?;
        Ok(sent)
    }

    /// `contributeAndFinalize` by worker `w` (an enclave contribution with `enclave`);
    /// checks the four task events of the fast path.
    pub async fn contribute_and_finalize(
        &mut self,
        w: usize,
        task: B256,
        digest: B256,
        results: &[u8],
        results_callback: &[u8],
        enclave: Option<&PrivateKeySigner>,
    ) -> Result<Sent> {
        let worker = self.workers[w].clone();
        let vote = Vote::new(worker.address(), task, digest);
        let challenge = enclave.map_or(Address::ZERO, |e| e.address());
        let scheduler = self.actors.scheduler.clone();
        let call = IPoco2::contributeAndFinalizeCall {
            taskId: task,
            resultDigest: digest,
            results: Bytes::copy_from_slice(results),
            resultsCallback: Bytes::copy_from_slice(results_callback),
            enclaveChallenge: challenge,
            enclaveSign: enclave.map_or_else(no_enclave_sign, |e| enclave_sign(e, &vote)),
            authorizationSign: authorize(&scheduler, worker.address(), task, challenge),
        };
        let authorized = scheduler.address() == self.expected_authorizer(challenge).await?;
        let sent = self.send(&worker, call.abi_encode().into()).await?;
        let model =
            self.model.contribute_and_finalize(task, worker.address(), digest, results, results_callback, challenge, authorized, sent.time);
        self.agree("contributeAndFinalize", &sent, &model)?;
        if sent.ok() {
            let hub = self.hub;
            let r = &sent.receipt;
            let c = events::<IPoco2::TaskContribute>(hub, r);
            let k = events::<IPoco2::TaskConsensus>(hub, r);
            let v = events::<IPoco2::TaskReveal>(hub, r);
            let f = events::<IPoco2::TaskFinalize>(hub, r);
            ensure!(c.len() == 1 && c[0].taskid == task && c[0].worker == worker.address() && c[0].hash == vote.hash, "TaskContribute {c:?}");
            ensure!(k.len() == 1 && k[0].taskid == task && k[0].consensus == vote.hash, "TaskConsensus {k:?}");
            ensure!(v.len() == 1 && v[0].taskid == task && v[0].worker == worker.address() && v[0].digest == digest, "TaskReveal {v:?}");
            ensure!(f.len() == 1 && f[0].taskid == task && f[0].results.as_ref() == results, "TaskFinalize {f:?}");
        }
        self.check_task(task).await?;
        Ok(sent)
    }

    /// `claim(task)`, sent by the requester; checks `TaskClaimed`.
    pub async fn claim(&mut self, task: B256) -> Result<Sent> {
        let requester = self.actors.requester.clone();
        let sent = self.send(&requester, IPoco2::claimCall { taskId: task }.abi_encode().into()).await?;
        let model = self.model.claim(task, sent.time);
        self.agree("claim", &sent, &model)?;
        if sent.ok() {
            let c = events::<IPoco2::TaskClaimed>(self.hub, &sent.receipt);
            ensure!(c.len() == 1 && c[0].taskid == task, "TaskClaimed {c:?}");
        }
        self.check_task(task).await?;
        Ok(sent)
    }

    /// `initializeArray` of `deal`'s tasks `indexes`; the model initializes each in turn
    /// and the call succeeds only if every one does (PoCo's loop of `initialize`).
    pub async fn initialize_array(&mut self, deal: B256, indexes: &[u64]) -> Result<(Vec<B256>, Sent)> {
        let call = IPoco2::initializeArrayCall {
            dealIds: vec![deal; indexes.len()],
            indexes: indexes.iter().map(|i| U256::from(*i)).collect(),
        };
        let scheduler = self.actors.scheduler.clone();
        let sent = self.send(&scheduler, call.abi_encode().into()).await?;
        let model = self.model_batch(|m| indexes.iter().map(|i| m.initialize(deal, *i).map(|_| ())).collect());
        self.agree("initializeArray", &sent, &model)?;
        let ids: Vec<B256> = indexes.iter().map(|i| poco_core::ids::task_id(&deal, &U256::from(*i))).collect();
        if sent.ok() {
            let init: Vec<B256> = events::<IPoco2::TaskInitialize>(self.hub, &sent.receipt).iter().map(|e| e.taskid).collect();
            ensure!(init == ids, "TaskInitialize of {init:?}, expected {ids:?}");
        }
        for id in &ids {
            self.check_task(*id).await?;
        }
        Ok((ids, sent))
    }

    /// `initializeAndClaimArray` of `deal`'s tasks `indexes`, sent by the requester.
    pub async fn initialize_and_claim_array(&mut self, deal: B256, indexes: &[u64]) -> Result<(Vec<B256>, Sent)> {
        let call = IPoco2::initializeAndClaimArrayCall {
            dealIds: vec![deal; indexes.len()],
            indexes: indexes.iter().map(|i| U256::from(*i)).collect(),
        };
        let requester = self.actors.requester.clone();
        let sent = self.send(&requester, call.abi_encode().into()).await?;
        let model = self.model_batch(|m| {
            indexes.iter().map(|i| m.initialize(deal, *i).and_then(|id| m.claim(id, sent.time))).collect()
        });
        self.agree("initializeAndClaimArray", &sent, &model)?;
        let ids: Vec<B256> = indexes.iter().map(|i| poco_core::ids::task_id(&deal, &U256::from(*i))).collect();
        if sent.ok() {
            let claimed: Vec<B256> = events::<IPoco2::TaskClaimed>(self.hub, &sent.receipt).iter().map(|e| e.taskid).collect();
            ensure!(claimed == ids, "TaskClaimed of {claimed:?}, expected {ids:?}");
        }
        for id in &ids {
            self.check_task(*id).await?;
        }
        Ok((ids, sent))
    }

    /// `claimArray(tasks)`, sent by the requester.
    pub async fn claim_array(&mut self, tasks: &[B256]) -> Result<Sent> {
        let requester = self.actors.requester.clone();
        let sent = self.send(&requester, IPoco2::claimArrayCall { taskIds: tasks.to_vec() }.abi_encode().into()).await?;
        let model = self.model_batch(|m| tasks.iter().map(|t| m.claim(*t, sent.time)).collect());
        self.agree("claimArray", &sent, &model)?;
        for id in tasks {
            self.check_task(*id).await?;
        }
        Ok(sent)
    }

    /// Applies a batch of model operations all-or-nothing, as one transaction does.
    fn model_batch(&mut self, ops: impl FnOnce(&mut Model) -> Outcome<Vec<()>>) -> Outcome {
        let mut next = self.model.clone();
        ops(&mut next)?;
        self.model = next;
        Ok(())
    }

    /// `who`'s SRLC on chain.
    pub async fn chain_account(&self, who: Address) -> Result<crate::model::Account> {
        let p = self.as_(&self.actors.requester)?;
        let a = IHub::new(self.hub, &p).viewAccount(who).call().await?;
        Ok(crate::model::Account { balance: u128::try_from(a.stake)?, frozen: u128::try_from(a.locked)? })
    }

    /// Compares every tracked account, score and the two totals with the model:
    /// Σ balances + Σ frozen == SRLC totalSupply == RLC held by the hub.
    pub async fn check(&self) -> Result<()> {
        let p = self.as_(&self.actors.requester)?;
        let hub = IHub::new(self.hub, &p);
        let mut sum = U256::ZERO;
        for who in &self.tracked {
            let a = hub.viewAccount(*who).call().await?;
            let expected = self.model.account(*who);
            ensure!(
                (a.stake, a.locked) == (U256::from(expected.balance), U256::from(expected.frozen)),
                "account {who}: chain balance {} frozen {}, model {expected:?}",
                a.stake,
                a.locked
            );
            sum += a.stake + a.locked;
        }
        for w in &self.workers {
            let score = hub.viewScore(w.address()).call().await?;
            let expected = self.model.score(w.address());
            ensure!(score == U256::from(expected), "score of {}: chain {score}, model {expected}", w.address());
        }
        let supply = hub.totalSupply().call().await?;
        let held = IRlc::new(self.rlc, &p).balanceOf(self.hub).call().await?;
        ensure!(sum == supply, "Σ balance + frozen {sum} != totalSupply {supply}");
        ensure!(U256::from(self.model.total()) == supply, "model total {} != totalSupply {supply}", self.model.total());
        ensure!(supply == held, "totalSupply {supply} != RLC held by the hub {held}");
        Ok(())
    }

    /// Compares task `id` (`viewTask`) and its contributions (`viewContribution`) with the
    /// model, then every account ([`Harness::check`]).
    pub async fn check_task(&self, id: B256) -> Result<()> {
        let p = self.as_(&self.actors.requester)?;
        let views = ITaskViews::new(self.hub, &p);
        let t = views.viewTask(id).call().await?;
        match self.model.tasks.get(&id) {
            None => ensure!(t.status == TaskStatusEnum::UNSET.as_u8() && t.dealid.is_zero(), "task {id} should be UNSET: {t:?}"),
            Some(m) => {
                let deal = &self.model.deals[&m.deal];
                let expected = ITaskViews::Task {
                    status: m.status.as_u8(),
                    dealid: m.deal,
                    idx: U256::from(m.idx),
                    timeref: U256::from(deal.timeref),
                    contributionDeadline: U256::from(deal.contribution_deadline()),
                    revealDeadline: U256::from(m.reveal_deadline),
                    finalDeadline: U256::from(deal.final_deadline()),
                    consensusValue: m.consensus_value,
                    revealCounter: U256::from(m.reveal_counter),
                    winnerCounter: U256::from(m.winner_counter),
                    contributors: m.contributors.clone(),
                    resultDigest: m.result_digest,
                    results: Bytes::from(m.results.clone()),
                    // Never written by PoCo.
                    resultsTimestamp: U256::ZERO,
                    resultsCallback: Bytes::from(m.results_callback.clone()),
                };
                let seen = &t;
                ensure!(*seen == expected, "task {id}: chain {seen:?}\nmodel {expected:?}");
                // The legacy view (iexec-commons-poco's) is viewTask without resultDigest,
                // resultsTimestamp and resultsCallback.
                let l = views.viewTaskABILegacy(id).call().await?;
                let legacy = (l._0, l._1, l._2, l._3, l._4, l._5, l._6, l._7, l._8, l._9, l._10.clone(), l._11.clone());
                let from_task = (
                    t.status,
                    t.dealid,
                    t.idx,
                    t.timeref,
                    t.contributionDeadline,
                    t.revealDeadline,
                    t.finalDeadline,
                    t.consensusValue,
                    t.revealCounter,
                    t.winnerCounter,
                    t.contributors.clone(),
                    t.results.clone(),
                );
                ensure!(legacy == from_task, "viewTaskABILegacy {legacy:?} != viewTask {from_task:?}");
                for (w, c) in &m.contributions {
                    let l = views.viewContributionABILegacy(id, *w).call().await?;
                    let legacy = (l._0, l._1, l._2, l._3);
                    let expected = (c.status.as_u8(), c.result_hash, c.result_seal, c.enclave_challenge);
                    ensure!(legacy == expected, "viewContributionABILegacy of {w} to {id}: {legacy:?}, model {expected:?}");
                    let v = views.viewContribution(id, *w).call().await?;
                    let seen = (v.status, v.resultHash, v.resultSeal, v.enclaveChallenge, v.weight);
                    let expected = (c.status.as_u8(), c.result_hash, c.result_seal, c.enclave_challenge, U256::from(c.weight));
                    ensure!(seen == expected, "contribution of {w} to {id}: chain {seen:?}, model {expected:?}");
                }
            }
        }
        self.check().await
    }
}

/// A devnet with the protocol, a market whose requester and scheduler each deposited
/// `deposit` SRLC, and a harness over it with `workers` workers holding `worker_deposit` SRLC.
/// The network is returned to keep it serving.
pub async fn ready(deposit_each: u64, workers: u32, worker_deposit: u64) -> Result<(Network, Harness)> {
    let net = crate::network().await?;
    let actors = Actors::new()?;
    let assets = crate::market::register_assets(&net, &actors, U256::from(deposit_each) * U256::from(2)).await?;
    for who in [&actors.requester, &actors.scheduler] {
        deposit(&net, who, U256::from(deposit_each)).await?;
    }
    let h = Harness::new(&net, actors, assets, workers, worker_deposit).await?;
    Ok((net, h))
}

/// The latest block's timestamp.
pub async fn latest_timestamp(p: &DynProvider) -> Result<u64> {
    let block = p.get_block_by_number(alloy::eips::BlockNumberOrTag::Latest).await?.context("no latest block")?;
    Ok(block.header.timestamp)
}

/// Gives `w` ether for gas when the devnet did not, RLC from the owner, and deposits
/// `amount` of it into the hub.
pub async fn fund_worker(net: &Network, owner: &DynProvider, w: &PrivateKeySigner, amount: u64) -> Result<()> {
    let index_funded = (0..FUNDED_DEV_ACCOUNTS).any(|i| account(i).map(|a| a.address() == w.address()).unwrap_or(false));
    if !index_funded {
        let ether = U256::from(10u64).pow(U256::from(18u64));
        let tx = TransactionRequest::default().with_to(w.address()).with_value(ether);
        ensure!(owner.send_transaction(tx).await?.get_receipt().await?.status(), "ether transfer");
    }
    if amount > 0 {
        confirm("RLC transfer", IRlc::new(net.poco.rlc, owner).transfer(w.address(), U256::from(amount)).send().await).await?;
        deposit(net, w, U256::from(amount)).await?;
    }
    Ok(())
}
