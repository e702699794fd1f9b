//! The pure part of `matchOrders` and `assertDatasetDealCompatibility`: compatibility checks
//! in PoCo's evaluation order, tag rules, restrictions, and the deal volume.
//!
//! What stays in the contract (it needs calls): ERC-734 group restrictions (see
//! [`RestrictionCheck`]), registry membership (0x20/0x30/0x40), owners and signatures
//! (0x21/0x31/0x41/0x50), and reading `consumed`.

use alloy_primitives::{Address, B256, U256};

use crate::deal::Deal;
use crate::error::{checked, PocoError, PocoResult};
use crate::orders::{AppOrder, DatasetOrder, RequestOrder, WorkerpoolOrder};
use crate::reasons;

/// Tag bits of the TEE frameworks (Scone 0x2, Gramine 0x4, TDX 0x8), ignored in a dataset
/// tag since v6.2.0.
pub const TEE_FRAMEWORK_BITS: u8 = crate::constants::TAG_SCONE
    | crate::constants::TAG_GRAMINE
    | crate::constants::TAG_TDX;

/// `maskTee(tag) = tag & 0xFF…F1`: clears the TEE-framework bits 1-3 of a dataset tag. Why: a
/// TEE dataset (bit 0) is usable by any framework, so its framework bits must not constrain
/// the deal (v6.2.0, #325). Boost does not mask.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders / assertDatasetDealCompatibility
pub fn mask_tee_frameworks(tag: &B256) -> B256 {
    let mut masked = *tag;
    masked[31] &= !TEE_FRAMEWORK_BITS;
    masked
}

/// The deal tag: `app.tag | maskTee(dataset.tag) | request.tag`. Why: the deal needs every
/// feature any party asks for; the workerpool's extra bits are not included.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub fn deal_tag(app_tag: &B256, dataset_tag: &B256, request_tag: &B256) -> B256 {
    *app_tag | mask_tee_frameworks(dataset_tag) | *request_tag
}

/// Check 0x06: `tag & ~workerpool.tag == 0`. Why: the workerpool must offer every requested
/// feature bit.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub fn workerpool_offers_tag(tag: &B256, workerpool_tag: &B256) -> bool {
    (*tag & !*workerpool_tag).is_zero()
}

/// Check 0x07: `((tag ^ app.tag)[31] & 0x01) == 0`. Why: if the dataset or the request needs a
/// TEE (bit 0), the app must be a TEE app.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub fn app_satisfies_tee_bit(tag: &B256, app_tag: &B256) -> bool {
    (tag[31] ^ app_tag[31]) & crate::constants::TAG_TEE == 0
}

/// `assertDatasetDealCompatibility` step 8: `deal.tag & maskTee(dataset.tag) == maskTee(dataset.tag)`.
/// Why: a dataset added to an existing deal may not require a feature the deal lacks.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, assertDatasetDealCompatibility
pub fn deal_tag_covers_dataset_tag(deal_tag: &B256, dataset_tag: &B256) -> bool {
    let masked = mask_tee_frameworks(dataset_tag);
    (*deal_tag & masked) == masked
}

/// The pure part of `_isAccountAuthorizedByRestriction`: `restriction == 0 || restriction ==
/// account`. When it is false and `restriction` has code, PoCo still asks the ERC-734 identity
/// `keyHasPurpose(bytes32(uint256(uint160(account))), GROUPMEMBER_PURPOSE)` (a revert counts
/// as false); otherwise the account is refused.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _isAccountAuthorizedByRestriction
pub fn restriction_allows(restriction: &Address, account: &Address) -> bool {
    restriction.is_zero() || restriction == account
}

/// The ERC-734 key of an account: `bytes32(uint256(uint160(account)))`.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _isAccountAuthorizedByRestriction
pub fn restriction_group_key(account: &Address) -> B256 {
    account.into_word()
}

/// One restriction check of `matchOrders` or `assertDatasetDealCompatibility`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestrictionCheck {
    /// The restricting address (0 = anyone; an account; or an ERC-734 group contract).
    pub restriction: Address,
    /// The account that must be authorized.
    pub account: Address,
    /// What PoCo reverts with when the account is not authorized.
    pub error: PocoError,
}

impl RestrictionCheck {
    /// Whether the check passes without calling the restriction contract
    /// ([`restriction_allows`]); if not, the contract must try the ERC-734 group.
    pub fn allows_without_call(&self) -> bool {
        restriction_allows(&self.restriction, &self.account)
    }
}

const fn restriction(restriction: Address, account: Address, reason: &'static str) -> RestrictionCheck {
    RestrictionCheck { restriction, account, error: PocoError::Reason(reason) }
}

/// The ten restriction checks 0x12..0x1b of `matchOrders`, in PoCo's order. Note that
/// `request.workerpool` acts as a restriction (0x12).
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub fn match_restrictions(
    app: &AppOrder,
    dataset: &DatasetOrder,
    workerpool: &WorkerpoolOrder,
    request: &RequestOrder,
) -> [RestrictionCheck; 10] {
    use reasons::*;
    let (a, d, w, r) = (app.app, dataset.dataset, workerpool.workerpool, request.requester);
    [
        restriction(request.workerpool, w, MATCH_REQUEST_WORKERPOOL_RESTRICTION),
        restriction(app.datasetrestrict, d, MATCH_APP_DATASET_RESTRICTION),
        restriction(app.workerpoolrestrict, w, MATCH_APP_WORKERPOOL_RESTRICTION),
        restriction(app.requesterrestrict, r, MATCH_APP_REQUESTER_RESTRICTION),
        restriction(dataset.apprestrict, a, MATCH_DATASET_APP_RESTRICTION),
        restriction(dataset.workerpoolrestrict, w, MATCH_DATASET_WORKERPOOL_RESTRICTION),
        restriction(dataset.requesterrestrict, r, MATCH_DATASET_REQUESTER_RESTRICTION),
        restriction(workerpool.apprestrict, a, MATCH_WORKERPOOL_APP_RESTRICTION),
        restriction(workerpool.datasetrestrict, d, MATCH_WORKERPOOL_DATASET_RESTRICTION),
        restriction(workerpool.requesterrestrict, r, MATCH_WORKERPOOL_REQUESTER_RESTRICTION),
    ]
}

/// Checks 0x00..0x11 of `matchOrders` in PoCo's order and returns the deal tag. Why: these
/// need no call, so the contract runs them first and reverts with the same reason as PoCo.
/// `category_count` is `m_categories.length`.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub fn check_orders_compatibility(
    app: &AppOrder,
    dataset: &DatasetOrder,
    workerpool: &WorkerpoolOrder,
    request: &RequestOrder,
    category_count: &U256,
) -> PocoResult<B256> {
    use reasons::*;
    let require = |ok: bool, reason: &'static str| if ok { Ok(()) } else { Err(PocoError::Reason(reason)) };
    require(request.category == workerpool.category, MATCH_CATEGORY_MISMATCH)?;
    require(request.category < *category_count, MATCH_CATEGORY_UNKNOWN)?;
    require(request.trust <= workerpool.trust, MATCH_TRUST_TOO_HIGH)?;
    require(request.appmaxprice >= app.appprice, MATCH_APP_PRICE_TOO_HIGH)?;
    require(request.datasetmaxprice >= dataset.datasetprice, MATCH_DATASET_PRICE_TOO_HIGH)?;
    require(request.workerpoolmaxprice >= workerpool.workerpoolprice, MATCH_WORKERPOOL_PRICE_TOO_HIGH)?;
    let tag = deal_tag(&app.tag, &dataset.tag, &request.tag);
    require(workerpool_offers_tag(&tag, &workerpool.tag), MATCH_WORKERPOOL_TAG_MISSING)?;
    require(app_satisfies_tee_bit(&tag, &app.tag), MATCH_APP_TEE_TAG_MISSING)?;
    require(request.app == app.app, MATCH_APP_MISMATCH)?;
    require(request.dataset == dataset.dataset, MATCH_DATASET_MISMATCH)?;
    Ok(tag)
}

/// An order's declared volume and what PoCo's `m_consumed[typedHash]` says is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OrderVolume {
    /// The order's `volume`.
    pub volume: U256,
    /// `m_consumed[orderTypedHash]` (set to `volume` when the order is closed).
    pub consumed: U256,
}

impl OrderVolume {
    /// `volume - consumed`, checked: over-consumption is PoCo's arithmetic panic, not a wrap.
    pub fn remaining(&self) -> PocoResult<U256> {
        checked(self.volume.checked_sub(self.consumed))
    }
}

/// The deal volume: the minimum remaining volume of the app, dataset (only if the deal has
/// one), workerpool and request orders. Over-consumption (`consumed > volume`) is an error
/// (PoCo underflows and panics). Why: a deal may not consume more than any order offers.
/// `matchOrders` then requires it to be positive ([`require_positive_volume`]);
/// `computeDealVolume` returns it as is.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders / IexecPocoAccessorsFacet.sol, computeDealVolume
pub fn deal_volume(
    app: &OrderVolume,
    dataset: Option<&OrderVolume>,
    workerpool: &OrderVolume,
    request: &OrderVolume,
) -> PocoResult<U256> {
    let mut volume = app.remaining()?;
    if let Some(dataset) = dataset {
        volume = volume.min(dataset.remaining()?);
    }
    volume = volume.min(workerpool.remaining()?);
    Ok(volume.min(request.remaining()?))
}

/// Check 0x60: `volume > 0`.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub fn require_positive_volume(volume: &U256) -> PocoResult<()> {
    if volume.is_zero() {
        Err(PocoError::Reason(reasons::MATCH_VOLUME_ZERO))
    } else {
        Ok(())
    }
}

/// Whether a deal uses a dataset: `dataset.dataset != 0` (a "no dataset" deal passes an
/// all-zero dataset order).
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders (ids.hasDataset)
pub fn has_dataset(dataset: &DatasetOrder) -> bool {
    !dataset.dataset.is_zero()
}

/// `deal.trust = max(request.trust, 1)`. Why: trust 0 would make the consensus threshold
/// `trust - 1` underflow; trust 0 and 1 both mean "first contribution wins".
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub fn deal_trust(request_trust: &U256) -> U256 {
    (*request_trust).max(U256::from(1))
}

/// `assertDatasetDealCompatibility` step 1: the dataset order still has volume
/// (`consumed < volume`).
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, assertDatasetDealCompatibility
pub fn require_dataset_order_available(order: &OrderVolume) -> PocoResult<()> {
    if order.consumed >= order.volume {
        Err(PocoError::IncompatibleDatasetOrder(reasons::DATASET_ORDER_CONSUMED))
    } else {
        Ok(())
    }
}

/// `assertDatasetDealCompatibility` steps 3-4: the deal exists (`requester != 0`) and has no
/// dataset yet.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, assertDatasetDealCompatibility
pub fn require_deal_accepts_dataset(deal: &Deal) -> PocoResult<()> {
    if deal.requester.is_zero() {
        return Err(PocoError::IncompatibleDatasetOrder(reasons::DATASET_DEAL_NOT_FOUND));
    }
    if deal.has_dataset() {
        return Err(PocoError::IncompatibleDatasetOrder(reasons::DATASET_DEAL_HAS_DATASET));
    }
    Ok(())
}

/// `assertDatasetDealCompatibility` steps 5-7: the dataset order's app, workerpool and
/// requester restrictions against the deal, in PoCo's order.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, assertDatasetDealCompatibility
pub fn dataset_deal_restrictions(order: &DatasetOrder, deal: &Deal) -> [RestrictionCheck; 3] {
    let check = |restriction, account, reason| RestrictionCheck {
        restriction,
        account,
        error: PocoError::IncompatibleDatasetOrder(reason),
    };
    [
        check(order.apprestrict, deal.app.pointer, reasons::DATASET_APP_RESTRICTION),
        check(order.workerpoolrestrict, deal.workerpool.pointer, reasons::DATASET_WORKERPOOL_RESTRICTION),
        check(order.requesterrestrict, deal.requester, reasons::DATASET_REQUESTER_RESTRICTION),
    ]
}

/// `assertDatasetDealCompatibility` step 8 as a result ([`deal_tag_covers_dataset_tag`]).
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, assertDatasetDealCompatibility
pub fn require_dataset_tag_compatible(deal_tag: &B256, dataset_tag: &B256) -> PocoResult<()> {
    if deal_tag_covers_dataset_tag(deal_tag, dataset_tag) {
        Ok(())
    } else {
        Err(PocoError::IncompatibleDatasetOrder(reasons::DATASET_TAG_INCOMPATIBLE))
    }
}
