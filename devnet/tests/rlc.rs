//! The workspace's RLC token (contracts/rlc) on the devnet: constructor, ERC-20 transfers,
//! `Error(string)` reasons, `approveAndCall` into EVM spenders and `burn`.
//!
//! Uses `target/stylus/rlc.wasm` as written by `cargo xtask wasm` (scripts/test runs it before
//! the tests); without it the test fails and says how to build it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::PathBuf;

use alloy::sol;
use alloy::sol_types::SolCall;
use alloy_primitives::{keccak256, Address, Bytes, U256};
use poco_devnet::{revert_text, Devnet, DevnetConfig, TxRequest};

sol! {
    interface IRlc {
        function totalSupply() external view returns (uint256);
        function decimals() external view returns (uint8);
        function symbol() external view returns (string);
        function balanceOf(address owner) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function transfer(address to, uint256 value) external returns (bool);
        function approveAndCall(address spender, uint256 value, bytes extraData) external;
        function burn(uint256 value) external returns (bool);
    }
}

fn rlc_wasm() -> Option<Vec<u8>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut candidates = vec![root.join("target/stylus/rlc.wasm")];
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        candidates.insert(0, PathBuf::from(dir).join("stylus/rlc.wasm"));
    }
    candidates.into_iter().find_map(|p| std::fs::read(p).ok())
}

fn send(dev: &mut Devnet, from: Address, to: Address, data: Vec<u8>) -> poco_devnet::ExecOutcome {
    dev.send(TxRequest {
        from,
        to: Some(to),
        data: data.into(),
        ..Default::default()
    })
    .expect("send")
    .outcome
}

fn view<C: SolCall>(dev: &mut Devnet, to: Address, call: C) -> C::Return {
    let out = dev
        .call(&TxRequest {
            to: Some(to),
            data: call.abi_encode().into(),
            ..Default::default()
        })
        .expect("call");
    assert!(out.success, "{}", revert_text(&out.output));
    C::abi_decode_returns(&out.output).expect("decode")
}

/// Deploys `runtime` as EVM code.
fn deploy_evm(dev: &mut Devnet, from: Address, runtime: &[u8]) -> Address {
    let init = poco_devnet::stylus::code::deploy_init_code(runtime);
    dev.send(TxRequest {
        from,
        data: init,
        ..Default::default()
    })
    .expect("deploy")
    .outcome
    .contract_address
    .expect("address")
}

#[test]
fn rlc_token_on_the_devnet() {
    let wasm = rlc_wasm().expect("target/stylus/rlc.wasm is missing: run `cargo xtask wasm` first");
    let mut dev = Devnet::new(DevnetConfig::default()).expect("devnet");
    let accounts = dev.accounts();
    let (alice, bob) = (accounts[0], accounts[1]);
    let rlc = dev
        .deploy_stylus(alice, &wasm)
        .expect("deploy + activate RLC");

    // The SDK routes selector keccak("stylus_constructor()")[..4] to `#[constructor]`.
    let mut ctor = keccak256("stylus_constructor()")[..4].to_vec();
    ctor.extend_from_slice(&alloy::sol_types::SolValue::abi_encode(&alice));
    let constructed = send(&mut dev, alice, rlc, ctor.clone());
    assert!(constructed.success, "{}", revert_text(&constructed.output));
    assert!(
        !send(&mut dev, alice, rlc, ctor).success,
        "constructor runs once"
    );

    let supply = U256::from(87_000_000u64) * U256::from(1_000_000_000u64);
    assert_eq!(view(&mut dev, rlc, IRlc::totalSupplyCall {}), supply);
    assert_eq!(view(&mut dev, rlc, IRlc::decimalsCall {}), 9);
    assert_eq!(view(&mut dev, rlc, IRlc::symbolCall {}), "RLC");

    let sent = send(
        &mut dev,
        alice,
        rlc,
        IRlc::transferCall {
            to: bob,
            value: U256::from(5),
        }
        .abi_encode(),
    );
    assert!(sent.success, "{}", revert_text(&sent.output));
    assert_eq!(
        view(&mut dev, rlc, IRlc::balanceOfCall { owner: bob }),
        U256::from(5)
    );
    println!(
        "RLC transfer gasUsed {} split {:?}",
        sent.gas_used, sent.stylus
    );

    // Error(string) reasons come back verbatim.
    let failed = send(
        &mut dev,
        bob,
        rlc,
        IRlc::transferCall {
            to: alice,
            value: U256::from(6),
        }
        .abi_encode(),
    );
    assert!(!failed.success);
    assert_eq!(
        revert_text(&failed.output),
        "ERC20: transfer amount exceeds balance"
    );

    // approveAndCall into an EVM spender that accepts (STOP) and one that reverts.
    let accepting = deploy_evm(&mut dev, alice, &[0x00]);
    let refusing = deploy_evm(&mut dev, alice, &[0x5f, 0x5f, 0xfd]);
    let ok = send(
        &mut dev,
        alice,
        rlc,
        IRlc::approveAndCallCall {
            spender: accepting,
            value: U256::from(7),
            extraData: Bytes::new(),
        }
        .abi_encode(),
    );
    assert!(ok.success, "{}", revert_text(&ok.output));
    assert_eq!(
        view(
            &mut dev,
            rlc,
            IRlc::allowanceCall {
                owner: alice,
                spender: accepting
            }
        ),
        U256::from(7)
    );
    let refused = send(
        &mut dev,
        alice,
        rlc,
        IRlc::approveAndCallCall {
            spender: refusing,
            value: U256::from(7),
            extraData: Bytes::new(),
        }
        .abi_encode(),
    );
    assert!(!refused.success);
    assert_eq!(revert_text(&refused.output), "RLC: receiveApproval failed");
    assert_eq!(
        view(
            &mut dev,
            rlc,
            IRlc::allowanceCall {
                owner: alice,
                spender: refusing
            }
        ),
        U256::ZERO
    );

    let burnt = send(
        &mut dev,
        alice,
        rlc,
        IRlc::burnCall {
            value: U256::from(1_000),
        }
        .abi_encode(),
    );
    assert!(burnt.success);
    assert_eq!(
        view(&mut dev, rlc, IRlc::totalSupplyCall {}),
        supply - U256::from(1_000)
    );
}
