//! The hub's escrow facet in token mode: RLC goes in with `depositForArray` and
//! `receiveApproval` (ERC-20 `transferFrom`), and the hub mints and burns SRLC ("Staked RLC"),
//! its own ERC-20, one for one. `deposit`, `depositFor`, `withdraw` and `withdrawTo` are served
//! by the router itself (one program entry less); both use `poco_hub_base::funding`. The SRLC
//! mutators (`transfer`, `approve`, …) live here too, as in PoCo v6.2 where `IexecERC20Base`
//! was merged into the escrow facets.
//!
//! `receiveApproval` is RLC's `approveAndCall` callback: it deposits for the approver and, when
//! the call carries `matchOrders` calldata, delegatecalls the hub itself with it (routed to the
//! matching facet) so that a requester deposits and matches in one transaction.
//!
//! `fallback` and `receive` are registered under `0xffffffff` and `0x00000000` in the router:
//! in token mode the hub refuses native value and unknown selectors with `"fallback-disabled"`.
//!
//! External calls follow Solidity's semantics for a high-level call with a return value: a
//! revert of the callee is bubbled up unchanged; return data that does not decode (shorter
//! than a word, a non-0/1 bool — also the empty answer of an address without code) reverts
//! without reason.
//!
//! PoCo: contracts/facets/IexecEscrowTokenFacet.sol, contracts/abstract/IexecERC20Base.sol.

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
// `#[entrypoint]` generates an undocumented `user_entrypoint` export on wasm32.
#![cfg_attr(target_arch = "wasm32", allow(missing_docs))]
// Under `export-abi`, `#[public]` also generates an undocumented ABI-printing function.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloc::vec::Vec;

use alloy_primitives::{Address, Bytes, FixedBytes, U256};
use alloy_sol_types::{sol, SolCall, SolError};
use poco_core::{calldata::decode_orders, reasons};
use poco_hub_base::{
    diamond, escrow,
    funding::{boolean, deposit, mutating_call, word},
    poco_storage, revert, PocoStorage,
};
use stylus_sdk::{call::RawCall, prelude::*, ArbResult};

sol! {
    /// `receiveApproval` was given calldata for an operation other than `matchOrders`.
    ///
    /// PoCo: contracts/interfaces/IexecEscrowToken.sol, UnsupportedOperation
    #[sol(abi)]
    error UnsupportedOperation(bytes4 selector);
    /// The operation of `receiveApproval` reverted without revert data.
    ///
    /// PoCo: contracts/interfaces/IexecEscrowToken.sol, OperationFailed
    #[sol(abi)]
    error OperationFailed();
    /// `receiveApproval`'s `matchOrders` request order belongs to someone else than the
    /// approver.
    ///
    /// PoCo: contracts/interfaces/IexecEscrowToken.sol, CallerIsNotTheRequester
    #[sol(abi)]
    error CallerIsNotTheRequester();
}

sol! {
    /// ERC-20 (RLC) balance.
    function balanceOf(address account) returns (uint256);
    /// PoCo's `IexecTokenSpender`, called by `approveAndCall`.
    function receiveApproval(address sender, uint256 amount, address token, bytes extraData) returns (bool);
}

/// Selector of `matchOrders(AppOrder,DatasetOrder,WorkerpoolOrder,RequestOrder)`, the only
/// operation `receiveApproval` runs.
pub const MATCH_ORDERS_SELECTOR: [u8; 4] = [0x15, 0x61, 0x94, 0xd4];

/// The escrow facet. Its state is the hub's `PocoStorage`, reached with [`poco_storage`].
#[storage]
#[entrypoint]
pub struct EscrowFacet {}

#[public]
impl EscrowFacet {
    /// Token mode refuses unknown selectors.
    ///
    /// # Errors
    /// Always `"fallback-disabled"`.
    #[fallback]
    #[payable]
    pub fn fallback(&mut self, _calldata: &[u8]) -> ArbResult {
        Err(revert::reason(reasons::FALLBACK_DISABLED))
    }

    /// Token mode refuses native value.
    ///
    /// # Errors
    /// Always `"fallback-disabled"`.
    #[receive]
    #[payable]
    pub fn receive(&mut self) -> Result<(), Vec<u8>> {
        Err(revert::reason(reasons::FALLBACK_DISABLED))
    }

    /// One deposit per `(amounts[i], targets[i])`, all pulled from the caller.
    ///
    /// # Arguments
    /// * `amounts` - nRLC of each deposit.
    /// * `targets` - beneficiary of each deposit.
    ///
    /// # Errors
    /// `"invalid-array-length"` when the lengths differ; then as the router's `depositFor`
    /// (`poco_hub_base::funding::deposit`).
    ///
    /// # Events
    /// `Transfer(0, targets[i], amounts[i])` for each item.
    #[selector(name = "depositForArray")]
    pub fn deposit_for_array(&mut self, amounts: Vec<U256>, targets: Vec<Address>) -> Result<bool, Vec<u8>> {
        if amounts.len() != targets.len() {
            return Err(revert::reason(reasons::INVALID_ARRAY_LENGTH));
        }
        let sender = self.vm().msg_sender();
        for (amount, target) in amounts.into_iter().zip(targets) {
            deposit(self.vm(), sender, amount, target)?;
        }
        Ok(true)
    }

    /// Mints to the owner the RLC the hub holds beyond the SRLC supply (tokens sent to the hub
    /// without `deposit`), and returns that amount.
    ///
    /// # Errors
    /// `"Ownable: caller is not the owner"`; the RLC revert data or a bare revert on an
    /// undecodable `balanceOf`; `Panic(0x11)` if the hub holds less RLC than the supply.
    ///
    /// # Events
    /// `Transfer(0, owner, delta)`.
    pub fn recover(&mut self) -> Result<U256, Vec<u8>> {
        let vm = self.vm();
        diamond::only_owner(vm)?;
        let mut s = poco_storage(vm);
        let calldata = balanceOfCall { account: vm.contract_address() }.abi_encode();
        // SAFETY: a static call cannot write; the storage cache is flushed before it.
        let answer = unsafe { RawCall::new_static(vm).flush_storage_cache().call(s.base_token.get(), &calldata) }?;
        let balance = U256::from_be_bytes(word(&answer)?);
        let delta = balance.checked_sub(s.total_supply.get()).ok_or_else(|| revert::panic(0x11))?;
        escrow::mint(vm, &mut s, diamond::owner(vm), delta)?;
        Ok(delta)
    }

    /// RLC's `approveAndCall` callback: deposits `amount` for `sender` and, when `data` is
    /// `matchOrders` calldata whose requester is `sender`, matches the orders through the hub.
    ///
    /// # Arguments
    /// * `sender` - the approver, who pays and must be the request order's requester.
    /// * `amount` - nRLC to deposit.
    /// * `token` - must be the hub's RLC.
    /// * `data` - empty, or `matchOrders` calldata (selector included).
    ///
    /// # Errors
    /// `"wrong-token"`; the deposit's errors; a bare revert when `data` is shorter than a
    /// selector or any of its four orders cannot be decoded (PoCo `abi.decode`s them all;
    /// `params` may be any bytes); `UnsupportedOperation(selector)`;
    /// `CallerIsNotTheRequester()`; `matchOrders`' own revert data, or `OperationFailed()`
    /// when it reverted without data.
    ///
    /// # Events
    /// `Transfer(0, sender, amount)`, then `matchOrders`' events.
    #[selector(name = "receiveApproval")]
    pub fn receive_approval(
        &mut self,
        sender: Address,
        amount: U256,
        token: Address,
        data: Bytes,
    ) -> Result<bool, Vec<u8>> {
        let vm = self.vm();
        if token != poco_storage(vm).base_token.get() {
            return Err(revert::reason(reasons::WRONG_TOKEN));
        }
        deposit(vm, sender, amount, sender)?;
        if data.is_empty() {
            return Ok(true);
        }
        let selector: [u8; 4] = data.get(..4).and_then(|s| s.try_into().ok()).ok_or_else(revert::bare)?;
        if selector != MATCH_ORDERS_SELECTOR {
            return Err(UnsupportedOperation { selector: FixedBytes(selector) }.abi_encode());
        }
        // PoCo `abi.decode`s the four orders (all of them, not only the request's requester):
        // any malformed order reverts without data before the delegatecall.
        let orders = decode_orders(&data[4..]).map_err(|_| revert::bare())?;
        if orders.request.requester != sender {
            return Err(CallerIsNotTheRequester {}.abi_encode());
        }
        // SAFETY: the cache is flushed and cleared: the delegated `matchOrders` runs in this
        // storage, and nothing read before the call is used after it.
        let result = unsafe { RawCall::new_delegate(vm).clear_storage_cache().call(vm.contract_address(), &data) };
        match result {
            Ok(_) => Ok(true),
            Err(revert_data) if !revert_data.is_empty() => Err(revert_data),
            Err(_) => Err(OperationFailed {}.abi_encode()),
        }
    }

    /// SRLC ERC-20 `transfer`.
    ///
    /// # Arguments
    /// * `to` - recipient.
    /// * `value` - amount.
    ///
    /// # Errors
    /// `"ERC20: transfer to the zero address"`; a bare revert when the balance is short.
    ///
    /// # Events
    /// `Transfer(caller, to, value)`.
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Vec<u8>> {
        let vm = self.vm();
        escrow::erc20_transfer(vm, &mut poco_storage(vm), vm.msg_sender(), to, value)?;
        Ok(true)
    }

    /// SRLC ERC-20 `approve`.
    ///
    /// # Arguments
    /// * `spender` - who may spend.
    /// * `value` - new allowance.
    ///
    /// # Errors
    /// `"ERC20: approve to the zero address"`.
    ///
    /// # Events
    /// `Approval(caller, spender, value)`.
    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Vec<u8>> {
        let vm = self.vm();
        escrow::approve(vm, &mut poco_storage(vm), vm.msg_sender(), spender, value)?;
        Ok(true)
    }

    /// Approves `spender` then calls its `receiveApproval(caller, value, hub, extraData)`.
    ///
    /// # Arguments
    /// * `spender` - an `IexecTokenSpender` contract.
    /// * `value` - allowance.
    /// * `extra_data` - forwarded to the spender.
    ///
    /// # Errors
    /// `"ERC20: approve to the zero address"`; the spender's revert data; a bare revert when it
    /// answers no boolean (e.g. it has no code); `"approval-refused"` when it answers false.
    ///
    /// # Events
    /// `Approval(caller, spender, value)`, then the spender's.
    #[selector(name = "approveAndCall")]
    pub fn approve_and_call(&mut self, spender: Address, value: U256, extra_data: Bytes) -> Result<bool, Vec<u8>> {
        let vm = self.vm();
        let sender = vm.msg_sender();
        escrow::approve(vm, &mut poco_storage(vm), sender, spender, value)?;
        let calldata =
            receiveApprovalCall { sender, amount: value, token: vm.contract_address(), extraData: extra_data }
                .abi_encode();
        if !boolean(&mutating_call(vm, spender, &calldata)?)? {
            return Err(revert::reason(reasons::APPROVAL_REFUSED));
        }
        Ok(true)
    }

    /// SRLC ERC-20 `transferFrom`: the transfer happens first, then the allowance is checked
    /// and lowered (PoCo's order, so a short balance reverts before a short allowance).
    ///
    /// # Arguments
    /// * `from` - owner of the funds.
    /// * `to` - recipient.
    /// * `value` - amount.
    ///
    /// # Errors
    /// `"ERC20: transfer from/to the zero address"`; a bare revert when the balance or the
    /// allowance is short.
    ///
    /// # Events
    /// `Transfer(from, to, value)`, `Approval(from, caller, allowance - value)`.
    #[selector(name = "transferFrom")]
    pub fn transfer_from(&mut self, from: Address, to: Address, value: U256) -> Result<bool, Vec<u8>> {
        let vm = self.vm();
        let spender = vm.msg_sender();
        let mut s = poco_storage(vm);
        escrow::erc20_transfer(vm, &mut s, from, to, value)?;
        let left = allowance(&s, from, spender).checked_sub(value).ok_or_else(revert::bare)?;
        escrow::approve(vm, &mut s, from, spender, left)?;
        Ok(true)
    }

    /// Raises the allowance of `spender` by `added_value`.
    ///
    /// # Arguments
    /// * `spender` - who may spend.
    /// * `added_value` - increment.
    ///
    /// # Errors
    /// `Panic(0x11)` on overflow; `"ERC20: approve to the zero address"`.
    ///
    /// # Events
    /// `Approval(caller, spender, new allowance)`.
    #[selector(name = "increaseAllowance")]
    pub fn increase_allowance(&mut self, spender: Address, added_value: U256) -> Result<bool, Vec<u8>> {
        let vm = self.vm();
        let owner = vm.msg_sender();
        let mut s = poco_storage(vm);
        let value = allowance(&s, owner, spender).checked_add(added_value).ok_or_else(|| revert::panic(0x11))?;
        escrow::approve(vm, &mut s, owner, spender, value)?;
        Ok(true)
    }

    /// Lowers the allowance of `spender` by `subtracted_value`.
    ///
    /// # Arguments
    /// * `spender` - who may spend.
    /// * `subtracted_value` - decrement.
    ///
    /// # Errors
    /// A bare revert when the allowance is smaller ("TEMPORARY MIGRATION FIX");
    /// `"ERC20: approve to the zero address"`.
    ///
    /// # Events
    /// `Approval(caller, spender, new allowance)`.
    #[selector(name = "decreaseAllowance")]
    pub fn decrease_allowance(&mut self, spender: Address, subtracted_value: U256) -> Result<bool, Vec<u8>> {
        let vm = self.vm();
        let owner = vm.msg_sender();
        let mut s = poco_storage(vm);
        let value = allowance(&s, owner, spender).checked_sub(subtracted_value).ok_or_else(revert::bare)?;
        escrow::approve(vm, &mut s, owner, spender, value)?;
        Ok(true)
    }
}

fn allowance(s: &PocoStorage, owner: Address, spender: Address) -> U256 {
    s.allowances.getter(owner).get(spender)
}

#[cfg(test)]
mod tests;
