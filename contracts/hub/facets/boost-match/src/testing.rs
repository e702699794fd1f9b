//! Test support shared with the Boost push facet's tests (feature `testing`, never in a wasm
//! build): a hub on a `MockHost` with registered assets, real k256 owners, one category,
//! funded requester and scheduler, compatible signed orders, and `matchOrdersBoost` /
//! `sponsorMatchOrdersBoost` through this facet's fallback.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

extern crate std;

use alloc::vec::Vec;

use alloy_primitives::{address, Address, Bytes, B256, U256};
use alloy_sol_types::SolCall;
use poco_core::{
    eip712::{domain_separator, PocoStructHash},
    orders::{matchOrdersBoostCall, sponsorMatchOrdersBoostCall, AppOrder, DatasetOrder, RequestOrder, WorkerpoolOrder},
};
use poco_hub_base::{
    calls::{isRegisteredCall, ownerCall, ownerOfCall},
    escrow, poco_storage,
    testing::{MockHost, Signer},
};
use stylus_sdk::{abi::Router, prelude::ChainAccess, ArbResult};

use crate::{m_schedulerRewardRatioPolicyCall, BoostMatchFacet};

/// The hub's address.
pub const HUB: Address = address!("00000000000000000000000000000000000c0c00");
/// The app entry.
pub const APP: Address = address!("00000000000000000000000000000000000a0a00");
/// The dataset entry.
pub const DATASET: Address = address!("00000000000000000000000000000000000d0d00");
/// The workerpool entry.
pub const WORKERPOOL: Address = address!("00000000000000000000000000000000000e0e00");
/// The app registry.
pub const APP_REGISTRY: Address = address!("000000000000000000000000000000000000a000");
/// The dataset registry.
pub const DATASET_REGISTRY: Address = address!("000000000000000000000000000000000000d000");
/// The workerpool registry.
pub const WORKERPOOL_REGISTRY: Address = address!("000000000000000000000000000000000000e000");
/// The results' beneficiary.
pub const BENEFICIARY: Address = address!("000000000000000000000000000000000000bef1");
/// Who sends transactions when the sender does not matter.
pub const STRANGER: Address = address!("0000000000000000000000000000000000005555");
/// The match time.
pub const START: u64 = 1_700_000_000;
/// Category 0's `workClockTimeRef`.
pub const TIMEREF: u64 = 300;
/// The workerpool's scheduler reward ratio (%).
pub const SCHEDULER_RATIO: u64 = 5;
/// What the requester and the scheduler hold at the start.
pub const FUNDS: u64 = 1000;

/// `ownerOf(uint256(asset))`: how the hub asks a registry for an entry's owner.
pub fn token_owner(asset: Address) -> Vec<u8> {
    ownerOfCall { tokenId: U256::from_be_slice(asset.as_slice()) }.abi_encode()
}

/// A 32-byte ABI word.
pub fn word(v: u64) -> Vec<u8> {
    U256::from(v).to_be_bytes::<32>().to_vec()
}

/// A hub ready for Boost matches (module doc). Prices: app 3, dataset 2, workerpool 100
/// (worker reward 95, scheduler stake 30 per task); volume 4 = min(10, 10, 5, 4).
pub struct BoostMarket {
    /// The host.
    pub host: MockHost,
    /// The facet on that host.
    pub facet: BoostMatchFacet,
    /// The EIP-712 domain separator.
    pub domain: B256,
    /// The app owner.
    pub app_owner: Signer,
    /// The dataset owner.
    pub dataset_owner: Signer,
    /// The workerpool owner.
    pub scheduler: Signer,
    /// The requester.
    pub requester: Signer,
    /// The app order.
    pub app: AppOrder,
    /// The dataset order.
    pub dataset: DatasetOrder,
    /// The workerpool order.
    pub workerpool: WorkerpoolOrder,
    /// The request order.
    pub request: RequestOrder,
}

impl Default for BoostMarket {
    fn default() -> Self {
        Self::new()
    }
}

impl BoostMarket {
    /// The market of the module doc, orders not signed yet.
    pub fn new() -> Self {
        let host = MockHost::default();
        host.vm.set_contract_address(HUB);
        host.vm.set_block_timestamp(START);
        let domain = domain_separator(host.vm.chain_id(), &HUB);
        let (app_owner, dataset_owner, scheduler, requester) = (Signer::new(1), Signer::new(2), Signer::new(3), Signer::new(4));
        {
            let vm = host.handle();
            let mut s = poco_storage(&vm);
            s.domain_separator.set(domain);
            s.app_registry.set(APP_REGISTRY);
            s.dataset_registry.set(DATASET_REGISTRY);
            s.workerpool_registry.set(WORKERPOOL_REGISTRY);
            s.categories.grow().work_clock_time_ref.set(U256::from(TIMEREF));
            escrow::mint(&vm, &mut s, requester.address, U256::from(FUNDS)).unwrap();
            escrow::mint(&vm, &mut s, scheduler.address, U256::from(FUNDS)).unwrap();
        }
        let app = AppOrder { app: APP, appprice: U256::from(3), volume: U256::from(10), ..Default::default() };
        let dataset =
            DatasetOrder { dataset: DATASET, datasetprice: U256::from(2), volume: U256::from(10), ..Default::default() };
        let workerpool = WorkerpoolOrder {
            workerpool: WORKERPOOL,
            workerpoolprice: U256::from(100),
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
            workerpoolmaxprice: U256::from(100),
            requester: requester.address,
            volume: U256::from(4),
            tag: B256::with_last_byte(0x10),
            trust: U256::ZERO,
            beneficiary: BENEFICIARY,
            params: "{\"iexec_args\":\"42\"}".into(),
            ..Default::default()
        };
        let facet = BoostMatchFacet::from(&host);
        let market =
            Self { host, facet, domain, app_owner, dataset_owner, scheduler, requester, app, dataset, workerpool, request };
        market.mock_world();
        market
    }

    /// The assets' owners and registrations, the workerpool's policy.
    pub fn mock_world(&self) {
        let h = &self.host;
        for (asset, owner, registry) in [
            (APP, self.app_owner.address, APP_REGISTRY),
            (DATASET, self.dataset_owner.address, DATASET_REGISTRY),
            (WORKERPOOL, self.scheduler.address, WORKERPOOL_REGISTRY),
        ] {
            h.set_contract(asset);
            h.set_contract(registry);
            h.mock(asset, ownerCall {}.abi_encode(), Ok(owner.into_word().to_vec()));
            h.mock(registry, isRegisteredCall { entry: asset }.abi_encode(), Ok(word(1)));
            h.mock(registry, token_owner(asset), Ok(owner.into_word().to_vec()));
        }
        h.set_contract(WORKERPOOL);
        h.mock(WORKERPOOL, m_schedulerRewardRatioPolicyCall {}.abi_encode(), Ok(word(SCHEDULER_RATIO)));
    }

    /// Signs the four orders with their owners' keys (the dataset and request orders in the
    /// 64-byte EIP-2098 form) and mocks the precompile accordingly.
    pub fn sign_all(&mut self) {
        let d = self.domain;
        self.app.sign = self.sign_for(&self.app_owner, &self.app.typed_data_hash(&d), false);
        self.dataset.sign = self.sign_for(&self.dataset_owner, &self.dataset.typed_data_hash(&d), true);
        self.workerpool.sign = self.sign_for(&self.scheduler, &self.workerpool.typed_data_hash(&d), false);
        self.request.sign = self.sign_for(&self.requester, &self.request.typed_data_hash(&d), true);
    }

    /// `signer`'s signature of `hash`, the precompile mocked for it.
    pub fn sign_for(&self, signer: &Signer, hash: &B256, compact: bool) -> Bytes {
        let sig = signer.sign(hash, compact);
        poco_hub_base::testing::mock_ecrecover(&self.host, hash, &sig);
        sig.into()
    }

    /// A deal without dataset: an all-zero dataset order.
    pub fn without_dataset(&mut self) {
        self.dataset = DatasetOrder::default();
        self.request.dataset = Address::ZERO;
        self.request.datasetmaxprice = U256::ZERO;
    }

    /// Calls the facet as its router does for these selectors: the value check of a
    /// non-payable method, then the fallback.
    pub fn route(&mut self, calldata: &[u8]) -> ArbResult {
        <BoostMatchFacet as Router<BoostMatchFacet>>::fallback(&mut self.facet, calldata).unwrap()
    }

    fn call_data(&self, sponsored: bool) -> Vec<u8> {
        let (a, d, w, r) = (self.app.clone(), self.dataset.clone(), self.workerpool.clone(), self.request.clone());
        if sponsored {
            sponsorMatchOrdersBoostCall { appOrder: a, datasetOrder: d, workerpoolOrder: w, requestOrder: r }.abi_encode()
        } else {
            matchOrdersBoostCall { appOrder: a, datasetOrder: d, workerpoolOrder: w, requestOrder: r }.abi_encode()
        }
    }

    /// `matchOrdersBoost` with the current orders.
    pub fn match_boost(&mut self) -> Result<B256, Vec<u8>> {
        let out = self.route(&self.call_data(false))?;
        Ok(matchOrdersBoostCall::abi_decode_returns_validate(&out).unwrap())
    }

    /// `sponsorMatchOrdersBoost` with the current orders, from the current sender.
    pub fn sponsor_match_boost(&mut self) -> Result<B256, Vec<u8>> {
        let out = self.route(&self.call_data(true))?;
        Ok(sponsorMatchOrdersBoostCall::abi_decode_returns_validate(&out).unwrap())
    }

    /// The typed-data hashes of the app, dataset, workerpool and request orders.
    pub fn hashes(&self) -> [B256; 4] {
        let d = self.domain;
        [
            self.app.typed_data_hash(&d),
            self.dataset.typed_data_hash(&d),
            self.workerpool.typed_data_hash(&d),
            self.request.typed_data_hash(&d),
        ]
    }

    /// Creates `amount` SRLC for `account`.
    pub fn mint(&self, account: Address, amount: u64) {
        let vm = self.host.handle();
        escrow::mint(&vm, &mut poco_storage(&vm), account, U256::from(amount)).unwrap();
    }

    /// `(balance, frozen)` of `account`.
    pub fn account(&self, account: Address) -> (U256, U256) {
        let vm = self.host.handle();
        let s = poco_storage(&vm);
        let a = s.accounts.getter(account);
        (a.balance(), a.frozen())
    }

    /// The raw storage, to tell that a failed call wrote nothing.
    pub fn storage_snapshot(&self) -> std::collections::HashMap<U256, B256> {
        self.host.vm.snapshot().storage
    }
}
