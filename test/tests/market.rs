//! The marketplace end to end on the devnet: assets registered, RLC deposited into the hub
//! through `approveAndCall`, orders signed with EIP-712 (poco-core's hashes, real secp256k1
//! signatures) and matched by `matchOrders` on the deployed WASM; prints its gas.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

use alloy::{
    primitives::U256,
    providers::Provider,
    sol_types::SolEvent,
};
use poco_core::eip712::{domain_separator, PocoStructHash};
use poco_e2e::{
    bindings::IHub,
    market::{deposit, match_orders, register_assets, sign, signed_orders, Actors, DealTerms},
    network, provider,
};
use poco_facet_matching::OrdersMatched;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn match_orders_with_dataset_creates_the_deal_and_locks_funds() {
    let net = network().await.unwrap();
    let a = Actors::new().unwrap();
    let assets = register_assets(&net, &a, U256::from(1_000_000_000_000u64)).await.unwrap();
    for who in [&a.requester, &a.scheduler] {
        let receipt = deposit(&net, who, U256::from(500_000_000_000u64)).await.unwrap();
        println!("approveAndCall(deposit) gasUsed = {}", receipt.gas_used);
    }
    let requester_p = provider(net.addr, a.requester.clone()).unwrap();
    let hub = IHub::new(net.poco.hub, &requester_p);
    assert_eq!(hub.balanceOf(a.requester.address()).call().await.unwrap(), U256::from(500_000_000_000u64));

    let chain_id = requester_p.get_chain_id().await.unwrap();
    let separator = domain_separator(chain_id, &net.poco.hub);
    assert_eq!(hub.eip712domain_separator().call().await.unwrap(), separator);

    let terms = DealTerms { app_price: 3, dataset_price: 2, pool_price: 10, volume: 10, ..DealTerms::reference() };
    let mut call = signed_orders(&a, &assets, chain_id, net.poco.hub, &terms);
    // The requester asks for 4 of the 10 tasks the other orders offer.
    call._3.volume = U256::from(4);
    call._3.sign = sign(&a.requester, call._3.typed_data_hash(&separator));
    let receipt = match_orders(&requester_p, net.poco.hub, &call).await.unwrap();
    println!("matchOrders (with dataset, volume 4) gasUsed = {}", receipt.gas_used);

    let matched = receipt
        .inner
        .logs()
        .iter()
        .find_map(|l| OrdersMatched::decode_log_data(l.data()).ok())
        .expect("OrdersMatched");
    assert_eq!(matched.volume, U256::from(4));
    let deal = hub.viewDeal(matched.dealid).call().await.unwrap();
    assert_eq!(deal.app.owner, a.app_dev.address());
    assert_eq!(deal.botSize, U256::from(4));
    // Requester locked (3 + 2 + 10) × 4; scheduler locked (10 × 30 / 100) × 4.
    assert_eq!(hub.frozenOf(a.requester.address()).call().await.unwrap(), U256::from(60));
    assert_eq!(hub.frozenOf(a.scheduler.address()).call().await.unwrap(), U256::from(12));
    assert_eq!(hub.viewConsumed(call._3.typed_data_hash(&separator)).call().await.unwrap(), U256::from(4));

    // Replaying the fully consumed request order fails with PoCo's reason.
    let again = match_orders(&requester_p, net.poco.hub, &call).await;
    assert!(again.unwrap_err().to_string().contains("iExecV5-matchOrders-0x60"));
}
