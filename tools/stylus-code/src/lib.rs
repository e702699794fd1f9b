//! The on-chain form of a Stylus program, shared by everything that builds, deploys or runs
//! one (xtask, the devnet, the deployment client), so that there is one definition of it:
//!
//! - code = `0xEF 0xF0 0x00` + dictionary byte (0 = none) + brotli(quality 11, window 22) of
//!   the WASM, what cargo-stylus deploys;
//! - [`process_wasm`]: the compiler's WASM stripped of custom sections and re-encoded
//!   canonically, as cargo-stylus' `process_wasm` does through WAT;
//! - [`strip_data_count`]: drops the DataCount section (binaryen writes one, nitro refuses it);
//! - [`deploy_init_code`]: EVM init code whose runtime is the program code;
//! - [`nitro`]: nitro's activation rules, its instrumentation and its pricing, shared by the
//!   build's check and the devnet's `ArbWasm.activateProgram`.

use std::io::{Read, Write};

pub mod nitro;

/// Prefix of Stylus program code (EOF-style magic reserved by Arbitrum).
pub const STYLUS_PREFIX: [u8; 3] = [0xEF, 0xF0, 0x00];
/// Dictionary byte for "no dictionary" (the only one cargo-stylus emits).
pub const DICTIONARY_EMPTY: u8 = 0x00;
/// Brotli quality cargo-stylus uses.
pub const BROTLI_QUALITY: u32 = 11;
/// Brotli window cargo-stylus uses.
pub const BROTLI_WINDOW: u32 = 22;

/// Why a module or program code could not be processed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CodeError {
    /// The module does not parse.
    #[error("invalid wasm module: {0}")]
    Invalid(String),
    /// The code does not start with the Stylus prefix.
    #[error("not Stylus program code (missing the EF F0 00 prefix)")]
    NotStylus,
    /// A dictionary other than "none".
    #[error("unknown brotli dictionary {0}")]
    UnknownDictionary(u8),
    /// Brotli refused the payload.
    #[error("brotli: {0}")]
    Brotli(String),
    /// Decompressed WASM over the caller's bound.
    #[error("uncompressed wasm exceeds {limit} bytes")]
    TooLarge {
        /// The bound.
        limit: usize,
    },
}

/// Whether `code` is a Stylus program (as opposed to EVM bytecode).
pub fn is_stylus(code: &[u8]) -> bool {
    code.starts_with(&STYLUS_PREFIX)
}

/// Prepares a compiler's WASM output for deployment: custom sections (names, producers,
/// debug info) are dropped and the module is re-encoded canonically.
///
/// Re-encoding matters: rustc ≥ 1.82 emits `call_indirect` with an overlong table index that
/// only parses with the reference-types proposal, which nitro's validator has off.
/// cargo-stylus round-trips every module through WAT for the same effect.
pub fn process_wasm(wasm: &[u8]) -> Result<Vec<u8>, CodeError> {
    use wasm_encoder::reencode::Reencode;

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
    let mut module = wasm_encoder::Module::new();
    StripCustom
        .parse_core_module(&mut module, wasmparser::Parser::new(0), wasm)
        .map_err(|e| CodeError::Invalid(e.to_string()))?;
    Ok(module.finish())
}

/// Id of the DataCount section (bulk-memory proposal).
pub const DATA_COUNT_SECTION: u8 = 12;

/// Removes the DataCount section from `wasm`, leaving every other byte as it was.
///
/// `wasm-opt --enable-bulk-memory` writes one whenever the module has data segments, and
/// nitro's parser refuses it ("unsupported section type DataCountSection"). The section only
/// announces the number of data segments, for `memory.init` and `data.drop`, which nitro refuses
/// anyway; without those operators a module means the same with or without it.
pub fn strip_data_count(wasm: &[u8]) -> Result<Vec<u8>, CodeError> {
    let invalid = |why: &str| CodeError::Invalid(why.to_string());
    if wasm.len() < 8 || &wasm[..4] != b"\0asm" {
        return Err(invalid("missing the wasm header"));
    }
    let mut out = Vec::with_capacity(wasm.len());
    out.extend_from_slice(&wasm[..8]);
    let mut at = 8;
    while at < wasm.len() {
        let id = wasm[at];
        let (size, leb_len) = read_leb_u32(&wasm[at + 1..]).ok_or_else(|| invalid("malformed section size"))?;
        let end = (at + 1 + leb_len)
            .checked_add(size as usize)
            .filter(|&end| end <= wasm.len())
            .ok_or_else(|| invalid("section extends past the end of the module"))?;
        if id != DATA_COUNT_SECTION {
            out.extend_from_slice(&wasm[at..end]);
        }
        at = end;
    }
    Ok(out)
}

/// An unsigned LEB128 `u32` at the start of `bytes`, and how many bytes it took.
fn read_leb_u32(bytes: &[u8]) -> Option<(u32, usize)> {
    let mut value: u32 = 0;
    for (i, &byte) in bytes.iter().enumerate().take(5) {
        value |= u32::from(byte & 0x7f).checked_shl(7 * i as u32)?;
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

/// Brotli-compresses WASM as cargo-stylus does (quality 11, window 22), without prefix.
pub fn compress(wasm: &[u8]) -> Result<Vec<u8>, CodeError> {
    let mut out = Vec::with_capacity(wasm.len() / 3);
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, BROTLI_QUALITY, BROTLI_WINDOW);
        w.write_all(wasm).map_err(|e| CodeError::Brotli(e.to_string()))?;
        w.flush().map_err(|e| CodeError::Brotli(e.to_string()))?;
    }
    Ok(out)
}

/// Deployable program code: prefix, dictionary byte, compressed WASM.
pub fn program_code(wasm: &[u8]) -> Result<Vec<u8>, CodeError> {
    let compressed = compress(wasm)?;
    let mut code = Vec::with_capacity(compressed.len() + 4);
    code.extend_from_slice(&STYLUS_PREFIX);
    code.push(DICTIONARY_EMPTY);
    code.extend_from_slice(&compressed);
    Ok(code)
}

/// Decompresses program code back into WASM, refusing more than `max_wasm` bytes.
pub fn decompress(code: &[u8], max_wasm: usize) -> Result<Vec<u8>, CodeError> {
    if !is_stylus(code) {
        return Err(CodeError::NotStylus);
    }
    match code.get(3) {
        Some(&DICTIONARY_EMPTY) => {}
        Some(&other) => return Err(CodeError::UnknownDictionary(other)),
        None => return Err(CodeError::NotStylus),
    }
    let mut wasm = Vec::new();
    brotli::Decompressor::new(&code[4..], 4096)
        .take(max_wasm as u64 + 1)
        .read_to_end(&mut wasm)
        .map_err(|e| CodeError::Brotli(e.to_string()))?;
    if wasm.len() > max_wasm {
        return Err(CodeError::TooLarge { limit: max_wasm });
    }
    Ok(wasm)
}

/// EVM init code that deploys `code` verbatim: `PUSH4 len DUP1 PUSH1 14 PUSH1 0 CODECOPY
/// PUSH1 0 RETURN` followed by the code.
pub fn deploy_init_code(code: &[u8]) -> Vec<u8> {
    let len = (code.len() as u32).to_be_bytes();
    let mut init = Vec::with_capacity(code.len() + 14);
    init.push(0x63); // PUSH4
    init.extend_from_slice(&len);
    init.extend_from_slice(&[0x80, 0x60, 14, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3]);
    init.extend_from_slice(code);
    init
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The smallest valid module, plus a custom section.
    const MODULE: &[u8] = b"\0asm\x01\0\0\0\x00\x05\x04name";

    #[test]
    fn program_code_round_trips() {
        let wasm = b"\0asm\x01\0\0\0 some module bytes".repeat(10);
        let code = program_code(&wasm).unwrap();
        assert!(is_stylus(&code));
        assert_eq!(decompress(&code, 1 << 20).unwrap(), wasm);
    }

    #[test]
    fn decompress_refuses_oversized_and_foreign_code() {
        let code = program_code(&[0u8; 4096]).unwrap();
        assert_eq!(decompress(&code, 100), Err(CodeError::TooLarge { limit: 100 }));
        assert_eq!(decompress(&[0x60, 0x00], 100), Err(CodeError::NotStylus));
        assert_eq!(decompress(&[0xEF, 0xF0, 0x00, 0x07], 100), Err(CodeError::UnknownDictionary(7)));
    }

    #[test]
    fn process_wasm_drops_custom_sections() {
        assert_eq!(process_wasm(MODULE).unwrap(), b"\0asm\x01\0\0\0");
        assert!(matches!(process_wasm(b"not wasm"), Err(CodeError::Invalid(_))));
    }

    #[test]
    fn strip_data_count_drops_only_that_section() {
        // header, type section (1 empty type vec), data count (1), custom "x".
        let wasm = b"\0asm\x01\0\0\0\x01\x01\x00\x0c\x01\x01\x00\x02\x01x";
        assert_eq!(strip_data_count(wasm).unwrap(), b"\0asm\x01\0\0\0\x01\x01\x00\x00\x02\x01x");
        assert!(strip_data_count(b"\0asm\x01\0\0\0\x01\x05\x00").is_err());
    }

    #[test]
    fn init_code_copies_and_returns_the_code() {
        let init = deploy_init_code(&[0xEF, 0xF0, 0x00, 0x00, 0xAA]);
        assert_eq!(&init[..5], &[0x63, 0, 0, 0, 5]);
        assert_eq!(init.len(), 14 + 5);
        assert_eq!(&init[14..], &[0xEF, 0xF0, 0x00, 0x00, 0xAA]);
    }
}
