//! Typed view calls to the contracts the hub trusts to answer (asset entries, registries,
//! workerpools), decoded as Solidity ≥ 0.8.10 decodes them: a revert bubbles up with its
//! data; a callee without code, a short answer or a non-canonical `address`/`bool` word
//! reverts without data (the ABI decoder's bare revert).

use alloc::vec::Vec;

use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolCall};
use stylus_sdk::{call::RawCall, host::VM};

use crate::revert;

sol! {
    /// IERC5313: the owner of an asset (app, dataset, workerpool entry).
    function owner() returns (address);
    /// IRegistry: whether `entry` was created by the registry (or its predecessor).
    function isRegistered(address entry) returns (bool);
    /// IERC721: the holder of a registry's token; an entry's token id is its address.
    function ownerOf(uint256 tokenId) returns (address);
}

/// The first 32-byte word a static call returns.
///
/// # Errors
/// The callee's revert data; empty data when it returned fewer than 32 bytes.
pub fn static_word(vm: &VM, to: Address, calldata: &[u8]) -> Result<[u8; 32], Vec<u8>> {
    // SAFETY: a static call cannot write; nothing is pending in the storage cache on the
    // paths that use it (they run before any write), so no flush is needed.
    let out = unsafe { RawCall::new_static(vm).call(to, calldata) }?;
    out.get(..32).and_then(|w| <[u8; 32]>::try_from(w).ok()).ok_or_else(revert::bare)
}

/// A `uint256` view without arguments, e.g. `m_workerStakeRatioPolicy()`.
///
/// # Errors
/// As [`static_word`].
pub fn static_uint(vm: &VM, to: Address, selector: [u8; 4]) -> Result<U256, Vec<u8>> {
    static_word(vm, to, &selector).map(U256::from_be_bytes)
}

/// `IERC5313(asset).owner()`.
///
/// # Errors
/// The asset's revert data; a bare revert when `asset` has no code or the answer is not an
/// address.
pub fn owner_of(vm: &VM, asset: Address) -> Result<Address, Vec<u8>> {
    let word = static_word(vm, asset, &ownerCall::SELECTOR)?;
    if word[..12].iter().any(|b| *b != 0) {
        return Err(revert::bare());
    }
    Ok(Address::from_slice(&word[12..]))
}

/// `IRegistry(registry).isRegistered(entry)`.
///
/// # Errors
/// The registry's revert data; a bare revert when it has no code or the answer is not a
/// `bool`.
pub fn is_registered(vm: &VM, registry: Address, entry: Address) -> Result<bool, Vec<u8>> {
    let word = static_word(vm, registry, &isRegisteredCall { entry }.abi_encode())?;
    match U256::from_be_bytes(word) {
        w if w.is_zero() => Ok(false),
        w if w == U256::from(1) => Ok(true),
        _ => Err(revert::bare()),
    }
}

/// The owner of `entry` as `registry` records it: ERC-721 `ownerOf(uint256(entry))`, or `None`
/// when the registry does not answer with a non-zero address (a token it never minted, such
/// as an unregistered asset or an entry of a previous registry).
///
/// PoCo's RegistryEntry defines `owner()` as exactly this call, so one registry call answers
/// both "is it registered?" and "who owns it?" — a hop through the entry program saved.
pub fn registered_owner(vm: &VM, registry: Address, entry: Address) -> Option<Address> {
    let token = U256::from_be_slice(entry.as_slice());
    let word = static_word(vm, registry, &ownerOfCall { tokenId: token }.abi_encode()).ok()?;
    if word[..12].iter().any(|b| *b != 0) {
        return None;
    }
    let owner = Address::from_slice(&word[12..]);
    (!owner.is_zero()).then_some(owner)
}
