//! `cargo xtask abi [--check]`: the ABI of every contract, generated from its Rust source.
//!
//! Functions come from the contract's Stylus router (`export-abi` feature: the crate's
//! `*-abi` binary prints a Solidity interface), compiled to JSON by solc-js as
//! `cargo stylus export-abi --json` does with solc. Events and errors come from the
//! contract's `sol!` declarations: the same binary prints them as JSON when called with
//! `events` (alloy's `JsonAbiExt`), because Stylus' interface printer leaves them out.
//! Functions that take or return structs are declared with `sol!` next to their structs
//! (poco-core, hub base) and printed in that same JSON: Stylus prints their parameters
//! without struct definitions, which no compiler accepts, so their lines are dropped from
//! the interface and the `sol!` declaration, with full tuple components, is used instead.
//!
//! The result is written to `abi/<contract>.json` and, as a Solidity interface,
//! `abi/<contract>.sol`. Then it is compared with iExec's reference ABI
//! (`../shared/reference/abi/`): every function, event and error of the reference must be
//! present with the same signature, outputs, mutability and indexed flags.

use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
    process::Command,
};

use alloy_json_abi::{AbiItem, JsonAbi};
use anyhow::{anyhow, bail, Context, Result};

use crate::contracts::{self, Contract};


/// Reference ABI of each contract, relative to `shared/reference/abi`, and the reference
/// items we deliberately do not implement (with the reason, printed in the report).
fn reference_of(name: &str) -> Option<(&'static str, &'static [(&'static str, &'static str)])> {
    const FAUCET: &str = "faucet-only function of iExec's test token, not part of RLC";
    match name {
        "rlc" => Some((
            "other/RLC.json",
            &[
                ("refill(address,uint256)", FAUCET),
                ("forceApprove(address,address,uint256)", FAUCET),
                ("forceBurn(address,uint256)", FAUCET),
                ("locked()", "mainnet RLC's 2017 transfer lock; this token never locks"),
            ],
        )),
        "app-registry" => Some(("required/AppRegistry.json", &[])),
        "dataset-registry" => Some(("required/DatasetRegistry.json", &[])),
        "workerpool-registry" => Some(("required/WorkerpoolRegistry.json", &[])),
        "app" => Some(("required/App.json", &[])),
        "dataset" => Some(("required/Dataset.json", &[])),
        "workerpool" => Some(("required/Workerpool.json", &[])),
        _ => None,
    }
}

pub(crate) fn run(root: &Path, args: &[String]) -> Result<()> {
    let check = args.iter().any(|a| a == "--check");
    let all = contracts::deployable(root)?;
    let solcjs = ensure_solcjs(root)?;
    let bins = build_abi_bins(root, &all)?;
    let abi_dir = root.join("abi");
    fs::create_dir_all(&abi_dir)?;
    let reference_root = root.join("../shared/reference/abi");

    // Every contract's ABI, then the hub's: the union of the router and all facets, which is
    // what integrators see at the hub address.
    let mut outputs: Vec<(String, JsonAbi)> = Vec::new();
    let mut hub = JsonAbi::new();
    let mut failed = Vec::new();
    for c in all.iter().filter(|c| c.abi_bin.is_some()) {
        // One contract's failure must not hide the others' results: report it at the end.
        let abi = match export(root, &bins, c, &solcjs) {
            Ok(abi) => abi,
            Err(e) => {
                eprintln!("{}: ABI export failed: {e:#}", c.name);
                failed.push(c.name.clone());
                continue;
            }
        };
        if c.name == "hub-router" || c.name.starts_with("facet-") {
            merge_into(&mut hub, &abi);
        }
        outputs.push((c.name.clone(), abi));
    }
    // The hub's ABI is only meaningful when every facet exported.
    if !hub.functions.is_empty() && !failed.iter().any(|f| f.starts_with("facet-") || f == "hub-router") {
        outputs.push((HUB.into(), hub));
    }

    let mut stale = Vec::new();
    let mut mismatches = Vec::new();
    for (name, abi) in &outputs {
        let json = serde_json::to_string_pretty(abi)? + "\n";
        let sol = abi.to_sol(&interface_name(name), None);
        for (path, content) in [(abi_dir.join(format!("{name}.json")), json), (abi_dir.join(format!("{name}.sol")), sol)] {
            if check {
                if fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
                    stale.push(path.display().to_string());
                }
            } else {
                fs::write(&path, content)?;
            }
        }
        let counts = format!(
            "{:<22} {:>3} functions {:>3} events {:>3} errors",
            name,
            abi.functions().count(),
            abi.events().count(),
            abi.errors().count()
        );
        let references: Vec<(&str, &[(&str, &str)])> = if name == HUB {
            HUB_REFERENCES.iter().map(|f| (*f, HUB_OMITTED)).collect()
        } else {
            reference_of(name).into_iter().collect()
        };
        if references.is_empty() {
            println!("{counts}   (served through the hub)");
        }
        for (file, omitted) in references {
            let path = reference_root.join(file);
            if !path.exists() {
                println!("{counts}   reference {file} not found; comparison skipped");
                continue;
            }
            let reference = load_reference(&path)?;
            let report = compare(&reference, abi, omitted);
            let verdict =
                if report.is_empty() { "all reference items match".to_string() } else { format!("{} MISMATCH(ES)", report.len()) };
            println!("{counts}   vs {file}: {verdict}");
            let absent: Vec<&(&str, &str)> = omitted
                .iter()
                .filter(|(sig, _)| {
                    reference.functions().any(|f| f.signature() == *sig)
                        || reference.events().any(|e| e.signature() == *sig)
                })
                .collect();
            for (sig, why) in absent {
                println!("    not implemented: {sig} ({why})");
            }
            mismatches.extend(report.into_iter().map(|m| format!("{name}: {m}")));
        }
    }
    for m in &mismatches {
        eprintln!("  {m}");
    }
    if !failed.is_empty() {
        bail!("ABI export failed for: {}", failed.join(", "));
    }
    if !stale.is_empty() {
        bail!("abi/ is stale, run `cargo xtask abi`: {}", stale.join(", "));
    }
    if !mismatches.is_empty() {
        bail!("{} reference ABI mismatch(es)", mismatches.len());
    }
    Ok(())
}

/// Name of the hub's merged ABI in `abi/`.
const HUB: &str = "hub";

/// What the hub (router + every facet) must expose: PoCo's full interface, PoCo Boost's and
/// the diamond's.
const HUB_REFERENCES: &[&str] = &[
    "required/IexecInterfaceToken.json",
    "required/IexecPocoBoostFacet.json",
    "required/IexecPocoBoostAccessorsFacet.json",
    "required/DiamondCutFacet.json",
    "required/DiamondLoupeFacet.json",
    "required/OwnershipFacet.json",
];

/// Reference items of the hub that are deliberately absent; reported, not failed.
const HUB_OMITTED: &[(&str, &str)] = &[
    (
        "renounceOwnership()",
        "declared by PoCo's IOwnable but not routed on its live diamond (deployments/arbitrum/.diamond.log)",
    ),
];

/// Adds `abi`'s items to `into`, once per signature (facets share events such as `Transfer`).
fn merge_into(into: &mut JsonAbi, abi: &JsonAbi) {
    for f in abi.functions() {
        let list = into.functions.entry(f.name.clone()).or_default();
        if !list.iter().any(|g| g.signature() == f.signature()) {
            list.push(f.clone());
        }
    }
    for e in abi.events() {
        let list = into.events.entry(e.name.clone()).or_default();
        if !list.iter().any(|g| g.signature() == e.signature()) {
            list.push(e.clone());
        }
    }
    for e in abi.errors() {
        let list = into.errors.entry(e.name.clone()).or_default();
        if !list.iter().any(|g| g.signature() == e.signature()) {
            list.push(e.clone());
        }
    }
    if abi.fallback.is_some() {
        into.fallback = abi.fallback;
    }
    if abi.receive.is_some() {
        into.receive = abi.receive;
    }
}

/// `rlc` → `IRlc`, `app-registry` → `IAppRegistry`.
fn interface_name(name: &str) -> String {
    let mut out = String::from("I");
    for part in name.split('-') {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// Installs solc-js from `scripts/solc/package-lock.json` when it is missing.
fn ensure_solcjs(root: &Path) -> Result<PathBuf> {
    let dir = root.join("scripts/solc");
    let bin = dir.join("node_modules/.bin/solcjs");
    if !bin.exists() {
        let status = Command::new("npm")
            .current_dir(&dir)
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .status()
            .context("running npm ci in scripts/solc (is Node.js installed?)")?;
        if !status.success() {
            bail!("npm ci in scripts/solc failed");
        }
    }
    Ok(bin)
}

/// Builds every contract's export-abi binary in one host build, with the feature set the
/// project's tests and lints use (`cargo xtask features`), so that this build, clippy and
/// nextest share their compiled dependencies instead of building them once per contract.
fn build_abi_bins(root: &Path, all: &[Contract]) -> Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(root)
        .args(["build", "--quiet", "--workspace", "--bins", "--features", &contracts::host_features(all)])
        .status()
        .context("building the export-abi binaries")?;
    if !status.success() {
        bail!("building the export-abi binaries failed");
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    Ok(target.join("debug"))
}

fn run_abi_bin(bins: &Path, c: &Contract, arg: &str) -> Result<String> {
    let bin = c.abi_bin.as_deref().ok_or_else(|| anyhow!("{} has no export-abi binary", c.name))?;
    let out = Command::new(bins.join(bin))
        .arg(arg)
        .output()
        .with_context(|| format!("running {bin}"))?;
    if !out.status.success() {
        bail!("{bin} {arg} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8(out.stdout)?)
}

/// The full JSON ABI of one contract.
fn export(root: &Path, bins: &Path, c: &Contract, solcjs: &Path) -> Result<JsonAbi> {
    let extra: Vec<AbiItem<'static>> = serde_json::from_str(&run_abi_bin(bins, c, "events")?)
        .with_context(|| format!("parsing the events/errors JSON of {}", c.name))?;
    let declared: Vec<String> = extra
        .iter()
        .filter_map(|i| if let AbiItem::Function(f) = i { Some(f.name.clone()) } else { None })
        .collect();
    let interface = without_functions(&run_abi_bin(bins, c, "abi")?, &declared);
    let mut abi = compile_interface(root, c, &interface, solcjs)?;
    for item in extra {
        match item {
            AbiItem::Event(e) => abi.events.entry(e.name.clone()).or_default().push(e.into_owned()),
            AbiItem::Error(e) => abi.errors.entry(e.name.clone()).or_default().push(e.into_owned()),
            AbiItem::Function(f) => abi.functions.entry(f.name.clone()).or_default().push(f.into_owned()),
            AbiItem::Fallback(f) => abi.fallback = Some(f.into_owned()),
            AbiItem::Receive(r) => abi.receive = Some(r.into_owned()),
            other => bail!("{}: the events list may hold functions, events and errors, got {other:?}", c.name),
        }
    }
    Ok(abi)
}

/// The Stylus interface without the functions named in `names` (each printed on one line
/// as `function name(...)...;`).
fn without_functions(interface: &str, names: &[String]) -> String {
    interface
        .lines()
        .filter(|line| {
            let t = line.trim_start();
            !names.iter().any(|n| t.starts_with(&format!("function {n}(")))
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Compiles the exported Solidity interface with solc-js and reads back its ABI.
fn compile_interface(root: &Path, c: &Contract, interface: &str, solcjs: &Path) -> Result<JsonAbi> {
    let work = root.join("target/abi-export").join(&c.name);
    if work.exists() {
        fs::remove_dir_all(&work)?;
    }
    fs::create_dir_all(&work)?;
    let (main, interface) = bases_first(interface);
    fs::write(work.join("Interface.sol"), &interface)?;
    let out = Command::new(solcjs)
        .current_dir(&work)
        .args(["--abi", "--base-path", ".", "-o", "out", "Interface.sol"])
        .output()
        .context("running solcjs")?;
    if !out.status.success() {
        bail!("solcjs failed on the interface of {}:\n{}\n{interface}", c.name, String::from_utf8_lossy(&out.stderr));
    }
    let produced: Vec<PathBuf> = fs::read_dir(work.join("out"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "abi"))
        .filter(|p| p.file_stem().is_some_and(|s| s.to_string_lossy().ends_with(&format!("_{main}"))))
        .collect();
    let [file] = produced.as_slice() else {
        bail!("solcjs produced {} ABI files named after {main} for {}, expected one", produced.len(), c.name);
    };
    Ok(serde_json::from_str(&fs::read_to_string(file)?)?)
}

/// Stylus prints the contract's interface first and the interfaces it inherits
/// (`#[implements]` traits) after it, but Solidity wants bases declared first. Returns the
/// contract's interface name and the reordered source.
fn bases_first(source: &str) -> (String, String) {
    let mut preamble = String::new();
    let mut blocks: Vec<String> = Vec::new();
    for line in source.lines() {
        if line.starts_with("interface ") {
            blocks.push(String::new());
        }
        match blocks.last_mut() {
            Some(block) => block.push_str(line),
            None => preamble.push_str(line),
        }
        match blocks.last_mut() {
            Some(block) => block.push('\n'),
            None => preamble.push('\n'),
        }
    }
    let name_of = |b: &str| b.split_whitespace().nth(1).unwrap_or_default().trim_end_matches('{').to_string();
    let main = blocks.first().map(|b| name_of(b)).unwrap_or_default();
    let (derived, bases): (Vec<String>, Vec<String>) = blocks.into_iter().partition(|b| {
        b.lines().next().is_some_and(|l| l.contains(" is "))
    });
    (main, preamble + &bases.concat() + &derived.concat())
}

/// Reads a reference ABI: a JSON ABI, a `{ "abi": [...] }` artifact, or a list of
/// human-readable signatures (the diamond facets' files).
fn load_reference(path: &Path) -> Result<JsonAbi> {
    let value: serde_json::Value = serde_json::from_str(&fs::read_to_string(path)?)?;
    let items = match value {
        serde_json::Value::Object(mut o) => o.remove("abi").ok_or_else(|| anyhow!("no abi key in {}", path.display()))?,
        v => v,
    };
    if items.as_array().is_some_and(|a| a.iter().all(|i| i.is_string())) {
        let strings: Vec<String> = serde_json::from_value(items)?;
        return JsonAbi::parse(strings.iter().map(String::as_str))
            .map_err(|e| anyhow!("parsing {}: {e}", path.display()));
    }
    Ok(serde_json::from_value(items)?)
}

/// Differences between the reference and our ABI, one line each; empty when all match.
fn compare(reference: &JsonAbi, ours: &JsonAbi, omitted: &[(&str, &str)]) -> Vec<String> {
    let mut report = Vec::new();
    let our_fns: BTreeMap<String, _> = ours.functions().map(|f| (f.signature(), f)).collect();
    for f in reference.functions() {
        let sig = f.signature();
        if omitted.iter().any(|(s, _)| *s == sig) {
            continue;
        }
        match our_fns.get(&sig) {
            None => report.push(format!("missing function {sig}")),
            Some(o) => {
                let outs = |x: &alloy_json_abi::Function| x.outputs.iter().map(|p| p.selector_type().into_owned()).collect::<Vec<_>>();
                if outs(f) != outs(o) {
                    report.push(format!("function {sig}: outputs {:?}, reference {:?}", outs(o), outs(f)));
                }
                if f.state_mutability != o.state_mutability {
                    report.push(format!("function {sig}: {:?}, reference {:?}", o.state_mutability, f.state_mutability));
                }
            }
        }
    }
    let our_events: BTreeMap<String, _> = ours.events().map(|e| (e.signature(), e)).collect();
    for e in reference.events() {
        let sig = e.signature();
        // Event signatures are `Name(types)` like functions' (alloy's `signature()` of an
        // event is its full selector preimage).
        if omitted.iter().any(|(s, _)| *s == sig) {
            continue;
        }
        match our_events.get(&sig) {
            None => report.push(format!("missing event {sig}")),
            Some(o) => {
                let idx = |x: &alloy_json_abi::Event| x.inputs.iter().map(|p| p.indexed).collect::<Vec<_>>();
                if idx(e) != idx(o) || e.anonymous != o.anonymous {
                    report.push(format!("event {sig}: indexed {:?}, reference {:?}", idx(o), idx(e)));
                }
            }
        }
    }
    if reference.fallback.is_some() && ours.fallback.map(|f| f.state_mutability) != reference.fallback.map(|f| f.state_mutability) {
        report.push("missing or different fallback()".into());
    }
    if reference.receive.is_some() && ours.receive.map(|r| r.state_mutability) != reference.receive.map(|r| r.state_mutability) {
        report.push("missing or different receive()".into());
    }
    let our_errors: Vec<String> = ours.errors().map(|e| e.signature()).collect();
    for e in reference.errors() {
        if !our_errors.contains(&e.signature()) {
            report.push(format!("missing error {}", e.signature()));
        }
    }
    report
}
