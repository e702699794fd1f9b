//! A plain model of PoCo's escrow and task lifecycle (PROTOCOL.md §4.2 locks, §4.4–4.10),
//! written from the specification and independently of the contracts: the oracle the
//! end-to-end tests hold the deployed hub to. After each transaction a test applies the
//! same operation here; the operation must succeed on chain exactly when the model accepts
//! it, and every account's balance, frozen funds and score must then be equal.
//!
//! Every operation is all-or-nothing, as a reverted transaction is: it works on a copy and
//! commits only when every one of PoCo's `require`s holds. The model knows nothing of
//! signatures: whether the worker's authorization and the enclave's signature are valid is
//! an input (`authorized`), decided by the test that built them. The result hash and seal
//! are `poco_core::messages`' (the one definition of each).

use std::collections::BTreeMap;

use alloy::primitives::{keccak256, Address, B256, U256};
use poco_core::{
    constants::{
        CONTRIBUTION_DEADLINE_RATIO, FINAL_DEADLINE_RATIO, KITTY_ADDRESS, KITTY_RATIO, REVEAL_DEADLINE_RATIO,
        WORKERPOOL_STAKE_RATIO,
    },
    ids::task_id,
    messages::{result_hash, result_seal},
    status::{ContributionStatusEnum, TaskStatusEnum},
};

/// `KITTY_MIN`: 1 RLC in nRLC.
const KITTY_MIN: u128 = 1_000_000_000;

/// An account of the escrow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Account {
    /// Spendable SRLC.
    pub balance: u128,
    /// Locked SRLC (`m_frozens`).
    pub frozen: u128,
}

/// What a deal records at match time, as PoCo's `matchOrders` stores it.
#[derive(Clone, Debug)]
pub struct DealModel {
    /// The app's owner and price per task.
    pub app_owner: Address,
    /// App price per task.
    pub app_price: u128,
    /// The dataset's owner, `None` for a deal without dataset.
    pub dataset_owner: Option<Address>,
    /// Dataset price per task (0 without dataset).
    pub dataset_price: u128,
    /// The workerpool's owner: the scheduler.
    pub scheduler: Address,
    /// Workerpool price per task.
    pub pool_price: u128,
    /// Who pays: the requester for `matchOrders`.
    pub sponsor: Address,
    /// `max(request.trust, 1)`.
    pub trust: u64,
    /// Whether the deal's tag has the TEE bit.
    pub tee: bool,
    /// The result callback contract (zero: none).
    pub callback: Address,
    /// Block timestamp of the match.
    pub start_time: u64,
    /// The category's `workClockTimeRef`.
    pub timeref: u64,
    /// First task index (`consumed[requestHash]` before the match).
    pub bot_first: u64,
    /// Number of tasks.
    pub volume: u64,
    /// Workerpool's `m_workerStakeRatioPolicy` at match time, in percent.
    pub worker_stake_ratio: u128,
    /// Workerpool's `m_schedulerRewardRatioPolicy` at match time, in percent.
    pub scheduler_reward_ratio: u128,
}

impl DealModel {
    /// `app.price + dataset.price + workerpool.price`.
    pub fn task_price(&self) -> u128 {
        self.app_price + self.dataset_price + self.pool_price
    }

    /// What the scheduler stakes per task: `workerpool.price * 30 / 100`.
    pub fn pool_stake(&self) -> u128 {
        self.pool_price * u128::from(WORKERPOOL_STAKE_RATIO) / 100
    }

    /// What a worker stakes per contribution: `workerpool.price * ratio / 100`.
    pub fn worker_stake(&self) -> u128 {
        self.pool_price * self.worker_stake_ratio / 100
    }

    /// `startTime + 7 · timeref`.
    pub fn contribution_deadline(&self) -> u64 {
        self.start_time + CONTRIBUTION_DEADLINE_RATIO * self.timeref
    }

    /// `startTime + 10 · timeref`.
    pub fn final_deadline(&self) -> u64 {
        self.start_time + FINAL_DEADLINE_RATIO * self.timeref
    }
}

/// One worker's contribution to a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContributionModel {
    /// CONTRIBUTED, PROVED or REJECTED.
    pub status: ContributionStatusEnum,
    /// The vote.
    pub result_hash: B256,
    /// The proof of knowledge.
    pub result_seal: B256,
    /// The enclave that signed it (zero for a standard contribution).
    pub enclave_challenge: Address,
    /// `log2` of the worker's weight at contribution time.
    pub weight: u32,
}

/// One task.
#[derive(Clone, Debug)]
pub struct TaskModel {
    /// The deal of the task.
    pub deal: B256,
    /// Its index.
    pub idx: u64,
    /// Its status.
    pub status: TaskStatusEnum,
    /// The winning result hash (zero without consensus).
    pub consensus_value: B256,
    /// `consensusTime + 2 · timeref`, 0 without consensus.
    pub reveal_deadline: u64,
    /// Winners who revealed.
    pub reveal_counter: u64,
    /// Contributors of the consensus hash still CONTRIBUTED when consensus was reached.
    pub winner_counter: u64,
    /// Every contributor, in order.
    pub contributors: Vec<Address>,
    /// Their contributions.
    pub contributions: BTreeMap<Address, ContributionModel>,
    /// `consensus.group`.
    pub groups: BTreeMap<B256, u128>,
    /// `consensus.total`.
    pub total: u128,
    /// The last revealed digest.
    pub result_digest: B256,
    /// `results` given at finalization.
    pub results: Vec<u8>,
    /// `resultsCallback` given at finalization.
    pub results_callback: Vec<u8>,
}

/// The whole model: accounts, scores, deals and tasks.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// SRLC accounts (absent: all zero).
    pub accounts: BTreeMap<Address, Account>,
    /// Worker scores (absent: 0).
    pub scores: BTreeMap<Address, u64>,
    /// Deals by id.
    pub deals: BTreeMap<B256, DealModel>,
    /// Tasks by id (absent: UNSET).
    pub tasks: BTreeMap<B256, TaskModel>,
    /// Boost deals by id (PoCo's `m_dealsBoost`): the same terms, settled one push each.
    pub boost_deals: BTreeMap<B256, DealModel>,
    /// Boost tasks by id (absent: UNSET): Boost records only a task's status.
    pub boost_tasks: BTreeMap<B256, TaskStatusEnum>,
}

/// Why PoCo refuses an operation (the model's stand-in for a revert). A reason that is one of
/// PoCo's revert strings (`IexecEscrow: …`) is what the revert carries; `Panic(0x11)` is a
/// checked-arithmetic panic; any other text describes one of Poco2's bare `require`s
/// ([`revert_data`]).
pub type Refused = &'static str;

/// The revert data PoCo returns for `why`: `Error(why)` for its escrow and Boost reasons,
/// `Panic(0x11)` for an arithmetic underflow, nothing for Poco2's bare `require`s.
pub fn revert_data(why: Refused) -> Vec<u8> {
    use alloy::sol_types::SolError;
    if why.starts_with("IexecEscrow: ") || why.starts_with("PocoBoost: ") {
        alloy::sol_types::Revert::from(why).abi_encode()
    } else if why == PANIC_UNDERFLOW {
        alloy::sol_types::Panic::from(0x11u64).abi_encode()
    } else {
        Vec::new()
    }
}

/// Solidity's checked-arithmetic panic, for underflows of frozen funds (which no valid
/// sequence of PoCo's operations reaches).
const PANIC_UNDERFLOW: Refused = "Panic(0x11)";

/// What a model operation returns: `Err` when PoCo's transaction would revert.
pub type Outcome<T = ()> = Result<T, Refused>;

fn require(condition: bool, why: Refused) -> Outcome {
    if condition {
        Ok(())
    } else {
        Err(why)
    }
}

impl Model {
    /// `who`'s account.
    pub fn account(&self, who: Address) -> Account {
        self.accounts.get(&who).copied().unwrap_or_default()
    }

    /// `who`'s score.
    pub fn score(&self, who: Address) -> u64 {
        self.scores.get(&who).copied().unwrap_or_default()
    }

    /// Task `id`'s status (UNSET when never initialized).
    pub fn status(&self, id: B256) -> TaskStatusEnum {
        self.tasks.get(&id).map_or(TaskStatusEnum::UNSET, |t| t.status)
    }

    /// Σ balances + Σ frozen over every account: SRLC's total supply.
    pub fn total(&self) -> u128 {
        self.accounts.values().map(|a| a.balance + a.frozen).sum()
    }

    /// Runs `op` on a copy and keeps it only if it succeeds.
    fn atomically<T>(&mut self, op: impl FnOnce(&mut Self) -> Outcome<T>) -> Outcome<T> {
        let mut next = self.clone();
        let out = op(&mut next)?;
        *self = next;
        Ok(out)
    }

    fn entry(&mut self, who: Address) -> &mut Account {
        self.accounts.entry(who).or_default()
    }

    /// Credits a deposit (RLC moved into the hub).
    pub fn deposit(&mut self, who: Address, amount: u128) {
        self.entry(who).balance += amount;
    }

    fn lock(&mut self, who: Address, amount: u128) -> Outcome {
        let a = self.entry(who);
        require(a.balance >= amount, "IexecEscrow: Transfer amount exceeds balance")?;
        a.balance -= amount;
        a.frozen += amount;
        Ok(())
    }

    fn unlock(&mut self, who: Address, amount: u128) -> Outcome {
        let a = self.entry(who);
        require(a.frozen >= amount, PANIC_UNDERFLOW)?;
        a.frozen -= amount;
        a.balance += amount;
        Ok(())
    }

    fn seize(&mut self, who: Address, amount: u128) -> Outcome {
        let a = self.entry(who);
        require(a.frozen >= amount, PANIC_UNDERFLOW)?;
        a.frozen -= amount;
        Ok(())
    }

    fn reward(&mut self, who: Address, amount: u128) {
        self.entry(who).balance += amount;
    }

    /// `matchOrders`: records `deal` under `id` and locks the sponsor's price and the
    /// scheduler's stake for every task (PROTOCOL.md §4.2, "Lock").
    pub fn match_deal(&mut self, id: B256, deal: DealModel) -> Outcome {
        self.atomically(|m| {
            let volume = u128::from(deal.volume);
            m.lock(deal.sponsor, deal.task_price() * volume)?;
            m.lock(deal.scheduler, deal.pool_stake() * volume)?;
            m.deals.insert(id, deal);
            Ok(())
        })
    }

    /// `initialize(dealid, idx)`: the task id (§4.4). No time check.
    pub fn initialize(&mut self, deal_id: B256, idx: u64) -> Outcome<B256> {
        self.atomically(|m| {
            let deal = m.deals.get(&deal_id).ok_or("no such deal (botSize 0)")?;
            require(deal.bot_first <= idx && idx < deal.bot_first + deal.volume, "index out of the bag of tasks")?;
            let id = task_id(&deal_id, &U256::from(idx));
            require(m.status(id) == TaskStatusEnum::UNSET, "task already initialized")?;
            m.tasks.insert(
                id,
                TaskModel {
                    deal: deal_id,
                    idx,
                    status: TaskStatusEnum::ACTIVE,
                    consensus_value: B256::ZERO,
                    reveal_deadline: 0,
                    reveal_counter: 0,
                    winner_counter: 0,
                    contributors: Vec::new(),
                    contributions: BTreeMap::new(),
                    groups: BTreeMap::new(),
                    total: 1,
                    result_digest: B256::ZERO,
                    results: Vec::new(),
                    results_callback: Vec::new(),
                },
            );
            Ok(id)
        })
    }

    fn task_and_deal(&self, id: B256) -> Outcome<(TaskModel, DealModel)> {
        let task = self.tasks.get(&id).ok_or("task UNSET")?.clone();
        let deal = self.deals[&task.deal].clone();
        Ok((task, deal))
    }

    /// `contribute`: `worker` votes `result_hash` with `result_seal` at `now` (§4.5).
    #[allow(clippy::too_many_arguments)]
    pub fn contribute(
        &mut self,
        id: B256,
        worker: Address,
        result_hash: B256,
        result_seal: B256,
        enclave_challenge: Address,
        authorized: bool,
        now: u64,
    ) -> Outcome {
        self.atomically(|m| {
            let (mut task, deal) = m.task_and_deal(id)?;
            require(task.status == TaskStatusEnum::ACTIVE, "task not ACTIVE")?;
            require(deal.contribution_deadline() > now, "contribution deadline reached")?;
            require(!task.contributions.contains_key(&worker), "contribution not UNSET")?;
            require(!deal.tee || !enclave_challenge.is_zero(), "TEE task without enclave")?;
            require(authorized, "authorization or enclave signature invalid")?;
            m.lock(worker, deal.worker_stake())?;
            // SCORE POLICY 1/3: w = max(score / 3, 3) - 1; the group multiplies.
            let w = u128::from((m.score(worker) / 3).max(3) - 1);
            let group = task.groups.get(&result_hash).copied().unwrap_or_default();
            let updated = if group == 0 { w } else { group * w };
            task.total += updated - group;
            task.groups.insert(result_hash, updated);
            task.contributors.push(worker);
            task.contributions.insert(
                worker,
                ContributionModel {
                    status: ContributionStatusEnum::CONTRIBUTED,
                    result_hash,
                    result_seal,
                    enclave_challenge,
                    weight: w.ilog2(),
                },
            );
            // checkConsensus: group[h] · trust > total · (trust - 1), strict.
            let trust = u128::from(deal.trust);
            if updated * trust > task.total * (trust - 1) {
                task.winner_counter = task
                    .contributions
                    .values()
                    .filter(|c| c.result_hash == result_hash && c.status == ContributionStatusEnum::CONTRIBUTED)
                    .count() as u64;
                task.status = TaskStatusEnum::REVEALING;
                task.consensus_value = result_hash;
                task.reveal_deadline = now + REVEAL_DEADLINE_RATIO * deal.timeref;
                task.reveal_counter = 0;
            }
            m.tasks.insert(id, task);
            Ok(())
        })
    }

    /// `reveal(taskid, digest)` by `worker` at `now` (§4.6).
    pub fn reveal(&mut self, id: B256, worker: Address, digest: B256, now: u64) -> Outcome {
        self.atomically(|m| {
            let (mut task, _) = m.task_and_deal(id)?;
            require(task.status == TaskStatusEnum::REVEALING, "task not REVEALING")?;
            require(task.reveal_deadline > now, "reveal deadline reached")?;
            let c = task.contributions.get_mut(&worker).ok_or("no contribution")?;
            require(c.status == ContributionStatusEnum::CONTRIBUTED, "contribution not CONTRIBUTED")?;
            require(c.result_hash == task.consensus_value, "not the consensus")?;
            require(c.result_hash == result_hash(&id, &digest), "digest does not match the hash")?;
            require(c.result_seal == result_seal(&worker, &id, &digest), "digest does not match the seal")?;
            c.status = ContributionStatusEnum::PROVED;
            task.reveal_counter += 1;
            task.result_digest = digest;
            m.tasks.insert(id, task);
            Ok(())
        })
    }

    /// `reopen(taskid)` sent by `sender` at `now` (§4.7).
    pub fn reopen(&mut self, id: B256, sender: Address, now: u64) -> Outcome {
        self.atomically(|m| {
            let (mut task, deal) = m.task_and_deal(id)?;
            require(sender == deal.scheduler, "not the scheduler")?;
            require(task.status == TaskStatusEnum::REVEALING, "task not REVEALING")?;
            require(deal.final_deadline() > now, "final deadline reached")?;
            require(task.reveal_deadline <= now, "reveal deadline not reached")?;
            require(task.reveal_counter == 0, "someone revealed")?;
            let consensus = task.consensus_value;
            for c in task.contributions.values_mut() {
                if c.result_hash == consensus {
                    c.status = ContributionStatusEnum::REJECTED;
                }
            }
            task.total -= task.groups.insert(consensus, 0).unwrap_or_default();
            task.status = TaskStatusEnum::ACTIVE;
            task.consensus_value = B256::ZERO;
            task.reveal_deadline = 0;
            task.winner_counter = 0;
            m.tasks.insert(id, task);
            Ok(())
        })
    }

    /// `successWork`: the sponsor pays, the owners are rewarded, the scheduler's stake comes
    /// back with a share of the kitty.
    fn success_work(&mut self, deal: &DealModel) -> Outcome {
        self.seize(deal.sponsor, deal.task_price())?;
        if deal.app_price > 0 {
            self.reward(deal.app_owner, deal.app_price);
        }
        if let (Some(owner), true) = (deal.dataset_owner, deal.dataset_price > 0) {
            self.reward(owner, deal.dataset_price);
        }
        self.unlock(deal.scheduler, deal.pool_stake())?;
        let kitty = self.account(KITTY_ADDRESS).frozen;
        if kitty > 0 {
            let share = (kitty * u128::from(KITTY_RATIO) / 100).max(KITTY_MIN).min(kitty);
            self.seize(KITTY_ADDRESS, share)?;
            self.reward(deal.scheduler, share);
        }
        Ok(())
    }

    /// `finalize(taskid, results, resultsCallback)` sent by `sender` at `now` (§4.8).
    pub fn finalize(&mut self, id: B256, sender: Address, results: &[u8], results_callback: &[u8], now: u64) -> Outcome {
        self.atomically(|m| {
            let (mut task, deal) = m.task_and_deal(id)?;
            require(sender == deal.scheduler, "not the scheduler")?;
            require(task.status == TaskStatusEnum::REVEALING, "task not REVEALING")?;
            require(deal.final_deadline() > now, "final deadline reached")?;
            require(
                task.reveal_counter == task.winner_counter || (task.reveal_counter > 0 && task.reveal_deadline <= now),
                "reveals missing",
            )?;
            require(callback_ok(&deal, results_callback, &task.result_digest), "resultsCallback")?;
            task.status = TaskStatusEnum::COMPLETED;
            task.results = results.to_vec();
            task.results_callback = results_callback.to_vec();
            m.success_work(&deal)?;
            // distributeRewards (SCORE POLICY 2/3, 3/3).
            let stake = deal.worker_stake();
            let proved = |c: &ContributionModel| c.status == ContributionStatusEnum::PROVED;
            let mut total_reward = deal.pool_price;
            let mut total_weight = 0u128;
            for c in task.contributors.iter().map(|w| &task.contributions[w]) {
                if proved(c) {
                    total_weight += u128::from(c.weight);
                } else {
                    total_reward += stake;
                }
            }
            let workers_reward = total_reward * (100 - deal.scheduler_reward_ratio) / 100;
            let replicated = task.contributors.len() > 1;
            for worker in task.contributors.clone() {
                let c = task.contributions[&worker];
                if proved(&c) {
                    let r = workers_reward * u128::from(c.weight) / total_weight;
                    total_reward -= r;
                    m.unlock(worker, stake)?;
                    m.reward(worker, r);
                    if replicated {
                        *m.scores.entry(worker).or_default() += 1;
                    }
                } else {
                    m.seize(worker, stake)?;
                    let s = m.scores.entry(worker).or_default();
                    *s = *s * 2 / 3;
                }
            }
            m.reward(deal.scheduler, total_reward);
            m.tasks.insert(id, task);
            Ok(())
        })
    }

    /// `contributeAndFinalize` by `worker` with `digest` at `now` (§4.9).
    #[allow(clippy::too_many_arguments)]
    pub fn contribute_and_finalize(
        &mut self,
        id: B256,
        worker: Address,
        digest: B256,
        results: &[u8],
        results_callback: &[u8],
        enclave_challenge: Address,
        authorized: bool,
        now: u64,
    ) -> Outcome {
        self.atomically(|m| {
            let (mut task, deal) = m.task_and_deal(id)?;
            require(task.status == TaskStatusEnum::ACTIVE, "task not ACTIVE")?;
            require(deal.contribution_deadline() > now, "contribution deadline reached")?;
            require(task.contributors.is_empty(), "already contributed")?;
            require(deal.trust == 1, "trust is not 1")?;
            require(callback_ok(&deal, results_callback, &digest), "resultsCallback")?;
            require(!deal.tee || !enclave_challenge.is_zero(), "TEE task without enclave")?;
            require(authorized, "authorization or enclave signature invalid")?;
            let hash = result_hash(&id, &digest);
            task.contributors.push(worker);
            task.contributions.insert(
                worker,
                ContributionModel {
                    status: ContributionStatusEnum::PROVED,
                    result_hash: hash,
                    result_seal: result_seal(&worker, &id, &digest),
                    enclave_challenge,
                    weight: 0,
                },
            );
            task.status = TaskStatusEnum::COMPLETED;
            task.consensus_value = hash;
            task.reveal_deadline = now + REVEAL_DEADLINE_RATIO * deal.timeref;
            task.reveal_counter = 1;
            task.winner_counter = 1;
            task.result_digest = digest;
            task.results = results.to_vec();
            task.results_callback = results_callback.to_vec();
            m.success_work(&deal)?;
            // distributeRewardsFast: no stake, no score.
            let worker_reward = deal.pool_price * (100 - deal.scheduler_reward_ratio) / 100;
            m.reward(worker, worker_reward);
            m.reward(deal.scheduler, deal.pool_price - worker_reward);
            m.tasks.insert(id, task);
            Ok(())
        })
    }

    /// `claim(taskid)` at `now` (§4.10).
    pub fn claim(&mut self, id: B256, now: u64) -> Outcome {
        self.atomically(|m| {
            let (mut task, deal) = m.task_and_deal(id)?;
            require(
                matches!(task.status, TaskStatusEnum::ACTIVE | TaskStatusEnum::REVEALING),
                "task not ACTIVE or REVEALING",
            )?;
            require(deal.final_deadline() <= now, "final deadline not reached")?;
            task.status = TaskStatusEnum::FAILED;
            // failedWork: refund, the pool stake seized into the kitty.
            m.unlock(deal.sponsor, deal.task_price())?;
            m.seize(deal.scheduler, deal.pool_stake())?;
            m.entry(KITTY_ADDRESS).frozen += deal.pool_stake();
            for worker in &task.contributors {
                m.unlock(*worker, deal.worker_stake())?;
            }
            m.tasks.insert(id, task);
            Ok(())
        })
    }
}

impl Model {
    /// `matchOrdersBoost` / `sponsorMatchOrdersBoost` of orders whose request asks for
    /// `requested_trust` (§4.11): Boost refuses a trust above 1 before anything else, then
    /// locks exactly as the classic match does.
    pub fn match_boost(&mut self, id: B256, deal: DealModel, requested_trust: u64) -> Outcome {
        self.atomically(|m| {
            require(requested_trust <= 1, "PocoBoost: Bad trust level")?;
            let volume = u128::from(deal.volume);
            m.lock(deal.sponsor, deal.task_price() * volume)?;
            m.lock(deal.scheduler, deal.pool_stake() * volume)?;
            m.boost_deals.insert(id, deal);
            Ok(())
        })
    }

    /// The Boost deal and task id of `(deal_id, index)` when the task exists (`index <
    /// botSize`, 0-based) and is UNSET (`requireTaskExistsAndUnset`).
    fn boost_task(&self, deal_id: B256, index: u64) -> Outcome<(B256, DealModel)> {
        let deal = self.boost_deals.get(&deal_id).filter(|d| index < d.volume).ok_or("PocoBoost: Unknown task")?;
        let id = task_id(&deal_id, &U256::from(index));
        require(!self.boost_tasks.contains_key(&id), "PocoBoost: Task status not unset")?;
        Ok((id, deal.clone()))
    }

    /// `pushResultBoost(dealId, index, …)` by `worker` at `now`, without enclave and
    /// callback (§4.11). The payer is seized, not `deal.requester` as PoCo's source does
    /// (README, design decisions: the sponsor fix).
    pub fn push_boost(&mut self, deal_id: B256, index: u64, worker: Address, authorized: bool, now: u64) -> Outcome {
        self.atomically(|m| {
            let (id, deal) = m.boost_task(deal_id, index)?;
            require(now < deal.contribution_deadline(), "PocoBoost: Deadline reached")?;
            require(!deal.tee, "PocoBoost: Tag requires enclave challenge")?;
            require(authorized, "PocoBoost: Invalid contribution authorization signature")?;
            m.boost_tasks.insert(id, TaskStatusEnum::COMPLETED);
            m.seize(deal.sponsor, deal.task_price())?;
            let worker_reward = deal.pool_price * (100 - deal.scheduler_reward_ratio) / 100;
            m.reward(worker, worker_reward);
            m.reward(deal.app_owner, deal.app_price);
            if let Some(owner) = deal.dataset_owner {
                m.reward(owner, deal.dataset_price);
            }
            m.unlock(deal.scheduler, deal.pool_stake())?;
            let kitty = m.account(KITTY_ADDRESS).frozen;
            let share = if kitty > 0 { (kitty / 10).max(KITTY_MIN).min(kitty) } else { 0 };
            m.seize(KITTY_ADDRESS, share)?;
            m.reward(deal.scheduler, deal.pool_price - worker_reward + share);
            Ok(())
        })
    }

    /// `claimBoost(dealId, index)` at `now` (§4.11): the payer refunded, the scheduler's
    /// stake seized into the kitty.
    pub fn claim_boost(&mut self, deal_id: B256, index: u64, now: u64) -> Outcome {
        self.atomically(|m| {
            let (id, deal) = m.boost_task(deal_id, index)?;
            require(deal.contribution_deadline() <= now, "PocoBoost: Deadline not reached")?;
            m.boost_tasks.insert(id, TaskStatusEnum::FAILED);
            m.unlock(deal.sponsor, deal.task_price())?;
            m.seize(deal.scheduler, deal.pool_stake())?;
            m.entry(KITTY_ADDRESS).frozen += deal.pool_stake();
            Ok(())
        })
    }
}

/// PoCo's result-callback rule, as the model reads it from the specification:
/// `(callback == 0 && resultsCallback.length == 0) || keccak256(resultsCallback) == digest`.
fn callback_ok(deal: &DealModel, results_callback: &[u8], digest: &B256) -> bool {
    (deal.callback.is_zero() && results_callback.is_empty()) || keccak256(results_callback) == *digest
}
