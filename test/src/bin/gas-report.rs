//! Gas report of the protocol's hot paths on the devnet, printed as a table: deploys
//! everything from this tree's build outputs (`cargo xtask wasm` first), registers assets,
//! deposits with `approveAndCall`, matches orders, and prints each transaction's `gasUsed`
//! with its ratio to Solidity PoCo's figure for the same work, then the entry gas each Stylus
//! program pays per call (what `ArbWasm.programInitGas` reports for it).
//!
//! `cargo run -p poco-e2e --bin gas-report` (scripts/test runs it). The Solidity figures are
//! the references the project's issues give (matchOrders with a dataset ~909k, createApp
//! ~625k); the devnet's Stylus pricing is a model of nitro's (devnet/README.md).

use alloy::{
    network::TransactionBuilder,
    primitives::{Address, Bytes, B256, U256},
    providers::Provider,
    rpc::types::TransactionRequest,
    sol_types::SolCall,
};
use anyhow::{Context, Result};
use poco_devnet::stylus::arbwasm::{ArbWasm, ARB_WASM};
use poco_e2e::{
    account,
    bindings::IAppRegistry,
    market::{confirm, deposit, match_orders, register_assets, signed_orders, Actors, DealTerms},
    network, provider,
};

/// Solidity PoCo's gas for the same transactions (iExec's published measurements).
const SOLIDITY_MATCH_ORDERS: u64 = 909_000;
const SOLIDITY_CREATE_APP: u64 = 625_000;

fn row(what: &str, gas: u64, solidity: Option<u64>) {
    match solidity {
        Some(s) => println!("{what:<44} {gas:>9}   {:>5.2} × Solidity (~{s})", gas as f64 / s as f64),
        None => println!("{what:<44} {gas:>9}"),
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let net = network().await.context("deploying the protocol on a devnet")?;
    let owner = provider(net.addr, account(0)?)?;
    let actors = Actors::new()?;
    let assets = register_assets(&net, &actors, U256::from(1_000_000_000_000u64)).await?;

    println!("{:<44} {:>9}", "transaction", "gasUsed");
    // One more app, to measure createApp alone.
    let apps = IAppRegistry::new(net.poco.app_registry, &owner);
    let created = confirm(
        "createApp",
        apps.createApp(actors.app_dev.address(), "app-2".into(), "DOCKER".into(), Bytes::from_static(b"img"), B256::ZERO, Bytes::new())
            .send()
            .await,
    )
    .await?;
    row("createApp", created.gas_used, Some(SOLIDITY_CREATE_APP));
    for (who, label) in [(&actors.requester, "deposit (RLC approveAndCall), first"), (&actors.scheduler, "deposit (RLC approveAndCall), second")] {
        let receipt = deposit(&net, who, U256::from(500_000_000_000u64)).await?;
        row(label, receipt.gas_used, None);
    }
    let requester = provider(net.addr, actors.requester.clone())?;
    let chain_id = requester.get_chain_id().await?;
    for (with_dataset, label) in [(true, "matchOrders, with dataset, volume 4"), (false, "matchOrders, without dataset, volume 4")] {
        let terms = DealTerms {
            app_price: 3,
            dataset_price: 2,
            pool_price: 10,
            volume: 4,
            with_dataset,
            salt: B256::with_last_byte(u8::from(with_dataset)),
        };
        let call = signed_orders(&actors, &assets, chain_id, net.poco.hub, &terms);
        let receipt = match_orders(&requester, net.poco.hub, &call).await?;
        row(label, receipt.gas_used, with_dataset.then_some(SOLIDITY_MATCH_ORDERS));
    }

    println!();
    println!("{:<44} {:>9}", "Stylus program (entry gas per uncached call)", "gas");
    let mut programs: Vec<(String, Address)> = vec![
        ("rlc".into(), net.poco.rlc),
        ("app-registry".into(), net.poco.app_registry),
        ("dataset-registry".into(), net.poco.dataset_registry),
        ("workerpool-registry".into(), net.poco.workerpool_registry),
        ("app (entry program)".into(), net.poco.app_master),
        ("dataset (entry program)".into(), net.poco.dataset_master),
        ("workerpool (entry program)".into(), net.poco.workerpool_master),
        ("hub-router".into(), net.poco.hub),
    ];
    programs.extend(net.poco.facets.iter().map(|(name, address)| (name.clone(), *address)));
    for (name, program) in programs {
        let input = ArbWasm::programInitGasCall { program }.abi_encode();
        let out = owner.call(TransactionRequest::default().with_to(ARB_WASM).with_input(input)).await?;
        let init = ArbWasm::programInitGasCall::abi_decode_returns(&out).context("programInitGas")?;
        row(&name, init.gas, None);
    }
    Ok(())
}
