//! PoCo's `App` registry entry (`contracts/registries/apps/App.sol`) as a Stylus program.
//!
//! One App program is activated per chain; every app is an EIP-1167 proxy created by the
//! AppRegistry that `DELEGATECALL`s it, so this program runs in the proxy's storage and sees
//! the proxy's address as its own. Storage starts at slot 0 with `registry` (PoCo's
//! `RegistryEntry` layout), then the app's fields in PoCo's order.
//!
//! `owner()` is `registry.ownerOf(uint256(uint160(address(this))))`: whoever holds the app's
//! NFT owns the app. The reference App declares no event and no custom error.

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
// `#[entrypoint]` generates an undocumented `user_entrypoint` export except under the SDK's
// `stylus-test` feature, and under `export-abi` an undocumented ABI-printing function; test
// builds without `export-abi` check docs.
#![cfg_attr(any(not(test), feature = "export-abi"), allow(missing_docs))]

extern crate alloc;

use alloc::string::String;

use alloy_primitives::{Address, B256};
use poco_registry_common::{blob::StorageBlob, entry::RegistryEntry, Error};
use stylus_sdk::{
    abi::Bytes,
    prelude::*,
    storage::StorageB256,
};

/// State of an app, in the proxy's storage.
#[storage]
#[entrypoint]
pub struct App {
    /// `registry` (slot 0).
    entry: RegistryEntry,
    /// `m_appName` (slot 1).
    app_name: StorageBlob,
    /// `m_appType` (slot 2).
    app_type: StorageBlob,
    /// `m_appMultiaddr` (slot 3).
    app_multiaddr: StorageBlob,
    /// `m_appChecksum` (slot 4).
    app_checksum: StorageB256,
    /// `m_appMREnclave` (slot 5).
    app_mrenclave: StorageBlob,
}

#[public]
impl App {
    /// The registry that created this app.
    pub fn registry(&self) -> Address {
        self.entry.registry()
    }

    /// The app owner: the holder of its NFT in the registry.
    ///
    /// # Errors
    ///
    /// The registry's revert data (e.g. before initialization: a bare revert).
    pub fn owner(&self) -> Result<Address, Error> {
        self.entry.owner()
    }

    /// The app name.
    #[selector(name = "m_appName")]
    pub fn m_app_name(&self) -> String {
        self.app_name.get_string()
    }

    /// The app type (e.g. `DOCKER`).
    #[selector(name = "m_appType")]
    pub fn m_app_type(&self) -> String {
        self.app_type.get_string()
    }

    /// Where the app is (e.g. a docker image reference).
    #[selector(name = "m_appMultiaddr")]
    pub fn m_app_multiaddr(&self) -> Bytes {
        self.app_multiaddr.get_bytes().into()
    }

    /// The app checksum.
    #[selector(name = "m_appChecksum")]
    pub fn m_app_checksum(&self) -> B256 {
        self.app_checksum.get()
    }

    /// The app's TEE enclave description.
    #[selector(name = "m_appMREnclave")]
    pub fn m_app_mrenclave(&self) -> Bytes {
        self.app_mrenclave.get_bytes().into()
    }

    /// Sets the app, once; `msg.sender` becomes the registry.
    ///
    /// # Arguments
    ///
    /// * `app_name`, `app_type`, `app_multiaddr`, `app_checksum`, `app_mrenclave` - the app.
    ///
    /// # Errors
    ///
    /// "already initialized".
    pub fn initialize(
        &mut self,
        app_name: String,
        app_type: String,
        app_multiaddr: Bytes,
        app_checksum: B256,
        app_mrenclave: Bytes,
    ) -> Result<(), Error> {
        self.entry.initialize()?;
        self.app_name.set_str(&app_name);
        self.app_type.set_str(&app_type);
        self.app_multiaddr.set_bytes(&app_multiaddr);
        self.app_checksum.set(app_checksum);
        self.app_mrenclave.set_bytes(&app_mrenclave);
        Ok(())
    }

    /// ENS reverse registration: not supported off Bellecour.
    ///
    /// # Arguments
    ///
    /// * `ens` - ignored.
    /// * `name` - ignored.
    ///
    /// # Errors
    ///
    /// "caller is not the owner" (or the registry's revert data), else always
    /// "Operation not supported on this chain".
    pub fn set_name(&mut self, ens: Address, name: String) -> Result<(), Error> {
        let _ = (ens, name);
        self.entry.set_name()
    }
}

#[cfg(test)]
mod tests;
