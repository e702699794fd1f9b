//! `poco app|dataset|workerpool deploy|show|count|transfer`: assets in their registries
//! (ERC-721 tokens whose id is the asset contract's address), as iExec's CLI handles them:
//! deploy predicts the address, refuses a duplicate, creates, and reads the address back
//! from the registry's `Transfer` event.

use alloy::{
    primitives::{Address, Bytes, B256, U256},
    rpc::types::TransactionReceipt,
    sol_types::{SolCall, SolEvent},
};
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use poco_client::{
    assets::{asset_count, asset_info, asset_of_owner, AssetInfo},
    bindings::{IAppRegistry, IDatasetRegistry, IWorkerpoolRegistry},
};
use serde_json::json;

pub(crate) use poco_client::assets::AssetKind;

use crate::{
    cli::Global,
    context::{explain_call, Session},
    output::Report,
};

/// `poco app ...`
#[derive(Debug, Subcommand)]
pub(crate) enum AppCommand {
    /// Registers an app (owned by the key, or --owner).
    Deploy(AppDeploy),
    #[command(flatten)]
    Common(CommonCommand),
    /// Requests an execution: takes the orders, matches them and follows the tasks.
    Run(super::app_run::RunArgs),
}

/// `poco dataset ...`
#[derive(Debug, Subcommand)]
pub(crate) enum DatasetCommand {
    /// Registers a dataset (owned by the key, or --owner).
    Deploy(DatasetDeploy),
    #[command(flatten)]
    Common(CommonCommand),
}

/// `poco workerpool ...`
#[derive(Debug, Subcommand)]
pub(crate) enum WorkerpoolCommand {
    /// Registers a workerpool (owned by the key, or --owner).
    Deploy(WorkerpoolDeploy),
    #[command(flatten)]
    Common(CommonCommand),
}

/// The commands every asset kind has.
#[derive(Debug, Subcommand)]
pub(crate) enum CommonCommand {
    /// Shows an asset, by address or by index among the assets of --user (default: the key).
    Show {
        /// Address, or index in the owner's list.
        address_or_index: String,
        /// Owner whose list an index refers to.
        #[arg(long)]
        user: Option<Address>,
    },
    /// Counts the assets of --user (default: the key).
    Count {
        /// Owner.
        #[arg(long)]
        user: Option<Address>,
    },
    /// Transfers an asset to a new owner (registry `safeTransferFrom`).
    Transfer {
        /// Asset address.
        address: Address,
        /// New owner.
        #[arg(long)]
        to: Address,
    },
}

/// `poco app deploy`
#[derive(Debug, Args)]
pub(crate) struct AppDeploy {
    /// Name.
    #[arg(long)]
    name: String,
    /// Type (iExec's apps are `DOCKER`).
    #[arg(long = "type", default_value = "DOCKER")]
    app_type: String,
    /// Image (e.g. a docker reference or a WASI module's URL).
    #[arg(long)]
    multiaddr: String,
    /// Image checksum (32 bytes hex).
    #[arg(long, default_value_t = B256::ZERO)]
    checksum: B256,
    /// TEE configuration (JSON), empty for a standard app.
    #[arg(long, default_value = "")]
    mrenclave: String,
    /// Owner (default: the key).
    #[arg(long)]
    owner: Option<Address>,
}

/// `poco dataset deploy`
#[derive(Debug, Args)]
pub(crate) struct DatasetDeploy {
    /// Name.
    #[arg(long)]
    name: String,
    /// Location of the (encrypted) dataset.
    #[arg(long)]
    multiaddr: String,
    /// Checksum (32 bytes hex).
    #[arg(long, default_value_t = B256::ZERO)]
    checksum: B256,
    /// Owner (default: the key).
    #[arg(long)]
    owner: Option<Address>,
}

/// `poco workerpool deploy`
#[derive(Debug, Args)]
pub(crate) struct WorkerpoolDeploy {
    /// Description.
    #[arg(long)]
    description: String,
    /// Owner (default: the key).
    #[arg(long)]
    owner: Option<Address>,
}

impl AppCommand {
    pub(crate) async fn run(self, global: &Global) -> Result<Report> {
        match self {
            AppCommand::Deploy(args) => {
                let session = Session::open(global).await?;
                let owner = session.who(args.owner)?;
                let registry = session.registry(AssetKind::App).await?;
                let apps = IAppRegistry::new(registry, &session.provider);
                let (multiaddr, mrenclave) = (Bytes::from(args.multiaddr.into_bytes()), Bytes::from(args.mrenclave.into_bytes()));
                let predicted = apps
                    .predictApp(owner, args.name.clone(), args.app_type.clone(), multiaddr.clone(), args.checksum, mrenclave.clone())
                    .call()
                    .await
                    .map_err(|e| explain_call("predictApp", &e))?;
                let call = IAppRegistry::createAppCall {
                    app_owner: owner,
                    app_name: args.name,
                    app_type: args.app_type,
                    app_multiaddr: multiaddr,
                    app_checksum: args.checksum,
                    app_mrenclave: mrenclave,
                };
                deploy(&session, AssetKind::App, registry, predicted, call.abi_encode()).await
            }
            AppCommand::Common(c) => c.run(global, AssetKind::App).await,
            AppCommand::Run(args) => args.run(global).await,
        }
    }
}

impl DatasetCommand {
    pub(crate) async fn run(self, global: &Global) -> Result<Report> {
        match self {
            DatasetCommand::Deploy(args) => {
                let session = Session::open(global).await?;
                let owner = session.who(args.owner)?;
                let registry = session.registry(AssetKind::Dataset).await?;
                let datasets = IDatasetRegistry::new(registry, &session.provider);
                let multiaddr = Bytes::from(args.multiaddr.into_bytes());
                let predicted = datasets
                    .predictDataset(owner, args.name.clone(), multiaddr.clone(), args.checksum)
                    .call()
                    .await
                    .map_err(|e| explain_call("predictDataset", &e))?;
                let call = IDatasetRegistry::createDatasetCall {
                    dataset_owner: owner,
                    dataset_name: args.name,
                    dataset_multiaddr: multiaddr,
                    dataset_checksum: args.checksum,
                };
                deploy(&session, AssetKind::Dataset, registry, predicted, call.abi_encode()).await
            }
            DatasetCommand::Common(c) => c.run(global, AssetKind::Dataset).await,
        }
    }
}

impl WorkerpoolCommand {
    pub(crate) async fn run(self, global: &Global) -> Result<Report> {
        match self {
            WorkerpoolCommand::Deploy(args) => {
                let session = Session::open(global).await?;
                let owner = session.who(args.owner)?;
                let registry = session.registry(AssetKind::Workerpool).await?;
                let pools = IWorkerpoolRegistry::new(registry, &session.provider);
                let predicted = pools
                    .predictWorkerpool(owner, args.description.clone())
                    .call()
                    .await
                    .map_err(|e| explain_call("predictWorkerpool", &e))?;
                let call = IWorkerpoolRegistry::createWorkerpoolCall {
                    workerpool_owner: owner,
                    workerpool_description: args.description,
                };
                deploy(&session, AssetKind::Workerpool, registry, predicted, call.abi_encode()).await
            }
            WorkerpoolCommand::Common(c) => c.run(global, AssetKind::Workerpool).await,
        }
    }
}

/// Creates the asset unless the registry has it already, and reads its address from the
/// registry's `Transfer` (mint) event.
async fn deploy(session: &Session, kind: AssetKind, registry: Address, predicted: Address, create: Vec<u8>) -> Result<Report> {
    let registered = IAppRegistry::new(registry, &session.provider)
        .isRegistered(predicted)
        .call()
        .await
        .map_err(|e| explain_call("isRegistered", &e))?;
    if registered {
        bail!("this {kind} is already deployed at {predicted} (same owner and fields): `poco {kind} show {predicted}`");
    }
    let receipt = session.send(&format!("create{kind}"), registry, create, U256::ZERO).await?;
    let address = minted(&receipt, registry)
        .with_context(|| format!("the {kind} registry emitted no Transfer event (tx {})", receipt.transaction_hash))?;
    Ok(Report::new(
        json!({ "kind": kind, "address": address, "tx": receipt.transaction_hash }),
        format!("deployed {kind} {address} (tx {})", receipt.transaction_hash),
    ))
}

/// The token minted by `registry` in `receipt`, as an address.
fn minted(receipt: &TransactionReceipt, registry: Address) -> Option<Address> {
    receipt.inner.logs().iter().find_map(|log| {
        let topics = log.topics();
        (log.address() == registry
            && topics.len() == 4
            && topics[0] == IAppRegistry::Transfer::SIGNATURE_HASH
            && topics[1] == B256::ZERO)
            .then(|| Address::from_word(topics[3]))
    })
}

impl CommonCommand {
    pub(crate) async fn run(self, global: &Global, kind: AssetKind) -> Result<Report> {
        let session = Session::open(global).await?;
        let registry = session.registry(kind).await?;
        match self {
            CommonCommand::Show { address_or_index, user } => {
                let address = match address_or_index.parse::<Address>() {
                    Ok(address) => address,
                    Err(_) => {
                        let index: U256 = address_or_index
                            .parse()
                            .with_context(|| format!("`{address_or_index}` is neither an address nor an index"))?;
                        asset_of_owner(&session.provider, registry, session.who(user)?, index).await?
                    }
                };
                let info = asset_info(&session.provider, kind, address).await?;
                Ok(Report::new(serde_json::to_value(&info)?, human(&info)))
            }
            CommonCommand::Count { user } => {
                let owner = session.who(user)?;
                let count = asset_count(&session.provider, registry, owner).await?;
                Ok(Report::new(
                    json!({ "kind": kind, "owner": owner, "count": count.to_string() }),
                    format!("{owner} has {count} {kind}(s)"),
                ))
            }
            CommonCommand::Transfer { address, to } => {
                let me = session.sender()?;
                let info = asset_info(&session.provider, kind, address).await?;
                if info.owner != me {
                    bail!("{kind} {address} belongs to {}, not to the key's {me}", info.owner);
                }
                let token = U256::from_be_bytes(address.into_word().0);
                let call = IAppRegistry::safeTransferFrom_0Call { from: me, to, token_id: token };
                let receipt = session.send(&format!("transferring {kind} {address}"), registry, call.abi_encode(), U256::ZERO).await?;
                Ok(Report::new(
                    json!({ "kind": kind, "address": address, "from": me, "to": to, "tx": receipt.transaction_hash }),
                    format!("transferred {kind} {address} to {to} (tx {})", receipt.transaction_hash),
                ))
            }
        }
    }
}

/// An asset for humans: one field a line.
fn human(info: &AssetInfo) -> String {
    let mut lines = vec![format!("{} {}", info.kind, info.address), format!("owner        {}", info.owner)];
    let label = if info.kind == AssetKind::Workerpool { "description" } else { "name" };
    lines.push(format!("{label:<12} {}", info.name));
    let optional = [
        ("type", info.app_type.clone()),
        ("multiaddr", info.multiaddr.clone()),
        ("checksum", info.checksum.map(|c| c.to_string())),
        ("mrenclave", info.mrenclave.clone().filter(|m| !m.is_empty())),
        ("scheduler reward ratio", info.scheduler_reward_ratio.map(|r| format!("{r}%"))),
        ("worker stake ratio", info.worker_stake_ratio.map(|r| format!("{r}%"))),
    ];
    for (label, value) in optional {
        if let Some(value) = value {
            lines.push(format!("{label:<12} {value}"));
        }
    }
    lines.join("\n")
}
