//! Prints the Solidity interface of the workerpool program (`--features export-abi`).

#[cfg(feature = "export-abi")]
fn main() {
    poco_workerpool::print_from_args();
}

#[cfg(not(feature = "export-abi"))]
fn main() {}
