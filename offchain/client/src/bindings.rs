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
    "../../abi/rlc.json"
);
sol!(
    #[sol(rpc)]
    IAppRegistry,
    "../../abi/app-registry.json"
);
sol!(
    #[sol(rpc)]
    IApp,
    "../../abi/app.json"
);
sol!(
    #[sol(rpc)]
    IDatasetRegistry,
    "../../abi/dataset-registry.json"
);
sol!(
    #[sol(rpc)]
    IWorkerpoolRegistry,
    "../../abi/workerpool-registry.json"
);
sol!(
    #[sol(rpc)]
    IWorkerpool,
    "../../abi/workerpool.json"
);
sol!(
    #[sol(rpc)]
    IHub,
    "../../abi/facet-accessors.json"
);
// The escrow as integrators bind it: PoCo's `IexecEscrowToken` and `IexecERC20` mutators,
// declared once here because the hub serves them from two programs (the router itself serves
// deposits and withdrawals, the escrow facet the rest); the test
// `hand_declared_bindings_are_the_exported_hub_abi` checks them against `abi/hub.json`.
sol! {
    #[sol(rpc, all_derives, abi)]
    interface IEscrow {
        error CallerIsNotTheRequester();
        error OperationFailed();
        error UnsupportedOperation(bytes4 selector);

        event Transfer(address indexed from, address indexed to, uint256 value);
        event Approval(address indexed owner, address indexed spender, uint256 value);
        event Lock(address owner, uint256 amount);
        event Unlock(address owner, uint256 amount);
        event Reward(address owner, uint256 amount, bytes32 ref);
        event Seize(address owner, uint256 amount, bytes32 ref);

        function deposit(uint256 amount) external returns (bool);
        function depositFor(uint256 amount, address target) external returns (bool);
        function depositForArray(uint256[] amounts, address[] targets) external returns (bool);
        function withdraw(uint256 amount) external returns (bool);
        function withdrawTo(uint256 amount, address target) external returns (bool);
        function recover() external returns (uint256);
        function receiveApproval(address sender, uint256 amount, address token, bytes data) external returns (bool);
        function transfer(address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
        function approveAndCall(address spender, uint256 value, bytes extraData) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function increaseAllowance(address spender, uint256 addedValue) external returns (bool);
        function decreaseAllowance(address spender, uint256 subtractedValue) external returns (bool);
    }
}

// The task lifecycle as integrators bind it: PoCo's interface (`IexecPoco2`, the task views
// of `IexecPocoAccessors` and `IexecAccessorsABILegacy`) with PoCo's names, declared once
// here rather than bound facet by facet, because which facet serves what follows measured
// sizes and moves (reveal got a facet of its own) while the hub's interface does not.
// `hand_declared_bindings_are_the_exported_hub_abi` checks every function (inputs and outputs)
// and event against `abi/hub.json`, so a drift from what the hub serves fails a test.
sol! {
    #[sol(rpc, all_derives, abi)]
    interface IPoco2 {
        event TaskInitialize(bytes32 indexed taskid, address indexed workerpool);
        event TaskContribute(bytes32 indexed taskid, address indexed worker, bytes32 hash);
        event TaskConsensus(bytes32 indexed taskid, bytes32 consensus);
        event TaskReveal(bytes32 indexed taskid, address indexed worker, bytes32 digest);
        event TaskReopen(bytes32 indexed taskid);
        event TaskFinalize(bytes32 indexed taskid, bytes results);
        event TaskClaimed(bytes32 indexed taskid);
        event AccurateContribution(address indexed worker, bytes32 indexed taskid);
        event FaultyContribution(address indexed worker, bytes32 indexed taskid);
        event Lock(address owner, uint256 amount);
        event Unlock(address owner, uint256 amount);
        event Reward(address owner, uint256 amount, bytes32 ref);
        event Seize(address owner, uint256 amount, bytes32 ref);

        function initialize(bytes32 dealId, uint256 index) external returns (bytes32);
        function initializeArray(bytes32[] dealIds, uint256[] indexes) external returns (bool);
        function claim(bytes32 taskId) external;
        function claimArray(bytes32[] taskIds) external returns (bool);
        function initializeAndClaimArray(bytes32[] dealIds, uint256[] indexes) external returns (bool);
        function contribute(bytes32 taskId, bytes32 resultHash, bytes32 resultSeal, address enclaveChallenge, bytes enclaveSign, bytes authorizationSign) external;
        function reveal(bytes32 taskId, bytes32 resultDigest) external;
        function reopen(bytes32 taskId) external;
        function finalize(bytes32 taskId, bytes results, bytes resultsCallback) external;
        function contributeAndFinalize(bytes32 taskId, bytes32 resultDigest, bytes results, bytes resultsCallback, address enclaveChallenge, bytes enclaveSign, bytes authorizationSign) external;
    }

    #[sol(rpc, all_derives, abi)]
    interface ITaskViews {
        struct Task {
            uint8 status;
            bytes32 dealid;
            uint256 idx;
            uint256 timeref;
            uint256 contributionDeadline;
            uint256 revealDeadline;
            uint256 finalDeadline;
            bytes32 consensusValue;
            uint256 revealCounter;
            uint256 winnerCounter;
            address[] contributors;
            bytes32 resultDigest;
            bytes results;
            uint256 resultsTimestamp;
            bytes resultsCallback;
        }
        struct Contribution {
            uint8 status;
            bytes32 resultHash;
            bytes32 resultSeal;
            address enclaveChallenge;
            uint256 weight;
        }
        function viewTask(bytes32 id) external view returns (Task);
        function viewContribution(bytes32 _taskid, address _worker) external view returns (Contribution);
        function resultFor(bytes32 id) external view returns (bytes);
        function viewTaskABILegacy(bytes32 _taskid) external view returns (uint8, bytes32, uint256, uint256, uint256, uint256, uint256, bytes32, uint256, uint256, address[], bytes);
        function viewContributionABILegacy(bytes32 _taskid, address _worker) external view returns (uint8, bytes32, bytes32, address);
    }
}

// PoCo Boost's settlement: `pushResultBoost`, `claimBoost`, `viewDealBoost`, their events.
sol!(
    #[sol(rpc, all_derives)]
    IBoostPush,
    "../../abi/facet-boost-push.json"
);

// PoCo Boost's match events (its order-taking functions are poco-core's `*Call`s, for the
// reason the module docs give).
sol! {
    #[sol(all_derives)]
    interface IBoostMatchEvents {
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
        event DealSponsoredBoost(bytes32 dealId, address sponsor);
    }
}

// The hub's administration (owner only): `setTeeBroker`, `setCallbackGas`.
sol!(
    #[sol(rpc)]
    IAdmin,
    "../../abi/facet-admin.json"
);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

    use alloy::json_abi::{Function, JsonAbi};
    use crate::Artifacts;

    use super::{IEscrow, IPoco2, ITaskViews};

    /// A function's signature and its output types: what a binding depends on.
    fn shape(f: &Function) -> (String, Vec<String>) {
        (f.signature(), f.outputs.iter().map(|o| o.selector_type().into_owned()).collect())
    }

    /// The hand-declared bindings are what the hub exports: every function of `IPoco2`,
    /// `ITaskViews` and `IEscrow` is in `abi/hub.json` with the same inputs and outputs, and
    /// every event with the same signature and indexed parameters (and `cargo xtask abi
    /// --check` holds `abi/hub.json` to PoCo's reference ABI).
    #[test]
    fn hand_declared_bindings_are_the_exported_hub_abi() {
        let hub = Artifacts::of_this_workspace().abi("hub").expect("abi/hub.json");
        let ours: Vec<JsonAbi> = vec![IPoco2::abi::contract(), ITaskViews::abi::contract(), IEscrow::abi::contract()];
        for abi in &ours {
            for f in abi.functions() {
                let served = hub.function(&f.name).into_iter().flatten().map(shape).collect::<Vec<_>>();
                assert!(served.contains(&shape(f)), "{:?} is not served by the hub (it has {served:?})", shape(f));
            }
            for e in abi.events() {
                let indexed = |e: &alloy::json_abi::Event| e.inputs.iter().map(|i| i.indexed).collect::<Vec<_>>();
                let served = hub.event(&e.name).into_iter().flatten().find(|h| h.selector() == e.selector());
                let served = served.unwrap_or_else(|| panic!("event {} is not in the hub's ABI", e.signature()));
                assert_eq!(indexed(served), indexed(e), "indexed parameters of {}", e.signature());
            }
        }
    }
}
