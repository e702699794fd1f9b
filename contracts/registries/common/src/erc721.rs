//! OpenZeppelin 3.4 `ERC721` (with its built-in enumerable and metadata parts), as the
//! registries expose it.
//!
//! Behaviour mirrored from OZ 3.4 `token/ERC721/ERC721.sol`:
//! - every transfer first clears the token's approval through `_approve(address(0), id)`, which
//!   emits `Approval(from, 0, id)` before `Transfer(from, to, id)`;
//! - `safeTransferFrom` moves the token, then calls `onERC721Received` on a contract receiver:
//!   a revert with data is bubbled, a revert without data or a wrong magic value reverts
//!   [`reasons::ERC721_NON_RECEIVER`], a return shorter than one word reverts bare;
//! - `tokenURI` is `baseURI ‖ decimal(tokenId)`, or `""` without base URI (no per-token URIs);
//! - enumeration: tokens of an owner are a swap-and-pop set, all tokens an insertion-ordered
//!   list (the registries never burn, so `tokenByIndex(i)` is the i-th minted token).
//!
//! Storage layout is ours (OZ 3's `EnumerableMap`/`EnumerableSet` are not reproduced); see
//! [`Erc721`].

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall};
use stylus_sdk::{
    crypto::keccak,
    host::VM,
    prelude::*,
    storage::{StorageGuard, StorageGuardMut, StorageType},
    stylus_core::host::StorageAccess,
};

use crate::{
    calls,
    error::{reasons, Error},
};

sol! {
    /// `tokenId` moved from `from` to `to` (`from` = 0 on mint).
    #[derive(Debug, PartialEq)]
    #[sol(abi)]
    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
    /// `approved` may move `tokenId` (zero: approval cleared).
    #[derive(Debug, PartialEq)]
    #[sol(abi)]
    event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId);
    /// `operator` may (or may no longer) move every token of `owner`.
    #[derive(Debug, PartialEq)]
    #[sol(abi)]
    event ApprovalForAll(address indexed owner, address indexed operator, bool approved);

    /// ERC-721 receiver hook called by `safeTransferFrom` on contract receivers.
    function onERC721Received(address operator, address from, uint256 tokenId, bytes data)
        external returns (bytes4);
}

/// ERC-165 interface id of ERC-165 itself.
pub const INTERFACE_ID_ERC165: [u8; 4] = [0x01, 0xff, 0xc9, 0xa7];
/// ERC-165 interface id of ERC-721.
pub const INTERFACE_ID_ERC721: [u8; 4] = [0x80, 0xac, 0x58, 0xcd];
/// ERC-165 interface id of ERC-721 metadata.
pub const INTERFACE_ID_ERC721_METADATA: [u8; 4] = [0x5b, 0x5e, 0x13, 0x9f];
/// ERC-165 interface id of ERC-721 enumerable.
pub const INTERFACE_ID_ERC721_ENUMERABLE: [u8; 4] = [0x78, 0x0e, 0x9d, 0x63];
/// `onERC721Received.selector`, the value a willing receiver returns.
pub const ERC721_RECEIVED: [u8; 4] = [0x15, 0x0b, 0x7a, 0x02];

/// Whether `interface_id` is one of the four interfaces OZ 3's registries register.
pub fn supports_interface(interface_id: [u8; 4]) -> bool {
    matches!(
        interface_id,
        INTERFACE_ID_ERC165
            | INTERFACE_ID_ERC721
            | INTERFACE_ID_ERC721_METADATA
            | INTERFACE_ID_ERC721_ENUMERABLE
    )
}

/// State of the ERC-721 ledger: seven consecutive slots, Solidity mapping layout
/// (`keccak256(pad32(key) ‖ slot)`), accessed through a handful of non-inlined word helpers
/// rather than `StorageMap` (whose generic accessors, inlined at every use, cost kilobytes).
///
/// | slot | content |
/// |---|---|
/// | +0 | `mapping(uint256 => address)` token owners (zero: no token) |
/// | +1 | `mapping(address => uint256)` balances |
/// | +2 | `mapping(uint256 => address)` token approvals |
/// | +3 | `mapping(address => mapping(address => bool))` operator approvals |
/// | +4 | `mapping(address => mapping(uint256 => uint256))` tokens of an owner by index |
/// | +5 | `mapping(uint256 => uint256)` index of a token among its owner's |
/// | +6 | `uint256[]` every token in mint order |
pub struct Erc721 {
    root: U256,
    vm: VM,
}

const OWNERS: u8 = 0;
const BALANCES: u8 = 1;
const TOKEN_APPROVALS: u8 = 2;
const OPERATOR_APPROVALS: u8 = 3;
const OWNED_TOKENS: u8 = 4;
const OWNED_TOKENS_INDEX: u8 = 5;
const ALL_TOKENS: u8 = 6;

impl StorageType for Erc721 {
    type Wraps<'a>
        = StorageGuard<'a, Erc721>
    where
        Self: 'a;
    type WrapsMut<'a>
        = StorageGuardMut<'a, Erc721>
    where
        Self: 'a;

    const REQUIRED_SLOTS: usize = 7;

    unsafe fn new(root: U256, offset: u8, host: VM) -> Self {
        let _ = offset; // starts a fresh slot (SLOT_BYTES = 32)
        Self { root, vm: host }
    }

    fn load<'s>(self) -> Self::Wraps<'s> {
        StorageGuard::new(self)
    }

    fn load_mut<'s>(self) -> Self::WrapsMut<'s> {
        StorageGuardMut::new(self)
    }
}

impl HostAccess for Erc721 {
    type Host = VM;

    fn vm(&self) -> &VM {
        &self.vm
    }
}

/// A `uint256` key as a word.
fn uint_key(value: U256) -> B256 {
    B256::from(value.to_be_bytes::<32>())
}

/// An `address` key as a word.
fn address_key(value: Address) -> B256 {
    B256::from(calls::address_word(value))
}

impl Erc721 {
    /// Slot of `mapping[key]` for the mapping at `root + field`.
    #[inline(never)]
    fn slot(&self, field: u8, key: B256) -> U256 {
        child_slot(self.root + U256::from(field), key)
    }

    /// Slot of `mapping[outer][inner]` for the nested mapping at `root + field`.
    fn slot2(&self, field: u8, outer: B256, inner: B256) -> U256 {
        child_slot(self.slot(field, outer), inner)
    }

    /// The word at `slot`.
    #[inline(never)]
    fn sload(&self, slot: U256) -> U256 {
        U256::from_be_bytes(self.vm.storage_load_bytes32(slot).0)
    }

    /// Writes the word at `slot`.
    #[inline(never)]
    fn sstore(&mut self, slot: U256, value: U256) {
        // SAFETY: a word write to a slot of this ledger.
        unsafe { self.vm.storage_cache_bytes32(slot, B256::from(value.to_be_bytes::<32>())) }
    }

    fn load_address(&self, slot: U256) -> Address {
        Address::from_word(B256::from(self.sload(slot).to_be_bytes::<32>()))
    }

    fn store_address(&mut self, slot: U256, value: Address) {
        self.sstore(slot, U256::from_be_slice(value.as_slice()));
    }

    fn owner_raw(&self, token_id: U256) -> Address {
        self.load_address(self.slot(OWNERS, uint_key(token_id)))
    }

    fn balance_raw(&self, owner: Address) -> U256 {
        self.sload(self.slot(BALANCES, address_key(owner)))
    }

    fn approval_raw(&self, token_id: U256) -> Address {
        self.load_address(self.slot(TOKEN_APPROVALS, uint_key(token_id)))
    }
}

/// `keccak256(key ‖ parent)`: Solidity's mapping slot.
#[inline(never)]
fn child_slot(parent: U256, key: B256) -> U256 {
    let mut buf = [0u8; 64];
    buf[..32].copy_from_slice(key.as_slice());
    buf[32..].copy_from_slice(&parent.to_be_bytes::<32>());
    U256::from_be_bytes(keccak(buf).0)
}

impl Erc721 {
    /// `balanceOf(owner)`.
    ///
    /// # Errors
    ///
    /// [`reasons::ERC721_BALANCE_OF_ZERO`] for the zero address.
    pub fn balance_of(&self, owner: Address) -> Result<U256, Error> {
        if owner.is_zero() {
            return Err(Error::Reason(reasons::ERC721_BALANCE_OF_ZERO));
        }
        Ok(self.balance_raw(owner))
    }

    /// `ownerOf(tokenId)`.
    ///
    /// # Errors
    ///
    /// [`reasons::ERC721_OWNER_OF_NONEXISTENT`] when the token does not exist.
    pub fn owner_of(&self, token_id: U256) -> Result<Address, Error> {
        let owner = self.owner_raw(token_id);
        if owner.is_zero() {
            return Err(Error::Reason(reasons::ERC721_OWNER_OF_NONEXISTENT));
        }
        Ok(owner)
    }

    /// Whether `token_id` was minted (OZ `_exists`).
    pub fn exists(&self, token_id: U256) -> bool {
        !self.owner_raw(token_id).is_zero()
    }

    /// `getApproved(tokenId)`.
    ///
    /// # Errors
    ///
    /// [`reasons::ERC721_APPROVED_OF_NONEXISTENT`] when the token does not exist.
    pub fn get_approved(&self, token_id: U256) -> Result<Address, Error> {
        if !self.exists(token_id) {
            return Err(Error::Reason(reasons::ERC721_APPROVED_OF_NONEXISTENT));
        }
        Ok(self.approval_raw(token_id))
    }

    /// `isApprovedForAll(owner, operator)`.
    pub fn is_approved_for_all(&self, owner: Address, operator: Address) -> bool {
        !self
            .sload(self.slot2(OPERATOR_APPROVALS, address_key(owner), address_key(operator)))
            .is_zero()
    }

    /// `approve(to, tokenId)` by `msg.sender`.
    ///
    /// # Errors
    ///
    /// [`reasons::ERC721_OWNER_OF_NONEXISTENT`], [`reasons::ERC721_APPROVAL_TO_OWNER`],
    /// [`reasons::ERC721_APPROVE_NOT_ALLOWED`] (caller neither owner nor operator).
    ///
    /// # Events
    ///
    /// [`Approval`] `(owner, to, tokenId)`.
    pub fn approve(&mut self, to: Address, token_id: U256) -> Result<(), Error> {
        let owner = self.owner_of(token_id)?;
        if to == owner {
            return Err(Error::Reason(reasons::ERC721_APPROVAL_TO_OWNER));
        }
        let sender = self.vm().msg_sender();
        if sender != owner && !self.is_approved_for_all(owner, sender) {
            return Err(Error::Reason(reasons::ERC721_APPROVE_NOT_ALLOWED));
        }
        self.set_token_approval(owner, to, token_id);
        Ok(())
    }

    /// `setApprovalForAll(operator, approved)` by `msg.sender`.
    ///
    /// # Errors
    ///
    /// [`reasons::ERC721_APPROVE_TO_CALLER`] when `operator` is the caller.
    ///
    /// # Events
    ///
    /// [`ApprovalForAll`] `(msg.sender, operator, approved)`.
    pub fn set_approval_for_all(&mut self, operator: Address, approved: bool) -> Result<(), Error> {
        let owner = self.vm().msg_sender();
        if operator == owner {
            return Err(Error::Reason(reasons::ERC721_APPROVE_TO_CALLER));
        }
        let slot = self.slot2(OPERATOR_APPROVALS, address_key(owner), address_key(operator));
        self.sstore(slot, U256::from(approved as u8));
        self.vm().log(ApprovalForAll {
            owner,
            operator,
            approved,
        });
        Ok(())
    }

    /// `transferFrom(from, to, tokenId)` by `msg.sender`.
    ///
    /// # Errors
    ///
    /// [`reasons::ERC721_OPERATOR_OF_NONEXISTENT`], [`reasons::ERC721_TRANSFER_NOT_ALLOWED`],
    /// [`reasons::ERC721_TRANSFER_NOT_OWN`], [`reasons::ERC721_TRANSFER_TO_ZERO`].
    ///
    /// # Events
    ///
    /// [`Approval`] `(from, 0, tokenId)` then [`Transfer`] `(from, to, tokenId)`.
    pub fn transfer_from(&mut self, from: Address, to: Address, token_id: U256) -> Result<(), Error> {
        self.require_approved_or_owner(token_id)?;
        self.transfer(from, to, token_id)
    }

    /// `safeTransferFrom(from, to, tokenId, data)` by `msg.sender`.
    ///
    /// # Errors
    ///
    /// As [`Self::transfer_from`], then [`reasons::ERC721_NON_RECEIVER`] when a contract
    /// receiver refuses; a receiver's own revert data is bubbled.
    ///
    /// # Events
    ///
    /// As [`Self::transfer_from`].
    pub fn safe_transfer_from(
        &mut self,
        from: Address,
        to: Address,
        token_id: U256,
        data: &[u8],
    ) -> Result<(), Error> {
        self.require_approved_or_owner(token_id)?;
        self.transfer(from, to, token_id)?;
        self.check_on_erc721_received(from, to, token_id, data)
    }

    /// `totalSupply()`.
    pub fn total_supply(&self) -> U256 {
        self.sload(self.root + U256::from(ALL_TOKENS))
    }

    /// `tokenByIndex(index)`: the `index`-th minted token.
    ///
    /// # Errors
    ///
    /// [`reasons::ENUMERABLE_MAP_OUT_OF_BOUNDS`] when `index >= totalSupply()`.
    pub fn token_by_index(&self, index: U256) -> Result<U256, Error> {
        if index >= self.total_supply() {
            return Err(Error::Reason(reasons::ENUMERABLE_MAP_OUT_OF_BOUNDS));
        }
        Ok(self.sload(self.all_tokens_slot() + index))
    }

    /// `tokenOfOwnerByIndex(owner, index)`.
    ///
    /// # Errors
    ///
    /// [`reasons::ENUMERABLE_SET_OUT_OF_BOUNDS`] when `index >= balanceOf(owner)`.
    pub fn token_of_owner_by_index(&self, owner: Address, index: U256) -> Result<U256, Error> {
        if index >= self.balance_raw(owner) {
            return Err(Error::Reason(reasons::ENUMERABLE_SET_OUT_OF_BOUNDS));
        }
        Ok(self.sload(self.slot2(OWNED_TOKENS, address_key(owner), uint_key(index))))
    }

    /// `tokenURI(tokenId)`: `base_uri ‖ decimal(tokenId)`, or `""` when `base_uri` is empty.
    ///
    /// # Errors
    ///
    /// [`reasons::ERC721_URI_OF_NONEXISTENT`] when the token does not exist.
    pub fn token_uri(&self, base_uri: String, token_id: U256) -> Result<String, Error> {
        if !self.exists(token_id) {
            return Err(Error::Reason(reasons::ERC721_URI_OF_NONEXISTENT));
        }
        if base_uri.is_empty() {
            return Ok(base_uri);
        }
        let mut uri = base_uri;
        uri.push_str(&to_decimal(token_id));
        Ok(uri)
    }

    /// OZ `_mint(to, tokenId)`.
    ///
    /// # Errors
    ///
    /// [`reasons::ERC721_MINT_TO_ZERO`], [`reasons::ERC721_ALREADY_MINTED`].
    ///
    /// # Events
    ///
    /// [`Transfer`] `(0, to, tokenId)`.
    pub fn mint(&mut self, to: Address, token_id: U256) -> Result<(), Error> {
        if to.is_zero() {
            return Err(Error::Reason(reasons::ERC721_MINT_TO_ZERO));
        }
        if self.exists(token_id) {
            return Err(Error::Reason(reasons::ERC721_ALREADY_MINTED));
        }
        self.add_to_owner(to, token_id);
        let supply = self.total_supply();
        let slot = self.all_tokens_slot() + supply;
        self.sstore(slot, token_id);
        self.sstore(self.root + U256::from(ALL_TOKENS), supply + U256::from(1));
        self.store_address(self.slot(OWNERS, uint_key(token_id)), to);
        self.vm().log(Transfer {
            from: Address::ZERO,
            to,
            tokenId: token_id,
        });
        Ok(())
    }

    /// First slot of the all-tokens array's items.
    fn all_tokens_slot(&self) -> U256 {
        U256::from_be_bytes(keccak((self.root + U256::from(ALL_TOKENS)).to_be_bytes::<32>()).0)
    }

    /// OZ `_isApprovedOrOwner(msg.sender, tokenId)` as a `require`.
    fn require_approved_or_owner(&self, token_id: U256) -> Result<(), Error> {
        let owner = self.owner_raw(token_id);
        if owner.is_zero() {
            return Err(Error::Reason(reasons::ERC721_OPERATOR_OF_NONEXISTENT));
        }
        let spender = self.vm().msg_sender();
        if spender == owner
            || self.approval_raw(token_id) == spender
            || self.is_approved_for_all(owner, spender)
        {
            return Ok(());
        }
        Err(Error::Reason(reasons::ERC721_TRANSFER_NOT_ALLOWED))
    }

    /// OZ `_transfer`.
    fn transfer(&mut self, from: Address, to: Address, token_id: U256) -> Result<(), Error> {
        if self.owner_of(token_id)? != from {
            return Err(Error::Reason(reasons::ERC721_TRANSFER_NOT_OWN));
        }
        if to.is_zero() {
            return Err(Error::Reason(reasons::ERC721_TRANSFER_TO_ZERO));
        }
        self.set_token_approval(from, Address::ZERO, token_id);
        self.remove_from_owner(from, token_id);
        self.add_to_owner(to, token_id);
        self.store_address(self.slot(OWNERS, uint_key(token_id)), to);
        self.vm().log(Transfer {
            from,
            to,
            tokenId: token_id,
        });
        Ok(())
    }

    /// OZ `_approve`: stores the approval and always emits [`Approval`].
    fn set_token_approval(&mut self, owner: Address, approved: Address, token_id: U256) {
        self.store_address(self.slot(TOKEN_APPROVALS, uint_key(token_id)), approved);
        self.vm().log(Approval {
            owner,
            approved,
            tokenId: token_id,
        });
    }

    /// Appends `token_id` to `to`'s tokens and bumps its balance.
    fn add_to_owner(&mut self, to: Address, token_id: U256) {
        let index = self.balance_raw(to);
        self.sstore(self.slot2(OWNED_TOKENS, address_key(to), uint_key(index)), token_id);
        self.sstore(self.slot(OWNED_TOKENS_INDEX, uint_key(token_id)), index);
        self.sstore(self.slot(BALANCES, address_key(to)), index + U256::from(1));
    }

    /// Swap-and-pop `token_id` out of `from`'s tokens and lowers its balance.
    fn remove_from_owner(&mut self, from: Address, token_id: U256) {
        // `from` owns `token_id` (checked by the caller), so its balance is at least 1.
        let last = self.balance_raw(from).saturating_sub(U256::from(1));
        let index = self.sload(self.slot(OWNED_TOKENS_INDEX, uint_key(token_id)));
        let last_slot = self.slot2(OWNED_TOKENS, address_key(from), uint_key(last));
        if index != last {
            let last_token = self.sload(last_slot);
            self.sstore(self.slot2(OWNED_TOKENS, address_key(from), uint_key(index)), last_token);
            self.sstore(self.slot(OWNED_TOKENS_INDEX, uint_key(last_token)), index);
        }
        self.sstore(last_slot, U256::ZERO);
        self.sstore(self.slot(BALANCES, address_key(from)), last);
    }

    /// OZ 3.4 `_checkOnERC721Received`, as a `require`.
    fn check_on_erc721_received(
        &self,
        from: Address,
        to: Address,
        token_id: U256,
        data: &[u8],
    ) -> Result<(), Error> {
        if self.vm().code_size(to) == 0 {
            return Ok(());
        }
        let calldata = onERC721ReceivedCall {
            operator: self.vm().msg_sender(),
            from,
            tokenId: token_id,
            data: data.to_vec().into(),
        }
        .abi_encode();
        match calls::call(self.vm(), to, &calldata) {
            Ok(returned) => {
                if calls::first_word(&returned)?[..4] == ERC721_RECEIVED {
                    Ok(())
                } else {
                    Err(Error::Reason(reasons::ERC721_NON_RECEIVER))
                }
            }
            Err(revert) if revert.is_empty() => Err(Error::Reason(reasons::ERC721_NON_RECEIVER)),
            Err(revert) => Err(Error::Bubble(revert)),
        }
    }
}

/// Decimal digits of `value`, as OZ 3's `Strings.toString(uint256)`.
pub fn to_decimal(value: U256) -> String {
    // Big-endian 32-bit limbs, divided by 10 with native 64-bit arithmetic (no u128 helpers).
    let bytes = value.to_be_bytes::<32>();
    let mut limbs = [0u32; 8];
    for (limb, chunk) in limbs.iter_mut().zip(bytes.chunks_exact(4)) {
        *limb = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    let mut digits: Vec<u8> = Vec::with_capacity(78);
    loop {
        let mut remainder = 0u64;
        for limb in limbs.iter_mut() {
            let current = (remainder << 32) | u64::from(*limb);
            *limb = (current / 10) as u32;
            remainder = current % 10;
        }
        digits.push(b'0' + remainder as u8);
        if limbs.iter().all(|limb| *limb == 0) {
            break;
        }
    }
    digits.iter().rev().map(|digit| char::from(*digit)).collect()
}

#[cfg(test)]
mod tests;
