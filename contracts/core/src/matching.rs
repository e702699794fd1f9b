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
pub const TEE_FRAMEWORK_BITS: u8 =
    crate::constants::TAG_SCONE | crate::constants::TAG_GRAMINE | crate::constants::TAG_TDX;

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
    let (a, d, r) = (lanes(app_tag), lanes(&mask_tee_frameworks(dataset_tag)), lanes(request_tag));
    from_lanes(core::array::from_fn(|i| a[i] | d[i] | r[i]))
}

/// A tag as four `u64` lanes, for bitwise operations: `B256`'s byte-wise operators unroll
/// into ~1 KB of wasm each. The byte order is irrelevant as long as [`from_lanes`] uses it.
fn lanes(tag: &B256) -> [u64; 4] {
    core::array::from_fn(|i| {
        let mut lane = [0u8; 8];
        lane.copy_from_slice(&tag.0[i * 8..i * 8 + 8]);
        u64::from_le_bytes(lane)
    })
}

/// The inverse of [`lanes`].
fn from_lanes(lanes: [u64; 4]) -> B256 {
    let mut tag = [0u8; 32];
    for (chunk, lane) in tag.chunks_exact_mut(8).zip(lanes) {
        chunk.copy_from_slice(&lane.to_le_bytes());
    }
    B256::new(tag)
}

/// Boost's deal tag: `app.tag | dataset.tag | request.tag` — unlike the classic path, Boost
/// does **not** mask the dataset's TEE-framework bits (PROTOCOL.md §4.11).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub fn boost_deal_tag(app_tag: &B256, dataset_tag: &B256, request_tag: &B256) -> B256 {
    let (a, d, r) = (lanes(app_tag), lanes(dataset_tag), lanes(request_tag));
    from_lanes(core::array::from_fn(|i| a[i] | d[i] | r[i]))
}

/// Which `matchOrders` a rule serves: the classic one ([`ClassicMatch`]) or Boost's
/// ([`BoostMatch`]). Why one definition: Boost runs the classic checks (same rules, same
/// order) with its own `PocoBoost: …` reasons, and differs in two rules only — its trust
/// check is `request.trust <= 1`, made first, instead of `request.trust <= workerpool.trust`;
/// and it does not mask the dataset's TEE-framework bits in the deal tag. The flavour is a
/// type, so each facet's code holds its own reasons as constants and no branch or string of
/// the other flavour.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders / IexecPocoBoostFacet.sol, _matchOrdersBoost
pub trait MatchFlavour {
    /// The flavour's reason for each check.
    const REASONS: reasons::MatchReasons;
    /// Whether it is Boost's (trust ≤ 1 first, no workerpool trust check, dataset tag not
    /// masked).
    const BOOST: bool;

    /// The deal tag of the flavour: [`deal_tag`] (dataset TEE-framework bits masked) or
    /// [`boost_deal_tag`] (not masked).
    fn deal_tag(app_tag: &B256, dataset_tag: &B256, request_tag: &B256) -> B256 {
        if Self::BOOST {
            boost_deal_tag(app_tag, dataset_tag, request_tag)
        } else {
            deal_tag(app_tag, dataset_tag, request_tag)
        }
    }
}

/// `matchOrders` / `sponsorMatchOrders` (`iExecV5-matchOrders-0xNN`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassicMatch {}

impl MatchFlavour for ClassicMatch {
    const REASONS: reasons::MatchReasons = reasons::CLASSIC_MATCH_REASONS;
    const BOOST: bool = false;
}

/// `matchOrdersBoost` / `sponsorMatchOrdersBoost` (`PocoBoost: …`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoostMatch {}

impl MatchFlavour for BoostMatch {
    const REASONS: reasons::MatchReasons = reasons::BOOST_MATCH_REASONS;
    const BOOST: bool = true;
}

/// Boost's trust rule: `request.trust <= 1`. Why: a Boost task is settled by one worker's
/// push, with no replication to vote on.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub fn is_boost_trust(request_trust: &U256) -> bool {
    *request_trust <= U256::from(1)
}

/// Check 0x06: `tag & ~workerpool.tag == 0`. Why: the workerpool must offer every requested
/// feature bit.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub fn workerpool_offers_tag(tag: &B256, workerpool_tag: &B256) -> bool {
    let (t, w) = (lanes(tag), lanes(workerpool_tag));
    (0..4).all(|i| t[i] & !w[i] == 0)
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
    let (d, m) = (lanes(deal_tag), lanes(&mask_tee_frameworks(dataset_tag)));
    (0..4).all(|i| d[i] & m[i] == m[i])
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

const fn restriction(
    restriction: Address,
    account: Address,
    reason: &'static str,
) -> RestrictionCheck {
    RestrictionCheck {
        restriction,
        account,
        error: PocoError::Reason(reason),
    }
}

/// The ten restriction checks 0x12..0x1b of `matchOrders`, in PoCo's order. Note that
/// `request.workerpool` acts as a restriction (0x12).
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
#[inline(always)]
pub fn match_restrictions(
    app: &AppOrder,
    dataset: &DatasetOrder,
    workerpool: &WorkerpoolOrder,
    request: &RequestOrder,
) -> [RestrictionCheck; 10] {
    match_restrictions_of::<ClassicMatch>(app, dataset, workerpool, request)
}

/// The ten restriction checks of [`match_restrictions`] with `F`'s reasons (Boost
/// checks the same ten, in the same order).
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders / IexecPocoBoostFacet.sol, _matchOrdersBoost
pub fn match_restrictions_of<F: MatchFlavour>(
    app: &AppOrder,
    dataset: &DatasetOrder,
    workerpool: &WorkerpoolOrder,
    request: &RequestOrder,
) -> [RestrictionCheck; 10] {
    let (a, d, w, r) = (
        app.app,
        dataset.dataset,
        workerpool.workerpool,
        request.requester,
    );
    [
        restriction(request.workerpool, w, F::REASONS.restrictions[0]),
        restriction(app.datasetrestrict, d, F::REASONS.restrictions[1]),
        restriction(app.workerpoolrestrict, w, F::REASONS.restrictions[2]),
        restriction(app.requesterrestrict, r, F::REASONS.restrictions[3]),
        restriction(dataset.apprestrict, a, F::REASONS.restrictions[4]),
        restriction(dataset.workerpoolrestrict, w, F::REASONS.restrictions[5]),
        restriction(dataset.requesterrestrict, r, F::REASONS.restrictions[6]),
        restriction(workerpool.apprestrict, a, F::REASONS.restrictions[7]),
        restriction(workerpool.datasetrestrict, d, F::REASONS.restrictions[8]),
        restriction(workerpool.requesterrestrict, r, F::REASONS.restrictions[9]),
    ]
}

/// Checks 0x00..0x11 of `matchOrders` in PoCo's order and returns the deal tag. Why: these
/// need no call, so the contract runs them first and reverts with the same reason as PoCo.
/// `category_count` is `m_categories.length`.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
#[inline(always)]
pub fn check_orders_compatibility(
    app: &AppOrder,
    dataset: &DatasetOrder,
    workerpool: &WorkerpoolOrder,
    request: &RequestOrder,
    category_count: &U256,
) -> PocoResult<B256> {
    check_orders_compatibility_of::<ClassicMatch>(app, dataset, workerpool, request, category_count)
}

/// The checks of [`check_orders_compatibility`] as flavour `F` runs them, returning its deal
/// tag: Boost first requires `request.trust <= 1` ([`is_boost_trust`]) and skips the
/// classic `request.trust <= workerpool.trust`; its tag leaves the dataset's TEE-framework
/// bits in ([`MatchFlavour::deal_tag`]).
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders / IexecPocoBoostFacet.sol, _matchOrdersBoost
pub fn check_orders_compatibility_of<F: MatchFlavour>(
    app: &AppOrder,
    dataset: &DatasetOrder,
    workerpool: &WorkerpoolOrder,
    request: &RequestOrder,
    category_count: &U256,
) -> PocoResult<B256> {
    let require = |ok: bool, reason: &'static str| {
        if ok {
            Ok(())
        } else {
            Err(PocoError::Reason(reason))
        }
    };
    if F::BOOST {
        require(is_boost_trust(&request.trust), F::REASONS.trust)?;
    }
    require(request.category == workerpool.category, F::REASONS.category_mismatch)?;
    require(request.category < *category_count, F::REASONS.category_unknown)?;
    if !F::BOOST {
        require(request.trust <= workerpool.trust, F::REASONS.trust)?;
    }
    require(request.appmaxprice >= app.appprice, F::REASONS.app_price)?;
    require(request.datasetmaxprice >= dataset.datasetprice, F::REASONS.dataset_price)?;
    require(request.workerpoolmaxprice >= workerpool.workerpoolprice, F::REASONS.workerpool_price)?;
    let tag = F::deal_tag(&app.tag, &dataset.tag, &request.tag);
    require(workerpool_offers_tag(&tag, &workerpool.tag), F::REASONS.workerpool_tag)?;
    require(app_satisfies_tee_bit(&tag, &app.tag), F::REASONS.app_tee_tag)?;
    require(request.app == app.app, F::REASONS.app_mismatch)?;
    require(request.dataset == dataset.dataset, F::REASONS.dataset_mismatch)?;
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
#[inline(always)]
pub fn require_positive_volume(volume: &U256) -> PocoResult<()> {
    require_positive_volume_of::<ClassicMatch>(volume)
}

/// Check 0x60 with `F`'s reason (Boost: "One or more orders consumed").
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders / IexecPocoBoostFacet.sol, _matchOrdersBoost
pub fn require_positive_volume_of<F: MatchFlavour>(volume: &U256) -> PocoResult<()> {
    if volume.is_zero() {
        Err(PocoError::Reason(F::REASONS.volume_zero))
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
        Err(PocoError::IncompatibleDatasetOrder(
            reasons::DATASET_ORDER_CONSUMED,
        ))
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
        return Err(PocoError::IncompatibleDatasetOrder(
            reasons::DATASET_DEAL_NOT_FOUND,
        ));
    }
    if deal.has_dataset() {
        return Err(PocoError::IncompatibleDatasetOrder(
            reasons::DATASET_DEAL_HAS_DATASET,
        ));
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
        check(
            order.apprestrict,
            deal.app.pointer,
            reasons::DATASET_APP_RESTRICTION,
        ),
        check(
            order.workerpoolrestrict,
            deal.workerpool.pointer,
            reasons::DATASET_WORKERPOOL_RESTRICTION,
        ),
        check(
            order.requesterrestrict,
            deal.requester,
            reasons::DATASET_REQUESTER_RESTRICTION,
        ),
    ]
}

/// `assertDatasetDealCompatibility` step 8 as a result ([`deal_tag_covers_dataset_tag`]).
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, assertDatasetDealCompatibility
pub fn require_dataset_tag_compatible(deal_tag: &B256, dataset_tag: &B256) -> PocoResult<()> {
    if deal_tag_covers_dataset_tag(deal_tag, dataset_tag) {
        Ok(())
    } else {
        Err(PocoError::IncompatibleDatasetOrder(
            reasons::DATASET_TAG_INCOMPATIBLE,
        ))
    }
}

#[cfg(test)]
mod lane_tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The lane forms equal `B256`'s operators.
        #[test]
        fn lanes_are_bitwise_b256(a in any::<[u8; 32]>(), d in any::<[u8; 32]>(), r in any::<[u8; 32]>()) {
            let (a, d, r) = (B256::new(a), B256::new(d), B256::new(r));
            prop_assert_eq!(from_lanes(lanes(&a)), a);
            prop_assert_eq!(deal_tag(&a, &d, &r), a | mask_tee_frameworks(&d) | r);
            prop_assert_eq!(boost_deal_tag(&a, &d, &r), a | d | r);
            prop_assert_eq!(workerpool_offers_tag(&a, &d), (a & !d).is_zero());
            prop_assert_eq!(workerpool_offers_tag(&(a & d), &d), true);
            let m = mask_tee_frameworks(&d);
            prop_assert_eq!(deal_tag_covers_dataset_tag(&a, &d), (a & m) == m);
            prop_assert_eq!(deal_tag_covers_dataset_tag(&(a | d), &d), true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::*;
    use proptest::prelude::*;

    fn u(v: u64) -> U256 {
        U256::from(v)
    }
    fn tag(b: u8) -> B256 {
        B256::with_last_byte(b)
    }

    /// A compatible set of orders: no dataset, category 0, trust 1.
    fn orders() -> (AppOrder, DatasetOrder, WorkerpoolOrder, RequestOrder) {
        let app = AppOrder {
            app: Address::repeat_byte(0xa),
            appprice: u(5),
            volume: u(10),
            ..Default::default()
        };
        let dataset = DatasetOrder::default();
        let wp = WorkerpoolOrder {
            workerpool: Address::repeat_byte(0xc),
            workerpoolprice: u(100),
            volume: u(10),
            trust: u(1),
            ..Default::default()
        };
        let req = RequestOrder {
            app: app.app,
            appmaxprice: u(5),
            workerpoolmaxprice: u(100),
            requester: Address::repeat_byte(0xe),
            volume: u(10),
            trust: u(1),
            ..Default::default()
        };
        (app, dataset, wp, req)
    }

    fn check(o: &(AppOrder, DatasetOrder, WorkerpoolOrder, RequestOrder)) -> PocoResult<B256> {
        check_orders_compatibility(&o.0, &o.1, &o.2, &o.3, &u(5))
    }

    fn reason(r: &'static str) -> PocoResult<B256> {
        Err(PocoError::Reason(r))
    }

    #[test]
    fn compatible_orders_pass_and_return_the_union_tag() {
        let mut o = orders();
        assert_eq!(check(&o), Ok(B256::ZERO));
        o.0.tag = tag(0x01);
        o.3.tag = tag(0x10);
        o.2.tag = tag(0x13);
        assert_eq!(check(&o), Ok(tag(0x11)));
    }

    #[test]
    fn each_check_fires_its_reason_in_order() {
        use crate::reasons::*;
        let base = orders();
        let mut o = base.clone();
        o.3.category = u(1);
        assert_eq!(check(&o), reason(MATCH_CATEGORY_MISMATCH));
        o.2.category = u(5);
        o.3.category = u(5);
        assert_eq!(check(&o), reason(MATCH_CATEGORY_UNKNOWN));
        let mut o = base.clone();
        o.3.trust = u(2);
        assert_eq!(check(&o), reason(MATCH_TRUST_TOO_HIGH));
        let mut o = base.clone();
        o.3.appmaxprice = u(4);
        assert_eq!(check(&o), reason(MATCH_APP_PRICE_TOO_HIGH));
        let mut o = base.clone();
        o.1.datasetprice = u(1);
        assert_eq!(check(&o), reason(MATCH_DATASET_PRICE_TOO_HIGH));
        let mut o = base.clone();
        o.3.workerpoolmaxprice = u(99);
        assert_eq!(check(&o), reason(MATCH_WORKERPOOL_PRICE_TOO_HIGH));
        let mut o = base.clone();
        o.3.tag = tag(0x10);
        assert_eq!(check(&o), reason(MATCH_WORKERPOOL_TAG_MISSING));
        let mut o = base.clone();
        o.3.tag = tag(0x01);
        o.2.tag = tag(0x01);
        assert_eq!(check(&o), reason(MATCH_APP_TEE_TAG_MISSING));
        let mut o = base.clone();
        o.3.app = Address::repeat_byte(1);
        assert_eq!(check(&o), reason(MATCH_APP_MISMATCH));
        let mut o = base.clone();
        o.3.dataset = Address::repeat_byte(1);
        assert_eq!(check(&o), reason(MATCH_DATASET_MISMATCH));
        // Several failures: the first in PoCo's order wins.
        let mut o = base;
        o.3.trust = u(9);
        o.3.app = Address::repeat_byte(1);
        assert_eq!(check(&o), reason(MATCH_TRUST_TOO_HIGH));
    }

    type FourOrders = (AppOrder, DatasetOrder, WorkerpoolOrder, RequestOrder);
    /// Breaks one check of a compatible set of orders.
    type Breaker = fn(&mut FourOrders);

    fn check_boost(o: &FourOrders) -> PocoResult<B256> {
        check_orders_compatibility_of::<BoostMatch>(&o.0, &o.1, &o.2, &o.3, &u(5))
    }

    /// Boost runs the same checks with its own reasons; its trust check comes first and is
    /// `request.trust <= 1`, whatever the workerpool order's trust.
    #[test]
    fn boost_checks_fire_boost_reasons_in_boost_order() {
        use crate::reasons::*;
        let base = orders();
        assert_eq!(check_boost(&base), Ok(B256::ZERO));
        let breakers: [(Breaker, &str); 10] = [
            (|o| o.3.trust = u(2), BOOST_BAD_TRUST_LEVEL),
            (|o| o.3.category = u(1), BOOST_CATEGORY_MISMATCH),
            (
                |o| {
                    o.2.category = u(5);
                    o.3.category = u(5);
                },
                BOOST_UNKNOWN_CATEGORY,
            ),
            (|o| o.3.appmaxprice = u(4), BOOST_OVERPRICED_APP),
            (|o| o.1.datasetprice = u(1), BOOST_OVERPRICED_DATASET),
            (|o| o.3.workerpoolmaxprice = u(99), BOOST_OVERPRICED_WORKERPOOL),
            (|o| o.3.tag = tag(0x10), BOOST_WORKERPOOL_TAG_MISMATCH),
            (
                |o| {
                    o.3.tag = tag(0x01);
                    o.2.tag = tag(0x01);
                },
                BOOST_APP_TAG_MISMATCH,
            ),
            (|o| o.3.app = Address::repeat_byte(1), BOOST_APP_MISMATCH),
            (|o| o.3.dataset = Address::repeat_byte(1), BOOST_DATASET_MISMATCH),
        ];
        for (breaker, expected) in breakers {
            let mut o = base.clone();
            breaker(&mut o);
            assert_eq!(check_boost(&o), reason(expected), "{expected}");
        }
        // Trust first: a trust-2 request in an unknown category is a trust failure.
        let mut o = base.clone();
        o.3.trust = u(2);
        o.3.category = u(7);
        assert_eq!(check_boost(&o), reason(BOOST_BAD_TRUST_LEVEL));
        // The workerpool order's trust is not consulted (classic refuses it: 0x02).
        let mut o = base.clone();
        o.2.trust = u(0);
        assert_eq!(check_boost(&o), Ok(B256::ZERO));
        assert_eq!(check(&o), reason(MATCH_TRUST_TOO_HIGH));
        // Trust 0 and 1 are Boost's.
        o.3.trust = u(0);
        assert_eq!(check_boost(&o), Ok(B256::ZERO));
        assert!(is_boost_trust(&u(1)) && !is_boost_trust(&u(2)) && !is_boost_trust(&U256::MAX));
    }

    /// The dataset's TEE-framework bits stay in a Boost deal's tag, so the workerpool must
    /// offer them (classic ignores them).
    #[test]
    fn boost_does_not_mask_the_dataset_tag() {
        let mut o = orders();
        o.1 = DatasetOrder { dataset: Address::repeat_byte(0xd), tag: tag(0x09), ..Default::default() };
        o.3.dataset = o.1.dataset;
        o.0.tag = tag(0x03);
        o.2.tag = tag(0x03);
        assert_eq!(check(&o), Ok(tag(0x03)));
        assert_eq!(check_boost(&o), reason(crate::reasons::BOOST_WORKERPOOL_TAG_MISMATCH));
        o.2.tag = tag(0x0b);
        assert_eq!(check_boost(&o), Ok(tag(0x0b)));
        assert_eq!(BoostMatch::deal_tag(&tag(1), &tag(8), &tag(0x10)), tag(0x19));
        assert_eq!(ClassicMatch::deal_tag(&tag(1), &tag(8), &tag(0x10)), tag(0x11));
    }

    #[test]
    fn boost_restrictions_and_volume_use_boost_reasons() {
        let (mut app, dataset, wp, req) = orders();
        app.requesterrestrict = Address::repeat_byte(0x77);
        let checks = match_restrictions_of::<BoostMatch>(&app, &dataset, &wp, &req);
        let reasons: alloc::vec::Vec<_> = checks.iter().map(|c| c.error.reason().unwrap()).collect();
        assert_eq!(reasons, crate::reasons::BOOST_MATCH_REASONS.all()[10..20]);
        assert_eq!(checks[3].restriction, app.requesterrestrict);
        assert_eq!(checks[3].account, req.requester);
        assert!(!checks[3].allows_without_call());
        // Same accounts and restrictions as classic, only the reasons differ.
        let classic = match_restrictions(&app, &dataset, &wp, &req);
        for (b, c) in checks.iter().zip(classic) {
            assert_eq!((b.restriction, b.account), (c.restriction, c.account));
        }
        assert_eq!(
            require_positive_volume_of::<BoostMatch>(&u(0)),
            Err(PocoError::Reason(crate::reasons::BOOST_ORDERS_CONSUMED))
        );
        assert_eq!(require_positive_volume_of::<BoostMatch>(&u(1)), Ok(()));
    }

    #[test]
    fn tee_framework_bits_of_the_dataset_are_ignored() {
        assert_eq!(mask_tee_frameworks(&tag(0x0f)), tag(0x01));
        assert_eq!(deal_tag(&tag(0x01), &tag(0x08), &tag(0x10)), tag(0x11));
        assert_eq!(
            boost_deal_tag(&tag(0x01), &tag(0x08), &tag(0x10)),
            tag(0x19)
        );
        assert_eq!(mask_tee_frameworks(&tag(0xff)), tag(0xf1));
        let mut high = B256::repeat_byte(0xff);
        high[31] = 0x0e;
        let mut expected = B256::repeat_byte(0xff);
        expected[31] = 0x00;
        assert_eq!(mask_tee_frameworks(&high), expected);
        // A TEE+TDX dataset with a TEE+Scone app on a TEE+Scone workerpool matches.
        let mut o = orders();
        o.1 = DatasetOrder {
            dataset: Address::repeat_byte(0xd),
            tag: tag(0x09),
            ..Default::default()
        };
        o.3.dataset = o.1.dataset;
        o.0.tag = tag(0x03);
        o.2.tag = tag(0x03);
        assert_eq!(check(&o), Ok(tag(0x03)));
        // The TEE bit of the dataset still needs a TEE app (0x07) ...
        o.0.tag = tag(0x00);
        assert_eq!(check(&o), reason(crate::reasons::MATCH_APP_TEE_TAG_MISSING));
    }

    #[test]
    fn tee_bit_rule_both_directions() {
        // The app may carry TEE alone (tag == app.tag), but the deal's TEE bit must be the app's.
        assert!(app_satisfies_tee_bit(&tag(0x01), &tag(0x01)));
        assert!(app_satisfies_tee_bit(&tag(0x10), &tag(0x00)));
        assert!(!app_satisfies_tee_bit(&tag(0x01), &tag(0x00)));
        assert!(workerpool_offers_tag(&tag(0x11), &tag(0x13)));
        assert!(!workerpool_offers_tag(&tag(0x11), &tag(0x01)));
    }

    #[test]
    fn restrictions_in_pocos_order() {
        let (mut app, mut dataset, mut wp, mut req) = orders();
        let x = Address::repeat_byte(0x77);
        req.workerpool = x;
        app.datasetrestrict = x;
        app.workerpoolrestrict = x;
        app.requesterrestrict = x;
        dataset.apprestrict = x;
        dataset.workerpoolrestrict = x;
        dataset.requesterrestrict = x;
        wp.apprestrict = x;
        wp.datasetrestrict = x;
        wp.requesterrestrict = x;
        let checks = match_restrictions(&app, &dataset, &wp, &req);
        let reasons: alloc::vec::Vec<_> =
            checks.iter().map(|c| c.error.reason().unwrap()).collect();
        assert_eq!(reasons, crate::reasons::MATCH_ORDERS_REASONS[10..20]);
        let accounts = [
            wp.workerpool,
            dataset.dataset,
            wp.workerpool,
            req.requester,
            app.app,
            wp.workerpool,
            req.requester,
            app.app,
            dataset.dataset,
            req.requester,
        ];
        for (c, a) in checks.iter().zip(accounts) {
            assert_eq!(c.account, a);
            assert_eq!(c.restriction, x);
            assert!(!c.allows_without_call());
        }
        let (app, dataset, wp, req) = orders();
        assert!(match_restrictions(&app, &dataset, &wp, &req)
            .iter()
            .all(RestrictionCheck::allows_without_call));
        assert!(restriction_allows(&x, &x));
        assert_eq!(
            restriction_group_key(&x),
            B256::left_padding_from(x.as_slice())
        );
    }

    #[test]
    fn volume_is_min_of_remaining_and_overconsumption_errors() {
        let ov = |v: u64, c: u64| OrderVolume {
            volume: u(v),
            consumed: u(c),
        };
        assert_eq!(
            deal_volume(&ov(10, 2), None, &ov(5, 0), &ov(9, 1)),
            Ok(u(5))
        );
        assert_eq!(
            deal_volume(&ov(10, 2), Some(&ov(3, 1)), &ov(5, 0), &ov(9, 1)),
            Ok(u(2))
        );
        assert_eq!(
            deal_volume(&ov(10, 10), None, &ov(5, 0), &ov(9, 1)),
            Ok(u(0))
        );
        assert_eq!(
            deal_volume(&ov(10, 0), Some(&ov(1, 2)), &ov(5, 0), &ov(9, 1)),
            Err(PocoError::ArithmeticOverflow)
        );
        // Without a dataset, the dataset order's volume is not consulted at all.
        assert_eq!(
            require_positive_volume(&u(0)),
            Err(PocoError::Reason(crate::reasons::MATCH_VOLUME_ZERO))
        );
        assert_eq!(require_positive_volume(&u(1)), Ok(()));
        assert_eq!(deal_trust(&u(0)), u(1));
        assert_eq!(deal_trust(&u(1)), u(1));
        assert_eq!(deal_trust(&u(3)), u(3));
        assert!(!has_dataset(&DatasetOrder::default()));
    }

    #[test]
    fn dataset_deal_compatibility_rules() {
        use crate::reasons::*;
        let inc = PocoError::IncompatibleDatasetOrder;
        assert_eq!(
            require_dataset_order_available(&OrderVolume {
                volume: u(1),
                consumed: u(1)
            }),
            Err(inc(DATASET_ORDER_CONSUMED))
        );
        assert_eq!(
            require_dataset_order_available(&OrderVolume {
                volume: u(2),
                consumed: u(1)
            }),
            Ok(())
        );
        let mut deal = Deal::default();
        assert_eq!(
            require_deal_accepts_dataset(&deal),
            Err(inc(DATASET_DEAL_NOT_FOUND))
        );
        deal.requester = Address::repeat_byte(1);
        assert_eq!(require_deal_accepts_dataset(&deal), Ok(()));
        deal.dataset.pointer = Address::repeat_byte(2);
        assert_eq!(
            require_deal_accepts_dataset(&deal),
            Err(inc(DATASET_DEAL_HAS_DATASET))
        );
        deal.app.pointer = Address::repeat_byte(3);
        deal.workerpool.pointer = Address::repeat_byte(4);
        let order = DatasetOrder {
            apprestrict: deal.app.pointer,
            workerpoolrestrict: Address::repeat_byte(9),
            ..Default::default()
        };
        let [a, w, r] = dataset_deal_restrictions(&order, &deal);
        assert!(a.allows_without_call());
        assert!(!w.allows_without_call());
        assert_eq!(w.error, inc(DATASET_WORKERPOOL_RESTRICTION));
        assert!(r.allows_without_call());
        assert_eq!(r.account, deal.requester);
        // Tag: dataset framework bits are masked; other dataset bits must be in the deal tag.
        assert_eq!(
            require_dataset_tag_compatible(&tag(0x01), &tag(0x03)),
            Ok(())
        );
        assert_eq!(
            require_dataset_tag_compatible(&tag(0x00), &tag(0x01)),
            Err(inc(DATASET_TAG_INCOMPATIBLE))
        );
        assert_eq!(
            require_dataset_tag_compatible(&tag(0x10), &tag(0x00)),
            Ok(())
        );
    }

    proptest! {
        /// The volume never exceeds any order's remaining volume and equals one of them.
        #[test]
        fn volume_is_bounded_by_each_remaining_volume(
            v in proptest::array::uniform4(any::<u64>()),
            c in proptest::array::uniform4(any::<u64>()),
            with_dataset in any::<bool>(),
        ) {
            let ov: alloc::vec::Vec<OrderVolume> = (0..4).map(|i| OrderVolume { volume: u(v[i]), consumed: u(c[i]) }).collect();
            let result = deal_volume(&ov[0], with_dataset.then_some(&ov[1]), &ov[2], &ov[3]);
            let used: alloc::vec::Vec<&OrderVolume> = if with_dataset { ov.iter().collect() } else { alloc::vec![&ov[0], &ov[2], &ov[3]] };
            if used.iter().any(|o| o.consumed > o.volume) {
                prop_assert_eq!(result, Err(PocoError::ArithmeticOverflow));
            } else {
                let volume = result.unwrap();
                for o in &used {
                    prop_assert!(volume <= o.volume - o.consumed);
                }
                prop_assert!(used.iter().any(|o| volume == o.volume - o.consumed));
            }
        }

        /// The deal tag contains every app and request bit, and the dataset bits except 1-3.
        #[test]
        fn deal_tag_is_the_masked_union(a in any::<[u8; 32]>(), d in any::<[u8; 32]>(), r in any::<[u8; 32]>()) {
            let (a, d, r) = (B256::from(a), B256::from(d), B256::from(r));
            let t = deal_tag(&a, &d, &r);
            prop_assert_eq!(t & a, a);
            prop_assert_eq!(t & r, r);
            prop_assert_eq!(t & mask_tee_frameworks(&d), mask_tee_frameworks(&d));
            prop_assert!(workerpool_offers_tag(&t, &t));
            prop_assert!(deal_tag_covers_dataset_tag(&t, &d));
        }
    }
}
