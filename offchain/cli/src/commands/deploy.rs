//! `poco deploy` and `poco upgrade`: the operators' deployment of the whole protocol, with
//! its record `deploy/<chain>.json` (beside the chain file), through `poco_client::deploy`.

use std::path::{Path, PathBuf};

use alloy::primitives::B256;
use anyhow::Result;
use clap::Args;
use poco_client::{
    chains::ChainFile,
    deploy::{
        self,
        activation::{self, ActivationState},
        cache::CacheBid,
        DeployOptions, RecordStore,
    },
    Artifacts,
};
use serde_json::json;

use crate::{cli::Global, context::Session, output::Report};

/// Where the programs and ABIs come from.
#[derive(Debug, Clone, Args)]
pub(crate) struct ArtifactArgs {
    /// Directory of the built programs (`<contract>.code`, from `cargo xtask wasm`);
    /// default: `target/stylus` of the source tree.
    #[arg(long, value_name = "DIR")]
    code_dir: Option<PathBuf>,
    /// Directory of the exported ABIs (`<contract>.json`); default: `abi` of the source tree.
    #[arg(long, value_name = "DIR")]
    abi_dir: Option<PathBuf>,
}

impl ArtifactArgs {
    /// The artifacts: the current directory's tree if it is one, else the tree `poco` was
    /// built from; `--code-dir` / `--abi-dir` override either part.
    fn artifacts(&self) -> Artifacts {
        let here = Path::new(".");
        let tree = if here.join("abi").is_dir() && here.join("target/stylus").is_dir() {
            Artifacts::in_workspace(here)
        } else {
            Artifacts::of_this_workspace()
        };
        Artifacts {
            code_dir: self.code_dir.clone().unwrap_or(tree.code_dir),
            abi_dir: self.abi_dir.clone().unwrap_or(tree.abi_dir),
        }
    }
}

/// `poco deploy`
#[derive(Debug, Args)]
pub(crate) struct DeployArgs {
    #[command(flatten)]
    artifacts: ArtifactArgs,
    /// CREATE2 namespace of this deployment (32-byte hex); default `keccak256("poco-stylus")`
    /// or the record's. Another salt is another deployment.
    #[arg(long, value_name = "HEX")]
    salt: Option<B256>,
    /// Renew the activations that expire within 30 days (and re-activate expired ones).
    #[arg(long)]
    keepalive: bool,
    /// Bid this many wei in the chain's CacheManager for each program not cached yet.
    #[arg(long, value_name = "WEI")]
    cache_bid: Option<alloy::primitives::U256>,
    /// Test knob: stop right after the N-th transaction is mined, before recording it.
    #[arg(long, env = "POCO_DEPLOY_STOP_AFTER", hide = true)]
    stop_after: Option<usize>,
}

/// `poco upgrade`
#[derive(Debug, Args)]
pub(crate) struct UpgradeArgs {
    #[command(flatten)]
    artifacts: ArtifactArgs,
}

/// The record file of the selected chain and the deployment options.
async fn prepare(global: &Global, artifacts: &Artifacts) -> Result<(Session, RecordStore, DeployOptions)> {
    let session = Session::open(global).await?;
    let file = ChainFile::discover(global.chain_file.as_deref())?;
    let store = RecordStore::File(file.record_path(&global.chain));
    let mut options = DeployOptions::new(global.chain.clone(), session.sender()?);
    options.rlc = session.chain.addresses.rlc;
    options.revision = revision(&artifacts.abi_dir);
    Ok((session, store, options))
}

impl DeployArgs {
    pub(crate) async fn run(self, global: &Global) -> Result<Report> {
        let artifacts = self.artifacts.artifacts();
        let (session, store, mut options) = prepare(global, &artifacts).await?;
        options.salt = self.salt;
        options.stop_after = self.stop_after;
        let outcome = deploy::deploy(&session.provider, &artifacts, &options, &store).await?;
        let report = activation::activation_report(&session.provider, &outcome.record).await?;
        let renewals = match self.keepalive {
            true => activation::renew(&session.provider, &report).await?,
            false => Vec::new(),
        };
        let bids = match self.cache_bid {
            Some(bid) => deploy::cache::place_bids(&session.provider, &outcome.record, bid).await?,
            None => Vec::new(),
        };
        let path = record_path(&store);
        let mut human = format!(
            "deployment on `{}`: {} transaction(s) sent, record {}\n",
            global.chain,
            outcome.sent,
            path.display()
        );
        for (step, result) in &outcome.steps {
            if *result != deploy::StepOutcome::Verified {
                human += &format!("  {step}: {}\n", serde_json::to_value(result)?.as_str().unwrap_or_default());
            }
        }
        let verified = outcome.steps.iter().filter(|(_, r)| *r == deploy::StepOutcome::Verified).count();
        human += &format!("  {verified} step(s) verified on chain\n  hub: {}\n", outcome.record.addresses.hub);
        let due: Vec<_> = report.iter().filter(|p| p.needs_renewal()).collect();
        for p in &due {
            let state = match p.activation {
                ActivationState::Active { seconds_left, .. } => format!("expires in {} day(s)", seconds_left / 86_400),
                ActivationState::Expired { .. } => "expired".into(),
                ActivationState::NeedsUpgrade { .. } => "activated for an older Stylus version".into(),
                ActivationState::NotActivated => "not activated".into(),
            };
            human += &format!("  activation of {} ({}): {state}\n", p.name, p.address);
        }
        if !due.is_empty() && !self.keepalive {
            human += "  run `poco deploy --keepalive` to renew them\n";
        }
        for r in &renewals {
            human += &format!("  {} of {}: tx {}\n", r.kind, r.name, r.tx);
        }
        for b in &bids {
            human += &match b {
                CacheBid::Cached { name } => format!("  cache: {name} already cached\n"),
                CacheBid::Placed { name, bid, tx } => format!("  cache: bid {bid} wei for {name}, tx {tx}\n"),
                CacheBid::TooSmall { name, min } => format!("  cache: {name} needs a bid of at least {min} wei\n"),
            };
        }
        let json = json!({
            "chain": global.chain,
            "record": path,
            "sent": outcome.sent,
            "steps": outcome.steps.iter().map(|(s, r)| json!({"step": s, "outcome": r})).collect::<Vec<_>>(),
            "addresses": outcome.record.addresses,
            "activations": report,
            "renewals": renewals,
            "cache-bids": bids,
        });
        Ok(Report::new(json, human))
    }
}

impl UpgradeArgs {
    pub(crate) async fn run(self, global: &Global) -> Result<Report> {
        let artifacts = self.artifacts.artifacts();
        let (session, store, options) = prepare(global, &artifacts).await?;
        let outcome = deploy::upgrade(&session.provider, &artifacts, &options, &store).await?;
        let mut human = match &outcome.cut {
            Some(cut) => format!(
                "upgrade on `{}`: diamondCut in tx {} ({} selector(s) added, {} removed)\n",
                global.chain,
                cut.tx,
                cut.added.len(),
                cut.removed.len()
            ),
            None => format!("upgrade on `{}`: the hub already routes to the built facets\n", global.chain),
        };
        for (facet, previous) in &outcome.replaced {
            match previous {
                Some(previous) => human += &format!("  {facet}: replaced (was {previous})\n"),
                None => human += &format!("  {facet}: added\n"),
            }
        }
        human += &format!("  {} facet(s) unchanged; {} hub function(s) checked through the loupe\n", outcome.unchanged.len(), outcome.checked);
        let json = json!({
            "chain": global.chain,
            "record": record_path(&store),
            "sent": outcome.sent,
            "replaced": outcome.replaced,
            "unchanged": outcome.unchanged,
            "cut": outcome.cut,
            "checked": outcome.checked,
        });
        Ok(Report::new(json, human))
    }
}

fn record_path(store: &RecordStore) -> PathBuf {
    match store {
        RecordStore::File(path) => path.clone(),
        RecordStore::Memory => PathBuf::new(),
    }
}

/// The git revision of the tree holding `abi_dir` (`-dirty` when it has uncommitted
/// changes), or `unknown` outside a git checkout.
fn revision(abi_dir: &Path) -> String {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(abi_dir)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    match git(&["rev-parse", "HEAD"]) {
        Some(head) => match git(&["status", "--porcelain", "--untracked-files=no"]) {
            Some(changes) if !changes.is_empty() => format!("{head}-dirty"),
            _ => head,
        },
        None => "unknown".into(),
    }
}
