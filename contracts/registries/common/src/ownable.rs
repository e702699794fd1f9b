//! OpenZeppelin 3 `Ownable`, as the registries expose it.
//!
//! ABI (reference `*Registry.json`): `owner()`, `renounceOwnership()`,
//! `transferOwnership(address)`, event `OwnershipTransferred(address indexed, address indexed)`.
//! Failures are OZ 3 reason strings ([`reasons::OWNABLE_NOT_OWNER`],
//! [`reasons::OWNABLE_ZERO_OWNER`]), not OZ 5's custom errors: the live registries are OZ 3.

use alloy_primitives::Address;
use alloy_sol_types::sol;
use stylus_sdk::{prelude::*, storage::StorageAddress};

use crate::error::{reasons, Error};

sol! {
    /// Ownership moved from `previousOwner` to `newOwner` (zero on renounce).
    #[derive(Debug, PartialEq)]
    #[sol(abi)]
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
}

/// State of an [`Ownable`] contract.
#[storage]
pub struct Ownable {
    /// The current owner; zero once renounced.
    owner: StorageAddress,
}

impl Ownable {
    /// The current owner.
    pub fn owner(&self) -> Address {
        self.owner.get()
    }

    /// `onlyOwner`: fails unless `msg.sender` is the owner.
    ///
    /// # Errors
    ///
    /// [`reasons::OWNABLE_NOT_OWNER`] when the caller is not the owner.
    pub fn only_owner(&self) -> Result<(), Error> {
        if self.vm().msg_sender() != self.owner.get() {
            return Err(Error::Reason(reasons::OWNABLE_NOT_OWNER));
        }
        Ok(())
    }

    /// Leaves the contract without owner (owner-only functions become unusable).
    ///
    /// # Errors
    ///
    /// [`reasons::OWNABLE_NOT_OWNER`] when the caller is not the owner.
    ///
    /// # Events
    ///
    /// [`OwnershipTransferred`] `(owner, 0)`.
    pub fn renounce_ownership(&mut self) -> Result<(), Error> {
        self.only_owner()?;
        self.set_owner(Address::ZERO);
        Ok(())
    }

    /// Hands ownership to `new_owner`.
    ///
    /// # Arguments
    ///
    /// * `new_owner` - the next owner, not zero.
    ///
    /// # Errors
    ///
    /// [`reasons::OWNABLE_NOT_OWNER`] when the caller is not the owner;
    /// [`reasons::OWNABLE_ZERO_OWNER`] when `new_owner` is zero.
    ///
    /// # Events
    ///
    /// [`OwnershipTransferred`] `(owner, new_owner)`.
    pub fn transfer_ownership(&mut self, new_owner: Address) -> Result<(), Error> {
        self.only_owner()?;
        if new_owner.is_zero() {
            return Err(Error::Reason(reasons::OWNABLE_ZERO_OWNER));
        }
        self.set_owner(new_owner);
        Ok(())
    }

    /// Sets the owner unconditionally (constructor and the checked paths above).
    ///
    /// # Events
    ///
    /// [`OwnershipTransferred`] `(previous owner, new_owner)`.
    pub fn set_owner(&mut self, new_owner: Address) {
        let previous_owner = self.owner.get();
        self.owner.set(new_owner);
        self.vm().log(OwnershipTransferred {
            previousOwner: previous_owner,
            newOwner: new_owner,
        });
    }
}

#[cfg(test)]
#[path = "ownable_tests.rs"]
mod tests;
