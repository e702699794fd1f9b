//! Prints the Solidity interface of the AppRegistry program (`--features export-abi`).

#[cfg(feature = "export-abi")]
fn main() {
    poco_app_registry::print_from_args();
}

#[cfg(not(feature = "export-abi"))]
fn main() {}
