//! ABI export of the escrow facet (`--features export-abi`, driven by `cargo xtask abi`):
//! `facet-escrow-abi events` prints its events and errors as JSON ABI items.

use alloy_json_abi::AbiItem;
use alloy_sol_types::JsonAbiExt;
use poco_facet_escrow::{CallerIsNotTheRequester, OperationFailed, UnsupportedOperation};
use poco_hub_base::escrow::{Approval, Lock, Reward, Seize, Transfer, Unlock};

fn main() {
    if std::env::args().nth(1).as_deref() == Some("events") {
        let items = vec![
            AbiItem::from(Transfer::abi()),
            Approval::abi().into(),
            Reward::abi().into(),
            Seize::abi().into(),
            Lock::abi().into(),
            Unlock::abi().into(),
            UnsupportedOperation::abi().into(),
            OperationFailed::abi().into(),
            CallerIsNotTheRequester::abi().into(),
            // Stylus' interface printer leaves out `#[fallback]`/`#[receive]`; the router
            // serves them through this facet (keys 0xffffffff and 0x00000000).
            AbiItem::Fallback(std::borrow::Cow::Owned(alloy_json_abi::Fallback {
                state_mutability: alloy_json_abi::StateMutability::Payable,
            })),
            AbiItem::Receive(std::borrow::Cow::Owned(alloy_json_abi::Receive {
                state_mutability: alloy_json_abi::StateMutability::Payable,
            })),
        ];
        println!("{}", serde_json::to_string(&items).unwrap_or_default());
        return;
    }
    poco_facet_escrow::print_from_args();
}
