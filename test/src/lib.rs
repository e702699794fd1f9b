//! Shared setup of the end-to-end scenarios: a devnet served over JSON-RPC on a loopback
//! port, its prefunded accounts, and the protocol deployed from this tree's build outputs
//! (`cargo xtask wasm` must have run; `scripts/test` does it first).

pub use poco_client::bindings;
pub mod lifecycle;
pub mod market;
pub mod model;

use std::net::SocketAddr;

use alloy::{
    network::EthereumWallet,
    primitives::Address,
    providers::{DynProvider, Provider, ProviderBuilder},
    signers::local::{coins_bip39::English, MnemonicBuilder, PrivateKeySigner},
};
use anyhow::{Context, Result};
use poco_client::{deploy_foundation, deploy_poco, Artifacts, PocoDeployment};
use poco_devnet::{rpc, DevnetConfig, DEV_MNEMONIC};

/// A running devnet and a deployed protocol.
pub struct Network {
    /// JSON-RPC address.
    pub addr: SocketAddr,
    /// Keeps the server running.
    _server: jsonrpsee::server::ServerHandle,
    /// Deployed contracts.
    pub poco: PocoDeployment,
    /// The devnet behind the server, for what JSON-RPC does not show (a receipt's gas split).
    pub devnet: rpc::DevnetHandle,
}

/// The `index`-th prefunded account of the dev mnemonic.
pub fn account(index: u32) -> Result<PrivateKeySigner> {
    Ok(MnemonicBuilder::<English>::default().phrase(DEV_MNEMONIC).index(index)?.build()?)
}

/// A provider signing as `signer`.
pub fn provider(addr: SocketAddr, signer: PrivateKeySigner) -> Result<DynProvider> {
    let url = format!("http://{addr}").parse().context("url")?;
    Ok(ProviderBuilder::new().wallet(EthereumWallet::from(signer)).connect_http(url).erased())
}

/// Starts a devnet and deploys the whole protocol with account 0 as owner of everything.
pub async fn network() -> Result<Network> {
    start(true).await
}

/// Starts a devnet with RLC and the registries only (account 0 owns them).
pub async fn foundation() -> Result<Network> {
    start(false).await
}

/// Starts a devnet of `config` and deploys the whole protocol (account 0 owns everything).
pub async fn network_with(config: DevnetConfig) -> Result<Network> {
    start_with(config, true).await
}

async fn start(with_hub: bool) -> Result<Network> {
    start_with(DevnetConfig::default(), with_hub).await
}

async fn start_with(config: DevnetConfig, with_hub: bool) -> Result<Network> {
    let devnet = rpc::DevnetHandle::spawn(config).context("starting the devnet")?;
    let (addr, server) = rpc::serve(devnet.clone(), "127.0.0.1:0".parse()?).await.context("serving JSON-RPC")?;
    let owner = account(0)?;
    let p = provider(addr, owner.clone())?;
    let artifacts = Artifacts::of_this_workspace();
    let poco = if with_hub {
        deploy_poco(&p, owner.address(), &artifacts).await?
    } else {
        deploy_foundation(&p, owner.address(), &artifacts).await?
    };
    Ok(Network { addr, _server: server, poco, devnet })
}

/// Address of the `index`-th dev account.
pub fn address(index: u32) -> Result<Address> {
    Ok(account(index)?.address())
}
