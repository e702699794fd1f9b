//! # wordcount — an example iExec app
//!
//! Counts the words of the task's inputs and writes the counts where iExec apps write their
//! results, so that a workerpool can run it through Proof-of-Contribution:
//!
//! - inputs, read from `IEXEC_IN`: the dataset (`IEXEC_DATASET_FILENAME`, when the deal has
//!   one) and the input files (`IEXEC_INPUT_FILE_NAME_1..=IEXEC_INPUT_FILES_NUMBER`);
//! - arguments (the request's `iexec_args`): an optional number `N`, to list only the `N`
//!   most frequent words;
//! - output, in `IEXEC_OUT`: `result.txt` (totals, then one `count word` line per word, most
//!   frequent first, ties in alphabetical order) and `computed.json`, whose
//!   `deterministic-output-path` names `result.txt`: the file the worker hashes into the
//!   result digest (spec/OFFCHAIN.md §3).
//!
//! Words are maximal runs of alphanumeric characters, lowercased. The output depends on
//! nothing but the inputs (no clock, no randomness, no hash-map order), which is what makes
//! the workers of a deal agree.
//!
//! It is plain `std`: built for `wasm32-wasip1`, it runs in the worker's sandbox, where
//! `IEXEC_IN` and `IEXEC_OUT` are the only folders it can see; built for the host, it runs
//! as is over two folders.

use std::{
    collections::BTreeMap,
    env, fs,
    path::{Path, PathBuf},
    process::ExitCode,
};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("wordcount: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The inputs named by the iExec environment, in order: the dataset, then the input files.
fn inputs(input_dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    if let Some(name) = env::var("IEXEC_DATASET_FILENAME").ok().filter(|n| !n.is_empty()) {
        files.push(input_dir.join(name));
    }
    let count = match env::var("IEXEC_INPUT_FILES_NUMBER") {
        Ok(n) => n.parse::<usize>().map_err(|_| format!("IEXEC_INPUT_FILES_NUMBER is not a number: {n:?}"))?,
        Err(_) => 0,
    };
    for i in 1..=count {
        let name = env::var(format!("IEXEC_INPUT_FILE_NAME_{i}")).map_err(|_| format!("IEXEC_INPUT_FILE_NAME_{i} is missing"))?;
        files.push(input_dir.join(name));
    }
    Ok(files)
}

/// The word counts of `text`, added to `counts`.
fn count_words(text: &str, counts: &mut BTreeMap<String, u64>) {
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        *counts.entry(word.to_lowercase()).or_default() += 1;
    }
}

/// `result.txt`: totals, then the `top` most frequent words (all when `None`).
fn report(counts: &BTreeMap<String, u64>, top: Option<usize>) -> String {
    let total: u64 = counts.values().sum();
    let mut ranked: Vec<(&String, &u64)> = counts.iter().collect();
    // BTreeMap iteration is alphabetical and the sort is stable: ties stay alphabetical.
    ranked.sort_by(|a, b| b.1.cmp(a.1));
    let mut out = format!("words: {total}\ndistinct: {}\n", counts.len());
    for (word, count) in ranked.into_iter().take(top.unwrap_or(usize::MAX)) {
        out.push_str(&format!("{count} {word}\n"));
    }
    out
}

/// `s` as a JSON string literal (no serde in an app this small).
fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn run() -> Result<(), String> {
    let input_dir = PathBuf::from(env::var("IEXEC_IN").unwrap_or_else(|_| "/iexec_in".into()));
    let output_dir = PathBuf::from(env::var("IEXEC_OUT").unwrap_or_else(|_| "/iexec_out".into()));
    let top = match env::args().nth(1) {
        None => None,
        Some(arg) => Some(arg.parse::<usize>().map_err(|_| format!("the argument must be a number of words to list, not {arg:?}"))?),
    };
    let files = inputs(&input_dir)?;
    if files.is_empty() {
        return Err("no input: run it with a dataset or input files".into());
    }
    let mut counts = BTreeMap::new();
    for file in &files {
        let bytes = fs::read(file).map_err(|e| format!("reading {}: {e}", file.display()))?;
        count_words(&String::from_utf8_lossy(&bytes), &mut counts);
    }
    let result = output_dir.join("result.txt");
    fs::write(&result, report(&counts, top)).map_err(|e| format!("writing {}: {e}", result.display()))?;
    let computed = format!("{{\"deterministic-output-path\":{}}}", json_string(&result.display().to_string()));
    let computed_path = output_dir.join("computed.json");
    fs::write(&computed_path, computed).map_err(|e| format!("writing {}: {e}", computed_path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_ranked_by_frequency_then_alphabetically() {
        let mut counts = BTreeMap::new();
        count_words("The cat, the dog; THE end. Dog!", &mut counts);
        assert_eq!(report(&counts, None), "words: 7\ndistinct: 4\n3 the\n2 dog\n1 cat\n1 end\n");
        assert_eq!(report(&counts, Some(2)), "words: 7\ndistinct: 4\n3 the\n2 dog\n");
    }

    #[test]
    fn json_strings_are_escaped() {
        assert_eq!(json_string("/iexec_out/a\"b\\c\n"), "\"/iexec_out/a\\\"b\\\\c\\u000a\"");
    }

    #[test]
    fn no_words_is_an_empty_ranking() {
        assert_eq!(report(&BTreeMap::new(), None), "words: 0\ndistinct: 0\n");
    }
}
