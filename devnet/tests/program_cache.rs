//! Stylus program caches: programs cached through `ArbWasmCache` (by a cache manager, here the
//! CacheManager's bids) and, from ArbOS 60, programs called earlier in the same block pay
//! only the cached part of their entry; an evicted program pays its full entry again; only
//! cache managers and the chain owner may cache. Also interval mining and geth's
//! transaction-pool errors.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use std::path::PathBuf;

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::{SolCall, SolError};
use common::{token_wasm, IToken};
use poco_devnet::stylus::arbwasm::{ArbWasm, ARB_WASM};
use poco_devnet::stylus::cache::{ArbWasmCache, ARB_WASM_CACHE};
use poco_devnet::stylus::cache_manager::{CacheManager, CACHE_MANAGER};
use poco_devnet::stylus::params::StylusParams;
use poco_devnet::{Devnet, DevnetConfig, DevnetError, TxRecord, TxRequest};

fn devnet(arbos: u64, block_time: bool) -> Devnet {
    let config = DevnetConfig {
        stylus: StylusParams::for_arbos(arbos),
        block_time: block_time.then(|| std::time::Duration::from_millis(250)),
        ..Default::default()
    };
    Devnet::new(config).expect("devnet")
}

fn send<C: SolCall>(dev: &mut Devnet, from: Address, to: Address, call: C, value: U256) -> TxRecord {
    dev.send(TxRequest { from, to: Some(to), data: call.abi_encode().into(), value, gas: Some(5_000_000), ..Default::default() })
        .expect("send")
}

fn view<C: SolCall>(dev: &mut Devnet, to: Address, call: C) -> C::Return {
    let out = dev.call(&TxRequest { to: Some(to), data: call.abi_encode().into(), ..Default::default() }).expect("call");
    assert!(out.success, "view reverted: {}", poco_devnet::revert_text(&out.output));
    C::abi_decode_returns(&out.output).expect("decode")
}

/// (uncached, cached) entry gas of `program`, from `ArbWasm.programInitGas`.
fn init_gas(dev: &mut Devnet, program: Address) -> (u64, u64) {
    let r = view(dev, ARB_WASM, ArbWasm::programInitGasCall { program });
    (r.gas, r.gasWhenCached)
}

fn codehash(dev: &Devnet, program: Address) -> B256 {
    keccak256(dev.code(program))
}

/// Entry gas a `totalSupply` transaction into `token` paid (its one program frame fits in
/// the free pages, so the entry is the init gas alone).
fn entry_of_a_call(dev: &mut Devnet, from: Address, token: Address) -> u64 {
    let sent = send(dev, from, token, IToken::totalSupplyCall {}, U256::ZERO);
    assert!(sent.outcome.success);
    sent.outcome.stylus.entry
}

#[test]
fn a_cached_program_pays_the_cached_entry_and_an_evicted_one_the_full_entry_again() {
    let mut dev = devnet(51, false);
    let (owner, bidder) = (dev.accounts()[0], dev.accounts()[1]);
    let token = dev.deploy_stylus(owner, &token_wasm()).expect("deploy");
    let (uncached, cached) = init_gas(&mut dev, token);
    assert!(cached < uncached);
    assert_eq!(entry_of_a_call(&mut dev, bidder, token), uncached);

    // Anyone may bid; with room in the cache the minimum bid is zero.
    assert_eq!(view(&mut dev, CACHE_MANAGER, CacheManager::getMinBid_2Call { program: token }).to::<U256>(), U256::ZERO);
    let bid = send(&mut dev, bidder, CACHE_MANAGER, CacheManager::placeBidCall { program: token }, U256::ZERO);
    assert!(bid.outcome.success, "{}", poco_devnet::revert_text(&bid.outcome.output));
    let hash = codehash(&dev, token);
    assert!(view(&mut dev, ARB_WASM_CACHE, ArbWasmCache::codehashIsCachedCall { codehash: hash }));
    let entries = view(&mut dev, CACHE_MANAGER, CacheManager::getEntriesCall {});
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].code, hash);
    assert_eq!(entries[0].size, 4096.max(u64::from(view(&mut dev, ARB_WASM, ArbWasm::codehashAsmSizeCall { codehash: hash }))));
    assert_eq!(view(&mut dev, CACHE_MANAGER, CacheManager::queueSizeCall {}), entries[0].size);
    // programInitGas reports both figures whether or not the program is cached, as nitro.
    assert_eq!(init_gas(&mut dev, token), (uncached, cached));
    assert_eq!(entry_of_a_call(&mut dev, bidder, token), cached);
    assert_eq!(entry_of_a_call(&mut dev, owner, token), cached);

    // A second bid for a cached program is refused.
    let again = send(&mut dev, bidder, CACHE_MANAGER, CacheManager::placeBidCall { program: token }, U256::ZERO);
    assert!(!again.outcome.success);
    assert_eq!(again.outcome.output, CacheManager::AlreadyCached { codehash: hash }.abi_encode());

    // The chain owner evicts everything: full entry again, and the queue is empty.
    let evicted = send(&mut dev, owner, CACHE_MANAGER, CacheManager::evictAllCall {}, U256::ZERO);
    assert!(evicted.outcome.success, "{}", poco_devnet::revert_text(&evicted.outcome.output));
    assert!(!view(&mut dev, ARB_WASM_CACHE, ArbWasmCache::codehashIsCachedCall { codehash: hash }));
    assert_eq!(view(&mut dev, CACHE_MANAGER, CacheManager::queueSizeCall {}), 0);
    assert_eq!(entry_of_a_call(&mut dev, bidder, token), uncached);

    // The chain owner may also cache and evict through ArbWasmCache directly.
    let cache = send(&mut dev, owner, ARB_WASM_CACHE, ArbWasmCache::cacheProgramCall { addr: token }, U256::ZERO);
    assert!(cache.outcome.success);
    assert_eq!(cache.outcome.logs.len(), 1, "UpdateProgramCache");
    assert_eq!(entry_of_a_call(&mut dev, bidder, token), cached);
    let evict = send(&mut dev, owner, ARB_WASM_CACHE, ArbWasmCache::evictCodehashCall { codehash: hash }, U256::ZERO);
    assert!(evict.outcome.success);
    assert_eq!(entry_of_a_call(&mut dev, bidder, token), uncached);
    // Evicting what is not cached changes nothing and emits nothing.
    let noop = send(&mut dev, owner, ARB_WASM_CACHE, ArbWasmCache::evictCodehashCall { codehash: hash }, U256::ZERO);
    assert!(noop.outcome.success);
    assert!(noop.outcome.logs.is_empty());
}

#[test]
fn only_cache_managers_and_the_chain_owner_cache_programs() {
    let mut dev = devnet(51, false);
    let (owner, stranger) = (dev.accounts()[0], dev.accounts()[1]);
    let token = dev.deploy_stylus(owner, &token_wasm()).expect("deploy");
    let hash = codehash(&dev, token);
    assert_eq!(view(&mut dev, ARB_WASM_CACHE, ArbWasmCache::allCacheManagersCall {}), vec![CACHE_MANAGER]);
    assert!(view(&mut dev, ARB_WASM_CACHE, ArbWasmCache::isCacheManagerCall { manager: CACHE_MANAGER }));
    assert!(!view(&mut dev, ARB_WASM_CACHE, ArbWasmCache::isCacheManagerCall { manager: stranger }));

    // Anyone else's cacheProgram/evictCodehash burns all its gas (nitro's BurnOut) and
    // changes nothing.
    for data in [
        ArbWasmCache::cacheProgramCall { addr: token }.abi_encode(),
        ArbWasmCache::cacheCodehashCall { codehash: hash }.abi_encode(),
        ArbWasmCache::evictCodehashCall { codehash: hash }.abi_encode(),
    ] {
        let gas = 200_000;
        let sent = dev
            .send(TxRequest { from: stranger, to: Some(ARB_WASM_CACHE), data: data.into(), gas: Some(gas), ..Default::default() })
            .expect("send");
        assert!(!sent.outcome.success);
        assert_eq!(sent.outcome.gas_used, gas, "all gas burnt");
        assert!(!view(&mut dev, ARB_WASM_CACHE, ArbWasmCache::codehashIsCachedCall { codehash: hash }));
    }
    // The CacheManager's owner functions are the chain owner's.
    let refused = send(&mut dev, stranger, CACHE_MANAGER, CacheManager::setCacheSizeCall { newSize: 1 }, U256::ZERO);
    assert_eq!(refused.outcome.output, CacheManager::NotChainOwner { sender: stranger }.abi_encode());
    let refused = send(&mut dev, stranger, CACHE_MANAGER, CacheManager::evictAllCall {}, U256::ZERO);
    assert_eq!(refused.outcome.output, CacheManager::NotChainOwner { sender: stranger }.abi_encode());
    // A program that is not activated cannot be cached.
    let plain = dev.accounts()[2];
    let sent = send(&mut dev, owner, ARB_WASM_CACHE, ArbWasmCache::cacheProgramCall { addr: plain }, U256::ZERO);
    assert_eq!(sent.outcome.output, ArbWasm::ProgramNotActivated {}.abi_encode());
    // Bids are refused while paused.
    assert!(send(&mut dev, owner, CACHE_MANAGER, CacheManager::pausedCall {}, U256::ZERO).outcome.success);
    let sent = send(&mut dev, stranger, CACHE_MANAGER, CacheManager::placeBidCall { program: token }, U256::ZERO);
    assert_eq!(sent.outcome.output, CacheManager::BidsArePaused {}.abi_encode());
}

/// A second program (another codehash): the app entry program `cargo xtask wasm` built.
fn other_program_wasm() -> Vec<u8> {
    let dir = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"),
    };
    let path = dir.join("stylus/app.wasm");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (run `cargo xtask wasm` first)", path.display()))
}

#[test]
fn a_full_cache_evicts_the_smallest_bid_for_a_larger_one() {
    let mut dev = devnet(51, false);
    let (owner, alice, bob) = (dev.accounts()[0], dev.accounts()[1], dev.accounts()[2]);
    let token = dev.deploy_stylus(owner, &token_wasm()).expect("deploy");
    let app = dev.deploy_stylus(owner, &other_program_wasm()).expect("deploy app");
    let size = |dev: &mut Devnet, p: Address| {
        let hash = codehash(dev, p);
        u64::from(view(dev, ARB_WASM, ArbWasm::codehashAsmSizeCall { codehash: hash })).max(4096)
    };
    let (token_size, app_size) = (size(&mut dev, token), size(&mut dev, app));
    // Room for either program, not both; no decay, so bids are what was paid.
    let room = token_size.max(app_size);
    assert!(send(&mut dev, owner, CACHE_MANAGER, CacheManager::setCacheSizeCall { newSize: room }, U256::ZERO).outcome.success);
    assert!(send(&mut dev, owner, CACHE_MANAGER, CacheManager::setDecayRateCall { newDecay: 0 }, U256::ZERO).outcome.success);
    let paid = U256::from(1_000_000u64);
    assert!(send(&mut dev, alice, CACHE_MANAGER, CacheManager::placeBidCall { program: token }, paid).outcome.success);
    assert_eq!(view(&mut dev, CACHE_MANAGER, CacheManager::getMinBid_2Call { program: app }).to::<U256>(), paid);
    // A lower bid evicts nothing: it reverts, and the token stays cached.
    let low = send(&mut dev, bob, CACHE_MANAGER, CacheManager::placeBidCall { program: app }, paid - U256::from(1));
    let too_small = CacheManager::BidTooSmall { bid: (paid - U256::from(1)).to(), min: paid.to() };
    assert_eq!(low.outcome.output, too_small.abi_encode());
    let token_hash = codehash(&dev, token);
    assert!(view(&mut dev, ARB_WASM_CACHE, ArbWasmCache::codehashIsCachedCall { codehash: token_hash }));
    // An equal bid takes the place.
    let won = send(&mut dev, bob, CACHE_MANAGER, CacheManager::placeBidCall { program: app }, paid);
    assert!(won.outcome.success, "{}", poco_devnet::revert_text(&won.outcome.output));
    assert!(!view(&mut dev, ARB_WASM_CACHE, ArbWasmCache::codehashIsCachedCall { codehash: token_hash }));
    let app_hash = codehash(&dev, app);
    assert!(view(&mut dev, ARB_WASM_CACHE, ArbWasmCache::codehashIsCachedCall { codehash: app_hash }));
    assert_eq!(view(&mut dev, CACHE_MANAGER, CacheManager::queueSizeCall {}), app_size);
    let (uncached, _) = init_gas(&mut dev, token);
    assert_eq!(entry_of_a_call(&mut dev, alice, token), uncached);
    // The bids are the CacheManager's, swept to the chain owner.
    assert_eq!(dev.balance(CACHE_MANAGER), paid * U256::from(2));
}

#[test]
fn from_arbos_60_a_program_used_earlier_in_the_block_pays_the_cached_entry() {
    for (arbos, recent) in [(60, true), (51, false)] {
        let mut dev = devnet(arbos, true);
        let (alice, bob) = (dev.accounts()[0], dev.accounts()[1]);
        let token = dev.deploy_stylus(alice, &token_wasm()).expect("deploy");
        dev.mine(1);
        let (uncached, cached) = init_gas(&mut dev, token);
        // Two transactions in one block (interval mining): the second finds the program recent.
        let first = entry_of_a_call(&mut dev, alice, token);
        let second = entry_of_a_call(&mut dev, bob, token);
        assert_eq!(first, uncached, "ArbOS {arbos}");
        assert_eq!(second, if recent { cached } else { uncached }, "ArbOS {arbos}");
        // A new block starts with an empty recent set.
        assert!(dev.seal_pending());
        assert_eq!(entry_of_a_call(&mut dev, alice, token), uncached, "ArbOS {arbos}");
        dev.mine(1);
        let arbsys = view(&mut dev, poco_devnet::stylus::arbwasm::ARB_SYS, poco_devnet::stylus::arbwasm::ArbSys::arbOSVersionCall {});
        assert_eq!(arbsys, U256::from(55 + arbos));
    }
}

#[test]
fn interval_mining_collects_transactions_and_answers_pool_errors_like_geth() {
    let mut dev = devnet(51, true);
    let (alice, bob) = (dev.accounts()[0], dev.accounts()[1]);
    let start = dev.block_number();
    let transfer = |dev: &mut Devnet, nonce: u64| {
        dev.send(TxRequest { from: alice, to: Some(bob), value: U256::from(1), nonce: Some(nonce), gas: Some(21_000), ..Default::default() })
    };
    let a = transfer(&mut dev, 0).expect("first");
    let b = transfer(&mut dev, 1).expect("second");
    assert_eq!(dev.block_number(), start, "pending, not sealed");
    assert!(dev.transaction(a.hash()).is_none() && dev.pending_transaction(a.hash()).is_some());
    let err = transfer(&mut dev, 1).expect_err("same nonce again");
    assert!(matches!(err, DevnetError::AlreadyKnown), "{err}");
    assert_eq!(err.to_string(), "already known");
    // A different transaction with a used nonce.
    let stale = TxRequest { from: alice, to: Some(bob), value: U256::from(2), nonce: Some(0), gas: Some(21_000), ..Default::default() };
    let err = dev.send(stale).expect_err("stale nonce");
    assert_eq!(err.to_string(), format!("nonce too low: address {alice}, tx: 0 state: 2"));
    let err = transfer(&mut dev, 5).expect_err("future nonce");
    assert_eq!(err.to_string(), format!("nonce too high: address {alice}, tx: 5 state: 2"));
    assert!(dev.seal_pending());
    assert_eq!(dev.block_number(), start + 1);
    let (a, b) = (dev.transaction(a.hash()).expect("a").clone(), dev.transaction(b.hash()).expect("b").clone());
    assert_eq!((a.block_number, b.block_number), (start + 1, start + 1));
    assert_eq!((a.index, b.index), (0, 1));
    assert_eq!(a.block_hash, b.block_hash);
    assert_eq!(b.cumulative_gas_used, 42_000);
    assert_eq!(dev.latest_block().transactions, vec![a.hash(), b.hash()]);
    assert!(!dev.seal_pending(), "nothing pending");
}
