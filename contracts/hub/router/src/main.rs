//! ABI export of the hub router (`--features export-abi`, driven by `cargo xtask abi`).
//! The router's own ABI is its constructor, fallback and receive; the hub's full ABI is the
//! union of the facets' (see `abi/`).

use alloy_sol_types::JsonAbiExt;
use poco_hub_base::diamond::FunctionNotFound;

fn main() {
    if std::env::args().nth(1).as_deref() == Some("events") {
        let items = vec![alloy_json_abi::AbiItem::from(FunctionNotFound::abi())];
        println!("{}", serde_json::to_string(&items).unwrap_or_default());
        return;
    }
    poco_hub_router::print_from_args();
}
