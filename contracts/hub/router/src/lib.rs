//! The PoCo hub: the address dApps call. An ERC-2535 diamond router in the shape of PoCo's
//! `Diamond.sol` (Mudgen diamond-1): it looks the selector up in the diamond storage and
//! delegatecalls the facet that serves it, bubbling up its return or revert data.
//!
//! Every call to the hub pays the router's program entry, which grows with its size, so cut,
//! loupe and ownership live in the diamond facet like in Mudgen's diamond-1. Unknown selectors
//! go to the facet registered for `0xffffffff` (PoCo's escrow `fallback`), plain value
//! transfers to the one of `0x00000000` (`receive`), and otherwise revert
//! `FunctionNotFound(bytes4)`.
//!
//! The router serves four functions itself: `deposit`, `depositFor`, `withdraw` and
//! `withdrawTo` (`poco_hub_base::funding`). ERC-2535 allows functions defined in the diamond:
//! the constructor records them under the hub's own address, so the loupe lists them as the
//! hub's and the diamond facet refuses to replace or remove them (diamond-1's immutable
//! functions). They are the hub's hottest small calls, and served here they skip the
//! selector lookup (a cold storage read), the delegatecall to a cold facet account, a second
//! program entry and its memory page: a deposit costs ~7,600 gas less cached (README, "Gas").
//! The price: these four cannot be upgraded by a cut, only by a new hub; and the router's code
//! holds the RLC pull and push, 14 KB more module (32 KB, not 18.6 KB) that every hub call
//! enters (+2,114 gas uncached, +169 cached).

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
// `#[entrypoint]` generates an undocumented `user_entrypoint` export on wasm32.
#![cfg_attr(target_arch = "wasm32", allow(missing_docs))]
// Under `export-abi`, `#[public]` also generates an undocumented ABI-printing function.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloc::vec::Vec;

use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::{sol, SolCall, SolError};
use poco_hub_base::{
    diamond::{self, FunctionNotFound, FALLBACK_SELECTOR, RECEIVE_SELECTOR},
    funding,
};
use stylus_sdk::{call::RawCall, prelude::*, ArbResult};

/// Selector of `diamondCut((address,uint8,bytes4[])[],address,bytes)`.
pub const DIAMOND_CUT_SELECTOR: [u8; 4] = [0x1f, 0x93, 0x1c, 0x1c];

sol! {
    // The ABI items of the router's own functions (printed by `hub-router-abi events`).
    #![sol(abi)]
    /// IexecEscrowToken: deposits `amount` RLC of the caller for the caller.
    function deposit(uint256 amount) returns (bool);
    /// IexecEscrowToken: deposits `amount` RLC of the caller for `target`.
    function depositFor(uint256 amount, address target) returns (bool);
    /// IexecEscrowToken: withdraws `amount` for the caller.
    function withdraw(uint256 amount) returns (bool);
    /// IexecEscrowToken: withdraws `amount` of the caller to `target`.
    function withdrawTo(uint256 amount, address target) returns (bool);
}

/// The selectors the router serves itself, in the order its constructor records them.
pub const OWN_SELECTORS: [[u8; 4]; 4] =
    [depositCall::SELECTOR, depositForCall::SELECTOR, withdrawCall::SELECTOR, withdrawToCall::SELECTOR];

/// The router. Its state is the diamond storage (`poco_hub_base::diamond`), at Mudgen's
/// namespaced slot, so the entrypoint struct itself has no fields.
#[storage]
#[entrypoint]
pub struct Hub {}

#[public]
impl Hub {
    /// Makes `owner` the hub's owner, serves `diamondCut` with `diamond_cut_facet` and records
    /// the router's own functions under the hub's address (immutable); every other function
    /// is added by cutting the diamond (Mudgen diamond-1).
    ///
    /// # Events
    /// `OwnershipTransferred(0, owner)`.
    #[constructor]
    pub fn constructor(&mut self, owner: Address, diamond_cut_facet: Address) {
        let vm = self.vm();
        diamond::set_owner(vm, owner);
        diamond::add_selector(vm, diamond_cut_facet, DIAMOND_CUT_SELECTOR);
        for selector in OWN_SELECTORS {
            diamond::add_selector(vm, vm.contract_address(), selector);
        }
    }

    /// Routes any call to its facet.
    ///
    /// # Errors
    /// `FunctionNotFound(selector)` when neither the selector nor `0xffffffff` has a facet;
    /// otherwise whatever the facet reverts with.
    #[fallback]
    #[payable]
    pub fn route(&mut self, calldata: &[u8]) -> ArbResult {
        let mut selector = [0u8; 4];
        let n = calldata.len().min(4);
        selector[..n].copy_from_slice(&calldata[..n]);
        // Calldata shorter than a selector is never one of the router's own functions.
        let (funds, args) = match (selector, calldata.get(4..)) {
            (depositCall::SELECTOR, Some(args)) => (Funds::Deposit, args),
            (depositForCall::SELECTOR, Some(args)) => (Funds::DepositFor, args),
            (withdrawCall::SELECTOR, Some(args)) => (Funds::Withdraw, args),
            (withdrawToCall::SELECTOR, Some(args)) => (Funds::WithdrawTo, args),
            _ => return self.delegate(selector, calldata),
        };
        serve(self.vm(), funds, args)
    }

    /// Plain value transfers go to the facet of `0x00000000` (PoCo's `receive`).
    #[receive]
    #[payable]
    pub fn receive(&mut self) -> Result<(), Vec<u8>> {
        self.delegate(RECEIVE_SELECTOR, &[]).map(|_| ())
    }
}

/// The functions the router serves itself.
#[derive(Clone, Copy)]
enum Funds {
    Deposit,
    DepositFor,
    Withdraw,
    WithdrawTo,
}

/// Runs one of the router's own functions on its ABI-encoded arguments, as Solidity's
/// dispatcher runs a non-payable `f(uint256)` / `f(uint256,address)` returning `bool`: value
/// sent, arguments shorter than their words and an `address` word with bits above its 20
/// bytes revert without data; bytes beyond the arguments are ignored.
///
/// Decoded by hand, not by `#[public]` methods: the SDK's dispatcher and decoder for them
/// weighed 3.4 KB more in the router, whose size every hub call pays at entry.
fn serve(vm: &stylus_sdk::host::VM, funds: Funds, args: &[u8]) -> ArbResult {
    if !vm.msg_value().is_zero() {
        return Err(Vec::new());
    }
    let amount = U256::from_be_slice(args.get(..32).ok_or_else(Vec::new)?);
    let sender = vm.msg_sender();
    let target = match funds {
        Funds::Deposit | Funds::Withdraw => sender,
        Funds::DepositFor | Funds::WithdrawTo => {
            let word = args.get(32..64).ok_or_else(Vec::new)?;
            if word[..12].iter().any(|b| *b != 0) {
                return Err(Vec::new());
            }
            Address::from_slice(&word[12..])
        }
    };
    match funds {
        Funds::Deposit | Funds::DepositFor => funding::deposit(vm, sender, amount, target)?,
        Funds::Withdraw | Funds::WithdrawTo => funding::withdraw(vm, sender, amount, target)?,
    }
    Ok(U256::from(1).to_be_bytes::<32>().to_vec())
}

impl Hub {
    fn delegate(&self, selector: [u8; 4], calldata: &[u8]) -> ArbResult {
        let vm = self.vm();
        let mut facet = diamond::facet_of(vm, selector);
        if facet.is_zero() {
            facet = diamond::facet_of(vm, FALLBACK_SELECTOR);
        }
        if facet.is_zero() {
            return Err(FunctionNotFound { _functionSelector: FixedBytes(selector) }.abi_encode());
        }
        // SAFETY: the router holds no storage reference across the call; the facet runs in
        // this contract's storage and is the only writer during it.
        unsafe { RawCall::new_delegate(vm).call(facet, calldata) }
    }
}

#[cfg(test)]
mod tests;
