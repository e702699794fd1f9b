//! PoCo's `WorkerpoolRegistry` (`contracts/registries/workerpools/WorkerpoolRegistry.sol`) as a Stylus program.
//!
//! ERC-721 collection "iExec Workerpool Registry (V5)" / "iExecWorkerpoolV5" whose tokens are workerpools:
//! `createWorkerpool(...)` deploys an EIP-1167 proxy to the Workerpool program (`master`) with
//! CREATE2, initializes it and mints its token to the owner; `predictWorkerpool(...)` returns the
//! address `createWorkerpool` deploys to. The shared surface (Ownable, ERC-721 enumerable +
//! metadata, `initialize`, `isRegistered`, `setBaseURI`, `setName`, ...) is
//! [`poco_registry_common::registry_contract!`].
//!
//! Reentrancy: the SDK's default guard stays on (see `poco-app-registry`'s crate docs).

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
// `#[entrypoint]` generates an undocumented `user_entrypoint` export except under the SDK's
// `stylus-test` feature, and under `export-abi` an undocumented ABI-printing function; test
// builds without `export-abi` check docs.
#![cfg_attr(any(not(test), feature = "export-abi"), allow(missing_docs))]

extern crate alloc;

use alloc::{string::String, vec::Vec};

use alloy_primitives::Address;
use alloy_sol_types::{sol, SolCall};
use poco_registry_common::{registry_contract, Error};
use stylus_sdk::prelude::*;

/// ERC-721 name.
pub const NAME: &str = "iExec Workerpool Registry (V5)";
/// ERC-721 symbol.
pub const SYMBOL: &str = "iExecWorkerpoolV5";

sol! {
    /// `Workerpool.initialize`: the call the registry makes on a new entry, and whose calldata
    /// is hashed into the CREATE2 salt.
    function initialize(string _workerpoolDescription);
}

/// PoCo `encodeInitializer`: `abi.encodeWithSignature("initialize(...)", ...)` of a workerpool.
pub fn initializer(workerpool_description: String) -> Vec<u8> {
    initializeCall {
        _workerpoolDescription: workerpool_description,
    }
    .abi_encode()
}

registry_contract! {
    /// The Workerpool registry program.
    pub struct WorkerpoolRegistry;
    name = NAME;
    symbol = SYMBOL;
    implements = IWorkerpoolFactory;
}

/// The Workerpool registry's own functions.
// `#[public]` adds an undocumented marker method to the trait.
#[allow(missing_docs)]
#[public]
pub trait IWorkerpoolFactory {
    /// Creates a workerpool entry owned by `workerpool_owner`.
    ///
    /// # Arguments
    ///
    /// * `workerpool_owner` - receives the workerpool's NFT (anyone may create for anyone).
    /// * the others - the workerpool, as `Workerpool.initialize` takes them.
    ///
    /// # Errors
    ///
    /// "Create2: Failed on deploy" when the same workerpool was already created for the same
    /// owner; "ERC721: mint to the zero address" when `workerpool_owner` is zero; a bare revert when
    /// the entry's `initialize` fails.
    ///
    /// # Events
    ///
    /// `Transfer(0, workerpool_owner, uint256(uint160(workerpool)))`.
    fn create_workerpool(&mut self, workerpool_owner: Address, workerpool_description: String) -> Result<Address, Error>;

    /// The address `createWorkerpool` with the same arguments deploys to.
    ///
    /// # Arguments
    ///
    /// As `createWorkerpool`.
    fn predict_workerpool(&self, workerpool_owner: Address, workerpool_description: String) -> Address;
}

#[public]
impl IWorkerpoolFactory for WorkerpoolRegistry {
    fn create_workerpool(&mut self, workerpool_owner: Address, workerpool_description: String) -> Result<Address, Error> {
        let init = initializer(workerpool_description);
        self.registry.mint_create(workerpool_owner, &init)
    }

    fn predict_workerpool(&self, workerpool_owner: Address, workerpool_description: String) -> Address {
        let init = initializer(workerpool_description);
        self.registry.predict(workerpool_owner, &init)
    }
}

#[cfg(test)]
mod tests;
