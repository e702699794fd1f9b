//! PoCo's `AppRegistry` (`contracts/registries/apps/AppRegistry.sol`) as a Stylus program.
//!
//! ERC-721 collection "iExec Application Registry (V5)" / "iExecAppsV5" whose tokens are
//! apps: `createApp(owner, name, type, multiaddr, checksum, mrenclave)` deploys an EIP-1167
//! proxy to the App program (`master`) with CREATE2, initializes it and mints its token to
//! `owner`; `predictApp(...)` returns the address `createApp` deploys to. The shared surface
//! (Ownable, ERC-721 enumerable + metadata, `initialize`, `isRegistered`, `setBaseURI`,
//! `setName`, ...) is [`poco_registry_common::registry_contract!`].
//!
//! Reentrancy: the SDK's default guard stays on. The only callback is `onERC721Received`
//! during `safeTransferFrom`; a receiver that calls back into this registry from it reverts
//! (OZ's Solidity would allow it). No PoCo flow does this; enabling `stylus-sdk/reentrant`
//! here would also switch the guard off for every other program built in the same cargo
//! invocation (feature unification), so it is not done.

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
pub const NAME: &str = "iExec Application Registry (V5)";
/// ERC-721 symbol.
pub const SYMBOL: &str = "iExecAppsV5";

sol! {
    /// `App.initialize`: the call the registry makes on a new entry, and whose calldata is
    /// hashed into the CREATE2 salt.
    function initialize(
        string _appName,
        string _appType,
        bytes _appMultiaddr,
        bytes32 _appChecksum,
        bytes _appMREnclave
    );
}

/// PoCo `encodeInitializer`: `abi.encodeWithSignature("initialize(string,string,bytes,bytes32,bytes)", ...)`.
pub fn initializer(
    app_name: String,
    app_type: String,
    app_multiaddr: &[u8],
    app_checksum: B256,
    app_mrenclave: &[u8],
) -> Vec<u8> {
    initializeCall {
        _appName: app_name,
        _appType: app_type,
        _appMultiaddr: app_multiaddr.to_vec().into(),
        _appChecksum: app_checksum,
        _appMREnclave: app_mrenclave.to_vec().into(),
    }
    .abi_encode()
}

registry_contract! {
    /// The App registry program.
    pub struct AppRegistry;
    name = NAME;
    symbol = SYMBOL;
    implements = IAppFactory;
}

/// The App registry's own functions.
// `#[public]` adds an undocumented marker method to the trait.
#[allow(missing_docs)]
#[public]
pub trait IAppFactory {
    /// Creates an app entry owned by `app_owner`.
    ///
    /// # Arguments
    ///
    /// * `app_owner` - receives the app's NFT (anyone may create for anyone).
    /// * `app_name`, `app_type`, `app_multiaddr`, `app_checksum`, `app_mrenclave` - the app.
    ///
    /// # Errors
    ///
    /// "Create2: Failed on deploy" when the same app was already created for the same owner;
    /// "ERC721: mint to the zero address" when `app_owner` is zero; a bare revert when the
    /// entry's `initialize` fails.
    ///
    /// # Events
    ///
    /// `Transfer(0, app_owner, uint256(uint160(app)))`.
    #[allow(clippy::too_many_arguments)]
    fn create_app(
        &mut self,
        app_owner: Address,
        app_name: String,
        app_type: String,
        app_multiaddr: Bytes,
        app_checksum: B256,
        app_mrenclave: Bytes,
    ) -> Result<Address, Error>;

    /// The address `createApp` with the same arguments deploys to.
    ///
    /// # Arguments
    ///
    /// As `createApp`.
    #[allow(clippy::too_many_arguments)]
    fn predict_app(
        &self,
        app_owner: Address,
        app_name: String,
        app_type: String,
        app_multiaddr: Bytes,
        app_checksum: B256,
        app_mrenclave: Bytes,
    ) -> Address;
}

#[public]
impl IAppFactory for AppRegistry {
    fn create_app(
        &mut self,
        app_owner: Address,
        app_name: String,
        app_type: String,
        app_multiaddr: Bytes,
        app_checksum: B256,
        app_mrenclave: Bytes,
    ) -> Result<Address, Error> {
        let init = initializer(app_name, app_type, &app_multiaddr, app_checksum, &app_mrenclave);
        self.registry.mint_create(app_owner, &init)
    }

    fn predict_app(
        &self,
        app_owner: Address,
        app_name: String,
        app_type: String,
        app_multiaddr: Bytes,
        app_checksum: B256,
        app_mrenclave: Bytes,
    ) -> Address {
        let init = initializer(app_name, app_type, &app_multiaddr, app_checksum, &app_mrenclave);
        self.registry.predict(app_owner, &init)
    }
}

#[cfg(test)]
mod tests;
