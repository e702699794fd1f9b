//! ABI export of the hub router (`--features export-abi`, driven by `cargo xtask abi`).
//! The router's own ABI is its constructor, fallback and receive, and the four functions it
//! serves itself (deposits and withdrawals); the hub's full ABI is the union of the router's
//! and the facets' (see `abi/`).

use alloy_json_abi::AbiItem;
use alloy_sol_types::JsonAbiExt;
use poco_hub_base::diamond::FunctionNotFound;
use poco_hub_router::{depositCall, depositForCall, withdrawCall, withdrawToCall};

fn main() {
    if std::env::args().nth(1).as_deref() == Some("events") {
        // The functions the router serves itself are decoded by hand in its fallback, so
        // Stylus' printer does not see them.
        let items: Vec<AbiItem<'static>> = vec![
            depositCall::abi().into(),
            depositForCall::abi().into(),
            withdrawCall::abi().into(),
            withdrawToCall::abi().into(),
            FunctionNotFound::abi().into(),
        ];
        println!("{}", serde_json::to_string(&items).unwrap_or_default());
        return;
    }
    poco_hub_router::print_from_args();
}
