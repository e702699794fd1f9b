//! Cross-checks the hand-written EIP-712 hashes of `poco_core::eip712` against alloy's generic
//! `SolStruct` EIP-712 implementation on random orders and operations.
//!
//! The mirror structs below are PoCo's *EIP-712* shapes (no `sign`, `operation` as `uint256`),
//! which is what PoCo's typehash strings describe.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_sol_types::{eip712_domain, SolStruct};
use poco_core::eip712::{domain_separator, typed_data_hash, PocoStructHash};
use poco_core::orders;
use proptest::prelude::*;

mod mirror {
    alloy_sol_types::sol! {
        struct AppOrder { address app; uint256 appprice; uint256 volume; bytes32 tag; address datasetrestrict; address workerpoolrestrict; address requesterrestrict; bytes32 salt; }
        struct DatasetOrder { address dataset; uint256 datasetprice; uint256 volume; bytes32 tag; address apprestrict; address workerpoolrestrict; address requesterrestrict; bytes32 salt; }
        struct WorkerpoolOrder { address workerpool; uint256 workerpoolprice; uint256 volume; bytes32 tag; uint256 category; uint256 trust; address apprestrict; address datasetrestrict; address requesterrestrict; bytes32 salt; }
        struct RequestOrder { address app; uint256 appmaxprice; address dataset; uint256 datasetmaxprice; address workerpool; uint256 workerpoolmaxprice; address requester; uint256 volume; bytes32 tag; uint256 category; uint256 trust; address beneficiary; address callback; string params; bytes32 salt; }
        struct AppOrderOperation { AppOrder order; uint256 operation; }
        struct DatasetOrderOperation { DatasetOrder order; uint256 operation; }
        struct WorkerpoolOrderOperation { WorkerpoolOrder order; uint256 operation; }
        struct RequestOrderOperation { RequestOrder order; uint256 operation; }
    }
}

fn addr() -> impl Strategy<Value = Address> {
    any::<[u8; 20]>().prop_map(Address::from)
}
fn word() -> impl Strategy<Value = B256> {
    any::<[u8; 32]>().prop_map(B256::from)
}
fn uint() -> impl Strategy<Value = U256> {
    prop_oneof![
        any::<u64>().prop_map(U256::from),
        any::<[u64; 4]>().prop_map(U256::from_limbs)
    ]
}
fn sign() -> impl Strategy<Value = Bytes> {
    proptest::collection::vec(any::<u8>(), 0..70).prop_map(Bytes::from)
}

prop_compose! {
    fn app_order()(app in addr(), appprice in uint(), volume in uint(), tag in word(),
        datasetrestrict in addr(), workerpoolrestrict in addr(), requesterrestrict in addr(),
        salt in word(), sign in sign()) -> orders::AppOrder {
        orders::AppOrder { app, appprice, volume, tag, datasetrestrict, workerpoolrestrict, requesterrestrict, salt, sign }
    }
}
prop_compose! {
    fn dataset_order()(dataset in addr(), datasetprice in uint(), volume in uint(), tag in word(),
        apprestrict in addr(), workerpoolrestrict in addr(), requesterrestrict in addr(),
        salt in word(), sign in sign()) -> orders::DatasetOrder {
        orders::DatasetOrder { dataset, datasetprice, volume, tag, apprestrict, workerpoolrestrict, requesterrestrict, salt, sign }
    }
}
prop_compose! {
    fn workerpool_order()(workerpool in addr(), workerpoolprice in uint(), volume in uint(), tag in word(),
        category in uint(), trust in uint(), apprestrict in addr(), datasetrestrict in addr(),
        requesterrestrict in addr(), salt in word(), sign in sign()) -> orders::WorkerpoolOrder {
        orders::WorkerpoolOrder { workerpool, workerpoolprice, volume, tag, category, trust, apprestrict, datasetrestrict, requesterrestrict, salt, sign }
    }
}
prop_compose! {
    fn request_order()(
        (app, appmaxprice, dataset, datasetmaxprice, workerpool, workerpoolmaxprice, requester, volume)
            in (addr(), uint(), addr(), uint(), addr(), uint(), addr(), uint()),
        (tag, category, trust, beneficiary, callback, params, salt, sign)
            in (word(), uint(), uint(), addr(), addr(), "\\PC{0,80}", word(), sign()),
    ) -> orders::RequestOrder {
        orders::RequestOrder { app, appmaxprice, dataset, datasetmaxprice, workerpool, workerpoolmaxprice, requester, volume, tag, category, trust, beneficiary, callback, params, salt, sign }
    }
}

fn m_app(o: &orders::AppOrder) -> mirror::AppOrder {
    mirror::AppOrder {
        app: o.app,
        appprice: o.appprice,
        volume: o.volume,
        tag: o.tag,
        datasetrestrict: o.datasetrestrict,
        workerpoolrestrict: o.workerpoolrestrict,
        requesterrestrict: o.requesterrestrict,
        salt: o.salt,
    }
}
fn m_dataset(o: &orders::DatasetOrder) -> mirror::DatasetOrder {
    mirror::DatasetOrder {
        dataset: o.dataset,
        datasetprice: o.datasetprice,
        volume: o.volume,
        tag: o.tag,
        apprestrict: o.apprestrict,
        workerpoolrestrict: o.workerpoolrestrict,
        requesterrestrict: o.requesterrestrict,
        salt: o.salt,
    }
}
fn m_workerpool(o: &orders::WorkerpoolOrder) -> mirror::WorkerpoolOrder {
    mirror::WorkerpoolOrder {
        workerpool: o.workerpool,
        workerpoolprice: o.workerpoolprice,
        volume: o.volume,
        tag: o.tag,
        category: o.category,
        trust: o.trust,
        apprestrict: o.apprestrict,
        datasetrestrict: o.datasetrestrict,
        requesterrestrict: o.requesterrestrict,
        salt: o.salt,
    }
}
fn m_request(o: &orders::RequestOrder) -> mirror::RequestOrder {
    mirror::RequestOrder {
        app: o.app,
        appmaxprice: o.appmaxprice,
        dataset: o.dataset,
        datasetmaxprice: o.datasetmaxprice,
        workerpool: o.workerpool,
        workerpoolmaxprice: o.workerpoolmaxprice,
        requester: o.requester,
        volume: o.volume,
        tag: o.tag,
        category: o.category,
        trust: o.trust,
        beneficiary: o.beneficiary,
        callback: o.callback,
        params: o.params.clone(),
        salt: o.salt,
    }
}

fn alloy_domain(chain_id: u64, hub: Address) -> alloy_sol_types::Eip712Domain {
    eip712_domain! { name: "iExecODB", version: "5.0.0", chain_id: chain_id, verifying_contract: hub, }
}

/// Asserts our struct hash, typehash and typed-data hash equal alloy's for one pair.
fn assert_same<P: PocoStructHash, M: SolStruct>(
    ours: &P,
    mirror: &M,
    chain_id: u64,
    hub: Address,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(P::TYPEHASH, mirror.eip712_type_hash());
    prop_assert_eq!(ours.struct_hash(), mirror.eip712_hash_struct());
    let separator = domain_separator(chain_id, &hub);
    prop_assert_eq!(separator, alloy_domain(chain_id, hub).separator());
    prop_assert_eq!(
        ours.typed_data_hash(&separator),
        mirror.eip712_signing_hash(&alloy_domain(chain_id, hub))
    );
    prop_assert_eq!(
        typed_data_hash(&separator, &ours.struct_hash()),
        ours.typed_data_hash(&separator)
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn app_order_hashes_equal_alloys(o in app_order(), op in 0u8..2, chain_id in any::<u64>(), hub in addr()) {
        assert_same(&o, &m_app(&o), chain_id, hub)?;
        let ours = orders::AppOrderOperation { order: o.clone(), operation: op, sign: Bytes::new() };
        let theirs = mirror::AppOrderOperation { order: m_app(&o), operation: U256::from(op) };
        assert_same(&ours, &theirs, chain_id, hub)?;
    }

    #[test]
    fn dataset_order_hashes_equal_alloys(o in dataset_order(), op in 0u8..2, chain_id in any::<u64>(), hub in addr()) {
        assert_same(&o, &m_dataset(&o), chain_id, hub)?;
        let ours = orders::DatasetOrderOperation { order: o.clone(), operation: op, sign: Bytes::new() };
        let theirs = mirror::DatasetOrderOperation { order: m_dataset(&o), operation: U256::from(op) };
        assert_same(&ours, &theirs, chain_id, hub)?;
    }

    #[test]
    fn workerpool_order_hashes_equal_alloys(o in workerpool_order(), op in 0u8..2, chain_id in any::<u64>(), hub in addr()) {
        assert_same(&o, &m_workerpool(&o), chain_id, hub)?;
        let ours = orders::WorkerpoolOrderOperation { order: o.clone(), operation: op, sign: Bytes::new() };
        let theirs = mirror::WorkerpoolOrderOperation { order: m_workerpool(&o), operation: U256::from(op) };
        assert_same(&ours, &theirs, chain_id, hub)?;
    }

    #[test]
    fn request_order_hashes_equal_alloys(o in request_order(), op in 0u8..2, chain_id in any::<u64>(), hub in addr()) {
        assert_same(&o, &m_request(&o), chain_id, hub)?;
        let ours = orders::RequestOrderOperation { order: o.clone(), operation: op, sign: Bytes::new() };
        let theirs = mirror::RequestOrderOperation { order: m_request(&o), operation: U256::from(op) };
        assert_same(&ours, &theirs, chain_id, hub)?;
    }
}

/// The EIP-712 domain struct returned by `domain()` hashes to the separator we compute.
#[test]
fn domain_struct_matches_separator() {
    let hub = Address::repeat_byte(0x42);
    let d = orders::EIP712Domain::poco(42161, hub);
    let alloy = alloy_sol_types::Eip712Domain::new(
        Some(d.name.clone().into()),
        Some(d.version.clone().into()),
        Some(d.chainId),
        Some(d.verifyingContract),
        None,
    );
    assert_eq!(alloy.separator(), domain_separator(42161, &hub));
    assert_ne!(
        domain_separator(42161, &hub),
        domain_separator(421614, &hub)
    );
}
