//! Deploying `.charm` archives and refreshing: unpacked with file modes,
//! `manifest.yaml` bases checked against the model's (Juju refuses a charm
//! that does not declare the base it would run on), `dispatch` run if
//! present; `juju refresh` runs `upgrade-charm` then `config-changed`
//! (`worker/uniter/resolver.go`).

mod common;

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::*;
use juju_sim::manifest::host_architecture;
use juju_sim::Error;
use zip::write::SimpleFileOptions;

/// Zips every file of `dir` (modes kept) into `<dir>.charm`, with a
/// manifest declaring `base` (none if `None`).
fn archive(dir: &Path, base: Option<&str>) -> PathBuf {
    if let Some(channel) = base {
        let arch = host_architecture();
        let text =
            format!("bases:\n- name: ubuntu\n  channel: '{channel}'\n  architectures: [{arch}]\n");
        std::fs::write(dir.join("manifest.yaml"), text).unwrap();
    }
    let path = dir.with_extension("charm");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            let name = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            zip.start_file(name, SimpleFileOptions::default().unix_permissions(mode))
                .unwrap();
            zip.write_all(&std::fs::read(&p).unwrap()).unwrap();
        }
    }
    zip.finish().unwrap();
    path
}

#[test]
fn a_charm_archive_is_unpacked_with_its_modes_and_runs() {
    let (dir, mut model) = model();
    let charm = probe(&dir, "probe", &[]);
    let packed = archive(&charm, Some("22.04"));
    model.deploy("p", &packed, 1).unwrap();
    model.settle().unwrap();
    assert_eq!(hooks(&model, "p/0")[0], "install");
    let unit = model.unit_dir("p/0").unwrap();
    let mode = |f: &str| {
        std::fs::metadata(unit.join(f))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("dispatch"), 0o755);
    assert_eq!(mode("metadata.yaml"), 0o644);
}

#[test]
fn a_charm_that_does_not_declare_the_model_base_is_refused() {
    let (dir, mut model) = model();
    let charm = probe(&dir, "probe", &[]);
    let packed = archive(&charm, Some("20.04"));
    let err = model.deploy("p", &packed, 1).unwrap_err();
    assert!(matches!(err, Error::WrongBase { .. }), "{err}");
    assert!(err.to_string().contains("ubuntu@22.04"), "{err}");
    let bare = probe(&dir, "bare", &[]);
    let err = model.deploy("q", archive(&bare, None), 1).unwrap_err();
    assert!(err.to_string().contains("no manifest.yaml"), "{err}");
    // The base is the model's to choose.
    let mut options = options();
    options.base = "ubuntu@20.04".parse().unwrap();
    let mut focal = juju_sim::Model::create(dir.path().join("focal"), "focal", options).unwrap();
    focal.deploy("p", &packed, 1).unwrap();
}

#[test]
fn refresh_runs_upgrade_charm_then_config_changed_and_keeps_unit_files() {
    let (dir, mut model) = model();
    let v1 = probe(&dir, "v1", &[("install", "echo mine > unit-file")]);
    model.deploy("p", &v1, 2).unwrap();
    model.settle().unwrap();
    let v2 = probe(&dir, "v2", &[("upgrade-charm", "echo v2 > upgraded")]);
    model.refresh("p", &v2).unwrap();
    let runs = model.settle().unwrap();
    assert_eq!(runs_on(&runs, "p/0"), ["upgrade-charm", "config-changed"]);
    assert_eq!(runs_on(&runs, "p/1"), ["upgrade-charm", "config-changed"]);
    assert_eq!(unit_file(&model, "p/0", "upgraded").trim(), "v2");
    assert_eq!(unit_file(&model, "p/0", "unit-file").trim(), "mine");
    // v1's own hook script is gone, and v1's source was not written through.
    assert!(!model.unit_dir("p/0").unwrap().join("on/install").exists());
    assert!(v1.join("on/install").exists());
    assert!(!v1.join("on/upgrade-charm").exists());
}

/// juju/charm `meta.go`: a relation may be just its interface name; a
/// charmcraft 3 charm may keep metadata, config and actions in
/// `charmcraft.yaml` alone.
#[test]
fn short_relation_forms_and_charmcraft_yaml_metadata() {
    let (dir, mut model) = model();
    let charm = dir.path().join("craft");
    std::fs::create_dir_all(&charm).unwrap();
    std::fs::write(
        charm.join("charmcraft.yaml"),
        "name: craft\ntype: charm\nrequires:\n  db: testdb\nprovides:\n  api:\n    interface: http\n    limit: 2\n\
         config:\n  options:\n    port: {type: int, default: 80}\n\
         actions:\n  ping:\n    params: {}\n",
    )
    .unwrap();
    let dispatch = charm.join("dispatch");
    std::fs::write(&dispatch, "#!/bin/bash\n").unwrap();
    std::fs::set_permissions(&dispatch, std::fs::Permissions::from_mode(0o755)).unwrap();
    model.deploy("craft", &charm, 1).unwrap();
    let probe_charm = probe(&dir, "probe", &[]);
    model.deploy("p", &probe_charm, 1).unwrap();
    model.relate("craft:db", "p:db").unwrap();
    model.settle().unwrap();
    assert_eq!(model.config("craft").unwrap()["port"], 80);
    model
        .run_action("craft/0", "ping", &[] as &[(&str, &str)])
        .unwrap();
}
