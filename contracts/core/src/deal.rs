//! The deal a `matchOrders` records, with PoCo's exact field names and order
//! (`contracts/libs/IexecLibCore_v5.sol`): `Deal` + `Resource`, and Boost's packed `DealBoost`.

// The `AbiType` derive (feature "stylus") names `String` unqualified; this crate is no_std.
#[cfg(feature = "stylus")]
#[allow(unused_imports)]
use alloc::string::String;

alloy_sol_types::sol! {
    #![sol(all_derives)]

    /// An asset of a deal: its address, its owner at match time and its unit price
    /// (ABI `IexecLibCore_v5.Resource`).
    ///
    /// PoCo: contracts/libs/IexecLibCore_v5.sol, Resource
    #[cfg_attr(feature = "stylus", derive(stylus_sdk::stylus_proc::AbiType))]
    struct Resource {
        address pointer;
        address owner;
        uint256 price;
    }

    /// A deal: a bag of `botSize` tasks, indexes `[botFirst, botFirst + botSize)`
    /// (ABI `IexecLibCore_v5.Deal`, returned by `viewDeal`).
    ///
    /// PoCo: contracts/libs/IexecLibCore_v5.sol, Deal
    #[cfg_attr(feature = "stylus", derive(stylus_sdk::stylus_proc::AbiType))]
    struct Deal {
        Resource app;
        Resource dataset;
        Resource workerpool;
        uint256 trust;
        uint256 category;
        bytes32 tag;
        address requester;
        address beneficiary;
        address callback;
        string params;
        uint256 startTime;
        uint256 botFirst;
        uint256 botSize;
        uint256 workerStake;
        uint256 schedulerRewardRatio;
        address sponsor;
    }

    /// A Boost deal, packed in 6 slots (ABI `IexecLibCore_v5.DealBoost`, `viewDealBoost`).
    ///
    /// PoCo: contracts/libs/IexecLibCore_v5.sol, DealBoost
    #[cfg_attr(feature = "stylus", derive(stylus_sdk::stylus_proc::AbiType))]
    struct DealBoost {
        address appOwner;
        uint96 appPrice;
        address datasetOwner;
        uint96 datasetPrice;
        address workerpoolOwner;
        uint96 workerpoolPrice;
        address requester;
        uint96 workerReward;
        address callback;
        uint40 deadline;
        uint16 botFirst;
        uint16 botSize;
        bytes3 shortTag;
        address sponsor;
    }
}

impl Deal {
    /// Whether the deal uses a dataset (`deal.dataset.pointer != 0`).
    pub fn has_dataset(&self) -> bool {
        !self.dataset.pointer.is_zero()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::Address;
    use alloy_sol_types::SolValue;

    #[test]
    fn deal_round_trips_and_reports_dataset() {
        let mut deal = Deal {
            params: "p".into(),
            ..Default::default()
        };
        assert!(!deal.has_dataset());
        deal.dataset.pointer = Address::repeat_byte(3);
        assert!(deal.has_dataset());
        assert_eq!(Deal::abi_decode(&deal.abi_encode()).unwrap(), deal);
    }
}
