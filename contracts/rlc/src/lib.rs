//! RLC, the iEx.ec Network Token, as a Stylus program for local and test networks.
//!
//! On Arbitrum the hub escrows the real RLC ERC-20 (`0xe649…F47C`); devnets and test
//! networks need a token with the same surface: ERC-20 with 9 decimals, the 87,000,000 RLC
//! initial supply minted to the deployer, `burn`, and `approveAndCall`, which PoCo v6.2's
//! "deposit and match in one transaction" relies on (`receiveApproval` on the hub).
//!
//! Unlike the 2017 mainnet token (SafeMath `assert`s), every failure reverts with an
//! `Error(string)` reason an integrator can read; nothing fails silently. The faucet-only
//! functions of iExec's test token (`refill`, `forceApprove`, `forceBurn`) and the mainnet
//! token's transfer `locked` switch are not part of this token.

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
// `#[entrypoint]` generates an undocumented `user_entrypoint` export on wasm32; host builds
// (tests, clippy, docs) still check every documented item.
#![cfg_attr(target_arch = "wasm32", allow(missing_docs))]
// Under `export-abi`, `#[public]` also generates an undocumented ABI-printing function.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolError};
use stylus_sdk::{
    call::RawCall,
    prelude::*,
    storage::{StorageAddress, StorageMap, StorageU256},
};

/// Token name, as the mainnet RLC contract returns it.
pub const NAME: &str = "iEx.ec Network Token";
/// Token symbol.
pub const SYMBOL: &str = "RLC";
/// RLC counts in nRLC: 1 RLC = 10^9 units.
pub const DECIMALS: u8 = 9;
/// Version string of the mainnet RLC contract.
pub const VERSION: &str = "RLC_0.1";
/// 87,000,000 RLC in nRLC, minted once to the initial holder.
pub const INITIAL_SUPPLY: u64 = 87_000_000 * 1_000_000_000;

/// Revert reasons, worded as OpenZeppelin's ERC-20 so that tools recognise them.
pub mod reasons {
    /// The sender's balance is smaller than the amount moved or burnt.
    pub const TRANSFER_EXCEEDS_BALANCE: &str = "ERC20: transfer amount exceeds balance";
    /// A burn larger than the caller's balance.
    pub const BURN_EXCEEDS_BALANCE: &str = "ERC20: burn amount exceeds balance";
    /// `transferFrom` beyond the allowance the owner granted.
    pub const INSUFFICIENT_ALLOWANCE: &str = "ERC20: insufficient allowance";
    /// Transfers to the zero address would destroy tokens without `burn`'s event trail.
    pub const TRANSFER_TO_ZERO: &str = "ERC20: transfer to the zero address";
    /// Approvals for the zero address are meaningless and usually a client bug.
    pub const APPROVE_TO_ZERO: &str = "ERC20: approve to the zero address";
    /// `approveAndCall` whose spender reverted or refused the approval.
    pub const APPROVAL_REFUSED: &str = "RLC: receiveApproval failed";
    /// `onlyOwner` functions called by someone else.
    pub const NOT_OWNER: &str = "Ownable: caller is not the owner";
    /// `transferOwnership(0)`: ownership would be lost for good.
    pub const NEW_OWNER_ZERO: &str = "Ownable: new owner is the zero address";
    /// The constructor ran with the zero address as initial holder.
    pub const HOLDER_ZERO: &str = "RLC: initial holder is the zero address";
}

sol! {
    /// ERC-20 transfer, also emitted for the initial mint (from 0) and for burns (to 0).
    #[sol(abi)]
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// ERC-20 allowance change.
    #[sol(abi)]
    event Approval(address indexed owner, address indexed spender, uint256 value);
    /// Ownership of the token contract moved.
    #[sol(abi)]
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
}

sol! {
    /// The callback `approveAndCall` makes on the spender (ERC-20 "approve and call" of 2017).
    function receiveApproval(address from, uint256 value, address token, bytes extraData);
}

/// ABI-encodes `Error(reason)`, the revert data Solidity's `require(c, reason)` produces.
fn revert(reason: &str) -> Vec<u8> {
    alloy_sol_types::Revert::from(reason).abi_encode()
}

/// State of the token. Balances and allowances are Solidity-style mappings so that
/// explorers' storage decoders and `eth_getStorageAt` users see the familiar layout.
#[storage]
#[entrypoint]
pub struct Rlc {
    /// nRLC held by each account.
    balances: StorageMap<Address, StorageU256>,
    /// `allowances[owner][spender]`.
    allowances: StorageMap<Address, StorageMap<Address, StorageU256>>,
    /// Sum of all balances.
    total_supply: StorageU256,
    /// Owner (ERC-173); the mainnet token is Ownable, this one keeps the same surface.
    owner: StorageAddress,
}

#[public]
impl Rlc {
    /// Mints [`INITIAL_SUPPLY`] to `initial_holder`, who also becomes the owner.
    ///
    /// The holder is an argument rather than `msg.sender` because Stylus constructors run
    /// through a deployer contract, whose address `msg.sender` would be.
    ///
    /// # Errors
    /// `RLC: initial holder is the zero address`.
    ///
    /// # Events
    /// `Transfer(0, initial_holder, INITIAL_SUPPLY)`, `OwnershipTransferred(0, initial_holder)`.
    #[constructor]
    pub fn constructor(&mut self, initial_holder: Address) -> Result<(), Vec<u8>> {
        if initial_holder.is_zero() {
            return Err(revert(reasons::HOLDER_ZERO));
        }
        let supply = U256::from(INITIAL_SUPPLY);
        self.total_supply.set(supply);
        self.balances.setter(initial_holder).set(supply);
        self.owner.set(initial_holder);
        self.vm().log(Transfer { from: Address::ZERO, to: initial_holder, value: supply });
        self.vm().log(OwnershipTransferred { previousOwner: Address::ZERO, newOwner: initial_holder });
        Ok(())
    }

    /// `"iEx.ec Network Token"`.
    pub fn name(&self) -> String {
        NAME.into()
    }

    /// `"RLC"`.
    pub fn symbol(&self) -> String {
        SYMBOL.into()
    }

    /// 9: balances count nRLC.
    pub fn decimals(&self) -> u8 {
        DECIMALS
    }

    /// Version string of the mainnet RLC contract.
    pub fn version(&self) -> String {
        VERSION.into()
    }

    /// The supply minted at construction, in nRLC (burns do not change it).
    #[selector(name = "initialSupply")]
    pub fn initial_supply(&self) -> U256 {
        U256::from(INITIAL_SUPPLY)
    }

    /// Current supply: the initial supply less everything burnt.
    #[selector(name = "totalSupply")]
    pub fn total_supply(&self) -> U256 {
        self.total_supply.get()
    }

    /// nRLC held by `account`.
    #[selector(name = "balanceOf")]
    pub fn balance_of(&self, account: Address) -> U256 {
        self.balances.get(account)
    }

    /// How much `spender` may still move out of `owner`'s balance.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances.getter(owner).get(spender)
    }

    /// Moves `value` from the caller to `to`.
    ///
    /// # Errors
    /// `ERC20: transfer to the zero address`, `ERC20: transfer amount exceeds balance`.
    ///
    /// # Events
    /// `Transfer(caller, to, value)`.
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Vec<u8>> {
        let from = self.vm().msg_sender();
        self.move_tokens(from, to, value)?;
        Ok(true)
    }

    /// Moves `value` from `from` to `to` using the caller's allowance.
    ///
    /// An allowance of `U256::MAX` is infinite and is not decreased.
    ///
    /// # Errors
    /// `ERC20: insufficient allowance`, then the errors of [`Self::transfer`].
    ///
    /// # Events
    /// `Transfer(from, to, value)`.
    #[selector(name = "transferFrom")]
    pub fn transfer_from(&mut self, from: Address, to: Address, value: U256) -> Result<bool, Vec<u8>> {
        let spender = self.vm().msg_sender();
        let allowed = self.allowances.getter(from).get(spender);
        if allowed != U256::MAX {
            let Some(left) = allowed.checked_sub(value) else {
                return Err(revert(reasons::INSUFFICIENT_ALLOWANCE));
            };
            self.allowances.setter(from).setter(spender).set(left);
        }
        self.move_tokens(from, to, value)?;
        Ok(true)
    }

    /// Sets the caller's allowance for `spender` to `value`.
    ///
    /// # Errors
    /// `ERC20: approve to the zero address`.
    ///
    /// # Events
    /// `Approval(caller, spender, value)`.
    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Vec<u8>> {
        let owner = self.vm().msg_sender();
        self.set_allowance(owner, spender, value)?;
        Ok(true)
    }

    /// Approves `spender` for `value`, then calls
    /// `spender.receiveApproval(caller, value, this, extra_data)` in the same transaction.
    ///
    /// This is how PoCo's hub takes a deposit (and optionally matches orders) in one
    /// transaction. Like the mainnet token it returns nothing; unlike it, a spender that
    /// reverts makes the whole call revert with the spender's own revert data, so the
    /// approval never outlives a failed callback.
    ///
    /// # Errors
    /// `ERC20: approve to the zero address`; the spender's revert data, or
    /// `RLC: receiveApproval failed` when it reverted without data or is not a contract.
    ///
    /// # Events
    /// `Approval(caller, spender, value)`, then whatever the spender emits.
    #[selector(name = "approveAndCall")]
    pub fn approve_and_call(
        &mut self,
        spender: Address,
        value: U256,
        extra_data: alloy_primitives::Bytes,
    ) -> Result<(), Vec<u8>> {
        let owner = self.vm().msg_sender();
        self.set_allowance(owner, spender, value)?;
        if self.vm().code_size(spender) == 0 {
            return Err(revert(reasons::APPROVAL_REFUSED));
        }
        let calldata = alloy_sol_types::SolCall::abi_encode(&receiveApprovalCall {
            from: owner,
            value,
            token: self.vm().contract_address(),
            extraData: extra_data,
        });
        // SAFETY: the storage cache is flushed before the call, so the spender (and any
        // re-entry into this token, e.g. the hub pulling funds with transferFrom) sees the
        // approval just written; nothing is cached across the call.
        let result = unsafe { RawCall::new(self.vm()).flush_storage_cache().call(spender, &calldata) };
        match result {
            Ok(_) => Ok(()),
            Err(data) if !data.is_empty() => Err(data),
            Err(_) => Err(revert(reasons::APPROVAL_REFUSED)),
        }
    }

    /// Destroys `value` of the caller's tokens, lowering the total supply.
    ///
    /// # Errors
    /// `ERC20: burn amount exceeds balance`.
    ///
    /// # Events
    /// `Transfer(caller, 0, value)`.
    pub fn burn(&mut self, value: U256) -> Result<bool, Vec<u8>> {
        let from = self.vm().msg_sender();
        let balance = self.balances.get(from);
        let Some(left) = balance.checked_sub(value) else {
            return Err(revert(reasons::BURN_EXCEEDS_BALANCE));
        };
        self.balances.setter(from).set(left);
        // Cannot underflow: total supply is the sum of all balances, `value` ≤ one balance.
        self.total_supply.set(self.total_supply.get() - value);
        self.vm().log(Transfer { from, to: Address::ZERO, value });
        Ok(true)
    }

    /// Owner of the token contract (ERC-173).
    pub fn owner(&self) -> Address {
        self.owner.get()
    }

    /// Hands ownership to `new_owner`.
    ///
    /// # Errors
    /// `Ownable: caller is not the owner`, `Ownable: new owner is the zero address`.
    ///
    /// # Events
    /// `OwnershipTransferred(previous, new_owner)`.
    #[selector(name = "transferOwnership")]
    pub fn transfer_ownership(&mut self, new_owner: Address) -> Result<(), Vec<u8>> {
        let previous = self.owner.get();
        if self.vm().msg_sender() != previous {
            return Err(revert(reasons::NOT_OWNER));
        }
        if new_owner.is_zero() {
            return Err(revert(reasons::NEW_OWNER_ZERO));
        }
        self.owner.set(new_owner);
        self.vm().log(OwnershipTransferred { previousOwner: previous, newOwner: new_owner });
        Ok(())
    }
}

impl Rlc {
    /// Debits `from` and credits `to`; the one place balances move between accounts.
    fn move_tokens(&mut self, from: Address, to: Address, value: U256) -> Result<(), Vec<u8>> {
        if to.is_zero() {
            return Err(revert(reasons::TRANSFER_TO_ZERO));
        }
        let Some(from_left) = self.balances.get(from).checked_sub(value) else {
            return Err(revert(reasons::TRANSFER_EXCEEDS_BALANCE));
        };
        self.balances.setter(from).set(from_left);
        // Cannot overflow: the sum of all balances is the total supply, a U256.
        let to_balance = self.balances.get(to);
        self.balances.setter(to).set(to_balance + value);
        self.vm().log(Transfer { from, to, value });
        Ok(())
    }

    /// Writes an allowance and emits its `Approval` event.
    fn set_allowance(&mut self, owner: Address, spender: Address, value: U256) -> Result<(), Vec<u8>> {
        if spender.is_zero() {
            return Err(revert(reasons::APPROVE_TO_ZERO));
        }
        self.allowances.setter(owner).setter(spender).set(value);
        self.vm().log(Approval { owner, spender, value });
        Ok(())
    }
}

#[cfg(test)]
mod tests;
