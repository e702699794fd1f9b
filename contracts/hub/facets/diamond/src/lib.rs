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

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{aliases::U16, Address, Bytes, FixedBytes};
use alloy_sol_types::SolError;
use poco_hub_base::diamond::{
    self, diamond_storage, CannotAddFunctionToDiamondThatAlreadyExists, CannotAddSelectorsToZeroAddress,
    CannotRemoveFunctionThatDoesNotExist, CannotRemoveImmutableFunction, CannotReplaceFunctionThatDoesNotExists,
    CannotReplaceFunctionWithTheSameFunctionFromTheSameFacet, CannotReplaceFunctionsFromFacetWithZeroAddress,
    CannotReplaceImmutableFunction, DiamondCut, Facet, FacetCut, IncorrectFacetCutAction,
    InitializationFunctionReverted, NoBytecodeAtAddress, NoSelectorsProvidedForFacetForCut,
    RemoveFacetAddressMustBeZeroAddress,
};
use poco_hub_base::revert;
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
    /// `NotContractOwner`; empty revert data when an action is not 0, 1 or 2 (Solidity's
    /// enum decoding: `IncorrectFacetCutAction` cannot be reached, as in diamond-1);
    /// `NoSelectorsProvidedForFacetForCut`, the add/replace/remove errors of the diamond,
    /// `NoBytecodeAtAddress`, and the init's revert data or `InitializationFunctionReverted`.
    ///
    /// # Events
    /// `DiamondCut(diamond_cut, init, calldata)`.
    #[selector(name = "diamondCut")]
    pub fn diamond_cut(&mut self, diamond_cut: Vec<FacetCut>, init: Address, calldata: Bytes) -> Result<(), Vec<u8>> {
        diamond::enforce_is_contract_owner(self.vm())?;
        // `FacetCutAction` is an enum of three values: Solidity's ABI decoder reverts without
        // data on any other, when `diamondCut` copies the calldata array to memory for
        // LibDiamond, i.e. after the owner check and before the first cut is applied.
        if diamond_cut.iter().any(|cut| cut.action > REMOVE) {
            return Err(Vec::new());
        }
        for cut in &diamond_cut {
            if cut.functionSelectors.is_empty() {
                return Err(NoSelectorsProvidedForFacetForCut { _facetAddress: cut.facetAddress }.abi_encode());
            }
            match cut.action {
                ADD => self.add_functions(cut.facetAddress, &cut.functionSelectors)?,
                REPLACE => self.replace_functions(cut.facetAddress, &cut.functionSelectors)?,
                REMOVE => self.remove_functions(cut.facetAddress, &cut.functionSelectors)?,
                // Unreachable (actions were checked above), as in LibDiamond.
                other => return Err(IncorrectFacetCutAction { _action: other }.abi_encode()),
            }
        }
        self.vm().log(DiamondCut { _diamondCut: diamond_cut, _init: init, _calldata: calldata.clone() });
        self.initialize(init, calldata)
    }

    /// Every facet and its selectors, facets in the order their first selector appears in
    /// the selector list (diamond-1's loupe).
    ///
    /// Mudgen: DiamondLoupeFacet.facets
    pub fn facets(&self) -> Vec<Facet> {
        let mut facets: Vec<Facet> = Vec::new();
        for (selector, facet) in diamond::selectors_with_facets(self.vm()) {
            match facets.iter_mut().find(|f| f.facetAddress == facet) {
                Some(f) => f.functionSelectors.push(selector),
                None => facets.push(Facet { facetAddress: facet, functionSelectors: vec![selector] }),
            }
        }
        facets
    }

    /// Selectors served by `facet`, in the order of the selector list.
    #[selector(name = "facetFunctionSelectors")]
    pub fn facet_function_selectors(&self, facet: Address) -> Vec<FixedBytes<4>> {
        diamond::selectors_of(self.vm(), facet)
    }

    /// Every facet address, in the order its first selector appears in the selector list.
    ///
    /// Mudgen: DiamondLoupeFacet.facetAddresses
    #[selector(name = "facetAddresses")]
    pub fn facet_addresses(&self) -> Vec<Address> {
        let mut facets: Vec<Address> = Vec::new();
        for (_, facet) in diamond::selectors_with_facets(self.vm()) {
            if !facets.contains(&facet) {
                facets.push(facet);
            }
        }
        facets
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
        // `uint16(ds.selectors.length)`: a truncating conversion, then a checked `++`.
        let mut count = diamond_storage(self.vm()).selectors.len() as u16;
        self.enforce_has_code(facet, "LibDiamondCut: Add facet has no code")?;
        for selector in selectors {
            if !diamond::facet_of(self.vm(), selector.0).is_zero() {
                return Err(CannotAddFunctionToDiamondThatAlreadyExists { _selector: *selector }.abi_encode());
            }
            diamond::add_selector_at(self.vm(), facet, selector.0, count);
            count = count.checked_add(1).ok_or_else(|| revert::panic(0x11))?;
        }
        Ok(())
    }

    /// Points the selectors at `facet`; each keeps its place in the selector list.
    ///
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
            diamond_storage(self.vm()).selector_to_facet.setter(*selector).facet.set(facet);
        }
        Ok(())
    }

    /// Unlinks the selectors: each one's place in the selector list is taken by the last
    /// selector, then the list is popped.
    ///
    /// Mudgen: LibDiamond.removeFunctions
    fn remove_functions(&mut self, facet: Address, selectors: &[FixedBytes<4>]) -> Result<(), Vec<u8>> {
        if !facet.is_zero() {
            return Err(RemoveFacetAddressMustBeZeroAddress { _facetAddress: facet }.abi_encode());
        }
        let this = self.vm().contract_address();
        let mut ds = diamond_storage(self.vm());
        for selector in selectors {
            let (old, position) = {
                let record = ds.selector_to_facet.getter(*selector);
                (record.facet.get(), record.position.get())
            };
            if old.is_zero() {
                return Err(CannotRemoveFunctionThatDoesNotExist { _selector: *selector }.abi_encode());
            }
            if old == this {
                return Err(CannotRemoveImmutableFunction { _selector: *selector }.abi_encode());
            }
            // `selectorCount--` cannot underflow: the selector is served, so the list holds it.
            let last = ds.selectors.len() - 1;
            let hole = usize::from(position.to::<u16>());
            if hole != last {
                let moved = ds.selectors.get(last).unwrap_or_default();
                if let Some(mut slot) = ds.selectors.setter(hole) {
                    slot.set(moved);
                }
                ds.selector_to_facet.setter(moved).position.set(position);
            }
            ds.selectors.erase_last();
            let mut record = ds.selector_to_facet.setter(*selector);
            record.facet.set(Address::ZERO);
            record.position.set(U16::ZERO);
        }
        Ok(())
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
