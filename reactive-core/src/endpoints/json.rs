//! JSON text as Python's `json.dumps(value, sort_keys=True)` writes it, the
//! encoding of the Python framework's `to_publish`.
//!
//! Publishing the same bytes matters: Juju runs `-relation-changed` on the
//! remote side whenever a value's text changes, so a charm moved from the
//! Python framework keeps its published values unchanged, and the remote
//! side sees no spurious change.

use std::fmt::Write;

use serde_json::Value;

/// `value` encoded like `json.dumps(value, sort_keys=True)`: keys sorted,
/// `", "` and `": "` separators, non-ASCII escaped (`ensure_ascii`), floats
/// in Python's `repr` form.
#[must_use]
pub(crate) fn dumps(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => push(out, i),
            (_, Some(u), _) => push(out, u),
            (_, _, Some(f)) => out.push_str(&float_repr(f)),
            _ => out.push_str(&n.to_string()),
        },
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, v);
            }
            out.push(']');
        }
        Value::Object(map) => {
            // Sorted here whatever serde_json's map order is.
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_string(out, k);
                out.push_str(": ");
                write_value(out, v);
            }
            out.push('}');
        }
    }
}

fn push(out: &mut String, v: impl std::fmt::Display) {
    let _ = write!(out, "{v}");
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    push(out, format_args!("\\u{u:04x}"));
                }
            }
        }
    }
    out.push('"');
}

/// Python's `repr(float)`: the shortest digits that round-trip, in fixed
/// notation for decimal exponents from -4 to 15, else as `d.ddde+XX`.
fn float_repr(f: f64) -> String {
    // `{:e}` gives the shortest round-trip digits: `-1.2345e-7`.
    let sci = format!("{f:e}");
    let Some((mantissa, exp)) = sci.split_once('e') else {
        return sci;
    };
    let Ok(exp) = exp.parse::<i32>() else {
        return sci;
    };
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if (-4..16).contains(&exp) {
        let point = exp + 1;
        let body = if point <= 0 {
            format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
        } else if point as usize >= digits.len() {
            let zeros = "0".repeat(point as usize - digits.len());
            format!("{digits}{zeros}.0")
        } else {
            let (int, frac) = digits.split_at(point as usize);
            format!("{int}.{frac}")
        };
        format!("{sign}{body}")
    } else {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{first}{frac}e{esign}{:02}", exp.unsigned_abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matches_python_json_dumps_with_sorted_keys() {
        // Expected texts are what CPython 3's json.dumps(v, sort_keys=True) prints.
        let cases = [
            (
                json!({"b": 1, "a": [true, null, "x"]}),
                r#"{"a": [true, null, "x"], "b": 1}"#,
            ),
            (
                json!("héllo \u{1F600}\u{7f}"),
                r#""h\u00e9llo \ud83d\ude00\u007f""#,
            ),
            (json!("tab\tquote\"back\\"), r#""tab\tquote\"back\\""#),
            (json!(9092), "9092"),
            (json!(-3), "-3"),
            (json!(u64::MAX), "18446744073709551615"),
            (json!(1.0), "1.0"),
            (json!(0.1), "0.1"),
            (json!(1e16), "1e+16"),
            (json!(1.5e-7), "1.5e-07"),
            (json!(0.0001), "0.0001"),
            (json!(123456789.125), "123456789.125"),
            (json!(-2.5e100), "-2.5e+100"),
            (json!({"b": [1.5], "a": null}), r#"{"a": null, "b": [1.5]}"#),
            (json!([]), "[]"),
            (json!({}), "{}"),
        ];
        for (value, expected) in cases {
            assert_eq!(dumps(&value), expected, "{value:?}");
        }
    }
}
