//! The hub's routing (selector → facet): what the artifacts want, what the loupe says, and
//! the one `diamondCut` that turns one into the other (EIP-2535 Add / Replace / Remove, as
//! PoCo's upgrade scripts cut).

use std::collections::BTreeMap;

use alloy::{
    json_abi::JsonAbi,
    primitives::{Address, FixedBytes},
    providers::Provider,
    sol,
};
use anyhow::{Context, Result};

use crate::artifacts::Artifacts;

sol! {
    /// The hub's diamond calls a deployment makes and reads (checked against `abi/hub.json`).
    #[sol(rpc)]
    interface IHubDiamond {
        struct FacetCut { address facetAddress; uint8 action; bytes4[] functionSelectors; }
        struct Facet { address facetAddress; bytes4[] functionSelectors; }
        function diamondCut(FacetCut[] _diamondCut, address _init, bytes _calldata) external;
        function facets() external view returns (Facet[]);
        function facetAddress(bytes4 _functionSelector) external view returns (address);
        function facetFunctionSelectors(address _facet) external view returns (bytes4[]);
        function owner() external view returns (address);
    }
}

/// Selector of `diamondCut`, routed by the router's constructor and never cut.
pub const DIAMOND_CUT: [u8; 4] = [0x1f, 0x93, 0x1c, 0x1c];
/// Router keys of a facet's `fallback` and `receive` (PoCo's `utils/proxy-tools.ts`).
pub const FALLBACK: [u8; 4] = [0xff; 4];
/// See [`FALLBACK`].
pub const RECEIVE: [u8; 4] = [0x00; 4];

/// `FacetCutAction.Add`.
pub const ADD: u8 = 0;
/// `FacetCutAction.Replace`.
pub const REPLACE: u8 = 1;
/// `FacetCutAction.Remove`.
pub const REMOVE: u8 = 2;

/// A selector → facet map.
pub type Routing = BTreeMap<FixedBytes<4>, Address>;

/// The selectors a facet serves, from its exported ABI.
pub fn facet_selectors(abi: &JsonAbi) -> Vec<FixedBytes<4>> {
    let mut selectors: Vec<FixedBytes<4>> =
        abi.functions().map(|f| f.selector()).filter(|s| s.0 != DIAMOND_CUT).collect();
    if abi.fallback.is_some() {
        selectors.push(FixedBytes(FALLBACK));
    }
    if abi.receive.is_some() {
        selectors.push(FixedBytes(RECEIVE));
    }
    selectors.sort();
    selectors.dedup();
    selectors
}

/// Each facet's selectors, from the artifacts' ABIs.
pub fn wanted_selectors(artifacts: &Artifacts) -> Result<BTreeMap<String, Vec<FixedBytes<4>>>> {
    artifacts.facets()?.into_iter().map(|f| Ok((f.clone(), facet_selectors(&artifacts.abi(&f)?)))).collect()
}

/// The routing the artifacts want, with each facet at `addresses[facet]`.
pub fn wanted_routing(
    selectors: &BTreeMap<String, Vec<FixedBytes<4>>>,
    addresses: &BTreeMap<String, Address>,
) -> Result<Routing> {
    let mut routing = Routing::new();
    for (facet, list) in selectors {
        let address = *addresses.get(facet).with_context(|| format!("{facet} has no address"))?;
        for selector in list {
            if let Some(other) = routing.insert(*selector, address) {
                anyhow::bail!("selector {selector} is served by two facets ({other} and {facet}'s {address})");
            }
        }
    }
    Ok(routing)
}

/// The hub's routing, from its loupe (`facets()`), without what the router's constructor
/// set — `diamondCut` and the functions the hub serves itself (listed under its own address,
/// immutable): no cut adds, replaces or removes those. Empty before the first cut (the loupe
/// itself is not routed yet, `facets()` reverts).
pub async fn hub_routing<P: Provider>(provider: &P, hub: Address) -> Result<Routing> {
    let facets = match IHubDiamond::new(hub, provider).facets().call().await {
        Ok(facets) => facets,
        Err(e) if e.as_revert_data().is_some() => return Ok(Routing::new()),
        Err(e) => return Err(e).context("the hub's loupe facets()"),
    };
    let mut routing = Routing::new();
    for facet in facets.into_iter().filter(|f| f.facetAddress != hub) {
        for selector in facet.functionSelectors {
            if selector.0 != DIAMOND_CUT {
                routing.insert(selector, facet.facetAddress);
            }
        }
    }
    Ok(routing)
}

/// The cut from `current` to `wanted`: for each facet, Add the selectors it gains that no one
/// served, Replace those it takes over; Remove what no facet should serve any more.
pub fn plan_cut(current: &Routing, wanted: &Routing) -> Vec<IHubDiamond::FacetCut> {
    let mut add: BTreeMap<Address, Vec<FixedBytes<4>>> = BTreeMap::new();
    let mut replace: BTreeMap<Address, Vec<FixedBytes<4>>> = BTreeMap::new();
    for (selector, facet) in wanted {
        match current.get(selector) {
            None => add.entry(*facet).or_default().push(*selector),
            Some(served) if served != facet => replace.entry(*facet).or_default().push(*selector),
            Some(_) => {}
        }
    }
    let removed: Vec<_> = current.keys().filter(|s| !wanted.contains_key(*s)).copied().collect();
    let mut cuts = Vec::new();
    for (action, groups) in [(REPLACE, replace), (ADD, add)] {
        for (facet, selectors) in groups {
            cuts.push(IHubDiamond::FacetCut { facetAddress: facet, action, functionSelectors: selectors });
        }
    }
    if !removed.is_empty() {
        cuts.push(IHubDiamond::FacetCut { facetAddress: Address::ZERO, action: REMOVE, functionSelectors: removed });
    }
    cuts
}

/// Name under which a record lists the functions the router serves itself.
pub const ROUTER: &str = "hub-router";

/// What a deployment record keeps of the hub's routing: [`by_facet`] of `routed`, and under
/// [`ROUTER`] the functions the hub serves itself (the loupe lists them under its own
/// address), so that the record says where every function of the hub runs.
pub async fn recorded<P: Provider>(
    provider: &P,
    hub: Address,
    routed: &Routing,
    addresses: &BTreeMap<String, Address>,
) -> Result<BTreeMap<String, Vec<FixedBytes<4>>>> {
    let mut out = by_facet(routed, addresses);
    let mut own = IHubDiamond::new(hub, provider)
        .facetFunctionSelectors(hub)
        .call()
        .await
        .context("the hub's loupe facetFunctionSelectors(hub)")?;
    if !own.is_empty() {
        own.sort();
        out.insert(ROUTER.to_owned(), own);
    }
    Ok(out)
}

/// Per facet name, the selectors `routing` sends to its address in `addresses`.
pub fn by_facet(routing: &Routing, addresses: &BTreeMap<String, Address>) -> BTreeMap<String, Vec<FixedBytes<4>>> {
    let names: BTreeMap<Address, &String> = addresses.iter().map(|(n, a)| (*a, n)).collect();
    let mut out: BTreeMap<String, Vec<FixedBytes<4>>> = BTreeMap::new();
    for (selector, facet) in routing {
        let name = names.get(facet).map(|n| n.to_string()).unwrap_or_else(|| facet.to_string());
        out.entry(name).or_default().push(*selector);
    }
    out
}

/// Checks through the loupe's `facetAddress` that every function of `abi/hub.json` is
/// routed to the facet `wanted` names; returns how many were checked.
pub async fn check_hub_answers<P: Provider>(
    provider: &P,
    hub: Address,
    artifacts: &Artifacts,
    wanted: &Routing,
) -> Result<usize> {
    let abi = artifacts.abi("hub")?;
    let diamond = IHubDiamond::new(hub, provider);
    let mut checked = 0;
    for function in abi.functions() {
        let selector = function.selector();
        let served = diamond
            .facetAddress(selector)
            .call()
            .await
            .with_context(|| format!("loupe facetAddress({selector}) for {}", function.signature()))?;
        if served.is_zero() {
            anyhow::bail!("the hub does not route {} ({selector}) to any facet", function.signature());
        }
        if selector.0 != DIAMOND_CUT {
            if let Some(expected) = wanted.get(&selector) {
                if *expected != served {
                    anyhow::bail!("the hub routes {} to {served}, not to {expected}", function.signature());
                }
            }
        }
        checked += 1;
    }
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(b: u8) -> FixedBytes<4> {
        FixedBytes([b; 4])
    }

    #[test]
    fn facet_selectors_skip_diamond_cut_and_map_fallback_and_receive() {
        let abi: JsonAbi = serde_json::from_str(
            r#"[
                {"type":"function","name":"diamondCut","stateMutability":"nonpayable","outputs":[],
                 "inputs":[{"name":"c","type":"tuple[]","components":[{"name":"a","type":"address"},
                 {"name":"b","type":"uint8"},{"name":"s","type":"bytes4[]"}]},
                 {"name":"i","type":"address"},{"name":"d","type":"bytes"}]},
                {"type":"function","name":"owner","stateMutability":"view","inputs":[],
                 "outputs":[{"name":"","type":"address"}]},
                {"type":"fallback","stateMutability":"payable"},
                {"type":"receive","stateMutability":"payable"}
            ]"#,
        )
        .expect("abi");
        let selectors = facet_selectors(&abi);
        assert_eq!(selectors.len(), 3);
        assert!(selectors.contains(&FixedBytes(FALLBACK)) && selectors.contains(&FixedBytes(RECEIVE)));
        assert!(!selectors.contains(&FixedBytes(DIAMOND_CUT)));
    }

    #[test]
    fn the_cut_replaces_what_moved_adds_what_is_new_and_removes_what_is_gone() {
        let (old, new, other) = (Address::with_last_byte(1), Address::with_last_byte(2), Address::with_last_byte(3));
        let current: Routing = [(s(1), old), (s(2), old), (s(3), other), (s(9), other)].into();
        let wanted: Routing = [(s(1), new), (s(2), new), (s(3), other), (s(4), new)].into();
        let cuts = plan_cut(&current, &wanted);
        assert_eq!(cuts.len(), 3);
        assert_eq!((cuts[0].action, cuts[0].facetAddress, cuts[0].functionSelectors.clone()), (REPLACE, new, vec![s(1), s(2)]));
        assert_eq!((cuts[1].action, cuts[1].facetAddress, cuts[1].functionSelectors.clone()), (ADD, new, vec![s(4)]));
        assert_eq!((cuts[2].action, cuts[2].facetAddress, cuts[2].functionSelectors.clone()), (REMOVE, Address::ZERO, vec![s(9)]));
        assert!(plan_cut(&wanted, &wanted).is_empty(), "nothing to cut when the routing is the wanted one");
    }

    #[test]
    fn two_facets_serving_one_selector_are_refused() {
        let selectors = [("a".to_string(), vec![s(1)]), ("b".to_string(), vec![s(1)])].into();
        let addresses = [("a".to_string(), Address::with_last_byte(1)), ("b".to_string(), Address::with_last_byte(2))].into();
        assert!(wanted_routing(&selectors, &addresses).is_err());
    }
}
