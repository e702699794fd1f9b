//! Matching facet on a `MockHost`: a full match with real k256 signatures (the ecrecover
//! precompile mocked with the signer it would recover), each of PoCo's 28 checks with its
//! exact revert data, dataset-less deals, sponsoring, replays and closed orders, ERC-1271
//! and ERC-734, `computeDealVolume` and the eight `assertDatasetDealCompatibility` reasons.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use alloy_primitives::{address, keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{sol, Panic, Revert, SolCall, SolError, SolEvent};
use k256::ecdsa::{RecoveryId, Signature, SigningKey, VerifyingKey};
use poco_core::{
    eip712::domain_separator,
    signature::{ecrecover_input, parse_signature, ECRECOVER_PRECOMPILE},
};
use poco_hub_base::{
    calls::{isRegisteredCall, ownerCall, ownerOfCall},
    escrow::{Lock, Transfer},
    poco_storage,
    testing::MockHost,
};

use poco_core::orders::{
    assertDatasetDealCompatibilityCall, computeDealVolumeCall, matchOrdersCall, sponsorMatchOrdersCall, AppOrder,
    RequestOrder, WorkerpoolOrder,
};
use stylus_sdk::abi::Router;

use super::*;

sol! {
    function isValidSignature(bytes32 hash, bytes signature) returns (bytes4);
    function keyHasPurpose(bytes32 key, uint256 purpose) returns (bool);
}

const HUB: Address = address!("00000000000000000000000000000000000c0c00");
const APP: Address = address!("00000000000000000000000000000000000a0a00");
const DATASET: Address = address!("00000000000000000000000000000000000d0d00");
const WORKERPOOL: Address = address!("00000000000000000000000000000000000e0e00");
const APP_REGISTRY: Address = address!("000000000000000000000000000000000000a000");
const DATASET_REGISTRY: Address = address!("000000000000000000000000000000000000d000");
const WORKERPOOL_REGISTRY: Address = address!("000000000000000000000000000000000000e000");
const WALLET: Address = address!("0000000000000000000000000000000000001271");
const GROUP: Address = address!("0000000000000000000000000000000000000734");
const STRANGER: Address = address!("0000000000000000000000000000000000005555");
const SPONSOR: Address = address!("0000000000000000000000000000000000005905");
const BENEFICIARY: Address = address!("000000000000000000000000000000000000bef1");

/// An EOA with a k256 key.
struct Signer {
    key: SigningKey,
    address: Address,
}

impl Signer {
    fn new(seed: u8) -> Self {
        let key = SigningKey::from_bytes(&[seed; 32].into()).unwrap();
        let point = key.verifying_key().to_encoded_point(false);
        let address = Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..]);
        Self { key, address }
    }

    /// 65-byte `r ‖ s ‖ v` (compact 64-byte EIP-2098 when `compact`).
    fn sign(&self, hash: &B256, compact: bool) -> Vec<u8> {
        let (sig, recid) = self.key.sign_prehash_recoverable(hash.as_slice()).unwrap();
        let mut out = sig.to_bytes().to_vec();
        if compact {
            out[32] |= recid.to_byte() << 7;
        } else {
            out.push(27 + recid.to_byte());
        }
        out
    }
}

/// Mocks the ecrecover precompile for `(hash, sig)` with the signer it would recover.
fn mock_ecrecover(host: &MockHost, hash: &B256, sig: &[u8]) {
    let parsed = parse_signature(sig).unwrap();
    let signature = Signature::from_scalars(parsed.r.0, parsed.s.0).unwrap();
    let recid = RecoveryId::from_byte(parsed.v - 27).unwrap();
    let key = VerifyingKey::recover_from_prehash(hash.as_slice(), &signature, recid).unwrap();
    let point = key.to_encoded_point(false);
    let signer = Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..]);
    host.mock(ECRECOVER_PRECOMPILE, ecrecover_input(hash, &parsed).to_vec(), Ok(signer.into_word().to_vec()));
}

/// Calls the facet as its router does for an unknown selector: the value check of a
/// non-payable method, then the fallback.
fn route(facet: &mut MatchingFacet, calldata: &[u8]) -> ArbResult {
    <MatchingFacet as Router<MatchingFacet>>::fallback(facet, calldata).unwrap()
}

fn word(v: u64) -> Vec<u8> {
    U256::from(v).to_be_bytes::<32>().to_vec()
}

/// What our Workerpool's `policies()` returns.
fn policies(stake: U256, scheduler: U256) -> Vec<u8> {
    [stake.to_be_bytes::<32>(), scheduler.to_be_bytes::<32>()].concat()
}

fn reason(r: &str) -> Vec<u8> {
    Revert::from(r).abi_encode()
}

fn incompatible(r: &str) -> Vec<u8> {
    IncompatibleDatasetOrder { reason: r.into() }.abi_encode()
}

struct Fixture {
    host: MockHost,
    facet: MatchingFacet,
    domain: B256,
    app_owner: Signer,
    dataset_owner: Signer,
    workerpool_owner: Signer,
    requester: Signer,
    app: AppOrder,
    dataset: DatasetOrder,
    workerpool: WorkerpoolOrder,
    request: RequestOrder,
}

impl Fixture {
    /// Registered assets, owners, policies (stake 35%, scheduler 5%), one category, funded
    /// requester and scheduler, and compatible orders: volume 4 = min(10, 10, 5, 4).
    fn new() -> Self {
        let host = MockHost::default();
        host.vm.set_contract_address(HUB);
        host.vm.set_block_timestamp(1_700_000_000);
        let domain = domain_separator(host.vm.chain_id(), &HUB);
        let (app_owner, dataset_owner, workerpool_owner, requester) =
            (Signer::new(1), Signer::new(2), Signer::new(3), Signer::new(4));
        {
            let vm = host.handle();
            let mut s = poco_storage(&vm);
            s.domain_separator.set(domain);
            s.app_registry.set(APP_REGISTRY);
            s.dataset_registry.set(DATASET_REGISTRY);
            s.workerpool_registry.set(WORKERPOOL_REGISTRY);
            s.categories.grow().work_clock_time_ref.set(U256::from(300));
            escrow::mint(&vm, &mut s, requester.address, U256::from(1000)).unwrap();
            escrow::mint(&vm, &mut s, workerpool_owner.address, U256::from(1000)).unwrap();
        }
        let app = AppOrder { app: APP, appprice: U256::from(3), volume: U256::from(10), ..Default::default() };
        let dataset = DatasetOrder { dataset: DATASET, datasetprice: U256::from(2), volume: U256::from(10), ..Default::default() };
        let workerpool = WorkerpoolOrder {
            workerpool: WORKERPOOL,
            workerpoolprice: U256::from(10),
            volume: U256::from(5),
            trust: U256::from(1),
            tag: B256::with_last_byte(0x11),
            ..Default::default()
        };
        let request = RequestOrder {
            app: APP,
            appmaxprice: U256::from(3),
            dataset: DATASET,
            datasetmaxprice: U256::from(2),
            workerpoolmaxprice: U256::from(10),
            requester: requester.address,
            volume: U256::from(4),
            tag: B256::with_last_byte(0x10),
            trust: U256::ZERO,
            beneficiary: BENEFICIARY,
            params: "{\"iexec_args\":\"42\"}".into(),
            ..Default::default()
        };
        let facet = MatchingFacet::from(&host);
        let f = Self {
            host,
            facet,
            domain,
            app_owner,
            dataset_owner,
            workerpool_owner,
            requester,
            app,
            dataset,
            workerpool,
            request,
        };
        f.mock_world();
        f
    }

    fn mock_world(&self) {
        let h = &self.host;
        for (asset, owner, registry) in [
            (APP, self.app_owner.address, APP_REGISTRY),
            (DATASET, self.dataset_owner.address, DATASET_REGISTRY),
            (WORKERPOOL, self.workerpool_owner.address, WORKERPOOL_REGISTRY),
        ] {
            h.set_contract(asset);
            h.set_contract(registry);
            h.mock(asset, ownerCall {}.abi_encode(), Ok(owner.into_word().to_vec()));
            h.mock(registry, isRegisteredCall { entry: asset }.abi_encode(), Ok(word(1)));
            h.mock(registry, token_owner(asset), Ok(owner.into_word().to_vec()));
        }
        // Our Workerpool answers `policies()`; PoCo's two views are what a Solidity one answers.
        h.mock(WORKERPOOL, policiesCall {}.abi_encode(), Ok(policies(U256::from(35), U256::from(5))));
    }

    /// The workerpool is PoCo's Solidity one: no `policies()` (its dispatcher reverts), the
    /// two views answer `(stake, scheduler)`.
    fn solidity_workerpool(&self, stake: u64, scheduler: u64) {
        let h = &self.host;
        h.mock(WORKERPOOL, policiesCall {}.abi_encode(), Err(Vec::new()));
        h.mock(WORKERPOOL, m_workerStakeRatioPolicyCall {}.abi_encode(), Ok(word(stake)));
        h.mock(WORKERPOOL, m_schedulerRewardRatioPolicyCall {}.abi_encode(), Ok(word(scheduler)));
    }

    /// Signs the four orders with their owners' keys (app and workerpool 65 bytes, dataset
    /// and request 64 bytes) and mocks the precompile accordingly.
    fn sign_all(&mut self) {
        let d = self.domain;
        self.app.sign = self.sign_for(&self.app_owner, &self.app.typed_data_hash(&d), false);
        self.dataset.sign = self.sign_for(&self.dataset_owner, &self.dataset.typed_data_hash(&d), true);
        self.workerpool.sign = self.sign_for(&self.workerpool_owner, &self.workerpool.typed_data_hash(&d), false);
        self.request.sign = self.sign_for(&self.requester, &self.request.typed_data_hash(&d), true);
    }

    fn sign_for(&self, signer: &Signer, hash: &B256, compact: bool) -> Bytes {
        let sig = signer.sign(hash, compact);
        mock_ecrecover(&self.host, hash, &sig);
        sig.into()
    }

    fn without_dataset(&mut self) {
        self.dataset = DatasetOrder::default();
        self.request.dataset = Address::ZERO;
    }

    /// `matchOrders` through the fallback, with calldata from core's `matchOrdersCall`.
    fn run(&mut self) -> Result<B256, Vec<u8>> {
        let call = matchOrdersCall {
            _0: self.app.clone(),
            _1: self.dataset.clone(),
            _2: self.workerpool.clone(),
            _3: self.request.clone(),
        };
        let out = route(&mut self.facet, &call.abi_encode())?;
        Ok(matchOrdersCall::abi_decode_returns_validate(&out).unwrap())
    }

    /// `sponsorMatchOrders` through the fallback.
    fn sponsor(&mut self) -> Result<B256, Vec<u8>> {
        let call = sponsorMatchOrdersCall {
            _0: self.app.clone(),
            _1: self.dataset.clone(),
            _2: self.workerpool.clone(),
            _3: self.request.clone(),
        };
        let out = route(&mut self.facet, &call.abi_encode())?;
        Ok(sponsorMatchOrdersCall::abi_decode_returns_validate(&out).unwrap())
    }

    /// `computeDealVolume` through the fallback.
    fn compute_volume(&mut self) -> Result<U256, Vec<u8>> {
        let call = computeDealVolumeCall {
            appOrder: self.app.clone(),
            datasetOrder: self.dataset.clone(),
            workerpoolOrder: self.workerpool.clone(),
            requestOrder: self.request.clone(),
        };
        let out = route(&mut self.facet, &call.abi_encode())?;
        Ok(computeDealVolumeCall::abi_decode_returns_validate(&out).unwrap())
    }

    /// `assertDatasetDealCompatibility` through the fallback (returns nothing).
    fn assert_compatible(&mut self, order: &DatasetOrder, deal: B256) -> Result<(), Vec<u8>> {
        let call = assertDatasetDealCompatibilityCall { datasetOrder: order.clone(), dealId: deal };
        let out = route(&mut self.facet, &call.abi_encode())?;
        assert!(out.is_empty());
        Ok(())
    }

    fn hashes(&self) -> [B256; 4] {
        let d = self.domain;
        [
            self.app.typed_data_hash(&d),
            self.dataset.typed_data_hash(&d),
            self.workerpool.typed_data_hash(&d),
            self.request.typed_data_hash(&d),
        ]
    }

    fn storage(&self) -> PocoStorage {
        poco_storage(self.facet.vm())
    }

    fn balance(&self, account: Address) -> (U256, U256) {
        let s = self.storage();
        let record = s.accounts.getter(account);
        (record.balance(), record.frozen())
    }
}

#[test]
fn full_match_with_dataset_and_eoa_signatures() {
    let mut f = Fixture::new();
    f.sign_all();
    f.host.vm.clear_mocks(); // the TestVM's logs only (mint events)
    f.host.vm.set_sender(STRANGER);
    let dealid = f.run().unwrap();
    let [app_h, dataset_h, workerpool_h, request_h] = f.hashes();
    assert_eq!(dealid, deal_id(&request_h, &U256::ZERO));

    let deal = f.storage().deals.getter(dealid).to_deal();
    assert_eq!(deal.app, Resource { pointer: APP, owner: f.app_owner.address, price: U256::from(3) });
    assert_eq!(deal.dataset, Resource { pointer: DATASET, owner: f.dataset_owner.address, price: U256::from(2) });
    assert_eq!(deal.workerpool, Resource { pointer: WORKERPOOL, owner: f.workerpool_owner.address, price: U256::from(10) });
    assert_eq!(deal.trust, U256::from(1)); // max(0, 1)
    assert_eq!(deal.category, U256::ZERO);
    assert_eq!(deal.tag, B256::with_last_byte(0x10));
    assert_eq!((deal.requester, deal.beneficiary, deal.callback), (f.requester.address, BENEFICIARY, Address::ZERO));
    assert_eq!(deal.params, f.request.params);
    assert_eq!(deal.startTime, U256::from(1_700_000_000));
    assert_eq!((deal.botFirst, deal.botSize), (U256::ZERO, U256::from(4)));
    assert_eq!(deal.workerStake, U256::from(3)); // 10 * 35 / 100
    assert_eq!(deal.schedulerRewardRatio, U256::from(5));
    assert_eq!(deal.sponsor, f.requester.address);

    let s = f.storage();
    for h in [app_h, dataset_h, workerpool_h, request_h] {
        assert_eq!(s.consumed.get(h), U256::from(4));
    }
    // Sponsor: (3 + 2 + 10) * 4 = 60; scheduler: (10 * 30 / 100) * 4 = 12.
    assert_eq!(f.balance(f.requester.address), (U256::from(940), U256::from(60)));
    assert_eq!(f.balance(f.workerpool_owner.address), (U256::from(988), U256::from(12)));
    assert_eq!(f.balance(HUB), (U256::from(72), U256::ZERO));

    let logs = f.host.vm.get_emitted_logs();
    assert_eq!(logs.len(), 6);
    let transfer = Transfer::decode_raw_log(logs[0].0.clone(), &logs[0].1).unwrap();
    assert_eq!((transfer.from, transfer.to, transfer.value), (f.requester.address, HUB, U256::from(60)));
    let lock = Lock::decode_raw_log(logs[1].0.clone(), &logs[1].1).unwrap();
    assert_eq!((lock.owner, lock.amount), (f.requester.address, U256::from(60)));
    let transfer = Transfer::decode_raw_log(logs[2].0.clone(), &logs[2].1).unwrap();
    assert_eq!((transfer.from, transfer.value), (f.workerpool_owner.address, U256::from(12)));
    let lock = Lock::decode_raw_log(logs[3].0.clone(), &logs[3].1).unwrap();
    assert_eq!((lock.owner, lock.amount), (f.workerpool_owner.address, U256::from(12)));
    assert_eq!(logs[4].0, vec![SchedulerNotice::SIGNATURE_HASH, WORKERPOOL.into_word()]);
    assert_eq!(logs[4].1, dealid.to_vec());
    assert_eq!(logs[5].0, vec![OrdersMatched::SIGNATURE_HASH]);
    let expected: Vec<u8> = [dealid, app_h, dataset_h, workerpool_h, request_h, U256::from(4).into()].concat();
    assert_eq!(logs[5].1, expected);
    assert_eq!(
        SchedulerNotice::SIGNATURE_HASH,
        keccak256("SchedulerNotice(address,bytes32)"),
        "event signatures are PoCo's"
    );
    assert_eq!(OrdersMatched::SIGNATURE_HASH, keccak256("OrdersMatched(bytes32,bytes32,bytes32,bytes32,bytes32,uint256)"));
}

#[test]
fn dataset_less_deal() {
    let mut f = Fixture::new();
    f.without_dataset();
    f.request.datasetmaxprice = U256::ZERO;
    f.sign_all();
    f.host.vm.clear_mocks();
    let dealid = f.run().unwrap();
    let deal = f.storage().deals.getter(dealid).to_deal();
    assert_eq!(deal.dataset, Resource::default());
    let logs = f.host.vm.get_emitted_logs();
    let matched = OrdersMatched::decode_raw_log(logs[5].0.clone(), &logs[5].1).unwrap();
    assert_eq!(matched.datasetHash, B256::ZERO);
    assert_eq!(matched.volume, U256::from(4));
    // (3 + 0 + 10) * 4.
    assert_eq!(f.balance(f.requester.address).1, U256::from(52));
    assert_eq!(f.storage().consumed.get(B256::ZERO), U256::ZERO);
    // The dataset owner and registry were never asked.
    assert!(f.host.calls_made().iter().all(|(to, _)| *to != DATASET && *to != DATASET_REGISTRY));
}

#[test]
fn replay_of_a_consumed_order_and_partial_consumption() {
    let mut f = Fixture::new();
    f.request.volume = U256::from(7);
    f.sign_all();
    let first = f.run().unwrap();
    // The workerpool order (5) was the limit; the request keeps 2 for another workerpool order.
    let [_, _, workerpool_h, request_h] = f.hashes();
    assert_eq!(f.storage().consumed.get(workerpool_h), U256::from(5));
    assert_eq!(f.run(), Err(reason("iExecV5-matchOrders-0x60")));
    f.workerpool.salt = B256::repeat_byte(2);
    f.sign_all();
    let second = f.run().unwrap();
    assert_ne!(first, second);
    assert_eq!(second, deal_id(&request_h, &U256::from(5)));
    let deal = f.storage().deals.getter(second).to_deal();
    assert_eq!((deal.botFirst, deal.botSize), (U256::from(5), U256::from(2)));
    assert_eq!(f.storage().consumed.get(request_h), U256::from(7));
    assert_eq!(f.run(), Err(reason("iExecV5-matchOrders-0x60")));
}

#[test]
fn closed_orders_cannot_match() {
    for which in 0..4 {
        let mut f = Fixture::new();
        f.sign_all();
        let hash = f.hashes()[which];
        let volume = [f.app.volume, f.dataset.volume, f.workerpool.volume, f.request.volume][which];
        f.storage().consumed.setter(hash).set(volume); // what manage*Order(CLOSE) writes
        assert_eq!(f.run(), Err(reason("iExecV5-matchOrders-0x60")), "order {which}");
    }
}

#[test]
fn sponsor_match_orders_is_paid_by_the_sender() {
    let mut f = Fixture::new();
    {
        let vm = f.host.handle();
        escrow::mint(&vm, &mut poco_storage(&vm), SPONSOR, U256::from(100)).unwrap();
    }
    f.sign_all();
    f.host.vm.clear_mocks();
    f.host.vm.set_sender(SPONSOR);
    let dealid = f.sponsor().unwrap();
    assert_eq!(f.storage().deals.getter(dealid).to_deal().sponsor, SPONSOR);
    assert_eq!(f.balance(SPONSOR), (U256::from(40), U256::from(60)));
    assert_eq!(f.balance(f.requester.address), (U256::from(1000), U256::ZERO));
    let logs = f.host.vm.get_emitted_logs();
    assert_eq!(logs.len(), 7);
    assert_eq!(logs[6].0, vec![DealSponsored::SIGNATURE_HASH]);
    let sponsored = DealSponsored::decode_raw_log(logs[6].0.clone(), &logs[6].1).unwrap();
    assert_eq!((sponsored.dealId, sponsored.sponsor), (dealid, SPONSOR));
    // Unfunded sender.
    f.host.vm.set_sender(STRANGER);
    f.request.salt = B256::repeat_byte(9);
    f.sign_all();
    assert_eq!(
        f.sponsor(),
        Err(reason("IexecEscrow: Transfer amount exceeds balance"))
    );
}

#[test]
fn requester_without_funds_cannot_match() {
    let mut f = Fixture::new();
    f.request.volume = U256::from(100);
    f.app.volume = U256::from(100);
    f.dataset.volume = U256::from(100);
    f.workerpool.volume = U256::from(100);
    f.sign_all();
    // 15 * 100 = 1500 > 1000.
    assert_eq!(f.run(), Err(reason("IexecEscrow: Transfer amount exceeds balance")));
}

/// A price of 2^96 or more is recorded exactly and the match reaches the lock, as in PoCo:
/// an unfunded sponsor gets `IexecEscrow: Transfer amount exceeds balance`, not a panic of
/// the packed deal (issue 9, item 4); a funded one gets the deal, and its worker stake
/// (35 % of a workerpool price above 2^96) is exact too (item 3).
#[test]
fn prices_above_uint96_reach_the_lock() {
    let two = |n: usize| U256::from(1) << n;
    let mut f = Fixture::new();
    f.app.appprice = two(96);
    f.request.appmaxprice = two(96);
    f.sign_all();
    assert_eq!(f.run(), Err(reason("IexecEscrow: Transfer amount exceeds balance")));

    let (app, dataset, pool) = (two(96) + U256::from(1), two(100) + U256::from(7), two(97) + U256::from(3));
    let mut f = Fixture::new();
    (f.app.appprice, f.request.appmaxprice) = (app, app);
    (f.dataset.datasetprice, f.request.datasetmaxprice) = (dataset, dataset);
    (f.workerpool.workerpoolprice, f.request.workerpoolmaxprice) = (pool, pool);
    let volume = U256::from(4);
    let payment = (app + dataset + pool) * volume;
    let stake = pool * U256::from(30) / U256::from(100) * volume;
    {
        let vm = f.host.handle();
        let mut s = poco_storage(&vm);
        escrow::mint(&vm, &mut s, f.requester.address, payment).unwrap();
        escrow::mint(&vm, &mut s, f.workerpool_owner.address, stake).unwrap();
    }
    f.sign_all();
    let dealid = f.run().unwrap();
    let deal = f.storage().deals.getter(dealid).to_deal();
    assert_eq!((deal.app.price, deal.dataset.price, deal.workerpool.price), (app, dataset, pool));
    assert_eq!(deal.workerStake, pool * U256::from(35) / U256::from(100));
    assert_eq!(deal.botSize, volume);
    assert_eq!(f.balance(f.requester.address), (U256::from(1000), payment));
    assert_eq!(f.balance(f.workerpool_owner.address), (U256::from(1000), stake));
}

/// PoCo accepts any trust (only `request.trust <= workerpool.trust` is checked) and any
/// worker stake ratio (`changePolicy` bounds the scheduler's ratio only): both are recorded
/// exactly, beyond the 12 bytes they take in the packed deal (issue 9, item 3).
#[test]
fn trust_and_worker_stake_beyond_uint96_are_recorded_exactly() {
    let mut f = Fixture::new();
    let trust = (U256::from(1) << 200) - U256::from(1);
    f.workerpool.trust = U256::MAX;
    f.request.trust = trust;
    let ratio: U256 = U256::from(1) << 200;
    f.host.mock(WORKERPOOL, policiesCall {}.abi_encode(), Ok(policies(ratio, U256::from(5))));
    f.sign_all();
    let dealid = f.run().unwrap();
    let deal = f.storage().deals.getter(dealid).to_deal();
    assert_eq!(deal.trust, trust);
    assert_eq!(deal.workerStake, U256::from(10) * ratio / U256::from(100));
    // A stake ratio whose product overflows panics, as PoCo's checked `price * ratio`.
    let mut f = Fixture::new();
    f.host.mock(WORKERPOOL, policiesCall {}.abi_encode(), Ok(policies(U256::MAX, U256::from(5))));
    f.sign_all();
    assert_eq!(f.run(), Err(Panic { code: U256::from(0x11) }.abi_encode()));
}

/// Free orders may carry any volume: a bag of tasks beyond 2^128 (first index and size) is
/// recorded exactly and the deal id counts from the true consumed volume (issue 9, item 3).
#[test]
fn free_orders_with_volumes_beyond_uint128_are_recorded_exactly() {
    let two = |n: usize| U256::from(1) << n;
    let mut f = Fixture::new();
    f.app.appprice = U256::ZERO;
    f.dataset.datasetprice = U256::ZERO;
    f.workerpool.workerpoolprice = U256::ZERO;
    (f.app.volume, f.dataset.volume, f.workerpool.volume) = (two(201), two(201), two(201));
    f.request.volume = two(131);
    f.sign_all();
    let request_hash = f.hashes()[3];
    f.storage().consumed.setter(request_hash).set(two(130));
    let dealid = f.run().unwrap();
    assert_eq!(dealid, deal_id(&request_hash, &two(130)));
    let storage = f.storage();
    let record = storage.deals.getter(dealid);
    assert!(record.exists());
    let deal = record.to_deal();
    assert_eq!((deal.botFirst, deal.botSize), (two(130), two(130)));
    assert_eq!(f.storage().consumed.get(request_hash), two(131));
    assert_eq!(f.storage().consumed.get(f.hashes()[0]), two(130));
    assert_eq!(f.balance(f.requester.address), (U256::from(1000), U256::ZERO));
}

/// `_verifySignature(address(0), hash, sig)` is true for any unrecoverable 64/65-byte
/// signature, so a request order of requester `address(0)` matches through
/// `sponsorMatchOrders` and records a real deal with a zero requester, which exists
/// (issue 9, item 10); through `matchOrders` the zero requester pays and the escrow
/// refuses it.
#[test]
fn a_sponsored_deal_of_a_zero_requester_exists() {
    let zero_requester = |f: &mut Fixture| {
        f.request.requester = Address::ZERO;
        f.sign_all();
        f.request.sign = vec![0u8; 65].into(); // v = 0: recovers nobody, i.e. address(0)
    };
    let mut f = Fixture::new();
    zero_requester(&mut f);
    assert_eq!(f.run(), Err(reason("IexecEscrow: Transfer from empty address")));

    let mut f = Fixture::new();
    zero_requester(&mut f);
    {
        let vm = f.host.handle();
        escrow::mint(&vm, &mut poco_storage(&vm), SPONSOR, U256::from(100)).unwrap();
    }
    f.host.vm.set_sender(SPONSOR);
    let dealid = f.sponsor().unwrap();
    let storage = f.storage();
    let record = storage.deals.getter(dealid);
    assert!(record.exists());
    let deal = record.to_deal();
    assert_eq!((deal.requester, deal.sponsor, deal.botSize), (Address::ZERO, SPONSOR, U256::from(4)));
    assert_eq!(f.balance(SPONSOR), (U256::from(40), U256::from(60)));
    // An id never matched does not exist.
    assert!(!f.storage().deals.getter(B256::repeat_byte(1)).exists());
}

/// A request order whose `params` are not UTF-8, validly signed over its raw bytes, matches
/// as in PoCo (which hashes a `string` without looking at it): the raw bytes are hashed,
/// consumed under that hash and recorded (issue 9, item 5). `viewDeal` returns them as a
/// Rust `String`, so it shows such params empty: the one place they differ (README).
#[test]
fn non_utf8_params_match_and_are_recorded_raw() {
    const MARK: &str = "params-not-utf8-xyz";
    let mut f = Fixture::new();
    f.request.params = MARK.into();
    f.sign_all();
    let mut raw = MARK.as_bytes().to_vec();
    raw[0] = 0xff;
    let hash = poco_core::eip712::typed_data_hash(
        &f.domain,
        &poco_core::eip712::request_order_struct_hash(&f.request, &raw),
    );
    f.request.sign = f.sign_for(&f.requester, &hash, true);
    let call = matchOrdersCall { _0: f.app.clone(), _1: f.dataset.clone(), _2: f.workerpool.clone(), _3: f.request.clone() };
    let mut data = call.abi_encode();
    let at = data.windows(MARK.len()).position(|w| w == MARK.as_bytes()).unwrap();
    data[at] = 0xff;
    let out = route(&mut f.facet, &data).unwrap();
    let dealid = matchOrdersCall::abi_decode_returns_validate(&out).unwrap();
    assert_eq!(dealid, deal_id(&hash, &U256::ZERO));
    assert_eq!(f.storage().consumed.get(hash), U256::from(4));
    let storage = f.storage();
    let record = storage.deals.getter(dealid);
    assert_eq!(record.params.get_bytes(), raw);
    assert_eq!(record.to_deal().params, "");
    // computeDealVolume hashes the raw bytes too: the request is now consumed.
    let selector = computeDealVolumeCall::SELECTOR;
    data[..4].copy_from_slice(&selector);
    let out = route(&mut f.facet, &data).unwrap();
    assert_eq!(U256::from_be_slice(&out), U256::ZERO);
}

/// Each check, alone, reverts with its own reason: `(reason, break the orders)`.
/// `ownerOf(uint256(asset))`: how the hub asks a registry for an entry's owner.
fn token_owner(asset: Address) -> Vec<u8> {
    ownerOfCall { tokenId: U256::from_be_slice(asset.as_slice()) }.abi_encode()
}

/// The registry never minted `asset`'s token (ERC-721 `ownerOf` reverts) and says it is not
/// registered.
fn unregister(f: &mut Fixture, registry: Address, asset: Address) {
    f.host.mock(registry, token_owner(asset), Err(reason("ERC721: owner query for nonexistent token")));
    f.host.mock(registry, isRegisteredCall { entry: asset }.abi_encode(), Ok(word(0)));
}

#[test]
fn registered_assets_cost_one_registry_call_each() {
    let mut f = Fixture::new();
    f.sign_all();
    f.host.vm.clear_mocks();
    let dealid = f.run().unwrap();
    let calls = f.host.calls_made();
    for (asset, registry) in [(APP, APP_REGISTRY), (DATASET, DATASET_REGISTRY), (WORKERPOOL, WORKERPOOL_REGISTRY)] {
        let to_registry: Vec<_> = calls.iter().filter(|(to, _)| *to == registry).map(|(_, data)| data.clone()).collect();
        assert_eq!(to_registry, vec![token_owner(asset)]);
        assert!(!calls.iter().any(|(to, data)| *to == asset && *data == ownerCall {}.abi_encode()));
    }
    let deal = f.storage().deals.getter(dealid).to_deal();
    assert_eq!(deal.app.owner, f.app_owner.address);
    assert_eq!(deal.dataset.owner, f.dataset_owner.address);
    assert_eq!(deal.workerpool.owner, f.workerpool_owner.address);
}

/// Our workerpool is asked once for both policies; a workerpool without `policies()` (PoCo's
/// Solidity one, or one answering less than two words) is asked PoCo's two views, whose
/// reverts bubble up.
#[test]
fn workerpool_policies_take_one_call_or_pocos_two() {
    let mut f = Fixture::new();
    f.sign_all();
    f.host.vm.clear_mocks();
    let dealid = f.run().unwrap();
    let to_pool: Vec<_> = f.host.calls_made().into_iter().filter(|(to, _)| *to == WORKERPOOL).map(|(_, d)| d).collect();
    assert_eq!(to_pool, vec![policiesCall {}.abi_encode()]);
    let deal = f.storage().deals.getter(dealid).to_deal();
    assert_eq!((deal.workerStake, deal.schedulerRewardRatio), (U256::from(3), U256::from(5)));

    for short in [None, Some(word(40))] {
        let mut f = Fixture::new();
        f.solidity_workerpool(40, 7);
        if let Some(one_word) = short {
            f.host.mock(WORKERPOOL, policiesCall {}.abi_encode(), Ok(one_word));
        }
        f.sign_all();
        f.host.vm.clear_mocks();
        let dealid = f.run().unwrap();
        let to_pool: Vec<_> = f.host.calls_made().into_iter().filter(|(to, _)| *to == WORKERPOOL).map(|(_, d)| d).collect();
        assert_eq!(
            to_pool,
            vec![
                policiesCall {}.abi_encode(),
                m_workerStakeRatioPolicyCall {}.abi_encode(),
                m_schedulerRewardRatioPolicyCall {}.abi_encode()
            ]
        );
        let deal = f.storage().deals.getter(dealid).to_deal();
        assert_eq!((deal.workerStake, deal.schedulerRewardRatio), (U256::from(4), U256::from(7)));
    }

    // PoCo's views revert: their data bubbles up and nothing is recorded.
    let mut f = Fixture::new();
    f.solidity_workerpool(40, 7);
    f.host.mock(WORKERPOOL, m_schedulerRewardRatioPolicyCall {}.abi_encode(), Err(reason("no policy")));
    f.sign_all();
    let [.., request_h] = f.hashes();
    assert_eq!(f.run(), Err(reason("no policy")));
    assert_eq!(f.storage().consumed.get(request_h), U256::ZERO);
}

#[test]
fn entries_unknown_to_the_registry_take_pocos_path() {
    // An entry of a previous registry: the current one has no token for it, but
    // `isRegistered` (which asks the predecessor) says yes; the owner comes from `owner()`.
    let mut f = Fixture::new();
    f.sign_all();
    f.host.mock(APP_REGISTRY, token_owner(APP), Err(reason("ERC721: owner query for nonexistent token")));
    f.host.vm.clear_mocks();
    let dealid = f.run().unwrap();
    let calls = f.host.calls_made();
    let owner_call = calls.iter().position(|(to, data)| *to == APP && *data == ownerCall {}.abi_encode()).unwrap();
    let registered_call =
        calls.iter().position(|(to, data)| *to == APP_REGISTRY && *data == isRegisteredCall { entry: APP }.abi_encode()).unwrap();
    assert!(owner_call < registered_call, "owner() first, as PoCo");
    assert_eq!(f.storage().deals.getter(dealid).to_deal().app.owner, f.app_owner.address);
    // A registry answering the zero address does not know the token either.
    let mut f = Fixture::new();
    f.sign_all();
    f.host.mock(APP_REGISTRY, token_owner(APP), Ok(word(0)));
    f.host.mock(APP_REGISTRY, isRegisteredCall { entry: APP }.abi_encode(), Ok(word(0)));
    assert_eq!(f.run(), Err(reason("iExecV5-matchOrders-0x20")));
}

#[test]
fn each_of_the_28_checks_reverts_with_its_reason() {
    type Breaker = fn(&mut Fixture);
    let cases: [(&str, Breaker); 28] = [
        ("0x00", |f| f.request.category = U256::from(1)),
        ("0x01", |f| {
            f.request.category = U256::from(1);
            f.workerpool.category = U256::from(1);
        }),
        ("0x02", |f| f.request.trust = U256::from(2)),
        ("0x03", |f| f.request.appmaxprice = U256::from(2)),
        ("0x04", |f| f.request.datasetmaxprice = U256::from(1)),
        ("0x05", |f| f.request.workerpoolmaxprice = U256::from(9)),
        ("0x06", |f| f.request.tag = B256::with_last_byte(0x20)),
        ("0x07", |f| f.request.tag = B256::with_last_byte(0x01)),
        ("0x10", |f| f.request.app = STRANGER),
        ("0x11", |f| f.request.dataset = STRANGER),
        ("0x12", |f| f.request.workerpool = STRANGER),
        ("0x13", |f| f.app.datasetrestrict = STRANGER),
        ("0x14", |f| f.app.workerpoolrestrict = STRANGER),
        ("0x15", |f| f.app.requesterrestrict = STRANGER),
        ("0x16", |f| f.dataset.apprestrict = STRANGER),
        ("0x17", |f| f.dataset.workerpoolrestrict = STRANGER),
        ("0x18", |f| f.dataset.requesterrestrict = STRANGER),
        ("0x19", |f| f.workerpool.apprestrict = STRANGER),
        ("0x1a", |f| f.workerpool.datasetrestrict = STRANGER),
        ("0x1b", |f| f.workerpool.requesterrestrict = STRANGER),
        ("0x20", |f| unregister(f, APP_REGISTRY, APP)),
        ("0x21", |f| f.app.sign = f.sign_for(&Signer::new(9), &f.app.typed_data_hash(&f.domain), false)),
        ("0x30", |f| unregister(f, DATASET_REGISTRY, DATASET)),
        ("0x31", |f| f.dataset.sign = f.sign_for(&Signer::new(9), &f.dataset.typed_data_hash(&f.domain), true)),
        ("0x40", |f| unregister(f, WORKERPOOL_REGISTRY, WORKERPOOL)),
        ("0x41", |f| f.workerpool.sign = f.sign_for(&Signer::new(9), &f.workerpool.typed_data_hash(&f.domain), false)),
        ("0x50", |f| f.request.sign = f.sign_for(&Signer::new(9), &f.request.typed_data_hash(&f.domain), true)),
        ("0x60", |f| {
            let h = f.hashes()[2];
            f.storage().consumed.setter(h).set(f.workerpool.volume);
        }),
    ];
    let mut seen = Vec::new();
    for (code, breaker) in cases {
        let mut f = Fixture::new();
        f.sign_all();
        breaker(&mut f);
        f.host.vm.clear_mocks();
        let expected = format!("iExecV5-matchOrders-{code}");
        assert_eq!(f.run(), Err(reason(&expected)), "{expected}");
        assert!(f.host.vm.get_emitted_logs().is_empty());
        seen.push(expected);
    }
    assert_eq!(seen, poco_core::reasons::MATCH_ORDERS_REASONS);
}

#[test]
fn erc734_group_restrictions() {
    let key = |a: Address| keyHasPurposeCall { key: a.into_word(), purpose: U256::from(4) }.abi_encode();
    let mut f = Fixture::new();
    f.host.set_contract(GROUP);
    f.app.requesterrestrict = GROUP;
    f.workerpool.apprestrict = GROUP;
    f.host.mock(GROUP, key(f.requester.address), Ok(word(1)));
    f.host.mock(GROUP, key(APP), Ok(word(0)));
    f.sign_all();
    assert_eq!(f.run(), Err(reason("iExecV5-matchOrders-0x19")));
    f.host.mock(GROUP, key(APP), Err(vec![]));
    assert_eq!(f.run(), Err(reason("iExecV5-matchOrders-0x19")));
    f.host.mock(GROUP, key(APP), Ok(word(1)));
    f.run().unwrap();
    // A restriction without code is an address restriction only.
    let mut f = Fixture::new();
    f.app.requesterrestrict = GROUP;
    f.host.mock(GROUP, key(f.requester.address), Ok(word(1)));
    f.sign_all();
    assert_eq!(f.run(), Err(reason("iExecV5-matchOrders-0x15")));
}

#[test]
fn non_contract_app_reverts_without_reason_before_the_registry() {
    let mut f = Fixture::new();
    f.sign_all();
    f.host.vm.set_code(APP, vec![]);
    f.host.mock(APP, ownerCall {}.abi_encode(), Ok(vec![]));
    f.host.mock(APP_REGISTRY, token_owner(APP), Err(reason("ERC721: owner query for nonexistent token")));
    assert_eq!(f.run(), Err(vec![]));
    let registered = isRegisteredCall { entry: APP }.abi_encode();
    assert!(!f.host.calls_made().iter().any(|(to, data)| *to == APP_REGISTRY && *data == registered));
    // owner() reverting bubbles its data.
    f.host.mock(APP, ownerCall {}.abi_encode(), Err(b"no owner".to_vec()));
    assert_eq!(f.run(), Err(b"no owner".to_vec()));
    // Without any mock at all (the un-mocked world): the same bare revert.
    f.host.clear_mocks();
    assert_eq!(f.run(), Err(vec![]));
}

#[test]
fn empty_signature_is_a_format_error_unless_presigned() {
    let mut f = Fixture::new();
    f.sign_all();
    f.app.sign = Bytes::new();
    assert_eq!(f.run(), Err(reason("invalid-signature-format")));
    f.app.sign = vec![1u8; 66].into();
    assert_eq!(f.run(), Err(reason("invalid-signature-format")));
    // Presigned by the owner: no signature needed.
    let hash = f.hashes()[0];
    f.storage().presigned.setter(hash).set(f.app_owner.address);
    f.app.sign = Bytes::new();
    f.run().unwrap();
    // Presigned by someone else does not count.
    let mut f = Fixture::new();
    f.sign_all();
    let hash = f.hashes()[3];
    f.storage().presigned.setter(hash).set(STRANGER);
    f.request.sign = Bytes::new();
    assert_eq!(f.run(), Err(reason("invalid-signature-format")));
}

/// A contract wallet's presigned order is accepted without a call into the wallet (PoCo reads
/// the presignature first; for contracts this hub keeps that order), and a valid EOA
/// signature is accepted whoever presigned the order (the presignature is then not read).
#[test]
fn presigned_contract_orders_skip_erc1271_and_signed_eoa_orders_skip_the_presignature() {
    let mut f = Fixture::with_wallet_requester();
    f.request.sign = Bytes::new();
    let hash = f.hashes()[3];
    f.storage().presigned.setter(hash).set(WALLET);
    f.run().unwrap();
    assert!(!f.host.calls_made().iter().any(|(to, _)| *to == WALLET), "no ERC-1271 call for a presigned order");

    // An EOA's good signature wins even when a stranger's presignature is recorded.
    let mut f = Fixture::new();
    f.sign_all();
    let hash = f.hashes()[0];
    f.storage().presigned.setter(hash).set(STRANGER);
    f.run().unwrap();
}

#[test]
fn high_s_signature_is_refused_without_calling_the_precompile() {
    let mut f = Fixture::new();
    f.sign_all();
    let n = poco_core::signature::SECP256K1_N_HALF * U256::from(2) + U256::from(1);
    let mut sig = f.workerpool.sign.to_vec();
    let s = U256::from_be_slice(&sig[32..64]);
    sig[32..64].copy_from_slice(&(n - s).to_be_bytes::<32>());
    sig[64] ^= 27 ^ 28;
    f.workerpool.sign = sig.into();
    f.host.clear_mocks();
    f.mock_world();
    f.sign_all_but_workerpool();
    assert_eq!(f.run(), Err(reason("iExecV5-matchOrders-0x41")));
    let precompile_calls = f.host.calls_made().iter().filter(|(to, _)| *to == ECRECOVER_PRECOMPILE).count();
    assert_eq!(precompile_calls, 2); // app and dataset only
}

impl Fixture {
    fn sign_all_but_workerpool(&mut self) {
        let keep = self.workerpool.sign.clone();
        self.sign_all();
        self.workerpool.sign = keep;
    }
}

impl Fixture {
    /// Orders signed as usual but for the request, whose requester is the contract wallet
    /// `WALLET`, funded with 100 nRLC.
    fn with_wallet_requester() -> Self {
        let mut f = Fixture::new();
        f.request.requester = WALLET;
        f.host.set_contract(WALLET);
        {
            let vm = f.host.handle();
            escrow::mint(&vm, &mut poco_storage(&vm), WALLET, U256::from(100)).unwrap();
        }
        f.sign_all();
        f
    }
}

#[test]
fn erc1271_requester() {
    let mut f = Fixture::with_wallet_requester();
    f.request.sign = b"wallet-says-yes".to_vec().into();
    let hash = f.hashes()[3];
    let ask = isValidSignatureCall { hash, signature: f.request.sign.clone() }.abi_encode();
    f.host.mock(WALLET, ask.clone(), Ok(vec![0u8; 32]));
    assert_eq!(f.run(), Err(reason("iExecV5-matchOrders-0x50")));
    let mut magic = vec![0u8; 32];
    magic[..4].copy_from_slice(&[0x16, 0x26, 0xba, 0x7e]);
    f.host.mock(WALLET, ask, Ok(magic));
    let dealid = f.run().unwrap();
    assert_eq!(f.storage().deals.getter(dealid).to_deal().sponsor, WALLET);
}

impl Fixture {
    /// What a refused match must leave as it was: the balances of everyone who could pay,
    /// the four consumed volumes and the first deal's id slot.
    fn state(&self) -> Vec<U256> {
        let s = self.storage();
        let mut out = Vec::new();
        for a in [self.requester.address, self.workerpool_owner.address, WALLET, SPONSOR, HUB] {
            let (balance, frozen) = self.balance(a);
            out.extend([balance, frozen]);
        }
        for h in self.hashes() {
            out.push(s.consumed.get(h));
        }
        out.push(U256::from(s.deals.getter(deal_id(&self.hashes()[3], &U256::ZERO)).bot_size.get()));
        out
    }
}

/// PoCo's `try isValidSignature(..) returns (bytes4 result)` catches a revert (false) but
/// not an answer that does not decode as a `bytes4`: the whole match reverts without data
/// (issue 9, item 1). A longer answer decodes (Solidity ignores trailing return data).
#[test]
fn erc1271_answers_that_do_not_decode_revert_without_data() {
    let mut magic = vec![0u8; 32];
    magic[..4].copy_from_slice(&[0x16, 0x26, 0xba, 0x7e]);
    let mut dirty = magic.clone();
    dirty[31] = 1;
    let mut f = Fixture::with_wallet_requester();
    f.request.sign = b"wallet".to_vec().into();
    let ask = isValidSignatureCall { hash: f.hashes()[3], signature: f.request.sign.clone() }.abi_encode();
    let before = f.state();
    for answer in [vec![], magic[..4].to_vec(), magic[..31].to_vec(), dirty] {
        f.host.mock(WALLET, ask.clone(), Ok(answer.clone()));
        f.host.vm.clear_mocks();
        assert_eq!(f.run(), Err(vec![]), "answer {answer:02x?}");
        assert!(f.host.vm.get_emitted_logs().is_empty());
        assert_eq!(f.state(), before);
    }
    // A revert is caught: "not signed".
    f.host.mock(WALLET, ask.clone(), Err(b"nope".to_vec()));
    assert_eq!(f.run(), Err(reason("iExecV5-matchOrders-0x50")));
    assert_eq!(f.state(), before);
    // Trailing bytes after a clean word are ignored, as Solidity's decoder does.
    let mut long = magic.clone();
    long.extend([0xff; 32]);
    f.host.mock(WALLET, ask, Ok(long));
    f.run().unwrap();
}

/// The same for an ERC-734 identity used as a restriction: a `bool` other than 0/1, a short
/// or an empty answer reverts without data instead of failing the restriction (item 2).
#[test]
fn erc734_answers_that_do_not_decode_revert_without_data() {
    let key = |a: Address| keyHasPurposeCall { key: a.into_word(), purpose: U256::from(4) }.abi_encode();
    let mut f = Fixture::new();
    f.host.set_contract(GROUP);
    f.workerpool.apprestrict = GROUP;
    f.sign_all();
    let before = f.state();
    let mut dirty = word(1);
    dirty[0] = 1;
    for answer in [vec![], word(2), word(1)[..31].to_vec(), dirty] {
        f.host.mock(GROUP, key(APP), Ok(answer.clone()));
        f.host.vm.clear_mocks();
        assert_eq!(f.run(), Err(vec![]), "answer {answer:02x?}");
        assert!(f.host.vm.get_emitted_logs().is_empty());
        assert_eq!(f.state(), before);
    }
    // An identity without the key answers false (0x19); a revert is false too.
    f.host.mock(GROUP, key(APP), Ok(word(0)));
    assert_eq!(f.run(), Err(reason("iExecV5-matchOrders-0x19")));
    f.host.mock(GROUP, key(APP), Err(vec![]));
    assert_eq!(f.run(), Err(reason("iExecV5-matchOrders-0x19")));
    assert_eq!(f.state(), before);
    let mut long = word(1);
    long.extend([0xff; 7]);
    f.host.mock(GROUP, key(APP), Ok(long));
    f.run().unwrap();
}

#[test]
fn compute_deal_volume_previews_the_match() {
    let mut f = Fixture::new();
    let volume = |f: &mut Fixture| f.compute_volume();
    assert_eq!(volume(&mut f), Ok(U256::from(4)));
    f.dataset.volume = U256::from(2);
    assert_eq!(volume(&mut f), Ok(U256::from(2)));
    let [_, dataset_h, ..] = f.hashes();
    f.storage().consumed.setter(dataset_h).set(U256::from(2));
    assert_eq!(volume(&mut f), Ok(U256::ZERO));
    f.storage().consumed.setter(dataset_h).set(U256::from(3));
    assert_eq!(volume(&mut f), Err(Panic { code: U256::from(0x11) }.abi_encode()));
    // Without dataset, the dataset order is ignored.
    f.dataset.dataset = Address::ZERO;
    assert_eq!(volume(&mut f), Ok(U256::from(4)));
}

#[test]
fn assert_dataset_deal_compatibility_reasons() {
    // A deal without dataset to add a dataset to, and one with.
    let mut f = Fixture::new();
    let dataset_order = f.dataset.clone();
    f.without_dataset();
    f.request.datasetmaxprice = U256::ZERO;
    f.sign_all();
    let dealid = f.run().unwrap();
    f.dataset = dataset_order;
    f.request.dataset = DATASET;
    f.request.datasetmaxprice = U256::from(2);
    f.request.salt = B256::repeat_byte(3);
    f.workerpool.salt = B256::repeat_byte(3);
    f.sign_all();
    let deal_with_dataset = f.run().unwrap();

    let check = |f: &mut Fixture, order: &DatasetOrder, deal: B256| f.assert_compatible(order, deal);
    let sign = |f: &Fixture, order: &mut DatasetOrder| {
        order.sign = f.sign_for(&f.dataset_owner, &order.typed_data_hash(&f.domain), false);
    };
    let mut order = DatasetOrder { dataset: DATASET, volume: U256::from(1), salt: B256::repeat_byte(7), ..Default::default() };
    sign(&f, &mut order);
    assert_eq!(check(&mut f, &order, dealid), Ok(()));

    let mut consumed = order.clone();
    consumed.volume = U256::ZERO;
    assert_eq!(check(&mut f, &consumed, dealid), Err(incompatible("Dataset order is revoked or fully consumed")));
    let mut forged = order.clone();
    forged.sign = f.sign_for(&Signer::new(9), &order.typed_data_hash(&f.domain), false);
    assert_eq!(check(&mut f, &forged, dealid), Err(incompatible("Invalid dataset order signature")));
    assert_eq!(check(&mut f, &order, B256::repeat_byte(0xde)), Err(incompatible("Deal not found")));
    assert_eq!(check(&mut f, &order, deal_with_dataset), Err(incompatible("Deal already has a dataset")));
    for (field, expected) in [
        (0, "App restriction not satisfied"),
        (1, "Workerpool restriction not satisfied"),
        (2, "Requester restriction not satisfied"),
    ] {
        let mut restricted = order.clone();
        *[&mut restricted.apprestrict, &mut restricted.workerpoolrestrict, &mut restricted.requesterrestrict][field] =
            STRANGER;
        sign(&f, &mut restricted);
        assert_eq!(check(&mut f, &restricted, dealid), Err(incompatible(expected)));
    }
    let mut tagged = order.clone();
    tagged.tag = B256::with_last_byte(0x01); // TEE: the deal (tag 0x10) has none
    sign(&f, &mut tagged);
    assert_eq!(check(&mut f, &tagged, dealid), Err(incompatible("Tag compatibility not satisfied")));
    let mut frameworks = order.clone();
    frameworks.tag = B256::with_last_byte(0x1e); // framework bits are ignored, 0x10 is in the deal
    sign(&f, &mut frameworks);
    assert_eq!(check(&mut f, &frameworks, dealid), Ok(()));
    // Presigned by the dataset owner: no signature needed; a bad length otherwise.
    let mut presigned = order.clone();
    presigned.sign = Bytes::new();
    assert_eq!(check(&mut f, &presigned, dealid), Err(reason("invalid-signature-format")));
    f.storage().presigned.setter(order.typed_data_hash(&f.domain)).set(f.dataset_owner.address);
    assert_eq!(check(&mut f, &presigned, dealid), Ok(()));
}

#[test]
fn fallback_rejects_unknown_selectors_bad_calldata_and_value() {
    let mut f = Fixture::new();
    f.sign_all();
    // Unknown selector, short calldata, no calldata: bare revert.
    assert_eq!(route(&mut f.facet, &[0xde, 0xad, 0xbe, 0xef]), Err(vec![]));
    assert_eq!(route(&mut f.facet, &[0x15, 0x61]), Err(vec![]));
    assert_eq!(route(&mut f.facet, &[]), Err(vec![]));
    // Calldata that does not decode: truncated, or a dirty address word.
    let call = matchOrdersCall { _0: f.app.clone(), _1: f.dataset.clone(), _2: f.workerpool.clone(), _3: f.request.clone() };
    let good = call.abi_encode();
    assert_eq!(route(&mut f.facet, &good[..good.len() - 1]), Err(vec![]));
    let mut dirty = good.clone();
    let app_at = 4 + u32::from_be_bytes(good[4 + 28..4 + 32].try_into().unwrap()) as usize;
    dirty[app_at] = 1;
    assert_eq!(route(&mut f.facet, &dirty), Err(vec![]));
    let dataset_call = assertDatasetDealCompatibilityCall { datasetOrder: f.dataset.clone(), dealId: B256::ZERO };
    assert_eq!(route(&mut f.facet, &dataset_call.abi_encode()[..4 + 32]), Err(vec![]));
    // Value: every function is non-payable.
    f.host.vm.set_value(U256::from(1));
    assert_eq!(route(&mut f.facet, &good), Err(vec![]));
    assert_eq!(f.compute_volume(), Err(vec![]));
    f.host.vm.set_value(U256::ZERO);
    assert!(f.run().is_ok());
}

#[test]
fn views_do_not_write_storage() {
    let mut f = Fixture::new();
    f.sign_all();
    let dealid = f.run().unwrap();
    let before = f.host.vm.snapshot().storage;
    assert_eq!(f.compute_volume(), Ok(U256::ZERO));
    let order = f.dataset.clone();
    assert!(f.assert_compatible(&order, dealid).is_err());
    assert_eq!(f.host.vm.snapshot().storage, before);
}
