//! The user actions of the differential run, each turned into one transaction per
//! deployment (the same sender and meaning, the side's own addresses, hashes and
//! signatures), and the world they act on: the actors, the assets, the orders seen, the deals
//! and tasks, the contributions made.

use alloy::{
    primitives::{keccak256, Address, Bytes, B256, U256},
    signers::local::PrivateKeySigner,
    sol_types::SolCall,
};
use anyhow::{Context, Result};
use poco_client::bindings::{IAppRegistry, IDatasetRegistry, IEscrow, IHub, IRlc, IWorkerpoolRegistry};
use poco_core::{
    eip712::{domain_separator, PocoStructHash},
    ids::{deal_id, task_id},
    orders::{
        manageAppOrderCall, manageDatasetOrderCall, manageRequestOrderCall, manageWorkerpoolOrderCall, matchOrdersCall,
        matchOrdersBoostCall, sponsorMatchOrdersBoostCall, sponsorMatchOrdersCall, AppOrder, AppOrderOperation, DatasetOrder, DatasetOrderOperation, RequestOrder,
        RequestOrderOperation, WorkerpoolOrder, WorkerpoolOrderOperation,
    },
};
use poco_devnet::DEVNODE_CHAIN_ID;
use poco_e2e::{
    bindings::{IBoostPush, IPoco2, ITaskViews},
    lifecycle::{authorize, digest, no_enclave_sign, Vote, REFERENCE_RESULTS},
    market::sign,
};

use crate::{
    mapping::Mapping,
    pair::{Call, Outcome, Pair},
};

/// Dev accounts playing a role (the same keys, so the same addresses, on both chains).
pub mod actor {
    /// Deploys and owns both protocols, holds the RLC supply.
    pub const OWNER: u32 = 0;
    /// The usual requester.
    pub const REQUESTER: u32 = 1;
    /// Owns the first app.
    pub const APP_DEV: u32 = 2;
    /// Owns the first dataset.
    pub const DATASET_OWNER: u32 = 3;
    /// Owns the first workerpool: its scheduler.
    pub const SCHEDULER: u32 = 4;
    /// Workers: accounts 5 to 8.
    pub const FIRST_WORKER: u32 = 5;
    /// Number of workers.
    pub const WORKERS: u32 = 4;
    /// A sponsor, and a second requester.
    pub const SPONSOR: u32 = 9;
    /// Every account of the run.
    pub const ALL: [u32; 10] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    /// PoCo's `ERC1271Mock` contract wallet (a requester whose orders are ERC-1271 signed;
    /// its address differs between the sides).
    pub const WALLET: u32 = 10;
}

/// Solidity side index in `[T; 2]` pairs.
pub const SOL: usize = 0;
/// Our side index.
pub const OURS: usize = 1;

/// A registry's kind of asset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// App.
    App,
    /// Dataset.
    Dataset,
    /// Workerpool.
    Workerpool,
}

/// A registered asset.
#[derive(Clone, Debug)]
pub struct Asset {
    /// Its kind.
    pub kind: Kind,
    /// Current owner (an actor).
    pub owner: u32,
    /// Its address on each side.
    pub at: [Address; 2],
}

/// A matched deal.
#[derive(Clone, Debug)]
pub struct DealRef {
    /// Its id on each side.
    pub id: [B256; 2],
    /// Its volume.
    pub volume: u64,
    /// Index of its workerpool in [`World::assets`].
    pub pool: usize,
    /// Whether someone other than the requester pays for it.
    pub sponsored: bool,
}

/// A task id that was initialized (or tried).
#[derive(Clone, Debug)]
pub struct TaskRef {
    /// Index in [`World::deals`].
    pub deal: usize,
    /// Index in the deal.
    pub idx: u64,
    /// Its id on each side.
    pub id: [B256; 2],
    /// Contributions sent: (worker, answer).
    pub votes: Vec<(u32, u8)>,
}

/// How an order is signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sig {
    /// 65-byte ECDSA signature by the owner.
    Full,
    /// 64-byte EIP-2098 compact signature by the owner.
    Compact,
    /// No signature: valid only if presigned with `manage*Order`.
    Presigned,
    /// Signed by someone else.
    WrongSigner,
    /// 65 bytes that are no signature.
    Garbage,
    /// The owner's signature in its malleable form (s' = n − s, v flipped).
    Malleable,
}

/// Terms of the four orders of a match.
#[derive(Clone, Debug)]
pub struct Terms {
    /// Pick of the app, dataset (None: without) and workerpool among the registered ones.
    pub app: usize,
    /// Dataset pick, when the deal uses one.
    pub dataset: Option<usize>,
    /// Workerpool pick.
    pub pool: usize,
    /// Prices asked by the app, dataset and workerpool orders.
    pub prices: [u64; 3],
    /// Maximum prices of the request: the asked prices plus these (0 or more).
    pub slack: [u64; 3],
    /// Volumes of the app, dataset, workerpool and request orders.
    pub volumes: [u64; 4],
    /// The request's trust (the workerpool order offers `pool_trust`).
    pub trust: u64,
    /// Trust offered by the workerpool order.
    pub pool_trust: u64,
    /// Category of the request and of the workerpool order.
    pub categories: [u64; 2],
    /// Tags of the app, dataset, workerpool and request orders (low byte).
    pub tags: [u8; 4],
    /// The requester (an actor).
    pub requester: u32,
    /// The app order's requester restriction: none, or this actor.
    pub requester_restrict: Option<u32>,
    /// The request's workerpool restriction: none, or the pick of a workerpool.
    pub pool_restrict: Option<usize>,
    /// Salt of every order.
    pub salt: u8,
    /// How each order is signed.
    pub sigs: [Sig; 4],
}

/// A user action. Actors are indexes of `actor::ALL`; `pick`, `deal` and `task` choose
/// among what exists (modulo its count). Each variant's doc describes its fields.
#[allow(missing_docs)]
#[derive(Clone, Debug)]
pub enum Op {
    /// RLC `approveAndCall(hub, amount, "")`: a deposit in one transaction.
    DepositApproveAndCall { who: u32, amount: u64 },
    /// RLC `approve(hub, amount)` then hub `deposit(amount)` (two compared steps), or
    /// `depositFor(amount, target)` when `target` is set.
    Deposit { who: u32, amount: u64, approve: u64, target: Option<u32> },
    /// `withdraw(amount)`, or `withdrawTo(amount, target)`.
    Withdraw { who: u32, amount: u64, target: Option<u32> },
    /// SRLC `transfer`.
    Transfer { from: u32, to: u32, amount: u64 },
    /// SRLC `approve`.
    Approve { owner: u32, spender: u32, amount: u64 },
    /// SRLC `transferFrom` by `spender`.
    TransferFrom { spender: u32, from: u32, to: u32, amount: u64 },
    /// SRLC `increaseAllowance` / `decreaseAllowance`.
    ChangeAllowance { owner: u32, spender: u32, amount: u64, increase: bool },
    /// `createApp` / `createDataset` / `createWorkerpool` for `owner`, sent by `sender`;
    /// `name` picks among a few names (the same name and owner twice is a duplicate).
    CreateAsset { kind: Kind, owner: u32, sender: u32, name: u8 },
    /// ERC-721 `transferFrom(owner, to, asset)` sent by the owner, or by `to` (refused).
    TransferAsset { kind: Kind, pick: usize, to: u32, by_owner: bool },
    /// `matchOrders` (sent by `sender`) or `sponsorMatchOrders` (sent by the sponsor).
    Match { terms: Box<Terms>, sender: u32, sponsored: bool },
    /// The match of earlier terms again (consumed volume, closed or presigned orders).
    Rematch { pick: usize, sender: u32, sponsored: bool },
    /// `manage*Order` on one order of earlier terms: presign (SIGN) or cancel (CLOSE),
    /// sent by its owner, or by someone else with the owner's signature of the operation
    /// (`signed`) or without.
    Manage { pick: usize, which: u8, close: bool, by_owner: bool, signed: bool },
    /// `initialize(deal, idx)` by `sender`.
    Initialize { deal: usize, idx: u64, sender: u32 },
    /// `contribute` by worker `worker` with answer `answer` (0 is the right one),
    /// authorized by the scheduler, or self-signed (unauthorized).
    Contribute { task: usize, worker: u32, answer: u8, authorized: bool },
    /// `reveal` by a worker of what it contributed (answer 0 when it did not).
    Reveal { task: usize, worker: u32 },
    /// `reopen` by the scheduler, or by a worker (refused).
    Reopen { task: usize, by_scheduler: bool },
    /// `finalize` by the scheduler, or by a worker (refused).
    Finalize { task: usize, by_scheduler: bool },
    /// `contributeAndFinalize` by a worker, authorized by the scheduler.
    ContributeAndFinalize { task: usize, worker: u32, answer: u8 },
    /// `claim`.
    Claim { task: usize },
    /// Time passes before the next transaction.
    Wait { seconds: u64 },
    /// `initializeArray` (or `initializeAndClaimArray` when `claim`) of tasks `idxs` of one
    /// deal, sent by its scheduler.
    InitializeArray { deal: usize, idxs: Vec<u64>, claim: bool },
    /// `claimArray` of known tasks.
    ClaimArray { tasks: Vec<usize> },
    /// `matchOrdersBoost`, or `sponsorMatchOrdersBoost` sent by the sponsor.
    MatchBoost { terms: Box<Terms>, sponsored: bool },
    /// `pushResultBoost` of task `index` of a Boost deal by a worker, authorized by the
    /// scheduler or self-signed (refused).
    PushBoost { deal: usize, index: u64, worker: u32, authorized: bool },
    /// `claimBoost` of task `index` of a Boost deal.
    ClaimBoost { deal: usize, index: u64 },
    /// The next sensible step of a task's lifecycle, read from the Solidity side's views
    /// (contribute, reveal, finalize, reopen, claim after the deadline, initialize the next
    /// task): random operations are mostly refused once a task has moved on, this carries
    /// lifecycles to their end. Both sides still decide, and are compared, as for any action.
    Progress { pick: usize },
}

impl Op {
    /// The action's name in reports and tallies.
    pub fn name(&self) -> &'static str {
        match self {
            Op::DepositApproveAndCall { .. } => "approveAndCall",
            Op::Deposit { .. } => "deposit",
            Op::Withdraw { .. } => "withdraw",
            Op::Transfer { .. } => "transfer",
            Op::Approve { .. } => "approve",
            Op::TransferFrom { .. } => "transferFrom",
            Op::ChangeAllowance { .. } => "changeAllowance",
            Op::CreateAsset { .. } => "createAsset",
            Op::TransferAsset { .. } => "transferAsset",
            Op::Match { .. } => "matchOrders",
            Op::Rematch { .. } => "rematch",
            Op::Manage { .. } => "manageOrder",
            Op::Initialize { .. } => "initialize",
            Op::Contribute { .. } => "contribute",
            Op::Reveal { .. } => "reveal",
            Op::Reopen { .. } => "reopen",
            Op::Finalize { .. } => "finalize",
            Op::ContributeAndFinalize { .. } => "contributeAndFinalize",
            Op::Claim { .. } => "claim",
            Op::Wait { .. } => "wait",
            Op::Progress { .. } => "progress",
            Op::InitializeArray { claim: false, .. } => "initializeArray",
            Op::InitializeArray { claim: true, .. } => "initializeAndClaimArray",
            Op::ClaimArray { .. } => "claimArray",
            Op::MatchBoost { .. } => "matchOrdersBoost",
            Op::PushBoost { .. } => "pushResultBoost",
            Op::ClaimBoost { .. } => "claimBoost",
        }
    }
}

/// The four orders of terms on one side, signed as the terms say.
struct Orders {
    app: AppOrder,
    dataset: DatasetOrder,
    pool: WorkerpoolOrder,
    request: RequestOrder,
}

/// The request's `params`: what iExec's SDK writes for an IPFS result storage.
const PARAMS: &str = r#"{"iexec_result_storage_provider":"ipfs"}"#;

/// The actors, the assets, and what happened so far.
pub struct World {
    /// Both deployments.
    pub pair: Pair,
    /// Keys of accounts 0–9.
    pub keys: Vec<PrivateKeySigner>,
    /// Registered assets, in creation order.
    pub assets: Vec<Asset>,
    /// Terms of every match tried.
    pub terms: Vec<Terms>,
    /// Typed hashes of the orders of `terms`, on each side.
    pub order_hashes: Vec<[B256; 2]>,
    /// Deals matched.
    pub deals: Vec<DealRef>,
    /// Tasks initialized (or tried on an existing deal).
    pub tasks: Vec<TaskRef>,
    /// Deals matched with PoCo Boost.
    pub boost_deals: Vec<DealRef>,
    /// Set when a step hit a deliberate deviation after which the two deployments'
    /// states differ by design: the rest of the case is not compared.
    pub diverged: Option<&'static str>,
    /// What the world was at the base snapshot.
    base: Option<Box<Base>>,
    /// The ERC-1271 wallet on each side ([`actor::WALLET`]).
    pub wallet: [Address; 2],
}

/// The harness's own state at the base snapshot.
#[derive(Clone)]
struct Base {
    assets: Vec<Asset>,
    map: Mapping,
}

impl World {
    /// Both deployments, with their accounts' keys; no asset yet.
    pub fn new(pair: Pair) -> Result<Self> {
        let keys = actor::ALL.iter().map(|&i| poco_e2e::account(i)).collect::<Result<Vec<_>>>()?;
        Ok(Self { pair, keys, assets: Vec::new(), terms: Vec::new(), order_hashes: Vec::new(), deals: Vec::new(), tasks: Vec::new(), boost_deals: Vec::new(), diverged: None, base: None, wallet: [Address::ZERO; 2] })
    }

    /// Address of actor `i`.
    pub fn addr(&self, i: u32) -> Address {
        self.keys.get(i as usize).map_or(Address::ZERO, PrivateKeySigner::address)
    }

    /// Address of actor `i` on side `s` (differs only for the wallet).
    pub fn addr_on(&self, s: usize, i: u32) -> Address {
        if i == actor::WALLET {
            self.wallet.get(s).copied().unwrap_or_default()
        } else {
            self.addr(i)
        }
    }

    fn key(&self, i: u32) -> &PrivateKeySigner {
        // Actors are drawn from `actor::ALL`, whose keys `new` derived.
        #[allow(clippy::indexing_slicing)]
        &self.keys[i as usize % self.keys.len()]
    }

    /// Hub address on side `s`.
    pub fn hub(&self, s: usize) -> Address {
        if s == SOL {
            self.pair.sol.poco.hub
        } else {
            self.pair.ours.poco.hub
        }
    }

    fn rlc(&self, s: usize) -> Address {
        if s == SOL {
            self.pair.sol.poco.rlc
        } else {
            self.pair.ours.poco.rlc
        }
    }

    /// Registry of `kind` on side `s`.
    pub fn registry(&self, s: usize, kind: Kind) -> Address {
        let p = if s == SOL { &self.pair.sol.poco } else { &self.pair.ours.poco };
        match kind {
            Kind::App => p.app_registry,
            Kind::Dataset => p.dataset_registry,
            Kind::Workerpool => p.workerpool_registry,
        }
    }

    /// The `pick`-th asset of `kind` (modulo how many there are).
    fn asset(&self, kind: Kind, pick: usize) -> Option<usize> {
        let of_kind: Vec<usize> = self.assets.iter().enumerate().filter(|(_, a)| a.kind == kind).map(|(i, _)| i).collect();
        if of_kind.is_empty() {
            None
        } else {
            of_kind.get(pick % of_kind.len()).copied()
        }
    }

    /// Sends the same call to both hubs (or both RLCs, both registries...): `to` gives the
    /// callee on each side, `data` the calldata.
    fn both(&mut self, action: &str, from: u32, to: impl Fn(&Self, usize) -> Address, data: impl Fn(&Self, usize) -> Bytes) -> Result<[Outcome; 2]> {
        let from = self.addr(from);
        let calls = [SOL, OURS].map(|s| Call { from, to: to(self, s), data: data(self, s) });
        let [sol, ours] = calls;
        let (a, b) = self.pair.send(action, sol, ours)?;
        Ok([a, b])
    }

    /// Applies one action to both deployments and compares what they did.
    pub fn apply(&mut self, op: &Op) -> Result<()> {
        if self.diverged.is_some() {
            return Ok(());
        }
        let name = op.name();
        let hub = |w: &Self, s: usize| w.hub(s);
        let rlc = |w: &Self, s: usize| w.rlc(s);
        let n = U256::from;
        match op.clone() {
            Op::DepositApproveAndCall { who, amount } => {
                self.both(name, who, rlc, |w, s| {
                    IRlc::approveAndCallCall { spender: w.hub(s), value: n(amount), extra_data: Bytes::new() }.abi_encode().into()
                })?;
            }
            Op::Deposit { who, amount, approve, target } => {
                self.both("RLC approve", who, rlc, |w, s| IRlc::approveCall { spender: w.hub(s), value: n(approve) }.abi_encode().into())?;
                let data = match target {
                    Some(t) => IEscrow::depositForCall { amount: n(amount), target: self.addr(t) }.abi_encode(),
                    None => IEscrow::depositCall { amount: n(amount) }.abi_encode(),
                };
                self.both(name, who, hub, |_, _| data.clone().into())?;
            }
            Op::Withdraw { who, amount, target } => {
                let data = match target {
                    Some(t) => IEscrow::withdrawToCall { amount: n(amount), target: self.addr(t) }.abi_encode(),
                    None => IEscrow::withdrawCall { amount: n(amount) }.abi_encode(),
                };
                self.both(name, who, hub, |_, _| data.clone().into())?;
            }
            Op::Transfer { from, to, amount } => {
                let data = IEscrow::transferCall { to: self.addr(to), value: n(amount) }.abi_encode();
                self.both(name, from, hub, |_, _| data.clone().into())?;
            }
            Op::Approve { owner, spender, amount } => {
                let data = IEscrow::approveCall { spender: self.addr(spender), value: n(amount) }.abi_encode();
                self.both(name, owner, hub, |_, _| data.clone().into())?;
            }
            Op::TransferFrom { spender, from, to, amount } => {
                let data = IEscrow::transferFromCall { from: self.addr(from), to: self.addr(to), value: n(amount) }.abi_encode();
                self.both(name, spender, hub, |_, _| data.clone().into())?;
            }
            Op::ChangeAllowance { owner, spender, amount, increase } => {
                let spender = self.addr(spender);
                let data = if increase {
                    IEscrow::increaseAllowanceCall { spender, addedValue: n(amount) }.abi_encode()
                } else {
                    IEscrow::decreaseAllowanceCall { spender, subtractedValue: n(amount) }.abi_encode()
                };
                let name = if increase { "increaseAllowance" } else { "decreaseAllowance" };
                self.both(name, owner, hub, |_, _| data.clone().into())?;
            }
            Op::CreateAsset { kind, owner, sender, name: label } => self.create_asset(kind, owner, sender, label)?,
            Op::TransferAsset { kind, pick, to, by_owner } => {
                let Some(i) = self.asset(kind, pick) else { return Ok(()) };
                let (owner, at) = self.assets.get(i).map(|a| (a.owner, a.at)).context("asset")?;
                let (from, to_addr) = (self.addr(owner), self.addr(to));
                let sender = if by_owner { owner } else { to };
                let out = self.both(name, sender, |w, s| w.registry(s, kind), |_, s| {
                    let token = U256::from_be_bytes(at[s].into_word().0);
                    IAppRegistry::transferFromCall { from, to: to_addr, token_id: token }.abi_encode().into()
                })?;
                if out[SOL].success {
                    if let Some(a) = self.assets.get_mut(i) {
                        a.owner = to;
                    }
                }
            }
            Op::Match { terms, sender, sponsored } => {
                self.terms.push(*terms.clone());
                self.remember_hashes(&terms);
                self.match_terms(&terms, sender, sponsored)?;
            }
            Op::Rematch { pick, sender, sponsored } => {
                if self.terms.is_empty() {
                    return Ok(());
                }
                let terms = self.terms.get(pick % self.terms.len()).cloned().context("terms")?;
                self.remember_hashes(&terms);
                self.match_terms(&terms, sender, sponsored)?;
            }
            Op::Manage { pick, which, close, by_owner, signed } => {
                if self.terms.is_empty() {
                    return Ok(());
                }
                let terms = self.terms.get(pick % self.terms.len()).cloned().context("terms")?;
                self.remember_hashes(&terms);
                self.manage(&terms, which % 4, close, by_owner, signed)?;
            }
            Op::Initialize { deal, idx, sender } => {
                let Some(d) = self.pick_deal(deal) else { return Ok(()) };
                let ids = d.id;
                let idx = idx % (d.volume + 1);
                let task = ids.map(|id| task_id(&id, &U256::from(idx)));
                self.pair.map.add(format!("task {idx} of deal {deal}"), task[SOL], task[OURS]);
                let out = self.both(name, sender, hub, |_, s| IPoco2::initializeCall { dealId: ids[s], index: U256::from(idx) }.abi_encode().into())?;
                if out[SOL].success {
                    self.tasks.push(TaskRef { deal: deal % self.deals.len(), idx, id: task, votes: Vec::new() });
                }
            }
            Op::Contribute { task, worker, answer, authorized } => {
                let Some((t, pool_owner)) = self.pick_task(task) else { return Ok(()) };
                let w = actor::FIRST_WORKER + worker % actor::WORKERS;
                let signer = if authorized { pool_owner } else { w };
                let label = format!("answer {answer}");
                let votes = t.id.map(|id| Vote::new(self.addr(w), id, digest(&label)));
                self.pair.map.add(format!("result hash {answer}"), votes[SOL].hash, votes[OURS].hash);
                self.pair.map.add(format!("result seal {answer}"), votes[SOL].seal, votes[OURS].seal);
                let out = self.both(name, w, hub, |world, s| {
                    IPoco2::contributeCall {
                        taskId: t.id[s],
                        resultHash: votes[s].hash,
                        resultSeal: votes[s].seal,
                        enclaveChallenge: Address::ZERO,
                        enclaveSign: no_enclave_sign(),
                        authorizationSign: authorize(world.key(signer), world.addr(w), t.id[s], Address::ZERO),
                    }
                    .abi_encode()
                    .into()
                })?;
                if out[SOL].success {
                    let len = self.tasks.len();
                    if let Some(t) = self.tasks.get_mut(task % len) {
                        t.votes.push((w, answer));
                    }
                }
            }
            Op::Reveal { task, worker } => {
                let Some((t, _)) = self.pick_task(task) else { return Ok(()) };
                let w = actor::FIRST_WORKER + worker % actor::WORKERS;
                let answer = t.votes.iter().find(|(v, _)| *v == w).map_or(0, |(_, a)| *a);
                let d = digest(&format!("answer {answer}"));
                self.both(name, w, hub, |_, s| IPoco2::revealCall { taskId: t.id[s], resultDigest: d }.abi_encode().into())?;
            }
            Op::Reopen { task, by_scheduler } => {
                let Some((t, pool_owner)) = self.pick_task(task) else { return Ok(()) };
                let sender = if by_scheduler { pool_owner } else { actor::FIRST_WORKER };
                self.both(name, sender, hub, |_, s| IPoco2::reopenCall { taskId: t.id[s] }.abi_encode().into())?;
            }
            Op::Finalize { task, by_scheduler } => {
                let Some((t, pool_owner)) = self.pick_task(task) else { return Ok(()) };
                let sender = if by_scheduler { pool_owner } else { actor::FIRST_WORKER };
                self.both(name, sender, hub, |_, s| {
                    IPoco2::finalizeCall { taskId: t.id[s], results: REFERENCE_RESULTS.as_bytes().to_vec().into(), resultsCallback: Bytes::new() }
                        .abi_encode()
                        .into()
                })?;
            }
            Op::ContributeAndFinalize { task, worker, answer } => {
                let Some((t, pool_owner)) = self.pick_task(task) else { return Ok(()) };
                let w = actor::FIRST_WORKER + worker % actor::WORKERS;
                let d = digest(&format!("answer {answer}"));
                let votes = t.id.map(|id| Vote::new(self.addr(w), id, d));
                self.pair.map.add(format!("result hash {answer}"), votes[SOL].hash, votes[OURS].hash);
                self.pair.map.add(format!("result seal {answer}"), votes[SOL].seal, votes[OURS].seal);
                self.both(name, w, hub, |world, s| {
                    IPoco2::contributeAndFinalizeCall {
                        taskId: t.id[s],
                        resultDigest: d,
                        results: REFERENCE_RESULTS.as_bytes().to_vec().into(),
                        resultsCallback: Bytes::new(),
                        enclaveChallenge: Address::ZERO,
                        enclaveSign: no_enclave_sign(),
                        authorizationSign: authorize(world.key(pool_owner), world.addr(w), t.id[s], Address::ZERO),
                    }
                    .abi_encode()
                    .into()
                })?;
            }
            Op::Claim { task } => {
                let Some((t, _)) = self.pick_task(task) else { return Ok(()) };
                self.both(name, actor::REQUESTER, hub, |_, s| IPoco2::claimCall { taskId: t.id[s] }.abi_encode().into())?;
            }
            Op::Wait { seconds } => self.pair.wait(seconds),
            Op::Progress { pick } => self.progress(pick)?,
            Op::InitializeArray { deal, idxs, claim } => {
                let Some(d) = self.pick_deal(deal) else { return Ok(()) };
                let deal = deal % self.deals.len();
                let scheduler = self.assets.get(d.pool).map_or(actor::SCHEDULER, |a| a.owner);
                let idxs: Vec<u64> = idxs.iter().map(|i| i % (d.volume + 1)).collect();
                let tasks: Vec<[B256; 2]> = idxs.iter().map(|i| d.id.map(|id| task_id(&id, &U256::from(*i)))).collect();
                for (i, t) in idxs.iter().zip(&tasks) {
                    self.pair.map.add(format!("task {i} of deal {deal}"), t[SOL], t[OURS]);
                }
                let out = self.both(name, scheduler, hub, |_, s| {
                    let deal_ids = vec![d.id[s]; idxs.len()];
                    let indexes = idxs.iter().map(|i| U256::from(*i)).collect();
                    if claim {
                        IPoco2::initializeAndClaimArrayCall { dealIds: deal_ids, indexes }.abi_encode().into()
                    } else {
                        IPoco2::initializeArrayCall { dealIds: deal_ids, indexes }.abi_encode().into()
                    }
                })?;
                if out[SOL].success {
                    for (idx, id) in idxs.into_iter().zip(tasks) {
                        if !self.tasks.iter().any(|t| t.id == id) {
                            self.tasks.push(TaskRef { deal, idx, id, votes: Vec::new() });
                        }
                    }
                }
            }
            Op::ClaimArray { tasks } => {
                if self.tasks.is_empty() {
                    return Ok(());
                }
                let ids: Vec<[B256; 2]> = tasks.iter().filter_map(|t| self.tasks.get(t % self.tasks.len()).map(|t| t.id)).collect();
                self.both(name, actor::REQUESTER, hub, |_, s| IPoco2::claimArrayCall { taskIds: ids.iter().map(|i| i[s]).collect() }.abi_encode().into())?;
            }
            Op::MatchBoost { terms, sponsored } => {
                self.terms.push(*terms.clone());
                self.remember_hashes(&terms);
                self.match_boost(&terms, sponsored)?;
            }
            Op::PushBoost { deal, index, worker, authorized } => {
                let Some(d) = self.pick_boost(deal) else { return Ok(()) };
                let w = actor::FIRST_WORKER + worker % actor::WORKERS;
                let scheduler = self.assets.get(d.pool).map_or(actor::SCHEDULER, |a| a.owner);
                let signer = if authorized { scheduler } else { w };
                let index = index % (d.volume + 1);
                let task = d.id.map(|id| task_id(&id, &U256::from(index)));
                self.pair.map.add(format!("Boost task {index}"), task[SOL], task[OURS]);
                // PoCo's Boost push seizes the requester where our hub seizes the payer
                // (README, "PoCo Boost pays from the sponsor"): named so the exception sees it.
                let action = if d.sponsored { "pushResultBoost (sponsored deal)" } else { name };
                self.both(action, w, hub, |world, s| {
                    IBoostPush::pushResultBoostCall {
                        deal_id: d.id[s],
                        index: U256::from(index),
                        results: REFERENCE_RESULTS.as_bytes().to_vec().into(),
                        results_callback: Bytes::new(),
                        authorization_sign: authorize(world.key(signer), world.addr(w), task[s], Address::ZERO),
                        enclave_challenge: Address::ZERO,
                        enclave_sign: no_enclave_sign(),
                    }
                    .abi_encode()
                    .into()
                })?;
            }
            Op::ClaimBoost { deal, index } => {
                let Some(d) = self.pick_boost(deal) else { return Ok(()) };
                let index = index % (d.volume + 1);
                let task = d.id.map(|id| task_id(&id, &U256::from(index)));
                self.pair.map.add(format!("Boost task {index}"), task[SOL], task[OURS]);
                let action = if d.sponsored { "claimBoost (sponsored deal)" } else { name };
                self.both(action, actor::APP_DEV, hub, |_, s| IBoostPush::claimBoostCall { deal_id: d.id[s], index: U256::from(index) }.abi_encode().into())?;
            }
        }
        if let Some(e) = self.pair.take_divergence() {
            self.diverged = Some(e);
        }
        Ok(())
    }

    fn pick_boost(&self, pick: usize) -> Option<DealRef> {
        if self.boost_deals.is_empty() {
            return None;
        }
        self.boost_deals.get(pick % self.boost_deals.len()).cloned()
    }

    fn match_boost(&mut self, terms: &Terms, sponsored: bool) -> Result<()> {
        let (name, sender) = if sponsored { ("sponsorMatchOrdersBoost", actor::SPONSOR) } else { ("matchOrdersBoost", terms.requester) };
        if sender == actor::WALLET {
            return Ok(());
        }
        let ids = self.map_deal_id(terms, sender)?;
        let out = self.both(name, sender, |w, s| w.hub(s), |w, s| {
            let o = w.orders(terms, s);
            if sponsored {
                sponsorMatchOrdersBoostCall { appOrder: o.app, datasetOrder: o.dataset, workerpoolOrder: o.pool, requestOrder: o.request }.abi_encode().into()
            } else {
                matchOrdersBoostCall { appOrder: o.app, datasetOrder: o.dataset, workerpoolOrder: o.pool, requestOrder: o.request }.abi_encode().into()
            }
        })?;
        if out[SOL].success {
            let pool = self.asset(Kind::Workerpool, terms.pool).context("a deal has a workerpool")?;
            let volume = terms.volumes.iter().copied().min().unwrap_or(0);
            self.boost_deals.push(DealRef { id: ids, volume, pool, sponsored: sponsored && terms.requester != actor::SPONSOR });
        }
        Ok(())
    }

    /// Maps the ids the deal of `terms` would get on each side (they bind the request's
    /// hash and its consumed volume) before the step, so that return data and events compare.
    fn map_deal_id(&mut self, terms: &Terms, sender: u32) -> Result<[B256; 2]> {
        let request = self.order_hashes_of(terms).get(3).copied().context("request hash")?;
        let from = self.addr(sender);
        let [cs, co] = [SOL, OURS].map(|s| Call { from, to: self.hub(s), data: IHub::viewConsumedCall { id: request[s] }.abi_encode().into() });
        let consumed = self.pair.call_each(cs, co)?.map(|c| U256::from_be_slice(c.get(..32).unwrap_or_default()));
        let ids = [deal_id(&request[SOL], &consumed[SOL]), deal_id(&request[OURS], &consumed[OURS])];
        self.pair.map.add(format!("deal {}", self.deals.len() + self.boost_deals.len()), ids[SOL], ids[OURS]);
        Ok(ids)
    }

    /// A view of the Solidity deployment, decoded (to choose an action, not to compare).
    fn solidity_view<C: SolCall>(&self, call: &C) -> Result<C::Return> {
        let out = self.pair.call_solidity(Call { from: Address::ZERO, to: self.hub(SOL), data: call.abi_encode().into() })?;
        C::abi_decode_returns(&out).context("decoding a Solidity view")
    }

    /// See [`Op::Progress`].
    fn progress(&mut self, pick: usize) -> Result<()> {
        let Some((t, scheduler)) = self.pick_task(pick) else {
            if self.deals.is_empty() {
                return Ok(());
            }
            let deal = self.deals.get(pick % self.deals.len()).cloned().context("deal")?;
            let scheduler = self.assets.get(deal.pool).map_or(actor::SCHEDULER, |a| a.owner);
            return self.apply(&Op::Initialize { deal: pick, idx: pick as u64 % deal.volume.max(1), sender: scheduler });
        };
        let task = pick % self.tasks.len();
        let view = self.solidity_view(&ITaskViews::viewTaskCall { id: t.id[SOL] })?;
        let now = U256::from(self.pair.now()? + 1);
        let workers: Vec<u32> = (0..actor::WORKERS).map(|k| actor::FIRST_WORKER + k).collect();
        let worker_index = |w: u32| w - actor::FIRST_WORKER;
        let wait_past = |w: &mut Self, deadline: U256| {
            if deadline >= now {
                w.pair.wait(u64::try_from(deadline - now).unwrap_or(0) + 1);
            }
        };
        match view.status {
            1 if now >= view.contributionDeadline => {
                wait_past(self, view.finalDeadline);
                self.apply(&Op::Claim { task })
            }
            1 => {
                let fresh = workers.iter().copied().find(|w| !view.contributors.contains(&self.addr(*w)));
                match fresh {
                    Some(w) => {
                        let answer = u8::from(pick % 4 == 3);
                        self.apply(&Op::Contribute { task, worker: worker_index(w), answer, authorized: true })
                    }
                    None => {
                        wait_past(self, view.finalDeadline);
                        self.apply(&Op::Claim { task })
                    }
                }
            }
            2 => {
                let mut unrevealed = None;
                for w in &workers {
                    let c = self.solidity_view(&ITaskViews::viewContributionCall { _taskid: t.id[SOL], _worker: self.addr(*w) })?;
                    if c.status == 1 && c.resultHash == view.consensusValue {
                        unrevealed = Some(*w);
                        break;
                    }
                }
                match unrevealed {
                    Some(w) if now < view.revealDeadline && pick % 5 != 4 => self.apply(&Op::Reveal { task, worker: worker_index(w) }),
                    _ if view.revealCounter > U256::ZERO => self.apply(&Op::Finalize { task, by_scheduler: true }),
                    _ => {
                        wait_past(self, view.revealDeadline);
                        self.apply(&Op::Reopen { task, by_scheduler: true })
                    }
                }
            }
            _ => {
                let volume = self.deals.get(t.deal).map_or(1, |d| d.volume.max(1));
                self.apply(&Op::Initialize { deal: t.deal, idx: (t.idx + 1) % volume, sender: scheduler })
            }
        }
    }

    fn pick_deal(&self, pick: usize) -> Option<DealRef> {
        if self.deals.is_empty() {
            return None;
        }
        self.deals.get(pick % self.deals.len()).cloned()
    }

    /// The task and the current owner of its deal's workerpool (its scheduler).
    fn pick_task(&self, pick: usize) -> Option<(TaskRef, u32)> {
        if self.tasks.is_empty() {
            return None;
        }
        let t = self.tasks.get(pick % self.tasks.len())?.clone();
        let pool = self.deals.get(t.deal)?.pool;
        Some((t, self.assets.get(pool)?.owner))
    }

    fn create_asset(&mut self, kind: Kind, owner: u32, sender: u32, label: u8) -> Result<()> {
        let who = self.addr(owner);
        let name = format!("asset {}", label % 3);
        let (multiaddr, checksum) = match kind {
            Kind::App => (Bytes::from_static(b"docker.io/iexechub/app:1.0"), keccak256("app")),
            _ => (Bytes::from_static(b"ipfs://dataset"), keccak256("dataset")),
        };
        let (create, predict): (Bytes, Bytes) = match kind {
            Kind::App => (
                IAppRegistry::createAppCall {
                    app_owner: who,
                    app_name: name.clone(),
                    app_type: "DOCKER".into(),
                    app_multiaddr: multiaddr.clone(),
                    app_checksum: checksum,
                    app_mrenclave: Bytes::new(),
                }
                .abi_encode()
                .into(),
                IAppRegistry::predictAppCall {
                    app_owner: who,
                    app_name: name,
                    app_type: "DOCKER".into(),
                    app_multiaddr: multiaddr,
                    app_checksum: checksum,
                    app_mrenclave: Bytes::new(),
                }
                .abi_encode()
                .into(),
            ),
            Kind::Dataset => (
                IDatasetRegistry::createDatasetCall {
                    dataset_owner: who,
                    dataset_name: name.clone(),
                    dataset_multiaddr: multiaddr.clone(),
                    dataset_checksum: checksum,
                }
                .abi_encode()
                .into(),
                IDatasetRegistry::predictDatasetCall { dataset_owner: who, dataset_name: name, dataset_multiaddr: multiaddr, dataset_checksum: checksum }
                    .abi_encode()
                    .into(),
            ),
            Kind::Workerpool => (
                IWorkerpoolRegistry::createWorkerpoolCall { workerpool_owner: who, workerpool_description: name.clone() }.abi_encode().into(),
                IWorkerpoolRegistry::predictWorkerpoolCall { workerpool_owner: who, workerpool_description: name }.abi_encode().into(),
            ),
        };
        // The entry's address differs by construction (each registry's CREATE2): map the
        // two predictions before the step, so that its return data and events compare.
        let from = self.addr(sender);
        let [ps, po] = [SOL, OURS].map(|s| Call { from, to: self.registry(s, kind), data: predict.clone() });
        let predicted = self.pair.call_each(ps, po)?;
        let at = predicted.map(|p| p.get(..32).map(B256::from_slice).map(Address::from_word).unwrap_or_default());
        self.pair.map.add_address(format!("{kind:?} {}", self.assets.len()), at[SOL], at[OURS]);
        let out = self.both("createAsset", sender, |w, s| w.registry(s, kind), |_, _| create.clone())?;
        if out[SOL].success {
            self.assets.push(Asset { kind, owner, at });
        }
        Ok(())
    }

    /// The orders of `terms` on side `s`, signed as the terms say.
    fn orders(&self, terms: &Terms, s: usize) -> Orders {
        let separator = domain_separator(DEVNODE_CHAIN_ID, &self.hub(s));
        let at = |kind: Kind, pick: usize| self.asset(kind, pick).and_then(|i| self.assets.get(i));
        let app = at(Kind::App, terms.app);
        let dataset = terms.dataset.and_then(|p| at(Kind::Dataset, p));
        let pool = at(Kind::Workerpool, terms.pool);
        let address = |a: Option<&Asset>| a.map_or(Address::ZERO, |a| a.at[s]);
        let owner = |a: Option<&Asset>| a.map_or(actor::OWNER, |a| a.owner);
        let tag = |b: u8| B256::with_last_byte(b);
        let [app_price, dataset_price, pool_price] = terms.prices.map(U256::from);
        let [app_volume, dataset_volume, pool_volume, request_volume] = terms.volumes.map(U256::from);
        let [request_category, pool_category] = terms.categories.map(U256::from);
        let mut app_order = AppOrder {
            app: address(app),
            appprice: app_price,
            volume: app_volume,
            tag: tag(terms.tags[0]),
            requesterrestrict: terms.requester_restrict.map_or(Address::ZERO, |r| self.addr(r)),
            salt: B256::with_last_byte(terms.salt),
            ..Default::default()
        };
        app_order.sign = self.signature(terms.sigs[0], owner(app), app_order.typed_data_hash(&separator));
        let mut dataset_order = DatasetOrder::default();
        if terms.dataset.is_some() {
            dataset_order = DatasetOrder {
                dataset: address(dataset),
                datasetprice: dataset_price,
                volume: dataset_volume,
                tag: tag(terms.tags[1]),
                salt: B256::with_last_byte(terms.salt),
                ..Default::default()
            };
            dataset_order.sign = self.signature(terms.sigs[1], owner(dataset), dataset_order.typed_data_hash(&separator));
        }
        let mut pool_order = WorkerpoolOrder {
            workerpool: address(pool),
            workerpoolprice: pool_price,
            volume: pool_volume,
            tag: tag(terms.tags[2]),
            category: pool_category,
            trust: U256::from(terms.pool_trust),
            salt: B256::with_last_byte(terms.salt),
            ..Default::default()
        };
        pool_order.sign = self.signature(terms.sigs[2], owner(pool), pool_order.typed_data_hash(&separator));
        let with_dataset = terms.dataset.is_some();
        let mut request = RequestOrder {
            app: address(app),
            appmaxprice: U256::from(terms.prices[0] + terms.slack[0]),
            dataset: if with_dataset { address(dataset) } else { Address::ZERO },
            datasetmaxprice: if with_dataset { U256::from(terms.prices[1] + terms.slack[1]) } else { U256::ZERO },
            workerpool: terms.pool_restrict.and_then(|p| at(Kind::Workerpool, p)).map_or(Address::ZERO, |a| a.at[s]),
            workerpoolmaxprice: U256::from(terms.prices[2] + terms.slack[2]),
            requester: self.addr_on(s, terms.requester),
            volume: request_volume,
            tag: tag(terms.tags[3]),
            category: request_category,
            trust: U256::from(terms.trust),
            beneficiary: self.addr_on(s, terms.requester),
            params: PARAMS.into(),
            salt: B256::with_last_byte(terms.salt),
            ..Default::default()
        };
        request.sign = self.signature(terms.sigs[3], terms.requester, request.typed_data_hash(&separator));
        Orders { app: app_order, dataset: dataset_order, pool: pool_order, request }
    }

    /// A signature of `hash` as `how` says, `owner` being the rightful signer.
    fn signature(&self, how: Sig, owner: u32, hash: B256) -> Bytes {
        if owner == actor::WALLET {
            // ERC1271Mock accepts keccak256("valid-signature"), refuses (magic 0)
            // keccak256("invalid-signature") and reverts on anything else.
            return match how {
                Sig::Full | Sig::Compact => keccak256("valid-signature").to_vec().into(),
                Sig::Garbage => keccak256("invalid-signature").to_vec().into(),
                Sig::Presigned => Bytes::new(),
                Sig::WrongSigner | Sig::Malleable => sign(self.key(actor::REQUESTER), hash),
            };
        }
        let full = sign(self.key(owner), hash);
        match how {
            Sig::Full => full,
            Sig::Presigned => Bytes::new(),
            Sig::WrongSigner => sign(self.key(owner + 1), hash),
            Sig::Garbage => {
                let mut b = keccak256(hash).to_vec();
                b.extend_from_slice(keccak256(keccak256(hash)).as_slice());
                b.push(27);
                b.into()
            }
            Sig::Compact => {
                let mut b = full.to_vec();
                let v = b.pop().unwrap_or(27);
                if v == 28 {
                    if let Some(top) = b.get_mut(32) {
                        *top |= 0x80;
                    }
                }
                b.into()
            }
            Sig::Malleable => {
                let n = U256::from_be_bytes(alloy::primitives::hex!("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"));
                let mut b = full.to_vec();
                let s = b.get(32..64).map(U256::from_be_slice).unwrap_or_default();
                if let Some(slot) = b.get_mut(32..64) {
                    slot.copy_from_slice(&(n - s).to_be_bytes::<32>());
                }
                if let Some(v) = b.get_mut(64) {
                    *v = if *v == 27 { 28 } else { 27 };
                }
                b.into()
            }
        }
    }

    /// Typed hashes of the app, dataset, workerpool and request orders on each side.
    fn order_hashes_of(&self, terms: &Terms) -> Vec<[B256; 2]> {
        let hashes = [SOL, OURS].map(|s| {
            let o = self.orders(terms, s);
            let separator = domain_separator(DEVNODE_CHAIN_ID, &self.hub(s));
            [
                o.app.typed_data_hash(&separator),
                o.dataset.typed_data_hash(&separator),
                o.pool.typed_data_hash(&separator),
                o.request.typed_data_hash(&separator),
            ]
        });
        (0..4).map(|i| [hashes[SOL][i], hashes[OURS][i]]).collect()
    }

    /// Maps the orders' hashes of `terms` (as the assets resolve now) and adds them to the
    /// hashes whose consumed volume and presignature are compared.
    fn remember_hashes(&mut self, terms: &Terms) {
        for (h, what) in self.order_hashes_of(terms).into_iter().zip(["app order", "dataset order", "workerpool order", "request order"]) {
            self.pair.map.add(what, h[SOL], h[OURS]);
            if !self.order_hashes.contains(&h) {
                self.order_hashes.push(h);
            }
        }
    }

    fn match_terms(&mut self, terms: &Terms, sender: u32, sponsored: bool) -> Result<()> {
        let (name, sender) = if sponsored { ("sponsorMatchOrders", actor::SPONSOR) } else { ("matchOrders", sender) };
        let ids = self.map_deal_id(terms, sender)?;
        let out = self.both(name, sender, |w, s| w.hub(s), |w, s| {
            let o = w.orders(terms, s);
            if sponsored {
                sponsorMatchOrdersCall { _0: o.app, _1: o.dataset, _2: o.pool, _3: o.request }.abi_encode().into()
            } else {
                matchOrdersCall { _0: o.app, _1: o.dataset, _2: o.pool, _3: o.request }.abi_encode().into()
            }
        })?;
        if out[SOL].success {
            let pool = self.asset(Kind::Workerpool, terms.pool).context("a deal has a workerpool")?;
            let volume = terms.volumes.iter().copied().min().unwrap_or(0);
            self.deals.push(DealRef { id: ids, volume, pool, sponsored: sponsored && terms.requester != actor::SPONSOR });
        }
        Ok(())
    }

    fn manage(&mut self, terms: &Terms, which: u8, close: bool, by_owner: bool, signed: bool) -> Result<()> {
        let operation = u8::from(close);
        let owner = match which {
            0 => self.asset(Kind::App, terms.app).and_then(|i| self.assets.get(i)).map_or(actor::OWNER, |a| a.owner),
            1 => terms.dataset.and_then(|p| self.asset(Kind::Dataset, p)).and_then(|i| self.assets.get(i)).map_or(actor::OWNER, |a| a.owner),
            2 => self.asset(Kind::Workerpool, terms.pool).and_then(|i| self.assets.get(i)).map_or(actor::OWNER, |a| a.owner),
            _ => terms.requester,
        };
        // The wallet sends nothing itself: someone else relays its signed operation.
        let (sender, signed) = if owner == actor::WALLET {
            (actor::SPONSOR, true)
        } else if by_owner {
            (owner, signed)
        } else {
            (actor::SPONSOR - u32::from(owner == actor::SPONSOR), signed)
        };
        self.both("manageOrder", sender, |w, s| w.hub(s), |w, s| {
            let o = w.orders(terms, s);
            let separator = domain_separator(DEVNODE_CHAIN_ID, &w.hub(s));
            let sig = |h: B256| if signed { w.signature(Sig::Full, owner, h) } else { Bytes::new() };
            match which {
                0 => {
                    let mut op = AppOrderOperation { order: o.app, operation, sign: Bytes::new() };
                    op.sign = sig(op.typed_data_hash(&separator));
                    manageAppOrderCall(op).abi_encode().into()
                }
                1 => {
                    let mut op = DatasetOrderOperation { order: o.dataset, operation, sign: Bytes::new() };
                    op.sign = sig(op.typed_data_hash(&separator));
                    manageDatasetOrderCall(op).abi_encode().into()
                }
                2 => {
                    let mut op = WorkerpoolOrderOperation { order: o.pool, operation, sign: Bytes::new() };
                    op.sign = sig(op.typed_data_hash(&separator));
                    manageWorkerpoolOrderCall(op).abi_encode().into()
                }
                _ => {
                    let mut op = RequestOrderOperation { order: o.request, operation, sign: Bytes::new() };
                    op.sign = sig(op.typed_data_hash(&separator));
                    manageRequestOrderCall(op).abi_encode().into()
                }
            }
        })?;
        Ok(())
    }

    /// Every balance, frozen amount, allowance, asset owner, deal, consumed volume,
    /// presignature, task, contribution and score the views return, compared side by side;
    /// then fund conservation on each side.
    pub fn check(&mut self) -> Result<()> {
        crate::views::check(self)
    }

    /// Saves both chains and this world as the start of every case. The base holds
    /// assets only (no order, deal or task).
    pub fn save_base(&mut self) -> Result<()> {
        self.pair.save_base()?;
        self.base = Some(Box::new(Base { assets: self.assets.clone(), map: self.pair.map.clone() }));
        Ok(())
    }

    /// Back to the base: both chains and this world.
    pub fn reset(&mut self) -> Result<()> {
        let base = self.base.clone().context("no base saved")?;
        self.pair.reset(base.map)?;
        self.assets = base.assets;
        self.terms.clear();
        self.order_hashes.clear();
        self.deals.clear();
        self.tasks.clear();
        self.boost_deals.clear();
        self.diverged = None;
        Ok(())
    }
}
