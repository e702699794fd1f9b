//! ERC-2535 diamond storage: which facet serves each selector, and who owns the hub.
//!
//! Laid out as Mudgen's `LibDiamond.DiamondStorage` (diamond-1), at the same slot
//! `keccak256("diamond.standard.diamond.storage")`, so loupe tools that read it directly keep
//! working. The router reads one slot per call (`selector → facet`); the diamond facet
//! writes it.
//!
//! PoCo: contracts/Diamond.sol and Mudgen's LibDiamond.

#[allow(unused_imports)] // `String`: named by the `AbiType` derive under export-abi
use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{b256, Address, FixedBytes, B256, U256};
use alloy_sol_types::{sol, SolError};
use stylus_sdk::{
    host::VM,
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageFixedBytes, StorageMap, StorageU256, StorageU96, StorageVec},
};

/// `keccak256("diamond.standard.diamond.storage")`.
pub const DIAMOND_STORAGE_SLOT: B256 = b256!("c8fcad8db84d3cc18b4c41d551ea0ee66dd599cde068d998e57d5e09332c131c");

/// Selector the router falls back to for unknown selectors (PoCo registers the escrow
/// facet's `fallback` there).
pub const FALLBACK_SELECTOR: [u8; 4] = [0xff, 0xff, 0xff, 0xff];
/// Selector the router uses for plain value transfers (PoCo registers `receive` there).
pub const RECEIVE_SELECTOR: [u8; 4] = [0x00, 0x00, 0x00, 0x00];

sol! {
    /// One change of a diamond cut.
    #[derive(stylus_sdk::stylus_proc::AbiType)]
    struct FacetCut {
        address facetAddress;
        uint8 action;
        bytes4[] functionSelectors;
    }

    /// A facet and its selectors (loupe `facets()`).
    #[derive(stylus_sdk::stylus_proc::AbiType)]
    struct Facet {
        address facetAddress;
        bytes4[] functionSelectors;
    }

    /// `IDiamondCut.diamondCut`: declared here, beside its struct, for the ABI export
    /// (Stylus prints struct parameters without their definitions).
    #[sol(abi)]
    function diamondCut(FacetCut[] _diamondCut, address _init, bytes _calldata) external;
    /// `IDiamondLoupe.facets`, declared here for the ABI export.
    #[sol(abi)]
    function facets() external view returns (Facet[] facets_);

    /// The diamond was cut (EIP-2535).
    #[sol(abi)]
    event DiamondCut(FacetCut[] _diamondCut, address _init, bytes _calldata);
    /// EIP-173 ownership change.
    #[sol(abi)]
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    /// `msg.sender` is not the owner.
    #[sol(abi)]
    error NotContractOwner(address _user, address _contractOwner);
    /// Add of a selector that already has a facet.
    #[sol(abi)]
    error CannotAddFunctionToDiamondThatAlreadyExists(bytes4 _selector);
    /// Add to the zero address.
    #[sol(abi)]
    error CannotAddSelectorsToZeroAddress(bytes4[] _selectors);
    /// Remove of an unknown selector.
    #[sol(abi)]
    error CannotRemoveFunctionThatDoesNotExist(bytes4 _selector);
    /// Remove of a function of the diamond itself.
    #[sol(abi)]
    error CannotRemoveImmutableFunction(bytes4 _selector);
    /// Replace of an unknown selector.
    #[sol(abi)]
    error CannotReplaceFunctionThatDoesNotExists(bytes4 _selector);
    /// Replace by the same facet.
    #[sol(abi)]
    error CannotReplaceFunctionWithTheSameFunctionFromTheSameFacet(bytes4 _selector);
    /// Replace with the zero address.
    #[sol(abi)]
    error CannotReplaceFunctionsFromFacetWithZeroAddress(bytes4[] _selectors);
    /// Replace of a function of the diamond itself.
    #[sol(abi)]
    error CannotReplaceImmutableFunction(bytes4 _selector);
    /// Action other than add (0), replace (1), remove (2).
    #[sol(abi)]
    error IncorrectFacetCutAction(uint8 _action);
    /// The init delegatecall reverted.
    #[sol(abi)]
    error InitializationFunctionReverted(address _initializationContractAddress, bytes _calldata);
    /// A facet or init address without code.
    #[sol(abi)]
    error NoBytecodeAtAddress(address _contractAddress, string _message);
    /// A cut entry with no selectors.
    #[sol(abi)]
    error NoSelectorsProvidedForFacetForCut(address _facetAddress);
    /// Remove with a non-zero facet address.
    #[sol(abi)]
    error RemoveFacetAddressMustBeZeroAddress(address _facetAddress);
    /// The router has no facet for this selector.
    #[sol(abi)]
    error FunctionNotFound(bytes4 _functionSelector);
}

/// The diamond's selector table and owner (LibDiamond.DiamondStorage).
#[storage]
pub struct DiamondStorage {
    /// Facet serving each selector and the selector's position in the facet's list.
    pub selector_to_facet: StorageMap<FixedBytes<4>, SelectorRecord>,
    /// Selectors of each facet and the facet's position in `facet_addresses`.
    pub facet_selectors: StorageMap<Address, FacetRecord>,
    /// Every facet address, in cut order.
    pub facet_addresses: StorageVec<StorageAddress>,
    /// ERC-165 interfaces declared by the diamond's init.
    pub supported_interfaces: StorageMap<FixedBytes<4>, StorageBool>,
    /// Owner (EIP-173).
    pub owner: StorageAddress,
}

/// `FacetAddressAndPosition`: one slot.
#[storage]
pub struct SelectorRecord {
    /// Facet serving the selector.
    pub facet: StorageAddress,
    /// Position of the selector in the facet's selector list.
    pub position: StorageU96,
}

/// `FacetFunctionSelectors`.
#[storage]
pub struct FacetRecord {
    /// Selectors the facet serves.
    pub selectors: StorageVec<StorageFixedBytes<4>>,
    /// Position of the facet in `facet_addresses`.
    pub facet_position: StorageU256,
}

/// The diamond storage.
pub fn diamond_storage(vm: &VM) -> DiamondStorage {
    // SAFETY: Mudgen's namespace; only this module's layout lives there.
    unsafe { DiamondStorage::new(U256::from_be_bytes(DIAMOND_STORAGE_SLOT.0), 0, vm.clone()) }
}

/// The facet serving `selector`, or zero.
pub fn facet_of(vm: &VM, selector: [u8; 4]) -> Address {
    diamond_storage(vm).selector_to_facet.getter(FixedBytes(selector)).facet.get()
}

/// The hub's owner.
pub fn owner(vm: &VM) -> Address {
    diamond_storage(vm).owner.get()
}

/// Reverts unless the caller owns the diamond, with the diamond's own error.
///
/// Mudgen: LibDiamond.enforceIsContractOwner
pub fn enforce_is_contract_owner(vm: &VM) -> Result<(), Vec<u8>> {
    let owner = owner(vm);
    let user = vm.msg_sender();
    if user != owner {
        return Err(NotContractOwner { _user: user, _contractOwner: owner }.abi_encode());
    }
    Ok(())
}

/// PoCo facets' `onlyOwner`: `"Ownable: caller is not the owner"`. PoCo reads the owner with
/// an external self-call to `owner()`; reading the diamond storage gives the same answer
/// without a program entry.
///
/// PoCo: contracts/abstract/FacetBase.sol, onlyOwner
pub fn only_owner(vm: &VM) -> Result<(), Vec<u8>> {
    if vm.msg_sender() != owner(vm) {
        return Err(crate::revert::reason(poco_core::reasons::OWNABLE_NOT_OWNER));
    }
    Ok(())
}

/// Sets the owner and emits `OwnershipTransferred`.
pub fn set_owner(vm: &VM, new_owner: Address) {
    let mut ds = diamond_storage(vm);
    let previous = ds.owner.get();
    ds.owner.set(new_owner);
    vm.log(OwnershipTransferred { previousOwner: previous, newOwner: new_owner });
}

/// Serves `selector` with `facet` (an add of one selector; the caller checked it is new).
pub fn add_selector(vm: &VM, facet: Address, selector: [u8; 4]) {
    let mut ds = diamond_storage(vm);
    let position = ds.facet_selectors.getter(facet).selectors.len();
    if position == 0 {
        let facet_position = U256::from(ds.facet_addresses.len());
        ds.facet_addresses.push(facet);
        ds.facet_selectors.setter(facet).facet_position.set(facet_position);
    }
    ds.facet_selectors.setter(facet).selectors.push(FixedBytes(selector));
    let mut sel = ds.selector_to_facet.setter(FixedBytes(selector));
    sel.facet.set(facet);
    sel.position.set(alloy_primitives::aliases::U96::from(position));
}

/// Selectors of a facet, as the loupe returns them.
pub fn selectors_of(vm: &VM, facet: Address) -> Vec<FixedBytes<4>> {
    let ds = diamond_storage(vm);
    let record = ds.facet_selectors.getter(facet);
    (0..record.selectors.len()).filter_map(|i| record.selectors.get(i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_is_mudgens_namespace() {
        assert_eq!(DIAMOND_STORAGE_SLOT, alloy_primitives::keccak256("diamond.standard.diamond.storage"));
    }
}
