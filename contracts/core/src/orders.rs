//! The four PoCo orders, their signed management operations and the EIP-712 domain struct,
//! with PoCo's exact field names and order (`contracts/libs/IexecLibOrders_v5.sol`).
//!
//! They are `sol!` structs, so they ABI-encode like PoCo's tuples and implement
//! [`alloy_sol_types::SolStruct`]. **Do not sign them with alloy's generic EIP-712**
//! (`SolStruct::eip712_signing_hash`): their Rust shape includes the `sign` field, which PoCo's
//! typehashes leave out, and `operation` is `uint8` in the ABI but `uint256` in PoCo's
//! typehash. Use [`crate::eip712`] instead.

use crate::status::{OrderOperationEnum, UnknownEnumValue};

// The `AbiType` derive (feature "stylus") names `String` unqualified; this crate is no_std.
#[cfg(feature = "stylus")]
#[allow(unused_imports)]
use alloc::string::String;

alloy_sol_types::sol! {
    #![sol(all_derives)]

    /// An app owner's offer to run its app (ABI `IexecLibOrders_v5.AppOrder`).
    ///
    /// PoCo: contracts/libs/IexecLibOrders_v5.sol, AppOrder
    #[cfg_attr(feature = "stylus", derive(stylus_sdk::stylus_proc::AbiType))]
    struct AppOrder {
        address app;
        uint256 appprice;
        uint256 volume;
        bytes32 tag;
        address datasetrestrict;
        address workerpoolrestrict;
        address requesterrestrict;
        bytes32 salt;
        bytes sign;
    }

    /// A dataset owner's offer to lend its dataset (ABI `IexecLibOrders_v5.DatasetOrder`).
    ///
    /// PoCo: contracts/libs/IexecLibOrders_v5.sol, DatasetOrder
    #[cfg_attr(feature = "stylus", derive(stylus_sdk::stylus_proc::AbiType))]
    struct DatasetOrder {
        address dataset;
        uint256 datasetprice;
        uint256 volume;
        bytes32 tag;
        address apprestrict;
        address workerpoolrestrict;
        address requesterrestrict;
        bytes32 salt;
        bytes sign;
    }

    /// A scheduler's offer of computing power (ABI `IexecLibOrders_v5.WorkerpoolOrder`).
    ///
    /// PoCo: contracts/libs/IexecLibOrders_v5.sol, WorkerpoolOrder
    #[cfg_attr(feature = "stylus", derive(stylus_sdk::stylus_proc::AbiType))]
    struct WorkerpoolOrder {
        address workerpool;
        uint256 workerpoolprice;
        uint256 volume;
        bytes32 tag;
        uint256 category;
        uint256 trust;
        address apprestrict;
        address datasetrestrict;
        address requesterrestrict;
        bytes32 salt;
        bytes sign;
    }

    /// A requester's demand for executions (ABI `IexecLibOrders_v5.RequestOrder`).
    ///
    /// PoCo: contracts/libs/IexecLibOrders_v5.sol, RequestOrder
    #[cfg_attr(feature = "stylus", derive(stylus_sdk::stylus_proc::AbiType))]
    struct RequestOrder {
        address app;
        uint256 appmaxprice;
        address dataset;
        uint256 datasetmaxprice;
        address workerpool;
        uint256 workerpoolmaxprice;
        address requester;
        uint256 volume;
        bytes32 tag;
        uint256 category;
        uint256 trust;
        address beneficiary;
        address callback;
        string params;
        bytes32 salt;
        bytes sign;
    }

    /// Presign or close an app order (`manageAppOrder`). `operation` is an
    /// [`OrderOperationEnum`] (`uint8` in the ABI).
    ///
    /// PoCo: contracts/libs/IexecLibOrders_v5.sol, AppOrderOperation
    #[cfg_attr(feature = "stylus", derive(stylus_sdk::stylus_proc::AbiType))]
    struct AppOrderOperation {
        AppOrder order;
        uint8 operation;
        bytes sign;
    }

    /// Presign or close a dataset order (`manageDatasetOrder`).
    ///
    /// PoCo: contracts/libs/IexecLibOrders_v5.sol, DatasetOrderOperation
    #[cfg_attr(feature = "stylus", derive(stylus_sdk::stylus_proc::AbiType))]
    struct DatasetOrderOperation {
        DatasetOrder order;
        uint8 operation;
        bytes sign;
    }

    /// Presign or close a workerpool order (`manageWorkerpoolOrder`).
    ///
    /// PoCo: contracts/libs/IexecLibOrders_v5.sol, WorkerpoolOrderOperation
    #[cfg_attr(feature = "stylus", derive(stylus_sdk::stylus_proc::AbiType))]
    struct WorkerpoolOrderOperation {
        WorkerpoolOrder order;
        uint8 operation;
        bytes sign;
    }

    /// Presign or close a request order (`manageRequestOrder`).
    ///
    /// PoCo: contracts/libs/IexecLibOrders_v5.sol, RequestOrderOperation
    #[cfg_attr(feature = "stylus", derive(stylus_sdk::stylus_proc::AbiType))]
    struct RequestOrderOperation {
        RequestOrder order;
        uint8 operation;
        bytes sign;
    }

    /// `manageAppOrder`: presign or close a app order, by its owner or by its owner's
    /// signature of the operation. Declared here, beside its struct, for the ABI export.
    ///
    /// PoCo: contracts/facets/IexecOrderManagementFacet.sol, manageAppOrder
    #[sol(abi)]
    function manageAppOrder(AppOrderOperation) external;

    /// `broadcastAppOrder`: publishes a app order as an event.
    ///
    /// PoCo: contracts/facets/IexecRelayFacet.sol, broadcastAppOrder
    #[sol(abi)]
    function broadcastAppOrder(AppOrder) external;

    /// A app order was published (`broadcastAppOrder`).
    ///
    /// PoCo: contracts/interfaces/IexecRelay.sol, BroadcastAppOrder
    #[sol(abi)]
    event BroadcastAppOrder(AppOrder apporder);

    /// `manageDatasetOrder`: presign or close a dataset order, by its owner or by its owner's
    /// signature of the operation. Declared here, beside its struct, for the ABI export.
    ///
    /// PoCo: contracts/facets/IexecOrderManagementFacet.sol, manageDatasetOrder
    #[sol(abi)]
    function manageDatasetOrder(DatasetOrderOperation) external;

    /// `broadcastDatasetOrder`: publishes a dataset order as an event.
    ///
    /// PoCo: contracts/facets/IexecRelayFacet.sol, broadcastDatasetOrder
    #[sol(abi)]
    function broadcastDatasetOrder(DatasetOrder) external;

    /// A dataset order was published (`broadcastDatasetOrder`).
    ///
    /// PoCo: contracts/interfaces/IexecRelay.sol, BroadcastDatasetOrder
    #[sol(abi)]
    event BroadcastDatasetOrder(DatasetOrder datasetorder);

    /// `manageWorkerpoolOrder`: presign or close a workerpool order, by its owner or by its owner's
    /// signature of the operation. Declared here, beside its struct, for the ABI export.
    ///
    /// PoCo: contracts/facets/IexecOrderManagementFacet.sol, manageWorkerpoolOrder
    #[sol(abi)]
    function manageWorkerpoolOrder(WorkerpoolOrderOperation) external;

    /// `broadcastWorkerpoolOrder`: publishes a workerpool order as an event.
    ///
    /// PoCo: contracts/facets/IexecRelayFacet.sol, broadcastWorkerpoolOrder
    #[sol(abi)]
    function broadcastWorkerpoolOrder(WorkerpoolOrder) external;

    /// A workerpool order was published (`broadcastWorkerpoolOrder`).
    ///
    /// PoCo: contracts/interfaces/IexecRelay.sol, BroadcastWorkerpoolOrder
    #[sol(abi)]
    event BroadcastWorkerpoolOrder(WorkerpoolOrder workerpoolorder);

    /// `manageRequestOrder`: presign or close a request order, by its owner or by its owner's
    /// signature of the operation. Declared here, beside its struct, for the ABI export.
    ///
    /// PoCo: contracts/facets/IexecOrderManagementFacet.sol, manageRequestOrder
    #[sol(abi)]
    function manageRequestOrder(RequestOrderOperation) external;

    /// `broadcastRequestOrder`: publishes a request order as an event.
    ///
    /// PoCo: contracts/facets/IexecRelayFacet.sol, broadcastRequestOrder
    #[sol(abi)]
    function broadcastRequestOrder(RequestOrder) external;

    /// A request order was published (`broadcastRequestOrder`).
    ///
    /// PoCo: contracts/interfaces/IexecRelay.sol, BroadcastRequestOrder
    #[sol(abi)]
    event BroadcastRequestOrder(RequestOrder requestorder);

    /// `matchOrders`: matches the four orders into a deal paid by the requester; returns the
    /// deal id. Its `SELECTOR` (`0x156194d4`) dispatches the matching facet's fallback, its
    /// `abi()` is the exported ABI item, and off-chain code encodes calls with it.
    ///
    /// PoCo: contracts/facets/IexecPoco1Facet.sol, matchOrders
    #[sol(abi)]
    function matchOrders(AppOrder, DatasetOrder, WorkerpoolOrder, RequestOrder) external returns (bytes32);

    /// `sponsorMatchOrders`: as `matchOrders`, the sender paying (`0x2f391533`).
    ///
    /// PoCo: contracts/facets/IexecPoco1Facet.sol, sponsorMatchOrders
    #[sol(abi)]
    function sponsorMatchOrders(AppOrder, DatasetOrder, WorkerpoolOrder, RequestOrder) external returns (bytes32);

    /// `computeDealVolume`: the volume a match of these orders would have now (`0x66517ca6`).
    ///
    /// PoCo: contracts/facets/IexecPoco1Facet.sol, computeDealVolume
    #[sol(abi)]
    function computeDealVolume(
        AppOrder appOrder,
        DatasetOrder datasetOrder,
        WorkerpoolOrder workerpoolOrder,
        RequestOrder requestOrder
    ) external view returns (uint256);

    /// `assertDatasetDealCompatibility`: reverts with `IncompatibleDatasetOrder(reason)` unless
    /// the dataset order can join deal `dealId` (`0x80f03425`).
    ///
    /// PoCo: contracts/facets/IexecPoco1Facet.sol, assertDatasetDealCompatibility
    #[sol(abi)]
    function assertDatasetDealCompatibility(DatasetOrder datasetOrder, bytes32 dealId) external view;

    /// `matchOrdersBoost`: matches the four orders into a Boost deal (trust ≤ 1, settled by
    /// `pushResultBoost`) paid by the requester; returns the deal id. `0x8a8b3607`, dispatched
    /// by the Boost match facet's fallback.
    ///
    /// PoCo: contracts/facets/IexecPocoBoostFacet.sol, matchOrdersBoost
    #[sol(abi)]
    function matchOrdersBoost(
        AppOrder appOrder,
        DatasetOrder datasetOrder,
        WorkerpoolOrder workerpoolOrder,
        RequestOrder requestOrder
    ) external returns (bytes32);

    /// `sponsorMatchOrdersBoost`: as `matchOrdersBoost`, the sender paying (`0xc1f9a20e`).
    ///
    /// PoCo: contracts/facets/IexecPocoBoostFacet.sol, sponsorMatchOrdersBoost
    #[sol(abi)]
    function sponsorMatchOrdersBoost(
        AppOrder appOrder,
        DatasetOrder datasetOrder,
        WorkerpoolOrder workerpoolOrder,
        RequestOrder requestOrder
    ) external returns (bytes32);

    /// The EIP-712 domain as returned by `domain()` (ABI `IexecLibOrders_v5.EIP712Domain`).
    ///
    /// PoCo: contracts/libs/IexecLibOrders_v5.sol, EIP712Domain
    #[cfg_attr(feature = "stylus", derive(stylus_sdk::stylus_proc::AbiType))]
    struct EIP712Domain {
        string name;
        string version;
        uint256 chainId;
        address verifyingContract;
    }
}

macro_rules! operation_enum_accessor {
    ($($op:ident),+) => {$(
        impl $op {
            /// The operation as [`OrderOperationEnum`]; PoCo's ABI decoder rejects other values.
            pub fn operation_enum(&self) -> Result<OrderOperationEnum, UnknownEnumValue> {
                OrderOperationEnum::try_from(self.operation)
            }
        }
    )+};
}
operation_enum_accessor!(
    AppOrderOperation,
    DatasetOrderOperation,
    WorkerpoolOrderOperation,
    RequestOrderOperation
);

impl EIP712Domain {
    /// PoCo's domain `("iExecODB", "5.0.0", chainId, hub)`, as `domain()` returns it.
    ///
    /// PoCo: contracts/facets/IexecConfigurationFacet.sol, domain
    pub fn poco(chain_id: u64, verifying_contract: alloy_primitives::Address) -> Self {
        Self {
            name: crate::constants::EIP712_DOMAIN_NAME.into(),
            version: crate::constants::EIP712_DOMAIN_VERSION.into(),
            chainId: alloy_primitives::U256::from(chain_id),
            verifyingContract: verifying_contract,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{Address, U256};
    use alloy_sol_types::{SolStruct, SolType, SolValue};

    #[test]
    fn abi_round_trip_of_a_request_order() {
        let order = RequestOrder {
            app: Address::repeat_byte(1),
            appmaxprice: U256::from(5),
            volume: U256::from(3),
            params: "{\"iexec_args\":\"x\"}".into(),
            sign: alloc::vec![1, 2, 3].into(),
            ..Default::default()
        };
        let encoded = order.abi_encode();
        assert_eq!(
            <RequestOrder as SolValue>::abi_decode(&encoded).unwrap(),
            order
        );
    }

    #[test]
    fn operation_enum_rejects_unknown_values() {
        let mut op = AppOrderOperation {
            operation: 1,
            ..Default::default()
        };
        assert_eq!(op.operation_enum(), Ok(OrderOperationEnum::CLOSE));
        op.operation = 2;
        assert!(op.operation_enum().is_err());
    }

    #[test]
    fn alloy_type_strings_include_sign_so_alloy_eip712_is_not_pocos() {
        // This is why crate::eip712 exists: alloy's type string for the ABI struct differs
        // from PoCo's typehash string (which has no `sign`).
        assert!(AppOrder::eip712_root_type().contains("bytes sign"));
        assert_eq!(
            <AppOrderOperation as SolType>::SOL_NAME,
            "AppOrderOperation"
        );
    }

    #[test]
    fn order_function_selectors_are_pocos() {
        use alloy_sol_types::SolCall;
        assert_eq!(matchOrdersCall::SELECTOR, [0x15, 0x61, 0x94, 0xd4]);
        assert_eq!(sponsorMatchOrdersCall::SELECTOR, [0x2f, 0x39, 0x15, 0x33]);
        assert_eq!(computeDealVolumeCall::SELECTOR, [0x66, 0x51, 0x7c, 0xa6]);
        assert_eq!(assertDatasetDealCompatibilityCall::SELECTOR, [0x80, 0xf0, 0x34, 0x25]);
        assert_eq!(matchOrdersBoostCall::SELECTOR, [0x8a, 0x8b, 0x36, 0x07]);
        assert_eq!(sponsorMatchOrdersBoostCall::SELECTOR, [0xc1, 0xf9, 0xa2, 0x0e]);
    }

    /// The Boost order-taking functions' ABI items are the reference's, names included.
    #[test]
    fn boost_function_abi_items_match_the_reference() {
        use alloy_sol_types::JsonAbiExt;
        let reference: serde_json::Value = serde_json::from_str(include_str!(
            "../../../../shared/reference/abi/required/IexecPocoBoostFacet.json"
        ))
        .unwrap();
        let strip = |mut v: serde_json::Value| {
            // alloy leaves out `internalType`; compare the rest.
            fn drop_internal(v: &mut serde_json::Value) {
                match v {
                    serde_json::Value::Object(o) => {
                        o.remove("internalType");
                        o.values_mut().for_each(drop_internal);
                    }
                    serde_json::Value::Array(a) => a.iter_mut().for_each(drop_internal),
                    _ => {}
                }
            }
            drop_internal(&mut v);
            v
        };
        for ours in [
            serde_json::to_value(matchOrdersBoostCall::abi()).unwrap(),
            serde_json::to_value(sponsorMatchOrdersBoostCall::abi()).unwrap(),
        ] {
            let name = alloc::string::String::from(ours["name"].as_str().unwrap());
            let theirs = reference.as_array().unwrap().iter().find(|i| i["name"] == name.as_str()).unwrap().clone();
            let (ours, theirs) = (strip(ours), strip(theirs));
            assert_eq!(ours["inputs"], theirs["inputs"], "{name}");
            assert_eq!(ours["outputs"], theirs["outputs"], "{name}");
            assert_eq!(ours["stateMutability"], theirs["stateMutability"], "{name}");
        }
    }

    #[test]
    fn order_function_abi_items_match_the_reference() {
        use alloc::{
            string::{String, ToString},
            vec::Vec,
        };
        use alloy_sol_types::JsonAbiExt;
        let reference: serde_json::Value = serde_json::from_str(include_str!(
            "../../../../shared/reference/abi/required/IexecInterfaceToken.json"
        ))
        .unwrap();
        let ours = [
            serde_json::to_value(matchOrdersCall::abi()).unwrap(),
            serde_json::to_value(sponsorMatchOrdersCall::abi()).unwrap(),
            serde_json::to_value(computeDealVolumeCall::abi()).unwrap(),
            serde_json::to_value(assertDatasetDealCompatibilityCall::abi()).unwrap(),
        ];
        for item in ours {
            let name = item["name"].as_str().unwrap();
            let theirs = reference.as_array().unwrap().iter().find(|i| i["name"] == name).unwrap();
            assert_eq!(item["stateMutability"], theirs["stateMutability"], "{name}");
            let shape = |v: &serde_json::Value| -> Vec<(String, String, String)> {
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|p| {
                        // Names and types only: alloy leaves out `internalType`.
                        let comps = p
                            .get("components")
                            .and_then(|c| c.as_array())
                            .map(|c| c.iter().map(|f| [f["name"].to_string(), f["type"].to_string()].concat()).collect())
                            .unwrap_or_else(Vec::new)
                            .join(",");
                        (p["name"].to_string(), p["type"].to_string(), comps)
                    })
                    .collect()
            };
            assert_eq!(shape(&item["inputs"]), shape(&theirs["inputs"]), "{name} inputs");
            assert_eq!(shape(&item["outputs"]), shape(&theirs["outputs"]), "{name} outputs");
        }
    }

    #[test]
    fn poco_domain_fields() {
        let d = EIP712Domain::poco(42161, Address::repeat_byte(9));
        assert_eq!(d.name, "iExecODB");
        assert_eq!(d.version, "5.0.0");
        assert_eq!(d.chainId, U256::from(42161));
    }
}
