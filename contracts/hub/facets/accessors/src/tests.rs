//! View facet tests on `MockHost`: every view against storage written through the shared
//! layout, out-of-range categories (bare revert), asset getters (exact
//! calldata, reverts bubbled, undecodable answers), constants.

use alloy_primitives::{address, Address, Bytes, B256, U256};
use alloy_sol_types::{SolCall, SolValue};
use poco_hub_base::testing::MockHost;

use super::*;

const HUB: Address = address!("000000000000000000000000000000000000a0b0");
const ALICE: Address = address!("00000000000000000000000000000000000a11ce");
const BOB: Address = address!("0000000000000000000000000000000000000b0b");
const ASSET: Address = address!("00000000000000000000000000000000000000a5");

fn setup() -> (MockHost, AccessorsFacet) {
    let host = MockHost::default();
    host.vm.set_contract_address(HUB);
    let facet = AccessorsFacet::from(&host);
    (host, facet)
}

fn sample_deal() -> Deal {
    poco_hub_base::testing::sample_deal(ALICE, BOB)
}

#[test]
fn deal_views() {
    let (_host, facet) = setup();
    let id = B256::repeat_byte(0x42);
    let deal = sample_deal();
    poco_storage(facet.vm()).deals.setter(id).store(&deal).unwrap();
    assert_eq!(facet.view_deal(id), deal);
    assert_eq!(facet.view_deal(B256::ZERO), Deal::default());
}

#[test]
fn order_and_score_views() {
    let (_host, facet) = setup();
    let mut s = poco_storage(facet.vm());
    s.consumed.setter(B256::repeat_byte(1)).set(U256::from(5));
    s.presigned.setter(B256::repeat_byte(2)).set(ALICE);
    s.worker_scores.setter(BOB).set(U256::from(8));
    assert_eq!(facet.view_consumed(B256::repeat_byte(1)), U256::from(5));
    assert_eq!(facet.view_presigned(B256::repeat_byte(2)), ALICE);
    assert_eq!(facet.view_score(BOB), U256::from(8));
    assert_eq!(facet.view_score(ALICE), U256::ZERO);
}

#[test]
fn srlc_views() {
    let (_host, facet) = setup();
    let mut s = poco_storage(facet.vm());
    s.name.set_str("Staked RLC");
    s.symbol.set_str("SRLC");
    s.decimals.set(alloy_primitives::aliases::U8::from(9));
    s.total_supply.set(U256::from(30));
    s.accounts.setter(ALICE).balance.set(alloy_primitives::aliases::U128::from(20));
    s.accounts.setter(ALICE).frozen.set(alloy_primitives::aliases::U128::from(10));
    s.allowances.setter(ALICE).setter(BOB).set(U256::from(3));
    s.base_token.set(ASSET);
    assert_eq!(facet.name(), "Staked RLC");
    assert_eq!(facet.symbol(), "SRLC");
    assert_eq!(facet.decimals(), 9);
    assert_eq!(facet.total_supply(), U256::from(30));
    assert_eq!(facet.balance_of(ALICE), U256::from(20));
    assert_eq!(facet.frozen_of(ALICE), U256::from(10));
    assert_eq!(facet.allowance(ALICE, BOB), U256::from(3));
    assert_eq!(facet.allowance(BOB, ALICE), U256::ZERO);
    assert_eq!(facet.view_account(ALICE), Account { stake: U256::from(20), locked: U256::from(10) });
    assert_eq!(facet.token(), ASSET);
}

#[test]
fn category_views() {
    let (_host, facet) = setup();
    let mut s = poco_storage(facet.vm());
    let mut c = s.categories.grow();
    c.name.set_str("XS");
    c.description.set_str("{}");
    c.work_clock_time_ref.set(U256::from(300));
    assert_eq!(facet.count_category(), U256::from(1));
    let expected = Category { name: "XS".into(), description: "{}".into(), workClockTimeRef: U256::from(300) };
    assert_eq!(facet.view_category(U256::ZERO), Ok(expected));
    for out_of_range in [U256::from(1), U256::MAX] {
        assert_eq!(facet.view_category(out_of_range), Err(vec![]));
    }
}

#[test]
fn settings_views() {
    let (_host, facet) = setup();
    let mut s = poco_storage(facet.vm());
    s.app_registry.set(Address::repeat_byte(1));
    s.dataset_registry.set(Address::repeat_byte(2));
    s.workerpool_registry.set(Address::repeat_byte(3));
    s.teebroker.set(Address::repeat_byte(4));
    s.callback_gas.set(U256::from(200_000));
    s.domain_separator.set(B256::repeat_byte(5));
    assert_eq!(facet.appregistry(), Address::repeat_byte(1));
    assert_eq!(facet.datasetregistry(), Address::repeat_byte(2));
    assert_eq!(facet.workerpoolregistry(), Address::repeat_byte(3));
    assert_eq!(facet.teebroker(), Address::repeat_byte(4));
    assert_eq!(facet.callbackgas(), U256::from(200_000));
    assert_eq!(facet.eip712domain_separator(), B256::repeat_byte(5));
}

#[test]
fn constants() {
    let (_host, facet) = setup();
    assert_eq!(facet.contribution_deadline_ratio(), U256::from(7));
    assert_eq!(facet.reveal_deadline_ratio(), U256::from(2));
    assert_eq!(facet.final_deadline_ratio(), U256::from(10));
    assert_eq!(facet.workerpool_stake_ratio(), U256::from(30));
    assert_eq!(facet.kitty_ratio(), U256::from(10));
    assert_eq!(facet.kitty_min(), U256::from(1_000_000_000u64));
    assert_eq!(facet.kitty_address(), address!("99c2268479b93fDe36232351229815DF80837e23"));
    assert_eq!(facet.groupmember_purpose(), U256::from(4));
}

fn mock<C: SolCall>(host: &MockHost, answer: Vec<u8>) {
    host.mock(ASSET, C::SELECTOR.to_vec(), Ok(answer));
}

#[test]
fn view_app_reads_the_app_getters() {
    let (host, facet) = setup();
    mock::<ownerCall>(&host, ALICE.abi_encode());
    mock::<m_appNameCall>(&host, "name".to_string().abi_encode());
    mock::<m_appTypeCall>(&host, "DOCKER".to_string().abi_encode());
    mock::<m_appMultiaddrCall>(&host, Bytes::from(b"docker.io/app".to_vec()).abi_encode());
    mock::<m_appChecksumCall>(&host, B256::repeat_byte(3).abi_encode());
    mock::<m_appMREnclaveCall>(&host, Bytes::from(b"{}".to_vec()).abi_encode());
    let expected = AppInfo {
        owner: ALICE,
        m_appName: "name".into(),
        m_appType: "DOCKER".into(),
        m_appMultiaddr: Bytes::from(b"docker.io/app".to_vec()),
        m_appChecksum: B256::repeat_byte(3),
        m_appMREnclave: Bytes::from(b"{}".to_vec()),
    };
    assert_eq!(facet.view_app(ASSET), Ok(expected));
    let selectors: Vec<Vec<u8>> = host.calls_made().into_iter().map(|(to, data)| {
        assert_eq!(to, ASSET);
        data
    }).collect();
    assert_eq!(
        selectors,
        [ownerCall::SELECTOR, m_appNameCall::SELECTOR, m_appTypeCall::SELECTOR, m_appMultiaddrCall::SELECTOR,
            m_appChecksumCall::SELECTOR, m_appMREnclaveCall::SELECTOR].map(|s| s.to_vec()).to_vec()
    );
}

#[test]
fn view_dataset_reads_the_dataset_getters() {
    let (host, facet) = setup();
    mock::<ownerCall>(&host, BOB.abi_encode());
    mock::<m_datasetNameCall>(&host, "ds".to_string().abi_encode());
    mock::<m_datasetMultiaddrCall>(&host, Bytes::from(b"ipfs://x".to_vec()).abi_encode());
    mock::<m_datasetChecksumCall>(&host, B256::repeat_byte(8).abi_encode());
    let expected = DatasetInfo {
        owner: BOB,
        m_datasetName: "ds".into(),
        m_datasetMultiaddr: Bytes::from(b"ipfs://x".to_vec()),
        m_datasetChecksum: B256::repeat_byte(8),
    };
    assert_eq!(facet.view_dataset(ASSET), Ok(expected));
}

#[test]
fn view_workerpool_reads_the_workerpool_getters() {
    let (host, facet) = setup();
    mock::<ownerCall>(&host, BOB.abi_encode());
    mock::<m_workerpoolDescriptionCall>(&host, "pool".to_string().abi_encode());
    mock::<m_workerStakeRatioPolicyCall>(&host, U256::from(30).abi_encode());
    mock::<m_schedulerRewardRatioPolicyCall>(&host, U256::from(1).abi_encode());
    let expected = WorkerpoolInfo {
        owner: BOB,
        m_workerpoolDescription: "pool".into(),
        m_workerStakeRatioPolicy: U256::from(30),
        m_schedulerRewardRatioPolicy: U256::from(1),
    };
    assert_eq!(facet.view_workerpool(ASSET), Ok(expected));
}

#[test]
fn asset_views_bubble_reverts_and_reject_undecodable_answers() {
    let (host, facet) = setup();
    // No code: no answer, the decoder reverts bare.
    assert_eq!(facet.view_app(ASSET), Err(vec![]));
    assert_eq!(facet.view_dataset(ASSET), Err(vec![]));
    assert_eq!(facet.view_workerpool(ASSET), Err(vec![]));
    // A dirty address word.
    mock::<ownerCall>(&host, U256::MAX.abi_encode());
    assert_eq!(facet.view_workerpool(ASSET), Err(vec![]));
    // A revert of a later getter.
    mock::<ownerCall>(&host, BOB.abi_encode());
    let error = revert::reason("nope");
    host.mock(ASSET, m_workerpoolDescriptionCall::SELECTOR.to_vec(), Err(error.clone()));
    assert_eq!(facet.view_workerpool(ASSET), Err(error));
}
