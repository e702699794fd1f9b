//! Shared building blocks of PoCo's registries and registry entries, for Stylus.
//!
//! PoCo (`contracts/registries/`) has three ERC-721 registries (App, Dataset, Workerpool);
//! each registry entry is a contract created with CREATE2 whose NFT owner is the asset owner.
//! The live registries were built from Solidity 0.6 with OpenZeppelin 3 (`ERC721`, `Ownable`):
//! their ABI (`baseURI()`, no custom errors) and revert strings are OZ 3's, and so are ours.
//!
//! Modules:
//! - [`error`]: the revert shapes (`Error(string)`, bare, bubbled) and every reason string;
//! - [`ownable`]: OZ 3 `Ownable`;
//! - [`erc721`]: OZ 3 `ERC721` + enumerable + metadata ledger;
//! - [`proxy`]: EIP-1167 minimal-proxy creation code and the CREATE2 address;
//! - [`registry`]: the `Registry` base (entry factory, `isRegistered`, `previous`);
//! - [`entry`]: the `RegistryEntry` base of App, Dataset and Workerpool;
//! - [`blob`]: compact Solidity-layout `bytes`/`string` storage;
//! - [`calls`]: raw external calls and the few ABI words they decode;
//! - [`registry_contract!`]: the public ABI of a registry, shared by the three registries.
//!
//! Entries are cheap: every entry is an EIP-1167 proxy (55 bytes of EVM init code) that
//! delegates to one activated Stylus program per kind (`master`). No WASM is deployed per entry.


extern crate alloc;

pub mod blob;
pub mod calls;
pub mod entry;
pub mod erc721;
pub mod error;
pub mod ownable;
pub mod proxy;
pub mod registry;

pub mod contract;

pub use error::Error;
