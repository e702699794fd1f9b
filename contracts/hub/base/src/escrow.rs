//! The SRLC ledger: the hub is an ERC-20 ("Staked RLC") whose balances are deposited RLC,
//! and PoCo's escrow moves funds balance → locked (`frozen`) → reward / seize / unlock.
//!
//! PoCo: contracts/abstract/IexecEscrow.sol (lock, unlock, reward, seize, `_transfer`) and
//! contracts/abstract/IexecERC20Base.sol (`_transfer`, `_mint`, `_burn`, `_approve`).
//!
//! Two transfer flavours on purpose, as in PoCo: the ERC-20 surface reverts *without reason*
//! on insufficient balance ("TEMPORARY MIGRATION FIX" kept for integrators) and with
//! `ERC20: …` strings on zero addresses; the escrow's internal moves revert with
//! `IexecEscrow: …` strings.

use alloc::vec::Vec;

use alloy_primitives::{aliases::U128, Address, B256, U256};
use alloy_sol_types::{sol, SolEvent};
use poco_core::reasons;
use stylus_sdk::{host::VM, prelude::*};

use crate::{layout::PocoStorage, log, revert};

sol! {
    /// ERC-20 transfer of SRLC, also emitted by escrow moves to and from the hub itself.
    #[sol(abi)]
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// ERC-20 allowance change.
    #[sol(abi)]
    event Approval(address indexed owner, address indexed spender, uint256 value);
    /// `value` of `owner`'s balance became locked.
    #[sol(abi)]
    event Lock(address owner, uint256 amount);
    /// `value` of `owner`'s locked funds became usable again.
    #[sol(abi)]
    event Unlock(address owner, uint256 amount);
    /// `owner` was paid `amount` for `ref` (a deal or task id).
    #[sol(abi)]
    event Reward(address owner, uint256 amount, bytes32 ref);
    /// `amount` of `owner`'s locked funds was taken for `ref`.
    #[sol(abi)]
    event Seize(address owner, uint256 amount, bytes32 ref);
}

/// `Transfer(from, to, value)`, hand-encoded ([`log`]).
fn emit_transfer(vm: &VM, from: Address, to: Address, value: U256) {
    log::emit(vm, &[Transfer::SIGNATURE_HASH, from.into_word(), to.into_word()], &[log::uint(value)]);
}

/// Result of a ledger operation: PoCo's revert data on failure.
pub type LedgerResult = Result<(), Vec<u8>>;

fn balance_of(s: &PocoStorage, account: Address) -> u128 {
    s.accounts.getter(account).balance.get().to::<u128>()
}

fn frozen_of(s: &PocoStorage, account: Address) -> u128 {
    s.accounts.getter(account).frozen.get().to::<u128>()
}

fn set_balance(s: &mut PocoStorage, account: Address, value: u128) {
    s.accounts.setter(account).balance.set(U128::from(value));
}

fn set_frozen(s: &mut PocoStorage, account: Address, value: u128) {
    s.accounts.setter(account).frozen.set(U128::from(value));
}

/// Moves usable balance; `on_short` is the revert data when `from` holds less than `value`.
fn move_balance(
    s: &mut PocoStorage,
    from: Address,
    to: Address,
    value: U256,
    on_short: fn() -> Vec<u8>,
) -> LedgerResult {
    let Ok(amount) = u128::try_from(value) else { return Err(on_short()) };
    let Some(left) = balance_of(s, from).checked_sub(amount) else { return Err(on_short()) };
    set_balance(s, from, left);
    // `to` may equal `from`: read after the debit.
    let credited = balance_of(s, to).checked_add(amount).ok_or_else(|| revert::panic(0x11))?;
    set_balance(s, to, credited);
    Ok(())
}

/// SRLC ERC-20 transfer (`transfer`, `transferFrom`).
///
/// PoCo: contracts/abstract/IexecERC20Base.sol, _transfer
pub fn erc20_transfer(vm: &VM, s: &mut PocoStorage, from: Address, to: Address, value: U256) -> LedgerResult {
    if from.is_zero() {
        return Err(revert::reason(reasons::ERC20_TRANSFER_FROM_ZERO));
    }
    if to.is_zero() {
        return Err(revert::reason(reasons::ERC20_TRANSFER_TO_ZERO));
    }
    move_balance(s, from, to, value, revert::bare)?;
    emit_transfer(vm, from, to, value);
    Ok(())
}

/// Escrow move between an account and the hub's own balance.
///
/// PoCo: contracts/abstract/IexecEscrow.sol, _transfer
fn escrow_transfer(vm: &VM, s: &mut PocoStorage, from: Address, to: Address, value: U256) -> LedgerResult {
    if from.is_zero() {
        return Err(revert::reason(reasons::ESCROW_FROM_EMPTY_ADDRESS));
    }
    if to.is_zero() {
        return Err(revert::reason(reasons::ESCROW_TO_EMPTY_ADDRESS));
    }
    move_balance(s, from, to, value, || revert::reason(reasons::ESCROW_AMOUNT_EXCEEDS_BALANCE))?;
    emit_transfer(vm, from, to, value);
    Ok(())
}

/// Locks `value` of `account`'s balance in the hub.
///
/// PoCo: contracts/abstract/IexecEscrow.sol, lock
pub fn lock(vm: &VM, s: &mut PocoStorage, account: Address, value: U256) -> LedgerResult {
    escrow_transfer(vm, s, account, vm.contract_address(), value)?;
    // `value` fitted in u128 (the transfer succeeded); the frozen sum is bounded by supply.
    let frozen = frozen_of(s, account).checked_add(u128::try_from(value).map_err(|_| revert::panic(0x11))?).ok_or_else(|| revert::panic(0x11))?;
    set_frozen(s, account, frozen);
    log::emit(vm, &[Lock::SIGNATURE_HASH], &[log::address(account), log::uint(value)]);
    Ok(())
}

/// Returns `value` of `account`'s locked funds to its balance.
///
/// PoCo: contracts/abstract/IexecEscrow.sol, unlock
pub fn unlock(vm: &VM, s: &mut PocoStorage, account: Address, value: U256) -> LedgerResult {
    escrow_transfer(vm, s, vm.contract_address(), account, value)?;
    decrease_frozen(s, account, value)?;
    log::emit(vm, &[Unlock::SIGNATURE_HASH], &[log::address(account), log::uint(value)]);
    Ok(())
}

/// Pays `value` from the hub's balance to `account`.
///
/// PoCo: contracts/abstract/IexecEscrow.sol, reward
pub fn reward(vm: &VM, s: &mut PocoStorage, account: Address, value: U256, reference: B256) -> LedgerResult {
    escrow_transfer(vm, s, vm.contract_address(), account, value)?;
    log::emit(vm, &[Reward::SIGNATURE_HASH], &[log::address(account), log::uint(value), reference.0]);
    Ok(())
}

/// Takes `value` of `account`'s locked funds; the tokens stay in the hub's balance.
///
/// PoCo: contracts/abstract/IexecEscrow.sol, seize
pub fn seize(vm: &VM, s: &mut PocoStorage, account: Address, value: U256, reference: B256) -> LedgerResult {
    decrease_frozen(s, account, value)?;
    log::emit(vm, &[Seize::SIGNATURE_HASH], &[log::address(account), log::uint(value), reference.0]);
    Ok(())
}

/// Puts `value`, already seized into the hub's balance, on the kitty's frozen funds without
/// moving tokens, emitting `Reward(KITTY, value, reference)` then `Lock(KITTY, value)`: what
/// PoCo's `claim` does in place of a `reward` to the kitty followed by a `lock` (Halborn 7.4).
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, failedWork
pub fn freeze_into_kitty(vm: &VM, s: &mut PocoStorage, value: U256, reference: B256) -> LedgerResult {
    let kitty = poco_core::constants::KITTY_ADDRESS;
    let frozen = u128::try_from(value)
        .ok()
        .and_then(|v| frozen_of(s, kitty).checked_add(v))
        .ok_or_else(|| revert::panic(0x11))?;
    set_frozen(s, kitty, frozen);
    log::emit(vm, &[Reward::SIGNATURE_HASH], &[log::address(kitty), log::uint(value), reference.0]);
    log::emit(vm, &[Lock::SIGNATURE_HASH], &[log::address(kitty), log::uint(value)]);
    Ok(())
}

/// `frozens[account] -= value` with Solidity's checked-arithmetic panic on underflow.
fn decrease_frozen(s: &mut PocoStorage, account: Address, value: U256) -> LedgerResult {
    let left = u128::try_from(value)
        .ok()
        .and_then(|v| frozen_of(s, account).checked_sub(v))
        .ok_or_else(|| revert::panic(0x11))?;
    set_frozen(s, account, left);
    Ok(())
}

/// Creates `value` SRLC for `account` (deposits, `recover`).
///
/// PoCo: contracts/abstract/IexecERC20Base.sol, _mint
pub fn mint(vm: &VM, s: &mut PocoStorage, account: Address, value: U256) -> LedgerResult {
    let supply = s.total_supply.get().checked_add(value).ok_or_else(|| revert::panic(0x11))?;
    let amount = u128::try_from(value).map_err(|_| revert::panic(0x11))?;
    let balance = balance_of(s, account).checked_add(amount).ok_or_else(|| revert::panic(0x11))?;
    s.total_supply.set(supply);
    set_balance(s, account, balance);
    emit_transfer(vm, Address::ZERO, account, value);
    Ok(())
}

/// Destroys `value` of `account`'s SRLC (withdrawals); a bare revert when it holds less.
///
/// PoCo: contracts/abstract/IexecERC20Base.sol, _burn
pub fn burn(vm: &VM, s: &mut PocoStorage, account: Address, value: U256) -> LedgerResult {
    let Ok(amount) = u128::try_from(value) else { return Err(revert::bare()) };
    let Some(left) = balance_of(s, account).checked_sub(amount) else { return Err(revert::bare()) };
    set_balance(s, account, left);
    // Cannot underflow: the supply is the sum of all balances.
    s.total_supply.set(s.total_supply.get() - value);
    emit_transfer(vm, account, Address::ZERO, value);
    Ok(())
}

/// Sets an allowance and emits `Approval`.
///
/// PoCo: contracts/abstract/IexecERC20Base.sol, _approve
pub fn approve(vm: &VM, s: &mut PocoStorage, owner: Address, spender: Address, value: U256) -> LedgerResult {
    if owner.is_zero() {
        return Err(revert::reason(reasons::ERC20_APPROVE_FROM_ZERO));
    }
    if spender.is_zero() {
        return Err(revert::reason(reasons::ERC20_APPROVE_TO_ZERO));
    }
    s.allowances.setter(owner).setter(spender).set(value);
    log::emit(vm, &[Approval::SIGNATURE_HASH, owner.into_word(), spender.into_word()], &[log::uint(value)]);
    Ok(())
}

#[cfg(test)]
#[path = "escrow_tests.rs"]
mod tests;
