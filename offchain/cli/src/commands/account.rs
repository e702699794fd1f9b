//! `poco account`: the iExec account, i.e. the SRLC the hub holds for an address — its stake
//! (free) and locked parts — and moving RLC in (`approveAndCall`) and out (`withdraw`).

use alloy::{
    primitives::{Address, Bytes, U256},
    sol_types::SolCall,
};
use anyhow::{bail, Result};
use clap::Subcommand;
use poco_client::bindings::{IEscrow, IHub, IRlc};
use serde_json::json;

use crate::{
    amount::{format_rlc, parse_rlc},
    cli::Global,
    context::{explain_call, Session},
    output::Report,
};

/// `poco account ...`
#[derive(Debug, Subcommand)]
pub(crate) enum AccountCommand {
    /// Stake and locked SRLC (of the key, or of ADDRESS).
    Show {
        /// Whose account (default: the key's).
        address: Option<Address>,
    },
    /// Moves RLC from the wallet into the account: AMOUNT [nRLC|RLC], through RLC
    /// `approveAndCall` (one transaction, as iExec's SDK).
    Deposit {
        /// Amount.
        amount: String,
        /// Unit: nRLC (default) or RLC.
        unit: Option<String>,
    },
    /// Moves stake back to the wallet: AMOUNT [nRLC|RLC].
    Withdraw {
        /// Amount.
        amount: String,
        /// Unit: nRLC (default) or RLC.
        unit: Option<String>,
    },
}

/// `viewAccount(who)`: (stake, locked).
pub(crate) async fn account_of(session: &Session, who: Address) -> Result<(U256, U256)> {
    let account = IHub::new(session.hub().await?, &session.provider)
        .viewAccount(who)
        .call()
        .await
        .map_err(|e| explain_call("viewAccount", &e))?;
    Ok((account.stake, account.locked))
}

impl AccountCommand {
    pub(crate) async fn run(self, global: &Global) -> Result<Report> {
        let session = Session::open(global).await?;
        match self {
            AccountCommand::Show { address } => {
                let who = session.who(address)?;
                let (stake, locked) = account_of(&session, who).await?;
                Ok(Report::new(
                    json!({ "address": who, "stake": stake.to_string(), "locked": locked.to_string() }),
                    format!("address  {who}\nstake    {}\nlocked   {}", format_rlc(stake), format_rlc(locked)),
                ))
            }
            AccountCommand::Deposit { amount, unit } => {
                let nrlc = parse_rlc(&amount, unit.as_deref())?;
                let (hub, rlc) = (session.hub().await?, session.rlc().await?);
                let me = session.sender()?;
                let balance = IRlc::new(rlc, &session.provider)
                    .balanceOf(me)
                    .call()
                    .await
                    .map_err(|e| explain_call("RLC balanceOf", &e))?;
                if balance < nrlc {
                    bail!(
                        "not enough RLC in the wallet {me}: {} held, {} to deposit (`poco wallet show`)",
                        format_rlc(balance),
                        format_rlc(nrlc)
                    );
                }
                let call = IRlc::approveAndCallCall { spender: hub, value: nrlc, extra_data: Bytes::new() };
                let receipt = session.send("deposit (RLC approveAndCall)", rlc, call.abi_encode(), U256::ZERO).await?;
                let (stake, _) = account_of(&session, me).await?;
                Ok(Report::new(
                    json!({ "deposited": nrlc.to_string(), "stake": stake.to_string(), "tx": receipt.transaction_hash }),
                    format!("deposited {}; stake {} (tx {})", format_rlc(nrlc), format_rlc(stake), receipt.transaction_hash),
                ))
            }
            AccountCommand::Withdraw { amount, unit } => {
                let nrlc = parse_rlc(&amount, unit.as_deref())?;
                let me = session.sender()?;
                let (stake, locked) = account_of(&session, me).await?;
                if stake < nrlc {
                    bail!(
                        "not enough stake to withdraw {}: {me} has {} free ({} locked in deals)",
                        format_rlc(nrlc),
                        format_rlc(stake),
                        format_rlc(locked)
                    );
                }
                let hub = session.hub().await?;
                let call = IEscrow::withdrawCall { amount: nrlc };
                let receipt = session.send("withdraw", hub, call.abi_encode(), U256::ZERO).await?;
                Ok(Report::new(
                    json!({ "withdrawn": nrlc.to_string(), "stake": (stake - nrlc).to_string(), "tx": receipt.transaction_hash }),
                    format!("withdrew {}; stake {} (tx {})", format_rlc(nrlc), format_rlc(stake - nrlc), receipt.transaction_hash),
                ))
            }
        }
    }
}
