//! Ledger tests on TestVM (a stand-in contract gives the functions a host).
#![allow(unexpected_cfgs)] // `#[public]` on the stand-in host checks an `export-abi` feature

// When a host build enables stylus-sdk's `export-abi` (scripts/test does, for the ABI
// binaries), `#[public]` also emits code naming `std`, which this `no_std` crate must bring
// into scope.
extern crate std;

use alloc::{vec, vec::Vec};

use alloy_primitives::{address, Address, B256, U256};
use alloy_sol_types::SolEvent;
use poco_core::reasons;
use stylus_sdk::{prelude::*, testing::TestVM};

use super::*;
use crate::{layout::poco_storage, revert};

const HUB: Address = address!("00000000000000000000000000000000000000aa");
const ALICE: Address = address!("0000000000000000000000000000000000000a11");
const BOB: Address = address!("0000000000000000000000000000000000000b0b");
const REF: B256 = B256::repeat_byte(7);

#[storage]
#[entrypoint]
struct Host {}

#[public]
impl Host {}

fn setup(alice_balance: u64) -> (TestVM, Host) {
    let vm = TestVM::default();
    vm.set_contract_address(HUB);
    let host = Host::from(&vm);
    let mut s = poco_storage(host.vm());
    mint(host.vm(), &mut s, ALICE, U256::from(alice_balance)).unwrap();
    vm.clear_mocks();
    (vm, host)
}

fn balances(host: &Host, who: Address) -> (U256, U256) {
    let s = poco_storage(host.vm());
    let r = s.accounts.getter(who);
    (r.balance(), r.frozen())
}

#[test]
fn lock_moves_balance_to_the_hub_and_freezes_it() {
    let (vm, host) = setup(100);
    let mut s = poco_storage(host.vm());
    lock(host.vm(), &mut s, ALICE, U256::from(30)).unwrap();
    assert_eq!(balances(&host, ALICE), (U256::from(70), U256::from(30)));
    assert_eq!(balances(&host, HUB).0, U256::from(30));
    let logs = vm.get_emitted_logs();
    assert_eq!(logs[0].0[0], Transfer::SIGNATURE_HASH);
    assert_eq!(logs[1].0[0], Lock::SIGNATURE_HASH);
}

#[test]
fn lock_beyond_balance_reverts_with_poco_reason() {
    let (_vm, host) = setup(10);
    let mut s = poco_storage(host.vm());
    let err = lock(host.vm(), &mut s, ALICE, U256::from(11)).unwrap_err();
    assert_eq!(err, revert::reason(reasons::ESCROW_AMOUNT_EXCEEDS_BALANCE));
    assert_eq!(balances(&host, ALICE), (U256::from(10), U256::ZERO));
}

#[test]
fn unlock_reward_and_seize_follow_poco() {
    let (vm, host) = setup(100);
    let mut s = poco_storage(host.vm());
    lock(host.vm(), &mut s, ALICE, U256::from(60)).unwrap();
    unlock(host.vm(), &mut s, ALICE, U256::from(10)).unwrap();
    seize(host.vm(), &mut s, ALICE, U256::from(20), REF).unwrap();
    reward(host.vm(), &mut s, BOB, U256::from(20), REF).unwrap();
    assert_eq!(balances(&host, ALICE), (U256::from(50), U256::from(30)));
    assert_eq!(balances(&host, BOB), (U256::from(20), U256::ZERO));
    assert_eq!(balances(&host, HUB).0, U256::from(30));
    let topics: Vec<B256> = vm.get_emitted_logs().iter().map(|l| l.0[0]).collect();
    assert!(topics.contains(&Seize::SIGNATURE_HASH) && topics.contains(&Reward::SIGNATURE_HASH));
    assert!(topics.contains(&Unlock::SIGNATURE_HASH));
}

#[test]
fn seize_or_unlock_beyond_frozen_panics_0x11() {
    let (_vm, host) = setup(100);
    let mut s = poco_storage(host.vm());
    lock(host.vm(), &mut s, ALICE, U256::from(5)).unwrap();
    assert_eq!(seize(host.vm(), &mut s, ALICE, U256::from(6), REF), Err(revert::panic(0x11)));
    assert_eq!(unlock(host.vm(), &mut s, BOB, U256::from(1)), Err(revert::panic(0x11)));
}

#[test]
fn erc20_transfer_reverts_bare_on_short_balance_and_named_on_zero_addresses() {
    let (_vm, host) = setup(10);
    let mut s = poco_storage(host.vm());
    assert_eq!(erc20_transfer(host.vm(), &mut s, ALICE, BOB, U256::from(11)), Err(vec![]));
    assert_eq!(
        erc20_transfer(host.vm(), &mut s, ALICE, Address::ZERO, U256::from(1)),
        Err(revert::reason(reasons::ERC20_TRANSFER_TO_ZERO))
    );
    assert_eq!(
        erc20_transfer(host.vm(), &mut s, Address::ZERO, BOB, U256::from(1)),
        Err(revert::reason(reasons::ERC20_TRANSFER_FROM_ZERO))
    );
    erc20_transfer(host.vm(), &mut s, ALICE, ALICE, U256::from(10)).unwrap();
    assert_eq!(balances(&host, ALICE).0, U256::from(10));
}

#[test]
fn amounts_beyond_uint128_are_refused_not_wrapped() {
    let (_vm, host) = setup(10);
    let mut s = poco_storage(host.vm());
    let huge = U256::from(u128::MAX) + U256::from(1);
    assert_eq!(mint(host.vm(), &mut s, BOB, huge), Err(revert::panic(0x11)));
    assert_eq!(burn(host.vm(), &mut s, ALICE, huge), Err(vec![]));
    assert_eq!(
        lock(host.vm(), &mut s, ALICE, huge),
        Err(revert::reason(reasons::ESCROW_AMOUNT_EXCEEDS_BALANCE))
    );
    assert_eq!(s.total_supply.get(), U256::from(10));
}

#[test]
fn burn_lowers_supply() {
    let (_vm, host) = setup(10);
    let mut s = poco_storage(host.vm());
    burn(host.vm(), &mut s, ALICE, U256::from(4)).unwrap();
    assert_eq!(s.total_supply.get(), U256::from(6));
    assert_eq!(balances(&host, ALICE).0, U256::from(6));
}
