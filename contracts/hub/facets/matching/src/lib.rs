//! The matching facet of the PoCo hub: PoCo's `IexecPoco1Facet` without the signature views
//! (those are in the orders facet).
//!
//! - `matchOrders` / `sponsorMatchOrders` turn an app, dataset (optional), workerpool and
//!   request order into a deal: PoCo's 28 checks `iExecV5-matchOrders-0x00..0x60` in PoCo's
//!   order (pure ones from `poco_core::matching`, then ERC-734 restrictions, owners,
//!   registries and signatures), the deal volume, the deal record, the consumed volumes,
//!   the sponsor's and the scheduler's locks, and PoCo's events.
//! - All four take orders, so they are dispatched by a `#[fallback]` on their selector and
//!   decoded by `poco_core::calldata` (the SDK router's generic decoder of four order tuples
//!   alone weighs more than a Stylus program may); their ABI items are
//!   `poco_core::orders::*Call::abi()`, printed by this crate's `facet-matching-abi events`.
//! - `computeDealVolume` previews the volume of a match; `assertDatasetDealCompatibility`
//!   tells the SMS whether a dataset order can join an existing deal (v6.1 bulk processing).
//!
//! Gas: each order's typed hash is computed once, `consumed` is read once per order, the
//! workerpool's two policies are read in one call (`policies()`) before any write, and the
//! whole match runs in this one program (one hop from the router).

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
// `#[entrypoint]` generates an undocumented `user_entrypoint` export on wasm32.
#![cfg_attr(target_arch = "wasm32", allow(missing_docs))]
// Under `export-abi`, `#[public]` also generates an undocumented ABI-printing function.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall, SolEvent};
use poco_core::{
    deal::{Deal, Resource},
    eip712::PocoStructHash,
    ids::deal_id,
    matching::{
        check_orders_compatibility, dataset_deal_restrictions, deal_trust, deal_volume, has_dataset,
        match_restrictions, require_dataset_order_available, require_dataset_tag_compatible,
        require_deal_accepts_dataset, require_positive_volume, OrderVolume,
    },
    calldata::{decode_dataset_order_and_deal, decode_orders, Orders},
    orders::{
        assertDatasetDealCompatibilityCall, computeDealVolumeCall, matchOrdersCall, sponsorMatchOrdersCall,
        DatasetOrder,
    },
    reasons,
    stakes::{deal_sponsor_lock, deal_workerpool_lock, worker_stake},
    PocoError,
};
use poco_hub_base::{
    calls::{is_registered, owner_of, registered_owner, static_uint},
    category_count,
    escrow, log, poco_storage, revert,
    signatures::{is_authorized_by_restriction, verify_signature_or_presignature},
    PocoStorage,
};
use stylus_sdk::{call::RawCall, host::VM, prelude::*, ArbResult};

pub use poco_hub_base::revert::IncompatibleDatasetOrder;

sol! {
    /// A deal was created on `workerpool`: its scheduler should pick it up.
    #[sol(abi)]
    event SchedulerNotice(address indexed workerpool, bytes32 dealid);
    /// Orders were matched into deal `dealid`, consuming `volume` of each (typed-data hashes;
    /// `datasetHash` is zero without dataset).
    #[sol(abi)]
    event OrdersMatched(
        bytes32 dealid,
        bytes32 appHash,
        bytes32 datasetHash,
        bytes32 workerpoolHash,
        bytes32 requestHash,
        uint256 volume
    );
    /// `sponsor` paid for deal `dealId` (`sponsorMatchOrders`).
    #[sol(abi)]
    event DealSponsored(bytes32 dealId, address sponsor);

    /// IWorkerpool: percentage of the workerpool price a contributing worker stakes.
    function m_workerStakeRatioPolicy() returns (uint256);
    /// IWorkerpool: the scheduler's percentage of the workers' reward pool.
    function m_schedulerRewardRatioPolicy() returns (uint256);
    /// Our Workerpool (not PoCo's ABI): both policies above, in one call.
    function policies() returns (uint256, uint256);
}

/// The workerpool's `(m_workerStakeRatioPolicy, m_schedulerRewardRatioPolicy)`.
///
/// One `policies()` call where the workerpool answers it (every workerpool of our registry):
/// each call enters the workerpool program, which costs thousands of gas. Any other answer —
/// a revert or fewer than 64 bytes, as from an entry of PoCo's Solidity registry — falls back
/// to PoCo's two views, whose reverts bubble up as PoCo's do.
fn workerpool_policies(vm: &VM, workerpool: Address) -> Result<(U256, U256), Vec<u8>> {
    // SAFETY: a static call cannot write, and it runs before any write of `matchOrders`.
    if let Ok(out) = unsafe { RawCall::new_static(vm).call(workerpool, &policiesCall::SELECTOR) } {
        if let (Some(stake), Some(scheduler)) = (out.get(..32), out.get(32..64)) {
            return Ok((U256::from_be_slice(stake), U256::from_be_slice(scheduler)));
        }
    }
    Ok((
        static_uint(vm, workerpool, m_workerStakeRatioPolicyCall::SELECTOR)?,
        static_uint(vm, workerpool, m_schedulerRewardRatioPolicyCall::SELECTOR)?,
    ))
}

/// The matching facet. Its state is the hub's (`poco_storage`), so the struct has no fields.
#[storage]
#[entrypoint]
pub struct MatchingFacet {}

/// `require(ok, reason)`.
fn require(ok: bool, reason: &'static str) -> Result<(), Vec<u8>> {
    if ok {
        Ok(())
    } else {
        Err(revert::reason(reason))
    }
}

/// An order's id, owner and volume once authenticated.
struct Checked {
    hash: B256,
    owner: Address,
    volume: OrderVolume,
}

/// Checks 0x20/0x21-style authenticity of an asset order: owner and registration, then
/// signature or presignature by the owner.
#[allow(clippy::too_many_arguments)]
fn check_asset_order(
    vm: &VM,
    s: &PocoStorage,
    registry: Address,
    asset: Address,
    hash: B256,
    sign: &[u8],
    volume: U256,
    reasons: [&'static str; 2],
) -> Result<Checked, Vec<u8>> {
    // One registry call when the registry knows the entry (its token owner is what the
    // entry's `owner()` returns); otherwise PoCo's own sequence — `owner()` on the asset,
    // then `isRegistered` — so that every revert and reason stays PoCo's.
    let (owner, registered) = match registered_owner(vm, registry, asset) {
        Some(owner) => (owner, true),
        None => (owner_of(vm, asset)?, is_registered(vm, registry, asset)?),
    };
    require(registered, reasons[0])?;
    require(verify_signature_or_presignature(vm, s, owner, hash, sign)?, reasons[1])?;
    Ok(Checked { hash, owner, volume: order_volume(s, volume, hash) })
}

/// An order's volume and what is consumed of it (`m_consumed[hash]`). Out of line: every
/// order of every function reads it.
#[inline(never)]
fn order_volume(s: &PocoStorage, volume: U256, hash: B256) -> OrderVolume {
    OrderVolume { volume, consumed: s.consumed.get(hash) }
}

/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders.
fn match_orders(vm: &VM, o: &Orders, sponsor: Address) -> Result<B256, Vec<u8>> {
    use reasons::*;
    let (app, dataset, workerpool, request) = (&o.app, &o.dataset, &o.workerpool, &o.request);
    let mut s = poco_storage(vm);

    // 0x00..0x11: pure compatibility (category, trust, prices, tags, assets).
    let category_count = category_count(vm);
    let tag = check_orders_compatibility(app, dataset, workerpool, request, &category_count).map_err(revert::poco)?;
    // 0x12..0x1b: restrictions (ERC-734 groups called only when not trivially satisfied).
    for check in match_restrictions(app, dataset, workerpool, request) {
        if !is_authorized_by_restriction(vm, check.restriction, check.account)? {
            return Err(revert::poco(check.error));
        }
    }

    // 0x20..0x50: authenticity.
    let domain = s.domain_separator.get();
    let app_ = check_asset_order(
        vm,
        &s,
        s.app_registry.get(),
        app.app,
        app.typed_data_hash(&domain),
        &app.sign,
        app.volume,
        [MATCH_APP_NOT_REGISTERED, MATCH_APP_SIGNATURE_INVALID],
    )?;
    let with_dataset = has_dataset(dataset);
    let dataset_ = if with_dataset {
        Some(check_asset_order(
            vm,
            &s,
            s.dataset_registry.get(),
            dataset.dataset,
            dataset.typed_data_hash(&domain),
            &dataset.sign,
            dataset.volume,
            [MATCH_DATASET_NOT_REGISTERED, MATCH_DATASET_SIGNATURE_INVALID],
        )?)
    } else {
        None
    };
    let pool = check_asset_order(
        vm,
        &s,
        s.workerpool_registry.get(),
        workerpool.workerpool,
        workerpool.typed_data_hash(&domain),
        &workerpool.sign,
        workerpool.volume,
        [MATCH_WORKERPOOL_NOT_REGISTERED, MATCH_WORKERPOOL_SIGNATURE_INVALID],
    )?;
    // The raw `params` are hashed: PoCo's `string` may hold any bytes (poco_core::calldata).
    let request_hash = o.request_typed_data_hash(&domain);
    require(
        verify_signature_or_presignature(vm, &s, request.requester, request_hash, &request.sign)?,
        MATCH_REQUEST_SIGNATURE_INVALID,
    )?;
    let request_volume = order_volume(&s, request.volume, request_hash);

    // 0x60: availability.
    let volume = deal_volume(&app_.volume, dataset_.as_ref().map(|d| &d.volume), &pool.volume, &request_volume)
        .map_err(revert::poco)?;
    require_positive_volume(&volume).map_err(revert::poco)?;

    // Workerpool policies, read before any write (PoCo reads them while recording the deal).
    let price = workerpool.workerpoolprice;
    let (stake_ratio, scheduler_ratio) = workerpool_policies(vm, workerpool.workerpool)?;

    // Record the deal.
    let dealid = deal_id(&request_hash, &request_volume.consumed);
    let (dataset_hash, dataset_owner, dataset_price) = match &dataset_ {
        Some(d) => (d.hash, d.owner, dataset.datasetprice),
        None => (B256::ZERO, Address::ZERO, U256::ZERO),
    };
    let deal = Deal {
        app: Resource { pointer: app.app, owner: app_.owner, price: app.appprice },
        dataset: Resource { pointer: dataset.dataset, owner: dataset_owner, price: dataset_price },
        workerpool: Resource { pointer: workerpool.workerpool, owner: pool.owner, price },
        trust: deal_trust(&request.trust),
        category: request.category,
        tag,
        requester: request.requester,
        beneficiary: request.beneficiary,
        callback: request.callback,
        // Recorded from the raw bytes below.
        params: String::new(),
        startTime: U256::from(vm.block_timestamp()),
        botFirst: request_volume.consumed,
        botSize: volume,
        workerStake: worker_stake(&price, &stake_ratio).map_err(revert::poco)?,
        schedulerRewardRatio: scheduler_ratio,
        sponsor,
    };
    s.deals.setter(dealid).store_with_params(&deal, &o.params).map_err(revert::poco)?;

    // Consume. `consumed + volume <= order volume`: no overflow. Without dataset PoCo adds 0
    // to `consumed[0x0]`, which changes nothing: it is not written.
    s.consumed.setter(app_.hash).set(app_.volume.consumed + volume);
    if let Some(d) = &dataset_ {
        s.consumed.setter(d.hash).set(d.volume.consumed + volume);
    }
    s.consumed.setter(pool.hash).set(pool.volume.consumed + volume);
    s.consumed.setter(request_hash).set(request_volume.consumed + volume);

    // Lock the sponsor's payment and the scheduler's stake (price * 30 / 100, then * volume).
    let payment = deal_sponsor_lock(&app.appprice, &dataset_price, &price, &volume).map_err(revert::poco)?;
    escrow::lock(vm, &mut s, sponsor, payment)?;
    let stake = deal_workerpool_lock(&price, &volume).map_err(revert::poco)?;
    escrow::lock(vm, &mut s, pool.owner, stake)?;

    log::emit(vm, &[SchedulerNotice::SIGNATURE_HASH, workerpool.workerpool.into_word()], &[dealid.0]);
    log::emit(
        vm,
        &[OrdersMatched::SIGNATURE_HASH],
        &[dealid.0, app_.hash.0, dataset_hash.0, pool.hash.0, request_hash.0, log::uint(volume)],
    );
    Ok(dealid)
}

/// `computeDealVolume`: the least remaining volume of the orders (the dataset order's only
/// when `dataset != 0`). Reads storage only.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, computeDealVolume
fn compute_deal_volume(vm: &VM, orders: &Orders) -> Result<U256, Vec<u8>> {
    let s = poco_storage(vm);
    let domain = s.domain_separator.get();
    let volume_of = |volume: U256, hash: B256| order_volume(&s, volume, hash);
    let app = volume_of(orders.app.volume, orders.app.typed_data_hash(&domain));
    let dataset = has_dataset(&orders.dataset)
        .then(|| volume_of(orders.dataset.volume, orders.dataset.typed_data_hash(&domain)));
    let workerpool = volume_of(orders.workerpool.volume, orders.workerpool.typed_data_hash(&domain));
    let request = volume_of(orders.request.volume, orders.request_typed_data_hash(&domain));
    deal_volume(&app, dataset.as_ref(), &workerpool, &request).map_err(revert::poco)
}

/// `assertDatasetDealCompatibility`: returns when `dataset_order` can join deal `deal_id`,
/// reverts with the first `IncompatibleDatasetOrder(reason)` otherwise. Reads storage only.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, assertDatasetDealCompatibility
fn assert_dataset_deal_compatibility(vm: &VM, dataset_order: &DatasetOrder, deal_id: B256) -> Result<(), Vec<u8>> {
    let s = poco_storage(vm);
    let hash = dataset_order.typed_data_hash(&s.domain_separator.get());
    let volume = order_volume(&s, dataset_order.volume, hash);
    require_dataset_order_available(&volume).map_err(revert::poco)?;
    let owner = owner_of(vm, dataset_order.dataset)?;
    if !verify_signature_or_presignature(vm, &s, owner, hash, &dataset_order.sign)? {
        return Err(revert::poco(PocoError::IncompatibleDatasetOrder(reasons::DATASET_ORDER_SIGNATURE_INVALID)));
    }
    // Only the fields the rules read.
    let record = s.deals.getter(deal_id);
    let mut deal = Deal {
        requester: record.requester.get(),
        dataset: Resource { pointer: record.dataset.get(), ..Default::default() },
        ..Default::default()
    };
    require_deal_accepts_dataset(&deal).map_err(revert::poco)?;
    deal.app.pointer = record.app.get();
    deal.workerpool.pointer = record.workerpool.get();
    for check in dataset_deal_restrictions(dataset_order, &deal) {
        if !is_authorized_by_restriction(vm, check.restriction, check.account)? {
            return Err(revert::poco(check.error));
        }
    }
    require_dataset_tag_compatible(&record.tag.get(), &dataset_order.tag).map_err(revert::poco)
}

/// Decodes the four orders; Solidity's decoder reverts with no data on bad calldata.
fn orders(params: &[u8]) -> Result<Orders, Vec<u8>> {
    decode_orders(params).map_err(|_| revert::bare())
}

#[public]
impl MatchingFacet {
    /// PoCo's four order-taking functions, dispatched here on their selector rather than by
    /// the SDK router: its generic ABI decoder of four order tuples alone weighs more than
    /// this program may (see `poco_core::calldata`). The selectors, ABI items and off-chain
    /// encoders are `poco_core::orders::{matchOrdersCall, sponsorMatchOrdersCall,
    /// computeDealVolumeCall, assertDatasetDealCompatibilityCall}`.
    ///
    /// - `matchOrders(AppOrder, DatasetOrder, WorkerpoolOrder, RequestOrder) returns
    ///   (bytes32)`: matches the four orders into a deal paid by the request's requester,
    ///   whoever sends the transaction; a deal without dataset passes an all-zero dataset
    ///   order (`dataset == 0`).
    /// - `sponsorMatchOrders(...) returns (bytes32)`: the same, the sender paying.
    /// - `computeDealVolume(...) view returns (uint256)`: the volume a match of these orders
    ///   would have now; nothing else is checked.
    /// - `assertDatasetDealCompatibility(DatasetOrder, bytes32 dealId) view`: returns nothing
    ///   when the dataset order can be used in the existing deal (the SMS's "bulk" dataset
    ///   check), reverts with the first reason otherwise.
    ///
    /// # Arguments
    /// * `calldata` - the whole calldata, selector included.
    ///
    /// # Errors
    /// Empty revert data for an unknown selector, calldata that does not decode as the
    /// function's parameters (as Solidity's ABI decoder), or a call with value (the four
    /// functions are non-payable).
    ///
    /// `matchOrders` / `sponsorMatchOrders`: `iExecV5-matchOrders-0x00`..`0x60` for PoCo's 28
    /// checks, in PoCo's order; `invalid-signature-format` for an EOA signature that is
    /// neither 64 nor 65 bytes and not presigned; a bare revert when an asset is not a
    /// contract (its `owner()` answers nothing) or when an ERC-1271 wallet's or an ERC-734
    /// identity's answer does not decode; `IexecEscrow: Transfer amount exceeds balance`
    /// when the sponsor or the scheduler cannot lock (whatever the prices: the deal records
    /// any `uint256`); `IexecEscrow: Transfer from empty address` when the payer is zero;
    /// `Panic(0x11)` on arithmetic overflow (`price * stake ratio`, `prices * volume`).
    ///
    /// `computeDealVolume`: `Panic(0x11)` when an order is consumed beyond its volume.
    ///
    /// `assertDatasetDealCompatibility`: `IncompatibleDatasetOrder(reason)`, in this order:
    /// "Dataset order is revoked or fully consumed", "Invalid dataset order signature", "Deal
    /// not found", "Deal already has a dataset", "App restriction not satisfied", "Workerpool
    /// restriction not satisfied", "Requester restriction not satisfied", "Tag compatibility
    /// not satisfied". The dataset's `owner()` revert (bare when it is not a contract) and
    /// `invalid-signature-format` pass through as in PoCo.
    ///
    /// # Events
    /// `matchOrders`: `Transfer` + `Lock` for the sponsor then the scheduler,
    /// `SchedulerNotice(workerpool, dealid)`, `OrdersMatched(dealid, appHash, datasetHash,
    /// workerpoolHash, requestHash, volume)`; `sponsorMatchOrders`: the same, then
    /// `DealSponsored(dealId, sponsor)`. The views emit none.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        let Some((selector, params)) = calldata.split_first_chunk::<4>() else {
            return Err(revert::bare());
        };
        let vm = self.vm();
        let sponsored = match *selector {
            matchOrdersCall::SELECTOR => false,
            sponsorMatchOrdersCall::SELECTOR => true,
            computeDealVolumeCall::SELECTOR => {
                let volume = compute_deal_volume(vm, &orders(params)?)?;
                return Ok(volume.to_be_bytes::<32>().to_vec());
            }
            assertDatasetDealCompatibilityCall::SELECTOR => {
                let (dataset_order, deal_id) = decode_dataset_order_and_deal(params).map_err(|_| revert::bare())?;
                assert_dataset_deal_compatibility(vm, &dataset_order, deal_id)?;
                return Ok(Vec::new());
            }
            _ => return Err(revert::bare()),
        };
        // matchOrders / sponsorMatchOrders: one decode and one call site for both.
        let o = orders(params)?;
        let sponsor = if sponsored { vm.msg_sender() } else { o.request.requester };
        let deal_id = match_orders(vm, &o, sponsor)?;
        if sponsored {
            log::emit(vm, &[DealSponsored::SIGNATURE_HASH], &[deal_id.0, log::address(sponsor)]);
        }
        Ok(deal_id.to_vec())
    }
}

#[cfg(test)]
mod tests;
