//! The devnet's CacheManager: programs bid for a place in the Stylus cache, with the bid API
//! of Arbitrum's `CacheManager` contract (OffchainLabs/nitro-contracts
//! `src/chain/CacheManager.sol`), which `cargo stylus cache bid/status` use.
//!
//! A devnet built-in (Rust, at [`CACHE_MANAGER`], registered as ArbOS's cache manager at
//! genesis) rather than a deployed contract: Arbitrum deploys its CacheManager when the chain
//! is created, and a built-in is there from the devnet's genesis without building,
//! deploying and activating a program first, while its state is ordinary journaled storage
//! of its account (reverts and snapshots cover it). Its gas is not the Solidity contract's:
//! each call pays the ArbOS storage prices of what it reads and writes, plus what caching
//! through `ArbWasmCache` costs.
//!
//! The rules, as the contract has them: the cache holds programs up to `cacheSize` bytes of
//! their `codehashAsmSize` (at least 4 KiB each). A bid is `msg.value + now·decay`; placing
//! one evicts the smallest bids (ties: the oldest entry) until the program fits, and reverts
//! with `BidTooSmall` when the last evicted bid is above it. Chain-owner functions: cache
//! size, decay rate, pause, evictions.

use alloy_primitives::{address, keccak256, Address, Log, B256, U256};
use alloy_sol_types::{sol, SolError, SolEvent, SolInterface, SolValue};
use revm::{
    context::{ContextTr, JournalTr},
    interpreter::{CallInputs, Gas, InstructionResult, InterpreterResult},
};

use super::arbwasm::{self, ArbWasm};
use super::cache::{self, CacheError, ARBOS_READ_GAS, ARBOS_WRITE_GAS};
use crate::evm::DevCtx;

/// Address of the devnet's CacheManager (found by tools through
/// `ArbWasmCache.allCacheManagers()`).
pub const CACHE_MANAGER: Address = address!("cac4e0000000000000000000000000000000cac4");

/// Cache size at genesis (nitro-contracts `scripts/deploymentUtils.ts`, `INIT_CACHE_SIZE`).
pub const INIT_CACHE_SIZE: u64 = 536_870_912;
/// Decay at genesis (same script, `INIT_DECAY`).
pub const INIT_DECAY: u64 = 10_322_197_911;
/// Smallest size a program counts for.
const MIN_CODESIZE: u64 = 4096;
/// Largest `makeSpace` request.
const MAX_MAKE_SPACE: u64 = 5 * 1024 * 1024;

sol! {
    /// The bid API of nitro-contracts' `CacheManager`.
    #[allow(missing_docs)]
    interface CacheManager {
        struct Entry {
            bytes32 code;
            uint64 size;
            uint192 bid;
        }

        function cacheSize() external view returns (uint64);
        function queueSize() external view returns (uint64);
        function decay() external view returns (uint64);
        function isPaused() external view returns (bool);
        function entries(uint256 index) external view returns (bytes32 code, uint64 size, uint192 bid);
        function getEntries() external view returns (Entry[] memory);
        function getSmallestEntries(uint256 k) external view returns (Entry[] memory result);
        function getMinBid(uint64 size) external view returns (uint192 min);
        function getMinBid(bytes32 codehash) external view returns (uint192 min);
        function getMinBid(address program) external view returns (uint192 min);
        function placeBid(address program) external payable;
        function makeSpace(uint64 size) external payable returns (uint64 space);
        function setCacheSize(uint64 newSize) external;
        function setDecayRate(uint64 newDecay) external;
        function paused() external;
        function unpause() external;
        function evictAll() external;
        function evictPrograms(uint256 count) external;
        function sweepFunds() external;

        error NotChainOwner(address sender);
        error AsmTooLarge(uint256 asm, uint256 queueSize, uint256 cacheSize);
        error AlreadyCached(bytes32 codehash);
        error BidTooLarge(uint256 bid);
        error BidTooSmall(uint192 bid, uint192 min);
        error BidsArePaused();
        error MakeSpaceTooLarge(uint64 size, uint64 limit);
        /// Evicting from an empty cache (solady's `MinHeapLib.pop`).
        error HeapIsEmpty();

        event InsertBid(bytes32 indexed codehash, address program, uint192 bid, uint64 size);
        event DeleteBid(bytes32 indexed codehash, uint192 bid, uint64 size);
        event SetCacheSize(uint64 size);
        event SetDecayRate(uint64 decay);
        event Pause();
        event Unpause();
    }
}

// Storage of the CacheManager account.
const CACHE_SIZE: u64 = 0;
const QUEUE_SIZE: u64 = 1;
const DECAY: u64 = 2;
const PAUSED: u64 = 3;
const ENTRY_COUNT: u64 = 4;

/// Slot of entry `i`'s codehash; its `size | bid << 64` word follows.
fn entry_slot(i: u64) -> U256 {
    U256::from_be_bytes(keccak256(U256::from(ENTRY_COUNT).to_be_bytes::<32>()).0) + U256::from(2 * i)
}

/// Genesis storage of the CacheManager account.
pub(crate) fn genesis_storage() -> Vec<(U256, U256)> {
    vec![(U256::from(CACHE_SIZE), U256::from(INIT_CACHE_SIZE)), (U256::from(DECAY), U256::from(INIT_DECAY))]
}

/// An entry of the cache (a hole when `code` is zero: deleted entries keep their index).
#[derive(Debug, Clone, Copy)]
struct Slot {
    code: B256,
    size: u64,
    bid: U256,
}

/// The call's view of the CacheManager's storage, charging ArbOS storage prices.
struct Manager<'a> {
    ctx: &'a mut DevCtx,
    gas: &'a mut Gas,
}

/// How a call ends early.
enum Stop {
    /// Revert with this data.
    Revert(Vec<u8>),
    /// Out of gas, or `ArbWasmCache` burnt the gas.
    Burn,
}

impl From<String> for Stop {
    fn from(e: String) -> Self {
        Stop::Revert(alloy_sol_types::Revert::from(e).abi_encode())
    }
}

type Step<T> = Result<T, Stop>;

impl Manager<'_> {
    fn charge(&mut self, gas: u64) -> Step<()> {
        match self.gas.record_regular_cost(gas) {
            true => Ok(()),
            false => Err(Stop::Burn),
        }
    }

    fn load(&mut self, slot: U256) -> Step<U256> {
        self.charge(ARBOS_READ_GAS)?;
        let journal = self.ctx.journal_mut();
        journal.load_account(CACHE_MANAGER).map_err(|e| e.to_string())?;
        Ok(journal.sload(CACHE_MANAGER, slot).map_err(|e| e.to_string())?.data)
    }

    fn store(&mut self, slot: U256, value: U256) -> Step<()> {
        self.charge(ARBOS_WRITE_GAS)?;
        let journal = self.ctx.journal_mut();
        journal.load_account(CACHE_MANAGER).map_err(|e| e.to_string())?;
        journal.sstore(CACHE_MANAGER, slot, value).map_err(|e| e.to_string())?;
        Ok(())
    }

    fn get(&mut self, slot: u64) -> Step<u64> {
        Ok(self.load(U256::from(slot))?.saturating_to())
    }

    fn set(&mut self, slot: u64, value: u64) -> Step<()> {
        self.store(U256::from(slot), U256::from(value))
    }

    fn emit(&mut self, event: impl SolEvent) -> Step<()> {
        let data = event.encode_log_data();
        self.charge(375 * (1 + data.topics().len() as u64) + 8 * data.data.len() as u64)?;
        self.ctx.journal_mut().log(Log { address: CACHE_MANAGER, data });
        Ok(())
    }

    fn entry(&mut self, i: u64) -> Step<Slot> {
        let code = B256::from(self.load(entry_slot(i))?.to_be_bytes::<32>());
        let word = self.load(entry_slot(i) + U256::from(1))?;
        let size = (word & U256::from(u64::MAX)).saturating_to();
        Ok(Slot { code, size, bid: word >> 64 })
    }

    fn put_entry(&mut self, i: u64, e: Slot) -> Step<()> {
        self.store(entry_slot(i), U256::from_be_bytes(e.code.0))?;
        self.store(entry_slot(i) + U256::from(1), U256::from(e.size) | (e.bid << 64))
    }

    /// Live entries as (bid, index, entry), smallest bid first, then oldest index (the
    /// order of the contract's min-heap of `bid << 64 | index`).
    fn by_bid(&mut self) -> Step<Vec<(U256, u64, Slot)>> {
        let count = self.get(ENTRY_COUNT)?;
        let mut live = Vec::new();
        for i in 0..count {
            let e = self.entry(i)?;
            if !e.code.is_zero() {
                live.push((e.bid, i, e));
            }
        }
        live.sort_by_key(|a| (a.0, a.1));
        Ok(live)
    }

    fn owner_only(&mut self, caller: Address) -> Step<()> {
        self.charge(ARBOS_READ_GAS)?;
        match cache::chain_owner(self.ctx)? == caller {
            true => Ok(()),
            false => Err(Stop::Revert(CacheManager::NotChainOwner { sender: caller }.abi_encode())),
        }
    }

    fn decay_now(&mut self) -> Step<U256> {
        let decay = self.get(DECAY)?;
        Ok(self.ctx.block.timestamp * U256::from(decay))
    }

    /// `codehashAsmSize`, at least 4 KiB; `ArbWasm`'s errors propagate.
    fn asm_size(&mut self, codehash: B256) -> Step<u64> {
        self.charge(ARBOS_READ_GAS)?;
        let params = self.ctx.chain.params;
        let record = match arbwasm::load_record(self.ctx, codehash)? {
            Some(r) => r,
            None => return Err(Stop::Revert(ArbWasm::ProgramNotActivated {}.abi_encode())),
        };
        let age = self.ctx.block.timestamp.saturating_to::<u64>().saturating_sub(record.activated_at);
        if record.version != params.version {
            let e = ArbWasm::ProgramNeedsUpgrade { version: record.version, stylusVersion: params.version };
            return Err(Stop::Revert(e.abi_encode()));
        }
        if age > params.expiry_seconds() {
            return Err(Stop::Revert(ArbWasm::ProgramExpired { ageInSeconds: age }.abi_encode()));
        }
        let size = u64::from(record.asm_estimate.div_ceil(1024)) * 1024;
        Ok(size.max(MIN_CODESIZE))
    }

    fn set_cached(&mut self, codehash: B256, cache: bool) -> Step<()> {
        match cache::set_cached(self.ctx, self.gas, CACHE_MANAGER, codehash, cache) {
            Ok(()) => Ok(()),
            Err(CacheError::Revert(data)) => Err(Stop::Revert(data)),
            Err(CacheError::Denied | CacheError::OutOfGas) => Err(Stop::Burn),
        }
    }

    /// Evicts the smallest bid; returns (bid, index).
    fn evict_smallest(&mut self) -> Step<(U256, u64)> {
        let Some((bid, index, entry)) = self.by_bid()?.first().copied() else {
            return Err(Stop::Revert(CacheManager::HeapIsEmpty {}.abi_encode()));
        };
        self.set_cached(entry.code, false)?;
        let queue = self.get(QUEUE_SIZE)?;
        self.set(QUEUE_SIZE, queue.saturating_sub(entry.size))?;
        self.emit(CacheManager::DeleteBid { codehash: entry.code, bid: bid.saturating_to(), size: entry.size })?;
        self.put_entry(index, Slot { code: B256::ZERO, size: 0, bid: U256::ZERO })?;
        Ok((bid, index))
    }

    /// `_makeSpace`: the bid of `value` and the index to insert at.
    fn make_space(&mut self, size: u64, value: U256) -> Step<(U256, u64)> {
        let bid = value + self.decay_now()?;
        if bid > U256::from(u64::MAX) << 128 {
            return Err(Stop::Revert(CacheManager::BidTooLarge { bid }.abi_encode()));
        }
        let mut index = self.get(ENTRY_COUNT)?;
        let mut min = U256::ZERO;
        let limit = self.get(CACHE_SIZE)?;
        while self.get(QUEUE_SIZE)?.saturating_add(size) > limit {
            (min, index) = self.evict_smallest()?;
        }
        if bid < min {
            let e = CacheManager::BidTooSmall { bid: bid.saturating_to(), min: min.saturating_to() };
            return Err(Stop::Revert(e.abi_encode()));
        }
        Ok((bid, index))
    }

    fn place_bid(&mut self, program: Address, value: U256) -> Step<()> {
        if self.get(PAUSED)? != 0 {
            return Err(Stop::Revert(CacheManager::BidsArePaused {}.abi_encode()));
        }
        let codehash = self.ctx.journal_mut().code_hash(program).map_err(|e| e.to_string())?.data;
        self.charge(ARBOS_READ_GAS)?;
        if arbwasm::load_record(self.ctx, codehash)?.is_some_and(|r| r.cached) {
            return Err(Stop::Revert(CacheManager::AlreadyCached { codehash }.abi_encode()));
        }
        let size = self.asm_size(codehash)?;
        let (bid, index) = self.make_space(size, value)?;
        let (queue, cache_size) = (self.get(QUEUE_SIZE)?, self.get(CACHE_SIZE)?);
        if queue.saturating_add(size) > cache_size {
            let e = CacheManager::AsmTooLarge {
                asm: U256::from(size),
                queueSize: U256::from(queue),
                cacheSize: U256::from(cache_size),
            };
            return Err(Stop::Revert(e.abi_encode()));
        }
        self.set_cached(codehash, true)?;
        self.set(QUEUE_SIZE, queue + size)?;
        self.put_entry(index, Slot { code: codehash, size, bid })?;
        if index == self.get(ENTRY_COUNT)? {
            self.set(ENTRY_COUNT, index + 1)?;
        }
        self.emit(CacheManager::InsertBid { codehash, program, bid: bid.saturating_to(), size })
    }

    fn min_bid(&mut self, size: u64) -> Step<U256> {
        let cache_size = self.get(CACHE_SIZE)?;
        if size > cache_size {
            let e = CacheManager::AsmTooLarge {
                asm: U256::from(size),
                queueSize: U256::ZERO,
                cacheSize: U256::from(cache_size),
            };
            return Err(Stop::Revert(e.abi_encode()));
        }
        let size = size.max(MIN_CODESIZE);
        let total = self.get(QUEUE_SIZE)? + size;
        if total <= cache_size {
            return Ok(U256::ZERO);
        }
        let mut need = total - cache_size;
        let mut min = U256::ZERO;
        for (bid, _, entry) in self.by_bid()? {
            if need <= entry.size {
                min = bid;
                break;
            }
            need -= entry.size;
        }
        let decay = self.decay_now()?;
        Ok(min.saturating_sub(decay))
    }

    fn entries_of(&mut self, list: &[(U256, u64, Slot)]) -> Vec<CacheManager::Entry> {
        list.iter()
            .map(|(_, _, e)| CacheManager::Entry { code: e.code, size: e.size, bid: e.bid.saturating_to() })
            .collect()
    }
}

/// Runs a call of the CacheManager.
pub(crate) fn run(ctx: &mut DevCtx, inputs: &CallInputs) -> InterpreterResult {
    let mut gas = Gas::new(inputs.gas_limit);
    let input = inputs.input.bytes(ctx);
    let (caller, value) = (inputs.caller, inputs.value.get());
    use CacheManager::CacheManagerCalls as C;
    let Ok(call) = C::abi_decode(&input) else {
        return finish(gas, Err(Stop::Revert(Vec::new())));
    };
    let payable = matches!(call, C::placeBid(_) | C::makeSpace(_));
    if !value.is_zero() && !payable {
        return finish(gas, Err(Stop::Revert(Vec::new())));
    }
    let writes = !matches!(
        call,
        C::cacheSize(_)
            | C::queueSize(_)
            | C::decay(_)
            | C::isPaused(_)
            | C::entries(_)
            | C::getEntries(_)
            | C::getSmallestEntries(_)
            | C::getMinBid_0(_)
            | C::getMinBid_1(_)
            | C::getMinBid_2(_)
    );
    if writes && inputs.is_static {
        return finish(gas, Err(Stop::from("write protection".to_string())));
    }
    let mut m = Manager { ctx, gas: &mut gas };
    let result: Step<Vec<u8>> = (|| match call {
        C::cacheSize(_) => Ok(m.get(CACHE_SIZE)?.abi_encode()),
        C::queueSize(_) => Ok(m.get(QUEUE_SIZE)?.abi_encode()),
        C::decay(_) => Ok(m.get(DECAY)?.abi_encode()),
        C::isPaused(_) => Ok((m.get(PAUSED)? != 0).abi_encode()),
        C::entries(c) => {
            if c.index >= U256::from(m.get(ENTRY_COUNT)?) {
                // Solidity's out-of-bounds array access: Panic(0x32).
                return Err(Stop::Revert(alloy_sol_types::Panic::from(0x32).abi_encode()));
            }
            let e = m.entry(c.index.saturating_to())?;
            Ok((e.code, e.size, e.bid).abi_encode_params())
        }
        C::getEntries(_) => {
            let count = m.get(ENTRY_COUNT)?;
            let all: Step<Vec<_>> = (0..count).map(|i| m.entry(i).map(|e| (e.bid, i, e))).collect();
            let all = all?;
            Ok(m.entries_of(&all).abi_encode())
        }
        C::getSmallestEntries(c) => {
            let mut live = m.by_bid()?;
            live.truncate(c.k.saturating_to());
            Ok(m.entries_of(&live).abi_encode())
        }
        C::getMinBid_0(c) => Ok(m.min_bid(c.size)?.abi_encode()),
        C::getMinBid_1(c) => {
            let size = m.asm_size(c.codehash)?;
            Ok(m.min_bid(size)?.abi_encode())
        }
        C::getMinBid_2(c) => {
            let codehash = m.ctx.journal_mut().code_hash(c.program).map_err(|e| e.to_string())?.data;
            let size = m.asm_size(codehash)?;
            Ok(m.min_bid(size)?.abi_encode())
        }
        C::placeBid(c) => m.place_bid(c.program, value).map(|()| Vec::new()),
        C::makeSpace(c) => {
            if m.get(PAUSED)? != 0 {
                return Err(Stop::Revert(CacheManager::BidsArePaused {}.abi_encode()));
            }
            if c.size > MAX_MAKE_SPACE {
                let e = CacheManager::MakeSpaceTooLarge { size: c.size, limit: MAX_MAKE_SPACE };
                return Err(Stop::Revert(e.abi_encode()));
            }
            m.make_space(c.size, value)?;
            let space = m.get(CACHE_SIZE)?.saturating_sub(m.get(QUEUE_SIZE)?);
            Ok(space.abi_encode())
        }
        C::setCacheSize(c) => {
            m.owner_only(caller)?;
            m.set(CACHE_SIZE, c.newSize)?;
            m.emit(CacheManager::SetCacheSize { size: c.newSize }).map(|()| Vec::new())
        }
        C::setDecayRate(c) => {
            m.owner_only(caller)?;
            m.set(DECAY, c.newDecay)?;
            m.emit(CacheManager::SetDecayRate { decay: c.newDecay }).map(|()| Vec::new())
        }
        C::paused(_) => {
            m.owner_only(caller)?;
            m.set(PAUSED, 1)?;
            m.emit(CacheManager::Pause {}).map(|()| Vec::new())
        }
        C::unpause(_) => {
            m.owner_only(caller)?;
            m.set(PAUSED, 0)?;
            m.emit(CacheManager::Unpause {}).map(|()| Vec::new())
        }
        C::evictPrograms(c) => {
            m.owner_only(caller)?;
            let mut count = c.count;
            while count > U256::ZERO && !m.by_bid()?.is_empty() {
                m.evict_smallest()?;
                count -= U256::from(1);
            }
            Ok(Vec::new())
        }
        C::evictAll(_) => {
            m.owner_only(caller)?;
            while !m.by_bid()?.is_empty() {
                m.evict_smallest()?;
            }
            m.set(ENTRY_COUNT, 0)?;
            Ok(Vec::new())
        }
        C::sweepFunds(_) => {
            // The network fee account of the devnet is its chain owner.
            let owner = cache::chain_owner(m.ctx)?;
            let journal = m.ctx.journal_mut();
            let balance = journal.load_account(CACHE_MANAGER).map_err(|e| e.to_string())?.data.info.balance;
            match journal.transfer(CACHE_MANAGER, owner, balance) {
                Ok(None) => Ok(Vec::new()),
                Ok(Some(e)) => Err(Stop::from(format!("sweep failed: {e:?}"))),
                Err(e) => Err(Stop::from(e.to_string())),
            }
        }
    })();
    finish(gas, result)
}

fn finish(gas: Gas, result: Step<Vec<u8>>) -> InterpreterResult {
    match result {
        Ok(out) => InterpreterResult::new(InstructionResult::Return, out.into(), gas),
        Err(Stop::Revert(out)) => InterpreterResult::new(InstructionResult::Revert, out.into(), gas),
        Err(Stop::Burn) => {
            let mut gas = Gas::new(gas.limit());
            gas.spend_all();
            InterpreterResult::new(InstructionResult::OutOfGas, Default::default(), gas)
        }
    }
}
