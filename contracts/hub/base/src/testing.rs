//! Test host for facets (feature `testing`, never in a deployed build).
//!
//! stylus-sdk's `TestVM` answers every call with the return data of the *last mock set up*,
//! whichever call was matched (spec/STYLUS.md appendix, "TestVM pitfall"). A `matchOrders`
//! makes a dozen different calls (owners, registries, ecrecover, workerpool policies), so
//! facet tests run on [`MockHost`]: a `TestVM` for storage, logs and context, with its own
//! call table that returns each call's own data, answers an un-mocked call like an
//! account without code (success, no data), and records the calls made.

extern crate std;

use alloc::{boxed::Box, rc::Rc, vec::Vec};
use core::cell::RefCell;
use std::collections::HashMap;

use alloy_primitives::{Address, B256, U256};
use stylus_sdk::{
    host::VM,
    stylus_core::{
        AccountAccess, BlockAccess, CalldataAccess, ChainAccess, CryptographyAccess, Host, MemoryAccess,
        MessageAccess, MeteringAccess, RawLogAccess, StorageAccess, UnsafeCallAccess, UnsafeDeploymentAccess,
    },
    testing::TestVM,
};

/// Result of a mocked call: return data, or revert data.
pub type CallResult = Result<Vec<u8>, Vec<u8>>;

#[derive(Default)]
struct Calls {
    mocks: HashMap<(Address, Vec<u8>), CallResult>,
    made: Vec<(Address, Vec<u8>)>,
    return_data: Vec<u8>,
}

/// A `TestVM` whose calls return their own mocked data (see the module doc).
#[derive(Clone)]
pub struct MockHost {
    /// The wrapped VM: storage, logs, sender, timestamp, code, chain id.
    pub vm: TestVM,
    calls: Rc<RefCell<Calls>>,
}

impl Default for MockHost {
    fn default() -> Self {
        Self::new(TestVM::default())
    }
}

impl MockHost {
    /// Wraps `vm`.
    pub fn new(vm: TestVM) -> Self {
        Self { vm, calls: Rc::default() }
    }

    /// A `VM` handle on this host, as contracts and `poco_storage` take it.
    pub fn handle(&self) -> VM {
        VM { host: Box::new(self.clone()) }
    }

    /// Answers calls (static or not, any value) to `to` with exactly `data`.
    pub fn mock(&self, to: Address, data: impl Into<Vec<u8>>, result: CallResult) {
        self.calls.borrow_mut().mocks.insert((to, data.into()), result);
    }

    /// Forgets every mock, the calls made and the logs (`TestVM::clear_mocks`).
    pub fn clear_mocks(&self) {
        let mut calls = self.calls.borrow_mut();
        calls.mocks.clear();
        calls.made.clear();
        calls.return_data.clear();
        self.vm.clear_mocks();
    }

    /// Every call made so far: callee and calldata, in order.
    pub fn calls_made(&self) -> Vec<(Address, Vec<u8>)> {
        self.calls.borrow().made.clone()
    }

    /// Marks `account` as a contract (non-empty code), as ERC-1271 and ERC-734 checks test.
    pub fn set_contract(&self, account: Address) {
        self.vm.set_code(account, alloc::vec![0xfe]);
    }

    /// # Safety
    /// `to` points to 20 bytes and `data` to `len` bytes.
    unsafe fn perform(&self, to: *const u8, data: *const u8, len: usize, outs_len: &mut usize) -> u8 {
        let to = Address::from_slice(core::slice::from_raw_parts(to, 20));
        let data = core::slice::from_raw_parts(data, len).to_vec();
        let mut calls = self.calls.borrow_mut();
        let result = calls.mocks.get(&(to, data.clone())).cloned().unwrap_or(Ok(Vec::new()));
        calls.made.push((to, data));
        let (status, out) = match result {
            Ok(out) => (0, out),
            Err(out) => (1, out),
        };
        *outs_len = out.len();
        calls.return_data = out;
        status
    }
}

impl Host for MockHost {}

impl CryptographyAccess for MockHost {
    fn native_keccak256(&self, input: &[u8]) -> B256 {
        self.vm.native_keccak256(input)
    }
}

impl CalldataAccess for MockHost {
    fn read_args(&self, len: usize) -> Vec<u8> {
        self.vm.read_args(len)
    }
    fn read_return_data(&self, offset: usize, size: Option<usize>) -> Vec<u8> {
        let calls = self.calls.borrow();
        let data = &calls.return_data;
        let start = offset.min(data.len());
        let end = size.map_or(data.len(), |s| (start + s).min(data.len()));
        data[start..end].to_vec()
    }
    fn return_data_size(&self) -> usize {
        self.calls.borrow().return_data.len()
    }
    fn write_result(&self, data: &[u8]) {
        self.vm.write_result(data)
    }
}

// SAFETY: forwards to TestVM with the caller's pointers.
unsafe impl UnsafeDeploymentAccess for MockHost {
    unsafe fn create1(&self, code: *const u8, len: usize, endowment: *const u8, contract: *mut u8, revert_len: *mut usize) {
        self.vm.create1(code, len, endowment, contract, revert_len)
    }
    unsafe fn create2(
        &self,
        code: *const u8,
        len: usize,
        endowment: *const u8,
        salt: *const u8,
        contract: *mut u8,
        revert_len: *mut usize,
    ) {
        self.vm.create2(code, len, endowment, salt, contract, revert_len)
    }
}

impl StorageAccess for MockHost {
    fn storage_load_bytes32(&self, key: U256) -> B256 {
        self.vm.storage_load_bytes32(key)
    }
    unsafe fn storage_cache_bytes32(&self, key: U256, value: B256) {
        self.vm.storage_cache_bytes32(key, value)
    }
    fn flush_cache(&self, clear: bool) {
        self.vm.flush_cache(clear)
    }
}

// SAFETY: reads the caller's pointers as the SDK passes them (20-byte address, `len` bytes).
unsafe impl UnsafeCallAccess for MockHost {
    unsafe fn call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        len: usize,
        _value: *const u8,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        self.perform(to, data, len, outs_len)
    }
    unsafe fn static_call_contract(&self, to: *const u8, data: *const u8, len: usize, _gas: u64, outs_len: &mut usize) -> u8 {
        self.perform(to, data, len, outs_len)
    }
    unsafe fn delegate_call_contract(&self, to: *const u8, data: *const u8, len: usize, _gas: u64, outs_len: &mut usize) -> u8 {
        self.perform(to, data, len, outs_len)
    }
}

impl BlockAccess for MockHost {
    fn block_basefee(&self) -> U256 {
        self.vm.block_basefee()
    }
    fn block_coinbase(&self) -> Address {
        self.vm.block_coinbase()
    }
    fn block_number(&self) -> u64 {
        self.vm.block_number()
    }
    fn block_timestamp(&self) -> u64 {
        self.vm.block_timestamp()
    }
    fn block_gas_limit(&self) -> u64 {
        self.vm.block_gas_limit()
    }
}

impl ChainAccess for MockHost {
    fn chain_id(&self) -> u64 {
        self.vm.chain_id()
    }
}

impl AccountAccess for MockHost {
    fn balance(&self, account: Address) -> U256 {
        self.vm.balance(account)
    }
    fn contract_address(&self) -> Address {
        self.vm.contract_address()
    }
    fn code(&self, account: Address) -> Vec<u8> {
        self.vm.code(account)
    }
    fn code_size(&self, account: Address) -> usize {
        self.vm.code_size(account)
    }
    fn code_hash(&self, account: Address) -> B256 {
        self.vm.code_hash(account)
    }
}

impl MemoryAccess for MockHost {
    fn pay_for_memory_grow(&self, pages: u16) {
        self.vm.pay_for_memory_grow(pages)
    }
}

impl MessageAccess for MockHost {
    fn msg_sender(&self) -> Address {
        self.vm.msg_sender()
    }
    fn msg_reentrant(&self) -> bool {
        self.vm.msg_reentrant()
    }
    fn msg_value(&self) -> U256 {
        self.vm.msg_value()
    }
    fn tx_origin(&self) -> Address {
        self.vm.tx_origin()
    }
}

impl MeteringAccess for MockHost {
    fn evm_gas_left(&self) -> u64 {
        self.vm.evm_gas_left()
    }
    fn evm_ink_left(&self) -> u64 {
        self.vm.evm_ink_left()
    }
    fn tx_gas_price(&self) -> U256 {
        self.vm.tx_gas_price()
    }
    fn tx_ink_price(&self) -> u32 {
        self.vm.tx_ink_price()
    }
}

impl RawLogAccess for MockHost {
    fn emit_log(&self, input: &[u8], num_topics: usize) {
        self.vm.emit_log(input, num_topics)
    }
    fn raw_log(&self, topics: &[B256], data: &[u8]) -> Result<(), &'static str> {
        self.vm.raw_log(topics, data)
    }
}

/// The name `lib.rs` announces for this host.
pub type MockVM = MockHost;

/// A deal with every field distinct from its neighbours (prices, owners, counters), so that
/// a view returning one field in place of another fails; `requester` asks for the deal,
/// `beneficiary` also pays (sponsor).
pub fn sample_deal(requester: Address, beneficiary: Address) -> poco_core::deal::Deal {
    use poco_core::deal::{Deal, Resource};
    let resource = |n: u8| Resource {
        pointer: Address::repeat_byte(n),
        owner: Address::repeat_byte(n + 1),
        price: U256::from(n) * U256::from(1000),
    };
    Deal {
        app: resource(1),
        dataset: resource(3),
        workerpool: resource(5),
        trust: U256::from(3),
        category: U256::from(2),
        tag: B256::repeat_byte(7),
        requester,
        beneficiary,
        callback: Address::repeat_byte(9),
        params: "{\"iexec_args\":\"x\"}".into(),
        startTime: U256::from(1_700_000_000u64),
        botFirst: U256::from(4),
        botSize: U256::from(6),
        workerStake: U256::from(77),
        schedulerRewardRatio: U256::from(1),
        sponsor: beneficiary,
    }
}
