//! Prints the Solidity interface of the app program (`--features export-abi`).

#[cfg(feature = "export-abi")]
fn main() {
    poco_app::print_from_args();
}

#[cfg(not(feature = "export-abi"))]
fn main() {}
