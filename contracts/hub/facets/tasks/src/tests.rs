//! Tasks facet on a `MockHost` with a matched deal (`poco_hub_base::testing::MatchedDeal`):
//! `initialize` and its bounds, deadline overflow, large indexes, `claim` and its deadline,
//! the refunds and the kitty, and the array forms (all or nothing).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use alloy_primitives::{B256, U256};
use alloy_sol_types::{Panic, SolError, SolEvent};
use poco_core::{constants::KITTY_ADDRESS, ids::task_id as task_id_of};
use poco_hub_base::{
    escrow::{Lock, Reward, Seize, Transfer, Unlock},
    poco_storage,
    task::{view_task, TaskClaimed, TaskInitialize},
    testing::MatchedDeal,
};

use super::*;

const T: u64 = MatchedDeal::TIMEREF;

fn facet(d: &MatchedDeal) -> TasksFacet {
    TasksFacet::from(&d.host)
}

fn status(d: &MatchedDeal, id: B256) -> u8 {
    let vm = d.host.handle();
    view_task(&vm, &poco_storage(&vm), id).status
}

fn panic_11() -> Vec<u8> {
    Panic { code: U256::from(0x11) }.abi_encode()
}

#[test]
fn initialize_starts_the_task_with_derived_deadlines() {
    let d = MatchedDeal::new(1, 3);
    let id = facet(&d).initialize(d.deal_id, U256::from(5)).unwrap();
    assert_eq!(id, task_id_of(&d.deal_id, &U256::from(5)));
    let vm = d.host.handle();
    let task = view_task(&vm, &poco_storage(&vm), id);
    assert_eq!(task.status, TaskStatusEnum::ACTIVE.as_u8());
    assert_eq!((task.dealid, task.idx, task.timeref), (d.deal_id, U256::from(5), U256::from(T)));
    assert_eq!(task.contributionDeadline, U256::from(MatchedDeal::START + 7 * T));
    assert_eq!(task.finalDeadline, U256::from(MatchedDeal::START + 10 * T));
    assert_eq!(task.revealDeadline, U256::ZERO);
    assert!(task.contributors.is_empty());
    let logs = d.host.vm.get_emitted_logs();
    let event = TaskInitialize::decode_raw_log(logs[logs.len() - 1].0.clone(), &logs[logs.len() - 1].1).unwrap();
    assert_eq!((event.taskid, event.workerpool), (id, d.deal.workerpool.pointer));
}

#[test]
fn initialize_refuses_indexes_outside_the_bag_and_twice() {
    let d = MatchedDeal::new(1, 3); // tasks 4, 5, 6
    let logs = d.host.vm.get_emitted_logs().len();
    for idx in [0u64, 3, 7, 100] {
        assert_eq!(facet(&d).initialize(d.deal_id, U256::from(idx)), Err(vec![]), "idx {idx}");
        assert_eq!(status(&d, task_id_of(&d.deal_id, &U256::from(idx))), 0);
    }
    // An unknown deal has an empty bag.
    assert_eq!(facet(&d).initialize(B256::repeat_byte(1), U256::ZERO), Err(vec![]));
    assert_eq!(d.host.vm.get_emitted_logs().len(), logs);
    let id = facet(&d).initialize(d.deal_id, U256::from(6)).unwrap();
    assert_eq!(facet(&d).initialize(d.deal_id, U256::from(6)), Err(vec![]));
    assert_eq!(status(&d, id), TaskStatusEnum::ACTIVE.as_u8());
}

#[test]
fn initialize_panics_when_a_deadline_overflows() {
    let d = MatchedDeal::new(1, 1);
    let vm = d.host.handle();
    // A category whose time reference makes startTime + 10·t overflow (but not 7·t).
    let huge = (U256::MAX - U256::from(MatchedDeal::START)) / U256::from(9);
    poco_storage(&vm).categories.setter(0).unwrap().work_clock_time_ref.set(huge);
    assert_eq!(facet(&d).initialize(d.deal_id, U256::from(4)), Err(panic_11()));
    assert_eq!(status(&d, d.task_id(0)), 0);
}

#[test]
fn large_indexes_are_stored_whole() {
    let d = MatchedDeal::new(1, 1);
    let vm = d.host.handle();
    let first = U256::from(u64::MAX) * U256::from(3);
    poco_storage(&vm).deals.setter(d.deal_id).bot_first.set(alloy_primitives::aliases::U128::from(first));
    for idx in [first, first] {
        let id = facet(&d).initialize(d.deal_id, idx);
        if let Ok(id) = id {
            assert_eq!(view_task(&vm, &poco_storage(&vm), id).idx, idx);
        } else {
            assert_eq!(id, Err(vec![]), "second initialize of the same task");
        }
    }
    // The boundary of the inline form: 2^32 - 2 is inline, 2^32 - 1 is not.
    for idx in [u64::from(u32::MAX) - 1, u64::from(u32::MAX)] {
        poco_storage(&vm).deals.setter(d.deal_id).bot_first.set(alloy_primitives::aliases::U128::from(idx));
        let id = facet(&d).initialize(d.deal_id, U256::from(idx)).unwrap();
        assert_eq!(view_task(&vm, &poco_storage(&vm), id).idx, U256::from(idx));
    }
}

#[test]
fn initialize_array_is_all_or_nothing() {
    let d = MatchedDeal::new(1, 3);
    let ids = vec![d.deal_id; 2];
    assert_eq!(facet(&d).initialize_array(ids.clone(), vec![U256::from(4)]), Err(vec![]));
    assert_eq!(status(&d, d.task_id(0)), 0);
    assert_eq!(facet(&d).initialize_array(ids.clone(), vec![U256::from(4), U256::from(5)]), Ok(true));
    assert_eq!((status(&d, d.task_id(0)), status(&d, d.task_id(1))), (1, 1));
    assert_eq!(facet(&d).initialize_array(vec![], vec![]), Ok(true));
}

#[test]
fn claim_waits_for_the_final_deadline_and_refunds() {
    let d = MatchedDeal::new(1, 2);
    let id = facet(&d).initialize(d.deal_id, U256::from(4)).unwrap();
    let final_deadline = MatchedDeal::START + 10 * T;
    let (requester, scheduler) = (d.deal.requester, d.scheduler.address);
    let before = (d.account(requester), d.account(scheduler), d.account(KITTY_ADDRESS));
    d.at(final_deadline - 1);
    assert_eq!(facet(&d).claim(id), Err(vec![]));
    assert_eq!((d.account(requester), d.account(scheduler), d.account(KITTY_ADDRESS)), before);
    assert_eq!(status(&d, id), TaskStatusEnum::ACTIVE.as_u8());

    d.at(final_deadline); // `finalDeadline <= now`
    let logs_before = d.host.vm.get_emitted_logs().len();
    facet(&d).claim(id).unwrap();
    assert_eq!(status(&d, id), TaskStatusEnum::FAILED.as_u8());
    // Payment of one task (1000 + 3000 + 5000) back to the requester, the pool stake
    // (5000 · 30 %) from the scheduler to the kitty.
    assert_eq!(d.account(requester), (before.0 .0 + U256::from(9000), before.0 .1 - U256::from(9000)));
    assert_eq!(d.account(scheduler), (before.1 .0, before.1 .1 - U256::from(1500)));
    assert_eq!(d.account(KITTY_ADDRESS), (U256::ZERO, U256::from(1500)));
    let sigs = d.host.log_signatures()[logs_before..].to_vec();
    assert_eq!(
        sigs,
        vec![
            Transfer::SIGNATURE_HASH,
            Unlock::SIGNATURE_HASH,
            Seize::SIGNATURE_HASH,
            Reward::SIGNATURE_HASH,
            Lock::SIGNATURE_HASH,
            TaskClaimed::SIGNATURE_HASH
        ]
    );
    // Not twice, and not an UNSET task.
    assert_eq!(facet(&d).claim(id), Err(vec![]));
    assert_eq!(facet(&d).claim(d.task_id(1)), Err(vec![]));
    assert_eq!(d.account(KITTY_ADDRESS), (U256::ZERO, U256::from(1500)));
}

#[test]
fn claim_unlocks_every_contributor() {
    let d = MatchedDeal::new(3, 1);
    let id = facet(&d).initialize(d.deal_id, U256::from(4)).unwrap();
    // Two workers' stakes locked as `contribute` leaves them.
    let vm = d.host.handle();
    {
        let mut s = poco_storage(&vm);
        for w in &d.workers[..2] {
            poco_hub_base::escrow::lock(&vm, &mut s, w.address, U256::from(1500)).unwrap();
            s.tasks.setter(id).push_contributor(w.address).unwrap();
        }
    }
    d.at(MatchedDeal::START + 10 * T);
    facet(&d).claim_array(vec![id]).unwrap();
    for w in &d.workers[..2] {
        assert_eq!(d.account(w.address), (U256::from(1_000_000), U256::ZERO));
    }
}

#[test]
fn claim_array_is_all_or_nothing() {
    let d = MatchedDeal::new(1, 2);
    let a = facet(&d).initialize(d.deal_id, U256::from(4)).unwrap();
    d.at(MatchedDeal::START + 10 * T);
    // The second task is UNSET: the whole call fails (the chain reverts the first claim too).
    assert_eq!(facet(&d).claim_array(vec![a, d.task_id(1)]).map(|_| ()), Err(vec![]));
    assert_eq!(facet(&d).claim_array(vec![]), Ok(true));
}

#[test]
fn initialize_and_claim_array_refunds_an_expired_deal() {
    let d = MatchedDeal::new(1, 2);
    let requester = d.deal.requester;
    d.at(MatchedDeal::START + 10 * T + 1);
    let ids = vec![d.deal_id; 2];
    assert_eq!(facet(&d).initialize_and_claim_array(ids.clone(), vec![U256::from(4)]), Err(vec![]));
    assert_eq!(facet(&d).initialize_and_claim_array(ids, vec![U256::from(4), U256::from(5)]), Ok(true));
    assert_eq!((status(&d, d.task_id(0)), status(&d, d.task_id(1))), (4, 4));
    assert_eq!(d.account(requester), (U256::from(18_000), U256::ZERO));
    assert_eq!(d.account(d.scheduler.address), (U256::ZERO, U256::ZERO));
    assert_eq!(d.account(KITTY_ADDRESS), (U256::ZERO, U256::from(3000)));
}
