//! What a command prints: a human text and a JSON document, one of which goes to stdout.

use serde_json::Value;

/// The result of a command, in both forms.
#[derive(Debug)]
pub(crate) struct Report {
    /// Printed without `--json`.
    pub(crate) human: String,
    /// Printed with `--json`.
    pub(crate) json: Value,
}

impl Report {
    /// A report of `json`, shown to humans as `human`.
    pub(crate) fn new(json: Value, human: impl Into<String>) -> Self {
        Self { human: human.into(), json }
    }

    /// Prints the report on stdout.
    pub(crate) fn print(&self, json: bool) {
        if json {
            if !self.json.is_null() {
                println!("{}", self.json);
            }
        } else if !self.human.is_empty() {
            println!("{}", self.human.trim_end());
        }
    }
}

/// Prints a failure: one line on stderr (the error and its causes, outermost first), and with
/// `--json` also `{"error": ...}` on stdout so that scripts always get a document.
pub(crate) fn print_error(error: &anyhow::Error, json: bool) {
    let line = format!("{error:#}");
    eprintln!("error: {line}");
    if json {
        println!("{}", serde_json::json!({ "error": line }));
    }
}
