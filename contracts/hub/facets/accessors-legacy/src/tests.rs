//! Legacy view facet tests on `MockHost`: each tuple against storage written through the
//! shared layout; out-of-range categories revert `Panic(0x32)`.

use alloy_primitives::{address, Address, B256, U256};
use poco_hub_base::testing::MockHost;

use super::*;

const ALICE: Address = address!("00000000000000000000000000000000000a11ce");
const BOB: Address = address!("0000000000000000000000000000000000000b0b");

fn setup() -> (MockHost, AccessorsLegacyFacet) {
    let host = MockHost::default();
    let facet = AccessorsLegacyFacet::from(&host);
    (host, facet)
}

fn sample_deal() -> Deal {
    poco_hub_base::testing::sample_deal(ALICE, BOB)
}

#[test]
fn deal_tuples() {
    let (_host, facet) = setup();
    let id = B256::repeat_byte(0x42);
    let d = sample_deal();
    poco_storage(facet.vm()).deals.setter(id).store(&d).unwrap();
    assert_eq!(
        facet.view_deal_abi_legacy_pt1(id),
        (
            d.app.pointer, d.app.owner, d.app.price, d.dataset.pointer, d.dataset.owner, d.dataset.price,
            d.workerpool.pointer, d.workerpool.owner, d.workerpool.price
        )
    );
    assert_eq!(
        facet.view_deal_abi_legacy_pt2(id),
        (d.trust, d.tag, d.requester, d.beneficiary, d.callback, d.params.clone())
    );
    assert_eq!(
        facet.view_config_abi_legacy(id),
        (d.category, d.startTime, d.botFirst, d.botSize, d.workerStake, d.schedulerRewardRatio)
    );
    assert_eq!(facet.view_config_abi_legacy(B256::ZERO), Default::default());
}

#[test]
fn account_tuple() {
    let (_host, facet) = setup();
    let mut s = poco_storage(facet.vm());
    s.accounts.setter(ALICE).balance.set(alloy_primitives::aliases::U128::from(20));
    s.accounts.setter(ALICE).frozen.set(alloy_primitives::aliases::U128::from(10));
    assert_eq!(facet.view_account_abi_legacy(ALICE), (U256::from(20), U256::from(10)));
    assert_eq!(facet.view_account_abi_legacy(BOB), (U256::ZERO, U256::ZERO));
}

#[test]
fn category_tuple_panics_out_of_range() {
    let (_host, facet) = setup();
    let mut s = poco_storage(facet.vm());
    let mut c = s.categories.grow();
    c.name.set_str("XS");
    c.description.set_str("{}");
    c.work_clock_time_ref.set(U256::from(300));
    assert_eq!(facet.view_category_abi_legacy(U256::ZERO), Ok(("XS".into(), "{}".into(), U256::from(300))));
    for out_of_range in [U256::from(1), U256::MAX] {
        assert_eq!(facet.view_category_abi_legacy(out_of_range), Err(revert::panic(0x32)));
    }
}
