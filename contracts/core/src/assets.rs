//! Categories, escrow accounts and the asset descriptions returned by `viewApp`,
//! `viewDataset` and `viewWorkerpool`, with PoCo's exact field names and order
//! (`contracts/libs/IexecLibCore_v5.sol`).

// The `AbiType` derive (feature "stylus") names `String` unqualified; this crate is no_std.
#[cfg(feature = "stylus")]
#[allow(unused_imports)]
use alloc::string::String;

alloy_sol_types::sol! {
    #![sol(all_derives)]

    /// An escrow account as `viewAccount` returns it: `stake` is the SRLC balance, `locked`
    /// the frozen amount (ABI `IexecLibCore_v5.Account`).
    ///
    /// PoCo: contracts/libs/IexecLibCore_v5.sol, Account
    #[cfg_attr(feature = "stylus", derive(stylus_sdk::stylus_proc::AbiType))]
    struct Account {
        uint256 stake;
        uint256 locked;
    }

    /// A work category; `workClockTimeRef` (seconds) scales every deadline
    /// (ABI `IexecLibCore_v5.Category`).
    ///
    /// PoCo: contracts/libs/IexecLibCore_v5.sol, Category
    #[cfg_attr(feature = "stylus", derive(stylus_sdk::stylus_proc::AbiType))]
    struct Category {
        string name;
        string description;
        uint256 workClockTimeRef;
    }

    /// A dataset's public data (ABI `IexecLibCore_v5.DatasetInfo`, `viewDataset`, v6.1.0).
    ///
    /// PoCo: contracts/libs/IexecLibCore_v5.sol, DatasetInfo
    #[cfg_attr(feature = "stylus", derive(stylus_sdk::stylus_proc::AbiType))]
    struct DatasetInfo {
        address owner;
        string m_datasetName;
        bytes m_datasetMultiaddr;
        bytes32 m_datasetChecksum;
    }

    /// An app's public data (ABI `IexecLibCore_v5.AppInfo`, `viewApp`, v6.1.0).
    ///
    /// PoCo: contracts/libs/IexecLibCore_v5.sol, AppInfo
    #[cfg_attr(feature = "stylus", derive(stylus_sdk::stylus_proc::AbiType))]
    struct AppInfo {
        address owner;
        string m_appName;
        string m_appType;
        bytes m_appMultiaddr;
        bytes32 m_appChecksum;
        bytes m_appMREnclave;
    }

    /// A workerpool's public data and policies (ABI `IexecLibCore_v5.WorkerpoolInfo`,
    /// `viewWorkerpool`, v6.1.0).
    ///
    /// PoCo: contracts/libs/IexecLibCore_v5.sol, WorkerpoolInfo
    #[cfg_attr(feature = "stylus", derive(stylus_sdk::stylus_proc::AbiType))]
    struct WorkerpoolInfo {
        address owner;
        string m_workerpoolDescription;
        uint256 m_workerStakeRatioPolicy;
        uint256 m_schedulerRewardRatioPolicy;
    }
}
