//! What `cargo charm pack` puts in a charm: the listed files and folders
//! of the charm's source, kept as they are (folders, modes, symbolic
//! links), nothing dropped without an error, the same bytes every time.

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;

use cargo_charm::charmcraft::Project;
use cargo_charm::pack::{contents, pack_contents};

const CHARMCRAFT: &str = "name: web\ntype: charm\nsummary: s\ndescription: d\n\
    base: ubuntu@22.04\nplatforms: {amd64: }\n\
    config: {options: {port: {type: int, default: 80}}}\n\
    parts:\n  files:\n    plugin: dump\n    source: .\n";

fn write(path: &Path, text: &str, mode: u32) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A charm source folder with templates, files, hooks, actions, an
/// icon, links, and its crate's files.
fn charm_source(dir: &Path, prime: Option<&str>) {
    let listed = prime
        .map(|p| format!("    prime: {p}\n"))
        .unwrap_or_default();
    write(
        &dir.join("charmcraft.yaml"),
        &format!("{CHARMCRAFT}{listed}"),
        0o644,
    );
    write(&dir.join("templates/site.conf"), "listen {{port}}\n", 0o644);
    write(&dir.join("files/bin/tool.sh"), "#!/bin/sh\n", 0o755);
    write(&dir.join("hooks/install"), "#!/bin/sh\n", 0o755);
    write(&dir.join("actions/restart"), "#!/bin/sh\n", 0o755);
    write(&dir.join("icon.svg"), "<svg/>", 0o644);
    symlink("templates/site.conf", dir.join("current.conf")).unwrap();
    symlink("site.conf", dir.join("templates/default.conf")).unwrap();
    write(&dir.join("Cargo.toml"), "[package]\n", 0o644);
    write(&dir.join("src/main.rs"), "fn main() {}\n", 0o644);
    write(&dir.join("dispatch-bin"), "#!/bin/sh\n", 0o755);
}

/// Every entry of a `.charm`: name to (mode with file type, contents).
fn entries(archive: &Path) -> BTreeMap<String, (u32, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(archive).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        out.insert(
            entry.name().to_string(),
            (entry.unix_mode().unwrap_or(0), bytes),
        );
    }
    out
}

fn pack(src: &Path, out: &Path) -> Result<cargo_charm::pack::Packed, cargo_charm::Error> {
    let project = Project::load(src)?;
    let contents = contents(&project, &src.join("dispatch-bin"), "amd64")?;
    pack_contents(&project.name, &contents, out)
}

#[test]
fn listed_folders_files_and_links_are_packed_as_they_are() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    charm_source(
        &src,
        Some("[templates, files, hooks, actions, icon.svg, current.conf]"),
    );
    let packed = pack(&src, &tmp.path().join("a")).unwrap();
    let zip = entries(&packed.archive);
    let names: Vec<&str> = zip.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "actions/",
            "actions/restart",
            "config.yaml",
            "current.conf",
            "dispatch",
            "files/",
            "files/bin/",
            "files/bin/tool.sh",
            "hooks/",
            "hooks/install",
            "icon.svg",
            "manifest.yaml",
            "metadata.yaml",
            "templates/",
            "templates/default.conf",
            "templates/site.conf",
        ]
    );
    let mode = |n: &str| zip[n].0;
    assert_eq!(mode("dispatch") & 0o777, 0o755);
    assert_eq!(mode("hooks/install") & 0o777, 0o755);
    assert_eq!(mode("templates/site.conf") & 0o777, 0o644);
    assert_eq!(mode("current.conf") & 0o170000, 0o120000, "a symbolic link");
    assert_eq!(zip["current.conf"].1, b"templates/site.conf");
    assert_eq!(zip["templates/default.conf"].1, b"site.conf");
    assert_eq!(mode("files/bin/") & 0o170000, 0o040000, "a folder");
    let manifest = String::from_utf8(zip["manifest.yaml"].1.clone()).unwrap();
    assert!(
        manifest.contains("channel: '22.04'\n  architectures:\n  - amd64"),
        "{manifest}"
    );

    // The charm folder holds the same, links as links.
    let link = std::fs::read_link(packed.dir.join("current.conf")).unwrap();
    assert_eq!(link, Path::new("templates/site.conf"));

    // The same source gives the same bytes.
    let again = pack(&src, &tmp.path().join("b")).unwrap();
    let bytes = |p: &Path| std::fs::read(p).unwrap();
    assert_eq!(bytes(&packed.archive), bytes(&again.archive));
}

#[test]
fn without_a_list_all_but_the_build_files_are_packed() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    charm_source(&src, None);
    std::fs::remove_file(src.join("dispatch-bin")).unwrap();
    let dispatch = tmp.path().join("exe");
    write(&dispatch, "#!/bin/sh\n", 0o755);
    let project = Project::load(&src).unwrap();
    let contents = contents(&project, &dispatch, "amd64").unwrap();
    let packed = pack_contents("web", &contents, &tmp.path().join("out")).unwrap();
    let zip = entries(&packed.archive);
    for kept in [
        "templates/site.conf",
        "files/bin/tool.sh",
        "icon.svg",
        "current.conf",
    ] {
        assert!(zip.contains_key(kept), "{kept}: {:?}", zip.keys());
    }
    for left in ["Cargo.toml", "src/main.rs", "charmcraft.yaml"] {
        assert!(!zip.contains_key(left), "{left}");
    }
}

#[test]
fn a_missing_file_or_a_link_out_of_the_charm_is_an_error_not_a_gap() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    charm_source(&src, Some("[templates, missing.txt]"));
    let err = pack(&src, &tmp.path().join("out")).unwrap_err().to_string();
    assert!(
        err.contains("missing.txt") && err.contains("cannot be read"),
        "{err}"
    );
    assert!(!tmp.path().join("out/web").exists(), "nothing half-written");

    let src = tmp.path().join("src2");
    charm_source(&src, Some("[templates]"));
    symlink("../../etc/passwd", src.join("templates/escape")).unwrap();
    let err = pack(&src, &tmp.path().join("out")).unwrap_err().to_string();
    assert!(
        err.contains("templates/escape") && err.contains("outside the charm"),
        "{err}"
    );

    let src = tmp.path().join("src3");
    charm_source(&src, Some("[templates, templates]"));
    let err = pack(&src, &tmp.path().join("out")).unwrap_err().to_string();
    assert!(err.contains("packed twice"), "{err}");
}
