//! The hub's administration facet: work categories, the one-time configuration (SRLC
//! metadata, RLC, registries, EIP-712 domain), the TEE broker, the callback gas, and the
//! import of v3 worker scores.
//!
//! Owner-only functions use PoCo's `onlyOwner` (`"Ownable: caller is not the owner"`,
//! [`diamond::only_owner`]). None of the setters emits an event, as in PoCo.
//!
//! PoCo: contracts/facets/IexecCategoryManagerFacet.sol, IexecConfigurationFacet.sol,
//! IexecConfigurationExtraFacet.sol.

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
// `#[entrypoint]` generates an undocumented `user_entrypoint` export on wasm32.
#![cfg_attr(target_arch = "wasm32", allow(missing_docs))]
// Under `export-abi`, `#[public]` also generates an undocumented ABI-printing function.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall};
use poco_core::{constants::DEFAULT_CALLBACK_GAS, eip712::domain_separator, orders::EIP712Domain, reasons};
use poco_hub_base::{diamond, poco_storage, revert};
use stylus_sdk::{call::RawCall, host::VM, prelude::*};

sol! {
    /// A category was created.
    ///
    /// PoCo: contracts/interfaces/IexecCategoryManager.sol, CreateCategory
    #[sol(abi)]
    event CreateCategory(uint256 catid, string name, string description, uint256 workClockTimeRef);
}

sol! {
    /// PoCo v3 hub's score of a worker.
    function viewScore(address worker) returns (uint256);
}

/// The administration facet. Its state is the hub's `PocoStorage`, reached with
/// [`poco_storage`].
#[storage]
#[entrypoint]
pub struct AdminFacet {}

#[public]
impl AdminFacet {
    /// Appends a work category; its id is its index.
    ///
    /// # Arguments
    /// * `name` - category name.
    /// * `description` - free-form description (JSON in PoCo's defaults).
    /// * `work_clock_time_ref` - reference duration of the deadlines, in seconds.
    ///
    /// # Errors
    /// `"Ownable: caller is not the owner"`.
    ///
    /// # Events
    /// `CreateCategory(catid, name, description, workClockTimeRef)`.
    #[selector(name = "createCategory")]
    pub fn create_category(
        &mut self,
        name: String,
        description: String,
        work_clock_time_ref: U256,
    ) -> Result<U256, Vec<u8>> {
        let vm = self.vm();
        diamond::only_owner(vm)?;
        let mut s = poco_storage(vm);
        let catid = U256::from(s.categories.len());
        let mut category = s.categories.grow();
        category.name.set_str(&name);
        category.description.set_str(&description);
        category.work_clock_time_ref.set(work_clock_time_ref);
        vm.log(CreateCategory { catid, name, description, workClockTimeRef: work_clock_time_ref });
        Ok(catid)
    }

    /// One-time configuration: RLC, SRLC metadata, registries, v3 hub, the EIP-712 domain
    /// separator of orders, and the default callback gas (200,000).
    ///
    /// # Arguments
    /// * `token` - the RLC ERC-20.
    /// * `name`, `symbol`, `decimals` - SRLC metadata ("Staked RLC", "SRLC", 9).
    /// * `app_registry`, `dataset_registry`, `workerpool_registry` - asset registries.
    /// * `v3_iexec_hub` - PoCo v3 hub scores may be imported from.
    ///
    /// # Errors
    /// `"Ownable: caller is not the owner"`; `"already-configured"` on a second call.
    #[allow(clippy::too_many_arguments)]
    pub fn configure(
        &mut self,
        token: Address,
        name: String,
        symbol: String,
        decimals: u8,
        app_registry: Address,
        dataset_registry: Address,
        workerpool_registry: Address,
        v3_iexec_hub: Address,
    ) -> Result<(), Vec<u8>> {
        let vm = self.vm();
        diamond::only_owner(vm)?;
        let mut s = poco_storage(vm);
        if s.domain_separator.get() != B256::ZERO {
            return Err(revert::reason(reasons::ALREADY_CONFIGURED));
        }
        s.domain_separator.set(hub_domain_separator(vm));
        s.base_token.set(token);
        s.name.set_str(&name);
        s.symbol.set_str(&symbol);
        s.decimals.set(alloy_primitives::aliases::U8::from(decimals));
        s.app_registry.set(app_registry);
        s.dataset_registry.set(dataset_registry);
        s.workerpool_registry.set(workerpool_registry);
        s.v3_iexec_hub.set(v3_iexec_hub);
        s.callback_gas.set(U256::from(DEFAULT_CALLBACK_GAS));
        Ok(())
    }

    /// The EIP-712 domain of orders: `("iExecODB", "5.0.0", chain id, hub)`.
    pub fn domain(&self) -> EIP712Domain {
        EIP712Domain::poco(self.vm().chain_id(), self.vm().contract_address())
    }

    /// Recomputes the domain separator (after a chain id change).
    ///
    /// # Errors
    /// `"not-configured"` before `configure`.
    #[selector(name = "updateDomainSeparator")]
    pub fn update_domain_separator(&mut self) -> Result<(), Vec<u8>> {
        let vm = self.vm();
        let mut s = poco_storage(vm);
        if s.domain_separator.get() == B256::ZERO {
            return Err(revert::reason(reasons::NOT_CONFIGURED));
        }
        s.domain_separator.set(hub_domain_separator(vm));
        Ok(())
    }

    /// Raises `worker`'s score to its PoCo v3 score, once per worker.
    ///
    /// # Arguments
    /// * `worker` - the worker whose score is imported.
    ///
    /// # Errors
    /// `"score-already-imported"`; the v3 hub's revert data, or a bare revert when it answers
    /// no `uint256` (e.g. no v3 hub configured).
    #[selector(name = "importScore")]
    pub fn import_score(&mut self, worker: Address) -> Result<(), Vec<u8>> {
        let vm = self.vm();
        let mut s = poco_storage(vm);
        if s.v3_score_imported.get(worker) {
            return Err(revert::reason(reasons::SCORE_ALREADY_IMPORTED));
        }
        let v3_score = v3_score(vm, s.v3_iexec_hub.get(), worker)?;
        let mut score = s.worker_scores.setter(worker);
        if v3_score > score.get() {
            score.set(v3_score);
        }
        s.v3_score_imported.setter(worker).set(true);
        Ok(())
    }

    /// Sets the TEE broker (SMS) that signs contribution authorizations of TEE tasks.
    ///
    /// # Arguments
    /// * `teebroker` - the broker's address.
    ///
    /// # Errors
    /// `"Ownable: caller is not the owner"`.
    #[selector(name = "setTeeBroker")]
    pub fn set_tee_broker(&mut self, teebroker: Address) -> Result<(), Vec<u8>> {
        diamond::only_owner(self.vm())?;
        poco_storage(self.vm()).teebroker.set(teebroker);
        Ok(())
    }

    /// Sets the gas forwarded to result callbacks.
    ///
    /// # Arguments
    /// * `callback_gas` - gas per callback.
    ///
    /// # Errors
    /// `"Ownable: caller is not the owner"`.
    #[selector(name = "setCallbackGas")]
    pub fn set_callback_gas(&mut self, callback_gas: U256) -> Result<(), Vec<u8>> {
        diamond::only_owner(self.vm())?;
        poco_storage(self.vm()).callback_gas.set(callback_gas);
        Ok(())
    }

    /// Replaces the three asset registries.
    ///
    /// # Arguments
    /// * `app_registry`, `dataset_registry`, `workerpool_registry` - the new registries.
    ///
    /// # Errors
    /// `"Ownable: caller is not the owner"`.
    #[selector(name = "changeRegistries")]
    pub fn change_registries(
        &mut self,
        app_registry: Address,
        dataset_registry: Address,
        workerpool_registry: Address,
    ) -> Result<(), Vec<u8>> {
        let vm = self.vm();
        diamond::only_owner(vm)?;
        let mut s = poco_storage(vm);
        s.app_registry.set(app_registry);
        s.dataset_registry.set(dataset_registry);
        s.workerpool_registry.set(workerpool_registry);
        Ok(())
    }
}

fn hub_domain_separator(vm: &VM) -> B256 {
    domain_separator(vm.chain_id(), &vm.contract_address())
}

/// `v3Hub.viewScore(worker)`: a static call decoded as Solidity does (revert bubbled, bare
/// revert on an answer shorter than a word).
fn v3_score(vm: &VM, v3_hub: Address, worker: Address) -> Result<U256, Vec<u8>> {
    let calldata = viewScoreCall { worker }.abi_encode();
    // SAFETY: a static call cannot write; the storage cache is flushed before it.
    let answer = unsafe { RawCall::new_static(vm).flush_storage_cache().call(v3_hub, &calldata) }?;
    let word: [u8; 32] = answer.get(..32).and_then(|w| w.try_into().ok()).ok_or_else(revert::bare)?;
    Ok(U256::from_be_bytes(word))
}

#[cfg(test)]
mod tests;
