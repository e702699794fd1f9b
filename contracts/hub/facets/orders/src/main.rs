//! ABI export of the orders facet (`--features export-abi`, driven by `cargo xtask abi`):
//! `abi` prints the functions as a Solidity interface, `events` the events as JSON.

use alloy_json_abi::AbiItem;
use alloy_sol_types::JsonAbiExt;
use poco_core::orders::{
    broadcastAppOrderCall, broadcastDatasetOrderCall, broadcastRequestOrderCall, broadcastWorkerpoolOrderCall,
    manageAppOrderCall, manageDatasetOrderCall, manageRequestOrderCall, manageWorkerpoolOrderCall,
};
use poco_facet_orders::events::*;

fn main() {
    if std::env::args().nth(1).as_deref() == Some("events") {
        let items: Vec<AbiItem<'static>> = vec![
            // Functions taking structs: their `sol!` declarations (Stylus prints such
            // parameters without struct definitions).
            manageAppOrderCall::abi().into(),
            manageDatasetOrderCall::abi().into(),
            manageWorkerpoolOrderCall::abi().into(),
            manageRequestOrderCall::abi().into(),
            broadcastAppOrderCall::abi().into(),
            broadcastDatasetOrderCall::abi().into(),
            broadcastWorkerpoolOrderCall::abi().into(),
            broadcastRequestOrderCall::abi().into(),
            SignedAppOrder::abi().into(),
            SignedDatasetOrder::abi().into(),
            SignedWorkerpoolOrder::abi().into(),
            SignedRequestOrder::abi().into(),
            ClosedAppOrder::abi().into(),
            ClosedDatasetOrder::abi().into(),
            ClosedWorkerpoolOrder::abi().into(),
            ClosedRequestOrder::abi().into(),
            BroadcastAppOrder::abi().into(),
            BroadcastDatasetOrder::abi().into(),
            BroadcastWorkerpoolOrder::abi().into(),
            BroadcastRequestOrder::abi().into(),
        ];
        println!("{}", serde_json::to_string(&items).unwrap_or_default());
        return;
    }
    poco_facet_orders::print_from_args();
}
