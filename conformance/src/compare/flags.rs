//! Flag sets compared by name, and relation flags by their holders.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::observe::Flags;

/// The differences between two flag sets, as readable lines: names present
/// on one side only, and relation flags held by other conversations.
/// Flags starting with a prefix of `drop_python` are ignored on the
/// reference's side, of `drop_both` on both.
pub fn flag_diff(
    python: &Flags,
    rust: &Flags,
    drop_python: &[&str],
    drop_both: &[&str],
) -> Vec<String> {
    let dropped = |f: &str, extra: &[&str]| drop_both.iter().chain(extra).any(|p| f.starts_with(p));
    let py: BTreeMap<&String, &Value> = python
        .iter()
        .filter(|(f, _)| !dropped(f, drop_python))
        .collect();
    let rs: BTreeMap<&String, &Value> = rust.iter().filter(|(f, _)| !dropped(f, &[])).collect();
    let mut out = Vec::new();
    let only = |a: &BTreeMap<&String, &Value>, b: &BTreeMap<&String, &Value>| -> Vec<String> {
        a.keys()
            .filter(|f| !b.contains_key(*f))
            .map(|f| f.to_string())
            .collect()
    };
    let (only_py, only_rs) = (only(&py, &rs), only(&rs, &py));
    if !only_py.is_empty() {
        out.push(format!("set only in python: {}", only_py.join(", ")));
    }
    if !only_rs.is_empty() {
        out.push(format!("set only in rust: {}", only_rs.join(", ")));
    }
    for (flag, pv) in &py {
        let Some(rv) = rs.get(flag) else { continue };
        if let (Some(a), Some(b)) = (holders(pv), holders(rv)) {
            if a != b {
                out.push(format!("{flag} held by python {a:?}, rust {b:?}"));
            }
        }
    }
    out
}

/// A relation flag's relation and conversation keys.
fn holders(v: &Value) -> Option<(String, BTreeSet<String>)> {
    let relation = v.get("relation")?.as_str()?.to_string();
    let conversations = v
        .get("conversations")?
        .as_array()?
        .iter()
        .filter_map(|c| c.as_str().map(String::from))
        .collect();
    Some((relation, conversations))
}
