//! The Boost matching facet of the PoCo hub: `matchOrdersBoost` and `sponsorMatchOrdersBoost`
//! from PoCo's `IexecPocoBoostFacet` — a deal of trust ≤ 1 whose tasks are each settled by
//! one `pushResultBoost` (the Boost push facet), without initialize, contribute, reveal or
//! finalize.
//!
//! - The checks are the classic ones (`poco_core::matching` with the flavour
//!   `BoostMatch`): Boost's `PocoBoost: …` reasons, its trust check
//!   (`request.trust <= 1`, first), its tag (the dataset's TEE-framework bits not masked) and
//!   its authenticity order (each asset's registration before its owner).
//! - The deal is PoCo's packed `DealBoost` (`poco_hub_base::layout::DealBoostRecord`): prices
//!   and the worker reward as `uint96`, the bag of tasks as `uint16`, the deadline
//!   (`now + 7 · workClockTimeRef`) as `uint40`, each narrowed with OpenZeppelin `SafeCast`'s
//!   error (`poco_core::boost`); five slots, the sponsor's only when it is not the requester.
//! - Volume, deal id, consumed volumes and the two locks are the classic ones, except that a
//!   deal without dataset locks no dataset price (see the README's design decisions: PoCo
//!   Boost locks the dummy dataset order's price, which no push or claim ever releases).
//!
//! Both functions take the four orders, so they are dispatched by a `#[fallback]` and
//! decoded by `poco_core::calldata`, as in the classic matching facet.

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
// `#[entrypoint]` generates an undocumented `user_entrypoint` export on wasm32.
#![cfg_attr(target_arch = "wasm32", allow(missing_docs))]
// Under `export-abi`, `#[public]` also generates an undocumented ABI-printing function.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall, SolEvent};
use poco_core::{
    boost::{deal_boost_terms, short_tag, to_uint96},
    calldata::{decode_orders, Orders},
    deal::DealBoost,
    eip712::PocoStructHash,
    ids::deal_id,
    matching::{
        check_orders_compatibility_of, deal_volume, has_dataset, match_restrictions_of, require_positive_volume_of,
        BoostMatch, MatchFlavour, OrderVolume,
    },
    orders::{matchOrdersBoostCall, sponsorMatchOrdersBoostCall},
    stakes::{deal_sponsor_lock, deal_workerpool_lock},
};
use poco_hub_base::{
    calls::{is_registered, owner_of, registered_owner, static_uint},
    category_count, escrow,
    layout::category_time_ref,
    log, poco_storage, revert,
    signatures::{is_authorized_by_restriction, verify_signature_or_presignature},
    PocoStorage,
};
use stylus_sdk::{host::VM, prelude::*, stylus_core::host::RawLogAccess, ArbResult};

pub use poco_core::boost::SafeCastOverflowedUintDowncast;

sol! {
    /// A Boost deal was created on `workerpool`, with what its scheduler needs to run it at
    /// once (Boost deals are not in `viewDeal`).
    #[sol(abi)]
    event SchedulerNoticeBoost(
        address indexed workerpool,
        bytes32 dealId,
        address app,
        address dataset,
        uint256 category,
        bytes32 tag,
        string params,
        address beneficiary
    );
    /// `sponsor` paid for Boost deal `dealId` (`sponsorMatchOrdersBoost`).
    #[sol(abi)]
    event DealSponsoredBoost(bytes32 dealId, address sponsor);
    /// The classic event, emitted by Boost matches too (declared here for its hash; the
    /// matching facet exports it).
    event OrdersMatched(
        bytes32 dealid,
        bytes32 appHash,
        bytes32 datasetHash,
        bytes32 workerpoolHash,
        bytes32 requestHash,
        uint256 volume
    );

    /// IWorkerpool: the scheduler's percentage of the workerpool price.
    function m_schedulerRewardRatioPolicy() returns (uint256);
}

/// The Boost matching facet. Its state is the hub's (`poco_storage`), so the struct has no
/// fields.
#[storage]
#[entrypoint]
pub struct BoostMatchFacet {}

/// `require(ok, reason)`.
fn require(ok: bool, reason: &'static str) -> Result<(), Vec<u8>> {
    if ok {
        Ok(())
    } else {
        Err(revert::reason(reason))
    }
}

/// Boost's authenticity of an asset order: registration first (PoCo Boost asks the registry
/// before the asset's `owner()`), then the owner's signature or presignature. One registry
/// call when the registry knows the entry (its token owner is what the entry's `owner()`
/// returns); otherwise PoCo's `isRegistered`, then `owner()`. Returns the owner.
fn check_asset_order(
    vm: &VM,
    s: &PocoStorage,
    registry: Address,
    asset: Address,
    hash: B256,
    sign: &[u8],
    reasons: [&'static str; 2],
) -> Result<Address, Vec<u8>> {
    let owner = match registered_owner(vm, registry, asset) {
        Some(owner) => owner,
        None => {
            require(is_registered(vm, registry, asset)?, reasons[0])?;
            owner_of(vm, asset)?
        }
    };
    require(verify_signature_or_presignature(vm, s, owner, hash, sign)?, reasons[1])?;
    Ok(owner)
}

/// An order's volume and what is consumed of it (`m_consumed[hash]`).
#[inline(never)]
fn order_volume(s: &PocoStorage, volume: U256, hash: B256) -> OrderVolume {
    OrderVolume { volume, consumed: s.consumed.get(hash) }
}

/// Emits `SchedulerNoticeBoost`: the workerpool as topic; the deal id, app, dataset,
/// category, tag, the offset of `params`, the beneficiary, then `params`'s tail.
fn emit_scheduler_notice(vm: &VM, o: &Orders, deal_id: B256, tag: B256) {
    let words = [
        deal_id.0,
        log::address(o.app.app),
        log::address(o.dataset.dataset),
        log::uint(o.request.category),
        tag.0,
        log::uint(U256::from(7 * 32)),
        log::address(o.request.beneficiary),
    ];
    let mut bytes = Vec::with_capacity(32 * (2 + words.len() + 1) + o.params.len() + 31);
    bytes.extend_from_slice(SchedulerNoticeBoost::SIGNATURE_HASH.as_slice());
    bytes.extend_from_slice(&log::address(o.workerpool.workerpool));
    for word in words {
        bytes.extend_from_slice(&word);
    }
    // The raw bytes: PoCo's `string` may hold any bytes (poco_core::calldata).
    log::append_bytes_tail(&mut bytes, &o.params);
    vm.emit_log(&bytes, 2);
}

/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost.
fn match_orders_boost(vm: &VM, o: &Orders, sponsor: Address) -> Result<B256, Vec<u8>> {
    let reasons = &BoostMatch::REASONS;
    let (app, dataset, workerpool, request) = (&o.app, &o.dataset, &o.workerpool, &o.request);
    let mut s = poco_storage(vm);

    // Trust, category, prices, tags, assets: no call needed.
    let tag = check_orders_compatibility_of::<BoostMatch>(app, dataset, workerpool, request, &category_count(vm))
        .map_err(revert::poco)?;
    // Restrictions (ERC-734 groups asked only when not trivially satisfied).
    for check in match_restrictions_of::<BoostMatch>(app, dataset, workerpool, request) {
        if !is_authorized_by_restriction(vm, check.restriction, check.account)? {
            return Err(revert::poco(check.error));
        }
    }

    // Authenticity.
    let domain = s.domain_separator.get();
    let app_hash = app.typed_data_hash(&domain);
    let app_owner = check_asset_order(
        vm,
        &s,
        s.app_registry.get(),
        app.app,
        app_hash,
        &app.sign,
        [reasons.app_not_registered, reasons.app_signature],
    )?;
    let with_dataset = has_dataset(dataset);
    let (dataset_hash, dataset_owner) = if with_dataset {
        let hash = dataset.typed_data_hash(&domain);
        let owner = check_asset_order(
            vm,
            &s,
            s.dataset_registry.get(),
            dataset.dataset,
            hash,
            &dataset.sign,
            [reasons.dataset_not_registered, reasons.dataset_signature],
        )?;
        (hash, owner)
    } else {
        (B256::ZERO, Address::ZERO)
    };
    let workerpool_hash = workerpool.typed_data_hash(&domain);
    let workerpool_owner = check_asset_order(
        vm,
        &s,
        s.workerpool_registry.get(),
        workerpool.workerpool,
        workerpool_hash,
        &workerpool.sign,
        [reasons.workerpool_not_registered, reasons.workerpool_signature],
    )?;
    // The raw `params` are hashed: PoCo's `string` may hold any bytes (poco_core::calldata).
    let request_hash = o.request_typed_data_hash(&domain);
    require(
        verify_signature_or_presignature(vm, &s, request.requester, request_hash, &request.sign)?,
        reasons.request_signature,
    )?;

    // Availability.
    let app_volume = order_volume(&s, app.volume, app_hash);
    let dataset_volume = with_dataset.then(|| order_volume(&s, dataset.volume, dataset_hash));
    let workerpool_volume = order_volume(&s, workerpool.volume, workerpool_hash);
    let request_volume = order_volume(&s, request.volume, request_hash);
    let volume = deal_volume(&app_volume, dataset_volume.as_ref(), &workerpool_volume, &request_volume)
        .map_err(revert::poco)?;
    require_positive_volume_of::<BoostMatch>(&volume).map_err(revert::poco)?;
    let deal_id = deal_id(&request_hash, &request_volume.consumed);

    // The packed deal, narrowed in PoCo's order: the app and workerpool prices, then (with
    // the workerpool's ratio, read before any write) the rest.
    let app_price = to_uint96(&app.appprice).map_err(revert::boost)?;
    let workerpool_price = to_uint96(&workerpool.workerpoolprice).map_err(revert::boost)?;
    let ratio = static_uint(vm, workerpool.workerpool, m_schedulerRewardRatioPolicyCall::SELECTOR)?;
    // `category < category_count` was checked: its low limb is the whole category.
    let time_ref = category_time_ref(vm, request.category.as_limbs()[0]);
    let terms = deal_boost_terms(
        &workerpool.workerpoolprice,
        &ratio,
        &request_volume.consumed,
        &U256::from(vm.block_timestamp()),
        &time_ref,
        &volume,
        with_dataset.then_some(&dataset.datasetprice),
    )
    .map_err(revert::boost)?;
    let deal = DealBoost {
        appOwner: app_owner,
        appPrice: app_price,
        datasetOwner: dataset_owner,
        datasetPrice: terms.dataset_price,
        workerpoolOwner: workerpool_owner,
        workerpoolPrice: workerpool_price,
        requester: request.requester,
        workerReward: terms.worker_reward,
        callback: request.callback,
        deadline: terms.deadline,
        botFirst: terms.bot_first,
        botSize: terms.bot_size,
        shortTag: short_tag(&tag),
        sponsor,
    };
    s.deals_boost.setter(deal_id).store(&deal);

    // Consume. `consumed + volume <= order volume`: no overflow. Without dataset nothing is
    // consumed of the (dummy) dataset order, as in PoCo.
    s.consumed.setter(app_hash).set(app_volume.consumed + volume);
    if let Some(d) = &dataset_volume {
        s.consumed.setter(dataset_hash).set(d.consumed + volume);
    }
    s.consumed.setter(workerpool_hash).set(workerpool_volume.consumed + volume);
    s.consumed.setter(request_hash).set(request_volume.consumed + volume);

    // Lock the payer's price and the scheduler's stake (price * 30 / 100, then * volume).
    // The dataset price is the deal's: 0 without dataset (README, design decisions).
    let dataset_price = if with_dataset { dataset.datasetprice } else { U256::ZERO };
    let payment = deal_sponsor_lock(&app.appprice, &dataset_price, &workerpool.workerpoolprice, &volume)
        .map_err(revert::poco)?;
    escrow::lock(vm, &mut s, sponsor, payment)?;
    let stake = deal_workerpool_lock(&workerpool.workerpoolprice, &volume).map_err(revert::poco)?;
    escrow::lock(vm, &mut s, workerpool_owner, stake)?;

    emit_scheduler_notice(vm, o, deal_id, tag);
    log::emit(
        vm,
        &[OrdersMatched::SIGNATURE_HASH],
        &[deal_id.0, app_hash.0, dataset_hash.0, workerpool_hash.0, request_hash.0, log::uint(volume)],
    );
    Ok(deal_id)
}

#[public]
impl BoostMatchFacet {
    /// PoCo Boost's two order-taking functions, dispatched on their selector rather than by
    /// the SDK router (its generic decoder of four order tuples weighs more than a program
    /// may). Their selectors, ABI items and off-chain encoders are
    /// `poco_core::orders::{matchOrdersBoostCall, sponsorMatchOrdersBoostCall}`.
    ///
    /// - `matchOrdersBoost(AppOrder, DatasetOrder, WorkerpoolOrder, RequestOrder) returns
    ///   (bytes32)`: a Boost deal paid by the request's requester, whoever sends it; a deal
    ///   without dataset passes a dataset order whose `dataset` is zero.
    /// - `sponsorMatchOrdersBoost(...) returns (bytes32)`: the same, the sender paying. As
    ///   PoCo warns, anyone holding the signed orders can front-run it with
    ///   `matchOrdersBoost`, debiting the requester.
    ///
    /// # Arguments
    /// * `calldata` - the whole calldata, selector included.
    ///
    /// # Errors
    /// Empty revert data for an unknown selector, calldata that does not decode, or a call
    /// with value (both are non-payable). Otherwise, in PoCo's order: "PocoBoost: Bad trust
    /// level", the category, price, tag and asset checks, the ten restrictions, registration
    /// and signature of each order ("PocoBoost: …", see `poco_core::reasons::BOOST_*`),
    /// `invalid-signature-format` for an EOA signature of the wrong length that is not
    /// presigned, a bare revert when an unregistered-looking asset has no `owner()`,
    /// "PocoBoost: One or more orders consumed"; then `SafeCastOverflowedUintDowncast(96,
    /// price)` for an app or workerpool price beyond `uint96`, the workerpool's revert (bare
    /// when it has no code), `Panic(0x11)` for a scheduler ratio above 100,
    /// `SafeCastOverflowedUintDowncast(16, …)` for `botFirst` or the volume beyond `uint16`,
    /// `Panic(0x11)` / `SafeCastOverflowedUintDowncast(40, …)` for a deadline overflowing
    /// `uint256` / `uint40`, `SafeCastOverflowedUintDowncast(96, …)` for the dataset price;
    /// "IexecEscrow: Transfer amount exceeds balance" when the payer or the scheduler cannot
    /// lock.
    ///
    /// # Events
    /// `Transfer` + `Lock` for the payer then the scheduler; `SchedulerNoticeBoost(workerpool,
    /// dealId, app, dataset, category, tag, params, beneficiary)`; `OrdersMatched(dealid,
    /// appHash, datasetHash, workerpoolHash, requestHash, volume)`; for the sponsored form,
    /// then `DealSponsoredBoost(dealId, sponsor)`.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        let Some((selector, params)) = calldata.split_first_chunk::<4>() else {
            return Err(revert::bare());
        };
        let sponsored = match *selector {
            matchOrdersBoostCall::SELECTOR => false,
            sponsorMatchOrdersBoostCall::SELECTOR => true,
            _ => return Err(revert::bare()),
        };
        let vm = self.vm();
        let orders = decode_orders(params).map_err(|_| revert::bare())?;
        let sponsor = if sponsored { vm.msg_sender() } else { orders.request.requester };
        let deal_id = match_orders_boost(vm, &orders, sponsor)?;
        if sponsored {
            log::emit(vm, &[DealSponsoredBoost::SIGNATURE_HASH], &[deal_id.0, log::address(sponsor)]);
        }
        Ok(deal_id.to_vec())
    }
}

#[cfg(any(test, feature = "testing"))]
pub mod testing;

#[cfg(test)]
mod tests;
