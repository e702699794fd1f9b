//! The foundation contracts, deployed as WASM on the devnet and driven through their exported
//! ABI: RLC, the registries and their entry proxies, and the hub's deployment itself.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

use alloy::{
    primitives::{Address, Bytes, B256, U256},
    providers::Provider,
};
use poco_e2e::{
    account, address,
    bindings::{IApp, IAppRegistry, IRlc, IWorkerpool, IWorkerpoolRegistry},
    foundation, provider,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rlc_is_deployed_with_its_supply_and_transfers() {
    let net = foundation().await.unwrap();
    let owner = provider(net.addr, account(0).unwrap()).unwrap();
    let rlc = IRlc::new(net.poco.rlc, &owner);
    assert_eq!(rlc.name().call().await.unwrap(), "iEx.ec Network Token");
    assert_eq!(rlc.decimals().call().await.unwrap(), 9);
    let supply = U256::from(87_000_000u64) * U256::from(1_000_000_000u64);
    assert_eq!(rlc.balanceOf(address(0).unwrap()).call().await.unwrap(), supply);

    let bob = address(1).unwrap();
    let receipt = rlc.transfer(bob, U256::from(42)).send().await.unwrap().get_receipt().await.unwrap();
    assert!(receipt.status());
    assert!(receipt.gas_used > 21_000);
    assert_eq!(rlc.balanceOf(bob).call().await.unwrap(), U256::from(42));

    // A failing transfer reverts with its reason and changes nothing.
    let poor = provider(net.addr, account(2).unwrap()).unwrap();
    let err = IRlc::new(net.poco.rlc, &poor).transfer(bob, U256::from(1)).send().await.unwrap_err();
    assert!(err.to_string().contains("ERC20: transfer amount exceeds balance"), "{err}");
    assert_eq!(rlc.balanceOf(bob).call().await.unwrap(), U256::from(42));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registry_entries_are_minimal_proxies_owned_through_the_nft() {
    let net = foundation().await.unwrap();
    let owner = provider(net.addr, account(0).unwrap()).unwrap();
    let alice = address(1).unwrap();
    let registry = IAppRegistry::new(net.poco.app_registry, &owner);
    let args = (
        alice,
        "my-app".to_string(),
        "DOCKER".to_string(),
        Bytes::from_static(b"registry/app:1.0"),
        B256::repeat_byte(0x11),
        Bytes::new(),
    );
    let predicted = registry
        .predictApp(args.0, args.1.clone(), args.2.clone(), args.3.clone(), args.4, args.5.clone())
        .call()
        .await
        .unwrap();
    let receipt = registry
        .createApp(args.0, args.1.clone(), args.2.clone(), args.3.clone(), args.4, args.5.clone())
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(receipt.status());
    println!("createApp gasUsed = {}", receipt.gas_used);

    // The entry is a 45-byte EIP-1167 proxy at the predicted CREATE2 address.
    let code = owner.get_code_at(predicted).await.unwrap();
    assert_eq!(code.len(), 45);
    assert!(registry.isRegistered(predicted).call().await.unwrap());
    let app = IApp::new(predicted, &owner);
    assert_eq!(app.m_appName().call().await.unwrap(), "my-app");
    assert_eq!(app.owner().call().await.unwrap(), alice);
    assert_eq!(app.registry().call().await.unwrap(), net.poco.app_registry);

    // Moving the NFT moves the ownership of the app.
    let alice_p = provider(net.addr, account(1).unwrap()).unwrap();
    let bob = address(2).unwrap();
    let token_id = U256::from_be_slice(predicted.as_slice());
    IAppRegistry::new(net.poco.app_registry, &alice_p)
        .transferFrom(alice, bob, token_id)
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert_eq!(app.owner().call().await.unwrap(), bob);

    // The same arguments cannot create a second entry.
    let again = registry.createApp(args.0, args.1, args.2, args.3, args.4, args.5).send().await;
    assert!(again.unwrap_err().to_string().contains("Create2: Failed on deploy"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workerpool_policy_changes_through_its_proxy() {
    let net = foundation().await.unwrap();
    let owner = provider(net.addr, account(0).unwrap()).unwrap();
    let registry = IWorkerpoolRegistry::new(net.poco.workerpool_registry, &owner);
    let scheduler = address(0).unwrap();
    let pool: Address = registry.predictWorkerpool(scheduler, "pool".into()).call().await.unwrap();
    registry.createWorkerpool(scheduler, "pool".into()).send().await.unwrap().get_receipt().await.unwrap();
    let wp = IWorkerpool::new(pool, &owner);
    assert_eq!(wp.m_workerStakeRatioPolicy().call().await.unwrap(), U256::from(30));
    assert_eq!(wp.m_schedulerRewardRatioPolicy().call().await.unwrap(), U256::from(1));
    wp.changePolicy(U256::from(40), U256::from(5)).send().await.unwrap().get_receipt().await.unwrap();
    assert_eq!(wp.m_workerStakeRatioPolicy().call().await.unwrap(), U256::from(40));
    // A scheduler ratio above 100 is a bare revert.
    assert!(wp.changePolicy(U256::from(40), U256::from(101)).send().await.is_err());
    assert_eq!(wp.m_schedulerRewardRatioPolicy().call().await.unwrap(), U256::from(5));
}
