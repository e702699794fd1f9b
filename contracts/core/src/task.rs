//! A task and a worker's contribution to it, with PoCo's exact field names and order
//! (`contracts/libs/IexecLibCore_v5.sol`). Status fields are `uint8` as in the ABI; read them
//! through [`Task::status_enum`] / [`Contribution::status_enum`].

use crate::status::{ContributionStatusEnum, TaskStatusEnum, UnknownEnumValue};

// The `AbiType` derive (feature "stylus") names `String` unqualified; this crate is no_std.
#[cfg(feature = "stylus")]
#[allow(unused_imports)]
use alloc::string::String;

alloy_sol_types::sol! {
    #![sol(all_derives)]

    /// One task of a deal (ABI `IexecLibCore_v5.Task`, returned by `viewTask`). `status` is a
    /// [`TaskStatusEnum`]; `resultsTimestamp` is never written by PoCo.
    ///
    /// PoCo: contracts/libs/IexecLibCore_v5.sol, Task
    #[cfg_attr(feature = "stylus", derive(stylus_sdk::stylus_proc::AbiType))]
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

    /// A worker's contribution to a task (ABI `IexecLibCore_v5.Contribution`, returned by
    /// `viewContribution`). `status` is a [`ContributionStatusEnum`]; `weight` is the
    /// log2 weight used for the reward share.
    ///
    /// PoCo: contracts/libs/IexecLibCore_v5.sol, Contribution
    #[cfg_attr(feature = "stylus", derive(stylus_sdk::stylus_proc::AbiType))]
    struct Contribution {
        uint8 status;
        bytes32 resultHash;
        bytes32 resultSeal;
        address enclaveChallenge;
        uint256 weight;
    }
}

impl Task {
    /// The status as [`TaskStatusEnum`].
    pub fn status_enum(&self) -> Result<TaskStatusEnum, UnknownEnumValue> {
        TaskStatusEnum::try_from(self.status)
    }
}

impl Contribution {
    /// The status as [`ContributionStatusEnum`].
    pub fn status_enum(&self) -> Result<ContributionStatusEnum, UnknownEnumValue> {
        ContributionStatusEnum::try_from(self.status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_sol_types::SolValue;

    #[test]
    fn status_accessors() {
        let mut t = Task {
            status: TaskStatusEnum::REVEALING.as_u8(),
            ..Default::default()
        };
        assert_eq!(t.status_enum(), Ok(TaskStatusEnum::REVEALING));
        t.status = 5;
        assert!(t.status_enum().is_err());
        let c = Contribution {
            status: 2,
            ..Default::default()
        };
        assert_eq!(c.status_enum(), Ok(ContributionStatusEnum::PROVED));
    }

    #[test]
    fn task_round_trips() {
        let t = Task {
            status: 1,
            contributors: alloc::vec![alloy_primitives::Address::repeat_byte(7)],
            results: alloc::vec![1u8; 40].into(),
            ..Default::default()
        };
        assert_eq!(Task::abi_decode(&t.abi_encode()).unwrap(), t);
    }
}
