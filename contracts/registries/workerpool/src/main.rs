//! ABI export of the workerpool program (`--features export-abi`, driven by `cargo xtask abi`):
//! `abi` prints the router's Solidity interface, `events` the events as JSON ABI items
//! (Stylus' interface printer leaves events out).

use alloy_sol_types::JsonAbiExt;
use poco_workerpool::PolicyUpdate;

fn main() {
    if std::env::args().nth(1).as_deref() == Some("events") {
        let items: Vec<alloy_json_abi::AbiItem<'static>> = vec![PolicyUpdate::abi().into()];
        println!("{}", serde_json::to_string(&items).unwrap_or_default());
        return;
    }
    poco_workerpool::print_from_args();
}
