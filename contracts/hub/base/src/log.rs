//! Hand-encoded events. The SDK's `vm.log(event)` goes through alloy's generic event
//! encoder, one monomorphised copy (~0.5 KB of wasm) per event type; PoCo's escrow and
//! matching events have only static parameters, so their encoding is topics followed by
//! 32-byte words, which one function writes for all of them.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use stylus_sdk::{host::VM, stylus_core::host::RawLogAccess};

/// Emits a log whose topics are `topics` (the event's signature hash first, then its indexed
/// parameters) and whose data is `words` (its non-indexed static parameters, ABI-encoded).
#[inline(never)]
pub fn emit(vm: &VM, topics: &[B256], words: &[[u8; 32]]) {
    let mut bytes = Vec::with_capacity(32 * (topics.len() + words.len()));
    for topic in topics {
        bytes.extend_from_slice(topic.as_slice());
    }
    for word in words {
        bytes.extend_from_slice(word);
    }
    vm.emit_log(&bytes, topics.len());
}

/// Emits a log whose data is one ABI-encoded `bytes` parameter (`TaskFinalize`'s results).
#[inline(never)]
pub fn emit_bytes(vm: &VM, topics: &[B256], data: &[u8]) {
    let mut bytes = Vec::with_capacity(32 * (topics.len() + 2) + data.len() + 31);
    for topic in topics {
        bytes.extend_from_slice(topic.as_slice());
    }
    bytes.extend_from_slice(&uint(U256::from(32)));
    append_bytes_tail(&mut bytes, data);
    vm.emit_log(&bytes, topics.len());
}

/// Appends the tail of an ABI-encoded `bytes`: its length word, then the data padded to a
/// whole number of words.
pub fn append_bytes_tail(out: &mut Vec<u8>, data: &[u8]) {
    out.extend_from_slice(&uint(U256::from(data.len())));
    out.extend_from_slice(data);
    out.resize(out.len() + (32 - data.len() % 32) % 32, 0);
}

/// An `address` as an ABI word (or topic).
pub fn address(account: Address) -> [u8; 32] {
    account.into_word().0
}

/// A `uint256` as an ABI word.
pub fn uint(value: U256) -> [u8; 32] {
    value.to_be_bytes()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

    use alloc::boxed::Box;
    use alloy_sol_types::SolEvent;
    use stylus_sdk::{stylus_core::host::LogAccess, testing::TestVM};

    use super::*;
    use crate::escrow::{Approval, Lock, Reward, Transfer};

    /// Our encoding of each event equals the SDK's generic `vm.log`.
    #[test]
    fn hand_encoding_matches_alloys() {
        let (a, b, v, r) = (Address::repeat_byte(1), Address::repeat_byte(2), U256::from(77), B256::repeat_byte(3));
        let ours = TestVM::default();
        let vm = VM { host: Box::new(ours.clone()) };
        emit(&vm, &[Transfer::SIGNATURE_HASH, a.into_word(), b.into_word()], &[uint(v)]);
        emit(&vm, &[Approval::SIGNATURE_HASH, a.into_word(), b.into_word()], &[uint(v)]);
        emit(&vm, &[Lock::SIGNATURE_HASH], &[address(a), uint(v)]);
        emit(&vm, &[Reward::SIGNATURE_HASH], &[address(a), uint(v), r.0]);
        let theirs = TestVM::default();
        theirs.log(Transfer { from: a, to: b, value: v });
        theirs.log(Approval { owner: a, spender: b, value: v });
        theirs.log(Lock { owner: a, amount: v });
        theirs.log(Reward { owner: a, amount: v, r#ref: r });
        assert_eq!(ours.get_emitted_logs(), theirs.get_emitted_logs());
    }

    /// A `bytes` parameter is encoded as alloy encodes it, for every padding case.
    #[test]
    fn bytes_encoding_matches_alloys() {
        use crate::task::TaskFinalize;
        let id = B256::repeat_byte(9);
        for len in [0usize, 1, 31, 32, 33, 89, 64] {
            let results: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let ours = TestVM::default();
            let vm = VM { host: Box::new(ours.clone()) };
            emit_bytes(&vm, &[TaskFinalize::SIGNATURE_HASH, id], &results);
            let theirs = TestVM::default();
            theirs.log(TaskFinalize { taskid: id, results: results.clone().into() });
            assert_eq!(ours.get_emitted_logs(), theirs.get_emitted_logs(), "len {len}");
        }
    }
}
