//! Why nitro refuses a program, in nitro's words.

use std::fmt;

/// An activation failure: nitro's message and the contexts it was wrapped in, outermost
/// first (nitro wraps its errors with eyre; `Display` joins the chain with `": "` on one line,
/// as eyre's alternate form does, without nitro's terminal colours and source locations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NitroError {
    chain: Vec<String>,
}

impl NitroError {
    /// A failure with nitro's message `cause`.
    pub fn new(cause: impl Into<String>) -> Self {
        Self { chain: vec![cause.into()] }
    }

    /// The same failure wrapped in `context` (eyre's `wrap_err`).
    pub fn context(mut self, context: impl Into<String>) -> Self {
        self.chain.insert(0, context.into());
        self
    }

    /// The innermost message: what nitro found wrong.
    pub fn cause(&self) -> &str {
        self.chain.last().map(String::as_str).unwrap_or_default()
    }
}

impl fmt::Display for NitroError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.chain.join(": "))
    }
}

impl std::error::Error for NitroError {}

/// Shorthand for returning a [`NitroError`].
pub(crate) fn bail<T>(cause: impl Into<String>) -> Result<T, NitroError> {
    Err(NitroError::new(cause))
}

impl From<wasmparser::BinaryReaderError> for NitroError {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        Self::new(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_reads_outermost_first() {
        let e = NitroError::new("start functions not allowed").context("failed to parse wasm");
        assert_eq!(e.to_string(), "failed to parse wasm: start functions not allowed");
        assert_eq!(e.cause(), "start functions not allowed");
    }
}
