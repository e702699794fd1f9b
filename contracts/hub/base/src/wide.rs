//! [`StorageWideUint`]: a `uint256` field that lives in a few bytes of a packed slot while it
//! fits there, and in a slot of its own when it does not.
//!
//! Why: PoCo stores a deal's prices, worker stake, trust and bag of tasks as `uint256`, and
//! accepts any value there (free orders with huge volumes, a workerpool's unbounded stake
//! ratio, any trust). Giving each its own slot would cost every match several fresh slots
//! (~22,100 gas each) for values that in practice take a few bytes. This field keeps the
//! packing for every value below `2^(8·INLINE) − 1` and stores the rest exactly: the inline
//! bytes then hold all ones (a marker no small value uses) and the value goes to its spill
//! slot, `keccak256(slot ‖ offset)` — a 33-byte preimage, which no Solidity-layout slot
//! (mapping and array slots hash 64 and 32 bytes) can collide with.

use alloy_primitives::{B256, U256};
use stylus_sdk::{
    crypto::keccak,
    host::VM,
    storage::{StorageGuardMut, StorageType},
    stylus_core::host::StorageAccess,
};

/// A `uint256` packed in `INLINE` bytes of its slot, spilling to a slot of its own when it
/// does not fit (module docs). Reads and writes are exact for every `uint256`.
pub struct StorageWideUint<const INLINE: usize> {
    slot: U256,
    offset: u8,
    vm: VM,
}

impl<const INLINE: usize> StorageType for StorageWideUint<INLINE> {
    type Wraps<'a>
        = U256
    where
        Self: 'a;
    type WrapsMut<'a>
        = StorageGuardMut<'a, Self>
    where
        Self: 'a;

    /// Only the inline bytes count in the packed layout: the spill slot is out of line.
    const SLOT_BYTES: usize = INLINE;

    unsafe fn new(slot: U256, offset: u8, host: VM) -> Self {
        debug_assert!(INLINE < 32 && usize::from(offset) + INLINE <= 32);
        Self { slot, offset, vm: host }
    }

    fn load<'s>(self) -> Self::Wraps<'s> {
        self.get()
    }

    fn load_mut<'s>(self) -> Self::WrapsMut<'s> {
        StorageGuardMut::new(self)
    }
}

impl<const INLINE: usize> StorageWideUint<INLINE> {
    /// The stored value.
    pub fn get(&self) -> U256 {
        load(&self.vm, self.slot, usize::from(self.offset), INLINE)
    }

    /// Stores `value` (any unsigned integer up to 256 bits).
    pub fn set(&mut self, value: impl Unsigned) {
        store(&self.vm, self.slot, usize::from(self.offset), INLINE, value.to_u256());
    }
}

/// Unsigned integers a [`StorageWideUint`] takes: each widens to `U256` without loss (ruint
/// has no `From` between its sizes, only a panicking inherent `from`).
pub trait Unsigned {
    /// The value as a `U256`.
    fn to_u256(self) -> U256;
}

impl Unsigned for U256 {
    fn to_u256(self) -> U256 {
        self
    }
}

impl Unsigned for alloy_primitives::aliases::U128 {
    fn to_u256(self) -> U256 {
        let [lo, hi] = self.into_limbs();
        U256::from_limbs([lo, hi, 0, 0])
    }
}

impl Unsigned for u64 {
    fn to_u256(self) -> U256 {
        U256::from(self)
    }
}

/// Where a field at `(slot, offset)` keeps a value that does not fit inline.
fn spill_slot(slot: U256, offset: usize) -> U256 {
    let mut preimage = [0u8; 33];
    preimage[..32].copy_from_slice(&slot.to_be_bytes::<32>());
    // `offset` < 32: a byte index inside the slot.
    preimage[32] = offset as u8;
    U256::from_be_bytes(keccak(preimage).0)
}

/// Reads the field of `width` bytes at byte `offset` (from the left, as the SDK packs) of
/// `slot`. Out of line and not generic: every deal field shares one copy.
#[inline(never)]
fn load(vm: &VM, slot: U256, offset: usize, width: usize) -> U256 {
    let word = vm.storage_load_bytes32(slot);
    let inline = &word[offset..offset + width];
    if inline.iter().all(|b| *b == 0xff) {
        return U256::from_be_bytes(vm.storage_load_bytes32(spill_slot(slot, offset)).0);
    }
    let mut value = [0u8; 32];
    value[32 - width..].copy_from_slice(inline);
    U256::from_be_bytes(value)
}

/// Writes `value` to the field of `width` bytes at byte `offset` of `slot`: inline when it is
/// below `2^(8·width) − 1`, else the all-ones marker inline and the value in the spill slot
/// (which a later small value clears again).
#[inline(never)]
fn store(vm: &VM, slot: U256, offset: usize, width: usize, value: U256) {
    let mut word = vm.storage_load_bytes32(slot);
    let bytes = value.to_be_bytes::<32>();
    let (high, low) = bytes.split_at(32 - width);
    let fits = high.iter().all(|b| *b == 0) && !low.iter().all(|b| *b == 0xff);
    let inline = &mut word[offset..offset + width];
    let spilled = inline.iter().all(|b| *b == 0xff);
    // SAFETY: plain word writes to this field's own slot (the other bytes of the word are
    // kept as read) and to its spill slot, which nothing else addresses (module docs).
    unsafe {
        if fits {
            inline.copy_from_slice(low);
            if spilled {
                vm.storage_cache_bytes32(spill_slot(slot, offset), B256::ZERO);
            }
        } else {
            inline.fill(0xff);
            vm.storage_cache_bytes32(spill_slot(slot, offset), B256::from(bytes));
        }
        vm.storage_cache_bytes32(slot, word);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

    #[allow(unused_imports)] // named by the `#[storage]` expansion
    use alloc::{boxed::Box, vec, vec::Vec};
    use alloy_primitives::Address;
    use stylus_sdk::{
        prelude::*,
        storage::{StorageAddress, StorageU8},
        testing::TestVM,
    };

    use super::*;

    /// An address packed with a 12-byte wide field, then a 16-byte one beside a byte.
    #[storage]
    struct Packed {
        owner: StorageAddress,
        price: StorageWideUint<12>,
        flag: StorageU8,
        size: StorageWideUint<16>,
    }

    fn packed(vm: &TestVM) -> Packed {
        // SAFETY: a test-only layout at slot 0 of a fresh VM.
        unsafe { Packed::new(U256::ZERO, 0, VM { host: Box::new(vm.clone()) }) }
    }

    #[test]
    fn every_value_round_trips_and_small_ones_stay_inline() {
        let vm = TestVM::default();
        let mut p = packed(&vm);
        let owner = Address::repeat_byte(0xab);
        p.owner.set(owner);
        p.flag.set(alloy_primitives::aliases::U8::from(7));
        let marker96 = (U256::from(1) << 96) - U256::from(1);
        let marker128 = (U256::from(1) << 128) - U256::from(1);
        for v in [U256::ZERO, U256::from(5), marker96 - U256::from(1), marker96, marker96 + U256::from(1), U256::MAX] {
            p.price.set(v);
            p.size.set(v);
            assert_eq!((p.price.get(), p.size.get()), (v, v), "{v}");
            assert_eq!(p.owner.get(), owner);
            assert_eq!(p.flag.get(), alloy_primitives::aliases::U8::from(7));
        }
        // The layout is the narrow one: address and price share slot 0, flag and size slot 1.
        p.price.set(U256::from(0x0102));
        p.size.set(marker128 - U256::from(1));
        let slot0 = vm.storage_load_bytes32(U256::ZERO);
        assert_eq!(slot0[12..], owner[..]);
        assert_eq!(U256::from_be_slice(&slot0[..12]), U256::from(0x0102));
        let slot1 = vm.storage_load_bytes32(U256::from(1));
        assert_eq!(U256::from_be_slice(&slot1[15..31]), marker128 - U256::from(1));
        assert_eq!(slot1[31], 7);
        assert_eq!(vm.storage_load_bytes32(U256::from(2)), B256::ZERO);
    }

    #[test]
    fn a_value_that_does_not_fit_spills_and_a_small_one_clears_the_spill() {
        let vm = TestVM::default();
        let mut p = packed(&vm);
        let spill = spill_slot(U256::ZERO, 0);
        let big = U256::from(1) << 200;
        p.price.set(big);
        assert!(vm.storage_load_bytes32(U256::ZERO)[..12].iter().all(|b| *b == 0xff));
        assert_eq!(vm.storage_load_bytes32(spill), B256::from(big));
        assert_eq!(p.price.get(), big);
        p.price.set(U256::from(3));
        assert_eq!(vm.storage_load_bytes32(spill), B256::ZERO);
        assert_eq!(p.price.get(), U256::from(3));
        // A narrower unsigned type converts.
        p.size.set(alloy_primitives::aliases::U128::from(9));
        assert_eq!(p.size.get(), U256::from(9));
    }
}
