//! The devnet as a library: Stylus programs, EVM proxies and gas, without JSON-RPC.
// Test helpers outside #[test] fns: a panic there is a failed test, not a revert path.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent};
use common::{minimal_proxy_init_code, token_wasm, IToken};
use poco_devnet::{Devnet, DevnetConfig, TxRequest};

fn setup() -> (Devnet, Address, Address, Address) {
    let mut dev = Devnet::new(DevnetConfig::default()).expect("devnet");
    let accounts = dev.accounts();
    let (alice, bob) = (accounts[0], accounts[1]);
    let token = dev
        .deploy_stylus(alice, &token_wasm())
        .expect("deploy + activate");
    (dev, alice, bob, token)
}

fn send<C: SolCall>(
    dev: &mut Devnet,
    from: Address,
    to: Address,
    call: C,
) -> poco_devnet::TxRecord {
    dev.send(TxRequest {
        from,
        to: Some(to),
        data: call.abi_encode().into(),
        ..Default::default()
    })
    .expect("send")
}

fn view<C: SolCall>(dev: &mut Devnet, to: Address, call: C) -> C::Return {
    let out = dev
        .call(&TxRequest {
            to: Some(to),
            data: call.abi_encode().into(),
            ..Default::default()
        })
        .expect("call");
    assert!(
        out.success,
        "view reverted: {}",
        poco_devnet::revert_text(&out.output)
    );
    C::abi_decode_returns(&out.output).expect("decode")
}

#[test]
fn erc20_transfer_moves_balances_and_logs() {
    let (mut dev, alice, bob, token) = setup();
    let minted = send(
        &mut dev,
        alice,
        token,
        IToken::mintCall {
            to: alice,
            value: U256::from(1_000),
        },
    );
    assert!(minted.outcome.success);
    let sent = send(
        &mut dev,
        alice,
        token,
        IToken::transferCall {
            to: bob,
            value: U256::from(250),
        },
    );
    assert!(
        sent.outcome.success,
        "{}",
        poco_devnet::revert_text(&sent.outcome.output)
    );
    assert_eq!(
        view(&mut dev, token, IToken::balanceOfCall { owner: alice }),
        U256::from(750)
    );
    assert_eq!(
        view(&mut dev, token, IToken::balanceOfCall { owner: bob }),
        U256::from(250)
    );
    assert_eq!(
        view(&mut dev, token, IToken::totalSupplyCall {}),
        U256::from(1_000)
    );
    assert_eq!(view(&mut dev, token, IToken::nameCall {}), "Devnet Token");
    let log = &sent.outcome.logs[0];
    let event = IToken::Transfer::decode_log_data(&log.data).expect("Transfer event");
    assert_eq!(
        (event.from, event.to, event.value),
        (alice, bob, U256::from(250))
    );
    assert_eq!(log.address, token);
    // Gas: intrinsic 21k + calldata + entry + storage (cold SLOADs, two SSTOREs) + log.
    let gas = sent.outcome.gas_used;
    assert!((40_000..120_000).contains(&gas), "transfer gas {gas}");
    let split = sent.outcome.stylus;
    assert!(
        split.entry > 9_000 && split.storage > 5_000 && split.logs > 1_000,
        "{split:?}"
    );
}

#[test]
fn custom_error_revert_reaches_the_caller() {
    let (mut dev, alice, bob, token) = setup();
    let failed = send(
        &mut dev,
        alice,
        token,
        IToken::transferCall {
            to: bob,
            value: U256::from(5),
        },
    );
    assert!(!failed.outcome.success);
    let err =
        IToken::InsufficientBalance::abi_decode(&failed.outcome.output).expect("custom error");
    assert_eq!(
        (err.from, err.have, err.want),
        (alice, U256::ZERO, U256::from(5))
    );
    assert!(dev.block_number() > 0);
}

#[test]
fn nested_revert_is_rolled_back_while_outer_call_continues() {
    let (mut dev, alice, bob, token) = setup();
    let other = dev
        .deploy_stylus(alice, &token_wasm())
        .expect("second token");
    let inner = IToken::mintAndRevertCall {
        to: bob,
        value: U256::from(7),
    }
    .abi_encode();
    let outer = send(
        &mut dev,
        alice,
        token,
        IToken::tryCallCall {
            target: other,
            data: inner.into(),
        },
    );
    assert!(outer.outcome.success);
    assert_eq!(
        IToken::tryCallCall::abi_decode_returns(&outer.outcome.output).ok(),
        Some(false)
    );
    assert_eq!(
        view(&mut dev, other, IToken::totalSupplyCall {}),
        U256::ZERO
    );
    assert_eq!(
        view(&mut dev, other, IToken::balanceOfCall { owner: bob }),
        U256::ZERO
    );
    assert_eq!(view(&mut dev, token, IToken::callsCall {}), U256::from(1));
    // Only the outer Probe log survives; the inner Transfer was reverted with its frame.
    assert_eq!(outer.outcome.logs.len(), 1);
    assert_eq!(outer.outcome.logs[0].address, token);
    // And a successful nested call keeps its effects.
    let inner = IToken::mintCall {
        to: bob,
        value: U256::from(3),
    }
    .abi_encode();
    let ok = send(
        &mut dev,
        alice,
        token,
        IToken::tryCallCall {
            target: other,
            data: inner.into(),
        },
    );
    assert_eq!(
        IToken::tryCallCall::abi_decode_returns(&ok.outcome.output).ok(),
        Some(true)
    );
    assert_eq!(
        view(&mut dev, other, IToken::balanceOfCall { owner: bob }),
        U256::from(3)
    );
}

#[test]
fn evm_minimal_proxy_delegates_to_stylus() {
    let (mut dev, alice, bob, token) = setup();
    let deployed = dev
        .send(TxRequest {
            from: alice,
            data: minimal_proxy_init_code(token).into(),
            ..Default::default()
        })
        .expect("deploy proxy");
    let proxy = deployed.outcome.contract_address.expect("proxy address");
    send(
        &mut dev,
        alice,
        proxy,
        IToken::mintCall {
            to: alice,
            value: U256::from(100),
        },
    );
    let sent = send(
        &mut dev,
        alice,
        proxy,
        IToken::transferCall {
            to: bob,
            value: U256::from(40),
        },
    );
    assert!(sent.outcome.success);
    // State lives in the proxy, code in the implementation.
    assert_eq!(
        view(&mut dev, proxy, IToken::balanceOfCall { owner: bob }),
        U256::from(40)
    );
    assert_eq!(
        view(&mut dev, token, IToken::balanceOfCall { owner: bob }),
        U256::ZERO
    );
    let (sender, origin, this) = {
        let r = view(&mut dev, proxy, IToken::whoamiCall {});
        (r._0, r._1, r._2)
    };
    assert_eq!((origin, this), (Address::ZERO, proxy));
    assert_eq!(sender, Address::ZERO);
    // Revert data crosses the EVM proxy unchanged.
    let failed = send(
        &mut dev,
        bob,
        proxy,
        IToken::transferCall {
            to: alice,
            value: U256::from(1_000),
        },
    );
    assert!(IToken::InsufficientBalance::abi_decode(&failed.outcome.output).is_ok());
}

#[test]
fn stylus_creates_evm_proxy_with_create2() {
    let (mut dev, alice, bob, token) = setup();
    let salt = B256::with_last_byte(9);
    let created = send(
        &mut dev,
        alice,
        token,
        IToken::deployProxyCall {
            implementation: token,
            salt,
        },
    );
    assert!(
        created.outcome.success,
        "{}",
        poco_devnet::revert_text(&created.outcome.output)
    );
    let proxy =
        IToken::deployProxyCall::abi_decode_returns(&created.outcome.output).expect("address");
    let init = minimal_proxy_init_code(token);
    assert_eq!(
        proxy,
        token.create2(salt, alloy_primitives::keccak256(&init))
    );
    assert_eq!(dev.code(proxy).len(), 45);
    send(
        &mut dev,
        alice,
        proxy,
        IToken::mintCall {
            to: bob,
            value: U256::from(5),
        },
    );
    assert_eq!(
        view(&mut dev, proxy, IToken::balanceOfCall { owner: bob }),
        U256::from(5)
    );
    // Same salt again: CREATE2 collision, the program sees a failed create.
    let again = send(
        &mut dev,
        alice,
        token,
        IToken::deployProxyCall {
            implementation: token,
            salt,
        },
    );
    assert!(!again.outcome.success);
}

#[test]
fn precompiles_and_hostios_from_stylus() {
    let (mut dev, alice, _, token) = setup();
    // keccak hostio.
    let h = view(
        &mut dev,
        token,
        IToken::hashCall {
            data: Bytes::from_static(b"abc"),
        },
    );
    assert_eq!(h, alloy_primitives::keccak256(b"abc"));
    // ecrecover through a static call to 0x01.
    use alloy_signer::SignerSync;
    let signer = alloy_signer_local::PrivateKeySigner::random();
    let digest = alloy_primitives::keccak256(b"message");
    let sig = signer.sign_hash_sync(&digest).expect("sign");
    let recovered = view(
        &mut dev,
        token,
        IToken::recoverCall {
            hash: digest,
            v: 27 + sig.v() as u8,
            r: B256::from(sig.r()),
            s: B256::from(sig.s()),
        },
    );
    assert_eq!(recovered, signer.address());
    // msg.value and payable.
    let paid = dev
        .send(TxRequest {
            from: alice,
            to: Some(token),
            value: U256::from(123),
            data: IToken::depositCall {}.abi_encode().into(),
            ..Default::default()
        })
        .expect("deposit");
    assert_eq!(
        IToken::depositCall::abi_decode_returns(&paid.outcome.output).ok(),
        Some(U256::from(123))
    );
    assert_eq!(dev.balance(token), U256::from(123));
    // Non-payable method with value: the SDK rejects it.
    let rejected = dev
        .send(TxRequest {
            from: alice,
            to: Some(token),
            value: U256::from(1),
            data: IToken::mintCall {
                to: alice,
                value: U256::from(1),
            }
            .abi_encode()
            .into(),
            ..Default::default()
        })
        .expect("send");
    assert!(!rejected.outcome.success);
}

#[test]
fn calling_a_program_that_is_not_activated_reverts() {
    let mut dev = Devnet::new(DevnetConfig::default()).expect("devnet");
    let alice = dev.accounts()[0];
    let wasm = poco_devnet::stylus::code::process_wasm(&token_wasm()).expect("process");
    let code = poco_devnet::stylus::code::compress_wasm(&wasm);
    let deployed = dev
        .send(TxRequest {
            from: alice,
            data: poco_devnet::stylus::code::deploy_init_code(&code),
            ..Default::default()
        })
        .expect("deploy");
    let program = deployed.outcome.contract_address.expect("address");
    let out = dev
        .call(&TxRequest {
            to: Some(program),
            data: IToken::totalSupplyCall {}.abi_encode().into(),
            ..Default::default()
        })
        .expect("call");
    assert!(!out.success);
    assert!(
        poco_devnet::stylus::arbwasm::ArbWasm::ProgramNotActivated::abi_decode(&out.output).is_ok()
    );
    dev.activate(alice, program).expect("activate");
    // Activation is per codehash: a second copy of the same code needs no activation.
    let copy = dev
        .send(TxRequest {
            from: alice,
            data: poco_devnet::stylus::code::deploy_init_code(&code),
            ..Default::default()
        })
        .expect("deploy copy")
        .outcome
        .contract_address
        .expect("address");
    let out = dev
        .call(&TxRequest {
            to: Some(copy),
            data: IToken::totalSupplyCall {}.abi_encode().into(),
            ..Default::default()
        })
        .expect("call");
    assert!(out.success);
    // Activating again is refused.
    assert!(dev.activate(alice, copy).is_err());
}

#[test]
fn invalid_wasm_is_refused_at_activation() {
    let mut dev = Devnet::new(DevnetConfig::default()).expect("devnet");
    let alice = dev.accounts()[0];
    // A valid module with nothing in it: nitro first misses its memory.
    let wasm = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    let err = dev
        .deploy_stylus(alice, &wasm)
        .expect_err("must be refused");
    assert!(err.to_string().contains("missing memory export with name memory"), "{err}");
}

#[test]
fn snapshots_and_time() {
    let (mut dev, alice, _, token) = setup();
    let t0 = view(&mut dev, token, IToken::nowCall {});
    let snap = dev.snapshot();
    send(
        &mut dev,
        alice,
        token,
        IToken::mintCall {
            to: alice,
            value: U256::from(1),
        },
    );
    // Blocks sealed within one second share its timestamp (nitro's rule): fifty blocks do
    // not move the clock ahead of the wall clock.
    dev.mine(50);
    let t1 = view(&mut dev, token, IToken::nowCall {});
    assert!(t1 >= t0 && t1 <= t0 + 5, "50 blocks took the clock from {t0} to {t1}");
    dev.increase_time(3_600);
    dev.mine(1);
    assert!(view(&mut dev, token, IToken::nowCall {}) >= t1 + 3_600);
    assert!(dev.revert_to(snap));
    assert_eq!(
        view(&mut dev, token, IToken::totalSupplyCall {}),
        U256::ZERO
    );
    assert!(!dev.revert_to(snap));
}

/// Runtime code that STATICCALLs `target` with its own calldata and returns the success flag.
fn static_caller(target: Address) -> Vec<u8> {
    let mut code = vec![0x36, 0x5f, 0x5f, 0x37, 0x5f, 0x5f, 0x36, 0x5f, 0x73];
    code.extend_from_slice(target.as_slice());
    code.extend_from_slice(&[0x5a, 0xfa, 0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3]);
    code
}

#[test]
fn static_calls_into_stylus_cannot_write() {
    let (mut dev, alice, _, token) = setup();
    let init = poco_devnet::stylus::code::deploy_init_code(&static_caller(token));
    let wrapper = dev
        .send(TxRequest {
            from: alice,
            data: init,
            ..Default::default()
        })
        .expect("deploy")
        .outcome
        .contract_address
        .expect("address");
    let flag = |dev: &mut Devnet, data: Vec<u8>| {
        let out = dev
            .call(&TxRequest {
                to: Some(wrapper),
                data: data.into(),
                ..Default::default()
            })
            .expect("call");
        assert!(out.success);
        U256::from_be_slice(&out.output)
    };
    assert_eq!(
        flag(&mut dev, IToken::totalSupplyCall {}.abi_encode()),
        U256::from(1)
    );
    assert_eq!(
        flag(
            &mut dev,
            IToken::mintCall {
                to: alice,
                value: U256::from(1)
            }
            .abi_encode()
        ),
        U256::ZERO
    );
}

#[test]
fn reentrant_calls_are_refused_by_the_sdk_guard() {
    let (mut dev, alice, _, token) = setup();
    let inner = IToken::mintCall {
        to: alice,
        value: U256::from(1),
    }
    .abi_encode();
    let outer = send(
        &mut dev,
        alice,
        token,
        IToken::tryCallCall {
            target: token,
            data: inner.into(),
        },
    );
    assert!(outer.outcome.success);
    assert_eq!(
        IToken::tryCallCall::abi_decode_returns(&outer.outcome.output).ok(),
        Some(false)
    );
    assert_eq!(
        view(&mut dev, token, IToken::totalSupplyCall {}),
        U256::ZERO
    );
}

#[test]
fn running_out_of_gas_in_a_program_consumes_the_limit() {
    let (mut dev, alice, bob, token) = setup();
    let data = IToken::mintCall {
        to: bob,
        value: U256::from(1),
    }
    .abi_encode();
    let r = dev
        .send(TxRequest {
            from: alice,
            to: Some(token),
            data: data.into(),
            gas: Some(30_000),
            ..Default::default()
        })
        .expect("send");
    assert!(!r.outcome.success);
    assert_eq!(r.outcome.gas_used, 30_000);
    assert!(r.outcome.halt.is_some());
    assert_eq!(
        view(&mut dev, token, IToken::totalSupplyCall {}),
        U256::ZERO
    );
    // estimateGas finds a limit that works.
    let req = TxRequest {
        from: alice,
        to: Some(token),
        data: IToken::mintCall {
            to: bob,
            value: U256::from(1),
        }
        .abi_encode()
        .into(),
        ..Default::default()
    };
    let gas = dev.estimate_gas(&req).expect("estimate").expect("succeeds");
    let ok = dev
        .send(TxRequest {
            gas: Some(gas),
            ..req
        })
        .expect("send");
    assert!(ok.outcome.success, "estimated {gas} was not enough");
}

/// Entry gas of `program` as `ArbWasm.programInitGas` reports it: (uncached, cached).
fn init_gas(dev: &mut Devnet, program: Address) -> (u64, u64) {
    use poco_devnet::stylus::arbwasm::{ArbWasm, ARB_WASM};
    let out = dev
        .call(&TxRequest {
            to: Some(ARB_WASM),
            data: ArbWasm::programInitGasCall { program }.abi_encode().into(),
            ..Default::default()
        })
        .expect("programInitGas");
    let r = ArbWasm::programInitGasCall::abi_decode_returns(&out.output).expect("decode");
    (r.gas, r.gasWhenCached)
}

#[test]
fn a_program_called_again_in_the_block_pays_only_its_cached_entry() {
    // ArbOS 60 turns nitro's recent-programs cache on; Arbitrum One's 51 has it off.
    for (arbos, recent_cache) in [(60, true), (51, false)] {
        let config = DevnetConfig {
            stylus: poco_devnet::stylus::params::StylusParams::for_arbos(arbos),
            ..Default::default()
        };
        let mut dev = Devnet::new(config).expect("devnet");
        let alice = dev.accounts()[0];
        let first = dev.deploy_stylus(alice, &token_wasm()).expect("deploy");
        // A second copy: same codehash, so the same activated program.
        let second = dev.deploy_stylus(alice, &token_wasm()).expect("deploy again");
        let (uncached, cached) = init_gas(&mut dev, first);
        assert!(cached < uncached);
        let call = IToken::totalSupplyCall {}.abi_encode();
        let sent = send(&mut dev, alice, first, IToken::tryCallCall { target: second, data: call.into() });
        assert!(sent.outcome.success);
        // Both frames fit in the two free pages, so entry is init gas only.
        let expected = uncached + if recent_cache { cached } else { uncached };
        assert_eq!(sent.outcome.stylus.entry, expected, "recent cache {recent_cache}");
    }
}
