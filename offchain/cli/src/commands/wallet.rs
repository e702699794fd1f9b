//! `poco wallet`: the key's address, its ETH and RLC balances, and transfers.

use alloy::{
    primitives::{utils::format_ether, Address, U256},
    providers::Provider,
    sol_types::SolCall,
};
use anyhow::{Context, Result};
use clap::Subcommand;
use poco_client::bindings::IRlc;
use serde_json::json;

use crate::{
    amount::{format_rlc, parse_eth, parse_rlc},
    cli::Global,
    context::{explain_call, Session},
    output::Report,
};

/// `poco wallet ...`
#[derive(Debug, Subcommand)]
pub(crate) enum WalletCommand {
    /// Address, ETH and RLC balances (of the key, or of ADDRESS).
    Show {
        /// Whose wallet (default: the key's).
        address: Option<Address>,
    },
    /// Sends ETH: AMOUNT [UNIT] (wei, gwei or ether; default wei).
    SendEth {
        /// Amount.
        amount: String,
        /// Unit: wei, gwei, ether.
        unit: Option<String>,
        /// Recipient.
        #[arg(long)]
        to: Address,
    },
    /// Sends RLC: AMOUNT [UNIT] (nRLC or RLC; default nRLC).
    SendRlc {
        /// Amount.
        amount: String,
        /// Unit: nRLC, RLC.
        unit: Option<String>,
        /// Recipient.
        #[arg(long)]
        to: Address,
    },
}

impl WalletCommand {
    pub(crate) async fn run(self, global: &Global) -> Result<Report> {
        let session = Session::open(global).await?;
        match self {
            WalletCommand::Show { address } => {
                let who = session.who(address)?;
                let eth = session.provider.get_balance(who).await.context("eth_getBalance")?;
                let rlc_address = session.rlc().await?;
                let rlc = IRlc::new(rlc_address, &session.provider)
                    .balanceOf(who)
                    .call()
                    .await
                    .map_err(|e| explain_call("RLC balanceOf", &e))?;
                Ok(Report::new(
                    json!({ "address": who, "eth": eth.to_string(), "nRLC": rlc.to_string(), "rlc": rlc_address }),
                    format!("address  {who}\nETH      {}\nRLC      {}", format_ether(eth), format_rlc(rlc)),
                ))
            }
            WalletCommand::SendEth { amount, unit, to } => {
                let wei = parse_eth(&amount, unit.as_deref())?;
                let receipt = session.send("sending ETH", to, Vec::new(), wei).await?;
                Ok(Report::new(
                    json!({ "to": to, "wei": wei.to_string(), "tx": receipt.transaction_hash }),
                    format!("sent {} ETH to {to} (tx {})", format_ether(wei), receipt.transaction_hash),
                ))
            }
            WalletCommand::SendRlc { amount, unit, to } => {
                let nrlc = parse_rlc(&amount, unit.as_deref())?;
                let rlc = session.rlc().await?;
                let data = IRlc::transferCall { to, value: nrlc }.abi_encode();
                let receipt = session.send("sending RLC", rlc, data, U256::ZERO).await?;
                Ok(Report::new(
                    json!({ "to": to, "nRLC": nrlc.to_string(), "tx": receipt.transaction_hash }),
                    format!("sent {} to {to} (tx {})", format_rlc(nrlc), receipt.transaction_hash),
                ))
            }
        }
    }
}
