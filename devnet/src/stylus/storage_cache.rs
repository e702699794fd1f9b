//! A program's storage cache, as nitro keeps one per program call (nitro
//! `arbitrator/arbutil/src/evm/{storage,req}.rs`).
//!
//! Reads of a cached slot cost no EVM gas, only a small tiered fee (free for the first 32
//! reads of a call); writes go to the cache for a tiered fee too (free for the first 8) and
//! reach the state, at EVM `SSTORE` prices, when the program flushes. A slot is flushed only
//! when its value differs from the one last known to be in the state.

use std::collections::HashMap;

use alloy_primitives::U256;

/// One cached word.
#[derive(Debug, Clone, Copy)]
struct Word {
    value: U256,
    /// The value in the state, when known (loaded, or flushed).
    known: Option<U256>,
}

/// The cache of one program call.
#[derive(Debug, Default)]
pub(crate) struct StorageCache {
    slots: HashMap<U256, Word>,
    reads: usize,
    writes: usize,
}

impl StorageCache {
    /// Tiered fee of the next read (`read_gas`).
    pub(crate) fn read_gas(&mut self) -> u64 {
        self.reads += 1;
        match self.reads {
            0..=32 => 0,
            33..=128 => 2,
            _ => 10,
        }
    }

    /// Tiered fee of the next write (`write_gas`).
    pub(crate) fn write_gas(&mut self) -> u64 {
        self.writes += 1;
        match self.writes {
            0..=8 => 0,
            9..=64 => 7,
            _ => 10,
        }
    }

    /// The cached value of `key`, if any.
    pub(crate) fn get(&self, key: &U256) -> Option<U256> {
        self.slots.get(key).map(|w| w.value)
    }

    /// Records `value` as loaded from the state.
    pub(crate) fn loaded(&mut self, key: U256, value: U256) {
        self.slots.insert(key, Word { value, known: Some(value) });
    }

    /// Writes `value` to the cache.
    pub(crate) fn write(&mut self, key: U256, value: U256) {
        self.slots.entry(key).and_modify(|w| w.value = value).or_insert(Word { value, known: None });
    }

    /// The slots whose value differs from the state's, sorted by key, marked as flushed;
    /// with `clear` the cache is emptied (its fee counters stay).
    pub(crate) fn take_dirty(&mut self, clear: bool) -> Vec<(U256, U256)> {
        let mut dirty: Vec<(U256, U256)> = self
            .slots
            .iter_mut()
            .filter(|(_, w)| Some(w.value) != w.known)
            .map(|(k, w)| {
                w.known = Some(w.value);
                (*k, w.value)
            })
            .collect();
        dirty.sort_by_key(|(k, _)| *k);
        if clear {
            self.slots.clear();
        }
        dirty
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writing_back_the_known_value_is_not_dirty() {
        let mut cache = StorageCache::default();
        let (a, b) = (U256::from(1), U256::from(2));
        cache.loaded(a, U256::from(7));
        cache.write(a, U256::from(7));
        cache.write(b, U256::ZERO);
        assert_eq!(cache.take_dirty(false), vec![(b, U256::ZERO)]);
        assert_eq!(cache.take_dirty(true), vec![]);
        assert_eq!(cache.get(&a), None);
    }

    #[test]
    fn fees_are_tiered() {
        let mut cache = StorageCache::default();
        let reads: u64 = (0..40).map(|_| cache.read_gas()).sum();
        assert_eq!(reads, 8 * 2);
        let writes: u64 = (0..10).map(|_| cache.write_gas()).sum();
        assert_eq!(writes, 2 * 7);
    }
}
