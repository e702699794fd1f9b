//! The four PoCo orders, their signed management operations and the EIP-712 domain struct,
//! with PoCo's exact field names and order (`contracts/libs/IexecLibOrders_v5.sol`).
//!
//! They are `sol!` structs, so they ABI-encode like PoCo's tuples and implement
//! [`alloy_sol_types::SolStruct`]. **Do not sign them with alloy's generic EIP-712**
//! (`SolStruct::eip712_signing_hash`): their Rust shape includes the `sign` field, which PoCo's
//! typehashes leave out, and `operation` is `uint8` in the ABI but `uint256` in PoCo's
//! typehash. Use [`crate::eip712`] instead.

use crate::status::{OrderOperationEnum, UnknownEnumValue};

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
    fn poco_domain_fields() {
        let d = EIP712Domain::poco(42161, Address::repeat_byte(9));
        assert_eq!(d.name, "iExecODB");
        assert_eq!(d.version, "5.0.0");
        assert_eq!(d.chainId, U256::from(42161));
    }
}
