//! [`StorageBlob`]: Solidity-layout `bytes`/`string` storage with small code; defined once in
//! the `poco-storage-blob` crate and re-exported here under its historical path.

pub use poco_storage_blob::StorageBlob;
