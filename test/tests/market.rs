//! The marketplace end to end on the devnet: assets registered, RLC deposited into the hub
//! through `approveAndCall`, orders signed with EIP-712 (poco-core's hashes, real secp256k1
//! signatures) and matched by `matchOrders` on the deployed WASM; prints its gas.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

use alloy::{
    primitives::{Address, Bytes, B256, U256},
    providers::Provider,
    signers::{local::PrivateKeySigner, SignerSync},
    sol,
    network::TransactionBuilder,
    rpc::types::TransactionRequest,
    sol_types::{SolCall, SolEvent},
};
use poco_core::{
    eip712::{domain_separator, PocoStructHash},
    orders::{matchOrdersCall, AppOrder, DatasetOrder, RequestOrder, WorkerpoolOrder},
};
use poco_e2e::{account, network, provider, Network};
use poco_facet_matching::OrdersMatched;

// The hub's views, from the accessors facet's exported ABI. (alloy's binding generator
// cannot take abi/hub.json whole yet: the order tuples of the functions declared with `sol!`
// carry no internalType, and their anonymous tuple names overflow alloy's 256-byte limit.)
// Calls that take orders are encoded with poco-core's `*Call` types, their one definition.
sol!(
    #[sol(rpc)]
    IHub,
    "../abi/facet-accessors.json"
);

sol!(
    #[sol(rpc)]
    IRlc,
    "../abi/rlc.json"
);
sol!(
    #[sol(rpc)]
    IAppRegistry,
    "../abi/app-registry.json"
);
sol!(
    #[sol(rpc)]
    IDatasetRegistry,
    "../abi/dataset-registry.json"
);
sol!(
    #[sol(rpc)]
    IWorkerpoolRegistry,
    "../abi/workerpool-registry.json"
);

fn sign(signer: &PrivateKeySigner, hash: B256) -> Bytes {
    Bytes::from(signer.sign_hash_sync(&hash).expect("sign").as_bytes().to_vec())
}

/// The actors: 0 deployer/owner, 1 requester, 2 app developer, 3 dataset owner, 4 scheduler.
struct Actors {
    requester: PrivateKeySigner,
    app_dev: PrivateKeySigner,
    dataset_owner: PrivateKeySigner,
    scheduler: PrivateKeySigner,
}

fn actors() -> Actors {
    Actors {
        requester: account(1).unwrap(),
        app_dev: account(2).unwrap(),
        dataset_owner: account(3).unwrap(),
        scheduler: account(4).unwrap(),
    }
}

/// Sends a contract call, waits for its receipt and asserts success.
macro_rules! send_ok {
    ($what:expr, $call:expr) => {{
        let receipt = $call
            .send()
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", $what))
            .get_receipt()
            .await
            .unwrap();
        assert!(receipt.status(), "{} failed", $what);
        receipt
    }};
}

/// Registers an app, a dataset and a workerpool; gives requester and scheduler SRLC.
async fn market(net: &Network, a: &Actors) -> (Address, Address, Address) {
    let owner = provider(net.addr, account(0).unwrap()).unwrap();
    let apps = IAppRegistry::new(net.poco.app_registry, &owner);
    let app_args = (a.app_dev.address(), "app".to_string(), "DOCKER".to_string(), Bytes::from_static(b"img"), B256::ZERO, Bytes::new());
    let app = apps.predictApp(app_args.0, app_args.1.clone(), app_args.2.clone(), app_args.3.clone(), app_args.4, app_args.5.clone()).call().await.unwrap();
    send_ok!("createApp", apps.createApp(app_args.0, app_args.1, app_args.2, app_args.3, app_args.4, app_args.5));
    let datasets = IDatasetRegistry::new(net.poco.dataset_registry, &owner);
    let ds_args = (a.dataset_owner.address(), "data".to_string(), Bytes::from_static(b"ipfs://x"), B256::ZERO);
    let dataset = datasets.predictDataset(ds_args.0, ds_args.1.clone(), ds_args.2.clone(), ds_args.3).call().await.unwrap();
    send_ok!("createDataset", datasets.createDataset(ds_args.0, ds_args.1, ds_args.2, ds_args.3));
    let pools = IWorkerpoolRegistry::new(net.poco.workerpool_registry, &owner);
    let pool = pools.predictWorkerpool(a.scheduler.address(), "pool".into()).call().await.unwrap();
    send_ok!("createWorkerpool", pools.createWorkerpool(a.scheduler.address(), "pool".into()));

    // RLC → requester and scheduler, deposited into the hub with approveAndCall (which
    // re-enters RLC from the hub's receiveApproval: RLC.transferFrom).
    let rlc = IRlc::new(net.poco.rlc, &owner);
    for who in [&a.requester, &a.scheduler] {
        send_ok!("RLC transfer", rlc.transfer(who.address(), U256::from(1_000_000_000_000u64)));
        let p = provider(net.addr, who.clone()).unwrap();
        let receipt = send_ok!("approveAndCall deposit",
            IRlc::new(net.poco.rlc, &p).approveAndCall(net.poco.hub, U256::from(500_000_000_000u64), Bytes::new())
        );
        println!("approveAndCall(deposit) gasUsed = {}", receipt.gas_used);
    }
    (app, dataset, pool)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn match_orders_with_dataset_creates_the_deal_and_locks_funds() {
    let net = network().await.unwrap();
    let a = actors();
    let (app, dataset, pool) = market(&net, &a).await;
    let requester_p = provider(net.addr, a.requester.clone()).unwrap();
    let hub = IHub::new(net.poco.hub, &requester_p);
    assert_eq!(hub.balanceOf(a.requester.address()).call().await.unwrap(), U256::from(500_000_000_000u64));

    let chain_id = requester_p.get_chain_id().await.unwrap();
    let separator = domain_separator(chain_id, &net.poco.hub);
    assert_eq!(hub.eip712domain_separator().call().await.unwrap(), separator);

    let mut app_order = AppOrder { app, appprice: U256::from(3), volume: U256::from(10), ..Default::default() };
    app_order.sign = sign(&a.app_dev, app_order.typed_data_hash(&separator));
    let mut dataset_order =
        DatasetOrder { dataset, datasetprice: U256::from(2), volume: U256::from(10), ..Default::default() };
    dataset_order.sign = sign(&a.dataset_owner, dataset_order.typed_data_hash(&separator));
    let mut pool_order = WorkerpoolOrder {
        workerpool: pool,
        workerpoolprice: U256::from(10),
        volume: U256::from(10),
        category: U256::ZERO,
        trust: U256::ZERO,
        ..Default::default()
    };
    pool_order.sign = sign(&a.scheduler, pool_order.typed_data_hash(&separator));
    let mut request = RequestOrder {
        app,
        appmaxprice: U256::from(3),
        dataset,
        datasetmaxprice: U256::from(2),
        workerpool: Address::ZERO,
        workerpoolmaxprice: U256::from(10),
        requester: a.requester.address(),
        volume: U256::from(4),
        category: U256::ZERO,
        trust: U256::ZERO,
        beneficiary: a.requester.address(),
        params: "{\"iexec_args\":\"hello\"}".into(),
        ..Default::default()
    };
    request.sign = sign(&a.requester, request.typed_data_hash(&separator));

    let call = matchOrdersCall {
        _0: app_order.clone(),
        _1: dataset_order.clone(),
        _2: pool_order.clone(),
        _3: request.clone(),
    };
    let tx = TransactionRequest::default().with_to(net.poco.hub).with_input(call.abi_encode());
    let receipt = requester_p.send_transaction(tx.clone()).await.unwrap().get_receipt().await.unwrap();
    assert!(receipt.status(), "matchOrders failed");
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
    assert_eq!(hub.viewConsumed(request.typed_data_hash(&separator)).call().await.unwrap(), U256::from(4));

    // Replaying the fully consumed request order fails with PoCo's reason.
    let again = requester_p.send_transaction(tx).await;
    assert!(again.unwrap_err().to_string().contains("iExecV5-matchOrders-0x60"));
}
