//! [`StorageBlob`]: Solidity-layout `bytes`/`string` storage with small code, shared by the
//! registries and the hub.
//!
//! The SDK's `StorageBytes`/`StorageString` index bytes one by one through 256-bit division,
//! which links ruint's division routine (≈9 KB of wasm) and lossy UTF-8 handling into every
//! program that stores a string. This type keeps Solidity's layout (short form: data in the
//! high bytes and `2·len` in the lowest byte; long form: `2·len + 1` at the root and the data
//! at `keccak256(root)`) but reads and writes whole words only.

#![no_std]

extern crate alloc;

use alloc::{string::String, vec::Vec};

use alloy_primitives::{B256, U256};
use stylus_sdk::{
    crypto::keccak,
    host::VM,
    storage::{StorageGuard, StorageGuardMut, StorageType},
    stylus_core::host::StorageAccess,
};

/// A `bytes` or `string` storage field.
pub struct StorageBlob {
    root: U256,
    vm: VM,
}

impl StorageType for StorageBlob {
    type Wraps<'a>
        = StorageGuard<'a, StorageBlob>
    where
        Self: 'a;
    type WrapsMut<'a>
        = StorageGuardMut<'a, StorageBlob>
    where
        Self: 'a;

    unsafe fn new(root: U256, offset: u8, host: VM) -> Self {
        let _ = offset; // a blob always starts a fresh slot
        Self { root, vm: host }
    }

    fn load<'s>(self) -> Self::Wraps<'s> {
        StorageGuard::new(self)
    }

    fn load_mut<'s>(self) -> Self::WrapsMut<'s> {
        StorageGuardMut::new(self)
    }
}

impl StorageBlob {
    /// First slot of the long form's data.
    fn data_slot(&self) -> U256 {
        U256::from_be_bytes(keccak(self.root.to_be_bytes::<32>()).0)
    }

    /// Length in bytes and number of data slots in use.
    fn layout(&self) -> (usize, usize) {
        let word = self.vm.storage_load_bytes32(self.root);
        if word[31] & 1 == 0 {
            return (usize::from(word[31] / 2).min(31), 0);
        }
        let mut low = [0u8; 8];
        low.copy_from_slice(&word[24..]);
        let len = (u64::from_be_bytes(low) >> 1) as usize;
        (len, len.div_ceil(32))
    }

    /// Whether the field holds no byte.
    pub fn is_empty(&self) -> bool {
        self.layout().0 == 0
    }

    /// The stored bytes.
    #[inline(never)]
    pub fn get_bytes(&self) -> Vec<u8> {
        let word = self.vm.storage_load_bytes32(self.root);
        let (len, slots) = self.layout();
        if slots == 0 {
            return word[..len].to_vec();
        }
        let mut out = Vec::with_capacity(slots * 32);
        let mut slot = self.data_slot();
        for _ in 0..slots {
            out.extend_from_slice(self.vm.storage_load_bytes32(slot).as_slice());
            slot += U256::from(1);
        }
        out.truncate(len);
        out
    }

    /// The stored string (stored strings come from ABI-decoded, valid UTF-8 input; anything
    /// else reads as empty).
    pub fn get_string(&self) -> String {
        String::from_utf8(self.get_bytes()).unwrap_or_default()
    }

    /// Replaces the stored bytes, zeroing data slots the new value no longer uses.
    #[inline(never)]
    pub fn set_bytes(&mut self, bytes: &[u8]) {
        let (_, old_slots) = self.layout();
        let len = bytes.len();
        let mut root = [0u8; 32];
        let mut new_slots = 0;
        if len < 32 {
            root[..len].copy_from_slice(bytes);
            root[31] = (len * 2) as u8;
        } else {
            root[24..].copy_from_slice(&((len as u64) * 2 + 1).to_be_bytes());
            new_slots = len.div_ceil(32);
        }
        // SAFETY: plain word writes to slots this field owns (root and keccak(root) + i).
        unsafe {
            self.vm.storage_cache_bytes32(self.root, B256::from(root));
            let mut slot = self.data_slot();
            for i in 0..new_slots.max(old_slots) {
                let mut chunk = [0u8; 32];
                if let Some(part) = bytes.get(i * 32..).filter(|_| i < new_slots) {
                    let take = part.len().min(32);
                    chunk[..take].copy_from_slice(&part[..take]);
                }
                self.vm.storage_cache_bytes32(slot, B256::from(chunk));
                slot += U256::from(1);
            }
        }
    }

    /// Replaces the stored string.
    pub fn set_str(&mut self, text: &str) {
        self.set_bytes(text.as_bytes());
    }
}

/// A `bytes` storage field in our own, tighter layout, for values written once and read by
/// our views only (a task's results, a deal's params): the root word holds the length
/// (4 bytes, big-endian) and the first 28 bytes, the rest follows at `keccak256(root) + i`.
/// An 89-byte result link takes 3 slots where Solidity's layout takes 4 (one fresh slot,
/// ~22,100 gas, less per finalized task). Lengths are below 2^32: no calldata is that long.
pub struct StoragePackedBytes {
    root: U256,
    vm: VM,
}

/// Data bytes the root word of a [`StoragePackedBytes`] holds after the length.
const PACKED_HEAD: usize = 28;

impl StorageType for StoragePackedBytes {
    type Wraps<'a>
        = StorageGuard<'a, StoragePackedBytes>
    where
        Self: 'a;
    type WrapsMut<'a>
        = StorageGuardMut<'a, StoragePackedBytes>
    where
        Self: 'a;

    unsafe fn new(root: U256, offset: u8, host: VM) -> Self {
        let _ = offset; // always starts a fresh slot
        Self { root, vm: host }
    }

    fn load<'s>(self) -> Self::Wraps<'s> {
        StorageGuard::new(self)
    }

    fn load_mut<'s>(self) -> Self::WrapsMut<'s> {
        StorageGuardMut::new(self)
    }
}

impl StoragePackedBytes {
    fn tail_slot(&self) -> U256 {
        U256::from_be_bytes(keccak(self.root.to_be_bytes::<32>()).0)
    }

    /// Length and number of tail slots of a value of `len` bytes.
    fn tail_slots(len: usize) -> usize {
        len.saturating_sub(PACKED_HEAD).div_ceil(32)
    }

    fn len_of(root: &B256) -> usize {
        let mut len = [0u8; 4];
        len.copy_from_slice(&root[..4]);
        u32::from_be_bytes(len) as usize
    }

    /// The stored bytes.
    #[inline(never)]
    pub fn get_bytes(&self) -> Vec<u8> {
        let root = self.vm.storage_load_bytes32(self.root);
        let len = Self::len_of(&root);
        let mut out = Vec::with_capacity(len + 32);
        out.extend_from_slice(&root[4..]);
        let mut slot = self.tail_slot();
        for _ in 0..Self::tail_slots(len) {
            out.extend_from_slice(self.vm.storage_load_bytes32(slot).as_slice());
            slot += U256::from(1);
        }
        out.truncate(len);
        out
    }

    /// The stored string (stored strings come from ABI-decoded input; bytes that are not
    /// UTF-8 read as empty, as [`StorageBlob::get_string`]).
    pub fn get_string(&self) -> String {
        String::from_utf8(self.get_bytes()).unwrap_or_default()
    }

    /// Replaces the stored bytes, zeroing tail slots the new value no longer uses.
    ///
    /// # Panics
    /// Never for calldata-sized input: values of 2^32 bytes or more are not representable.
    #[inline(never)]
    pub fn set_bytes(&mut self, bytes: &[u8]) {
        let old_slots = Self::tail_slots(Self::len_of(&self.vm.storage_load_bytes32(self.root)));
        let len = bytes.len();
        let mut root = [0u8; 32];
        root[..4].copy_from_slice(&(len as u32).to_be_bytes());
        let head = len.min(PACKED_HEAD);
        root[4..4 + head].copy_from_slice(&bytes[..head]);
        let tail = &bytes[head..];
        let new_slots = Self::tail_slots(len);
        // SAFETY: plain word writes to slots this field owns (root and keccak(root) + i).
        unsafe {
            self.vm.storage_cache_bytes32(self.root, B256::from(root));
            let mut slot = self.tail_slot();
            for i in 0..new_slots.max(old_slots) {
                let mut chunk = [0u8; 32];
                if let Some(part) = tail.get(i * 32..).filter(|_| i < new_slots) {
                    let take = part.len().min(32);
                    chunk[..take].copy_from_slice(&part[..take]);
                }
                self.vm.storage_cache_bytes32(slot, B256::from(chunk));
                slot += U256::from(1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

    use alloc::{boxed::Box, vec};
    use stylus_sdk::{storage::StorageBytes, testing::*};

    use super::*;

    fn blob(vm: &TestVM) -> StorageBlob {
        // SAFETY: test storage at slot 5.
        unsafe { StorageBlob::new(U256::from(5), 0, VM { host: Box::new(vm.clone()) }) }
    }

    fn sdk_bytes(vm: &TestVM) -> StorageBytes {
        // SAFETY: test storage at slot 5.
        unsafe { StorageBytes::new(U256::from(5), 0, VM { host: Box::new(vm.clone()) }) }
    }

    #[test]
    fn layout_matches_the_sdk_and_solidity() {
        for len in [0usize, 1, 31, 32, 33, 64, 65, 200] {
            let value: Vec<u8> = (0..len).map(|i| (i * 7 + 1) as u8).collect();
            let ours = TestVM::default();
            blob(&ours).set_bytes(&value);
            let theirs = TestVM::default();
            sdk_bytes(&theirs).set_bytes(&value);
            assert_eq!(ours.snapshot().storage, theirs.snapshot().storage, "len {len}");
            assert_eq!(blob(&theirs).get_bytes(), value);
            assert_eq!(sdk_bytes(&ours).get_bytes(), value);
            assert_eq!(blob(&ours).is_empty(), len == 0);
        }
    }

    fn packed(vm: &TestVM) -> StoragePackedBytes {
        // SAFETY: test storage at slot 5.
        unsafe { StoragePackedBytes::new(U256::from(5), 0, VM { host: Box::new(vm.clone()) }) }
    }

    #[test]
    fn packed_bytes_round_trip_in_fewer_slots() {
        for (len, slots) in [(0usize, 1usize), (1, 1), (28, 1), (29, 2), (60, 2), (61, 3), (89, 3), (92, 3), (93, 4), (300, 10)] {
            let value: Vec<u8> = (0..len).map(|i| (i * 7 + 1) as u8).collect();
            let vm = TestVM::default();
            packed(&vm).set_bytes(&value);
            assert_eq!(packed(&vm).get_bytes(), value, "len {len}");
            let used = vm.snapshot().storage.values().filter(|w| **w != B256::ZERO).count();
            // The empty value is an all-zero root: nothing written.
            assert_eq!(used, if len == 0 { 0 } else { slots }, "len {len}");
        }
    }

    #[test]
    fn packed_bytes_shrink_clears_the_tail() {
        let vm = TestVM::default();
        let mut b = packed(&vm);
        b.set_bytes(&[9u8; 120]);
        b.set_bytes(&[3u8; 30]);
        assert_eq!(b.get_bytes(), vec![3u8; 30]);
        let base = b.tail_slot();
        assert_eq!(vm.get_storage(base + U256::from(1)), B256::ZERO);
        assert_eq!(vm.get_storage(base + U256::from(2)), B256::ZERO);
        b.set_bytes(&[]);
        assert!(b.get_bytes().is_empty());
        assert_eq!(vm.get_storage(base), B256::ZERO);
    }

    #[test]
    fn shrinking_clears_old_data_slots() {
        let vm = TestVM::default();
        let mut b = blob(&vm);
        b.set_bytes(&[9u8; 100]);
        b.set_str("short");
        assert_eq!(b.get_string(), "short");
        let base = b.data_slot();
        for i in 0..4u64 {
            assert_eq!(vm.get_storage(base + U256::from(i)), B256::ZERO);
        }
        b.set_bytes(&[1u8; 40]);
        b.set_bytes(&[2u8; 33]);
        assert_eq!(b.get_bytes(), vec![2u8; 33]);
        assert_eq!(vm.get_storage(base + U256::from(1)), {
            let mut w = [0u8; 32];
            w[0] = 2;
            B256::from(w)
        });
    }
}
