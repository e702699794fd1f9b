//! PoCo's revert-reason strings as named constants, so `grep "iExecV5-matchOrders-0x20"` lands
//! on the rule that fires it. Each constant's doc says where PoCo raises it.
//!
//! Shapes: the `MATCH_*`, signature, configuration, escrow and token strings are
//! `Error(string)` reasons; the `DATASET_*` strings are arguments of the custom error
//! `IncompatibleDatasetOrder(string)`; PoCo's Poco2 lifecycle uses bare reverts (no string).

/// 0x00: `request.category == workerpool.category`.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_CATEGORY_MISMATCH: &str = "iExecV5-matchOrders-0x00";
/// 0x01: `request.category < m_categories.length` (the category exists).
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_CATEGORY_UNKNOWN: &str = "iExecV5-matchOrders-0x01";
/// 0x02: `request.trust <= workerpool.trust`.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_TRUST_TOO_HIGH: &str = "iExecV5-matchOrders-0x02";
/// 0x03: `request.appmaxprice >= app.appprice`.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_APP_PRICE_TOO_HIGH: &str = "iExecV5-matchOrders-0x03";
/// 0x04: `request.datasetmaxprice >= dataset.datasetprice`.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_DATASET_PRICE_TOO_HIGH: &str = "iExecV5-matchOrders-0x04";
/// 0x05: `request.workerpoolmaxprice >= workerpool.workerpoolprice`.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_WORKERPOOL_PRICE_TOO_HIGH: &str = "iExecV5-matchOrders-0x05";
/// 0x06: the workerpool must offer every requested tag bit (`tag & ~workerpool.tag == 0`).
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_WORKERPOOL_TAG_MISSING: &str = "iExecV5-matchOrders-0x06";
/// 0x07: a TEE requirement (tag bit 0) from dataset or request must be carried by the app tag.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_APP_TEE_TAG_MISSING: &str = "iExecV5-matchOrders-0x07";
/// 0x10: `request.app == app.app`.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_APP_MISMATCH: &str = "iExecV5-matchOrders-0x10";
/// 0x11: `request.dataset == dataset.dataset`.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_DATASET_MISMATCH: &str = "iExecV5-matchOrders-0x11";
/// 0x12: `request.workerpool` (used as a restriction) authorizes the workerpool.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_REQUEST_WORKERPOOL_RESTRICTION: &str = "iExecV5-matchOrders-0x12";
/// 0x13: `app.datasetrestrict` authorizes the dataset.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_APP_DATASET_RESTRICTION: &str = "iExecV5-matchOrders-0x13";
/// 0x14: `app.workerpoolrestrict` authorizes the workerpool.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_APP_WORKERPOOL_RESTRICTION: &str = "iExecV5-matchOrders-0x14";
/// 0x15: `app.requesterrestrict` authorizes the requester.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_APP_REQUESTER_RESTRICTION: &str = "iExecV5-matchOrders-0x15";
/// 0x16: `dataset.apprestrict` authorizes the app.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_DATASET_APP_RESTRICTION: &str = "iExecV5-matchOrders-0x16";
/// 0x17: `dataset.workerpoolrestrict` authorizes the workerpool.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_DATASET_WORKERPOOL_RESTRICTION: &str = "iExecV5-matchOrders-0x17";
/// 0x18: `dataset.requesterrestrict` authorizes the requester.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_DATASET_REQUESTER_RESTRICTION: &str = "iExecV5-matchOrders-0x18";
/// 0x19: `workerpool.apprestrict` authorizes the app.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_WORKERPOOL_APP_RESTRICTION: &str = "iExecV5-matchOrders-0x19";
/// 0x1a: `workerpool.datasetrestrict` authorizes the dataset.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_WORKERPOOL_DATASET_RESTRICTION: &str = "iExecV5-matchOrders-0x1a";
/// 0x1b: `workerpool.requesterrestrict` authorizes the requester.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_WORKERPOOL_REQUESTER_RESTRICTION: &str = "iExecV5-matchOrders-0x1b";
/// 0x20: the app is registered in the app registry.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_APP_NOT_REGISTERED: &str = "iExecV5-matchOrders-0x20";
/// 0x21: the app order is presigned or signed by the app owner.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_APP_SIGNATURE_INVALID: &str = "iExecV5-matchOrders-0x21";
/// 0x30: the dataset (when there is one) is registered in the dataset registry.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_DATASET_NOT_REGISTERED: &str = "iExecV5-matchOrders-0x30";
/// 0x31: the dataset order is presigned or signed by the dataset owner.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_DATASET_SIGNATURE_INVALID: &str = "iExecV5-matchOrders-0x31";
/// 0x40: the workerpool is registered in the workerpool registry.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_WORKERPOOL_NOT_REGISTERED: &str = "iExecV5-matchOrders-0x40";
/// 0x41: the workerpool order is presigned or signed by the workerpool owner.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_WORKERPOOL_SIGNATURE_INVALID: &str = "iExecV5-matchOrders-0x41";
/// 0x50: the request order is presigned or signed by `request.requester`.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_REQUEST_SIGNATURE_INVALID: &str = "iExecV5-matchOrders-0x50";
/// 0x60: the deal volume (min of the remaining volumes) is positive.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const MATCH_VOLUME_ZERO: &str = "iExecV5-matchOrders-0x60";

/// All 28 `matchOrders` reasons in PoCo's evaluation order.
pub const MATCH_ORDERS_REASONS: [&str; 28] = [
    MATCH_CATEGORY_MISMATCH,
    MATCH_CATEGORY_UNKNOWN,
    MATCH_TRUST_TOO_HIGH,
    MATCH_APP_PRICE_TOO_HIGH,
    MATCH_DATASET_PRICE_TOO_HIGH,
    MATCH_WORKERPOOL_PRICE_TOO_HIGH,
    MATCH_WORKERPOOL_TAG_MISSING,
    MATCH_APP_TEE_TAG_MISSING,
    MATCH_APP_MISMATCH,
    MATCH_DATASET_MISMATCH,
    MATCH_REQUEST_WORKERPOOL_RESTRICTION,
    MATCH_APP_DATASET_RESTRICTION,
    MATCH_APP_WORKERPOOL_RESTRICTION,
    MATCH_APP_REQUESTER_RESTRICTION,
    MATCH_DATASET_APP_RESTRICTION,
    MATCH_DATASET_WORKERPOOL_RESTRICTION,
    MATCH_DATASET_REQUESTER_RESTRICTION,
    MATCH_WORKERPOOL_APP_RESTRICTION,
    MATCH_WORKERPOOL_DATASET_RESTRICTION,
    MATCH_WORKERPOOL_REQUESTER_RESTRICTION,
    MATCH_APP_NOT_REGISTERED,
    MATCH_APP_SIGNATURE_INVALID,
    MATCH_DATASET_NOT_REGISTERED,
    MATCH_DATASET_SIGNATURE_INVALID,
    MATCH_WORKERPOOL_NOT_REGISTERED,
    MATCH_WORKERPOOL_SIGNATURE_INVALID,
    MATCH_REQUEST_SIGNATURE_INVALID,
    MATCH_VOLUME_ZERO,
];

/// The reasons of one flavour of order matching, one per check, in PoCo's evaluation order
/// (see [`crate::matching::MatchFlavour`]): classic `matchOrders` numbers them
/// `iExecV5-matchOrders-0xNN`, Boost's `matchOrdersBoost` words them `PocoBoost: …`. The
/// checks are the same rules; only Boost's trust check differs (`trust <= 1`, first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchReasons {
    /// The request's category is the workerpool order's.
    pub category_mismatch: &'static str,
    /// The category exists.
    pub category_unknown: &'static str,
    /// The trust check: classic `request.trust <= workerpool.trust`, Boost `request.trust <= 1`.
    pub trust: &'static str,
    /// `request.appmaxprice >= app.appprice`.
    pub app_price: &'static str,
    /// `request.datasetmaxprice >= dataset.datasetprice`.
    pub dataset_price: &'static str,
    /// `request.workerpoolmaxprice >= workerpool.workerpoolprice`.
    pub workerpool_price: &'static str,
    /// The workerpool offers every requested tag bit.
    pub workerpool_tag: &'static str,
    /// A TEE requirement is carried by the app tag.
    pub app_tee_tag: &'static str,
    /// `request.app == app.app`.
    pub app_mismatch: &'static str,
    /// `request.dataset == dataset.dataset`.
    pub dataset_mismatch: &'static str,
    /// The ten restrictions, in PoCo's order (request's workerpool; app's dataset, workerpool,
    /// requester; dataset's app, workerpool, requester; workerpool's app, dataset, requester).
    pub restrictions: [&'static str; 10],
    /// The app is registered.
    pub app_not_registered: &'static str,
    /// The app order is presigned or signed by the app owner.
    pub app_signature: &'static str,
    /// The dataset is registered.
    pub dataset_not_registered: &'static str,
    /// The dataset order is presigned or signed by the dataset owner.
    pub dataset_signature: &'static str,
    /// The workerpool is registered.
    pub workerpool_not_registered: &'static str,
    /// The workerpool order is presigned or signed by the workerpool owner.
    pub workerpool_signature: &'static str,
    /// The request order is presigned or signed by the requester.
    pub request_signature: &'static str,
    /// The deal volume is positive.
    pub volume_zero: &'static str,
}

impl MatchReasons {
    /// The 28 reasons in PoCo's table order (the trust reason third, where classic checks it).
    pub const fn all(&self) -> [&'static str; 28] {
        let r = &self.restrictions;
        [
            self.category_mismatch,
            self.category_unknown,
            self.trust,
            self.app_price,
            self.dataset_price,
            self.workerpool_price,
            self.workerpool_tag,
            self.app_tee_tag,
            self.app_mismatch,
            self.dataset_mismatch,
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            r[9],
            self.app_not_registered,
            self.app_signature,
            self.dataset_not_registered,
            self.dataset_signature,
            self.workerpool_not_registered,
            self.workerpool_signature,
            self.request_signature,
            self.volume_zero,
        ]
    }
}

/// Classic `matchOrders`' reasons (the `MATCH_*` constants).
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub const CLASSIC_MATCH_REASONS: MatchReasons = MatchReasons {
    category_mismatch: MATCH_CATEGORY_MISMATCH,
    category_unknown: MATCH_CATEGORY_UNKNOWN,
    trust: MATCH_TRUST_TOO_HIGH,
    app_price: MATCH_APP_PRICE_TOO_HIGH,
    dataset_price: MATCH_DATASET_PRICE_TOO_HIGH,
    workerpool_price: MATCH_WORKERPOOL_PRICE_TOO_HIGH,
    workerpool_tag: MATCH_WORKERPOOL_TAG_MISSING,
    app_tee_tag: MATCH_APP_TEE_TAG_MISSING,
    app_mismatch: MATCH_APP_MISMATCH,
    dataset_mismatch: MATCH_DATASET_MISMATCH,
    restrictions: [
        MATCH_REQUEST_WORKERPOOL_RESTRICTION,
        MATCH_APP_DATASET_RESTRICTION,
        MATCH_APP_WORKERPOOL_RESTRICTION,
        MATCH_APP_REQUESTER_RESTRICTION,
        MATCH_DATASET_APP_RESTRICTION,
        MATCH_DATASET_WORKERPOOL_RESTRICTION,
        MATCH_DATASET_REQUESTER_RESTRICTION,
        MATCH_WORKERPOOL_APP_RESTRICTION,
        MATCH_WORKERPOOL_DATASET_RESTRICTION,
        MATCH_WORKERPOOL_REQUESTER_RESTRICTION,
    ],
    app_not_registered: MATCH_APP_NOT_REGISTERED,
    app_signature: MATCH_APP_SIGNATURE_INVALID,
    dataset_not_registered: MATCH_DATASET_NOT_REGISTERED,
    dataset_signature: MATCH_DATASET_SIGNATURE_INVALID,
    workerpool_not_registered: MATCH_WORKERPOOL_NOT_REGISTERED,
    workerpool_signature: MATCH_WORKERPOOL_SIGNATURE_INVALID,
    request_signature: MATCH_REQUEST_SIGNATURE_INVALID,
    volume_zero: MATCH_VOLUME_ZERO,
};

/// Boost's `request.trust <= 1`, checked first: Boost has no replication.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_BAD_TRUST_LEVEL: &str = "PocoBoost: Bad trust level";
/// Boost's category check (classic 0x00).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_CATEGORY_MISMATCH: &str = "PocoBoost: Category mismatch";
/// Boost's category existence check (classic 0x01).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_UNKNOWN_CATEGORY: &str = "PocoBoost: Unknown category";
/// Boost's app price check (classic 0x03).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_OVERPRICED_APP: &str = "PocoBoost: Overpriced app";
/// Boost's dataset price check (classic 0x04).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_OVERPRICED_DATASET: &str = "PocoBoost: Overpriced dataset";
/// Boost's workerpool price check (classic 0x05).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_OVERPRICED_WORKERPOOL: &str = "PocoBoost: Overpriced workerpool";
/// Boost's workerpool tag check (classic 0x06).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_WORKERPOOL_TAG_MISMATCH: &str = "PocoBoost: Workerpool tag does not match demand";
/// Boost's TEE-bit check of the app tag (classic 0x07).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_APP_TAG_MISMATCH: &str = "PocoBoost: App tag does not match demand";
/// Boost's app check (classic 0x10).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_APP_MISMATCH: &str = "PocoBoost: App mismatch";
/// Boost's dataset check (classic 0x11).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_DATASET_MISMATCH: &str = "PocoBoost: Dataset mismatch";
/// Boost's restriction 0x12: `request.workerpool` authorizes the workerpool.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_WORKERPOOL_RESTRICTED_BY_REQUEST: &str = "PocoBoost: Workerpool restricted by request order";
/// Boost's restriction 0x13: `app.datasetrestrict` authorizes the dataset.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_DATASET_RESTRICTED_BY_APP: &str = "PocoBoost: Dataset restricted by app order";
/// Boost's restriction 0x14: `app.workerpoolrestrict` authorizes the workerpool.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_WORKERPOOL_RESTRICTED_BY_APP: &str = "PocoBoost: Workerpool restricted by app order";
/// Boost's restriction 0x15: `app.requesterrestrict` authorizes the requester.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_REQUESTER_RESTRICTED_BY_APP: &str = "PocoBoost: Requester restricted by app order";
/// Boost's restriction 0x16: `dataset.apprestrict` authorizes the app.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_APP_RESTRICTED_BY_DATASET: &str = "PocoBoost: App restricted by dataset order";
/// Boost's restriction 0x17: `dataset.workerpoolrestrict` authorizes the workerpool.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_WORKERPOOL_RESTRICTED_BY_DATASET: &str = "PocoBoost: Workerpool restricted by dataset order";
/// Boost's restriction 0x18: `dataset.requesterrestrict` authorizes the requester.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_REQUESTER_RESTRICTED_BY_DATASET: &str = "PocoBoost: Requester restricted by dataset order";
/// Boost's restriction 0x19: `workerpool.apprestrict` authorizes the app.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_APP_RESTRICTED_BY_WORKERPOOL: &str = "PocoBoost: App restricted by workerpool order";
/// Boost's restriction 0x1a: `workerpool.datasetrestrict` authorizes the dataset.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_DATASET_RESTRICTED_BY_WORKERPOOL: &str = "PocoBoost: Dataset restricted by workerpool order";
/// Boost's restriction 0x1b: `workerpool.requesterrestrict` authorizes the requester.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_REQUESTER_RESTRICTED_BY_WORKERPOOL: &str = "PocoBoost: Requester restricted by workerpool order";
/// Boost's app registration check (classic 0x20, but asked before the app's `owner()`).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_APP_NOT_REGISTERED: &str = "PocoBoost: App not registered";
/// Boost's app order signature check (classic 0x21).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_INVALID_APP_ORDER_SIGNATURE: &str = "PocoBoost: Invalid app order signature";
/// Boost's dataset registration check (classic 0x30).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_DATASET_NOT_REGISTERED: &str = "PocoBoost: Dataset not registered";
/// Boost's dataset order signature check (classic 0x31).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_INVALID_DATASET_ORDER_SIGNATURE: &str = "PocoBoost: Invalid dataset order signature";
/// Boost's workerpool registration check (classic 0x40).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_WORKERPOOL_NOT_REGISTERED: &str = "PocoBoost: Workerpool not registered";
/// Boost's workerpool order signature check (classic 0x41).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_INVALID_WORKERPOOL_ORDER_SIGNATURE: &str = "PocoBoost: Invalid workerpool order signature";
/// Boost's request order signature check (classic 0x50).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_INVALID_REQUEST_ORDER_SIGNATURE: &str = "PocoBoost: Invalid request order signature";
/// Boost's volume check (classic 0x60).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_ORDERS_CONSUMED: &str = "PocoBoost: One or more orders consumed";

/// Boost's `matchOrdersBoost` reasons.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub const BOOST_MATCH_REASONS: MatchReasons = MatchReasons {
    category_mismatch: BOOST_CATEGORY_MISMATCH,
    category_unknown: BOOST_UNKNOWN_CATEGORY,
    trust: BOOST_BAD_TRUST_LEVEL,
    app_price: BOOST_OVERPRICED_APP,
    dataset_price: BOOST_OVERPRICED_DATASET,
    workerpool_price: BOOST_OVERPRICED_WORKERPOOL,
    workerpool_tag: BOOST_WORKERPOOL_TAG_MISMATCH,
    app_tee_tag: BOOST_APP_TAG_MISMATCH,
    app_mismatch: BOOST_APP_MISMATCH,
    dataset_mismatch: BOOST_DATASET_MISMATCH,
    restrictions: [
        BOOST_WORKERPOOL_RESTRICTED_BY_REQUEST,
        BOOST_DATASET_RESTRICTED_BY_APP,
        BOOST_WORKERPOOL_RESTRICTED_BY_APP,
        BOOST_REQUESTER_RESTRICTED_BY_APP,
        BOOST_APP_RESTRICTED_BY_DATASET,
        BOOST_WORKERPOOL_RESTRICTED_BY_DATASET,
        BOOST_REQUESTER_RESTRICTED_BY_DATASET,
        BOOST_APP_RESTRICTED_BY_WORKERPOOL,
        BOOST_DATASET_RESTRICTED_BY_WORKERPOOL,
        BOOST_REQUESTER_RESTRICTED_BY_WORKERPOOL,
    ],
    app_not_registered: BOOST_APP_NOT_REGISTERED,
    app_signature: BOOST_INVALID_APP_ORDER_SIGNATURE,
    dataset_not_registered: BOOST_DATASET_NOT_REGISTERED,
    dataset_signature: BOOST_INVALID_DATASET_ORDER_SIGNATURE,
    workerpool_not_registered: BOOST_WORKERPOOL_NOT_REGISTERED,
    workerpool_signature: BOOST_INVALID_WORKERPOOL_ORDER_SIGNATURE,
    request_signature: BOOST_INVALID_REQUEST_ORDER_SIGNATURE,
    volume_zero: BOOST_ORDERS_CONSUMED,
};

/// `pushResultBoost` / `claimBoost`: `index >= deal.botSize` (also every index of a deal
/// that does not exist, whose `botSize` is 0).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, requireTaskExistsAndUnset
pub const BOOST_UNKNOWN_TASK: &str = "PocoBoost: Unknown task";
/// `pushResultBoost` / `claimBoost`: the task was already pushed or claimed.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, requireTaskExistsAndUnset
pub const BOOST_TASK_STATUS_NOT_UNSET: &str = "PocoBoost: Task status not unset";
/// `pushResultBoost` at or after the deal's deadline (`now >= deadline`).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, pushResultBoost
pub const BOOST_DEADLINE_REACHED: &str = "PocoBoost: Deadline reached";
/// `pushResultBoost` of a TEE deal (tag bit 0) without an enclave challenge.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, pushResultBoost
pub const BOOST_TAG_REQUIRES_ENCLAVE_CHALLENGE: &str = "PocoBoost: Tag requires enclave challenge";
/// `pushResultBoost`: the worker authorization is not signed by the scheduler (or the TEE
/// broker for an enclave).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, pushResultBoost
pub const BOOST_INVALID_AUTHORIZATION_SIGNATURE: &str = "PocoBoost: Invalid contribution authorization signature";
/// `pushResultBoost`: the enclave did not sign `(worker, taskId, resultDigest)`.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, pushResultBoost
pub const BOOST_INVALID_ENCLAVE_SIGNATURE: &str = "PocoBoost: Invalid enclave signature";
/// `pushResultBoost` on a deal with a callback, with empty `resultsCallback`.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, pushResultBoost
pub const BOOST_CALLBACK_REQUIRES_DATA: &str = "PocoBoost: Callback requires data";
/// `pushResultBoost`: `gasleft() <= callbackgas / 63` after the callback (the caller starved
/// the callback; Boost's `require` where classic `finalize` asserts).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, pushResultBoost
pub const BOOST_NOT_ENOUGH_GAS_AFTER_CALLBACK: &str = "PocoBoost: Not enough gas after callback";
/// `claimBoost` before the deal's deadline (`deadline > now`).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, claimBoost
pub const BOOST_DEADLINE_NOT_REACHED: &str = "PocoBoost: Deadline not reached";

/// Every `PocoBoost: …` reason of PoCo's Boost facet: the 28 of the match, then the 9 of
/// `pushResultBoost` and `claimBoost`.
pub const BOOST_REASONS: [&str; 37] = {
    let m = BOOST_MATCH_REASONS.all();
    [
        m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], m[9], m[10], m[11], m[12], m[13],
        m[14], m[15], m[16], m[17], m[18], m[19], m[20], m[21], m[22], m[23], m[24], m[25],
        m[26], m[27],
        BOOST_UNKNOWN_TASK,
        BOOST_TASK_STATUS_NOT_UNSET,
        BOOST_DEADLINE_REACHED,
        BOOST_TAG_REQUIRES_ENCLAVE_CHALLENGE,
        BOOST_INVALID_AUTHORIZATION_SIGNATURE,
        BOOST_INVALID_ENCLAVE_SIGNATURE,
        BOOST_CALLBACK_REQUIRES_DATA,
        BOOST_NOT_ENOUGH_GAS_AFTER_CALLBACK,
        BOOST_DEADLINE_NOT_REACHED,
    ]
};

/// An EOA signature whose length is neither 65 nor 64 bytes (and that is not presigned, when
/// presignatures apply); this revert wins over the caller's own reason (e.g. 0x21).
///
/// PoCo: contracts/abstract/SignatureVerifier.sol, _verifySignature
pub const INVALID_SIGNATURE_FORMAT: &str = "invalid-signature-format";
/// `manageXOrder`: the sender is not the order owner and the operation is not signed by it.
///
/// PoCo: contracts/facets/IexecOrderManagementFacet.sol, manageAppOrder (and siblings)
pub const INVALID_SENDER_OR_SIGNATURE: &str = "invalid-sender-or-signature";

/// `assertDatasetDealCompatibility` 1: `consumed >= volume`.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, assertDatasetDealCompatibility
pub const DATASET_ORDER_CONSUMED: &str = "Dataset order is revoked or fully consumed";
/// `assertDatasetDealCompatibility` 2: not presigned nor signed by the dataset owner.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, assertDatasetDealCompatibility
pub const DATASET_ORDER_SIGNATURE_INVALID: &str = "Invalid dataset order signature";
/// `assertDatasetDealCompatibility` 3: `deal.requester == 0`.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, assertDatasetDealCompatibility
pub const DATASET_DEAL_NOT_FOUND: &str = "Deal not found";
/// `assertDatasetDealCompatibility` 4: the deal already uses a dataset.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, assertDatasetDealCompatibility
pub const DATASET_DEAL_HAS_DATASET: &str = "Deal already has a dataset";
/// `assertDatasetDealCompatibility` 5: `datasetOrder.apprestrict` refuses the deal's app.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, assertDatasetDealCompatibility
pub const DATASET_APP_RESTRICTION: &str = "App restriction not satisfied";
/// `assertDatasetDealCompatibility` 6: `datasetOrder.workerpoolrestrict` refuses the deal's
/// workerpool.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, assertDatasetDealCompatibility
pub const DATASET_WORKERPOOL_RESTRICTION: &str = "Workerpool restriction not satisfied";
/// `assertDatasetDealCompatibility` 7: `datasetOrder.requesterrestrict` refuses the deal's
/// requester.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, assertDatasetDealCompatibility
pub const DATASET_REQUESTER_RESTRICTION: &str = "Requester restriction not satisfied";
/// `assertDatasetDealCompatibility` 8: the deal tag lacks a (TEE-framework-masked) dataset bit.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, assertDatasetDealCompatibility
pub const DATASET_TAG_INCOMPATIBLE: &str = "Tag compatibility not satisfied";

/// `lock`/`seize`/transfer of more than the account's balance (or frozen balance).
///
/// PoCo: contracts/abstract/IexecEscrow.sol, _transfer
pub const ESCROW_AMOUNT_EXCEEDS_BALANCE: &str = "IexecEscrow: Transfer amount exceeds balance";
/// Escrow movement from `address(0)`.
///
/// PoCo: contracts/abstract/IexecEscrow.sol, _transfer
pub const ESCROW_FROM_EMPTY_ADDRESS: &str = "IexecEscrow: Transfer from empty address";
/// Escrow movement to `address(0)`.
///
/// PoCo: contracts/abstract/IexecEscrow.sol, _transfer
pub const ESCROW_TO_EMPTY_ADDRESS: &str = "IexecEscrow: Transfer to empty address";

/// SRLC ERC-20 transfer from `address(0)`.
///
/// PoCo: contracts/abstract/IexecERC20Base.sol, _transfer
pub const ERC20_TRANSFER_FROM_ZERO: &str = "ERC20: transfer from the zero address";
/// SRLC ERC-20 transfer to `address(0)`.
///
/// PoCo: contracts/abstract/IexecERC20Base.sol, _transfer
pub const ERC20_TRANSFER_TO_ZERO: &str = "ERC20: transfer to the zero address";

/// Token mode: `receive`/`fallback` refuse native value.
///
/// PoCo: contracts/facets/IexecEscrowTokenFacet.sol, receive / fallback
pub const FALLBACK_DISABLED: &str = "fallback-disabled";
/// `configure` called a second time (the domain separator is already set).
///
/// PoCo: contracts/facets/IexecConfigurationFacet.sol, configure
pub const ALREADY_CONFIGURED: &str = "already-configured";
/// `updateDomainSeparator` before `configure`.
///
/// PoCo: contracts/facets/IexecConfigurationFacet.sol, updateDomainSeparator
pub const NOT_CONFIGURED: &str = "not-configured";
/// `importScore` called twice for the same worker.
///
/// PoCo: contracts/facets/IexecConfigurationFacet.sol, importScore
pub const SCORE_ALREADY_IMPORTED: &str = "score-already-imported";
/// `receiveApproval` with a token other than the base RLC token.
///
/// PoCo: contracts/facets/IexecEscrowTokenFacet.sol, receiveApproval
pub const WRONG_TOKEN: &str = "wrong-token";
/// `depositForArray` with arrays of different lengths.
///
/// PoCo: contracts/facets/IexecEscrowTokenFacet.sol, depositForArray
pub const INVALID_ARRAY_LENGTH: &str = "invalid-array-length";
/// `approveAndCall`: the spender's `receiveApproval` returned false.
///
/// PoCo: contracts/abstract/IexecERC20Base.sol, approveAndCall
pub const APPROVAL_REFUSED: &str = "approval-refused";
/// `deposit*`: the RLC `transferFrom` returned false.
///
/// PoCo: contracts/facets/IexecEscrowTokenFacet.sol, _deposit
pub const FAILED_TRANSFER_FROM: &str = "failed-transferFrom";
/// Native mode: sending wei on `withdraw` failed.
///
/// PoCo: contracts/facets/IexecEscrowNativeFacet.sol, _withdraw
pub const NATIVE_TRANSFER_FAILED: &str = "native-transfer-failed";
/// `resultFor` of a task that is not COMPLETED.
///
/// PoCo: contracts/facets/IexecPocoAccessorsFacet.sol, resultFor
pub const TASK_PENDING: &str = "task-pending";
/// Owner-only functions (`onlyOwner` self-calls `owner()`).
///
/// PoCo: contracts/abstract/FacetBase.sol, onlyOwner
pub const OWNABLE_NOT_OWNER: &str = "Ownable: caller is not the owner";

/// SRLC `approve` from the zero address (OpenZeppelin ERC-20 wording, as PoCo's ERC-20 base).
///
/// PoCo: contracts/abstract/IexecERC20Base.sol, _approve
pub const ERC20_APPROVE_FROM_ZERO: &str = "ERC20: approve from the zero address";

/// SRLC `approve` to the zero address.
///
/// PoCo: contracts/abstract/IexecERC20Base.sol, _approve
pub const ERC20_APPROVE_TO_ZERO: &str = "ERC20: approve to the zero address";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_orders_reasons_are_the_28_numbered_codes_in_order() {
        let codes: [&str; 28] = [
            "00", "01", "02", "03", "04", "05", "06", "07", "10", "11", "12", "13", "14", "15",
            "16", "17", "18", "19", "1a", "1b", "20", "21", "30", "31", "40", "41", "50", "60",
        ];
        for (reason, code) in MATCH_ORDERS_REASONS.iter().zip(codes) {
            assert_eq!(*reason, alloc::format!("iExecV5-matchOrders-0x{code}"));
        }
    }

    #[test]
    fn the_classic_table_is_the_numbered_list() {
        assert_eq!(CLASSIC_MATCH_REASONS.all(), MATCH_ORDERS_REASONS);
    }

    /// The 37 strings are PoCo's Boost facet's, each once (read from PoCo's source at
    /// `fd0c823e`, in the order the facet raises them, with the trust check moved to the
    /// classic table's third place).
    #[test]
    fn boost_reasons_are_pocos_and_distinct() {
        let expected = [
            "Category mismatch",
            "Unknown category",
            "Bad trust level",
            "Overpriced app",
            "Overpriced dataset",
            "Overpriced workerpool",
            "Workerpool tag does not match demand",
            "App tag does not match demand",
            "App mismatch",
            "Dataset mismatch",
            "Workerpool restricted by request order",
            "Dataset restricted by app order",
            "Workerpool restricted by app order",
            "Requester restricted by app order",
            "App restricted by dataset order",
            "Workerpool restricted by dataset order",
            "Requester restricted by dataset order",
            "App restricted by workerpool order",
            "Dataset restricted by workerpool order",
            "Requester restricted by workerpool order",
            "App not registered",
            "Invalid app order signature",
            "Dataset not registered",
            "Invalid dataset order signature",
            "Workerpool not registered",
            "Invalid workerpool order signature",
            "Invalid request order signature",
            "One or more orders consumed",
            "Unknown task",
            "Task status not unset",
            "Deadline reached",
            "Tag requires enclave challenge",
            "Invalid contribution authorization signature",
            "Invalid enclave signature",
            "Callback requires data",
            "Not enough gas after callback",
            "Deadline not reached",
        ];
        for (reason, text) in BOOST_REASONS.iter().zip(expected) {
            assert_eq!(*reason, alloc::format!("PocoBoost: {text}"));
        }
        for (i, a) in BOOST_REASONS.iter().enumerate() {
            assert!(BOOST_REASONS[i + 1..].iter().all(|b| a != b), "{a} twice");
        }
    }

    #[test]
    fn escrow_reasons_share_prefix() {
        for r in [
            ESCROW_AMOUNT_EXCEEDS_BALANCE,
            ESCROW_FROM_EMPTY_ADDRESS,
            ESCROW_TO_EMPTY_ADDRESS,
        ] {
            assert!(r.starts_with("IexecEscrow: Transfer "), "{r}");
        }
    }
}
