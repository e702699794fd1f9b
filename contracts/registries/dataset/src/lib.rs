//! PoCo's `Dataset` registry entry (`contracts/registries/datasets/Dataset.sol`) as a Stylus
//! program.
//!
//! One Dataset program is activated per chain; every dataset is an EIP-1167 proxy created by
//! the DatasetRegistry that `DELEGATECALL`s it, so this program runs in the proxy's storage.
//! Storage starts at slot 0 with `registry` (PoCo's `RegistryEntry` layout), then the
//! dataset's fields in PoCo's order. `owner()` is the holder of the dataset's NFT.
//! The reference Dataset declares no event and no custom error.

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

/// State of a dataset, in the proxy's storage.
#[storage]
#[entrypoint]
pub struct Dataset {
    /// `registry` (slot 0).
    entry: RegistryEntry,
    /// `m_datasetName` (slot 1).
    dataset_name: StorageBlob,
    /// `m_datasetMultiaddr` (slot 2).
    dataset_multiaddr: StorageBlob,
    /// `m_datasetChecksum` (slot 3).
    dataset_checksum: StorageB256,
}

#[public]
impl Dataset {
    /// The registry that created this dataset.
    pub fn registry(&self) -> Address {
        self.entry.registry()
    }

    /// The dataset owner: the holder of its NFT in the registry.
    ///
    /// # Errors
    ///
    /// The registry's revert data (e.g. before initialization: a bare revert).
    pub fn owner(&self) -> Result<Address, Error> {
        self.entry.owner()
    }

    /// The dataset name.
    #[selector(name = "m_datasetName")]
    pub fn m_dataset_name(&self) -> String {
        self.dataset_name.get_string()
    }

    /// Where the dataset is.
    #[selector(name = "m_datasetMultiaddr")]
    pub fn m_dataset_multiaddr(&self) -> Bytes {
        self.dataset_multiaddr.get_bytes().into()
    }

    /// The dataset checksum.
    #[selector(name = "m_datasetChecksum")]
    pub fn m_dataset_checksum(&self) -> B256 {
        self.dataset_checksum.get()
    }

    /// Sets the dataset, once; `msg.sender` becomes the registry.
    ///
    /// # Arguments
    ///
    /// * `dataset_name`, `dataset_multiaddr`, `dataset_checksum` - the dataset.
    ///
    /// # Errors
    ///
    /// "already initialized".
    pub fn initialize(
        &mut self,
        dataset_name: String,
        dataset_multiaddr: Bytes,
        dataset_checksum: B256,
    ) -> Result<(), Error> {
        self.entry.initialize()?;
        self.dataset_name.set_str(&dataset_name);
        self.dataset_multiaddr.set_bytes(&dataset_multiaddr);
        self.dataset_checksum.set(dataset_checksum);
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
