//! The devnet over JSON-RPC, driven by an alloy provider as an off-chain client would.
// Test helpers outside #[test] fns: a panic there is a failed test, not a revert path.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use std::net::SocketAddr;

use alloy::network::{EthereumWallet, TransactionBuilder};
use alloy::primitives::{Address, Bytes, U256};
use alloy::providers::{Provider, ProviderBuilder};
use alloy::rpc::types::{Filter, TransactionRequest};
use alloy::signers::local::{coins_bip39::English, MnemonicBuilder};
use alloy::sol_types::SolEvent;
use common::{minimal_proxy_init_code, token_wasm, IArbWasm, IToken};
use poco_devnet::rpc::{serve, DevnetHandle};
use poco_devnet::stylus::code::{compress_wasm, deploy_init_code, process_wasm};
use poco_devnet::{DevnetConfig, DEV_MNEMONIC};

const ARB_WASM: Address = Address::new([
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x71,
]);

async fn start() -> (SocketAddr, jsonrpsee::server::ServerHandle) {
    let devnet = DevnetHandle::spawn(DevnetConfig::default()).expect("devnet");
    serve(devnet, "127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("server")
}

fn signer(index: u32) -> alloy::signers::local::PrivateKeySigner {
    MnemonicBuilder::<English>::default()
        .phrase(DEV_MNEMONIC)
        .index(index)
        .expect("index")
        .build()
        .expect("key")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stylus_token_end_to_end_with_alloy() {
    let (addr, _server) = start().await;
    let alice = signer(0);
    let bob = signer(1).address();
    let provider = ProviderBuilder::new()
        .wallet(EthereumWallet::from(alice.clone()))
        .connect_http(format!("http://{addr}").parse().expect("url"));
    assert_eq!(provider.get_chain_id().await.expect("chain id"), 412_346);

    // Deploy the compressed program with a plain transaction, then activate it via ArbWasm.
    let code = compress_wasm(&process_wasm(&token_wasm()).expect("process"));
    let deploy = TransactionRequest::default().with_deploy_code(deploy_init_code(&code));
    let receipt = provider
        .send_transaction(deploy)
        .await
        .expect("send")
        .get_receipt()
        .await
        .expect("receipt");
    assert!(receipt.status());
    let token_address = receipt.contract_address.expect("program address");

    let token = IToken::new(token_address, &provider);
    let not_active = token
        .totalSupply()
        .call()
        .await
        .expect_err("not activated yet");
    assert!(
        not_active
            .as_decoded_error::<IArbWasm::ProgramNotActivated>()
            .is_some(),
        "{not_active}"
    );

    let arb_wasm = IArbWasm::new(ARB_WASM, &provider);
    assert_eq!(arb_wasm.stylusVersion().call().await.expect("version"), 2);
    assert_eq!(arb_wasm.inkPrice().call().await.expect("ink price"), 10_000);
    let quote = arb_wasm
        .activateProgram(token_address)
        .value(U256::from(10u64).pow(U256::from(18)))
        .call()
        .await
        .expect("quote");
    let activation = arb_wasm
        .activateProgram(token_address)
        .value(quote.dataFee)
        .send()
        .await
        .expect("activate")
        .get_receipt()
        .await
        .expect("activation receipt");
    assert!(activation.status());
    assert_eq!(
        arb_wasm
            .programVersion(token_address)
            .call()
            .await
            .expect("program version"),
        2
    );

    // ERC-20 round trip.
    let minted = token
        .mint(alice.address(), U256::from(1_000))
        .send()
        .await
        .expect("mint")
        .get_receipt()
        .await
        .expect("r");
    assert!(minted.status());
    let sent = token
        .transfer(bob, U256::from(400))
        .send()
        .await
        .expect("transfer")
        .get_receipt()
        .await
        .expect("r");
    assert!(sent.status());
    assert!(sent.gas_used > 21_000, "gasUsed {}", sent.gas_used);
    assert_eq!(
        token.balanceOf(bob).call().await.expect("balance"),
        U256::from(400)
    );
    assert_eq!(
        token
            .balanceOf(alice.address())
            .call()
            .await
            .expect("balance"),
        U256::from(600)
    );
    let transfer_log = sent.inner.logs().first().expect("Transfer log");
    let event = IToken::Transfer::decode_log_data(transfer_log.data()).expect("decode");
    assert_eq!(
        (event.from, event.to, event.value),
        (alice.address(), bob, U256::from(400))
    );

    // Transaction, receipt, block and logs lookups.
    let tx = provider
        .get_transaction_by_hash(sent.transaction_hash)
        .await
        .expect("get tx")
        .expect("known tx");
    assert_eq!(tx.block_number, sent.block_number);
    let block = provider
        .get_block_by_number(sent.block_number.expect("number").into())
        .await
        .expect("block")
        .expect("known block");
    assert_eq!(block.header.hash, sent.block_hash.expect("hash"));
    let logs = provider
        .get_logs(
            &Filter::new()
                .address(token_address)
                .event_signature(IToken::Transfer::SIGNATURE_HASH)
                .from_block(0),
        )
        .await
        .expect("logs");
    assert_eq!(logs.len(), 2);

    // An EIP-1167 proxy deployed over RPC delegates to the Stylus program.
    let proxy_receipt = provider
        .send_transaction(
            TransactionRequest::default()
                .with_deploy_code(Bytes::from(minimal_proxy_init_code(token_address))),
        )
        .await
        .expect("deploy proxy")
        .get_receipt()
        .await
        .expect("r");
    let proxy = IToken::new(proxy_receipt.contract_address.expect("proxy"), &provider);
    proxy
        .mint(bob, U256::from(9))
        .send()
        .await
        .expect("mint via proxy")
        .get_receipt()
        .await
        .expect("r");
    assert_eq!(
        proxy.balanceOf(bob).call().await.expect("balance"),
        U256::from(9)
    );
    assert_eq!(
        token.balanceOf(bob).call().await.expect("balance"),
        U256::from(400)
    );

    // A revert reaches the client with its custom error (through eth_estimateGas and eth_call).
    // Last: alloy's cached nonce filler has consumed a nonce for the refused send.
    let err = token
        .transfer(bob, U256::from(1_000_000))
        .send()
        .await
        .expect_err("must revert");
    let decoded = err
        .as_decoded_error::<IToken::InsufficientBalance>()
        .expect("custom error");
    assert_eq!(decoded.want, U256::from(1_000_000));
    let err = token
        .mintAndRevert(bob, U256::from(1))
        .call()
        .await
        .expect_err("must revert");
    assert_eq!(
        err.as_decoded_error::<IToken::Boom>().expect("Boom").code,
        U256::from(42)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn time_travel_snapshots_and_errors() {
    let (addr, _server) = start().await;
    let provider =
        ProviderBuilder::new().connect_http(format!("http://{addr}").parse().expect("url"));
    let before = provider
        .get_block_by_number(Default::default())
        .await
        .expect("block")
        .expect("latest");
    let _: serde_json::Value = provider
        .raw_request("evm_increaseTime".into(), (3_600,))
        .await
        .expect("increaseTime");
    let _: serde_json::Value = provider
        .raw_request("evm_mine".into(), ())
        .await
        .expect("mine");
    let after = provider
        .get_block_by_number(Default::default())
        .await
        .expect("block")
        .expect("latest");
    assert!(after.header.timestamp >= before.header.timestamp + 3_600);
    assert_eq!(after.header.number, before.header.number + 1);

    let snapshot: String = provider
        .raw_request("evm_snapshot".into(), ())
        .await
        .expect("snapshot");
    let _: serde_json::Value = provider
        .raw_request("evm_mine".into(), ())
        .await
        .expect("mine");
    let reverted: bool = provider
        .raw_request("evm_revert".into(), (snapshot,))
        .await
        .expect("revert");
    assert!(reverted);
    assert_eq!(
        provider.get_block_number().await.expect("number"),
        after.header.number
    );

    // eth_call with state overrides: code that returns SELFBALANCE, on an overridden balance.
    let probe = "0x00000000000000000000000000000000000000aa";
    let overrides =
        serde_json::json!({ probe: { "balance": "0x3039", "code": "0x475f5260205ff3" } });
    let out: Bytes = provider
        .raw_request(
            "eth_call".into(),
            (serde_json::json!({ "to": probe }), "latest", overrides),
        )
        .await
        .expect("eth_call with overrides");
    assert_eq!(U256::from_be_slice(&out), U256::from(12_345));
    let code: Bytes = provider
        .raw_request("eth_getCode".into(), (probe, "latest"))
        .await
        .expect("code");
    assert!(code.is_empty(), "overrides must not touch the chain");

    // Unknown methods and bad params are JSON-RPC errors, and the node keeps serving.
    let unknown = provider
        .raw_request::<_, serde_json::Value>("eth_unknownMethod".into(), ())
        .await;
    assert!(unknown.is_err());
    let bad = provider
        .raw_request::<_, serde_json::Value>("eth_getBalance".into(), ("not-an-address",))
        .await;
    assert!(bad.is_err());
    let raw = provider
        .raw_request::<_, serde_json::Value>("eth_sendRawTransaction".into(), ("0x1234",))
        .await;
    assert!(raw.is_err());
    // Malformed JSON straight on the socket.
    let client = reqwest::Client::new();
    let body = client
        .post(format!("http://{addr}"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("post")
        .text()
        .await
        .expect("body");
    assert!(body.contains("error"), "{body}");
    assert!(provider.get_block_number().await.is_ok());
}
