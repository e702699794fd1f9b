//! Typed bindings of the deployed contracts, generated from the committed ABI in `abi/` (the
//! files integrators use), so the scenarios exercise exactly the published interface.
//!
//! alloy's binding generator cannot take `abi/hub.json` whole yet: the order tuples of the
//! functions declared with `sol!` carry no internalType, and their anonymous tuple names
//! overflow alloy's 256-byte limit. The hub is therefore bound facet by facet, and calls that
//! take orders are encoded with poco-core's `*Call` types, their one definition.
#![allow(missing_docs, unreachable_pub, clippy::too_many_arguments)] // generated code

use alloy::sol;

sol!(
    #[sol(rpc)]
    IRlc,
    "../abi/rlc.json"
);
sol!(
    #[sol(rpc)]
    IAppRegistry,
    "../abi/app-registry.json"
);
sol!(
    #[sol(rpc)]
    IApp,
    "../abi/app.json"
);
sol!(
    #[sol(rpc)]
    IDatasetRegistry,
    "../abi/dataset-registry.json"
);
sol!(
    #[sol(rpc)]
    IWorkerpoolRegistry,
    "../abi/workerpool-registry.json"
);
sol!(
    #[sol(rpc)]
    IWorkerpool,
    "../abi/workerpool.json"
);
sol!(
    #[sol(rpc)]
    IHub,
    "../abi/facet-accessors.json"
);
sol!(
    #[sol(rpc)]
    IEscrow,
    "../abi/facet-escrow.json"
);

// The task lifecycle, facet by facet as the hub routes it: initialize/claim and the task
// events (`facet-tasks`), contribute/reveal/reopen, finalize/contributeAndFinalize, and the
// task views (`facet-task-accessors`).
sol!(
    #[sol(rpc, all_derives)]
    ITasks,
    "../abi/facet-tasks.json"
);
sol!(
    #[sol(rpc, all_derives)]
    IContribute,
    "../abi/facet-contribute.json"
);
sol!(
    #[sol(rpc, all_derives)]
    IFinalize,
    "../abi/facet-finalize.json"
);
sol!(
    #[sol(rpc, all_derives)]
    ITaskViews,
    "../abi/facet-task-accessors.json"
);

// The hub's administration (owner only): `setTeeBroker`, `setCallbackGas`.
sol!(
    #[sol(rpc)]
    IAdmin,
    "../abi/facet-admin.json"
);
