//! Ownable tests.

use alloy_primitives::{Address, LogData};
use alloy_sol_types::SolEvent;
use stylus_sdk::testing::*;

use super::*;
use crate::error::{encode_reason, Error};

fn logs(vm: &TestVM) -> Vec<LogData> {
    vm.get_emitted_logs()
        .into_iter()
        .map(|(topics, data)| LogData::new_unchecked(topics, data.into()))
        .collect()
}

fn revert(result: Result<(), Error>) -> Vec<u8> {
    result.expect_err("expected a revert").into()
}

#[test]
fn ownership_lifecycle() {
    let vm = TestVM::default();
    let (alice, bob) = (Address::repeat_byte(0xa1), Address::repeat_byte(0xb0));
    let mut o = Ownable::from(&vm);
    o.set_owner(alice);
    assert_eq!(o.owner(), alice);
    assert_eq!(
        logs(&vm),
        vec![OwnershipTransferred { previousOwner: Address::ZERO, newOwner: alice }.encode_log_data()]
    );
    vm.set_sender(bob);
    let not_owner = encode_reason(reasons::OWNABLE_NOT_OWNER);
    assert_eq!(revert(o.only_owner()), not_owner);
    assert_eq!(revert(o.transfer_ownership(bob)), not_owner);
    assert_eq!(revert(o.renounce_ownership()), not_owner);
    vm.set_sender(alice);
    assert_eq!(o.only_owner(), Ok(()));
    assert_eq!(
        revert(o.transfer_ownership(Address::ZERO)),
        encode_reason(reasons::OWNABLE_ZERO_OWNER)
    );
    vm.clear_mocks();
    o.transfer_ownership(bob).unwrap();
    assert_eq!(o.owner(), bob);
    assert_eq!(
        logs(&vm),
        vec![OwnershipTransferred { previousOwner: alice, newOwner: bob }.encode_log_data()]
    );
    vm.set_sender(bob);
    vm.clear_mocks();
    o.renounce_ownership().unwrap();
    assert_eq!(o.owner(), Address::ZERO);
    assert_eq!(
        logs(&vm),
        vec![OwnershipTransferred { previousOwner: bob, newOwner: Address::ZERO }.encode_log_data()]
    );
    assert_eq!(revert(o.only_owner()), not_owner);
}
