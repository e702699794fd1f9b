//! ABI export of the app-registry program (`--features export-abi`, driven by `cargo xtask abi`):
//! `abi` prints the router's Solidity interface, `events` the events as JSON ABI items
//! (Stylus' interface printer leaves events out).

use alloy_sol_types::JsonAbiExt;
use poco_registry_common::erc721::{Approval, ApprovalForAll, Transfer};
use poco_registry_common::ownable::OwnershipTransferred;

fn main() {
    if std::env::args().nth(1).as_deref() == Some("events") {
        let items: Vec<alloy_json_abi::AbiItem<'static>> = vec![Transfer::abi().into(),
            Approval::abi().into(),
            ApprovalForAll::abi().into(),
            OwnershipTransferred::abi().into()];
        println!("{}", serde_json::to_string(&items).unwrap_or_default());
        return;
    }
    poco_app_registry::print_from_args();
}
