//! PoCo's `Workerpool` registry entry (`contracts/registries/workerpools/Workerpool.sol`) as a
//! Stylus program.
//!
//! One Workerpool program is activated per chain; every workerpool is an EIP-1167 proxy
//! created by the WorkerpoolRegistry that `DELEGATECALL`s it, so this program runs in the
//! proxy's storage. Storage starts at slot 0 with `registry` (PoCo's `RegistryEntry`
//! layout), then the description, then both policies packed in one slot (ours; the ABI is
//! PoCo's). `owner()` is the holder of the workerpool's NFT.
//!
//! Policies: `m_workerStakeRatioPolicy` (% of the workerpool price a worker stakes per
//! contribution, default 30) and `m_schedulerRewardRatioPolicy` (% of the reward the
//! scheduler keeps, default 1, at most 100), changed by the owner with `changePolicy`.

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
// `#[entrypoint]` generates an undocumented `user_entrypoint` export except under the SDK's
// `stylus-test` feature, and under `export-abi` an undocumented ABI-printing function; test
// builds without `export-abi` check docs.
#![cfg_attr(any(not(test), feature = "export-abi"), allow(missing_docs))]

extern crate alloc;

use alloc::string::String;

use alloy_primitives::{Address, U256};
use alloy_sol_types::sol;
use poco_registry_common::{blob::StorageBlob, entry::RegistryEntry, Error};
use stylus_sdk::{
    prelude::*,
    storage::StorageU256,
};

/// Default `m_workerStakeRatioPolicy`, set by `initialize`.
pub const DEFAULT_WORKER_STAKE_RATIO_POLICY: u64 = 30;
/// Default `m_schedulerRewardRatioPolicy`, set by `initialize`.
pub const DEFAULT_SCHEDULER_REWARD_RATIO_POLICY: u64 = 1;
/// Largest accepted `m_schedulerRewardRatioPolicy` (a percentage).
pub const MAX_SCHEDULER_REWARD_RATIO_POLICY: u64 = 100;

sol! {
    /// The owner changed the policies (old then new value of each, as PoCo orders them).
    #[derive(Debug, PartialEq)]
    #[sol(abi)]
    event PolicyUpdate(
        uint256 oldWorkerStakeRatioPolicy,
        uint256 newWorkerStakeRatioPolicy,
        uint256 oldSchedulerRewardRatioPolicy,
        uint256 newSchedulerRewardRatioPolicy
    );
}

/// State of a workerpool, in the proxy's storage.
#[storage]
#[entrypoint]
pub struct Workerpool {
    /// `registry` (slot 0).
    entry: RegistryEntry,
    /// `m_workerpoolDescription` (slot 1).
    workerpool_description: StorageBlob,
    /// Both policies in one word (slot 2, see [`Policies`]): `matchOrders` reads them with
    /// one cold access, and a new workerpool writes one fresh slot for them, not two.
    policies: StorageU256,
    /// `m_workerStakeRatioPolicy` when it does not fit in the word's 31 bytes (slot 3;
    /// written only then: PoCo bounds only the scheduler's ratio).
    worker_stake_ratio_spill: StorageU256,
}

/// The two policies as slot 2 packs them: the scheduler's reward ratio (at most 100) in the
/// first byte, the worker stake ratio in the 31 others while it is below 2^248; a larger one
/// sets the first byte's high bit and lives in slot 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Policies {
    worker_stake_ratio: U256,
    scheduler_reward_ratio: u8,
}

/// High bit of slot 2's first byte: the worker stake ratio is in slot 3.
const SPILLED: u8 = 0x80;

impl Workerpool {
    fn read_policies(&self) -> Policies {
        let word = self.policies.get().to_be_bytes::<32>();
        let worker_stake_ratio = match word[0] & SPILLED {
            0 => U256::from_be_slice(&word[1..]),
            _ => self.worker_stake_ratio_spill.get(),
        };
        Policies { worker_stake_ratio, scheduler_reward_ratio: word[0] & !SPILLED }
    }

    /// `p.scheduler_reward_ratio` is at most 100 (checked by the callers).
    fn write_policies(&mut self, p: Policies) {
        let stake = p.worker_stake_ratio.to_be_bytes::<32>();
        let mut word = [0u8; 32];
        word[0] = p.scheduler_reward_ratio;
        if stake[0] == 0 {
            word[1..].copy_from_slice(&stake[1..]);
            if self.policies.get().to_be_bytes::<32>()[0] & SPILLED != 0 {
                self.worker_stake_ratio_spill.set(U256::ZERO);
            }
        } else {
            word[0] |= SPILLED;
            self.worker_stake_ratio_spill.set(p.worker_stake_ratio);
        }
        self.policies.set(U256::from_be_bytes(word));
    }
}

#[public]
impl Workerpool {
    /// The registry that created this workerpool.
    pub fn registry(&self) -> Address {
        self.entry.registry()
    }

    /// The workerpool owner (its scheduler): the holder of its NFT in the registry.
    ///
    /// # Errors
    ///
    /// The registry's revert data (e.g. before initialization: a bare revert).
    pub fn owner(&self) -> Result<Address, Error> {
        self.entry.owner()
    }

    /// The workerpool description.
    #[selector(name = "m_workerpoolDescription")]
    pub fn m_workerpool_description(&self) -> String {
        self.workerpool_description.get_string()
    }

    /// % of the workerpool price a worker stakes per contribution.
    #[selector(name = "m_workerStakeRatioPolicy")]
    pub fn m_worker_stake_ratio_policy(&self) -> U256 {
        self.read_policies().worker_stake_ratio
    }

    /// % of the task reward the scheduler keeps.
    #[selector(name = "m_schedulerRewardRatioPolicy")]
    pub fn m_scheduler_reward_ratio_policy(&self) -> U256 {
        U256::from(self.read_policies().scheduler_reward_ratio)
    }

    /// Both policies in one call: `(m_workerStakeRatioPolicy, m_schedulerRewardRatioPolicy)`.
    ///
    /// Not in PoCo's ABI (its two views stay): the hub's `matchOrders` needs both, and each
    /// call to a workerpool enters this program once more (a Stylus program entry costs
    /// thousands of gas, uncached about 15,000). The hub falls back to the two views for a
    /// workerpool without this function (an entry of PoCo's Solidity registry).
    pub fn policies(&self) -> (U256, U256) {
        let p = self.read_policies();
        (p.worker_stake_ratio, U256::from(p.scheduler_reward_ratio))
    }

    /// Sets the description and the default policies (30, 1), once; `msg.sender` becomes
    /// the registry.
    ///
    /// # Arguments
    ///
    /// * `workerpool_description` - free text.
    ///
    /// # Errors
    ///
    /// "already initialized".
    pub fn initialize(&mut self, workerpool_description: String) -> Result<(), Error> {
        self.entry.initialize()?;
        self.workerpool_description.set_str(&workerpool_description);
        self.write_policies(Policies {
            worker_stake_ratio: U256::from(DEFAULT_WORKER_STAKE_RATIO_POLICY),
            scheduler_reward_ratio: DEFAULT_SCHEDULER_REWARD_RATIO_POLICY as u8,
        });
        Ok(())
    }

    /// Changes both policies.
    ///
    /// # Arguments
    ///
    /// * `new_worker_stake_ratio_policy` - any value (PoCo does not bound it).
    /// * `new_scheduler_reward_ratio_policy` - at most 100.
    ///
    /// # Errors
    ///
    /// "caller is not the owner" (or the registry's revert data); a bare revert when
    /// `new_scheduler_reward_ratio_policy > 100` (PoCo: `require(... <= 100)`).
    ///
    /// # Events
    ///
    /// `PolicyUpdate(old worker stake, new worker stake, old scheduler, new scheduler)`.
    pub fn change_policy(
        &mut self,
        new_worker_stake_ratio_policy: U256,
        new_scheduler_reward_ratio_policy: U256,
    ) -> Result<(), Error> {
        self.entry.only_owner()?;
        if new_scheduler_reward_ratio_policy > U256::from(MAX_SCHEDULER_REWARD_RATIO_POLICY) {
            return Err(Error::Bare);
        }
        let old = self.read_policies();
        self.vm().log(PolicyUpdate {
            oldWorkerStakeRatioPolicy: old.worker_stake_ratio,
            newWorkerStakeRatioPolicy: new_worker_stake_ratio_policy,
            oldSchedulerRewardRatioPolicy: U256::from(old.scheduler_reward_ratio),
            newSchedulerRewardRatioPolicy: new_scheduler_reward_ratio_policy,
        });
        self.write_policies(Policies {
            worker_stake_ratio: new_worker_stake_ratio_policy,
            // At most 100: checked above.
            scheduler_reward_ratio: new_scheduler_reward_ratio_policy.as_limbs()[0] as u8,
        });
        Ok(())
    }

    /// ENS reverse registration: not supported off Bellecour.
    ///
    /// # Arguments
    ///
    /// * `ens` - ignored.
    /// * `name` - ignored.
    ///
    /// # Errors
    ///
    /// "caller is not the owner" (or the registry's revert data), else always
    /// "Operation not supported on this chain".
    pub fn set_name(&mut self, ens: Address, name: String) -> Result<(), Error> {
        let _ = (ens, name);
        self.entry.set_name()
    }
}

#[cfg(test)]
mod tests;
