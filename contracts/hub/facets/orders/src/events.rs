//! The facet's events, named and shaped as PoCo's (`IexecOrderManagement`, `IexecRelay`).
//!
//! The broadcast events carry a whole order, so they are declared in poco-core beside the
//! order structs (`sol!` resolves structs only within one block) and re-exported here.

#![allow(missing_docs)]

pub use poco_core::orders::{BroadcastAppOrder, BroadcastDatasetOrder, BroadcastRequestOrder, BroadcastWorkerpoolOrder};

alloy_sol_types::sol! {
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
}
