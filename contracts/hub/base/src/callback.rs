//! The result callback of a deal (EIP-1154 `receiveResult`), as PoCo delivers it: a call with
//! exactly `callbackgas` gas whose outcome is ignored — a reverting or gas-hungry consumer
//! cannot block the task (Halborn) — then the 1/63 gas rule
//! ([`poco_core::lifecycle::has_gas_after_callback`]), so the sender cannot starve it.
//! Classic `finalize` and Boost's `pushResultBoost` differ only in the revert of that rule.
//!
//! PoCo: contracts/facets/IexecPoco2Facet.sol, executeCallback / IexecPocoBoostFacet.sol, pushResultBoost

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall};
use poco_core::lifecycle::has_gas_after_callback;
use stylus_sdk::{call::RawCall, host::VM, prelude::*};

use crate::log;

sol! {
    /// EIP-1154 oracle consumer: the deal's callback receives each task's `resultsCallback`.
    function receiveResult(bytes32 taskid, bytes result);
}

/// Calls `callback.receiveResult(task_id, data)` with `callback_gas` gas, ignoring its
/// outcome, and tells whether the gas rule holds afterwards (`gasleft() > callbackgas / 63`).
/// The callee may read the hub back (`resultFor`) or call it: the storage cache is written
/// out and dropped first, and nothing of its answer is copied back.
pub fn deliver_result(vm: &VM, callback: Address, callback_gas: U256, task_id: B256, data: &[u8]) -> bool {
    let mut calldata = Vec::with_capacity(4 + 96 + data.len() + 31);
    calldata.extend_from_slice(&receiveResultCall::SELECTOR);
    calldata.extend_from_slice(task_id.as_slice());
    calldata.extend_from_slice(&log::uint(U256::from(64)));
    log::append_bytes_tail(&mut calldata, data);
    // SAFETY: no storage reference is alive across the call (the cache is cleared).
    let _ = unsafe {
        RawCall::new(vm)
            .gas(u64::try_from(callback_gas).unwrap_or(u64::MAX))
            .clear_storage_cache()
            .skip_return_data()
            .call(callback, &calldata)
    };
    has_gas_after_callback(vm.evm_gas_left(), &callback_gas)
}

// `MockHost` records the calls and their gas; it is built with feature `testing`.
#[cfg(all(test, feature = "testing"))]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

    use super::*;
    use crate::testing::MockHost;
    use alloc::vec;

    #[test]
    fn delivers_the_abi_encoded_result_with_the_configured_gas() {
        let host = MockHost::default();
        let callback = Address::repeat_byte(0xcb);
        let task = B256::repeat_byte(7);
        let data = b"some callback data longer than one word, 45 b".to_vec();
        let expected = receiveResultCall { taskid: task, result: data.clone().into() }.abi_encode();
        host.mock(callback, expected.clone(), Err(b"reverts".to_vec()));
        host.vm.set_gas_left(200_000 / 63 + 1);
        assert!(deliver_result(&host.handle(), callback, U256::from(200_000), task, &data));
        assert_eq!(host.calls_made(), vec![(callback, expected)]);
        assert_eq!(host.call_gas(), vec![200_000]);
        host.vm.set_gas_left(200_000 / 63);
        assert!(!deliver_result(&host.handle(), callback, U256::from(200_000), task, &data));
    }
}
