//! RLC into and out of the hub: a deposit pulls RLC with `transferFrom` and mints as much
//! SRLC, a withdrawal burns SRLC and sends the RLC back with `transfer`.
//!
//! One definition for the two programs that move funds: the router serves `deposit`,
//! `depositFor`, `withdraw` and `withdrawTo` itself (the hottest hub calls, without a second
//! program entry), and the escrow facet deposits for `depositForArray` and `receiveApproval`.
//!
//! External calls follow Solidity's semantics for a high-level call with a return value: a
//! revert of the callee is bubbled up unchanged; return data that does not decode (shorter
//! than a word, a non-0/1 bool — also the empty answer of an address without code) reverts
//! without reason.
//!
//! PoCo: contracts/facets/IexecEscrowTokenFacet.sol (`_deposit`, `_withdraw`),
//! contracts/facets/IexecERC20Core.sol (`_mint`, `_burn`).

use alloc::vec::Vec;

use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolCall};
use poco_core::reasons;
use stylus_sdk::{call::RawCall, host::VM, prelude::*};

use crate::{escrow, poco_storage, revert};

sol! {
    /// ERC-20 (RLC) pull.
    function transferFrom(address from, address to, uint256 value) returns (bool);
    /// ERC-20 (RLC) push.
    function transfer(address to, uint256 value) returns (bool);
}

/// `_mint` to the zero address (OpenZeppelin wording, kept by PoCo's ERC-20 core).
///
/// PoCo: contracts/facets/IexecERC20Core.sol, _mint
pub const ERC20_MINT_TO_ZERO: &str = "ERC20: mint to the zero address";
/// `_burn` from the zero address.
///
/// PoCo: contracts/facets/IexecERC20Core.sol, _burn
pub const ERC20_BURN_FROM_ZERO: &str = "ERC20: burn from the zero address";

/// PoCo `_deposit` + `_mint`: `RLC.transferFrom(from, hub, amount)` must answer true, then
/// `amount` SRLC is minted to `target`.
///
/// # Errors
/// The RLC revert data, a bare revert on an undecodable answer, `"failed-transferFrom"` when
/// RLC answers false, `"ERC20: mint to the zero address"` for a zero target (after the pull,
/// as PoCo), and the ledger's overflow panic.
pub fn deposit(vm: &VM, from: Address, amount: U256, target: Address) -> Result<(), Vec<u8>> {
    let mut s = poco_storage(vm);
    let calldata = transferFromCall { from, to: vm.contract_address(), value: amount }.abi_encode();
    if !boolean(&mutating_call(vm, s.base_token.get(), &calldata)?)? {
        return Err(revert::reason(reasons::FAILED_TRANSFER_FROM));
    }
    if target.is_zero() {
        return Err(revert::reason(ERC20_MINT_TO_ZERO));
    }
    escrow::mint(vm, &mut s, target, amount)
}

/// PoCo `_burn` + `_withdraw`: burns `amount` of `from`, then `RLC.transfer(to, amount)`
/// whose boolean is decoded but not checked.
///
/// # Errors
/// `"ERC20: burn from the zero address"`; a bare revert when `from` holds less than `amount`;
/// the RLC revert data, or a bare revert on an undecodable answer.
pub fn withdraw(vm: &VM, from: Address, amount: U256, to: Address) -> Result<(), Vec<u8>> {
    if from.is_zero() {
        return Err(revert::reason(ERC20_BURN_FROM_ZERO));
    }
    let mut s = poco_storage(vm);
    escrow::burn(vm, &mut s, from, amount)?;
    let calldata = transferCall { to, value: amount }.abi_encode();
    boolean(&mutating_call(vm, s.base_token.get(), &calldata)?)?;
    Ok(())
}

/// A `CALL` with all the gas; a revert is bubbled up with its data.
///
/// # Errors
/// The callee's revert data.
pub fn mutating_call(vm: &VM, to: Address, calldata: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    // SAFETY: the storage cache is flushed and cleared before the call, so a callee that
    // re-enters the hub sees this transaction's writes and no stale value is read after.
    unsafe { RawCall::new(vm).clear_storage_cache().call(to, calldata) }
}

/// The first word of a call's answer; a bare revert when there is none (Solidity's decoder).
///
/// # Errors
/// A bare revert for an answer shorter than a word.
pub fn word(answer: &[u8]) -> Result<[u8; 32], Vec<u8>> {
    answer.get(..32).and_then(|w| w.try_into().ok()).ok_or_else(revert::bare)
}

/// A `bool` answer, decoded strictly as Solidity does (bare revert unless 0 or 1).
///
/// # Errors
/// A bare revert for a short answer or a word other than 0 and 1.
pub fn boolean(answer: &[u8]) -> Result<bool, Vec<u8>> {
    let w = word(answer)?;
    if w[..31].iter().any(|b| *b != 0) || w[31] > 1 {
        return Err(revert::bare());
    }
    Ok(w[31] == 1)
}
