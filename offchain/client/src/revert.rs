//! What a revert means: the revert data a node returns, decoded to PoCo's reason string
//! (`Error(string)`), a Solidity panic (`Panic(uint256)`) or one of the custom errors the
//! deployed contracts declare in `abi/` — so that no caller shows a bare
//! "execution reverted".

use std::sync::OnceLock;

use alloy::{
    dyn_abi::{DynSolValue, JsonAbiExt},
    json_abi::{Error as AbiError, JsonAbi},
    primitives::{hex, Bytes, U256},
    sol_types::{Panic, Revert, SolError},
};

/// The exported ABIs whose custom errors a PoCo call may revert with.
const ABIS: [&str; 6] = [
    include_str!("../../../abi/hub.json"),
    include_str!("../../../abi/rlc.json"),
    include_str!("../../../abi/app-registry.json"),
    include_str!("../../../abi/dataset-registry.json"),
    include_str!("../../../abi/workerpool-registry.json"),
    include_str!("../../../abi/workerpool.json"),
];

/// Every custom error of [`ABIS`].
fn custom_errors() -> &'static [AbiError] {
    static ERRORS: OnceLock<Vec<AbiError>> = OnceLock::new();
    ERRORS.get_or_init(|| {
        let mut all: Vec<AbiError> = Vec::new();
        for text in ABIS {
            // The ABIs are this tree's own exports (CI-checked); one that does not parse
            // would only lose its errors' names, not break the caller.
            if let Ok(abi) = serde_json::from_str::<JsonAbi>(text) {
                for error in abi.errors() {
                    if !all.iter().any(|e| e.selector() == error.selector()) {
                        all.push(error.clone());
                    }
                }
            }
        }
        all
    })
}

/// A decoded revert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevertReason {
    /// No data: a bare `revert()` / `require(cond)` (PoCo's lifecycle requires).
    Empty,
    /// `Error(string)`: PoCo's reason string.
    Reason(String),
    /// `Panic(uint256)`, with Solidity's code.
    Panic(U256),
    /// A custom error of the contracts' ABI: its name and its arguments, rendered.
    Custom {
        /// Error name.
        name: String,
        /// Arguments, rendered.
        args: Vec<String>,
    },
    /// Data no known error matches.
    Unknown(Bytes),
}

impl RevertReason {
    /// The reason string, if this is an `Error(string)`.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::Reason(r) => Some(r),
            _ => None,
        }
    }
}

impl std::fmt::Display for RevertReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Empty => write!(f, "reverted without a reason (a failed requirement)"),
            Self::Reason(r) => write!(f, "reverted: {r}"),
            Self::Panic(code) => write!(f, "panicked: {}", panic_meaning(*code)),
            Self::Custom { name, args } => write!(f, "reverted with {name}({})", args.join(", ")),
            Self::Unknown(data) => write!(f, "reverted with unknown data 0x{}", hex::encode(data)),
        }
    }
}

/// Decodes revert data.
pub fn decode_revert(data: &[u8]) -> RevertReason {
    if data.is_empty() {
        return RevertReason::Empty;
    }
    if let Ok(revert) = Revert::abi_decode(data) {
        return RevertReason::Reason(revert.reason);
    }
    if let Ok(panic) = Panic::abi_decode(data) {
        return RevertReason::Panic(panic.code);
    }
    if data.len() >= 4 {
        for error in custom_errors() {
            if error.selector().as_slice() == &data[..4] {
                if let Ok(values) = error.abi_decode_input(&data[4..]) {
                    return RevertReason::Custom { name: error.name.clone(), args: values.iter().map(render).collect() };
                }
            }
        }
    }
    RevertReason::Unknown(Bytes::copy_from_slice(data))
}

/// The revert data carried by a failed call's error (geth's shape: JSON-RPC error code 3,
/// `data` = the revert bytes), if it is a revert.
pub fn revert_data(error: &alloy::transports::TransportError) -> Option<Bytes> {
    let response = error.as_error_resp()?;
    if let Some(data) = response.as_revert_data() {
        return Some(data);
    }
    // A revert without data: no `data` field, but the node says so.
    response.message.contains("execution reverted").then(Bytes::new)
}

/// The decoded revert in a contract call's error, if it is a revert.
pub fn contract_revert(error: &alloy::contract::Error) -> Option<RevertReason> {
    match error {
        alloy::contract::Error::TransportError(e) => revert_data(e).map(|d| decode_revert(&d)),
        _ => error.as_revert_data().map(|d| decode_revert(&d)),
    }
}

/// Solidity's panic codes.
fn panic_meaning(code: U256) -> String {
    let meaning = match code.to::<u64>() {
        0x01 => "assertion failed",
        0x11 => "arithmetic overflow or underflow",
        0x12 => "division or modulo by zero",
        0x21 => "invalid enum value",
        0x22 => "invalid storage byte array",
        0x31 => "pop on an empty array",
        0x32 => "array index out of bounds",
        0x41 => "out of memory",
        0x51 => "call to an invalid internal function",
        _ => "unknown panic code",
    };
    format!("{meaning} (Panic 0x{code:x})")
}

fn render(value: &DynSolValue) -> String {
    match value {
        DynSolValue::String(s) => format!("{s:?}"),
        DynSolValue::Address(a) => a.to_string(),
        DynSolValue::Uint(u, _) => u.to_string(),
        DynSolValue::Int(i, _) => i.to_string(),
        DynSolValue::Bool(b) => b.to_string(),
        DynSolValue::FixedBytes(word, size) => format!("0x{}", hex::encode(&word[..*size])),
        DynSolValue::Bytes(b) => format!("0x{}", hex::encode(b)),
        DynSolValue::Array(items) | DynSolValue::FixedArray(items) | DynSolValue::Tuple(items) => {
            format!("[{}]", items.iter().map(render).collect::<Vec<_>>().join(", "))
        }
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

    use alloy::{primitives::Address, sol, sol_types::SolError};

    use super::*;

    sol! {
        error IncompatibleDatasetOrder(string reason);
        error CallerIsNotTheRequester();
        error NotContractOwner(address _user, address _contractOwner);
    }

    #[test]
    fn reason_strings_panics_and_empty_reverts_decode() {
        let data = Revert::from("iExecV5-matchOrders-0x60").abi_encode();
        assert_eq!(decode_revert(&data).reason(), Some("iExecV5-matchOrders-0x60"));
        let panic = Panic { code: U256::from(0x11) }.abi_encode();
        assert_eq!(decode_revert(&panic).to_string(), "panicked: arithmetic overflow or underflow (Panic 0x11)");
        assert_eq!(decode_revert(&[]), RevertReason::Empty);
    }

    #[test]
    fn the_hubs_custom_errors_decode_by_name() {
        let data = IncompatibleDatasetOrder { reason: "Deal not found".into() }.abi_encode();
        assert_eq!(decode_revert(&data).to_string(), "reverted with IncompatibleDatasetOrder(\"Deal not found\")");
        assert_eq!(decode_revert(&CallerIsNotTheRequester {}.abi_encode()).to_string(), "reverted with CallerIsNotTheRequester()");
        let owner = NotContractOwner { _user: Address::with_last_byte(1), _contractOwner: Address::with_last_byte(2) };
        let shown = decode_revert(&owner.abi_encode()).to_string();
        assert!(shown.starts_with("reverted with NotContractOwner(0x0000"), "{shown}");
    }

    #[test]
    fn unknown_data_is_shown_in_hex() {
        assert_eq!(decode_revert(&[0xde, 0xad, 0xbe, 0xef, 1]).to_string(), "reverted with unknown data 0xdeadbeef01");
    }
}
