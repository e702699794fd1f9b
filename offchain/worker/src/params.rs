//! A deal's `params` as iExec's worker reads them (`iexec-commons-poco` `DealParams`): a
//! JSON object with `iexec_args` and `iexec_input_files`, or a plain string that is not
//! JSON, taken whole as the arguments.

use serde::Deserialize;

/// What the app gets from the request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DealParams {
    /// The command-line arguments, split.
    pub args: Vec<String>,
    /// URLs of input files, downloaded into the input folder.
    pub input_files: Vec<String>,
}

#[derive(Deserialize)]
struct Json {
    #[serde(default)]
    iexec_args: Option<String>,
    #[serde(default)]
    iexec_input_files: Option<Vec<String>>,
}

impl DealParams {
    /// Reads `params`.
    pub fn parse(params: &str) -> Self {
        match serde_json::from_str::<Json>(params) {
            Ok(json) => Self {
                args: split_args(json.iexec_args.as_deref().unwrap_or("")),
                input_files: json.iexec_input_files.unwrap_or_default(),
            },
            Err(_) => Self { args: split_args(params), input_files: Vec::new() },
        }
    }
}

/// Splits a command line as a shell would, without expansions: whitespace separates
/// arguments; single or double quotes group (and are removed); a backslash outside single
/// quotes takes the next character literally.
pub fn split_args(line: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut in_arg = false;
    let mut quote: Option<char> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('\''), c) => current.push(c),
            (_, '\\') => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
                in_arg = true;
            }
            (Some(_), c) => current.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_arg = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_arg {
                    args.push(std::mem::take(&mut current));
                    in_arg = false;
                }
            }
            (None, c) => {
                current.push(c);
                in_arg = true;
            }
        }
    }
    if in_arg {
        args.push(current);
    }
    args
}

/// The file name of an input file URL (iExec: `FilenameUtils.getName`), its last path
/// segment, without query.
pub fn input_file_name(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let name = path.rsplit('/').next()?;
    (!name.is_empty() && name != "." && name != "..").then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_params_and_plain_strings() {
        let p = DealParams::parse(r#"{"iexec_args":"10 'two words'","iexec_input_files":["https://x/a.txt"],"iexec_result_storage_provider":"ipfs"}"#);
        assert_eq!(p.args, ["10", "two words"]);
        assert_eq!(p.input_files, ["https://x/a.txt"]);
        assert_eq!(DealParams::parse("5 a\\ b \"c d\"").args, ["5", "a b", "c d"]);
        assert_eq!(DealParams::parse("").args, Vec::<String>::new());
        assert_eq!(DealParams::parse(r#"{"iexec_result_storage_provider":"ipfs"}"#), DealParams::default());
        assert_eq!(split_args("  a  ''  b "), ["a", "", "b"]);
    }

    #[test]
    fn input_file_names_are_last_segments() {
        assert_eq!(input_file_name("https://host/dir/file.txt?x=1").as_deref(), Some("file.txt"));
        assert_eq!(input_file_name("https://host/dir/"), None);
        assert_eq!(input_file_name("https://host/.."), None);
    }
}
