//! PoCo's `Registry` base (`contracts/registries/Registry.sol`): an ERC-721 enumerable,
//! ownable factory of registry entries.
//!
//! - `master`: the entry implementation (one activated Stylus program per entry kind);
//! - `proxyCode`: EIP-1167 minimal-proxy creation code delegating to `master`, and
//!   `proxyCodeHash = keccak256(proxyCode)`;
//! - `previous`, `initialized`: the older registry consulted by `isRegistered`, set once by
//!   `initialize(previous)`;
//! - [`Registry::mint_create`]: CREATE2 with salt `keccak256(abi.encodePacked(initializer,
//!   owner))`, then `entry.initialize(...)`, then mint token `uint256(uint160(entry))`.
//!
//! `master` and `proxyCode` are set by the Stylus constructor (see [`Registry::construct`]),
//! never later: a registry is bound to one master, as PoCo's constructor bound it.

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use stylus_sdk::{
    crypto::keccak,
    deploy::RawDeploy,
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageBool},
};

use crate::{
    blob::StorageBlob,
    calls,
    erc721::Erc721,
    error::{reasons, Error},
    ownable::Ownable,
    proxy,
};

/// `isRegistered(address)` selector.
pub const IS_REGISTERED_SELECTOR: [u8; 4] = [0xc3, 0xc5, 0xa5, 0x47];

/// State of a registry. The three registries embed it as their only field.
#[storage]
pub struct Registry {
    /// `Ownable` (OZ 3).
    pub ownable: Ownable,
    /// The ERC-721 ledger of entries.
    pub erc721: Erc721,
    /// The entry implementation every proxy delegates to.
    master: StorageAddress,
    /// EIP-1167 creation code of an entry proxy.
    proxy_code: StorageBlob,
    /// `keccak256(proxy_code)`.
    proxy_code_hash: StorageB256,
    /// Older registry consulted by `isRegistered` (zero: none).
    previous: StorageAddress,
    /// Whether `initialize(previous)` ran.
    initialized: StorageBool,
    /// Prefix of every `tokenURI`.
    base_uri: StorageBlob,
}

impl Registry {
    /// Constructor body: owner, master, proxy code and its hash.
    ///
    /// Why a constructor and not an owner-only init: the master is part of what a registry
    /// *is* (PoCo sets it in the constructor too), and a constructor runs atomically with the
    /// deployment, so nobody can front-run the binding. The owner is an argument because a
    /// Stylus constructor runs under the StylusDeployer (`msg.sender` is the deployer
    /// contract, not the human).
    ///
    /// # Events
    ///
    /// [`crate::ownable::OwnershipTransferred`] `(0, owner)`.
    pub fn construct(&mut self, owner: Address, master: Address) {
        self.ownable.set_owner(owner);
        self.master.set(master);
        let code = proxy::creation_code(master);
        self.proxy_code_hash.set(keccak(&code));
        self.proxy_code.set_bytes(&code);
    }

    /// The entry implementation.
    pub fn master(&self) -> Address {
        self.master.get()
    }

    /// The entry proxy creation code.
    pub fn proxy_code(&self) -> Vec<u8> {
        self.proxy_code.get_bytes()
    }

    /// `keccak256(proxyCode)`.
    pub fn proxy_code_hash(&self) -> B256 {
        self.proxy_code_hash.get()
    }

    /// The previous registry (zero: none).
    pub fn previous(&self) -> Address {
        self.previous.get()
    }

    /// Whether `initialize` ran.
    pub fn initialized(&self) -> bool {
        self.initialized.get()
    }

    /// The base of every `tokenURI`.
    pub fn base_uri(&self) -> String {
        self.base_uri.get_string()
    }

    /// `initialize(previous)`: owner only, once.
    ///
    /// # Errors
    ///
    /// [`reasons::OWNABLE_NOT_OWNER`]; a bare revert when already initialized
    /// (PoCo: `require(!initialized)`).
    pub fn initialize(&mut self, previous: Address) -> Result<(), Error> {
        self.ownable.only_owner()?;
        if self.initialized.get() {
            return Err(Error::Bare);
        }
        self.initialized.set(true);
        self.previous.set(previous);
        Ok(())
    }

    /// `setBaseURI(uri)`: owner only.
    ///
    /// # Errors
    ///
    /// [`reasons::OWNABLE_NOT_OWNER`].
    pub fn set_base_uri(&mut self, uri: &str) -> Result<(), Error> {
        self.ownable.only_owner()?;
        self.base_uri.set_str(uri);
        Ok(())
    }

    /// `tokenURI(tokenId)`.
    ///
    /// # Errors
    ///
    /// [`reasons::ERC721_URI_OF_NONEXISTENT`].
    pub fn token_uri(&self, token_id: U256) -> Result<String, Error> {
        self.erc721.token_uri(self.base_uri.get_string(), token_id)
    }

    /// `isRegistered(entry)`: the entry's token exists here, or `previous.isRegistered(entry)`.
    ///
    /// # Errors
    ///
    /// The previous registry's revert data, bubbled; a bare revert on a malformed answer.
    pub fn is_registered(&self, entry: Address) -> Result<bool, Error> {
        if self.erc721.exists(entry_token_id(entry)) {
            return Ok(true);
        }
        let previous = self.previous.get();
        if previous.is_zero() {
            return Ok(false);
        }
        let calldata = calls::encode_call_1(IS_REGISTERED_SELECTOR, calls::address_word(entry));
        calls::decode_bool(&calls::static_call(self.vm(), previous, &calldata)?)
    }

    /// `setName(ens, name)`: owner only, and always reverts (ENS is Bellecour-only).
    ///
    /// # Errors
    ///
    /// [`reasons::OWNABLE_NOT_OWNER`], else [`reasons::OPERATION_NOT_SUPPORTED`].
    pub fn set_name(&self) -> Result<(), Error> {
        self.ownable.only_owner()?;
        Err(Error::Reason(reasons::OPERATION_NOT_SUPPORTED))
    }

    /// PoCo `_mintPredict`: the address `mint_create(owner, initializer)` deploys to.
    pub fn predict(&self, owner: Address, initializer: &[u8]) -> Address {
        proxy::create2_address(
            self.vm().contract_address(),
            proxy::entry_salt(initializer, owner),
            self.proxy_code_hash.get(),
        )
    }

    /// PoCo `_mintCreate`: CREATE2 an entry proxy, call its `initialize` with `initializer`
    /// (the entry records `msg.sender`, this registry), mint its token to `owner`.
    ///
    /// # Arguments
    ///
    /// * `owner` - receives the entry's NFT, hence owns the entry.
    /// * `initializer` - `abi.encodeWithSignature("initialize(...)", ...)` of the entry.
    ///
    /// # Errors
    ///
    /// [`reasons::CREATE2_FAILED`] when CREATE2 fails (an entry with the same initializer and
    /// owner exists); a bare revert when `initialize` fails (PoCo's proxy: `require(success)`);
    /// [`reasons::ERC721_MINT_TO_ZERO`] when `owner` is zero.
    ///
    /// # Events
    ///
    /// [`crate::erc721::Transfer`] `(0, owner, uint256(uint160(entry)))`.
    pub fn mint_create(&mut self, owner: Address, initializer: &[u8]) -> Result<Address, Error> {
        let salt = proxy::entry_salt(initializer, owner);
        let code = self.proxy_code.get_bytes();
        // Nothing is pending in the cache here, but flush anyway: the deployment must see
        // the state as this transaction left it.
        self.vm().flush_cache(false);
        // SAFETY: EIP-1167 init code makes no call, so nothing can alias our storage.
        let entry = unsafe { RawDeploy::new().salt(salt).deploy(self.vm(), &code, U256::ZERO) }
            .map_err(|_| Error::Reason(reasons::CREATE2_FAILED))?;
        calls::call(self.vm(), entry, initializer).map_err(|_| Error::Bare)?;
        self.erc721.mint(owner, entry_token_id(entry))?;
        Ok(entry)
    }
}

/// An entry's token id: `uint256(uint160(entry))`.
pub fn entry_token_id(entry: Address) -> U256 {
    U256::from_be_slice(entry.as_slice())
}
