//! ABI export of the administration facet (`--features export-abi`, driven by
//! `cargo xtask abi`): `facet-admin-abi events` prints its events as JSON ABI items.

use alloy_sol_types::JsonAbiExt;
use poco_facet_admin::CreateCategory;

fn main() {
    if std::env::args().nth(1).as_deref() == Some("events") {
        let items = vec![alloy_json_abi::AbiItem::from(CreateCategory::abi())];
        println!("{}", serde_json::to_string(&items).unwrap_or_default());
        return;
    }
    poco_facet_admin::print_from_args();
}
