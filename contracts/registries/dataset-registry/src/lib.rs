//! PoCo's `DatasetRegistry` (`contracts/registries/datasets/DatasetRegistry.sol`) as a Stylus program.
//!
//! ERC-721 collection "iExec Dataset Registry (V5)" / "iExecDatasetsV5" whose tokens are datasets:
//! `createDataset(...)` deploys an EIP-1167 proxy to the Dataset program (`master`) with
//! CREATE2, initializes it and mints its token to the owner; `predictDataset(...)` returns the
//! address `createDataset` deploys to. The shared surface (Ownable, ERC-721 enumerable +
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

use alloy_primitives::{Address, B256};
use alloy_sol_types::{sol, SolCall};
use poco_registry_common::{registry_contract, Error};
use stylus_sdk::{abi::Bytes, prelude::*};

/// ERC-721 name.
pub const NAME: &str = "iExec Dataset Registry (V5)";
/// ERC-721 symbol.
pub const SYMBOL: &str = "iExecDatasetsV5";

sol! {
    /// `Dataset.initialize`: the call the registry makes on a new entry, and whose calldata
    /// is hashed into the CREATE2 salt.
    function initialize(string _datasetName, bytes _datasetMultiaddr, bytes32 _datasetChecksum);
}

/// PoCo `encodeInitializer`: `abi.encodeWithSignature("initialize(...)", ...)` of a dataset.
pub fn initializer(dataset_name: String, dataset_multiaddr: &[u8], dataset_checksum: B256) -> Vec<u8> {
    initializeCall {
        _datasetName: dataset_name,
        _datasetMultiaddr: dataset_multiaddr.to_vec().into(),
        _datasetChecksum: dataset_checksum,
    }
    .abi_encode()
}

registry_contract! {
    /// The Dataset registry program.
    pub struct DatasetRegistry;
    name = NAME;
    symbol = SYMBOL;
    implements = IDatasetFactory;
}

/// The Dataset registry's own functions.
// `#[public]` adds an undocumented marker method to the trait.
#[allow(missing_docs)]
#[public]
pub trait IDatasetFactory {
    /// Creates a dataset entry owned by `dataset_owner`.
    ///
    /// # Arguments
    ///
    /// * `dataset_owner` - receives the dataset's NFT (anyone may create for anyone).
    /// * the others - the dataset, as `Dataset.initialize` takes them.
    ///
    /// # Errors
    ///
    /// "Create2: Failed on deploy" when the same dataset was already created for the same
    /// owner; "ERC721: mint to the zero address" when `dataset_owner` is zero; a bare revert when
    /// the entry's `initialize` fails.
    ///
    /// # Events
    ///
    /// `Transfer(0, dataset_owner, uint256(uint160(dataset)))`.
    fn create_dataset(&mut self, dataset_owner: Address, dataset_name: String, dataset_multiaddr: Bytes, dataset_checksum: B256) -> Result<Address, Error>;

    /// The address `createDataset` with the same arguments deploys to.
    ///
    /// # Arguments
    ///
    /// As `createDataset`.
    fn predict_dataset(&self, dataset_owner: Address, dataset_name: String, dataset_multiaddr: Bytes, dataset_checksum: B256) -> Address;
}

#[public]
impl IDatasetFactory for DatasetRegistry {
    fn create_dataset(&mut self, dataset_owner: Address, dataset_name: String, dataset_multiaddr: Bytes, dataset_checksum: B256) -> Result<Address, Error> {
        let init = initializer(dataset_name, &dataset_multiaddr, dataset_checksum);
        self.registry.mint_create(dataset_owner, &init)
    }

    fn predict_dataset(&self, dataset_owner: Address, dataset_name: String, dataset_multiaddr: Bytes, dataset_checksum: B256) -> Address {
        let init = initializer(dataset_name, &dataset_multiaddr, dataset_checksum);
        self.registry.predict(dataset_owner, &init)
    }
}

#[cfg(test)]
mod tests;
