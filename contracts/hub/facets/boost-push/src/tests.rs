//! Boost settlement on a `MockHost`, on deals matched by the real Boost match facet with real
//! k256 signatures: payouts to the unit and their events in PoCo's order, TEE pushes
//! authorized by the scheduler or the TEE broker, every `PocoBoost:` revert of the push and
//! the claim with its exact revert data and no state written, the callback with
//! `callbackgas` and the 1/63 rule, claims filling the kitty and later pushes paying its
//! share, sponsored deals settled from the sponsor, and funds conserved over mixed
//! sequences of pushes and claims.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use alloy_primitives::{aliases::U96, keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{sol, Panic, Revert, SolCall, SolError, SolEvent, SolValue};
use poco_core::{
    constants::KITTY_ADDRESS,
    messages::{boost_enclave_message_hash, worker_authorization_hash},
    reasons::*,
    task::Task,
};
use poco_facet_boost_match::testing::*;
use poco_hub_base::{
    callback::receiveResultCall,
    escrow::{Lock, Reward, Seize, Transfer, Unlock},
    task::view_task,
    testing::Signer,
};
use stylus_sdk::abi::Router;

use super::*;

sol! {
    function pushResultBoost(
        bytes32 dealId,
        uint256 index,
        bytes results,
        bytes resultsCallback,
        bytes authorizationSign,
        address enclaveChallenge,
        bytes enclaveSign
    );
    function claimBoost(bytes32 dealId, uint256 index);
    function viewDealBoost(bytes32 id);
}

const RESULTS: &[u8] = b"ipfs://QmResultsOfTheBoostTaskxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
const CALLBACK: Address = Address::new([0xcb; 20]);
const DEADLINE: u64 = START + 7 * TIMEREF;

fn u(v: u64) -> U256 {
    U256::from(v)
}

fn reason(r: &str) -> Vec<u8> {
    Revert::from(r).abi_encode()
}

/// A matched Boost deal (prices 3 / 2 / 100, worker reward 95, stake 30, volume 4), a worker,
/// an enclave and a TEE broker.
struct Boost {
    m: BoostMarket,
    deal: B256,
    worker: Signer,
    enclave: Signer,
    broker: Signer,
}

impl Boost {
    /// The deal of the market after `configure` changed its orders, paid by the requester.
    fn new(configure: impl FnOnce(&mut BoostMarket)) -> Self {
        let mut m = BoostMarket::new();
        configure(&mut m);
        m.sign_all();
        let deal = m.match_boost().unwrap();
        Self::around(m, deal)
    }

    /// The deal paid by `sponsor` (funded with 1000).
    fn sponsored(sponsor: Address) -> Self {
        let mut m = BoostMarket::new();
        m.mint(sponsor, 1000);
        m.sign_all();
        m.host.vm.set_sender(sponsor);
        let deal = m.sponsor_match_boost().unwrap();
        Self::around(m, deal)
    }

    fn around(m: BoostMarket, deal: B256) -> Self {
        m.host.vm.clear_mocks(); // the TestVM's logs
        Self { m, deal, worker: Signer::new(0x77), enclave: Signer::new(0x78), broker: Signer::new(0x79) }
    }

    fn facet(&self) -> BoostPushFacet {
        BoostPushFacet::from(&self.m.host)
    }

    fn task(&self, i: u64) -> B256 {
        poco_core::ids::task_id(&self.deal, &u(i))
    }

    /// `signer`'s authorization of the worker on task `i` with `enclave`, precompile mocked.
    fn authorize(&self, signer: &Signer, i: u64, enclave: Address) -> Vec<u8> {
        let message = worker_authorization_hash(&self.worker.address, &self.task(i), &enclave);
        signer.sign_message_on(&self.m.host, &message)
    }

    /// The enclave's signature of `digest` for task `i`.
    fn enclave_sign(&self, i: u64, digest: B256) -> Vec<u8> {
        let message = boost_enclave_message_hash(&self.worker.address, &self.task(i), &digest);
        self.enclave.sign_message_on(&self.m.host, &message)
    }

    #[allow(clippy::too_many_arguments)]
    fn push_with(
        &self,
        i: U256,
        results_callback: &[u8],
        authorization: Vec<u8>,
        enclave: Address,
        enclave_sign: Vec<u8>,
    ) -> Result<(), Vec<u8>> {
        self.m.host.vm.set_sender(self.worker.address);
        self.facet().push_result_boost(
            self.deal,
            i,
            RESULTS.to_vec().into(),
            results_callback.to_vec().into(),
            authorization.into(),
            enclave,
            enclave_sign.into(),
        )
    }

    /// The worker pushes task `i`, authorized by the scheduler, without enclave.
    fn push(&self, i: u64) -> Result<(), Vec<u8>> {
        let auth = self.authorize(&self.m.scheduler, i, Address::ZERO);
        self.push_with(u(i), &[], auth, Address::ZERO, vec![])
    }

    /// Anyone claims task `i`.
    fn claim(&self, i: u64) -> Result<(), Vec<u8>> {
        self.m.host.vm.set_sender(STRANGER);
        self.facet().claim_boost(self.deal, u(i))
    }

    fn at(&self, timestamp: u64) {
        self.m.host.vm.set_block_timestamp(timestamp);
    }

    fn status(&self, i: u64) -> u8 {
        let vm = self.m.host.handle();
        view_task(&vm, &poco_storage(&vm), self.task(i)).status
    }

    fn logs(&self) -> Vec<(Vec<B256>, Vec<u8>)> {
        self.m.host.vm.get_emitted_logs()
    }

    /// `f` fails with `expected`, emitting nothing and writing nothing.
    fn fails_without_trace(&self, f: impl FnOnce() -> Result<(), Vec<u8>>, expected: Vec<u8>, what: &str) {
        let before = self.m.storage_snapshot();
        let logs = self.logs().len();
        assert_eq!(f(), Err(expected), "{what}");
        assert_eq!(self.m.storage_snapshot(), before, "{what}: storage written");
        assert_eq!(self.logs().len(), logs, "{what}: events emitted");
    }
}

/// Decodes log `i` as `E`.
fn event<E: SolEvent>(logs: &[(Vec<B256>, Vec<u8>)], i: usize) -> E {
    E::decode_raw_log(logs[i].0.clone(), &logs[i].1).unwrap()
}

#[test]
fn a_push_pays_everyone_to_the_unit_and_completes_the_task() {
    let b = Boost::new(|_| {});
    let requester = b.m.requester.address;
    let scheduler = b.m.scheduler.address;
    assert_eq!(b.m.account(requester), (u(580), u(420)));
    assert_eq!(b.m.account(scheduler), (u(880), u(120)));
    b.push(0).unwrap();
    let task = b.task(0);
    // The payer's 105 is seized: 95 to the worker, 3 to the app owner, 2 to the dataset
    // owner, 5 to the scheduler, whose 30 of stake is unlocked.
    assert_eq!(b.m.account(requester), (u(580), u(315)));
    assert_eq!(b.m.account(b.worker.address), (u(95), U256::ZERO));
    assert_eq!(b.m.account(b.m.app_owner.address), (u(3), U256::ZERO));
    assert_eq!(b.m.account(b.m.dataset_owner.address), (u(2), U256::ZERO));
    assert_eq!(b.m.account(scheduler), (u(880 + 30 + 5), u(90)));
    assert_eq!(b.m.account(HUB), (u(315 + 90), U256::ZERO));

    let logs = b.logs();
    assert_eq!(logs.len(), 12);
    let hub = HUB;
    let seize: Seize = event(&logs, 0);
    assert_eq!((seize.owner, seize.amount, seize.r#ref), (requester, u(105), task));
    for (i, to, amount) in [(1, b.worker.address, 95), (3, b.m.app_owner.address, 3), (5, b.m.dataset_owner.address, 2)] {
        let t: Transfer = event(&logs, i);
        assert_eq!((t.from, t.to, t.value), (hub, to, u(amount)));
        let r: Reward = event(&logs, i + 1);
        assert_eq!((r.owner, r.amount, r.r#ref), (to, u(amount), task));
    }
    let t: Transfer = event(&logs, 7);
    assert_eq!((t.from, t.to, t.value), (hub, scheduler, u(30)));
    let unlock: Unlock = event(&logs, 8);
    assert_eq!((unlock.owner, unlock.amount), (scheduler, u(30)));
    let t: Transfer = event(&logs, 9);
    assert_eq!((t.to, t.value), (scheduler, u(5)));
    let r: Reward = event(&logs, 10);
    assert_eq!((r.owner, r.amount, r.r#ref), (scheduler, u(5), task));
    let pushed = ResultPushedBoost { dealId: b.deal, index: U256::ZERO, results: RESULTS.to_vec().into() };
    let expected = pushed.encode_log_data();
    assert_eq!(logs[11].0, expected.topics().to_vec());
    assert_eq!(logs[11].1, expected.data.to_vec());
    assert_eq!(ResultPushedBoost::SIGNATURE_HASH, keccak256("ResultPushedBoost(bytes32,uint256,bytes)"));

    // viewTask shows the status only, as PoCo's does for a Boost task.
    let vm = b.m.host.handle();
    assert_eq!(view_task(&vm, &poco_storage(&vm), task), Task { status: 3, ..Task::default() });
    // The other tasks are untouched.
    assert_eq!(b.status(1), 0);
}

#[test]
fn a_deal_without_dataset_pays_no_dataset_owner_and_zero_prices_pay_zero() {
    let b = Boost::new(|m| {
        m.without_dataset();
        m.app.appprice = U256::ZERO;
        m.request.appmaxprice = U256::ZERO;
    });
    b.push(1).unwrap();
    let logs = b.logs();
    // Seize, worker, scheduler unlock, scheduler reward, ResultPushedBoost: no app or dataset.
    assert_eq!(logs.len(), 1 + 2 + 2 + 2 + 1);
    let seize: Seize = event(&logs, 0);
    assert_eq!(seize.amount, u(100));
    let pushed: ResultPushedBoost = event(&logs, 7);
    assert_eq!(pushed.index, u(1));
    // A free workerpool still pays the worker and the scheduler their zeros, as PoCo does.
    let b = Boost::new(|m| {
        m.workerpool.workerpoolprice = U256::ZERO;
        m.request.workerpoolmaxprice = U256::ZERO;
    });
    b.push(0).unwrap();
    let logs = b.logs();
    let worker: Reward = event(&logs, 2);
    assert_eq!((worker.owner, worker.amount), (b.worker.address, U256::ZERO));
    let scheduler: Reward = event(&logs, logs.len() - 2);
    assert_eq!((scheduler.owner, scheduler.amount), (b.m.scheduler.address, U256::ZERO));
}

#[test]
fn tee_pushes_need_an_enclave_and_the_broker_signs_when_there_is_one() {
    let tee = |m: &mut BoostMarket| {
        m.app.tag = B256::with_last_byte(0x01);
        m.request.tag = B256::with_last_byte(0x01);
    };
    let b = Boost::new(tee);
    let enclave = b.enclave.address;
    let digest = keccak256(RESULTS); // no callback: the digest of the results
    // No enclave on a TEE deal.
    let auth = b.authorize(&b.m.scheduler, 0, Address::ZERO);
    b.fails_without_trace(
        || b.push_with(u(0), &[], auth, Address::ZERO, vec![]),
        reason(BOOST_TAG_REQUIRES_ENCLAVE_CHALLENGE),
        "no enclave",
    );
    // Without a broker the scheduler authorizes the enclave.
    let auth = b.authorize(&b.m.scheduler, 0, enclave);
    let sign = b.enclave_sign(0, digest);
    b.push_with(u(0), &[], auth, enclave, sign).unwrap();
    assert_eq!(b.status(0), 3);
    // With a broker, only the broker does.
    poco_storage(&b.m.host.handle()).teebroker.set(b.broker.address);
    let auth = b.authorize(&b.m.scheduler, 1, enclave);
    let sign = b.enclave_sign(1, digest);
    b.fails_without_trace(
        || b.push_with(u(1), &[], auth, enclave, sign.clone()),
        reason(BOOST_INVALID_AUTHORIZATION_SIGNATURE),
        "scheduler instead of broker",
    );
    let auth = b.authorize(&b.broker, 1, enclave);
    b.push_with(u(1), &[], auth, enclave, sign).unwrap();
    // The broker does not sign for pushes without enclave, on a non-TEE deal.
    let b = Boost::new(|_| {});
    poco_storage(&b.m.host.handle()).teebroker.set(b.broker.address);
    let auth = b.authorize(&b.broker, 0, Address::ZERO);
    b.fails_without_trace(
        || b.push_with(u(0), &[], auth, Address::ZERO, vec![]),
        reason(BOOST_INVALID_AUTHORIZATION_SIGNATURE),
        "broker without enclave",
    );
    b.push(0).unwrap();
}

#[test]
fn the_enclave_signs_the_callback_data_when_there_is_a_callback() {
    let b = Boost::new(|m| m.request.callback = CALLBACK);
    poco_storage(&b.m.host.handle()).callback_gas.set(u(200_000));
    let enclave = b.enclave.address;
    let data = b"callback data".to_vec();
    let auth = b.authorize(&b.m.scheduler, 0, enclave);
    // Signed over the results: refused.
    let wrong = b.enclave_sign(0, keccak256(RESULTS));
    b.fails_without_trace(
        || b.push_with(u(0), &data, auth.clone(), enclave, wrong),
        reason(BOOST_INVALID_ENCLAVE_SIGNATURE),
        "digest of the results",
    );
    // By another key: refused.
    let stranger = Signer::new(0x7a).sign_message_on(
        &b.m.host,
        &boost_enclave_message_hash(&b.worker.address, &b.task(0), &keccak256(&data)),
    );
    b.fails_without_trace(
        || b.push_with(u(0), &data, auth.clone(), enclave, stranger),
        reason(BOOST_INVALID_ENCLAVE_SIGNATURE),
        "another enclave key",
    );
    let sign = b.enclave_sign(0, keccak256(&data));
    b.push_with(u(0), &data, auth, enclave, sign).unwrap();
}

#[test]
fn every_push_revert_has_its_reason_and_writes_nothing() {
    let b = Boost::new(|m| m.request.callback = CALLBACK);
    let auth = |i| b.authorize(&b.m.scheduler, i, Address::ZERO);
    let data: &[u8] = b"d";
    // Unknown task: index = botSize, a huge index, an unknown deal.
    for index in [u(4), U256::MAX] {
        b.fails_without_trace(|| b.push_with(index, data, auth(0), Address::ZERO, vec![]), reason(BOOST_UNKNOWN_TASK), "index");
    }
    let other = Boost::around(BoostMarket::new(), B256::repeat_byte(0xde));
    other.fails_without_trace(|| other.push(0), reason(BOOST_UNKNOWN_TASK), "unknown deal");
    // Deadline: the last second before it works, the deadline itself does not.
    b.at(DEADLINE);
    b.fails_without_trace(|| b.push_with(u(0), data, auth(0), Address::ZERO, vec![]), reason(BOOST_DEADLINE_REACHED), "deadline");
    b.at(DEADLINE - 1);
    // Authorization: another signer, another worker, another task, a bad length.
    let stranger = Signer::new(0x7b);
    let forged = b.authorize(&stranger, 0, Address::ZERO);
    b.fails_without_trace(|| b.push_with(u(0), data, forged, Address::ZERO, vec![]), reason(BOOST_INVALID_AUTHORIZATION_SIGNATURE), "signer");
    let for_task_1 = auth(1);
    b.fails_without_trace(
        || b.push_with(u(0), data, for_task_1, Address::ZERO, vec![]),
        reason(BOOST_INVALID_AUTHORIZATION_SIGNATURE),
        "task",
    );
    let for_worker = auth(0);
    b.m.host.vm.set_sender(STRANGER);
    let before = b.m.storage_snapshot();
    assert_eq!(
        b.facet().push_result_boost(b.deal, u(0), RESULTS.to_vec().into(), data.to_vec().into(), for_worker.into(), Address::ZERO, Bytes::new()),
        Err(reason(BOOST_INVALID_AUTHORIZATION_SIGNATURE)),
        "sender is not the authorized worker"
    );
    assert_eq!(b.m.storage_snapshot(), before);
    b.fails_without_trace(
        || b.push_with(u(0), data, vec![1; 10], Address::ZERO, vec![]),
        reason(INVALID_SIGNATURE_FORMAT),
        "authorization length",
    );
    // An enclave signature of the wrong length.
    let enclave = b.enclave.address;
    let enclave_auth = b.authorize(&b.m.scheduler, 0, enclave);
    b.fails_without_trace(
        || b.push_with(u(0), data, enclave_auth, enclave, vec![]),
        reason(INVALID_SIGNATURE_FORMAT),
        "enclave signature length",
    );
    // A callback and no data for it.
    b.fails_without_trace(|| b.push_with(u(0), &[], auth(0), Address::ZERO, vec![]), reason(BOOST_CALLBACK_REQUIRES_DATA), "callback data");
    // Twice.
    b.push_with(u(0), data, auth(0), Address::ZERO, vec![]).unwrap();
    b.fails_without_trace(|| b.push_with(u(0), data, auth(0), Address::ZERO, vec![]), reason(BOOST_TASK_STATUS_NOT_UNSET), "twice");
    // The index check comes first, the status check before the deadline's.
    b.at(DEADLINE + 1);
    b.fails_without_trace(|| b.push_with(u(0), data, auth(0), Address::ZERO, vec![]), reason(BOOST_TASK_STATUS_NOT_UNSET), "status first");
}

#[test]
fn the_callback_gets_callbackgas_and_the_1_in_63_rule_holds() {
    let b = Boost::new(|m| m.request.callback = CALLBACK);
    poco_storage(&b.m.host.handle()).callback_gas.set(u(200_000));
    b.m.host.set_contract(CALLBACK);
    let data = b"callback data".to_vec();
    let expected_call = receiveResultCall { taskid: b.task(0), result: data.clone().into() }.abi_encode();
    // A reverting callback does not fail the push; it is called with exactly callbackgas.
    b.m.host.mock(CALLBACK, expected_call.clone(), Err(b"nope".to_vec()));
    b.m.host.vm.set_gas_left(200_000 / 63 + 1);
    let auth = b.authorize(&b.m.scheduler, 0, Address::ZERO);
    b.push_with(u(0), &data, auth, Address::ZERO, vec![]).unwrap();
    let calls = b.m.host.calls_made();
    assert_eq!(calls.last(), Some(&(CALLBACK, expected_call)));
    assert_eq!(b.m.host.call_gas().last(), Some(&200_000));
    assert_eq!(b.logs().last().unwrap().0[0], ResultPushedBoost::SIGNATURE_HASH, "the event comes before the callback");
    // Too little gas left after it (200,000 / 63 = 3174): PoCo Boost's reason.
    b.m.host.vm.set_gas_left(3174);
    let auth = b.authorize(&b.m.scheduler, 1, Address::ZERO);
    assert_eq!(b.push_with(u(1), &data, auth, Address::ZERO, vec![]), Err(reason(BOOST_NOT_ENOUGH_GAS_AFTER_CALLBACK)));
    // A callback that is not a contract: the call succeeds, the push too.
    b.m.host.vm.set_code(CALLBACK, vec![]);
    b.m.host.vm.set_gas_left(u64::MAX);
    let auth = b.authorize(&b.m.scheduler, 2, Address::ZERO);
    b.push_with(u(2), &data, auth, Address::ZERO, vec![]).unwrap();
    // Without a callback nothing is called after the payouts.
    let b = Boost::new(|_| {});
    b.m.host.vm.set_gas_left(0);
    b.push(0).unwrap();
    assert!(!b.m.host.calls_made().iter().any(|(to, _)| *to == CALLBACK));
}

#[test]
fn a_claim_refunds_the_payer_and_fills_the_kitty() {
    let b = Boost::new(|_| {});
    let requester = b.m.requester.address;
    let scheduler = b.m.scheduler.address;
    b.at(DEADLINE - 1);
    b.fails_without_trace(|| b.claim(0), reason(BOOST_DEADLINE_NOT_REACHED), "before the deadline");
    b.fails_without_trace(|| b.claim(4), reason(BOOST_UNKNOWN_TASK), "index");
    b.at(DEADLINE);
    b.claim(0).unwrap();
    let task = b.task(0);
    assert_eq!(b.status(0), 4);
    assert_eq!(b.m.account(requester), (u(580 + 105), u(315)));
    assert_eq!(b.m.account(scheduler), (u(880), u(90)));
    assert_eq!(b.m.account(KITTY_ADDRESS), (U256::ZERO, u(30)));
    assert_eq!(b.m.account(HUB), (u(540 - 105), U256::ZERO));
    let logs = b.logs();
    assert_eq!(logs.len(), 6);
    let t: Transfer = event(&logs, 0);
    assert_eq!((t.from, t.to, t.value), (HUB, requester, u(105)));
    let unlock: Unlock = event(&logs, 1);
    assert_eq!((unlock.owner, unlock.amount), (requester, u(105)));
    let seize: Seize = event(&logs, 2);
    assert_eq!((seize.owner, seize.amount, seize.r#ref), (scheduler, u(30), task));
    let reward: Reward = event(&logs, 3);
    assert_eq!((reward.owner, reward.amount, reward.r#ref), (KITTY_ADDRESS, u(30), task));
    let lock: Lock = event(&logs, 4);
    assert_eq!((lock.owner, lock.amount), (KITTY_ADDRESS, u(30)));
    assert_eq!(logs[5].0, vec![poco_hub_base::task::TaskClaimed::SIGNATURE_HASH, task]);
    // Twice, or pushed after: the status says no.
    b.fails_without_trace(|| b.claim(0), reason(BOOST_TASK_STATUS_NOT_UNSET), "claim twice");
    b.fails_without_trace(|| b.push(0), reason(BOOST_TASK_STATUS_NOT_UNSET), "push after claim");
    // A pushed task cannot be claimed.
    b.at(DEADLINE - 1);
    b.push(1).unwrap();
    b.at(DEADLINE + 1000);
    b.fails_without_trace(|| b.claim(1), reason(BOOST_TASK_STATUS_NOT_UNSET), "claim after push");
}

#[test]
fn a_claimed_task_fills_the_kitty_and_a_later_push_pays_its_share() {
    let b = Boost::new(|_| {});
    b.at(DEADLINE);
    b.claim(0).unwrap();
    assert_eq!(b.m.account(KITTY_ADDRESS).1, u(30));
    // A second deal, matched later, pushed: a kitty below 1 RLC is paid out whole.
    let mut m = b.m;
    m.request.salt = B256::repeat_byte(5);
    m.workerpool.salt = B256::repeat_byte(5);
    m.sign_all();
    let second = m.match_boost().unwrap();
    let b = Boost::around(m, second);
    let scheduler = b.m.scheduler.address;
    let before = b.m.account(scheduler);
    b.push(0).unwrap();
    assert_eq!(b.m.account(KITTY_ADDRESS), (U256::ZERO, U256::ZERO));
    // 30 of stake unlocked, 5 + 30 (the whole kitty) rewarded.
    assert_eq!(b.m.account(scheduler), (before.0 + u(30 + 35), before.1 - u(30)));
    let logs = b.logs();
    let seize: Seize = event(&logs, 9);
    assert_eq!((seize.owner, seize.amount, seize.r#ref), (KITTY_ADDRESS, u(30), b.task(0)));
    let reward: Reward = event(&logs, 11);
    assert_eq!((reward.owner, reward.amount), (scheduler, u(35)));
    // A kitty of 20 RLC pays 10 % of it: 2 RLC.
    let b = Boost::new(|_| {});
    {
        let vm = b.m.host.handle();
        let mut s = poco_storage(&vm);
        escrow::mint(&vm, &mut s, HUB, u(20_000_000_000)).unwrap();
        escrow::freeze_into_kitty(&vm, &mut s, u(20_000_000_000), B256::ZERO).unwrap();
    }
    b.push(0).unwrap();
    assert_eq!(b.m.account(KITTY_ADDRESS).1, u(18_000_000_000));
    assert_eq!(b.m.account(b.m.scheduler.address).0, u(880 + 30 + 5 + 2_000_000_000));
}

/// Σ balances = total supply, and the hub holds exactly what is frozen.
fn assert_conserved(b: &Boost, accounts: &[Address], what: &str) {
    let vm = b.m.host.handle();
    let s = poco_storage(&vm);
    let balances: U256 = accounts.iter().map(|a| s.accounts.getter(*a).balance()).sum();
    let frozen: U256 = accounts.iter().filter(|a| **a != HUB).map(|a| s.accounts.getter(*a).frozen()).sum();
    assert_eq!(balances, s.total_supply.get(), "{what}: supply");
    assert_eq!(s.accounts.getter(HUB).balance(), frozen, "{what}: hub holds the frozen funds");
}

#[test]
fn a_sponsored_deal_settles_from_the_sponsor_and_conserves_funds() {
    let sponsor = Address::repeat_byte(0x59);
    let b = Boost::sponsored(sponsor);
    let requester = b.m.requester.address;
    // The requester has frozen funds of its own: a deal of its own, matched by itself.
    let mut m = b.m;
    m.request.salt = B256::repeat_byte(6);
    m.workerpool.salt = B256::repeat_byte(6);
    m.request.volume = u(1);
    m.sign_all();
    let own = m.match_boost().unwrap();
    let b = Boost::around(m, b.deal);
    let accounts = [
        HUB,
        sponsor,
        requester,
        b.m.scheduler.address,
        b.worker.address,
        b.m.app_owner.address,
        b.m.dataset_owner.address,
        KITTY_ADDRESS,
    ];
    assert_eq!(b.m.account(sponsor), (u(580), u(420)));
    assert_eq!(b.m.account(requester), (u(1000 - 105), u(105)));
    assert_conserved(&b, &accounts, "matched");
    // Three pushes and a claim: each takes from the sponsor, none from the requester.
    for i in 0..3 {
        b.push(i).unwrap();
        let seize: Seize = event(&b.logs(), b.logs().len() - 12);
        assert_eq!((seize.owner, seize.amount), (sponsor, u(105)));
        assert_eq!(b.m.account(requester), (u(1000 - 105), u(105)), "push {i}");
        assert_conserved(&b, &accounts, "push");
    }
    b.at(DEADLINE);
    b.claim(3).unwrap();
    let t: Transfer = event(&b.logs(), b.logs().len() - 6);
    assert_eq!((t.to, t.value), (sponsor, u(105)));
    assert_conserved(&b, &accounts, "claim");
    // The sponsor paid three tasks and got the fourth back; nothing of it stays locked.
    assert_eq!(b.m.account(sponsor), (u(580 + 105), U256::ZERO));
    assert_eq!(b.m.account(requester), (u(1000 - 105), u(105)));
    // Scheduler: four stakes locked, three unlocked, one to the kitty; 3 × 5 earned.
    assert_eq!(b.m.account(b.m.scheduler.address), (u(1000 - 120 - 30 + 90 + 15), u(30)));
    assert_eq!(b.m.account(KITTY_ADDRESS).1, u(30));
    assert_eq!(b.m.account(b.worker.address).0, u(3 * 95));
    // The requester's own deal settles from the requester.
    let own = Boost::around(b.m, own);
    own.at(DEADLINE - 1);
    own.push(0).unwrap();
    assert_eq!(own.m.account(requester), (u(1000 - 105), U256::ZERO));
    assert_eq!(own.m.account(sponsor), (u(685), U256::ZERO));
}

#[test]
fn funds_are_conserved_over_mixed_pushes_and_claims() {
    // Deterministic sweep: volume 1..=4, sponsored or not, each task pushed or claimed,
    // several deals on one hub so the kitty fills and pays out.
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let sponsor = Address::repeat_byte(0x59);
    let mut m = BoostMarket::new();
    m.app.volume = u(1000);
    m.dataset.volume = u(1000);
    m.mint(sponsor, 100_000);
    m.mint(m.requester.address, 100_000);
    m.mint(m.scheduler.address, 100_000);
    let worker = Signer::new(0x77);
    let accounts = [
        HUB,
        sponsor,
        m.requester.address,
        m.scheduler.address,
        worker.address,
        m.app_owner.address,
        m.dataset_owner.address,
        KITTY_ADDRESS,
    ];
    let mut now = START;
    for round in 0..12u8 {
        let volume = 1 + next() % 4;
        m.request.volume = u(volume);
        m.request.salt = B256::repeat_byte(round);
        m.workerpool.salt = B256::repeat_byte(round);
        m.workerpool.workerpoolprice = u(next() % 1000);
        m.request.workerpoolmaxprice = U256::MAX;
        m.host.vm.set_block_timestamp(now);
        m.sign_all();
        let deal = if next() % 2 == 0 {
            m.host.vm.set_sender(sponsor);
            m.sponsor_match_boost().unwrap()
        } else {
            m.match_boost().unwrap()
        };
        let b = Boost::around(m, deal);
        assert_conserved(&b, &accounts, "match");
        let pushes: Vec<bool> = (0..volume).map(|_| next() % 3 != 0).collect();
        for (i, push) in pushes.iter().enumerate() {
            if *push {
                b.push(i as u64).unwrap();
            }
        }
        b.at(now + 7 * TIMEREF);
        for (i, push) in pushes.iter().enumerate() {
            if !*push {
                b.claim(i as u64).unwrap();
            }
            assert_conserved(&b, &accounts, "settle");
        }
        now += 7 * TIMEREF;
        m = b.m;
    }
    // Everything settled: only the kitty holds frozen funds.
    for a in &accounts[1..7] {
        assert_eq!(m.account(*a).1, U256::ZERO, "{a}");
    }
}

#[test]
fn prices_summing_beyond_uint96_panic_as_pocos_uint96_addition() {
    let half = U256::from(1) << 95;
    let b = Boost::new(|m| {
        m.app.appprice = half;
        m.request.appmaxprice = half;
        m.workerpool.workerpoolprice = half;
        m.request.workerpoolmaxprice = half;
        m.request.volume = u(1);
        let vm = m.host.handle();
        let mut s = poco_storage(&vm);
        escrow::mint(&vm, &mut s, m.requester.address, U256::from(1) << 97).unwrap();
        escrow::mint(&vm, &mut s, m.scheduler.address, U256::from(1) << 97).unwrap();
    });
    let panic = Panic { code: u(0x11) }.abi_encode();
    b.fails_without_trace(|| b.push(0), panic.clone(), "push");
    b.at(DEADLINE);
    b.fails_without_trace(|| b.claim(0), panic, "claim");
}

#[test]
fn the_router_serves_pocos_selectors() {
    assert_eq!(pushResultBoostCall::SELECTOR, [0x9b, 0xce, 0xd2, 0x8b]);
    assert_eq!(claimBoostCall::SELECTOR, [0xaf, 0x24, 0xba, 0x0b]);
    assert_eq!(viewDealBoostCall::SELECTOR, [0x63, 0xfb, 0xac, 0x17]);
    let b = Boost::new(|_| {});
    let route = |calldata: Vec<u8>| {
        let mut facet = b.facet();
        let selector = u32::from_be_bytes(calldata[..4].try_into().unwrap());
        <BoostPushFacet as Router<BoostPushFacet>>::route(&mut facet, selector, &calldata[4..]).unwrap()
    };
    // viewDealBoost: PoCo's DealBoost tuple.
    let out = route(viewDealBoostCall { id: b.deal }.abi_encode()).unwrap();
    let deal = <poco_core::deal::DealBoost as SolValue>::abi_decode(&out).unwrap();
    assert_eq!(deal, b.facet().view_deal_boost(b.deal));
    assert_eq!((deal.workerReward, deal.botSize, deal.sponsor), (U96::from(95), 4, b.m.requester.address));
    let unknown = route(viewDealBoostCall { id: B256::repeat_byte(1) }.abi_encode()).unwrap();
    assert_eq!(unknown, vec![0u8; 14 * 32]);
    // pushResultBoost and claimBoost through the router.
    let auth = b.authorize(&b.m.scheduler, 0, Address::ZERO);
    b.m.host.vm.set_sender(b.worker.address);
    let call = pushResultBoostCall {
        dealId: b.deal,
        index: U256::ZERO,
        results: RESULTS.to_vec().into(),
        resultsCallback: Bytes::new(),
        authorizationSign: auth.into(),
        enclaveChallenge: Address::ZERO,
        enclaveSign: Bytes::new(),
    };
    assert_eq!(route(call.abi_encode()), Ok(vec![]));
    assert_eq!(b.status(0), 3);
    b.at(DEADLINE);
    assert_eq!(route(claimBoostCall { dealId: b.deal, index: u(1) }.abi_encode()), Ok(vec![]));
    assert_eq!(b.status(1), 4);
    // Non-payable.
    b.m.host.vm.set_value(u(1));
    assert_eq!(route(claimBoostCall { dealId: b.deal, index: u(2) }.abi_encode()), Err(vec![]));
}
