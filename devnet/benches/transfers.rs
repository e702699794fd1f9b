//! Stylus ERC-20 throughput and gas: in-process and over JSON-RPC.
//!
//! `cargo bench -p poco-devnet --bench transfers [-- <in-process count> <rpc count>]`
//! Prints transfers per second both ways and the gasUsed of one transfer split into intrinsic,
//! program entry, WASM work, storage, logs and memory.
#![allow(missing_docs, clippy::expect_used, clippy::unwrap_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use alloy::eips::Encodable2718;
use alloy::network::{EthereumWallet, TransactionBuilder};
use alloy::primitives::{Address, U256};
use alloy::providers::{Provider, ProviderBuilder};
use alloy::rpc::types::TransactionRequest;
use alloy::signers::local::{coins_bip39::English, MnemonicBuilder};
use alloy::sol_types::SolCall;
use common::{token_wasm, IToken};
use poco_devnet::rpc::{serve, DevnetHandle};
use poco_devnet::{Devnet, DevnetConfig, TxRequest, DEV_MNEMONIC};

const TRANSFER_GAS: u64 = 300_000;

fn transfer_data(to: Address) -> alloy::primitives::Bytes {
    IToken::transferCall {
        to,
        value: U256::from(1),
    }
    .abi_encode()
    .into()
}

fn in_process(count: u32) {
    let mut dev = Devnet::new(DevnetConfig::default()).expect("devnet");
    let accounts = dev.accounts();
    let (alice, bob) = (accounts[0], accounts[1]);
    let token = dev.deploy_stylus(alice, &token_wasm()).expect("deploy");
    let mint = IToken::mintCall {
        to: alice,
        value: U256::from(u64::MAX),
    }
    .abi_encode();
    dev.send(TxRequest {
        from: alice,
        to: Some(token),
        data: mint.into(),
        ..Default::default()
    })
    .expect("mint");

    // One transfer to a fresh recipient (zero -> non-zero balance) and one steady-state one.
    let first = dev
        .send(TxRequest {
            from: alice,
            to: Some(token),
            data: transfer_data(bob),
            gas: Some(TRANSFER_GAS),
            ..Default::default()
        })
        .expect("transfer");
    let steady = dev
        .send(TxRequest {
            from: alice,
            to: Some(token),
            data: transfer_data(bob),
            gas: Some(TRANSFER_GAS),
            ..Default::default()
        })
        .expect("transfer");
    for (label, tx) in [
        ("to a new holder", &first),
        ("to an existing holder", &steady),
    ] {
        let o = &tx.outcome;
        assert!(o.success);
        let s = o.stylus;
        let data = transfer_data(bob);
        let calldata: u64 = data.iter().map(|b| if *b == 0 { 4 } else { 16 }).sum();
        println!(
            "gasUsed of a Stylus ERC-20 transfer {label}: {}",
            o.gas_used
        );
        println!(
            "  intrinsic {} (21000 + calldata {calldata}) | program entry {} | WASM work + hostio ink {} | storage {} | logs {} | memory growth {} | calls {}",
            21_000 + calldata,
            s.entry,
            s.wasm,
            s.storage,
            s.logs,
            s.memory,
            s.calls
        );
    }

    let start = Instant::now();
    for _ in 0..count {
        let r = dev
            .send(TxRequest {
                from: alice,
                to: Some(token),
                data: transfer_data(bob),
                gas: Some(TRANSFER_GAS),
                ..Default::default()
            })
            .expect("transfer");
        assert!(r.outcome.success);
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "in-process: {count} transfers in {secs:.2} s = {:.0} transfers/s (one block each)",
        f64::from(count) / secs
    );
}

async fn over_rpc(count: u32) {
    let devnet = DevnetHandle::spawn(DevnetConfig::default()).expect("devnet");
    let wasm = token_wasm();
    let (alice, bob, token) = devnet
        .run(move |d| {
            let accounts = d.accounts();
            let token = d.deploy_stylus(accounts[0], &wasm).expect("deploy");
            let mint = IToken::mintCall {
                to: accounts[0],
                value: U256::from(u64::MAX),
            }
            .abi_encode();
            d.send(TxRequest {
                from: accounts[0],
                to: Some(token),
                data: mint.into(),
                ..Default::default()
            })
            .expect("mint");
            (accounts[0], accounts[1], token)
        })
        .await
        .expect("setup");
    let (addr, _server) = serve(devnet, "127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("serve");
    let provider =
        ProviderBuilder::new().connect_http(format!("http://{addr}").parse().expect("url"));
    let signer = MnemonicBuilder::<English>::default()
        .phrase(DEV_MNEMONIC)
        .index(0)
        .expect("i")
        .build()
        .expect("key");
    assert_eq!(signer.address(), alice);
    let wallet = EthereumWallet::from(signer);
    let nonce0 = provider.get_transaction_count(alice).await.expect("nonce");

    // Clients sign locally and send raw transactions: one eth_sendRawTransaction each, then one
    // receipt lookup at the end (automine makes each transaction final on return).
    let start = Instant::now();
    let mut last = None;
    for i in 0..u64::from(count) {
        let tx = TransactionRequest::default()
            .with_from(alice)
            .with_to(token)
            .with_input(transfer_data(bob))
            .with_nonce(nonce0 + i)
            .with_chain_id(412_346)
            .with_gas_limit(TRANSFER_GAS)
            .with_max_fee_per_gas(200_000_000)
            .with_max_priority_fee_per_gas(0);
        let envelope = tx.build(&wallet).await.expect("sign");
        let pending = provider
            .send_raw_transaction(&envelope.encoded_2718())
            .await
            .expect("send");
        last = Some(*pending.tx_hash());
    }
    let receipt = provider
        .get_transaction_receipt(last.expect("sent"))
        .await
        .expect("receipt")
        .expect("mined");
    let secs = start.elapsed().as_secs_f64();
    assert!(receipt.status());
    println!(
        "JSON-RPC: {count} signed transfers (eth_sendRawTransaction) in {secs:.2} s = {:.0} transfers/s",
        f64::from(count) / secs
    );
}

fn main() {
    let args: Vec<u32> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let local = args.first().copied().unwrap_or(2_000);
    let rpc = args.get(1).copied().unwrap_or(500);
    in_process(local);
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(over_rpc(rpc));
}
