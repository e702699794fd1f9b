//! The facet's events, named and shaped as PoCo's (`IexecOrderManagement`, `IexecRelay`).
//!
//! The broadcast events carry a whole order; `sol!` needs the struct in the same block to
//! derive the event signature, so the four order structs are declared again here, for the
//! signatures and the JSON ABI only. The facet encodes `poco_core::orders`' structs, which
//! have the same ABI (checked by the tests).

#![allow(missing_docs)]

alloy_sol_types::sol! {
    /// ABI twin of `poco_core::orders::AppOrder` (event signatures only).
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

    /// ABI twin of `poco_core::orders::DatasetOrder`.
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

    /// ABI twin of `poco_core::orders::WorkerpoolOrder`.
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

    /// ABI twin of `poco_core::orders::RequestOrder`.
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

    /// An app order was presigned by its owner.
    #[sol(abi)]
    event SignedAppOrder(bytes32 appHash);
    /// A dataset order was presigned by its owner.
    #[sol(abi)]
    event SignedDatasetOrder(bytes32 datasetHash);
    /// A workerpool order was presigned by its owner.
    #[sol(abi)]
    event SignedWorkerpoolOrder(bytes32 workerpoolHash);
    /// A request order was presigned by its requester.
    #[sol(abi)]
    event SignedRequestOrder(bytes32 requestHash);
    /// An app order was closed (its consumed volume set to its volume).
    #[sol(abi)]
    event ClosedAppOrder(bytes32 appHash);
    /// A dataset order was closed.
    #[sol(abi)]
    event ClosedDatasetOrder(bytes32 datasetHash);
    /// A workerpool order was closed.
    #[sol(abi)]
    event ClosedWorkerpoolOrder(bytes32 workerpoolHash);
    /// A request order was closed.
    #[sol(abi)]
    event ClosedRequestOrder(bytes32 requestHash);
    /// An app order was published.
    #[sol(abi)]
    event BroadcastAppOrder(AppOrder apporder);
    /// A dataset order was published.
    #[sol(abi)]
    event BroadcastDatasetOrder(DatasetOrder datasetorder);
    /// A workerpool order was published.
    #[sol(abi)]
    event BroadcastWorkerpoolOrder(WorkerpoolOrder workerpoolorder);
    /// A request order was published.
    #[sol(abi)]
    event BroadcastRequestOrder(RequestOrder requestorder);
}
