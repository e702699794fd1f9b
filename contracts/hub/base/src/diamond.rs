//! ERC-2535 diamond storage: which facet serves each selector, and who owns the hub.
//!
//! Laid out exactly as Mudgen's diamond-1 `LibDiamond.DiamondStorage`, which PoCo's
//! `Diamond.sol` uses (`@mudgen/diamond-1` at `3da037b`), at the same slot
//! `keccak256("diamond.standard.diamond.storage")`: `facetAddressAndSelectorPosition`
//! (selector → facet and the selector's index in `selectors`, one slot), `selectors` (every
//! served selector, eight per slot), `supportedInterfaces`, then `contractOwner` at slot + 3.
//! Tools that read a diamond-1 diamond's storage directly read this one the same way. The
//! router reads one slot per call (`selector → facet`); the diamond facet writes it.
//!
//! PoCo: contracts/Diamond.sol and Mudgen's diamond-1 LibDiamond.

#[allow(unused_imports)] // `String`: named by the `AbiType` derive under export-abi
use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{aliases::U16, b256, Address, FixedBytes, B256, U256};
use alloy_sol_types::{sol, SolError};
use stylus_sdk::{
    host::VM,
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageFixedBytes, StorageMap, StorageU16, StorageVec},
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

/// The diamond's selector table and owner: diamond-1's `LibDiamond.DiamondStorage`, field
/// for field.
#[storage]
pub struct DiamondStorage {
    /// `facetAddressAndSelectorPosition`: the facet serving each selector and the selector's
    /// position in [`DiamondStorage::selectors`].
    pub selector_to_facet: StorageMap<FixedBytes<4>, SelectorRecord>,
    /// `selectors`: every served selector, in cut order (a removal moves the last one into
    /// the hole). `bytes4` elements are packed eight to a slot, as Solidity packs them.
    pub selectors: StorageVec<StorageFixedBytes<4>>,
    /// `supportedInterfaces`: ERC-165 interfaces declared by a diamond init.
    pub supported_interfaces: StorageMap<FixedBytes<4>, StorageBool>,
    /// `contractOwner` (EIP-173), at slot + 3.
    pub owner: StorageAddress,
}

/// `FacetAddressAndSelectorPosition { address facetAddress; uint16 selectorPosition; }`: one
/// slot.
#[storage]
pub struct SelectorRecord {
    /// Facet serving the selector.
    pub facet: StorageAddress,
    /// Position of the selector in [`DiamondStorage::selectors`].
    pub position: StorageU16,
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

/// Serves `selector` with `facet` at `position` of the selector list (an add of one
/// selector; the caller checked it is new and passes diamond-1's `uint16` count).
///
/// Mudgen: LibDiamond.addFunctions (loop body)
pub fn add_selector_at(vm: &VM, facet: Address, selector: [u8; 4], position: u16) {
    let mut ds = diamond_storage(vm);
    let mut record = ds.selector_to_facet.setter(FixedBytes(selector));
    record.facet.set(facet);
    record.position.set(U16::from(position));
    ds.selectors.push(FixedBytes(selector));
}

/// Serves `selector` with `facet`, appended to the selector list (the router's constructor
/// and tests; the diamond facet counts positions itself, as diamond-1 does).
pub fn add_selector(vm: &VM, facet: Address, selector: [u8; 4]) {
    // diamond-1 narrows the length with `uint16(ds.selectors.length)`: truncation on purpose.
    let position = diamond_storage(vm).selectors.len() as u16;
    add_selector_at(vm, facet, selector, position);
}

/// Every served selector with its facet, in the order of the selector list.
pub fn selectors_with_facets(vm: &VM) -> Vec<(FixedBytes<4>, Address)> {
    let ds = diamond_storage(vm);
    (0..ds.selectors.len())
        .filter_map(|i| ds.selectors.get(i))
        .map(|selector| (selector, ds.selector_to_facet.getter(selector).facet.get()))
        .collect()
}

/// Selectors of a facet, in the order of the selector list (loupe
/// `facetFunctionSelectors`).
///
/// Mudgen: DiamondLoupeFacet.facetFunctionSelectors
pub fn selectors_of(vm: &VM, facet: Address) -> Vec<FixedBytes<4>> {
    selectors_with_facets(vm).into_iter().filter(|(_, f)| *f == facet).map(|(s, _)| s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_is_mudgens_namespace() {
        assert_eq!(DIAMOND_STORAGE_SLOT, alloy_primitives::keccak256("diamond.standard.diamond.storage"));
    }

    /// The raw slots a diamond-1 diamond holds (issue 9, item 7): `contractOwner` at
    /// slot + 3; `facetAddressAndSelectorPosition[sel]` at `keccak256(sel ‖ slot)` with the
    /// facet in the low 20 bytes and the `uint16` position above it; `selectors` at
    /// `keccak256(slot + 1)`, eight `bytes4` per word from the low end, its length at
    /// slot + 1.
    #[test]
    fn layout_is_diamond_ones() {
        use alloc::boxed::Box;
        use alloy_primitives::{address, keccak256};
        use stylus_sdk::{stylus_core::host::StorageAccess, testing::TestVM};
        let test_vm = TestVM::default();
        let vm = VM { host: Box::new(test_vm.clone()) };
        let root = U256::from_be_bytes(DIAMOND_STORAGE_SLOT.0);
        let word = |slot: U256| test_vm.storage_load_bytes32(slot);
        let owner = address!("00000000000000000000000000000000000a11ce");
        set_owner(&vm, owner);
        assert_eq!(word(root + U256::from(3)), owner.into_word());

        let facet = address!("00000000000000000000000000000000000000f1");
        let selectors: Vec<[u8; 4]> = (1..=9u8).map(|i| [i, 0xaa, 0xbb, i]).collect();
        for s in &selectors {
            add_selector(&vm, facet, *s);
        }
        assert_eq!(word(root + U256::from(1)), B256::from(U256::from(9)));
        let data = U256::from_be_bytes(keccak256((root + U256::from(1)).to_be_bytes::<32>()).0);
        let first = word(data);
        for (i, s) in selectors[..8].iter().enumerate() {
            assert_eq!(first[28 - 4 * i..32 - 4 * i], s[..], "element {i}");
        }
        assert_eq!(word(data + U256::from(1))[28..], selectors[8][..]);
        for (i, s) in selectors.iter().enumerate() {
            let mut key = [0u8; 64];
            key[..4].copy_from_slice(s);
            key[32..].copy_from_slice(&DIAMOND_STORAGE_SLOT.0);
            let record = word(U256::from_be_bytes(keccak256(key).0));
            assert_eq!(record[12..], facet[..]);
            assert_eq!(record[10..12], (i as u16).to_be_bytes());
            assert!(record[..10].iter().all(|b| *b == 0));
            assert_eq!(facet_of(&vm, *s), facet);
        }
        // supportedInterfaces[id] at keccak256(id ‖ slot + 2).
        let id = FixedBytes([0x01, 0xff, 0xc9, 0xa7]);
        diamond_storage(&vm).supported_interfaces.setter(id).set(true);
        let mut key = [0u8; 64];
        key[..4].copy_from_slice(&id.0);
        key[32..].copy_from_slice(&(root + U256::from(2)).to_be_bytes::<32>());
        assert_eq!(word(U256::from_be_bytes(keccak256(key).0)), B256::with_last_byte(1));
    }
}
