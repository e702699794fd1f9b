//! Deal and task identifiers: keccak256 of packed values.

use alloy_primitives::{keccak256, B256, U256};

use crate::error::{checked, PocoResult};

#[inline(always)]
fn hash_pair(a: &[u8; 32], b: &[u8; 32]) -> B256 {
    let mut buf = [0u8; 64];
    buf[..32].copy_from_slice(a);
    buf[32..].copy_from_slice(b);
    keccak256(buf)
}

/// `dealid = keccak256(abi.encodePacked(requestOrderTypedHash, consumed[requestOrderTypedHash]))`,
/// with `consumed` read *before* this match adds its volume. Why: the same request order can
/// be matched several times (partially); the consumed counter makes each deal id unique.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub fn deal_id(request_order_typed_hash: &B256, consumed_before: &U256) -> B256 {
    hash_pair(
        &request_order_typed_hash.0,
        &consumed_before.to_be_bytes::<32>(),
    )
}

/// `taskid = keccak256(abi.encodePacked(dealid, idx))`. Classic indexes are absolute
/// (`botFirst + i`); Boost indexes are 0-based (`i < botSize`). Why: a task is addressed by
/// its deal and its position in the bag of tasks.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, initialize
pub fn task_id(deal_id: &B256, idx: &U256) -> B256 {
    hash_pair(&deal_id.0, &idx.to_be_bytes::<32>())
}

/// Whether `idx` is in the deal's bag of tasks: `botFirst <= idx < botFirst + botSize`
/// (checked: an overflowing `botFirst + botSize` panics as in Solidity 0.8). Why: `initialize`
/// refuses (bare revert) indexes outside the bag.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, initialize
pub fn is_task_index_in_deal(bot_first: &U256, bot_size: &U256, idx: &U256) -> PocoResult<bool> {
    let end = checked(bot_first.checked_add(*bot_size))?;
    Ok(idx >= bot_first && *idx < end)
}

/// Boost's bound: `index < botSize` (0-based). Why: Boost tasks are addressed by a 0-based
/// index, not by `botFirst + i` like classic tasks.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, pushResultBoost / claimBoost
pub fn is_boost_task_index_in_deal(bot_size: u16, index: &U256) -> bool {
    *index < U256::from(bot_size)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PocoError;

    #[test]
    fn ids_are_keccak_of_packed_words() {
        let req = B256::repeat_byte(0x11);
        let mut packed = alloc::vec::Vec::from(req.as_slice());
        packed.extend_from_slice(&U256::from(7).to_be_bytes::<32>());
        assert_eq!(deal_id(&req, &U256::from(7)), keccak256(&packed));
        let deal = deal_id(&req, &U256::ZERO);
        let mut packed = alloc::vec::Vec::from(deal.as_slice());
        packed.extend_from_slice(&U256::from(3).to_be_bytes::<32>());
        assert_eq!(task_id(&deal, &U256::from(3)), keccak256(&packed));
        assert_ne!(
            task_id(&deal, &U256::from(3)),
            task_id(&deal, &U256::from(4))
        );
    }

    #[test]
    fn task_index_bounds() {
        let (first, size) = (U256::from(10), U256::from(3));
        assert_eq!(
            is_task_index_in_deal(&first, &size, &U256::from(9)),
            Ok(false)
        );
        assert_eq!(
            is_task_index_in_deal(&first, &size, &U256::from(10)),
            Ok(true)
        );
        assert_eq!(
            is_task_index_in_deal(&first, &size, &U256::from(12)),
            Ok(true)
        );
        assert_eq!(
            is_task_index_in_deal(&first, &size, &U256::from(13)),
            Ok(false)
        );
        assert_eq!(
            is_task_index_in_deal(&U256::MAX, &U256::from(1), &U256::ZERO),
            Err(PocoError::ArithmeticOverflow)
        );
        assert!(is_boost_task_index_in_deal(2, &U256::from(1)));
        assert!(!is_boost_task_index_in_deal(2, &U256::from(2)));
    }
}
