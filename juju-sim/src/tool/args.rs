//! Hand-written argument parsing (clap would cost start-up time in a
//! process that runs hundreds of times per hook) and output rendering.

use serde_json::Value;

use super::ToolError;
use crate::context::Settings;

/// An option a tool accepts: its names (without dashes; gnuflag accepts
/// `-r`, `--r`, `--relation` alike) and whether it takes a value.
pub(crate) struct Opt {
    pub names: &'static [&'static str],
    pub value: bool,
}

/// Shorthand for an option table entry.
pub(crate) const fn opt(names: &'static [&'static str], value: bool) -> Opt {
    Opt { names, value }
}

/// Output format chosen with `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Smart,
    Json,
    Yaml,
}

/// Parsed arguments: options by their first name, then positionals.
pub(crate) struct Args {
    opts: Vec<(&'static str, Option<String>)>,
    pub positional: Vec<String>,
    pub format: Format,
    /// `--format` was given to a tool where it is deprecated (ignored).
    pub deprecated_format: bool,
}

/// Whether a tool prints something `--format` applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Output {
    /// `--format smart|json|yaml` (juju/cmd's output flags).
    Formatted,
    /// `--format` accepted with any value and ignored (relation-set,
    /// juju-log keep it, deprecated).
    Deprecated,
    /// No `--format` at all.
    None,
}

const FORMAT: Opt = opt(&["format"], true);

/// `-x` for a one-letter name, `--name` otherwise (gnuflag's
/// `flagWithMinus`).
pub(crate) fn with_minus(name: &str) -> String {
    if name.chars().count() > 1 {
        format!("--{name}")
    } else {
        format!("-{name}")
    }
}

impl Args {
    /// Parses `args` as juju/gnuflag does with interspersed arguments:
    /// flags anywhere; `--` ends them; `-` and `` are positional;
    /// `--name value`, `--name=value`, `-n value`, `-nvalue`; one-letter
    /// flags may be combined (`-ab`); a boolean flag takes `--flag=false`.
    /// Unknown flags are errors.
    pub fn parse(args: &[String], table: &[Opt], output: Output) -> Result<Args, ToolError> {
        let mut parsed = Args {
            opts: Vec::new(),
            positional: Vec::new(),
            format: Format::Smart,
            deprecated_format: false,
        };
        let with_format: &[Opt] = if output == Output::None {
            &[]
        } else {
            &[FORMAT]
        };
        let mut rest = args.iter();
        // What follows a one-letter flag in the same argument.
        let mut cluster = String::new();
        loop {
            let (name, mut inline) = if !cluster.is_empty() {
                let first: String = cluster.chars().take(1).collect();
                cluster.drain(..first.len());
                (first, None)
            } else {
                let Some(arg) = rest.next() else { break };
                if arg == "-" || arg.is_empty() || !arg.starts_with('-') {
                    parsed.positional.push(arg.clone());
                    continue;
                }
                if arg == "--" {
                    parsed.positional.extend(rest.by_ref().cloned());
                    break;
                }
                if let Some(long) = arg.strip_prefix("--") {
                    match long.split_once('=') {
                        Some(("", _)) => {
                            return Err(ToolError::Usage(format!("empty flag in argument {arg:?}")))
                        }
                        Some((n, v)) => (n.to_string(), Some(v.to_string())),
                        None => (long.to_string(), None),
                    }
                } else {
                    let short = &arg[1..];
                    let first: String = short.chars().take(1).collect();
                    cluster = short[first.len()..].to_string();
                    (first, None)
                }
            };
            let Some(spec) = table
                .iter()
                .chain(with_format)
                .find(|o| o.names.contains(&name.as_str()))
            else {
                if name == "help" || name == "h" {
                    return Err(ToolError::Help);
                }
                return Err(ToolError::Usage(format!(
                    "flag provided but not defined: {}",
                    with_minus(&name)
                )));
            };
            if !(spec.value || inline.is_some() || cluster.starts_with('=')) {
                parsed.opts.push((spec.names[0], Some("true".into())));
                continue;
            }
            if inline.is_none() && !cluster.is_empty() {
                inline = Some(std::mem::take(&mut cluster));
            }
            let Some(value) = inline.or_else(|| rest.next().cloned()) else {
                return Err(ToolError::Usage(format!(
                    "flag needs an argument: {}",
                    with_minus(&name)
                )));
            };
            let value = if spec.value {
                value
            } else {
                parse_bool(&value)
                    .ok_or_else(|| {
                        ToolError::Usage(format!(
                            "invalid value {value:?} for flag {}: parse error",
                            with_minus(&name)
                        ))
                    })?
                    .to_string()
            };
            if spec.names[0] == "format" {
                match output {
                    Output::Formatted => parsed.format = parse_format(&value)?,
                    _ => parsed.deprecated_format = true,
                }
            } else {
                parsed.opts.push((spec.names[0], Some(value)));
            }
        }
        Ok(parsed)
    }

    /// Whether the boolean option (named by its first name) is set.
    pub fn flag(&self, name: &str) -> bool {
        self.value(name) == Some("true")
    }

    /// The value of the option (its last occurrence).
    pub fn value(&self, name: &str) -> Option<&str> {
        self.opts
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    /// At most `max` positionals, else a usage error naming the extras
    /// (juju/cmd's `CheckEmpty` wording).
    pub fn at_most(&self, max: usize) -> Result<&[String], ToolError> {
        if self.positional.len() > max {
            return Err(ToolError::Usage(format!(
                "unrecognized args: {:?}",
                &self.positional[max..]
            )));
        }
        Ok(&self.positional)
    }
}

/// Go's `strconv.ParseBool`.
fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

fn parse_format(value: &str) -> Result<Format, ToolError> {
    match value {
        "smart" => Ok(Format::Smart),
        "json" => Ok(Format::Json),
        "yaml" => Ok(Format::Yaml),
        other => Err(ToolError::Usage(format!(
            "invalid value {other:?} for flag --format: unknown format"
        ))),
    }
}

impl Args {
    /// Every positional as `key=value` (an empty value means "delete"),
    /// as juju/utils `keyvalues.Parse` reads them: a key given twice is
    /// an error.
    pub fn pairs(&self) -> Result<Vec<(&str, &str)>, ToolError> {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        for arg in &self.positional {
            let Some((k, v)) = arg.split_once('=').filter(|(k, _)| !k.is_empty()) else {
                return Err(ToolError::Usage(format!(
                    "expected \"key=value\", got {arg:?}"
                )));
            };
            if pairs.iter().any(|(seen, _)| *seen == k) {
                return Err(ToolError::Usage(format!(
                    "key {k:?} specified more than once"
                )));
            }
            pairs.push((k, v));
        }
        Ok(pairs)
    }
}

/// Applies `key=value` changes to settings; an empty value deletes.
pub(crate) fn apply_changes<K: Into<String>, V: Into<String>>(
    settings: &mut Settings,
    changes: impl IntoIterator<Item = (K, V)>,
) {
    for (k, v) in changes {
        let (k, v) = (k.into(), v.into());
        if v.is_empty() {
            settings.remove(&k);
        } else {
            settings.insert(k, v);
        }
    }
}

/// Renders a tool's answer in the chosen format. The smart format prints
/// strings bare, booleans as `True`/`False`, lists one item a line, maps as
/// YAML and a missing value as nothing.
pub(crate) fn render(value: &Value, format: Format) -> String {
    match format {
        Format::Json => format!("{value}\n"),
        Format::Yaml => yaml(value),
        Format::Smart => match value {
            Value::Null => String::new(),
            Value::Bool(true) => "True\n".into(),
            Value::Bool(false) => "False\n".into(),
            Value::String(s) => format!("{s}\n"),
            Value::Number(n) => format!("{n}\n"),
            Value::Array(items) => items.iter().map(|v| render(v, Format::Smart)).collect(),
            Value::Object(_) => yaml(value),
        },
    }
}

fn yaml(value: &Value) -> String {
    // Serialising a JSON value to YAML cannot fail (string keys only).
    serde_norway::to_string(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    const TABLE: &[Opt] = &[
        opt(&["r", "relation"], true),
        opt(&["app"], false),
        opt(&["a"], false),
    ];

    fn parse(args: &[&str]) -> Result<Args, ToolError> {
        Args::parse(&strings(args), TABLE, Output::Formatted)
    }

    /// juju/gnuflag `flag.go` (`parseOneGnu`, `parseGnuFlagArg`).
    #[test]
    fn gnuflag_forms_interspersed() {
        let a = parse(&["key", "--format", "json", "-r", "db:1"]).unwrap();
        assert_eq!(a.positional, ["key"]);
        assert_eq!(a.format, Format::Json);
        assert_eq!(a.value("r"), Some("db:1"));
        let a = parse(&["--format=yaml", "--relation=2", "--app"]).unwrap();
        assert_eq!(a.format, Format::Yaml);
        assert_eq!(a.value("r"), Some("2"));
        assert!(a.flag("app"));
        // One-letter flags: glued value, `--r`, combined booleans.
        assert_eq!(parse(&["-rdb:3"]).unwrap().value("r"), Some("db:3"));
        assert_eq!(parse(&["--r", "4"]).unwrap().value("r"), Some("4"));
        // `-r=5` keeps the `=` (only long flags strip it).
        assert_eq!(parse(&["-r=5"]).unwrap().value("r"), Some("=5"));
        let a = parse(&["-ar", "6"]).unwrap();
        assert!(a.flag("a"));
        assert_eq!(a.value("r"), Some("6"));
        // Booleans take an explicit value after `=`.
        assert!(!parse(&["--app=false"]).unwrap().flag("app"));
        assert!(parse(&["--app=true"]).unwrap().flag("app"));
    }

    #[test]
    fn double_dash_ends_flags_and_dash_is_positional() {
        let a = parse(&["-", "--", "--app", "-r"]).unwrap();
        assert_eq!(a.positional, ["-", "--app", "-r"]);
        assert!(!a.flag("app"));
    }

    #[test]
    fn unknown_or_incomplete_flags_are_usage_errors_worded_as_gnuflag() {
        let message = |args: &[&str]| match parse(args) {
            Err(ToolError::Usage(m)) => m,
            other => panic!("{args:?}: {:?}", other.map(|a| a.positional)),
        };
        assert_eq!(
            message(&["--nope"]),
            "flag provided but not defined: --nope"
        );
        // A single dash reads one-letter flags: `-relation` is `-r elation`
        // but `-x` is unknown.
        assert_eq!(parse(&["-relation"]).unwrap().value("r"), Some("elation"));
        assert_eq!(message(&["-x"]), "flag provided but not defined: -x");
        assert_eq!(message(&["-r"]), "flag needs an argument: -r");
        assert!(message(&["--format=xml"]).contains("xml"));
        assert!(message(&["--app=maybe"]).contains("maybe"));
        assert!(matches!(parse(&["--help"]), Err(ToolError::Help)));
        // No --format where the tool prints nothing.
        assert!(Args::parse(&strings(&["--format", "json"]), TABLE, Output::None).is_err());
        let a = Args::parse(&strings(&["--format", "x"]), TABLE, Output::Deprecated).unwrap();
        assert!(a.deprecated_format);
    }

    #[test]
    fn key_value_pairs_as_keyvalues_parse() {
        let a = parse(&["a=1", "b="]).unwrap();
        assert_eq!(a.pairs().unwrap(), [("a", "1"), ("b", "")]);
        assert!(parse(&["a=1", "a=2"]).unwrap().pairs().is_err());
        assert!(parse(&["nokey"]).unwrap().pairs().is_err());
    }

    #[test]
    fn smart_rendering() {
        use serde_json::json;
        assert_eq!(render(&json!(true), Format::Smart), "True\n");
        assert_eq!(render(&json!(null), Format::Smart), "");
        assert_eq!(render(&json!(null), Format::Json), "null\n");
        assert_eq!(render(&json!(["a", "b"]), Format::Smart), "a\nb\n");
        assert_eq!(render(&json!({"k": "v"}), Format::Smart), "k: v\n");
    }
}
