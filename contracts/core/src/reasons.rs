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
