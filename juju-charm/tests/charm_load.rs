//! `Charm::load`: which file each part comes from. The separate files are
//! what juju/charm `charmdir.go` reads from a charm (`metadata.yaml`
//! required, `config.yaml`, `actions.yaml`, `manifest.yaml` optional);
//! `charmcraft.yaml` is charmcraft 3's single-file form of the same keys.

use std::path::Path;

use juju_charm::{Charm, Error, OptionType, Role};
use serde_json::json;

fn charm(files: &[(&str, &str)]) -> (tempfile::TempDir, Result<Charm, Error>) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let loaded = Charm::load(dir.path());
    (dir, loaded)
}

const CRAFT: &str = "name: kafka-client
type: charm
summary: s
description: d
base: ubuntu@22.04
platforms:
  amd64:
requires:
  kafka: kafka
config:
  options:
    topic: {type: string, default: events}
actions:
  restart:
    params:
      force: {type: boolean}
";

#[test]
fn separate_files_are_read_as_juju_reads_a_charm_dir_charmdir_go() {
    let (dir, c) = charm(&[
        ("metadata.yaml", "name: app\nprovides:\n  web: http\n"),
        (
            "config.yaml",
            "options:\n  port: {type: int, default: 80}\n",
        ),
        ("actions.yaml", "backup: {}\n"),
        (
            "manifest.yaml",
            "bases:\n  - {name: ubuntu, channel: \"22.04\", architectures: [amd64]}\n",
        ),
    ]);
    let c = c.unwrap();
    assert_eq!(c.meta.name, "app");
    assert_eq!(c.meta_file, dir.path().join("metadata.yaml"));
    assert_eq!(c.meta.provides["web"].role, Role::Provides);
    assert_eq!(c.config.options["port"].default, Some(json!(80)));
    assert!(c.actions.get("backup").is_some());
    assert_eq!(c.bases[0].architectures, ["amd64"]);
    // Only metadata.yaml is needed.
    let (_dir, c) = charm(&[("metadata.yaml", "name: app\n")]);
    let c = c.unwrap();
    assert!(c.config.options.is_empty() && c.actions.specs.is_empty() && c.bases.is_empty());
}

#[test]
fn a_charmcraft_only_charm_has_metadata_config_actions_and_bases() {
    let (dir, c) = charm(&[("charmcraft.yaml", CRAFT)]);
    let c = c.unwrap();
    assert_eq!(c.meta_file, dir.path().join("charmcraft.yaml"));
    assert_eq!(c.meta.requires["kafka"].interface, "kafka");
    assert_eq!(c.config.options["topic"].kind, OptionType::String);
    assert!(c.actions.get("restart").is_some());
    assert_eq!(
        (
            c.bases[0].channel.as_str(),
            c.bases[0].architectures.clone()
        ),
        ("22.04", vec!["amd64".to_string()])
    );
}

#[test]
fn separate_files_complete_a_charmcraft_yaml_without_those_keys() {
    // The layout of charmcraft 2 projects: build settings in charmcraft.yaml.
    let (_dir, c) = charm(&[
        (
            "charmcraft.yaml",
            "type: charm\nbases:\n  - {name: ubuntu, channel: \"22.04\"}\n",
        ),
        ("metadata.yaml", "name: app\n"),
        ("config.yaml", "options: {}\n"),
    ]);
    let c = c.unwrap();
    assert_eq!((c.meta.name.as_str(), c.bases.len()), ("app", 1));
    // manifest.yaml (written by charmcraft into a packed charm) wins.
    let (_dir, c) = charm(&[
        (
            "charmcraft.yaml",
            "type: charm\nbases:\n  - {name: ubuntu, channel: \"22.04\"}\n",
        ),
        ("metadata.yaml", "name: app\n"),
        (
            "manifest.yaml",
            "bases:\n  - {name: ubuntu, channel: \"24.04\"}\n",
        ),
    ]);
    assert_eq!(c.unwrap().bases[0].channel, "24.04");
}

#[test]
fn a_part_in_both_places_is_refused_as_charmcraft_refuses_it() {
    for (file, text, key) in [
        ("metadata.yaml", "name: other\n", "name"),
        ("config.yaml", "options: {}\n", "config"),
        ("actions.yaml", "a: {}\n", "actions"),
    ] {
        let (_dir, c) = charm(&[("charmcraft.yaml", CRAFT), (file, text)]);
        match c {
            Err(Error::Conflict {
                file: f, key: k, ..
            }) => assert_eq!((f, k), (file, key)),
            other => panic!("{file}: {other:?}"),
        }
    }
}

#[test]
fn errors_name_the_file_and_the_item() {
    let bad = CRAFT.replace("default: events", "default: 3");
    let (dir, c) = charm(&[("charmcraft.yaml", &bad)]);
    let err = c.unwrap_err();
    assert_eq!(err.item(), Some("config.options.topic.default"));
    let file = dir.path().join("charmcraft.yaml");
    assert_eq!(
        err.to_string(),
        format!(
            "{}: config.options.topic.default: option \"topic\" expected string, got 3",
            file.display()
        )
    );
    let (dir, c) = charm(&[
        ("metadata.yaml", "name: a\n"),
        ("actions.yaml", "Bad: {}\n"),
    ]);
    let err = c.unwrap_err();
    assert!(
        err.to_string().starts_with(&format!(
            "{}: Bad: bad action name",
            dir.path().join("actions.yaml").display()
        )),
        "{err}"
    );
}

#[test]
fn a_directory_without_metadata_is_not_a_charm() {
    let (_dir, c) = charm(&[("charmcraft.yaml", "type: charm\n")]);
    assert!(matches!(c, Err(Error::NotACharm { .. })));
    assert!(matches!(
        Charm::load(Path::new("/nonexistent/charm")),
        Err(Error::NotACharm { .. })
    ));
}

#[test]
fn config_find_reads_config_yaml_or_charmcraft_yaml() {
    use juju_charm::Config;
    let (dir, _) = charm(&[("charmcraft.yaml", CRAFT)]);
    let c = Config::find(dir.path()).unwrap().unwrap();
    assert_eq!(c.options["topic"].default, Some(json!("events")));
    let (dir, _) = charm(&[("config.yaml", "options:\n  a: {type: float, default: 1}\n")]);
    assert_eq!(
        Config::find(dir.path()).unwrap().unwrap().options["a"].default,
        Some(json!(1.0))
    );
    let (dir, _) = charm(&[("metadata.yaml", "name: a\n")]);
    assert_eq!(Config::find(dir.path()).unwrap(), None);
}
