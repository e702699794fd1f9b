//! PoCo v6.2's deposit-and-match in one transaction, end to end on the devnet: RLC
//! `approveAndCall(hub, amount, matchOrders calldata)` → the hub's `receiveApproval` → RLC
//! `transferFrom` (the deposit) → `delegatecall` of `matchOrders` on the hub itself, all on
//! the deployed WASM. A match that fails takes the whole transaction down: the RLC stays
//! with the requester, no SRLC is minted, nothing is consumed or recorded (issue 9). The same
//! orders then match; so do orders whose `params` are not UTF-8 (issue 9, item 5).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

use alloy::{
    primitives::{Bytes, B256, U256},
    providers::{DynProvider, Provider},
    signers::local::PrivateKeySigner,
    sol_types::{Revert, SolCall, SolError, SolEvent},
};
use poco_core::{
    eip712::{domain_separator, request_order_struct_hash, typed_data_hash, PocoStructHash},
    ids::deal_id,
    orders::matchOrdersCall,
};
use poco_e2e::{
    bindings::{IEscrow, IHub, IRlc},
    market::{deposit, register_assets, sign, signed_orders, Actors, Assets, DealTerms},
    network, provider, Network,
};
use poco_facet_matching::OrdersMatched;

/// What `OrdersMatched` said: deal id, request order hash, volume.
#[derive(Debug, PartialEq, Eq)]
struct Matched {
    dealid: B256,
    request_hash: B256,
    volume: U256,
}

/// What a failed `approveAndCall` must leave untouched.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    requester_rlc: U256,
    hub_rlc: U256,
    allowance: U256,
    requester_srlc: (U256, U256),
    scheduler_srlc: (U256, U256),
    srlc_supply: U256,
    consumed: U256,
    deal_size: U256,
}

struct Market {
    net: Network,
    actors: Actors,
    assets: Assets,
    chain_id: u64,
    separator: B256,
    view: DynProvider,
}

impl Market {
    /// A deployed protocol, registered assets, RLC for every actor, and the scheduler's
    /// stake deposited (the requester deposits through `approveAndCall` only).
    async fn new() -> Self {
        let net = network().await.unwrap();
        let actors = Actors::new().unwrap();
        let assets = register_assets(&net, &actors, U256::from(1_000_000u64)).await.unwrap();
        deposit(&net, &actors.scheduler, U256::from(100_000u64)).await.unwrap();
        let view = provider(net.addr, actors.requester.clone()).unwrap();
        let chain_id = view.get_chain_id().await.unwrap();
        let separator = domain_separator(chain_id, &net.poco.hub);
        Self { net, actors, assets, chain_id, separator, view }
    }

    /// The four signed orders of `terms`.
    fn orders(&self, terms: &DealTerms) -> matchOrdersCall {
        signed_orders(&self.actors, &self.assets, self.chain_id, self.net.poco.hub, terms)
    }

    /// `who` calls RLC `approveAndCall(hub, amount, data)`: the receipt, or the revert data.
    async fn approve_and_call(&self, who: &PrivateKeySigner, amount: u64, data: Vec<u8>) -> Result<Matched, Vec<u8>> {
        let p = provider(self.net.addr, who.clone()).unwrap();
        let sent = IRlc::new(self.net.poco.rlc, &p).approveAndCall(self.net.poco.hub, U256::from(amount), Bytes::from(data)).send().await;
        let pending = match sent {
            Ok(pending) => pending,
            Err(e) => return Err(e.as_revert_data().map(|d| d.to_vec()).unwrap_or_else(|| panic!("no revert data: {e}"))),
        };
        let receipt = pending.get_receipt().await.unwrap();
        assert!(receipt.status(), "approveAndCall reverted without an estimate error");
        println!("approveAndCall(deposit + matchOrders) gasUsed = {}", receipt.gas_used);
        let m = receipt.inner.logs().iter().find_map(|l| OrdersMatched::decode_log_data(l.data()).ok()).expect("OrdersMatched");
        Ok(Matched { dealid: m.dealid, request_hash: m.requestHash, volume: m.volume })
    }

    async fn snapshot(&self, request_hash: B256) -> Snapshot {
        let (rlc, hub) = (IRlc::new(self.net.poco.rlc, &self.view), IHub::new(self.net.poco.hub, &self.view));
        let (requester, scheduler) = (self.actors.requester.address(), self.actors.scheduler.address());
        Snapshot {
            requester_rlc: rlc.balanceOf(requester).call().await.unwrap(),
            hub_rlc: rlc.balanceOf(self.net.poco.hub).call().await.unwrap(),
            allowance: rlc.allowance(requester, self.net.poco.hub).call().await.unwrap(),
            requester_srlc: (hub.balanceOf(requester).call().await.unwrap(), hub.frozenOf(requester).call().await.unwrap()),
            scheduler_srlc: (hub.balanceOf(scheduler).call().await.unwrap(), hub.frozenOf(scheduler).call().await.unwrap()),
            srlc_supply: hub.totalSupply().call().await.unwrap(),
            consumed: hub.viewConsumed(request_hash).call().await.unwrap(),
            deal_size: hub.viewDeal(deal_id(&request_hash, &U256::ZERO)).call().await.unwrap().botSize,
        }
    }
}

/// Deal terms of these scenarios: app 3, dataset 2, workerpool 10 nRLC per task, 4 tasks;
/// the requester pays (3 + 2 + 10) × 4 = 60 and the scheduler locks (10 × 30 / 100) × 4 = 12.
fn terms() -> DealTerms {
    DealTerms { app_price: 3, dataset_price: 2, pool_price: 10, volume: 4, ..DealTerms::reference() }
}
const PAYMENT: u64 = 60;
const POOL_STAKE: u64 = 12;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approve_and_call_deposits_and_matches_atomically() {
    let m = Market::new().await;
    let call = m.orders(&terms());
    let request_hash = call._3.typed_data_hash(&m.separator);
    let before = m.snapshot(request_hash).await;
    assert_eq!(before.allowance, U256::ZERO);
    assert_eq!(before.requester_srlc, (U256::ZERO, U256::ZERO));

    // 1. The deposit does not cover the deal: matchOrders' lock reverts inside the
    //    delegatecall, its reason bubbles up through receiveApproval and approveAndCall.
    let refused = m.approve_and_call(&m.actors.requester, PAYMENT - 1, call.abi_encode()).await;
    assert_eq!(refused.unwrap_err(), Revert::from("IexecEscrow: Transfer amount exceeds balance").abi_encode());
    assert_eq!(m.snapshot(request_hash).await, before);

    // 2. Someone else's request order: refused before the match.
    let refused = m.approve_and_call(&m.actors.scheduler, PAYMENT, call.abi_encode()).await;
    assert_eq!(refused.unwrap_err(), IEscrow::CallerIsNotTheRequester {}.abi_encode());
    assert_eq!(m.snapshot(request_hash).await, before);

    // 3. A price above uint96 reaches the lock as in PoCo (issue 9, item 4): the same
    //    "exceeds balance" revert, not a panic of the packed deal record.
    let mut dear = call.clone();
    dear._0.appprice = U256::from(1) << 96;
    dear._0.sign = sign(&m.actors.app_dev, dear._0.typed_data_hash(&m.separator));
    dear._3.appmaxprice = U256::from(1) << 96;
    dear._3.sign = sign(&m.actors.requester, dear._3.typed_data_hash(&m.separator));
    let dear_hash = dear._3.typed_data_hash(&m.separator);
    let dear_before = m.snapshot(dear_hash).await;
    let refused = m.approve_and_call(&m.actors.requester, 1_000, dear.abi_encode()).await;
    assert_eq!(refused.unwrap_err(), Revert::from("IexecEscrow: Transfer amount exceeds balance").abi_encode());
    assert_eq!(m.snapshot(dear_hash).await, dear_before);

    // 4. Enough: deposit and match in one transaction.
    let matched = m.approve_and_call(&m.actors.requester, PAYMENT, call.abi_encode()).await.unwrap();
    assert_eq!((matched.dealid, matched.volume), (deal_id(&request_hash, &U256::ZERO), U256::from(4)));
    let after = m.snapshot(request_hash).await;
    assert_eq!(after.requester_rlc, before.requester_rlc - U256::from(PAYMENT));
    assert_eq!(after.hub_rlc, before.hub_rlc + U256::from(PAYMENT));
    assert_eq!(after.allowance, U256::ZERO); // the hub pulled all of it
    assert_eq!(after.requester_srlc, (U256::ZERO, U256::from(PAYMENT)));
    let (free, locked) = before.scheduler_srlc;
    assert_eq!(after.scheduler_srlc, (free - U256::from(POOL_STAKE), locked + U256::from(POOL_STAKE)));
    assert_eq!(after.srlc_supply, before.srlc_supply + U256::from(PAYMENT));
    assert_eq!((after.consumed, after.deal_size), (U256::from(4), U256::from(4)));
    let deal = IHub::new(m.net.poco.hub, &m.view).viewDeal(matched.dealid).call().await.unwrap();
    assert_eq!((deal.requester, deal.sponsor), (m.actors.requester.address(), m.actors.requester.address()));
}

/// A request whose `params` are not UTF-8, signed over the raw bytes, deposits and matches
/// through `approveAndCall` as in PoCo: `receiveApproval` decodes it, `matchOrders` hashes
/// and consumes it under the raw bytes' hash (issue 9, items 5 and 6).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approve_and_call_matches_a_request_with_non_utf8_params() {
    const MARK: &str = "params-not-utf8-xyz";
    let m = Market::new().await;
    let mut call = m.orders(&DealTerms { params: MARK.into(), ..terms() });
    let mut raw = MARK.as_bytes().to_vec();
    raw[0] = 0xff;
    let request_hash = typed_data_hash(&m.separator, &request_order_struct_hash(&call._3, &raw));
    call._3.sign = sign(&m.actors.requester, request_hash);
    let mut data = call.abi_encode();
    let at = data.windows(MARK.len()).position(|w| w == MARK.as_bytes()).unwrap();
    data[at] = 0xff;
    let before = m.snapshot(request_hash).await;
    let matched = m.approve_and_call(&m.actors.requester, PAYMENT, data).await.unwrap();
    assert_eq!(matched.dealid, deal_id(&request_hash, &U256::ZERO));
    assert_eq!(matched.request_hash, request_hash);
    let after = m.snapshot(request_hash).await;
    assert_eq!((after.consumed, after.deal_size), (U256::from(4), U256::from(4)));
    assert_eq!(after.requester_srlc, (U256::ZERO, U256::from(PAYMENT)));
    assert_eq!(after.requester_rlc, before.requester_rlc - U256::from(PAYMENT));
}
