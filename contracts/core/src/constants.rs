//! PoCo's protocol constants (PROTOCOL.md §4.12; `contracts/abstract/FacetBase.sol`,
//! `config/config.json`, `utils/constants.ts`) and the ERC-7201 storage slot.

use alloy_primitives::{address, b256, Address, B256, U256};

/// Contribution deadline = `startTime + workClockTimeRef * 7`.
///
/// PoCo: contracts/abstract/FacetBase.sol, CONTRIBUTION_DEADLINE_RATIO
pub const CONTRIBUTION_DEADLINE_RATIO: u64 = 7;

/// Reveal deadline = `consensusTime + workClockTimeRef * 2`.
///
/// PoCo: contracts/abstract/FacetBase.sol, REVEAL_DEADLINE_RATIO
pub const REVEAL_DEADLINE_RATIO: u64 = 2;

/// Final deadline = `startTime + workClockTimeRef * 10`.
///
/// PoCo: contracts/abstract/FacetBase.sol, FINAL_DEADLINE_RATIO
pub const FINAL_DEADLINE_RATIO: u64 = 10;

/// Percentage of the workerpool price the scheduler locks per task.
///
/// PoCo: contracts/abstract/FacetBase.sol, WORKERPOOL_STAKE_RATIO
pub const WORKERPOOL_STAKE_RATIO: u64 = 30;

/// Percentage of the kitty paid out to the scheduler of a successful task.
///
/// PoCo: contracts/abstract/FacetBase.sol, KITTY_RATIO
pub const KITTY_RATIO: u64 = 10;

/// Minimum kitty payout: 1e9 nRLC (= 1 RLC at 9 decimals).
///
/// PoCo: contracts/abstract/FacetBase.sol, KITTY_MIN
pub const KITTY_MIN: U256 = U256::from_limbs([1_000_000_000, 0, 0, 0]);

/// The kitty: the account whose frozen balance collects the stakes of failed tasks.
///
/// PoCo's comment says `address(uint256(keccak256(bytes('iExecKitty'))) - 1)`, but the literal
/// is the *high* 20 bytes of `keccak256("iExecKitty")` minus 1, so the literal is what counts.
///
/// PoCo: contracts/abstract/FacetBase.sol, KITTY_ADDRESS
pub const KITTY_ADDRESS: Address = address!("99c2268479b93fDe36232351229815DF80837e23");

/// ERC-734 key purpose that makes an identity key a member of a restriction group.
///
/// PoCo: contracts/abstract/FacetBase.sol, GROUPMEMBER_PURPOSE
pub const GROUPMEMBER_PURPOSE: u64 = 4;

/// Scaling of the native escrow: 1 nRLC (SRLC unit) = 1e9 wei.
///
/// PoCo: contracts/facets/IexecEscrowNativeFacet.sol, nRLCtoWei
pub const NRLC_TO_WEI: u64 = 1_000_000_000;

/// Gas forwarded to a deal's result callback, as set by `configure` (v6.2.0, #331).
///
/// PoCo: contracts/facets/IexecConfigurationFacet.sol, configure
pub const DEFAULT_CALLBACK_GAS: u64 = 200_000;

/// Default worker stake ratio policy (%) of a new workerpool.
///
/// PoCo: contracts/registries/workerpools/Workerpool.sol, m_workerStakeRatioPolicy
pub const DEFAULT_WORKER_STAKE_RATIO: u64 = 30;

/// Default scheduler reward ratio policy (%) of a new workerpool.
///
/// PoCo: contracts/registries/workerpools/Workerpool.sol, m_schedulerRewardRatioPolicy
pub const DEFAULT_SCHEDULER_REWARD_RATIO: u64 = 1;

/// EIP-712 domain name of PoCo orders.
///
/// PoCo: contracts/facets/IexecConfigurationFacet.sol, _domain
pub const EIP712_DOMAIN_NAME: &str = "iExecODB";

/// EIP-712 domain version of PoCo orders (still "5.0.0" in PoCo v6).
///
/// PoCo: contracts/facets/IexecConfigurationFacet.sol, _domain
pub const EIP712_DOMAIN_VERSION: &str = "5.0.0";

/// Name of the escrow token (SRLC) set at deployment.
///
/// PoCo: deploy/0_deploy.ts
pub const ESCROW_TOKEN_NAME: &str = "Staked RLC";

/// Symbol of the escrow token set at deployment.
///
/// PoCo: deploy/0_deploy.ts
pub const ESCROW_TOKEN_SYMBOL: &str = "SRLC";

/// Decimals of the escrow token set at deployment.
///
/// PoCo: deploy/0_deploy.ts
pub const ESCROW_TOKEN_DECIMALS: u8 = 9;

/// ERC-7201 namespace of PoCo's storage struct.
///
/// PoCo: contracts/libs/PocoStorageLib.sol
pub const POCO_STORAGE_NAMESPACE: &str = "iexec.poco.storage.PocoStorage";

/// ERC-7201 slot of `PocoStorage`:
/// `keccak256(abi.encode(uint256(keccak256(namespace)) - 1)) & ~bytes32(uint256(0xff))`.
///
/// PoCo: contracts/libs/PocoStorageLib.sol, POCO_STORAGE_LOCATION
pub const POCO_STORAGE_SLOT: B256 =
    b256!("5862653c6982c162832160cf30593645e8487b257e44d77cdd6b51eee2651b00");

/// Tag bit 0 (lowest bit of byte 31): the deal needs a TEE.
///
/// PoCo: utils/constants.ts, TEE
pub const TAG_TEE: u8 = 0x01;
/// Tag bit 1: Scone TEE framework.
///
/// PoCo: utils/constants.ts, TEE_SCONE (0x3 with the TEE bit)
pub const TAG_SCONE: u8 = 0x02;
/// Tag bit 2: Gramine TEE framework.
///
/// PoCo: utils/constants.ts, TEE_GRAMINE (0x5 with the TEE bit)
pub const TAG_GRAMINE: u8 = 0x04;
/// Tag bit 3: Intel TDX TEE framework.
///
/// PoCo: utils/constants.ts, TEE_TDX (0x9 with the TEE bit)
pub const TAG_TDX: u8 = 0x08;
/// Tag bit 4: GPU (historic comment, git `e2e082d8`).
///
/// PoCo: utils/constants.ts (historic), GPU
pub const TAG_GPU: u8 = 0x10;

/// A category that PoCo's deployment creates (`config/config.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefaultCategory {
    /// `Category.name`.
    pub name: &'static str,
    /// `Category.workClockTimeRef`, in seconds.
    pub work_clock_time_ref: u64,
}

/// The five categories PoCo deploys, in catid order: XS 300 s, S 1200, M 3600, L 10800,
/// XL 36000.
///
/// PoCo: config/config.json, categories
pub const DEFAULT_CATEGORIES: [DefaultCategory; 5] = [
    DefaultCategory {
        name: "XS",
        work_clock_time_ref: 300,
    },
    DefaultCategory {
        name: "S",
        work_clock_time_ref: 1_200,
    },
    DefaultCategory {
        name: "M",
        work_clock_time_ref: 3_600,
    },
    DefaultCategory {
        name: "L",
        work_clock_time_ref: 10_800,
    },
    DefaultCategory {
        name: "XL",
        work_clock_time_ref: 36_000,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::keccak256;

    #[test]
    fn storage_slot_is_erc7201_of_the_namespace() {
        let inner =
            U256::from_be_bytes(keccak256(POCO_STORAGE_NAMESPACE.as_bytes()).0) - U256::from(1);
        let mut slot = keccak256(inner.to_be_bytes::<32>()).0;
        slot[31] = 0;
        assert_eq!(B256::from(slot), POCO_STORAGE_SLOT);
    }

    #[test]
    fn kitty_address_is_high_bytes_of_keccak_minus_one() {
        let h = keccak256(b"iExecKitty");
        let high = U256::from_be_slice(&h[..20]) - U256::from(1);
        let expected = Address::from_slice(&high.to_be_bytes::<32>()[12..]);
        assert_eq!(expected, KITTY_ADDRESS);
        // The formula in PoCo's comment gives another address: the literal wins.
        let low = U256::from_be_slice(&h[12..]) - U256::from(1);
        assert_ne!(
            Address::from_slice(&low.to_be_bytes::<32>()[12..]),
            KITTY_ADDRESS
        );
    }

    #[test]
    fn kitty_min_is_one_rlc() {
        assert_eq!(KITTY_MIN, U256::from(10u64.pow(9)));
    }

    #[test]
    fn default_categories_match_config() {
        let refs: [u64; 5] = DEFAULT_CATEGORIES.map(|c| c.work_clock_time_ref);
        assert_eq!(refs, [300, 1200, 3600, 10800, 36000]);
        let names: [&str; 5] = DEFAULT_CATEGORIES.map(|c| c.name);
        assert_eq!(names, ["XS", "S", "M", "L", "XL"]);
    }
}
