//! The actions the charm declares, read at compile time from the crate's
//! `actions.yaml` (or the `actions:` of its `charmcraft.yaml`), so that
//! `#[hook("snapshot")]` on a declared action points to `#[action]`.

use std::path::Path;

/// The top-level keys of `map`, or none.
fn keys(map: Option<&serde_norway::Value>) -> Vec<String> {
    map.and_then(serde_norway::Value::as_mapping)
        .map(|m| {
            m.keys()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn read(path: &Path) -> Option<serde_norway::Value> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_norway::from_str(&text).ok()
}

/// The action names declared in the crate being compiled (empty when it
/// declares none, or its files do not parse: the hook check then reports
/// an unknown hook).
pub(crate) fn declared() -> Vec<String> {
    let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return Vec::new();
    };
    let dir = Path::new(&dir);
    if let Some(doc) = read(&dir.join("actions.yaml")) {
        return keys(Some(&doc));
    }
    keys(
        read(&dir.join("charmcraft.yaml"))
            .as_ref()
            .and_then(|d| d.get("actions")),
    )
}
