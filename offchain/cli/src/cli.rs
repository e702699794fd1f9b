//! The global flags every command takes (chain selection, key, output format).

use std::path::PathBuf;

use alloy::primitives::Address;
use clap::{Args, Parser};

use crate::commands::Command;

/// PoCo on Stylus: deploy apps, datasets and workerpools, sign and match orders, follow deals
/// and tasks, run a local devnet.
#[derive(Debug, Parser)]
#[command(name = "poco", version, about, propagate_version = true)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: Global,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Flags shared by every command.
#[derive(Debug, Clone, Args)]
pub(crate) struct Global {
    /// Chain to use, by its name in the chain file.
    #[arg(long, global = true, env = "POCO_CHAIN", default_value = "devnet")]
    pub(crate) chain: String,
    /// Chain file to read instead of the user's (`<config dir>/poco/chains.toml`) or the
    /// shipped one.
    #[arg(long, global = true, env = "POCO_CHAIN_FILE", value_name = "PATH")]
    pub(crate) chain_file: Option<PathBuf>,
    /// JSON-RPC URL, overriding the chain file's.
    #[arg(long, global = true, env = "POCO_RPC", value_name = "URL")]
    pub(crate) rpc: Option<String>,
    /// Hub address, overriding the chain file and the deployment record.
    #[arg(long, global = true, env = "POCO_HUB", value_name = "ADDR")]
    pub(crate) hub: Option<Address>,
    /// Hex private key (development only: prefer a keystore or the `POCO_PRIVATE_KEY`
    /// environment variable, which do not show in the process list).
    #[arg(long, global = true, value_name = "HEX", hide_env_values = true)]
    pub(crate) private_key: Option<String>,
    /// Encrypted JSON keystore (password from `--password-file` or `POCO_KEYSTORE_PASSWORD`).
    #[arg(long, global = true, env = "POCO_KEYSTORE", value_name = "PATH")]
    pub(crate) keystore: Option<PathBuf>,
    /// File holding the keystore's password.
    #[arg(long, global = true, value_name = "PATH")]
    pub(crate) password_file: Option<PathBuf>,
    /// Print the result as one JSON document on stdout.
    #[arg(long, global = true)]
    pub(crate) json: bool,
}
