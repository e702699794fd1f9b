//! Boost matching on a `MockHost` with real k256 signatures: a full match (the packed deal,
//! volumes, locks, events byte for byte), dataset-less and sponsored deals, every
//! `PocoBoost:` revert of the match with its exact revert data and no state written, the
//! `SafeCast` errors in PoCo's order, Boost's own rules (trust, unmasked tag, registration
//! before owner) and the fallback's calldata checks.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use alloy_primitives::{aliases::U96, keccak256, Address, FixedBytes, B256, U256};
use alloy_sol_types::{Panic, Revert, SolError, SolEvent};
use poco_core::{deal::DealBoost, reasons::BOOST_MATCH_REASONS};
use poco_hub_base::{
    calls::{isRegisteredCall, ownerCall},
    escrow::{Lock, Transfer},
    testing::Signer,
};

use super::*;
use crate::testing::*;

fn reason(r: &str) -> Vec<u8> {
    Revert::from(r).abi_encode()
}

fn downcast(bits: u8, value: U256) -> Vec<u8> {
    SafeCastOverflowedUintDowncast { bits, value }.abi_encode()
}

fn u(v: u64) -> U256 {
    U256::from(v)
}

fn deal_of(m: &BoostMarket, id: B256) -> DealBoost {
    poco_storage(&m.host.handle()).deals_boost.getter(id).to_deal_boost()
}

/// A signed market whose logs and call records are cleared.
fn signed() -> BoostMarket {
    let mut m = BoostMarket::new();
    m.sign_all();
    m.host.vm.clear_mocks(); // the TestVM's logs only (mint events)
    m
}

/// `m` fails with `expected`, emitting nothing and writing nothing.
fn fails_without_trace(m: &mut BoostMarket, expected: Vec<u8>, what: &str) {
    let before = m.storage_snapshot();
    let logs = m.host.vm.get_emitted_logs().len();
    assert_eq!(m.match_boost(), Err(expected), "{what}");
    assert_eq!(m.storage_snapshot(), before, "{what}: storage written");
    assert_eq!(m.host.vm.get_emitted_logs().len(), logs, "{what}: events emitted");
}

#[test]
fn full_match_records_the_packed_deal_consumes_locks_and_announces() {
    let mut m = signed();
    m.host.vm.set_sender(STRANGER);
    let deal_id = m.match_boost().unwrap();
    let [app_h, dataset_h, workerpool_h, request_h] = m.hashes();
    assert_eq!(deal_id, poco_core::ids::deal_id(&request_h, &U256::ZERO));
    assert_eq!(
        deal_of(&m, deal_id),
        DealBoost {
            appOwner: m.app_owner.address,
            appPrice: U96::from(3),
            datasetOwner: m.dataset_owner.address,
            datasetPrice: U96::from(2),
            workerpoolOwner: m.scheduler.address,
            workerpoolPrice: U96::from(100),
            requester: m.requester.address,
            workerReward: U96::from(95), // 100 * (100 - 5) / 100
            callback: Address::ZERO,
            deadline: alloy_primitives::aliases::U40::from(START + 7 * TIMEREF),
            botFirst: 0,
            botSize: 4,
            shortTag: FixedBytes([0, 0, 0x10]),
            sponsor: m.requester.address, // the requester pays; no sponsor slot written
        }
    );
    // A Boost deal is not a classic deal.
    assert!(!poco_storage(&m.host.handle()).deals.getter(deal_id).exists());
    let s = poco_storage(&m.host.handle());
    for h in [app_h, dataset_h, workerpool_h, request_h] {
        assert_eq!(s.consumed.get(h), u(4));
    }
    // Payer: (3 + 2 + 100) * 4 = 420; scheduler: (100 * 30 / 100) * 4 = 120.
    assert_eq!(m.account(m.requester.address), (u(FUNDS - 420), u(420)));
    assert_eq!(m.account(m.scheduler.address), (u(FUNDS - 120), u(120)));
    assert_eq!(m.account(HUB), (u(540), U256::ZERO));

    let logs = m.host.vm.get_emitted_logs();
    assert_eq!(logs.len(), 6);
    let transfer = Transfer::decode_raw_log(logs[0].0.clone(), &logs[0].1).unwrap();
    assert_eq!((transfer.from, transfer.to, transfer.value), (m.requester.address, HUB, u(420)));
    let lock = Lock::decode_raw_log(logs[1].0.clone(), &logs[1].1).unwrap();
    assert_eq!((lock.owner, lock.amount), (m.requester.address, u(420)));
    let transfer = Transfer::decode_raw_log(logs[2].0.clone(), &logs[2].1).unwrap();
    assert_eq!((transfer.from, transfer.to, transfer.value), (m.scheduler.address, HUB, u(120)));
    let lock = Lock::decode_raw_log(logs[3].0.clone(), &logs[3].1).unwrap();
    assert_eq!((lock.owner, lock.amount), (m.scheduler.address, u(120)));
    // SchedulerNoticeBoost, byte for byte as alloy encodes it.
    let notice = SchedulerNoticeBoost {
        workerpool: WORKERPOOL,
        dealId: deal_id,
        app: APP,
        dataset: DATASET,
        category: U256::ZERO,
        tag: B256::with_last_byte(0x10),
        params: m.request.params.clone(),
        beneficiary: BENEFICIARY,
    };
    let expected = notice.encode_log_data();
    assert_eq!(logs[4].0, expected.topics().to_vec());
    assert_eq!(logs[4].1, expected.data.to_vec());
    assert_eq!(logs[5].0, vec![OrdersMatched::SIGNATURE_HASH]);
    let matched: Vec<u8> = [deal_id, app_h, dataset_h, workerpool_h, request_h, u(4).into()].concat();
    assert_eq!(logs[5].1, matched);
    // PoCo's event signatures.
    assert_eq!(
        SchedulerNoticeBoost::SIGNATURE_HASH,
        keccak256("SchedulerNoticeBoost(address,bytes32,address,address,uint256,bytes32,string,address)")
    );
    assert_eq!(
        OrdersMatched::SIGNATURE_HASH,
        keccak256("OrdersMatched(bytes32,bytes32,bytes32,bytes32,bytes32,uint256)")
    );
    assert_eq!(DealSponsoredBoost::SIGNATURE_HASH, keccak256("DealSponsoredBoost(bytes32,address)"));
}

#[test]
fn scheduler_notice_encodes_every_params_length() {
    for len in [0usize, 1, 31, 32, 33, 110] {
        let mut m = BoostMarket::new();
        m.request.params = "x".repeat(len);
        m.sign_all();
        m.host.vm.clear_mocks();
        let deal_id = m.match_boost().unwrap();
        let logs = m.host.vm.get_emitted_logs();
        let decoded = SchedulerNoticeBoost::decode_raw_log(logs[4].0.clone(), &logs[4].1).unwrap();
        assert_eq!((decoded.dealId, decoded.params.len()), (deal_id, len));
        // Decoded then re-encoded by alloy: our encoding is the canonical one.
        assert_eq!(logs[4].1, decoded.encode_log_data().data.to_vec(), "params of {len} bytes");
    }
}

#[test]
fn dataset_less_deal_locks_no_dataset_price() {
    let mut m = BoostMarket::new();
    m.without_dataset();
    // A "no dataset" order with a price (and a request accepting it): PoCo Boost would lock
    // it and never release it; the deal's dataset price is 0, and so is what is locked.
    m.dataset.datasetprice = u(2);
    m.request.datasetmaxprice = u(2);
    m.sign_all();
    m.host.vm.clear_mocks();
    let deal_id = m.match_boost().unwrap();
    let deal = deal_of(&m, deal_id);
    assert_eq!((deal.datasetOwner, deal.datasetPrice), (Address::ZERO, U96::ZERO));
    assert_eq!(m.account(m.requester.address).1, u(103 * 4));
    let logs = m.host.vm.get_emitted_logs();
    let matched = OrdersMatched::decode_raw_log(logs[5].0.clone(), &logs[5].1).unwrap();
    assert_eq!(matched.datasetHash, B256::ZERO);
    let notice = SchedulerNoticeBoost::decode_raw_log(logs[4].0.clone(), &logs[4].1).unwrap();
    assert_eq!(notice.dataset, Address::ZERO);
    // Nothing consumed of the dummy dataset order, nothing asked of the dataset side.
    assert_eq!(poco_storage(&m.host.handle()).consumed.get(m.dataset.typed_data_hash(&m.domain)), U256::ZERO);
    assert_eq!(poco_storage(&m.host.handle()).consumed.get(B256::ZERO), U256::ZERO);
    assert!(m.host.calls_made().iter().all(|(to, _)| *to != DATASET && *to != DATASET_REGISTRY));
    // The dataset price of a dataset-less order is not narrowed: any price is accepted.
    let mut m = BoostMarket::new();
    m.without_dataset();
    m.dataset.datasetprice = U256::MAX;
    m.request.datasetmaxprice = U256::MAX;
    m.sign_all();
    m.match_boost().unwrap();
}

#[test]
fn sponsored_match_is_paid_by_the_sender() {
    let sponsor = Address::repeat_byte(0x59);
    let mut m = signed();
    m.mint(sponsor, 500);
    m.host.vm.clear_mocks();
    m.host.vm.set_sender(sponsor);
    let deal_id = m.sponsor_match_boost().unwrap();
    assert_eq!(deal_of(&m, deal_id).sponsor, sponsor);
    assert_eq!(deal_of(&m, deal_id).requester, m.requester.address);
    assert_eq!(m.account(sponsor), (u(80), u(420)));
    assert_eq!(m.account(m.requester.address), (u(FUNDS), U256::ZERO));
    let logs = m.host.vm.get_emitted_logs();
    assert_eq!(logs.len(), 7);
    assert_eq!(logs[6].0, vec![DealSponsoredBoost::SIGNATURE_HASH]);
    let sponsored = DealSponsoredBoost::decode_raw_log(logs[6].0.clone(), &logs[6].1).unwrap();
    assert_eq!((sponsored.dealId, sponsored.sponsor), (deal_id, sponsor));
    // The requester sponsoring its own request stores no sponsor, and still emits the event.
    let mut m = signed();
    m.host.vm.set_sender(m.requester.address);
    let deal_id = m.sponsor_match_boost().unwrap();
    assert_eq!(deal_of(&m, deal_id).sponsor, m.requester.address);
    assert_eq!(m.host.log_signatures().last(), Some(&DealSponsoredBoost::SIGNATURE_HASH));
}

#[test]
fn payers_without_funds_cannot_match() {
    let exceeds = reason("IexecEscrow: Transfer amount exceeds balance");
    // The requester: 105 * 10 > 1000.
    let mut m = BoostMarket::new();
    for v in [&mut m.app.volume, &mut m.dataset.volume, &mut m.workerpool.volume, &mut m.request.volume] {
        *v = u(10);
    }
    m.sign_all();
    assert_eq!(m.match_boost(), Err(exceeds.clone()));
    // The scheduler: 30 * 4 = 120 > 100.
    let mut m = BoostMarket::new();
    m.sign_all();
    {
        let vm = m.host.handle();
        let mut s = poco_storage(&vm);
        escrow::burn(&vm, &mut s, m.scheduler.address, u(FUNDS - 100)).unwrap();
    }
    assert_eq!(m.match_boost(), Err(exceeds.clone()));
    // A sponsor without funds.
    let mut m = signed();
    m.host.vm.set_sender(STRANGER);
    assert_eq!(m.sponsor_match_boost(), Err(exceeds));
}

#[test]
fn partial_consumption_gives_each_deal_its_bag() {
    let mut m = BoostMarket::new();
    m.request.volume = u(7);
    m.mint(m.requester.address, 1000);
    m.mint(m.scheduler.address, 1000);
    m.sign_all();
    let first = m.match_boost().unwrap();
    assert_eq!((deal_of(&m, first).botFirst, deal_of(&m, first).botSize), (0, 5));
    assert_eq!(m.match_boost(), Err(reason("PocoBoost: One or more orders consumed")));
    m.workerpool.salt = B256::repeat_byte(2);
    m.sign_all();
    let second = m.match_boost().unwrap();
    let request_h = m.hashes()[3];
    assert_eq!(second, poco_core::ids::deal_id(&request_h, &u(5)));
    assert_eq!((deal_of(&m, second).botFirst, deal_of(&m, second).botSize), (5, 2));
}

/// `(what PoCo reverts with, how to break the signed orders)` for each of the 28 checks.
type Breaker = fn(&mut BoostMarket);

fn unregister(m: &mut BoostMarket, registry: Address, asset: Address) {
    m.host.mock(registry, token_owner(asset), Err(reason("ERC721: owner query for nonexistent token")));
    m.host.mock(registry, isRegisteredCall { entry: asset }.abi_encode(), Ok(word(0)));
}

#[test]
fn each_of_the_28_match_checks_reverts_with_its_boost_reason_and_writes_nothing() {
    let cases: [Breaker; 28] = [
        |m| m.request.category = u(1),
        |m| {
            m.request.category = u(1);
            m.workerpool.category = u(1);
        },
        |m| m.request.trust = u(2),
        |m| m.request.appmaxprice = u(2),
        |m| m.request.datasetmaxprice = u(1),
        |m| m.request.workerpoolmaxprice = u(99),
        |m| m.request.tag = B256::with_last_byte(0x20),
        |m| m.request.tag = B256::with_last_byte(0x01),
        |m| m.request.app = STRANGER,
        |m| m.request.dataset = STRANGER,
        |m| m.request.workerpool = STRANGER,
        |m| m.app.datasetrestrict = STRANGER,
        |m| m.app.workerpoolrestrict = STRANGER,
        |m| m.app.requesterrestrict = STRANGER,
        |m| m.dataset.apprestrict = STRANGER,
        |m| m.dataset.workerpoolrestrict = STRANGER,
        |m| m.dataset.requesterrestrict = STRANGER,
        |m| m.workerpool.apprestrict = STRANGER,
        |m| m.workerpool.datasetrestrict = STRANGER,
        |m| m.workerpool.requesterrestrict = STRANGER,
        |m| unregister(m, APP_REGISTRY, APP),
        |m| m.app.sign = m.sign_for(&Signer::new(9), &m.app.typed_data_hash(&m.domain), false),
        |m| unregister(m, DATASET_REGISTRY, DATASET),
        |m| m.dataset.sign = m.sign_for(&Signer::new(9), &m.dataset.typed_data_hash(&m.domain), true),
        |m| unregister(m, WORKERPOOL_REGISTRY, WORKERPOOL),
        |m| m.workerpool.sign = m.sign_for(&Signer::new(9), &m.workerpool.typed_data_hash(&m.domain), false),
        |m| m.request.sign = m.sign_for(&Signer::new(9), &m.request.typed_data_hash(&m.domain), true),
        |m| {
            let h = m.hashes()[2];
            poco_storage(&m.host.handle()).consumed.setter(h).set(m.workerpool.volume);
        },
    ];
    let mut seen = Vec::new();
    for (breaker, expected) in cases.into_iter().zip(BOOST_MATCH_REASONS.all()) {
        let mut m = BoostMarket::new();
        m.sign_all();
        breaker(&mut m);
        m.host.vm.clear_mocks();
        fails_without_trace(&mut m, reason(expected), expected);
        seen.push(expected);
    }
    assert_eq!(seen.len(), 28);
    assert!(seen.iter().all(|r| r.starts_with("PocoBoost: ")));
}

#[test]
fn boost_trust_rule_ignores_the_workerpool_trust() {
    // Trust 1 and 0 match, whatever the workerpool order's trust (even 0).
    for (request_trust, workerpool_trust) in [(1u64, 0u64), (0, 0), (1, 5)] {
        let mut m = BoostMarket::new();
        m.request.trust = u(request_trust);
        m.workerpool.trust = u(workerpool_trust);
        m.sign_all();
        assert!(m.match_boost().is_ok(), "request {request_trust}, workerpool {workerpool_trust}");
    }
    // Trust is Boost's first check: a bad category too still reports the trust.
    let mut m = BoostMarket::new();
    m.request.trust = u(3);
    m.request.category = u(9);
    m.sign_all();
    fails_without_trace(&mut m, reason("PocoBoost: Bad trust level"), "trust first");
}

#[test]
fn the_dataset_tag_is_not_masked() {
    // A TEE + TDX dataset (0x09) for a TEE + Scone app on a TEE + Scone workerpool: classic
    // ignores the TDX bit; Boost asks the workerpool for it.
    let tee_tdx = B256::with_last_byte(0x09);
    let mut m = BoostMarket::new();
    m.dataset.tag = tee_tdx;
    m.app.tag = B256::with_last_byte(0x03);
    m.workerpool.tag = B256::with_last_byte(0x13);
    m.sign_all();
    fails_without_trace(&mut m, reason("PocoBoost: Workerpool tag does not match demand"), "TDX bit");
    m.workerpool.tag = B256::with_last_byte(0x1b);
    m.sign_all();
    let deal_id = m.match_boost().unwrap();
    assert_eq!(deal_of(&m, deal_id).shortTag, FixedBytes([0, 0, 0x1b]));
}

#[test]
fn registration_is_asked_before_the_owner() {
    // An entry the registry has no token for and does not know: PoCo Boost asks
    // `isRegistered` first and never calls the asset's `owner()`.
    let mut m = signed();
    unregister(&mut m, APP_REGISTRY, APP);
    m.host.vm.set_code(APP, vec![]); // not even a contract
    assert_eq!(m.match_boost(), Err(reason("PocoBoost: App not registered")));
    assert!(!m.host.calls_made().iter().any(|(to, data)| *to == APP && *data == ownerCall {}.abi_encode()));
    // An entry of a previous registry (no token here, but registered): `owner()` after.
    let mut m = signed();
    m.host.mock(APP_REGISTRY, token_owner(APP), Err(vec![]));
    let deal_id = m.match_boost().unwrap();
    let calls = m.host.calls_made();
    let registered = calls.iter().position(|(to, d)| *to == APP_REGISTRY && *d == isRegisteredCall { entry: APP }.abi_encode());
    let owner = calls.iter().position(|(to, d)| *to == APP && *d == ownerCall {}.abi_encode());
    assert!(registered.unwrap() < owner.unwrap());
    assert_eq!(deal_of(&m, deal_id).appOwner, m.app_owner.address);
    // A registered entry costs one registry call and no `owner()`.
    let mut m = signed();
    m.match_boost().unwrap();
    let calls = m.host.calls_made();
    assert_eq!(calls.iter().filter(|(to, _)| *to == APP_REGISTRY).count(), 1);
    assert!(!calls.iter().any(|(to, _)| *to == APP));
}

#[test]
fn empty_and_presigned_signatures() {
    let mut m = signed();
    m.workerpool.sign = Default::default();
    fails_without_trace(&mut m, reason("invalid-signature-format"), "empty EOA signature");
    let hash = m.hashes()[2];
    poco_storage(&m.host.handle()).presigned.setter(hash).set(m.scheduler.address);
    m.match_boost().unwrap();
}

#[test]
fn erc734_group_restriction_admits_its_members() {
    let group = Address::repeat_byte(0x34);
    let key = |a: Address| {
        poco_hub_base::signatures::keyHasPurposeCall { key: a.into_word(), purpose: u(4) }.abi_encode()
    };
    let mut m = BoostMarket::new();
    m.host.set_contract(group);
    m.dataset.requesterrestrict = group;
    m.host.mock(group, key(m.requester.address), Ok(word(0)));
    m.sign_all();
    fails_without_trace(&mut m, reason("PocoBoost: Requester restricted by dataset order"), "not a member");
    m.host.mock(group, key(m.requester.address), Ok(word(1)));
    m.match_boost().unwrap();
}

#[test]
fn narrowing_fails_with_safecasts_error_in_pocos_order() {
    let beyond96 = U256::from(1) << 96;
    // `(expected revert, break the orders)`, all before any write.
    let cases: [(Vec<u8>, Breaker); 7] = [
        (downcast(96, U256::from(1) << 96), |m| {
            m.app.appprice = U256::from(1) << 96;
            m.request.appmaxprice = U256::MAX;
            // Also an oversized workerpool price: the app's is narrowed first.
            m.workerpool.workerpoolprice = U256::MAX;
            m.request.workerpoolmaxprice = U256::MAX;
        }),
        (downcast(96, U256::MAX), |m| {
            m.workerpool.workerpoolprice = U256::MAX;
            m.request.workerpoolmaxprice = U256::MAX;
        }),
        (Panic { code: u(0x11) }.abi_encode(), |m| {
            m.host.mock(WORKERPOOL, m_schedulerRewardRatioPolicyCall {}.abi_encode(), Ok(word(101)));
        }),
        (downcast(16, u(65_536)), |m| {
            m.request.volume = u(70_000);
            let h = m.hashes()[3];
            poco_storage(&m.host.handle()).consumed.setter(h).set(u(65_536));
        }),
        (Panic { code: u(0x11) }.abi_encode(), |m| {
            poco_storage(&m.host.handle()).categories.setter(0).unwrap().work_clock_time_ref.set(U256::MAX);
        }),
        (downcast(40, u(START + 7 * (1 << 40))), |m| {
            poco_storage(&m.host.handle()).categories.setter(0).unwrap().work_clock_time_ref.set(u(1 << 40));
        }),
        (downcast(16, u(65_536)), |m| {
            for v in [&mut m.app.volume, &mut m.dataset.volume, &mut m.workerpool.volume, &mut m.request.volume] {
                *v = u(65_536);
            }
        }),
    ];
    for (i, (expected, breaker)) in cases.into_iter().enumerate() {
        let mut m = BoostMarket::new();
        breaker(&mut m);
        m.sign_all();
        m.host.vm.clear_mocks();
        fails_without_trace(&mut m, expected, &format!("case {i}"));
    }
    // The dataset price, last.
    let mut m = BoostMarket::new();
    m.dataset.datasetprice = beyond96;
    m.request.datasetmaxprice = beyond96;
    m.sign_all();
    fails_without_trace(&mut m, downcast(96, beyond96), "dataset price");
    // The largest values that fit are accepted: botSize 65,535.
    let mut m = BoostMarket::new();
    for v in [&mut m.app.volume, &mut m.dataset.volume, &mut m.workerpool.volume, &mut m.request.volume] {
        *v = u(65_535);
    }
    m.app.appprice = U256::ZERO;
    m.dataset.datasetprice = U256::ZERO;
    m.workerpool.workerpoolprice = U256::ZERO;
    m.sign_all();
    let deal_id = m.match_boost().unwrap();
    assert_eq!(deal_of(&m, deal_id).botSize, 65_535);
}

#[test]
fn a_workerpool_without_policy_reverts_as_solidity_does() {
    // No code: Solidity's extcodesize check, a bare revert; a reverting policy bubbles up.
    let mut m = signed();
    m.host.mock(WORKERPOOL, m_schedulerRewardRatioPolicyCall {}.abi_encode(), Err(b"no".to_vec()));
    fails_without_trace(&mut m, b"no".to_vec(), "reverting policy");
    m.host.mock(WORKERPOOL, m_schedulerRewardRatioPolicyCall {}.abi_encode(), Ok(vec![]));
    fails_without_trace(&mut m, vec![], "empty answer");
}

#[test]
fn fallback_rejects_unknown_selectors_bad_calldata_and_value() {
    let mut m = signed();
    assert_eq!(m.route(&[0xde, 0xad, 0xbe, 0xef]), Err(vec![]));
    assert_eq!(m.route(&[0x8a, 0x8b]), Err(vec![]));
    assert_eq!(m.route(&[]), Err(vec![]));
    // The classic selectors are not this facet's.
    assert_eq!(m.route(&poco_core::orders::matchOrdersCall::SELECTOR), Err(vec![]));
    let good = matchOrdersBoostCall {
        appOrder: m.app.clone(),
        datasetOrder: m.dataset.clone(),
        workerpoolOrder: m.workerpool.clone(),
        requestOrder: m.request.clone(),
    }
    .abi_encode();
    assert_eq!(m.route(&good[..good.len() - 1]), Err(vec![]));
    m.host.vm.set_value(u(1));
    assert_eq!(m.route(&good), Err(vec![]));
    assert_eq!(m.sponsor_match_boost(), Err(vec![]));
    m.host.vm.set_value(U256::ZERO);
    assert!(m.route(&good).is_ok());
}

/// A request order whose `params` are not UTF-8, validly signed over its raw bytes, matches
/// as in PoCo (which hashes a `string` without looking at it): the raw bytes are hashed and
/// consumed under that hash, and `SchedulerNoticeBoost` carries them unchanged (issue 11).
#[test]
fn non_utf8_params_match_and_are_announced_raw() {
    const MARK: &str = "params-not-utf8-xyz";
    let mut m = BoostMarket::new();
    m.request.params = MARK.into();
    m.sign_all();
    let mut raw = MARK.as_bytes().to_vec();
    raw[0] = 0xff;
    let hash = poco_core::eip712::typed_data_hash(
        &m.domain,
        &poco_core::eip712::request_order_struct_hash(&m.request, &raw),
    );
    m.request.sign = m.sign_for(&m.requester, &hash, true);
    let call = matchOrdersBoostCall {
        appOrder: m.app.clone(),
        datasetOrder: m.dataset.clone(),
        workerpoolOrder: m.workerpool.clone(),
        requestOrder: m.request.clone(),
    };
    let mut data = call.abi_encode();
    let at = data.windows(MARK.len()).position(|w| w == MARK.as_bytes()).unwrap();
    data[at] = 0xff;
    let out = m.route(&data).unwrap();
    let id = matchOrdersBoostCall::abi_decode_returns_validate(&out).unwrap();
    assert_eq!(id, deal_id(&hash, &U256::ZERO));
    assert_eq!(poco_storage(&m.host.handle()).consumed.get(hash), u(4));
    // The notice's params tail is the raw bytes (alloy's decoder would refuse them as a
    // `string`, so it is read at its ABI position: offset word, then length, then bytes).
    let logs = m.host.vm.get_emitted_logs();
    let notice = &logs.iter().find(|(topics, _)| topics[0] == SchedulerNoticeBoost::SIGNATURE_HASH).unwrap().1;
    let offset = usize::try_from(U256::from_be_slice(&notice[5 * 32..6 * 32])).unwrap();
    let len = usize::try_from(U256::from_be_slice(&notice[offset..offset + 32])).unwrap();
    assert_eq!(&notice[offset + 32..offset + 32 + len], raw.as_slice());
}
