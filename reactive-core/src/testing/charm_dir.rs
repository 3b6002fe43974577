//! A [`State`] declared by a charm's own files: `metadata.yaml`,
//! `config.yaml` and `actions.yaml`, or the same keys of a charmcraft 3
//! `charmcraft.yaml`, so that a unit test checks against what Juju will
//! read.

use std::path::Path;

use super::run::setup;
use super::State;

/// The text of `dir/name`, if it exists.
fn read(dir: &Path, name: &str) -> Option<String> {
    let path = dir.join(name);
    path.exists()
        .then(|| setup(&path.display().to_string(), std::fs::read_to_string(&path)))
}

/// The YAML text of `key` of a charmcraft document (its `config:` holds
/// `options:`, as `config.yaml` does).
fn section(doc: &serde_norway::Value, key: &str) -> Option<String> {
    let v = doc.get(key).filter(|v| !v.is_null())?;
    Some(setup("charmcraft.yaml", serde_norway::to_string(v)))
}

impl State {
    /// A state declared by the charm in `dir` (`env!("CARGO_MANIFEST_DIR")`
    /// in the charm crate's tests): its metadata, config and actions, each
    /// from its own file, else from `charmcraft.yaml`.
    ///
    /// # Panics
    /// If a file cannot be read or `charmcraft.yaml` is not YAML: bugs in
    /// the test's setup (the declarations themselves are checked before
    /// each run).
    #[must_use]
    pub fn for_charm(dir: impl AsRef<Path>) -> State {
        let dir = dir.as_ref();
        let craft = read(dir, "charmcraft.yaml").map(|t| {
            let doc: serde_norway::Value = setup("charmcraft.yaml", serde_norway::from_str(&t));
            (t, doc)
        });
        let craft_doc = craft.as_ref().map(|(_, d)| d);
        let declared = [
            (
                "metadata.yaml",
                read(dir, "metadata.yaml").or_else(|| {
                    craft
                        .as_ref()
                        .filter(|(_, d)| d.get("name").is_some())
                        .map(|(t, _)| t.clone())
                }),
            ),
            (
                "config.yaml",
                read(dir, "config.yaml").or_else(|| craft_doc.and_then(|d| section(d, "config"))),
            ),
            (
                "actions.yaml",
                read(dir, "actions.yaml").or_else(|| craft_doc.and_then(|d| section(d, "actions"))),
            ),
        ];
        let files = declared
            .into_iter()
            .filter_map(|(name, text)| Some((name.into(), text?.into_bytes())))
            .collect();
        State {
            files,
            ..State::default()
        }
    }
}
