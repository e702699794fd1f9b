//! ABI export of the RLC token (`--features export-abi`, driven by `cargo xtask abi`).
//!
//! `rlc-abi abi` prints the Solidity interface of the router (functions);
//! `rlc-abi events` prints the events and errors as JSON ABI items, which Stylus' interface
//! printer leaves out.

use alloy_sol_types::JsonAbiExt;
use poco_rlc::{Approval, OwnershipTransferred, Transfer};

fn main() {
    if std::env::args().nth(1).as_deref() == Some("events") {
        let items = vec![
            alloy_json_abi::AbiItem::from(Transfer::abi()),
            Approval::abi().into(),
            OwnershipTransferred::abi().into(),
        ];
        println!("{}", serde_json::to_string(&items).unwrap_or_default());
        return;
    }
    poco_rlc::print_from_args();
}
