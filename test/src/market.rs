//! A ready marketplace on the devnet: the actors, their registered assets, SRLC deposited
//! into the hub, and EIP-712 orders signed with the actors' real keys — what the matching
//! scenarios start from.

use alloy::{
    network::{Ethereum, TransactionBuilder},
    primitives::{Address, Bytes, B256, U256},
    providers::{DynProvider, PendingTransactionBuilder, Provider},
    rpc::types::{TransactionReceipt, TransactionRequest},
    signers::local::PrivateKeySigner,
};
use anyhow::{ensure, Context, Result};
use poco_client::orders::{sign_hash, sign_order, PocoOrder};
use poco_core::{
    eip712::domain_separator,
    orders::{matchOrdersCall, AppOrder, DatasetOrder, RequestOrder, WorkerpoolOrder},
};

use crate::{
    account,
    bindings::{IAppRegistry, IDatasetRegistry, IRlc, IWorkerpoolRegistry},
    provider, Network,
};

/// The dev accounts playing each role: 0 deploys and owns the protocol.
pub struct Actors {
    /// Buys computation (account 1).
    pub requester: PrivateKeySigner,
    /// Owns the app (account 2).
    pub app_dev: PrivateKeySigner,
    /// Owns the dataset (account 3).
    pub dataset_owner: PrivateKeySigner,
    /// Owns the workerpool (account 4).
    pub scheduler: PrivateKeySigner,
}

impl Actors {
    /// Accounts 1–4 of the dev mnemonic.
    pub fn new() -> Result<Self> {
        Ok(Self {
            requester: account(1)?,
            app_dev: account(2)?,
            dataset_owner: account(3)?,
            scheduler: account(4)?,
        })
    }

    /// Every actor, in account order.
    pub fn all(&self) -> [&PrivateKeySigner; 4] {
        [&self.requester, &self.app_dev, &self.dataset_owner, &self.scheduler]
    }
}

/// The registered assets of a market.
#[derive(Clone, Copy, Debug)]
pub struct Assets {
    /// App owned by `app_dev`.
    pub app: Address,
    /// Dataset owned by `dataset_owner`.
    pub dataset: Address,
    /// Workerpool owned by `scheduler`.
    pub pool: Address,
}

/// Waits for the receipt of a sent transaction and fails unless it succeeded.
pub async fn confirm(
    what: &str,
    sent: Result<PendingTransactionBuilder<Ethereum>, alloy::contract::Error>,
) -> Result<TransactionReceipt> {
    let receipt = sent.with_context(|| format!("sending {what}"))?.get_receipt().await?;
    ensure!(receipt.status(), "{what} reverted");
    Ok(receipt)
}

/// Registers an app, a dataset and a workerpool, and sends `rlc` RLC to every actor.
pub async fn register_assets(net: &Network, actors: &Actors, rlc: U256) -> Result<Assets> {
    let owner = provider(net.addr, account(0)?)?;
    let apps = IAppRegistry::new(net.poco.app_registry, &owner);
    let (app_owner, name, kind, image, checksum) =
        (actors.app_dev.address(), "app".to_string(), "DOCKER".to_string(), Bytes::from_static(b"img"), B256::ZERO);
    let app = apps
        .predictApp(app_owner, name.clone(), kind.clone(), image.clone(), checksum, Bytes::new())
        .call()
        .await?;
    confirm("createApp", apps.createApp(app_owner, name, kind, image, checksum, Bytes::new()).send().await).await?;

    let datasets = IDatasetRegistry::new(net.poco.dataset_registry, &owner);
    let (ds_owner, ds_name, ds_uri) = (actors.dataset_owner.address(), "data".to_string(), Bytes::from_static(b"ipfs://x"));
    let dataset = datasets.predictDataset(ds_owner, ds_name.clone(), ds_uri.clone(), B256::ZERO).call().await?;
    confirm("createDataset", datasets.createDataset(ds_owner, ds_name, ds_uri, B256::ZERO).send().await).await?;

    let pools = IWorkerpoolRegistry::new(net.poco.workerpool_registry, &owner);
    let pool = pools.predictWorkerpool(actors.scheduler.address(), "pool".into()).call().await?;
    confirm("createWorkerpool", pools.createWorkerpool(actors.scheduler.address(), "pool".into()).send().await).await?;

    let token = IRlc::new(net.poco.rlc, &owner);
    for who in actors.all() {
        confirm("RLC transfer", token.transfer(who.address(), rlc).send().await).await?;
    }
    Ok(Assets { app, dataset, pool })
}

/// Deposits `amount` of `who`'s RLC into the hub in one transaction: RLC `approveAndCall`,
/// whose `receiveApproval` on the hub pulls the RLC back with `transferFrom`.
pub async fn deposit(net: &Network, who: &PrivateKeySigner, amount: U256) -> Result<TransactionReceipt> {
    let p = provider(net.addr, who.clone())?;
    confirm("approveAndCall deposit", IRlc::new(net.poco.rlc, &p).approveAndCall(net.poco.hub, amount, Bytes::new()).send().await).await
}

/// What a deal is: prices per task, volume, whether it uses the dataset, and the request's
/// trust, tag, category, callback and params.
#[derive(Clone, Debug)]
pub struct DealTerms {
    /// App price per task.
    pub app_price: u64,
    /// Dataset price per task (ignored without a dataset).
    pub dataset_price: u64,
    /// Workerpool price per task.
    pub pool_price: u64,
    /// Tasks in the deal (every order offers exactly this volume).
    pub volume: u64,
    /// Whether the deal uses the dataset.
    pub with_dataset: bool,
    /// Salt of every order, making each set of orders distinct.
    pub salt: B256,
    /// The request's trust; the workerpool order offers the same.
    pub trust: u64,
    /// The request's tag; the app and workerpool orders carry it too (a TEE request needs a
    /// TEE app, and the workerpool must offer every requested bit).
    pub tag: B256,
    /// Category of the request and the workerpool order.
    pub category: u64,
    /// The request's result callback contract (zero: none).
    pub callback: Address,
    /// The request's `params`.
    pub params: String,
}

impl DealTerms {
    /// The reference inputs of PoCo's gas scenarios (issue 8): app 1, dataset 1, workerpool
    /// 5 nRLC, category 0, volume 1, trust 1, no tag, no callback, the 110-byte `params` of
    /// iExec's Arbitrum result storage.
    pub fn reference() -> Self {
        Self {
            app_price: 1,
            dataset_price: 1,
            pool_price: 5,
            volume: 1,
            with_dataset: true,
            salt: B256::ZERO,
            trust: 1,
            tag: B256::ZERO,
            category: 0,
            callback: Address::ZERO,
            params: crate::lifecycle::REFERENCE_PARAMS.into(),
        }
    }
}

/// `signer`'s 65-byte ECDSA signature of `hash` (an order's EIP-712 typed-data hash), as
/// `poco_client::orders::sign_hash` makes it.
pub fn sign(signer: &PrivateKeySigner, hash: B256) -> Bytes {
    // A local key signs any 32-byte hash; failure would be a bug of the signer library.
    #[allow(clippy::expect_used)]
    sign_hash(signer, hash).expect("local signing")
}

/// Signs `order` with poco-client's order signing (the CLI's).
fn sign_with<O: PocoOrder>(order: &mut O, signer: &PrivateKeySigner, separator: &B256) {
    // As `sign`: a local key signs any hash.
    #[allow(clippy::expect_used)]
    sign_order(order, signer, separator).expect("local signing");
}

/// The four orders of `terms`, each signed by its owner, as a `matchOrders` call.
pub fn signed_orders(actors: &Actors, assets: &Assets, chain_id: u64, hub: Address, terms: &DealTerms) -> matchOrdersCall {
    let separator = domain_separator(chain_id, &hub);
    let volume = U256::from(terms.volume);
    let (dataset, dataset_price) =
        if terms.with_dataset { (assets.dataset, U256::from(terms.dataset_price)) } else { (Address::ZERO, U256::ZERO) };
    let mut app_order = AppOrder {
        app: assets.app,
        appprice: U256::from(terms.app_price),
        volume,
        tag: terms.tag,
        salt: terms.salt,
        ..Default::default()
    };
    sign_with(&mut app_order, &actors.app_dev, &separator);
    let mut dataset_order = DatasetOrder::default();
    if terms.with_dataset {
        dataset_order = DatasetOrder { dataset, datasetprice: dataset_price, volume, salt: terms.salt, ..Default::default() };
        sign_with(&mut dataset_order, &actors.dataset_owner, &separator);
    }
    let mut pool_order = WorkerpoolOrder {
        workerpool: assets.pool,
        workerpoolprice: U256::from(terms.pool_price),
        volume,
        tag: terms.tag,
        category: U256::from(terms.category),
        trust: U256::from(terms.trust),
        salt: terms.salt,
        ..Default::default()
    };
    sign_with(&mut pool_order, &actors.scheduler, &separator);
    let mut request = RequestOrder {
        app: assets.app,
        appmaxprice: U256::from(terms.app_price),
        dataset,
        datasetmaxprice: dataset_price,
        workerpoolmaxprice: U256::from(terms.pool_price),
        requester: actors.requester.address(),
        volume,
        beneficiary: actors.requester.address(),
        callback: terms.callback,
        params: terms.params.clone(),
        category: U256::from(terms.category),
        trust: U256::from(terms.trust),
        tag: terms.tag,
        salt: terms.salt,
        ..Default::default()
    };
    sign_with(&mut request, &actors.requester, &separator);
    matchOrdersCall { _0: app_order, _1: dataset_order, _2: pool_order, _3: request }
}

/// Sends `matchOrders` as `from`; returns the receipt, or the node's error (a revert's reason
/// is in its text).
pub async fn match_orders(p: &DynProvider, hub: Address, call: &matchOrdersCall) -> Result<TransactionReceipt> {
    use alloy::sol_types::SolCall;
    let tx = TransactionRequest::default().with_to(hub).with_input(call.abi_encode());
    let receipt = p.send_transaction(tx).await?.get_receipt().await?;
    ensure!(receipt.status(), "matchOrders reverted");
    Ok(receipt)
}
