//! The on-chain form of a Stylus program, from the `stylus-code` crate that the build
//! (xtask) and the deployment client share, with the devnet's error type.

use alloy_primitives::Bytes;
use stylus_code::CodeError;

use crate::error::ActivationError;

pub use stylus_code::{is_stylus, BROTLI_QUALITY, BROTLI_WINDOW, DICTIONARY_EMPTY, STYLUS_PREFIX};

impl From<CodeError> for ActivationError {
    fn from(e: CodeError) -> Self {
        match e {
            CodeError::Invalid(m) => ActivationError::Invalid(m),
            CodeError::NotStylus => ActivationError::NotWasm,
            CodeError::UnknownDictionary(d) => ActivationError::UnknownDictionary(d),
            CodeError::Brotli(m) => ActivationError::Decompress(m),
            CodeError::TooLarge { limit } => {
                ActivationError::TooLarge { what: "uncompressed wasm", size: limit + 1, limit }
            }
        }
    }
}

/// Prepares a compiler's WASM output for deployment (custom sections dropped, canonical
/// re-encoding; see [`stylus_code::process_wasm`]).
pub fn process_wasm(wasm: &[u8]) -> Result<Vec<u8>, ActivationError> {
    Ok(stylus_code::process_wasm(wasm)?)
}

/// Compresses a WASM module into deployable Stylus code (prefix + dictionary + brotli).
pub fn compress_wasm(wasm: &[u8]) -> Bytes {
    // Compressing into memory cannot fail short of a brotli bug; an empty program would then
    // fail activation with a clear error rather than panic here.
    stylus_code::program_code(wasm).unwrap_or_default().into()
}

/// Decompresses Stylus code back into WASM, refusing more than `max_wasm` bytes.
pub fn decompress(code: &[u8], max_wasm: usize) -> Result<Vec<u8>, ActivationError> {
    Ok(stylus_code::decompress(code, max_wasm)?)
}

/// EVM init code that deploys `code` verbatim (see [`stylus_code::deploy_init_code`]).
pub fn deploy_init_code(code: &[u8]) -> Bytes {
    stylus_code::deploy_init_code(code).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_map_to_activation_errors() {
        let code = compress_wasm(&[0u8; 4096]);
        assert!(matches!(decompress(&code, 100), Err(ActivationError::TooLarge { .. })));
        assert!(matches!(decompress(&[0x60, 0x00], 100), Err(ActivationError::NotWasm)));
        assert!(matches!(decompress(&[0xEF, 0xF0, 0x00, 0x09], 100), Err(ActivationError::UnknownDictionary(9))));
    }
}
