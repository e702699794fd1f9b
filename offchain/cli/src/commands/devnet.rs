//! `poco devnet`: the embedded local Stylus chain (crate `poco-devnet`) on a loopback port,
//! optionally with the whole protocol deployed from this tree's build (`target/stylus`,
//! `abi/`), until Ctrl-C.

use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    path::PathBuf,
};

use alloy::{
    network::EthereumWallet,
    providers::{Provider, ProviderBuilder},
    signers::local::{coins_bip39::English, MnemonicBuilder},
};
use anyhow::{Context, Result};
use clap::Args;
use poco_client::{deploy_poco, Artifacts};
use poco_devnet::{
    rpc::{serve, DevnetHandle},
    DevnetConfig, DEV_MNEMONIC,
};
use serde_json::json;

use crate::{cli::Global, output::Report};

/// `poco devnet`
#[derive(Debug, Args)]
pub(crate) struct DevnetArgs {
    /// Port on 127.0.0.1 (0: any free port, printed).
    #[arg(long, short, default_value_t = 8547)]
    port: u16,
    /// Deploy the protocol (account 0 owns it) and print its addresses.
    #[arg(long)]
    deploy: bool,
    /// Workspace whose `target/stylus` and `abi/` to deploy (default: the one `poco` was
    /// built from).
    #[arg(long, value_name = "DIR")]
    workspace: Option<PathBuf>,
}

impl DevnetArgs {
    pub(crate) async fn run(self, global: &Global) -> Result<Report> {
        let config = DevnetConfig::default();
        let chain_id = config.chain_id;
        let devnet = DevnetHandle::spawn(config).context("starting the devnet")?;
        let addr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), self.port);
        let (local, server) = serve(devnet, addr)
            .await
            .with_context(|| format!("serving JSON-RPC on {addr} (is the port taken? --port picks another)"))?;
        let url = format!("http://{local}");
        let mut accounts = Vec::new();
        for i in 0..10u32 {
            accounts.push(MnemonicBuilder::<English>::default().phrase(DEV_MNEMONIC).index(i)?.build()?);
        }
        let mut report = json!({
            "rpc": url,
            "chainId": chain_id,
            "mnemonic": DEV_MNEMONIC,
            "accounts": accounts.iter().map(|a| a.address()).collect::<Vec<_>>(),
        });
        let mut human = vec![
            format!("devnet listening on {url} (chain id {chain_id})"),
            format!("development accounts (public keys of the mnemonic \"{DEV_MNEMONIC}\"; never use them elsewhere):"),
        ];
        for (i, account) in accounts.iter().enumerate() {
            human.push(format!("  {i}: {} key 0x{}", account.address(), alloy::primitives::hex::encode(account.to_bytes())));
        }
        if self.deploy {
            let artifacts = match &self.workspace {
                Some(dir) => Artifacts::in_workspace(dir),
                None => Artifacts::of_this_workspace(),
            };
            let owner = accounts[0].clone();
            let provider = ProviderBuilder::new()
                .wallet(EthereumWallet::from(owner.clone()))
                .connect_http(url.parse().context("devnet URL")?)
                .erased();
            eprintln!("deploying the protocol (account 0 owns it)...");
            let d = deploy_poco(&provider, owner.address(), &artifacts).await.context("deploying the protocol")?;
            report["hub"] = json!(d.hub);
            report["rlc"] = json!(d.rlc);
            report["appRegistry"] = json!(d.app_registry);
            report["datasetRegistry"] = json!(d.dataset_registry);
            report["workerpoolRegistry"] = json!(d.workerpool_registry);
            report["facets"] = json!(d.facets);
            human.push(format!("hub                  {}", d.hub));
            human.push(format!("RLC                  {}", d.rlc));
            human.push(format!("app registry         {}", d.app_registry));
            human.push(format!("dataset registry     {}", d.dataset_registry));
            human.push(format!("workerpool registry  {}", d.workerpool_registry));
            human.push(format!("use it: export POCO_RPC={url} POCO_HUB={}", d.hub));
        }
        human.push("Ctrl-C stops the devnet (its state is in memory only)".into());
        // Printed now, not at exit: the chain runs until interrupted.
        Report::new(report, human.join("\n")).print(global.json);
        tokio::select! {
            _ = server.clone().stopped() => {}
            _ = tokio::signal::ctrl_c() => {
                let _ = server.stop();
            }
        }
        Ok(Report::new(json!(null), ""))
    }
}
