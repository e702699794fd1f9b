//! Administration facet tests on `MockHost`: owner checks, one-time configuration, domain,
//! score import (exact v3 calldata), events.

use alloy_primitives::{address, Address, B256, U256};
use alloy_sol_types::{SolCall, SolEvent};
use poco_core::orders::EIP712Domain;
use poco_hub_base::testing::MockHost;

use super::*;

const HUB: Address = address!("000000000000000000000000000000000000a0b0");
const OWNER: Address = address!("0000000000000000000000000000000000000a11");
const ALICE: Address = address!("00000000000000000000000000000000000a11ce");
const WORKER: Address = address!("0000000000000000000000000000000000000f0f");
const RLC: Address = address!("00000000000000000000000000000000000000cc");
const APPS: Address = address!("00000000000000000000000000000000000000a1");
const DATASETS: Address = address!("00000000000000000000000000000000000000a2");
const WORKERPOOLS: Address = address!("00000000000000000000000000000000000000a3");
const V3: Address = address!("00000000000000000000000000000000000000a4");
const CHAIN_ID: u64 = 42161;

fn not_owner() -> Result<(), Vec<u8>> {
    Err(revert::reason("Ownable: caller is not the owner"))
}

fn setup() -> (MockHost, AdminFacet) {
    let host = MockHost::default();
    host.vm.set_contract_address(HUB);
    host.vm.set_chain_id(CHAIN_ID);
    host.vm.set_sender(OWNER);
    let facet = AdminFacet::from(&host);
    diamond::set_owner(facet.vm(), OWNER);
    host.clear_mocks();
    (host, facet)
}

fn configure(facet: &mut AdminFacet) -> Result<(), Vec<u8>> {
    facet.configure(RLC, "Staked RLC".into(), "SRLC".into(), 9, APPS, DATASETS, WORKERPOOLS, V3)
}

#[test]
fn create_category_pushes_and_emits() {
    let (host, mut facet) = setup();
    assert_eq!(facet.create_category("XS".into(), "{}".into(), U256::from(300)), Ok(U256::ZERO));
    assert_eq!(facet.create_category("S".into(), "d".into(), U256::from(1200)), Ok(U256::from(1)));
    let s = poco_storage(facet.vm());
    assert_eq!(s.categories.len(), 2);
    let category = s.categories.getter(1usize).map(|c| c.to_category());
    assert_eq!(category.map(|c| (c.name, c.description, c.workClockTimeRef)), Some(("S".into(), "d".into(), U256::from(1200))));
    let event = CreateCategory { catid: U256::from(1), name: "S".into(), description: "d".into(), workClockTimeRef: U256::from(1200) };
    let logs = host.vm.get_emitted_logs();
    assert_eq!(logs.len(), 2);
    assert_eq!(logs[1], (vec![CreateCategory::SIGNATURE_HASH], event.encode_data()));
}

#[test]
fn create_category_is_owner_only() {
    let (host, mut facet) = setup();
    host.vm.set_sender(ALICE);
    assert_eq!(facet.create_category("XS".into(), "{}".into(), U256::from(300)).map(|_| ()), not_owner());
    assert_eq!(poco_storage(facet.vm()).categories.len(), 0);
}

#[test]
fn configure_sets_everything_once() {
    let (host, mut facet) = setup();
    assert_eq!(configure(&mut facet), Ok(()));
    let s = poco_storage(facet.vm());
    assert_eq!(s.domain_separator.get(), poco_core::eip712::domain_separator(CHAIN_ID, &HUB));
    assert_eq!(s.base_token.get(), RLC);
    assert_eq!(s.name.get_string(), "Staked RLC");
    assert_eq!(s.symbol.get_string(), "SRLC");
    assert_eq!(s.decimals.get().to::<u8>(), 9);
    assert_eq!((s.app_registry.get(), s.dataset_registry.get(), s.workerpool_registry.get()), (APPS, DATASETS, WORKERPOOLS));
    assert_eq!(s.v3_iexec_hub.get(), V3);
    assert_eq!(s.callback_gas.get(), U256::from(200_000));
    assert!(host.vm.get_emitted_logs().is_empty());
    assert_eq!(configure(&mut facet), Err(revert::reason("already-configured")));
}

#[test]
fn configure_is_owner_only() {
    let (host, mut facet) = setup();
    host.vm.set_sender(ALICE);
    assert_eq!(configure(&mut facet), not_owner());
}

#[test]
fn domain_is_pocos() {
    let (_host, facet) = setup();
    let expected = EIP712Domain {
        name: "iExecODB".into(),
        version: "5.0.0".into(),
        chainId: U256::from(CHAIN_ID),
        verifyingContract: HUB,
    };
    assert_eq!(facet.domain(), expected);
}

#[test]
fn update_domain_separator_requires_configuration() {
    let (host, mut facet) = setup();
    assert_eq!(facet.update_domain_separator(), Err(revert::reason("not-configured")));
    configure(&mut facet).unwrap();
    host.vm.set_chain_id(1);
    host.vm.set_sender(ALICE);
    assert_eq!(facet.update_domain_separator(), Ok(()));
    assert_eq!(poco_storage(facet.vm()).domain_separator.get(), poco_core::eip712::domain_separator(1, &HUB));
}

fn view_score_data() -> Vec<u8> {
    viewScoreCall { worker: WORKER }.abi_encode()
}

fn word(v: u64) -> Vec<u8> {
    U256::from(v).to_be_bytes::<32>().to_vec()
}

#[test]
fn import_score_takes_the_maximum_once() {
    let (host, mut facet) = setup();
    configure(&mut facet).unwrap();
    poco_storage(facet.vm()).worker_scores.setter(WORKER).set(U256::from(5));
    host.vm.set_sender(ALICE);
    host.mock(V3, view_score_data(), Ok(word(3)));
    assert_eq!(facet.import_score(WORKER), Ok(()));
    assert_eq!(poco_storage(facet.vm()).worker_scores.get(WORKER), U256::from(5), "max keeps the higher score");
    assert_eq!(host.calls_made(), vec![(V3, view_score_data())]);
    assert_eq!(facet.import_score(WORKER), Err(revert::reason("score-already-imported")));
}

#[test]
fn import_score_raises_a_lower_score() {
    let (host, mut facet) = setup();
    configure(&mut facet).unwrap();
    host.mock(V3, view_score_data(), Ok(word(12)));
    assert_eq!(facet.import_score(WORKER), Ok(()));
    let s = poco_storage(facet.vm());
    assert_eq!(s.worker_scores.get(WORKER), U256::from(12));
    assert!(s.v3_score_imported.get(WORKER));
}

#[test]
fn import_score_bubbles_v3_failures() {
    let (host, mut facet) = setup();
    configure(&mut facet).unwrap();
    let v3_error = revert::reason("v3");
    host.mock(V3, view_score_data(), Err(v3_error.clone()));
    assert_eq!(facet.import_score(WORKER), Err(v3_error));
    host.clear_mocks();
    assert_eq!(facet.import_score(WORKER), Err(vec![]), "no answer does not decode");
    assert!(!poco_storage(facet.vm()).v3_score_imported.get(WORKER));
}

#[test]
fn setters_are_owner_only_and_silent() {
    let (host, mut facet) = setup();
    let teebroker = address!("00000000000000000000000000000000000000ee");
    assert_eq!(facet.set_tee_broker(teebroker), Ok(()));
    assert_eq!(facet.set_callback_gas(U256::from(7)), Ok(()));
    assert_eq!(facet.change_registries(WORKERPOOLS, APPS, DATASETS), Ok(()));
    let s = poco_storage(facet.vm());
    assert_eq!(s.teebroker.get(), teebroker);
    assert_eq!(s.callback_gas.get(), U256::from(7));
    assert_eq!((s.app_registry.get(), s.dataset_registry.get(), s.workerpool_registry.get()), (WORKERPOOLS, APPS, DATASETS));
    assert!(host.vm.get_emitted_logs().is_empty());
    host.vm.set_sender(ALICE);
    assert_eq!(facet.set_tee_broker(Address::ZERO), not_owner());
    assert_eq!(facet.set_callback_gas(U256::ZERO), not_owner());
    assert_eq!(facet.change_registries(Address::ZERO, Address::ZERO, Address::ZERO), not_owner());
    let _ = B256::ZERO;
}
