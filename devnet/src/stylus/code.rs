//! The on-chain form of a Stylus program: `0xEF 0xF0 0x00`, a dictionary byte, then the
//! brotli-compressed WASM (what cargo-stylus deploys), plus the EVM init code that deploys it.

use std::io::Read;

use alloy_primitives::Bytes;

use crate::error::ActivationError;

/// Prefix of Stylus program code (EOF-style magic reserved by Arbitrum).
pub const STYLUS_PREFIX: [u8; 3] = [0xEF, 0xF0, 0x00];
/// Dictionary byte for "no dictionary" (the only one cargo-stylus emits).
pub const DICTIONARY_EMPTY: u8 = 0x00;
/// Brotli quality cargo-stylus uses.
pub const BROTLI_QUALITY: u32 = 11;
/// Brotli window cargo-stylus uses.
pub const BROTLI_WINDOW: u32 = 22;

/// Whether `code` is a Stylus program (as opposed to EVM bytecode).
pub fn is_stylus(code: &[u8]) -> bool {
    code.starts_with(&STYLUS_PREFIX)
}

/// Prepares a compiler's WASM output for deployment the way cargo-stylus's `process_wasm`
/// does: custom sections (names, producers, debug info) are dropped and the module is
/// re-encoded canonically.
///
/// Re-encoding matters: rustc ≥ 1.82 emits `call_indirect` with an overlong table index that
/// only parses with the reference-types proposal, which nitro's validator has off. cargo-stylus
/// round-trips every module through WAT, which re-encodes it; this does the same with
/// `wasm-encoder`.
pub fn process_wasm(wasm: &[u8]) -> Result<Vec<u8>, ActivationError> {
    use wasm_encoder::reencode::{Reencode, RoundtripReencoder};

    /// Round-trips everything except custom sections.
    struct StripCustom;
    impl Reencode for StripCustom {
        type Error = std::convert::Infallible;
        fn parse_custom_section(
            &mut self,
            _module: &mut wasm_encoder::Module,
            _section: wasmparser::CustomSectionReader<'_>,
        ) -> Result<(), wasm_encoder::reencode::Error<Self::Error>> {
            Ok(())
        }
    }
    let _ = RoundtripReencoder;
    let mut module = wasm_encoder::Module::new();
    StripCustom
        .parse_core_module(&mut module, wasmparser::Parser::new(0), wasm)
        .map_err(|e| ActivationError::Invalid(e.to_string()))?;
    Ok(module.finish())
}

/// Compresses a WASM module into deployable Stylus code (prefix + dictionary + brotli).
pub fn compress_wasm(wasm: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(wasm.len() / 3 + 4);
    out.extend_from_slice(&STYLUS_PREFIX);
    out.push(DICTIONARY_EMPTY);
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY as i32,
        lgwin: BROTLI_WINDOW as i32,
        ..Default::default()
    };
    let mut input = wasm;
    // Writing into a Vec cannot fail; an error here would be a brotli bug.
    if brotli::BrotliCompress(&mut input, &mut out, &params).is_err() {
        out.truncate(4);
    }
    out.into()
}

/// Decompresses Stylus code back into WASM, refusing more than `max_wasm` bytes.
pub fn decompress(code: &[u8], max_wasm: usize) -> Result<Vec<u8>, ActivationError> {
    if !is_stylus(code) {
        return Err(ActivationError::NotWasm);
    }
    match code.get(3) {
        Some(&DICTIONARY_EMPTY) => {}
        Some(&other) => return Err(ActivationError::UnknownDictionary(other)),
        None => return Err(ActivationError::NotWasm),
    }
    let mut wasm = Vec::new();
    let mut reader = brotli::Decompressor::new(&code[4..], 4096).take(max_wasm as u64 + 1);
    reader
        .read_to_end(&mut wasm)
        .map_err(|e| ActivationError::Decompress(e.to_string()))?;
    if wasm.len() > max_wasm {
        return Err(ActivationError::TooLarge {
            what: "uncompressed wasm",
            size: wasm.len(),
            limit: max_wasm,
        });
    }
    Ok(wasm)
}

/// EVM init code that deploys `code` verbatim: `PUSH4 len DUP1 PUSH1 13 PUSH1 0 CODECOPY
/// PUSH1 0 RETURN` followed by the code (the shape cargo-stylus uses).
pub fn deploy_init_code(code: &[u8]) -> Bytes {
    let len = (code.len() as u32).to_be_bytes();
    let mut init = Vec::with_capacity(code.len() + 14);
    init.push(0x63); // PUSH4
    init.extend_from_slice(&len);
    init.extend_from_slice(&[0x80, 0x60, 14, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3]);
    debug_assert_eq!(init.len(), 14);
    init.extend_from_slice(code);
    init.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compress_round_trips() {
        let wasm = b"\0asm\x01\0\0\0 some module bytes".repeat(10);
        let code = compress_wasm(&wasm);
        assert!(is_stylus(&code));
        assert_eq!(decompress(&code, 1 << 20).unwrap_or_default(), wasm);
    }

    #[test]
    fn rejects_oversized_and_foreign_code() {
        let code = compress_wasm(&[0u8; 4096]);
        assert!(matches!(
            decompress(&code, 100),
            Err(ActivationError::TooLarge { .. })
        ));
        assert!(matches!(
            decompress(&[0x60, 0x00], 100),
            Err(ActivationError::NotWasm)
        ));
    }
}
