//! The PoCo hub: the address dApps call. An ERC-2535 diamond router in the shape of PoCo's
//! `Diamond.sol` (Mudgen diamond-1): it looks the selector up in the diamond storage and
//! delegatecalls the facet that serves it, bubbling up its return or revert data.
//!
//! The router is deliberately nothing more: every call to the hub pays the router's program
//! entry, which grows with its size, so cut, loupe and ownership live in the diamond facet
//! like in Mudgen's diamond-1. Unknown selectors go to the facet registered for
//! `0xffffffff` (PoCo's escrow `fallback`), plain value transfers to the one of
//! `0x00000000` (`receive`), and otherwise revert `FunctionNotFound(bytes4)`.

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
// `#[entrypoint]` generates an undocumented `user_entrypoint` export on wasm32.
#![cfg_attr(target_arch = "wasm32", allow(missing_docs))]
// Under `export-abi`, `#[public]` also generates an undocumented ABI-printing function.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloc::vec::Vec;

use alloy_primitives::{Address, FixedBytes};
use alloy_sol_types::SolError;
use poco_hub_base::diamond::{self, FunctionNotFound, FALLBACK_SELECTOR, RECEIVE_SELECTOR};
use stylus_sdk::{call::RawCall, prelude::*, ArbResult};

/// Selector of `diamondCut((address,uint8,bytes4[])[],address,bytes)`.
pub const DIAMOND_CUT_SELECTOR: [u8; 4] = [0x1f, 0x93, 0x1c, 0x1c];

/// The router. Its state is the diamond storage (`poco_hub_base::diamond`), at Mudgen's
/// namespaced slot, so the entrypoint struct itself has no fields.
#[storage]
#[entrypoint]
pub struct Hub {}

#[public]
impl Hub {
    /// Makes `owner` the hub's owner and serves `diamondCut` with `diamond_cut_facet`;
    /// every other function is added by cutting the diamond (Mudgen diamond-1).
    ///
    /// # Events
    /// `OwnershipTransferred(0, owner)`.
    #[constructor]
    pub fn constructor(&mut self, owner: Address, diamond_cut_facet: Address) {
        diamond::set_owner(self.vm(), owner);
        diamond::add_selector(self.vm(), diamond_cut_facet, DIAMOND_CUT_SELECTOR);
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
        self.delegate(selector, calldata)
    }

    /// Plain value transfers go to the facet of `0x00000000` (PoCo's `receive`).
    #[receive]
    #[payable]
    pub fn receive(&mut self) -> Result<(), Vec<u8>> {
        self.delegate(RECEIVE_SELECTOR, &[]).map(|_| ())
    }
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
