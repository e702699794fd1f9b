//! The diamond facet of the PoCo hub: EIP-2535 cut and loupe and EIP-173 ownership —
//! Mudgen diamond-1's `DiamondCutFacet`, `DiamondLoupeFacet` and `OwnershipFacet`, which
//! PoCo deploys unchanged, in one program with their custom errors.
//!
//! The router serves only `diamondCut` from its constructor; cutting this facet's other
//! selectors in is the first cut of a deployment.

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
// `#[entrypoint]` generates an undocumented `user_entrypoint` export on wasm32.
#![cfg_attr(target_arch = "wasm32", allow(missing_docs))]
// Under `export-abi`, `#[public]` also generates an undocumented ABI-printing function.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloc::{string::String, vec::Vec};

use alloy_primitives::{aliases::U96, Address, Bytes, FixedBytes, U256};
use alloy_sol_types::SolError;
use poco_hub_base::diamond::{
    self, diamond_storage, CannotAddFunctionToDiamondThatAlreadyExists, CannotAddSelectorsToZeroAddress,
    CannotRemoveFunctionThatDoesNotExist, CannotRemoveImmutableFunction, CannotReplaceFunctionThatDoesNotExists,
    CannotReplaceFunctionWithTheSameFunctionFromTheSameFacet, CannotReplaceFunctionsFromFacetWithZeroAddress,
    CannotReplaceImmutableFunction, DiamondCut, Facet, FacetCut, IncorrectFacetCutAction,
    InitializationFunctionReverted, NoBytecodeAtAddress, NoSelectorsProvidedForFacetForCut,
    RemoveFacetAddressMustBeZeroAddress,
};
use stylus_sdk::{call::RawCall, prelude::*};

/// `FacetCutAction.Add`.
pub const ADD: u8 = 0;
/// `FacetCutAction.Replace`.
pub const REPLACE: u8 = 1;
/// `FacetCutAction.Remove`.
pub const REMOVE: u8 = 2;

/// ERC-165 interfaces a diamond declares (Mudgen's `DiamondInit`): IERC165, IDiamondCut,
/// IDiamondLoupe, IERC173. Answered without storage; others come from the diamond storage.
pub const STANDARD_INTERFACES: [[u8; 4]; 4] =
    [[0x01, 0xff, 0xc9, 0xa7], [0x1f, 0x93, 0x1c, 0x1c], [0x48, 0xe2, 0xb0, 0x93], [0x7f, 0x58, 0x28, 0xd0]];

/// The facet. State lives in the diamond storage (`poco_hub_base::diamond`).
#[storage]
#[entrypoint]
pub struct DiamondFacet {}

#[public]
impl DiamondFacet {
    /// Adds, replaces or removes functions, then optionally delegatecalls `init` with
    /// `calldata` (EIP-2535).
    ///
    /// # Arguments
    /// * `diamond_cut` - `(facetAddress, action, selectors)` changes, applied in order.
    /// * `init` - contract to delegatecall once the cut is applied, or zero.
    /// * `calldata` - its calldata.
    ///
    /// # Errors
    /// `NotContractOwner`, `NoSelectorsProvidedForFacetForCut`, `IncorrectFacetCutAction`,
    /// the add/replace/remove errors of the diamond, `NoBytecodeAtAddress`, and the init's
    /// revert data or `InitializationFunctionReverted`.
    ///
    /// # Events
    /// `DiamondCut(diamond_cut, init, calldata)`.
    #[selector(name = "diamondCut")]
    pub fn diamond_cut(&mut self, diamond_cut: Vec<FacetCut>, init: Address, calldata: Bytes) -> Result<(), Vec<u8>> {
        diamond::enforce_is_contract_owner(self.vm())?;
        for cut in &diamond_cut {
            if cut.functionSelectors.is_empty() {
                return Err(NoSelectorsProvidedForFacetForCut { _facetAddress: cut.facetAddress }.abi_encode());
            }
            match cut.action {
                ADD => self.add_functions(cut.facetAddress, &cut.functionSelectors)?,
                REPLACE => self.replace_functions(cut.facetAddress, &cut.functionSelectors)?,
                REMOVE => self.remove_functions(cut.facetAddress, &cut.functionSelectors)?,
                other => return Err(IncorrectFacetCutAction { _action: other }.abi_encode()),
            }
        }
        self.vm().log(DiamondCut { _diamondCut: diamond_cut, _init: init, _calldata: calldata.clone() });
        self.initialize(init, calldata)
    }

    /// Every facet and its selectors.
    pub fn facets(&self) -> Vec<Facet> {
        let ds = diamond_storage(self.vm());
        (0..ds.facet_addresses.len())
            .filter_map(|i| ds.facet_addresses.get(i))
            .map(|facet| Facet { facetAddress: facet, functionSelectors: diamond::selectors_of(self.vm(), facet) })
            .collect()
    }

    /// Selectors served by `facet`.
    #[selector(name = "facetFunctionSelectors")]
    pub fn facet_function_selectors(&self, facet: Address) -> Vec<FixedBytes<4>> {
        diamond::selectors_of(self.vm(), facet)
    }

    /// Every facet address.
    #[selector(name = "facetAddresses")]
    pub fn facet_addresses(&self) -> Vec<Address> {
        let ds = diamond_storage(self.vm());
        (0..ds.facet_addresses.len()).filter_map(|i| ds.facet_addresses.get(i)).collect()
    }

    /// The facet serving `selector`, or zero.
    #[selector(name = "facetAddress")]
    pub fn facet_address(&self, selector: FixedBytes<4>) -> Address {
        diamond::facet_of(self.vm(), selector.0)
    }

    /// ERC-165.
    #[selector(name = "supportsInterface")]
    pub fn supports_interface(&self, interface_id: FixedBytes<4>) -> bool {
        STANDARD_INTERFACES.contains(&interface_id.0)
            || diamond_storage(self.vm()).supported_interfaces.get(interface_id)
    }

    /// The hub's owner (EIP-173).
    pub fn owner(&self) -> Address {
        diamond::owner(self.vm())
    }

    /// Hands the hub to `new_owner` (EIP-173; zero renounces, as Mudgen's facet allows).
    ///
    /// # Errors
    /// `NotContractOwner(sender, owner)`.
    ///
    /// # Events
    /// `OwnershipTransferred(previous, new_owner)`.
    #[selector(name = "transferOwnership")]
    pub fn transfer_ownership(&mut self, new_owner: Address) -> Result<(), Vec<u8>> {
        diamond::enforce_is_contract_owner(self.vm())?;
        diamond::set_owner(self.vm(), new_owner);
        Ok(())
    }
}

impl DiamondFacet {
    fn enforce_has_code(&self, account: Address, message: &str) -> Result<(), Vec<u8>> {
        if self.vm().code_size(account) == 0 {
            return Err(NoBytecodeAtAddress { _contractAddress: account, _message: String::from(message) }.abi_encode());
        }
        Ok(())
    }

    /// Mudgen: LibDiamond.addFunctions
    fn add_functions(&mut self, facet: Address, selectors: &[FixedBytes<4>]) -> Result<(), Vec<u8>> {
        if facet.is_zero() {
            return Err(CannotAddSelectorsToZeroAddress { _selectors: selectors.to_vec() }.abi_encode());
        }
        self.enforce_has_code(facet, "LibDiamondCut: Add facet has no code")?;
        for selector in selectors {
            if !diamond::facet_of(self.vm(), selector.0).is_zero() {
                return Err(CannotAddFunctionToDiamondThatAlreadyExists { _selector: *selector }.abi_encode());
            }
            diamond::add_selector(self.vm(), facet, selector.0);
        }
        Ok(())
    }

    /// Mudgen: LibDiamond.replaceFunctions
    fn replace_functions(&mut self, facet: Address, selectors: &[FixedBytes<4>]) -> Result<(), Vec<u8>> {
        if facet.is_zero() {
            return Err(CannotReplaceFunctionsFromFacetWithZeroAddress { _selectors: selectors.to_vec() }.abi_encode());
        }
        self.enforce_has_code(facet, "LibDiamondCut: Replace facet has no code")?;
        let this = self.vm().contract_address();
        for selector in selectors {
            let old = diamond::facet_of(self.vm(), selector.0);
            if old == this {
                return Err(CannotReplaceImmutableFunction { _selector: *selector }.abi_encode());
            }
            if old == facet {
                return Err(
                    CannotReplaceFunctionWithTheSameFunctionFromTheSameFacet { _selector: *selector }.abi_encode()
                );
            }
            if old.is_zero() {
                return Err(CannotReplaceFunctionThatDoesNotExists { _selector: *selector }.abi_encode());
            }
            self.remove_selector(old, *selector);
            diamond::add_selector(self.vm(), facet, selector.0);
        }
        Ok(())
    }

    /// Mudgen: LibDiamond.removeFunctions
    fn remove_functions(&mut self, facet: Address, selectors: &[FixedBytes<4>]) -> Result<(), Vec<u8>> {
        if !facet.is_zero() {
            return Err(RemoveFacetAddressMustBeZeroAddress { _facetAddress: facet }.abi_encode());
        }
        let this = self.vm().contract_address();
        for selector in selectors {
            let old = diamond::facet_of(self.vm(), selector.0);
            if old.is_zero() {
                return Err(CannotRemoveFunctionThatDoesNotExist { _selector: *selector }.abi_encode());
            }
            if old == this {
                return Err(CannotRemoveImmutableFunction { _selector: *selector }.abi_encode());
            }
            self.remove_selector(old, *selector);
        }
        Ok(())
    }

    /// Unlinks `selector` from `facet`: swap-and-pop in the facet's selector list, and drop
    /// the facet from the facet list once it serves nothing.
    fn remove_selector(&mut self, facet: Address, selector: FixedBytes<4>) {
        let mut ds = diamond_storage(self.vm());
        let position = ds.selector_to_facet.getter(selector).position.get().to::<usize>();
        let last = ds.facet_selectors.getter(facet).selectors.len() - 1;
        if position != last {
            let moved = ds.facet_selectors.getter(facet).selectors.get(last).unwrap_or_default();
            if let Some(mut slot) = ds.facet_selectors.setter(facet).selectors.setter(position) {
                slot.set(moved);
            }
            ds.selector_to_facet.setter(moved).position.set(U96::from(position));
        }
        ds.facet_selectors.setter(facet).selectors.erase_last();
        let mut record = ds.selector_to_facet.setter(selector);
        record.facet.set(Address::ZERO);
        record.position.set(U96::ZERO);

        if last == 0 {
            let facet_position = ds.facet_selectors.getter(facet).facet_position.get().to::<usize>();
            let last_facet = ds.facet_addresses.len() - 1;
            if facet_position != last_facet {
                let moved = ds.facet_addresses.get(last_facet).unwrap_or_default();
                if let Some(mut slot) = ds.facet_addresses.setter(facet_position) {
                    slot.set(moved);
                }
                ds.facet_selectors.setter(moved).facet_position.set(U256::from(facet_position));
            }
            ds.facet_addresses.erase_last();
            ds.facet_selectors.setter(facet).facet_position.set(U256::ZERO);
        }
    }

    /// Mudgen: LibDiamond.initializeDiamondCut
    fn initialize(&mut self, init: Address, calldata: Bytes) -> Result<(), Vec<u8>> {
        if init.is_zero() {
            return Ok(());
        }
        self.enforce_has_code(init, "LibDiamondCut: _init address has no code")?;
        // SAFETY: no storage reference is held across the call; the cache is flushed so the
        // init code sees the cut just written.
        match unsafe { RawCall::new_delegate(self.vm()).flush_storage_cache().call(init, &calldata) } {
            Ok(_) => Ok(()),
            Err(data) if !data.is_empty() => Err(data),
            Err(_) => Err(InitializationFunctionReverted { _initializationContractAddress: init, _calldata: calldata }
                .abi_encode()),
        }
    }
}

#[cfg(test)]
mod tests;
