//! The programs called recently in a block, which pay only the cached part of their entry
//! cost (nitro `arbos/programs/programs.go`, `CallProgram`: `GetRecentWasms().Insert`).
//!
//! Nitro keeps a least-recently-used set of `blockCacheSize` codehashes per block; a call
//! whose codehash is already in it is priced as cached. In nitro v3.9.5 the set never hits:
//! its go-ethereum (`a983a4af`) inserts through a value receiver into a nil cache that is
//! never stored back; go-ethereum's "Fix RecentWasms cache bug by using pointers in methods"
//! (`ff9a16e5`, in nitro v3.10) makes it work as intended, and nitro v3.10 turns the cache on
//! from ArbOS 60 only (`if p.ArbosVersion >= gethParams.ArbosVersion_60`). The devnet follows
//! v3.10: [`super::params::StylusParams::recent_programs_cache`] is on from ArbOS 60, so
//! Arbitrum One's ArbOS 51 (the default) prices every uncached entry in full, repeats in one
//! transaction included. The set lives as long as the block: with interval mining it spans
//! the block's transactions.

use std::collections::VecDeque;

use alloy_primitives::B256;

/// Least-recently-used codehashes of one block.
#[derive(Debug, Clone, Default)]
pub(crate) struct RecentPrograms {
    /// Most recent last.
    order: VecDeque<B256>,
}

impl RecentPrograms {
    /// Records a call of `codehash`; returns whether it was already recent. At most
    /// `capacity` codehashes are kept.
    pub(crate) fn insert(&mut self, codehash: B256, capacity: u16) -> bool {
        if let Some(i) = self.order.iter().position(|h| *h == codehash) {
            self.order.remove(i);
            self.order.push_back(codehash);
            return true;
        }
        if self.order.len() >= usize::from(capacity) {
            self.order.pop_front();
        }
        if capacity > 0 {
            self.order.push_back(codehash);
        }
        false
    }

    /// Forgets everything (a new block).
    pub(crate) fn clear(&mut self) {
        self.order.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_use_hits_and_the_oldest_is_evicted() {
        let mut recent = RecentPrograms::default();
        let (a, b, c) = (B256::repeat_byte(1), B256::repeat_byte(2), B256::repeat_byte(3));
        assert!(!recent.insert(a, 2));
        assert!(recent.insert(a, 2));
        assert!(!recent.insert(b, 2));
        assert!(!recent.insert(c, 2)); // evicts a, the least recently used
        assert!(!recent.insert(a, 2));
        assert!(recent.insert(c, 2));
    }
}
