//! `poco-devnet`: the devnet as a JSON-RPC node on 127.0.0.1.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use anyhow::Context as _;
use clap::Parser;
use poco_devnet::rpc::{serve, DevnetHandle};
use poco_devnet::DevnetConfig;

/// Docker-free local Arbitrum-like chain running EVM bytecode and Stylus WASM programs.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Port to listen on (127.0.0.1 only).
    #[arg(long, short, default_value_t = 8547)]
    port: u16,
    /// Chain id (default: the nitro devnode's 412346).
    #[arg(long)]
    chain_id: Option<u64>,
    /// Block (and transaction) gas limit.
    #[arg(long)]
    gas_limit: Option<u64>,
    /// Genesis timestamp (default: now).
    #[arg(long)]
    timestamp: Option<u64>,
    /// ArbOS version whose Stylus rules and parameters apply (default: Arbitrum One's, 51;
    /// 60 turns on the per-block recent-programs cache).
    #[arg(long, default_value_t = poco_devnet::stylus::params::ARBITRUM_ONE_ARBOS_VERSION)]
    arbos_version: u64,
    /// Interval mining: seal a block of the pending transactions every this many
    /// milliseconds (Arbitrum's 250 is the choice for JavaScript clients such as ethers,
    /// which cache identical requests for 250 ms). Default: one block per transaction.
    #[arg(long, value_name = "MS")]
    block_time: Option<u64>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    let mut config = DevnetConfig::default();
    if let Some(id) = args.chain_id {
        config.chain_id = id;
    }
    if let Some(limit) = args.gas_limit {
        config.block_gas_limit = limit;
    }
    config.genesis_timestamp = args.timestamp;
    config.stylus = poco_devnet::stylus::params::StylusParams::for_arbos(args.arbos_version);
    config.block_time = args.block_time.map(std::time::Duration::from_millis);
    let chain_id = config.chain_id;
    let devnet = DevnetHandle::spawn(config).context("starting the devnet")?;
    let accounts = devnet.run(|d| d.accounts()).await?;
    let addr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), args.port);
    let (local, handle) = serve(devnet, addr)
        .await
        .context("starting the JSON-RPC server")?;
    tracing::info!(%local, chain_id, "poco-devnet listening");
    for (i, account) in accounts.iter().enumerate() {
        tracing::info!("account {i}: {account}");
    }
    tokio::select! {
        _ = handle.clone().stopped() => {}
        _ = tokio::signal::ctrl_c() => {
            tracing::info!("shutting down");
            let _ = handle.stop();
        }
    }
    Ok(())
}
