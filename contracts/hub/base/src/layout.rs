//! The hub's storage, rooted at PoCo's ERC-7201 slot
//! (`iexec.poco.storage.PocoStorage` → `0x5862…1b00`).
//!
//! PoCo's ABI is kept to the byte; its storage layout is not (DESIGN.md principle 3): every
//! slot written is gas paid by users, so records are packed where PoCo spends a slot per
//! field. Packing bounds, each enforced with a revert where a value could exceed it:
//! - SRLC amounts per account are `uint128` (balance and frozen share one slot, so a `lock`
//!   writes one slot per account, not two). RLC's whole supply is below 2^57 nRLC.
//! - A deal's prices, worker stake and trust take 12 bytes beside an address, and its bag of
//!   tasks (first index, size) 16 bytes each, as [`StorageWideUint`]s: exact for every
//!   `uint256`, as PoCo accepts any (free orders of any volume, a workerpool's unbounded
//!   stake ratio, any trust), but a value only leaves the packed slot — for a slot of its
//!   own — when it does not fit there. A match pays for no slot more than before.
//! - Timestamps, category indexes and the scheduler's reward ratio are `uint64`: their
//!   bounds really hold (see the fields of [`DealRecord`]).
//! - A deal's sponsor is stored only when it is not the requester: an ordinary match leaves
//!   that slot zero, one fresh slot (~20k gas) less.
//!
//! The lifecycle facets' records (tasks with their consensus tallies, contributions) come
//! next; their packing is explained in [`crate::task`]. PoCo Boost's deals come last
//! ([`DealBoostRecord`], PoCo's own 6-slot packing, the sponsor slot left zero as above).

#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{
    aliases::{U16, U64, U96},
    Address, B256, U256,
};
use crate::{
    wide::StorageWideUint,
    task::{ContributionRecord, TaskRecord},
};
use poco_storage_blob::StoragePackedBytes;
use poco_core::{
    assets::Category,
    constants::POCO_STORAGE_SLOT,
    deal::{Deal, DealBoost, Resource},
    PocoError,
};
use stylus_sdk::{
    host::VM,
    stylus_core::host::StorageAccess,
    prelude::*,
    storage::{
        StorageAddress, StorageB256, StorageBool, StorageFixedBytes, StorageMap, StorageString, StorageU128,
        StorageU16, StorageU256, StorageU64, StorageU8, StorageU96, StorageUint, StorageVec,
    },
};

/// The hub's whole state (PoCo's `PocoStorageLib.PocoStorage`, repacked).
#[storage]
pub struct PocoStorage {
    /// `IRegistry` of apps.
    pub app_registry: StorageAddress,
    /// `IRegistry` of datasets.
    pub dataset_registry: StorageAddress,
    /// `IRegistry` of workerpools.
    pub workerpool_registry: StorageAddress,
    /// The escrowed ERC-20 (RLC); shares its slot with `decimals`.
    pub base_token: StorageAddress,
    /// SRLC decimals (9).
    pub decimals: StorageU8,
    /// SRLC name ("Staked RLC").
    pub name: StorageString,
    /// SRLC symbol ("SRLC").
    pub symbol: StorageString,
    /// SRLC total supply = RLC held for depositors.
    pub total_supply: StorageU256,
    /// Usable and locked SRLC of each account (PoCo's `m_balances` + `m_frozens`).
    pub accounts: StorageMap<Address, AccountRecord>,
    /// SRLC allowances `[owner][spender]`.
    pub allowances: StorageMap<Address, StorageMap<Address, StorageU256>>,
    /// EIP-712 domain separator of orders; zero until `configure`.
    pub domain_separator: StorageB256,
    /// Presigner of each order typed-data hash.
    pub presigned: StorageMap<B256, StorageAddress>,
    /// Consumed volume of each order typed-data hash.
    pub consumed: StorageMap<B256, StorageU256>,
    /// Deals by id.
    pub deals: StorageMap<B256, DealRecord>,
    /// Worker scores.
    pub worker_scores: StorageMap<Address, StorageU256>,
    /// TEE broker (SMS) signing contribution authorizations of TEE tasks.
    pub teebroker: StorageAddress,
    /// Gas forwarded to result callbacks.
    pub callback_gas: StorageU256,
    /// Work categories; the index is the category id.
    pub categories: StorageVec<CategoryRecord>,
    /// PoCo v3 hub whose scores `importScore` may import.
    pub v3_iexec_hub: StorageAddress,
    /// Workers whose v3 score was imported.
    pub v3_score_imported: StorageMap<Address, StorageBool>,
    /// Tasks by id (`crate::task`).
    pub tasks: StorageMap<B256, TaskRecord>,
    /// Contributions by task id, then worker.
    pub contributions: StorageMap<B256, StorageMap<Address, ContributionRecord>>,
    /// PoCo Boost's deals by id (PoCo's `m_dealsBoost`). Boost tasks have no record of their
    /// own: their status is the `status` of their [`TaskRecord`] in `tasks`, as PoCo keeps
    /// it in `m_tasks`, so `viewTask` reports it.
    pub deals_boost: StorageMap<B256, DealBoostRecord>,
}

/// One SRLC account: usable and locked balances in one slot.
#[storage]
pub struct AccountRecord {
    /// Usable balance (PoCo `m_balances`).
    pub balance: StorageU128,
    /// Locked balance (PoCo `m_frozens`).
    pub frozen: StorageU128,
}

/// A work category.
#[storage]
pub struct CategoryRecord {
    /// Category name.
    pub name: StorageString,
    /// Free-form description (JSON in PoCo's defaults).
    pub description: StorageString,
    /// Reference duration `t` of the deadlines (seconds).
    pub work_clock_time_ref: StorageU256,
}

/// A deal, packed in 13 slots (the callback, tag and sponsor slots usually left zero) plus
/// `params`'s tail (PoCo's `Deal` takes 22). Prices, worker stake, trust and the bag of
/// tasks are [`StorageWideUint`]s: a value too large for its packed bytes takes a slot of its
/// own, so every field reads back exactly what PoCo would have stored.
#[storage]
pub struct DealRecord {
    /// App address; with `app_price` in one slot.
    pub app: StorageAddress,
    /// App price per task. Any `uint256`: a price is only bounded by the sponsor's balance
    /// at the lock, which comes after the deal is recorded (PoCo's order).
    pub app_price: StorageWideUint<12>,
    /// Dataset address (zero when the deal has none).
    pub dataset: StorageAddress,
    /// Dataset price per task (0 without dataset).
    pub dataset_price: StorageWideUint<12>,
    /// Workerpool address.
    pub workerpool: StorageAddress,
    /// Workerpool price per task.
    pub workerpool_price: StorageWideUint<12>,
    /// App owner at match time; with `start_time`.
    pub app_owner: StorageAddress,
    /// Match timestamp (deal start): `block.timestamp`, which the Stylus host gives as a
    /// `u64`, so it always fits.
    pub start_time: StorageU64,
    /// Dataset owner at match time; with `category`.
    pub dataset_owner: StorageAddress,
    /// Category id: a match checks it is below the number of categories (0x01), and that
    /// number grows by one per `createCategory` (three storage writes, > 60k gas each time),
    /// so it cannot reach 2^64.
    pub category: StorageU64,
    /// Workerpool owner (scheduler) at match time; with `scheduler_reward_ratio`.
    pub workerpool_owner: StorageAddress,
    /// Scheduler share of the worker pool, percent: read from a workerpool the registry
    /// registered (0x40 comes first), whose `changePolicy` requires it ≤ 100 (and whose
    /// constructor sets 1), so it fits.
    pub scheduler_reward_ratio: StorageU64,
    /// Requester of the request order; with `worker_stake`.
    pub requester: StorageAddress,
    /// Stake each contributing worker locks, `workerpoolprice * ratio / 100`. Any `uint256`:
    /// `Workerpool.changePolicy` does not bound the worker stake ratio.
    pub worker_stake: StorageWideUint<12>,
    /// Beneficiary of the results; with `trust`.
    pub beneficiary: StorageAddress,
    /// Replication trust (≥ 1). Any `uint256`: only `request.trust <= workerpool.trust` is
    /// checked.
    pub trust: StorageWideUint<12>,
    /// Result callback contract.
    pub callback: StorageAddress,
    /// Who paid, when it is not the requester (`sponsorMatchOrders` by another account);
    /// zero otherwise. Read it through [`DealRecord::sponsor`].
    pub sponsor: StorageAddress,
    /// Union tag of the deal.
    pub tag: StorageB256,
    /// First task index (the request's consumed volume before the match). Any `uint256`:
    /// free orders may carry any volume.
    pub bot_first: StorageWideUint<16>,
    /// Number of tasks (the deal volume, ≥ 1 for every recorded deal).
    pub bot_size: StorageWideUint<16>,
    /// Request parameters (JSON), in the tight layout of [`StoragePackedBytes`] (length and
    /// the first 28 bytes in one word): 110 bytes of iExec params take 4 slots where
    /// Solidity's `string` layout takes 5, one fresh slot (~22,100 gas) less per match. Not
    /// the SDK's `StorageString`, whose byte-wise indexing links ruint's 256-bit division
    /// (~9 KB of wasm) into the matching facet.
    pub params: StoragePackedBytes,
}

/// A Boost deal in PoCo's own packing of `DealBoost`: five slots, and a sixth for the
/// sponsor only when it is not the requester (as [`DealRecord::sponsor`]); a deal without
/// dataset leaves the dataset slot zero. The params and beneficiary are not stored: Boost
/// only announces them (`SchedulerNoticeBoost`).
#[storage]
pub struct DealBoostRecord {
    /// App owner at match time; with `app_price`.
    pub app_owner: StorageAddress,
    /// App price per task.
    pub app_price: StorageU96,
    /// Dataset owner at match time (zero without dataset); with `dataset_price`.
    pub dataset_owner: StorageAddress,
    /// Dataset price per task (0 without dataset).
    pub dataset_price: StorageU96,
    /// Workerpool owner (scheduler) at match time; with `workerpool_price`.
    pub workerpool_owner: StorageAddress,
    /// Workerpool price per task.
    pub workerpool_price: StorageU96,
    /// Requester of the request order; with `worker_reward`.
    pub requester: StorageAddress,
    /// What the worker of a task gets: `wpPrice * (100 - schedulerRewardRatio) / 100`.
    pub worker_reward: StorageU96,
    /// Result callback contract; with the deadline, the bag of tasks and the short tag.
    pub callback: StorageAddress,
    /// `matchTime + 7 * workClockTimeRef`: pushes before, claims from then on.
    pub deadline: StorageUint<40, 1>,
    /// `consumed[requestHash]` before the match (informational: Boost indexes are 0-based).
    pub bot_first: StorageU16,
    /// Number of tasks (indexes `0..botSize`).
    pub bot_size: StorageU16,
    /// The deal tag's low three bytes (TEE bit included).
    pub short_tag: StorageFixedBytes<3>,
    /// Who paid, when it is not the requester; zero otherwise. Read it through
    /// [`DealBoostRecord::sponsor`].
    pub sponsor: StorageAddress,
}

impl DealBoostRecord {
    /// Who paid for the deal: the stored sponsor, or the requester when none is stored.
    pub fn sponsor(&self) -> Address {
        match self.sponsor.get() {
            sponsor if sponsor.is_zero() => self.requester.get(),
            sponsor => sponsor,
        }
    }

    /// The deal in PoCo's ABI shape (`viewDealBoost`); all zero for an unknown id.
    pub fn to_deal_boost(&self) -> DealBoost {
        DealBoost {
            appOwner: self.app_owner.get(),
            appPrice: self.app_price.get(),
            datasetOwner: self.dataset_owner.get(),
            datasetPrice: self.dataset_price.get(),
            workerpoolOwner: self.workerpool_owner.get(),
            workerpoolPrice: self.workerpool_price.get(),
            requester: self.requester.get(),
            workerReward: self.worker_reward.get(),
            callback: self.callback.get(),
            deadline: self.deadline.get(),
            botFirst: self.bot_first.get().to::<u16>(),
            botSize: self.bot_size.get().to::<u16>(),
            shortTag: self.short_tag.get(),
            sponsor: self.sponsor(),
        }
    }

    /// Records `deal`, writing only the slots that are not zero: the dataset slot of a deal
    /// without dataset and the sponsor slot of a deal its requester pays stay untouched.
    pub fn store(&mut self, deal: &DealBoost) {
        self.app_owner.set(deal.appOwner);
        self.app_price.set(deal.appPrice);
        if !deal.datasetOwner.is_zero() || !deal.datasetPrice.is_zero() {
            self.dataset_owner.set(deal.datasetOwner);
            self.dataset_price.set(deal.datasetPrice);
        }
        self.workerpool_owner.set(deal.workerpoolOwner);
        self.workerpool_price.set(deal.workerpoolPrice);
        self.requester.set(deal.requester);
        self.worker_reward.set(deal.workerReward);
        self.callback.set(deal.callback);
        self.deadline.set(deal.deadline);
        self.bot_first.set(U16::from(deal.botFirst));
        self.bot_size.set(U16::from(deal.botSize));
        self.short_tag.set(deal.shortTag);
        if deal.sponsor != deal.requester {
            self.sponsor.set(deal.sponsor);
        }
    }
}

/// The hub storage, at PoCo's ERC-7201 slot.
pub fn poco_storage(vm: &VM) -> PocoStorage {
    // SAFETY: the slot is PoCo's namespace; every facet of this hub uses this one layout and
    // nothing else writes there.
    unsafe { PocoStorage::new(U256::from_be_bytes(POCO_STORAGE_SLOT.0), 0, vm.clone()) }
}

/// Slot of `PocoStorage::categories` (its length word) relative to the root: the fields
/// before it take slots 0..=15 (the four addresses with `decimals` packed beside `base_token`,
/// then one slot each). Checked by `category_count_reads_the_vector_length`.
const CATEGORIES_SLOT: u8 = 16;

/// Number of categories: `categories.len()` without the SDK's `StorageVec::len`, whose
/// `unwrap` of a `U256 → usize` conversion links core's integer formatting (~1 KB brotli)
/// into every facet that counts categories.
pub fn category_count(vm: &VM) -> U256 {
    let slot = U256::from_be_bytes(POCO_STORAGE_SLOT.0) + U256::from(CATEGORIES_SLOT);
    U256::from_be_bytes(vm.storage_load_bytes32(slot).0)
}

/// Storage words of one [`CategoryRecord`] (name, description, time reference).
const CATEGORY_WORDS: u64 = 3;

/// `categories[category].workClockTimeRef`, read from its slot: the SDK's `StorageVec::get`
/// checks the length through the same formatting-linking conversion as `len` (see
/// [`category_count`]). Deals only record existing categories, so no bound is checked; an
/// absent category reads 0.
pub fn category_time_ref(vm: &VM, category: u64) -> U256 {
    let root = U256::from_be_bytes(POCO_STORAGE_SLOT.0) + U256::from(CATEGORIES_SLOT);
    let data = U256::from_be_bytes(stylus_sdk::crypto::keccak(root.to_be_bytes::<32>()).0);
    let slot = data + U256::from(category) * U256::from(CATEGORY_WORDS) + U256::from(2);
    U256::from_be_bytes(vm.storage_load_bytes32(slot).0)
}

/// Narrows an amount to `uint128`, the packed width of account balances.
pub fn to_u128(value: U256) -> Result<u128, PocoError> {
    u128::try_from(value).map_err(|_| PocoError::ArithmeticOverflow)
}

/// Narrows a price to `uint96`, the packed width of deal prices.
pub fn to_u96(value: U256) -> Result<U96, PocoError> {
    U96::checked_from_limbs_slice(value.as_limbs()).ok_or(PocoError::ArithmeticOverflow)
}

/// Narrows to `uint64` (timestamps, category ids, ratios).
pub fn to_u64(value: U256) -> Result<u64, PocoError> {
    u64::try_from(value).map_err(|_| PocoError::ArithmeticOverflow)
}

impl DealRecord {
    /// Whether a deal was recorded under this id: its bag of tasks is not empty, the test
    /// PoCo's `initialize` makes (`idx < botFirst + botSize`). Not `requester != 0`: a
    /// `sponsorMatchOrders` of a request whose requester is `address(0)` (any unrecoverable
    /// 64/65-byte signature "signs" for it) records a real deal with a zero requester.
    pub fn exists(&self) -> bool {
        !self.bot_size.get().is_zero()
    }

    /// Who paid for the deal: the stored sponsor, or the requester when none is stored.
    pub fn sponsor(&self) -> Address {
        match self.sponsor.get() {
            sponsor if sponsor.is_zero() => self.requester.get(),
            sponsor => sponsor,
        }
    }

    /// The deal in PoCo's ABI shape (`viewDeal`).
    pub fn to_deal(&self) -> Deal {
        Deal {
            app: Resource {
                pointer: self.app.get(),
                owner: self.app_owner.get(),
                price: self.app_price.get(),
            },
            dataset: Resource {
                pointer: self.dataset.get(),
                owner: self.dataset_owner.get(),
                price: self.dataset_price.get(),
            },
            workerpool: Resource {
                pointer: self.workerpool.get(),
                owner: self.workerpool_owner.get(),
                price: self.workerpool_price.get(),
            },
            trust: self.trust.get(),
            category: U256::from(self.category.get()),
            tag: self.tag.get(),
            requester: self.requester.get(),
            beneficiary: self.beneficiary.get(),
            callback: self.callback.get(),
            params: self.params.get_string(),
            startTime: U256::from(self.start_time.get()),
            botFirst: self.bot_first.get(),
            botSize: self.bot_size.get(),
            workerStake: self.worker_stake.get(),
            schedulerRewardRatio: U256::from(self.scheduler_reward_ratio.get()),
            sponsor: self.sponsor(),
        }
    }

    /// Records `deal`, packed.
    ///
    /// # Errors
    /// `Panic(0x11)` ([`PocoError::ArithmeticOverflow`]) when the start time, the category
    /// or the scheduler's ratio exceeds `uint64` — which a match cannot produce (see the
    /// fields); every other field is stored exactly.
    pub fn store(&mut self, deal: &Deal) -> Result<(), PocoError> {
        self.store_with_params(deal, deal.params.as_bytes())
    }

    /// Records `deal` with `params` in place of `deal.params`: the request's raw bytes, which
    /// PoCo stores whether or not they are UTF-8 (`poco_core::calldata`).
    ///
    /// The record must be fresh (deal ids are never reused: each is the request's hash with
    /// its consumed volume, which only grows): zero fields whose slot holds nothing else — the
    /// dataset of a deal without one, the callback, the tag, the sponsor when it is the
    /// requester — are not written, each a cold storage access (~2,100 gas) saved.
    ///
    /// # Errors
    /// As [`DealRecord::store`].
    pub fn store_with_params(&mut self, deal: &Deal, params: &[u8]) -> Result<(), PocoError> {
        self.app.set(deal.app.pointer);
        self.app_price.set(deal.app.price);
        if !deal.dataset.pointer.is_zero() || !deal.dataset.price.is_zero() {
            self.dataset.set(deal.dataset.pointer);
            self.dataset_price.set(deal.dataset.price);
        }
        self.workerpool.set(deal.workerpool.pointer);
        self.workerpool_price.set(deal.workerpool.price);
        self.app_owner.set(deal.app.owner);
        self.start_time.set(U64::from(to_u64(deal.startTime)?));
        self.dataset_owner.set(deal.dataset.owner);
        self.category.set(U64::from(to_u64(deal.category)?));
        self.workerpool_owner.set(deal.workerpool.owner);
        self.scheduler_reward_ratio.set(U64::from(to_u64(deal.schedulerRewardRatio)?));
        self.requester.set(deal.requester);
        self.beneficiary.set(deal.beneficiary);
        if !deal.callback.is_zero() {
            self.callback.set(deal.callback);
        }
        if deal.sponsor != deal.requester {
            self.sponsor.set(deal.sponsor);
        }
        if !deal.tag.is_zero() {
            self.tag.set(deal.tag);
        }
        self.trust.set(deal.trust);
        self.bot_first.set(deal.botFirst);
        self.bot_size.set(deal.botSize);
        self.worker_stake.set(deal.workerStake);
        self.params.set_bytes(params);
        Ok(())
    }
}

impl CategoryRecord {
    /// The category in PoCo's ABI shape.
    pub fn to_category(&self) -> Category {
        Category {
            name: self.name.get_string(),
            description: self.description.get_string(),
            workClockTimeRef: self.work_clock_time_ref.get(),
        }
    }
}

impl AccountRecord {
    /// Usable balance as `uint256`.
    pub fn balance(&self) -> U256 {
        U256::from(self.balance.get())
    }

    /// Locked balance as `uint256`.
    pub fn frozen(&self) -> U256 {
        U256::from(self.frozen.get())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

    use alloc::boxed::Box;
    use stylus_sdk::testing::TestVM;

    use super::*;

    #[test]
    fn category_count_reads_the_vector_length() {
        let test_vm = TestVM::default();
        let vm = VM { host: Box::new(test_vm.clone()) };
        let mut s = poco_storage(&vm);
        s.v3_iexec_hub.set(Address::repeat_byte(1)); // the next field must not alias
        for n in 0..3u64 {
            assert_eq!(category_count(&vm), U256::from(n));
            assert_eq!(U256::from(s.categories.len()), U256::from(n));
            s.categories.grow().work_clock_time_ref.set(U256::from(1));
        }
        assert_eq!(category_count(&vm), U256::from(3));
    }

    fn deal_boost(dataset: bool, sponsor: Address) -> DealBoost {
        use alloy_primitives::{aliases::U40, FixedBytes};
        let requester = Address::repeat_byte(7);
        DealBoost {
            appOwner: Address::repeat_byte(1),
            appPrice: U96::MAX,
            datasetOwner: if dataset { Address::repeat_byte(2) } else { Address::ZERO },
            datasetPrice: if dataset { U96::from(3) } else { U96::ZERO },
            workerpoolOwner: Address::repeat_byte(4),
            workerpoolPrice: U96::from(5),
            requester,
            workerReward: U96::from(4),
            callback: Address::repeat_byte(9),
            deadline: U40::MAX,
            botFirst: u16::MAX,
            botSize: 65_534,
            shortTag: FixedBytes([0xab, 0xcd, 0xef]),
            sponsor: if sponsor.is_zero() { requester } else { sponsor },
        }
    }

    /// Every field reads back (packed neighbours do not clobber each other), and the record
    /// takes five slots, four without dataset, six with a sponsor that is not the requester.
    #[test]
    fn deal_boost_round_trips_in_five_slots() {
        for (dataset, sponsor, slots) in
            [(true, Address::ZERO, 5), (false, Address::ZERO, 4), (true, Address::repeat_byte(8), 6)]
        {
            let test_vm = TestVM::default();
            let vm = VM { host: Box::new(test_vm.clone()) };
            let deal = deal_boost(dataset, sponsor);
            let id = B256::repeat_byte(0x42);
            poco_storage(&vm).deals_boost.setter(id).store(&deal);
            vm.flush_cache(false);
            assert_eq!(poco_storage(&vm).deals_boost.getter(id).to_deal_boost(), deal);
            assert_eq!(test_vm.snapshot().storage.len(), slots, "dataset {dataset}, sponsor {sponsor}");
            assert_eq!(poco_storage(&vm).deals_boost.getter(B256::ZERO).to_deal_boost(), DealBoost::default());
        }
    }

    /// A deal with distinct small fields, `requester` asking and `sponsor` paying.
    fn deal_of(requester: Address, sponsor: Address) -> Deal {
        let resource = |n: u8| Resource {
            pointer: Address::repeat_byte(n),
            owner: Address::repeat_byte(n + 1),
            price: U256::from(n),
        };
        Deal {
            app: resource(0x11),
            dataset: resource(0x13),
            workerpool: resource(0x15),
            trust: U256::from(3),
            category: U256::from(2),
            tag: B256::repeat_byte(7),
            requester,
            beneficiary: Address::repeat_byte(0x17),
            callback: Address::repeat_byte(0x19),
            params: "{}".into(),
            startTime: U256::from(1_700_000_000u64),
            botFirst: U256::from(4),
            botSize: U256::from(6),
            workerStake: U256::from(77),
            schedulerRewardRatio: U256::from(1),
            sponsor,
        }
    }

    /// A deal exists when its bag of tasks is not empty, whoever its requester is: a
    /// sponsored deal may have a zero requester (issue 9, item 10).
    #[test]
    fn a_deal_exists_by_its_bag_of_tasks() {
        let test_vm = TestVM::default();
        let vm = VM { host: Box::new(test_vm.clone()) };
        let mut s = poco_storage(&vm);
        let id = B256::repeat_byte(1);
        assert!(!s.deals.getter(id).exists());
        let deal = deal_of(Address::ZERO, Address::repeat_byte(2));
        s.deals.setter(id).store(&deal).unwrap();
        let record = s.deals.getter(id);
        assert!(record.exists());
        assert_eq!(record.requester.get(), Address::ZERO);
        assert_eq!(record.sponsor(), Address::repeat_byte(2));
    }

    /// Every field of a deal reads back what was stored, from small values (13 slots, as
    /// before the fields were widened) to `uint256::MAX` (issue 9, item 3).
    #[test]
    fn deal_fields_round_trip_at_any_width() {
        let test_vm = TestVM::default();
        let vm = VM { host: Box::new(test_vm.clone()) };
        let mut s = poco_storage(&vm);
        for (i, big) in [U256::from(5), (U256::from(1) << 96) - U256::from(1), U256::from(1) << 128, U256::MAX]
            .into_iter()
            .enumerate()
        {
            let mut deal = deal_of(Address::repeat_byte(1), Address::repeat_byte(2));
            deal.app.price = big;
            deal.dataset.price = big - U256::from(1);
            deal.workerpool.price = big;
            deal.trust = big;
            deal.workerStake = big - U256::from(2);
            deal.botFirst = big;
            deal.botSize = big - U256::from(3);
            let id = B256::with_last_byte(i as u8);
            s.deals.setter(id).store(&deal).unwrap();
            assert_eq!(s.deals.getter(id).to_deal(), deal, "{big}");
        }
    }

    /// A match writes 12 slots for a deal without dataset, callback, tag or sponsor and with
    /// iExec's 110 bytes of params (8 of the record, the bag of tasks, the params' root and 3
    /// of its tail), and each of those four fields takes its own slot only when present.
    #[test]
    fn a_deal_writes_only_the_slots_of_its_present_fields() {
        let params = "x".repeat(110);
        for (with_optionals, slots) in [(false, 12), (true, 16)] {
            let test_vm = TestVM::default();
            let vm = VM { host: Box::new(test_vm.clone()) };
            let requester = Address::repeat_byte(1);
            let mut deal = deal_of(requester, if with_optionals { Address::repeat_byte(2) } else { requester });
            deal.params = params.clone();
            if !with_optionals {
                deal.dataset = Resource::default();
                deal.callback = Address::ZERO;
                deal.tag = B256::ZERO;
            }
            let id = B256::repeat_byte(9);
            poco_storage(&vm).deals.setter(id).store(&deal).unwrap();
            vm.flush_cache(false);
            assert_eq!(test_vm.snapshot().storage.len(), slots, "with dataset, callback, tag, sponsor: {with_optionals}");
            assert_eq!(poco_storage(&vm).deals.getter(id).to_deal(), deal);
        }
    }

    #[test]
    fn category_time_ref_reads_the_element() {
        let test_vm = TestVM::default();
        let vm = VM { host: Box::new(test_vm.clone()) };
        let mut s = poco_storage(&vm);
        for t in [300u64, 1200, 3600] {
            let mut c = s.categories.grow();
            c.name.set_str("n");
            c.work_clock_time_ref.set(U256::from(t));
        }
        for (i, t) in [300u64, 1200, 3600].into_iter().enumerate() {
            assert_eq!(category_time_ref(&vm, i as u64), U256::from(t));
        }
        assert_eq!(category_time_ref(&vm, 3), U256::ZERO);
    }
}
