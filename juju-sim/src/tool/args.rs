//! Hand-written argument parsing (clap would cost start-up time in a
//! process that runs hundreds of times per hook) and output rendering.

use serde_json::Value;

use super::ToolError;
use crate::context::Settings;

/// An option a tool accepts: its spellings and whether it takes a value.
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

/// Parsed arguments: options by their first spelling, then positionals.
pub(crate) struct Args {
    opts: Vec<(&'static str, Option<String>)>,
    pub positional: Vec<String>,
    pub format: Format,
}

const FORMAT: Opt = opt(&["--format"], true);

impl Args {
    /// Parses `args` against `table`. Options may appear anywhere (Juju's
    /// flag parser intersperses them); `--` ends them. `--format` is
    /// accepted by every tool.
    pub fn parse(args: &[String], table: &[Opt]) -> Result<Args, ToolError> {
        let mut parsed = Args {
            opts: Vec::new(),
            positional: Vec::new(),
            format: Format::Smart,
        };
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            if arg == "--" {
                parsed.positional.extend(iter.by_ref().cloned());
                break;
            }
            if !arg.starts_with('-') || arg == "-" {
                parsed.positional.push(arg.clone());
                continue;
            }
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) if n.starts_with("--") || n.len() == 2 => (n, Some(v.to_string())),
                _ => (arg.as_str(), None),
            };
            let Some(spec) = table
                .iter()
                .chain(std::iter::once(&FORMAT))
                .find(|o| o.names.contains(&name))
            else {
                return Err(ToolError::Usage(format!(
                    "flag provided but not defined: {name}"
                )));
            };
            let value = if spec.value {
                match inline.or_else(|| iter.next().cloned()) {
                    Some(v) => Some(v),
                    None => {
                        return Err(ToolError::Usage(format!("flag needs an argument: {name}")))
                    }
                }
            } else if inline.is_some() {
                return Err(ToolError::Usage(format!("flag takes no value: {name}")));
            } else {
                None
            };
            if spec.names[0] == "--format" {
                parsed.format = parse_format(value.as_deref().unwrap_or_default())?;
            } else {
                parsed.opts.push((spec.names[0], value));
            }
        }
        Ok(parsed)
    }

    /// Whether the option (named by its first spelling) was given.
    pub fn flag(&self, name: &str) -> bool {
        self.opts.iter().any(|(n, _)| *n == name)
    }

    /// The value of the option (its last occurrence).
    pub fn value(&self, name: &str) -> Option<&str> {
        self.opts
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    /// At most `max` positionals, else a usage error naming the extras.
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
    /// Every positional as `key=value` (an empty value means "delete").
    pub fn pairs(&self) -> Result<Vec<(&str, &str)>, ToolError> {
        self.positional
            .iter()
            .map(|arg| match arg.split_once('=') {
                Some((k, v)) if !k.is_empty() => Ok((k, v)),
                _ => Err(ToolError::Usage(format!(
                    "expected \"key=value\", got {arg:?}"
                ))),
            })
            .collect()
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

    const TABLE: &[Opt] = &[opt(&["-r", "--relation"], true), opt(&["--app"], false)];

    #[test]
    fn interspersed_options_and_both_format_spellings() {
        let a = Args::parse(&strings(&["key", "--format", "json", "-r", "db:1"]), TABLE).unwrap();
        assert_eq!(a.positional, ["key"]);
        assert_eq!(a.format, Format::Json);
        assert_eq!(a.value("-r"), Some("db:1"));
        let a = Args::parse(&strings(&["--format=yaml", "--relation=2", "--app"]), TABLE).unwrap();
        assert_eq!(a.format, Format::Yaml);
        assert_eq!(a.value("-r"), Some("2"));
        assert!(a.flag("--app"));
    }

    #[test]
    fn double_dash_ends_options_and_dash_is_positional() {
        let a = Args::parse(&strings(&["-", "--", "--app"]), TABLE).unwrap();
        assert_eq!(a.positional, ["-", "--app"]);
        assert!(!a.flag("--app"));
    }

    #[test]
    fn unknown_or_incomplete_options_are_usage_errors() {
        assert!(matches!(
            Args::parse(&strings(&["--nope"]), TABLE),
            Err(ToolError::Usage(_))
        ));
        assert!(matches!(
            Args::parse(&strings(&["-r"]), TABLE),
            Err(ToolError::Usage(_))
        ));
        assert!(matches!(
            Args::parse(&strings(&["--format=xml"]), TABLE),
            Err(ToolError::Usage(_))
        ));
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
