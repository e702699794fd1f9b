//! `poco upgrade`: facets whose built code differs from the recorded one are deployed anew
//! (through the StylusDeployer, at their new CREATE2 address), then one `diamondCut` moves
//! their selectors (Replace), adds the selectors new in the ABIs (Add) and removes those no
//! facet serves any more (Remove), as PoCo's upgrade scripts cut. Afterwards every function
//! of `abi/hub.json` must be routed, through the loupe's `facetAddress`, to the facet that
//! serves it.

use std::collections::BTreeMap;

use alloy::{
    primitives::{keccak256, Address, Bytes},
    providers::Provider,
    sol_types::SolCall,
};
use anyhow::{bail, Context, Result};

use super::{
    pipeline::{send, DeployOptions, Run},
    record::{RecordStore, UpgradeRecord},
    routing::{self, IHubDiamond, REMOVE},
};
use crate::artifacts::Artifacts;

/// The result of an upgrade.
#[derive(Debug, Clone)]
pub struct UpgradeOutcome {
    /// Facets deployed anew, with the address they replace (`None`: a new facet).
    pub replaced: BTreeMap<String, Option<Address>>,
    /// Facets whose code is the recorded one.
    pub unchanged: Vec<String>,
    /// The cut sent (`None`: the hub already routes as the artifacts say).
    pub cut: Option<UpgradeRecord>,
    /// Functions of `abi/hub.json` checked through the loupe afterwards.
    pub checked: usize,
    /// Transactions sent.
    pub sent: usize,
}

/// Upgrades the hub of the deployment recorded in `store` to the facets of `artifacts`.
pub async fn upgrade<P: Provider>(
    provider: &P,
    artifacts: &Artifacts,
    options: &DeployOptions,
    store: &RecordStore,
) -> Result<UpgradeOutcome> {
    let Some(mut record) = store.load()? else {
        bail!("no deployment record to upgrade: `poco deploy` first");
    };
    if record.owner != options.owner {
        bail!("the hub's recorded owner is {}, the key given is {}: upgrade with the owner's key", record.owner, options.owner);
    }
    let hub = record.addresses.hub;
    if hub.is_zero() {
        bail!("the deployment record has no hub: finish the deployment with `poco deploy`");
    }
    let on_owner = IHubDiamond::new(hub, provider).owner().call().await.context("hub owner()")?;
    if on_owner != options.owner {
        bail!("the hub at {hub} is owned by {on_owner}, not by the key given ({})", options.owner);
    }
    let selectors = routing::wanted_selectors(artifacts)?;
    let mut replaced = BTreeMap::new();
    let mut unchanged = Vec::new();
    for facet in selectors.keys() {
        let codehash = keccak256(artifacts.code(facet)?);
        match record.programs.get(facet) {
            Some(known) if known.codehash == codehash => unchanged.push(facet.clone()),
            known => {
                replaced.insert(facet.clone(), known.map(|k| k.address));
                record.programs.remove(facet);
            }
        }
    }
    let gone: Vec<String> =
        record.addresses.facets.keys().filter(|f| !selectors.contains_key(*f)).cloned().collect();
    let mut run = Run { provider, artifacts, options, store, record, sent: 0, steps: Vec::new() };
    for facet in replaced.keys() {
        let address = run.program(facet, Bytes::new()).await?;
        run.record.addresses.facets.insert(facet.clone(), address);
    }
    for facet in &gone {
        run.record.addresses.facets.remove(facet);
        run.record.programs.remove(facet);
    }
    run.store.save(&run.record)?;

    let wanted = routing::wanted_routing(&selectors, &run.record.addresses.facets)?;
    let current = routing::hub_routing(provider, hub).await?;
    let cuts = routing::plan_cut(&current, &wanted);
    let mut cut_record = None;
    if !cuts.is_empty() {
        let mut record = UpgradeRecord {
            revision: options.revision.clone(),
            replaced: replaced.iter().filter_map(|(f, a)| a.map(|a| (f.clone(), a))).collect(),
            ..Default::default()
        };
        for cut in &cuts {
            match cut.action {
                REMOVE => record.removed.extend(cut.functionSelectors.iter().copied()),
                routing::ADD => record.added.extend(cut.functionSelectors.iter().copied()),
                _ => {}
            }
        }
        let call = IHubDiamond::diamondCutCall { _diamondCut: cuts, _init: Address::ZERO, _calldata: Bytes::new() };
        let receipt = send(provider, "diamondCut (upgrade)", hub, call.abi_encode().into()).await?;
        run.mined()?;
        record.tx = receipt.transaction_hash;
        record.block = receipt.block_number.unwrap_or_default();
        run.record.upgrades.push(record.clone());
        cut_record = Some(record);
    }
    let routed = routing::hub_routing(provider, hub).await?;
    if routed != wanted {
        bail!("after the upgrade the hub's routing is not the artifacts'");
    }
    let checked = routing::check_hub_answers(provider, hub, artifacts, &wanted).await?;
    run.record.routing = routing::recorded(provider, hub, &routed, &run.record.addresses.facets).await?;
    if run.sent > 0 {
        run.record.revision = options.revision.clone();
    }
    run.store.save(&run.record)?;
    Ok(UpgradeOutcome { replaced, unchanged, cut: cut_record, checked, sent: run.sent })
}
