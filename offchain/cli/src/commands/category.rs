//! `poco category create|show|count`: the hub's categories (a name, a description and the
//! work clock time reference that sets task deadlines). Creating one is the hub owner's.

use alloy::{primitives::U256, sol_types::SolCall};
use anyhow::{bail, Context, Result};
use clap::Subcommand;
use poco_client::bindings::{IAdmin, IHub};
use serde_json::json;

use crate::{
    cli::Global,
    context::{explain_call, Session},
    output::Report,
};

/// `poco category ...`
#[derive(Debug, Subcommand)]
pub(crate) enum CategoryCommand {
    /// Creates a category (hub owner only).
    Create {
        /// Name (iExec's: XS, S, M, L, XL).
        #[arg(long)]
        name: String,
        /// Description.
        #[arg(long, default_value = "")]
        description: String,
        /// Work clock time reference, in seconds.
        #[arg(long)]
        work_clock_time_ref: u64,
    },
    /// Shows a category by index.
    Show {
        /// Index.
        index: u64,
    },
    /// Counts the categories.
    Count,
}

impl CategoryCommand {
    pub(crate) async fn run(self, global: &Global) -> Result<Report> {
        let session = Session::open(global).await?;
        let hub_address = session.hub().await?;
        let hub = IHub::new(hub_address, &session.provider);
        let count = hub.countCategory().call().await.map_err(|e| explain_call("countCategory", &e))?;
        match self {
            CategoryCommand::Create { name, description, work_clock_time_ref } => {
                let call = IAdmin::createCategoryCall {
                    name: name.clone(),
                    description,
                    work_clock_time_ref: U256::from(work_clock_time_ref),
                };
                let receipt = session.send("createCategory", hub_address, call.abi_encode(), U256::ZERO).await?;
                Ok(Report::new(
                    json!({ "index": count.to_string(), "name": name, "tx": receipt.transaction_hash }),
                    format!("created category {count} `{name}` (tx {})", receipt.transaction_hash),
                ))
            }
            CategoryCommand::Show { index } => {
                if U256::from(index) >= count {
                    bail!("no category {index}: the hub has {count} (0 to {})", count.saturating_sub(U256::from(1)));
                }
                let c = hub.viewCategory(U256::from(index)).call().await.context("viewCategory")?;
                Ok(Report::new(
                    json!({ "index": index, "name": c.name, "description": c.description, "workClockTimeRef": c.workClockTimeRef.to_string() }),
                    format!("category {index}: {} — work clock time ref {} s{}", c.name, c.workClockTimeRef,
                        if c.description.is_empty() { String::new() } else { format!(" ({})", c.description) }),
                ))
            }
            CategoryCommand::Count => {
                Ok(Report::new(json!({ "count": count.to_string() }), format!("{count} categories")))
            }
        }
    }
}
