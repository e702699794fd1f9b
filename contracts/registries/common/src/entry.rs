//! PoCo's `RegistryEntry` base (`contracts/registries/RegistryEntry.sol`) of App, Dataset and
//! Workerpool.
//!
//! An entry program runs behind an EIP-1167 proxy (delegatecall), in the proxy's storage:
//! [`RegistryEntry`] must be the first field of the entry's storage struct, so `registry`
//! lives at slot 0 as in PoCo. `owner()` asks the registry who holds the entry's NFT, so an
//! NFT transfer transfers the entry.

use alloy_primitives::Address;
use stylus_sdk::{prelude::*, storage::StorageAddress};

use crate::{
    calls,
    error::{reasons, Error},
    registry::entry_token_id,
};

/// `ownerOf(uint256)` selector.
pub const OWNER_OF_SELECTOR: [u8; 4] = [0x63, 0x52, 0x21, 0x1e];

/// State every entry starts with.
#[storage]
pub struct RegistryEntry {
    /// The registry that created this entry (zero: not initialized).
    registry: StorageAddress,
}

impl RegistryEntry {
    /// The registry that created this entry.
    pub fn registry(&self) -> Address {
        self.registry.get()
    }

    /// PoCo `_initialize(msg.sender)`: records the caller as the registry, once.
    ///
    /// # Errors
    ///
    /// [`reasons::ENTRY_ALREADY_INITIALIZED`] when the entry already has a registry.
    pub fn initialize(&mut self) -> Result<(), Error> {
        if !self.registry.get().is_zero() {
            return Err(Error::Reason(reasons::ENTRY_ALREADY_INITIALIZED));
        }
        let registry = self.vm().msg_sender();
        self.registry.set(registry);
        Ok(())
    }

    /// `owner()`: `registry.ownerOf(uint256(uint160(address(this))))`.
    ///
    /// # Errors
    ///
    /// The registry's revert data, bubbled (e.g. `ownerOf` of a token that does not exist);
    /// a bare revert on a malformed answer (e.g. no registry yet).
    pub fn owner(&self) -> Result<Address, Error> {
        let token_id = entry_token_id(self.vm().contract_address());
        let calldata = calls::encode_call_1(OWNER_OF_SELECTOR, token_id.to_be_bytes::<32>());
        calls::decode_address(&calls::static_call(
            self.vm(),
            self.registry.get(),
            &calldata,
        )?)
    }

    /// PoCo `onlyOwner` of entries.
    ///
    /// # Errors
    ///
    /// As [`Self::owner`]; [`reasons::ENTRY_NOT_OWNER`] when `msg.sender` is not the owner.
    pub fn only_owner(&self) -> Result<(), Error> {
        if self.owner()? != self.vm().msg_sender() {
            return Err(Error::Reason(reasons::ENTRY_NOT_OWNER));
        }
        Ok(())
    }

    /// `setName(ens, name)`: owner only, and always reverts (ENS is Bellecour-only).
    ///
    /// # Errors
    ///
    /// As [`Self::only_owner`], else [`reasons::OPERATION_NOT_SUPPORTED`].
    pub fn set_name(&self) -> Result<(), Error> {
        self.only_owner()?;
        Err(Error::Reason(reasons::OPERATION_NOT_SUPPORTED))
    }
}
