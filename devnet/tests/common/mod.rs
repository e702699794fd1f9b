//! Shared test helpers: building the Stylus fixture and ABI bindings.
#![allow(
    dead_code,
    missing_docs,
    unreachable_pub,
    clippy::expect_used,
    clippy::unwrap_used
)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use alloy::sol;

sol! {
    #[sol(rpc)]
    #[derive(Debug)]
    interface IToken {
        function name() external view returns (string);
        function symbol() external view returns (string);
        function decimals() external view returns (uint8);
        function totalSupply() external view returns (uint256);
        function balanceOf(address owner) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function transfer(address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function mint(address to, uint256 value) external;
        function mintAndRevert(address to, uint256 value) external;
        function tryCall(address target, bytes data) external returns (bool);
        function calls() external view returns (uint256);
        function lastOk() external view returns (bool);
        function deployProxy(address implementation, bytes32 salt) external returns (address);
        function now() external view returns (uint64);
        function whoami() external view returns (address, address, address);
        function recover(bytes32 hash, uint8 v, bytes32 r, bytes32 s) external view returns (address);
        function hash(bytes data) external view returns (bytes32);
        function deposit() external payable returns (uint256);

        event Transfer(address indexed from, address indexed to, uint256 value);
        event Probe(uint256 value);
        error InsufficientBalance(address from, uint256 have, uint256 want);
        error InsufficientAllowance(address owner, address spender, uint256 have, uint256 want);
        error Boom(uint256 code);
    }
}

sol! {
    #[sol(rpc)]
    interface IArbWasm {
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
        function stylusVersion() external view returns (uint16 version);
        function inkPrice() external view returns (uint32 price);
        function codehashVersion(bytes32 codehash) external view returns (uint16 version);
        function programVersion(address program) external view returns (uint16 version);
        error ProgramNotActivated();
    }
}

/// EIP-1167 minimal proxy init code for `implementation`.
pub fn minimal_proxy_init_code(implementation: alloy_primitives::Address) -> Vec<u8> {
    let mut code = vec![0x3d, 0x60, 0x2d, 0x80, 0x60, 0x0a, 0x3d, 0x39, 0x81, 0xf3];
    code.extend_from_slice(&[0x36, 0x3d, 0x3d, 0x37, 0x3d, 0x3d, 0x3d, 0x36, 0x3d, 0x73]);
    code.extend_from_slice(implementation.as_slice());
    code.extend_from_slice(&[
        0x5a, 0xf4, 0x3d, 0x82, 0x80, 0x3e, 0x90, 0x3d, 0x91, 0x60, 0x2b, 0x57, 0xfd, 0x5b, 0xf3,
    ]);
    code
}

/// Builds the `stylus-token` fixture for wasm32 (once per test binary; cargo serialises
/// concurrent builds through its target-dir lock) and returns the WASM.
pub fn token_wasm() -> Vec<u8> {
    static WASM: OnceLock<Vec<u8>> = OnceLock::new();
    WASM.get_or_init(|| {
        let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let fixture = manifest_dir.join("tests/fixtures/stylus-token");
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| manifest_dir.join("../target"))
            .join("stylus-fixtures");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .current_dir(&fixture)
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("RUSTFLAGS")
            .env_remove("RUSTC_WORKSPACE_WRAPPER")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .args([
                "build",
                "--release",
                "--lib",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .status()
            .expect("run cargo for the stylus fixture");
        assert!(status.success(), "building the stylus fixture failed");
        std::fs::read(target.join("wasm32-unknown-unknown/release/stylus_token.wasm"))
            .expect("fixture wasm")
    })
    .clone()
}
