//! `metadata.yaml` rules, each copied from juju/charm `meta.go`
//! (`charmSchema`, `ifaceExpander`, `ifaceSchema`, `storageSchema`,
//! `ensureUnambiguousFormat`, `Meta.Check`, `reservedName`) or
//! `extra_bindings.go`.

use juju_charm::{Error, Meta, Problem, Role, Scope, StorageType};

fn meta(text: &str) -> Meta {
    match Meta::parse(text, "metadata.yaml") {
        Ok(m) => m,
        Err(e) => panic!("{text}: {e}"),
    }
}

/// The item and problem of a refused file, whose error names the file.
fn refused(text: &str) -> (String, Problem) {
    let err = Meta::parse(text, "dir/metadata.yaml").expect_err(text);
    assert!(err.to_string().starts_with("dir/metadata.yaml: "), "{err}");
    match err {
        Error::Invalid { item, problem, .. } => (item, problem),
        other => panic!("{text}: {other}"),
    }
}

#[test]
fn short_form_names_the_interface_meta_go_iface_expander() {
    let m = meta(
        "name: app\nrequires:\n  db: mysql\nprovides:\n  website: http\npeers:\n  ring: app-ring\n",
    );
    let db = &m.requires["db"];
    assert_eq!(db.role, Role::Requires);
    assert_eq!(db.interface, "mysql");
    assert_eq!(
        (db.limit, db.optional, db.scope),
        (None, false, Scope::Global)
    );
    assert_eq!(m.relation("website").map(|r| r.role), Some(Role::Provides));
    assert_eq!(
        m.relation("ring").map(|r| r.interface.as_str()),
        Some("app-ring")
    );
    let names: Vec<&str> = m.relations().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["db", "ring", "website"]);
}

#[test]
fn long_form_reads_interface_limit_optional_scope_meta_go_iface_schema() {
    let m = meta(
        "name: app\nrequires:\n  db:\n    interface: mysql\n    limit: 1\n    optional: true\n    scope: container\n",
    );
    let db = &m.requires["db"];
    assert_eq!(db.limit, Some(1));
    assert!(db.optional);
    assert_eq!(db.scope, Scope::Container);
    // schema.Int takes an integer written as a string; 0 means no limit.
    assert_eq!(
        meta("name: a\nrequires:\n  db: {interface: m, limit: \"2\"}\n").requires["db"].limit,
        Some(2)
    );
    assert_eq!(
        meta("name: a\nrequires:\n  db: {interface: m, limit: 0}\n").requires["db"].limit,
        None
    );
    // schema.Bool takes what Go's strconv.ParseBool takes.
    assert!(
        meta("name: a\nrequires:\n  db: {interface: m, optional: \"true\"}\n").requires["db"]
            .optional
    );
}

#[test]
fn long_form_refuses_bad_items_naming_them_meta_go_iface_schema() {
    let (item, p) = refused("name: a\nrequires:\n  db: {limit: 1}\n");
    assert_eq!(
        (item.as_str(), p),
        ("requires.db.interface", Problem::Missing)
    );
    let (item, p) = refused("name: a\nrequires:\n  db: {interface: m, scope: machine}\n");
    assert_eq!(item, "requires.db.scope");
    assert!(matches!(p, Problem::NotOneOf { .. }), "{p}");
    let (item, p) = refused("name: a\nprovides:\n  db: {interface: m, limit: many}\n");
    assert_eq!(item, "provides.db.limit");
    assert!(
        matches!(
            p,
            Problem::WrongType {
                expected: "an integer",
                ..
            }
        ),
        "{p}"
    );
    let (item, _) = refused("name: a\nprovides:\n  db: {interface: m, optional: maybe}\n");
    assert_eq!(item, "provides.db.optional");
    let (item, _) = refused("name: a\nprovides:\n  db: [mysql]\n");
    assert_eq!(item, "provides.db");
    let (item, p) = refused("summary: no name\n");
    assert_eq!((item.as_str(), p), ("name", Problem::Missing));
    // yaml.v2 reads an unquoted `null` as no value, and schema.String
    // refuses it: a charm named null must be quoted.
    let (item, p) = refused("name: null\n");
    assert_eq!((item.as_str(), p), ("name", Problem::Null));
    assert_eq!(meta("name: 'null'\n").name, "null");
}

#[test]
fn a_relation_name_is_declared_once_meta_go_check() {
    let (item, p) = refused("name: a\nprovides:\n  db: mysql\nrequires:\n  db: mysql\n");
    assert_eq!(item, "requires.db");
    assert!(
        matches!(p, Problem::Duplicate { ref other, .. } if other == "provides.db"),
        "{p}"
    );
}

#[test]
fn juju_names_are_reserved_meta_go_reserved_name() {
    let (item, p) = refused("name: a\nprovides:\n  juju-info: juju-info\n");
    assert_eq!(item, "provides.juju-info");
    assert!(matches!(p, Problem::Reserved { .. }), "{p}");
    let (item, _) = refused("name: a\nrequires:\n  juju: x\n");
    assert_eq!(item, "requires.juju");
    // Reserved interfaces only for providers and peers.
    let (item, _) = refused("name: a\nprovides:\n  info: juju-info\n");
    assert_eq!(item, "provides.info.interface");
    meta("name: a\nrequires:\n  info: juju-info\n");
    // Charms named juju-* may use them.
    meta("name: juju-x\nprovides:\n  juju-info: juju-info\n");
}

#[test]
fn a_subordinate_needs_a_container_scoped_requirer_meta_go_check() {
    let m = meta("name: a\nsubordinate: true\nrequires:\n  juju-info: {interface: juju-info, scope: container}\n");
    assert!(m.subordinate);
    let (item, p) = refused("name: a\nsubordinate: true\nrequires:\n  db: mysql\n");
    assert_eq!(
        (item.as_str(), p),
        ("subordinate", Problem::SubordinateWithoutContainerScope)
    );
    // Only a subordinate's container-scoped requirer may use a reserved name.
    refused("name: a\nrequires:\n  juju-info: {interface: juju-info, scope: container}\n");
}

#[test]
fn extra_bindings_are_names_apart_from_relations_extra_bindings_go() {
    let m = meta("name: a\nextra-bindings:\n  admin:\n  public:\n");
    assert_eq!(
        m.extra_bindings.iter().collect::<Vec<_>>(),
        ["admin", "public"]
    );
    let (item, p) = refused("name: a\nextra-bindings: {}\n");
    assert_eq!((item.as_str(), p), ("extra-bindings", Problem::Empty));
    let (item, p) = refused("name: a\nprovides:\n  db: mysql\nextra-bindings:\n  db:\n");
    assert_eq!(item, "extra-bindings.db");
    assert!(matches!(p, Problem::Duplicate { .. }), "{p}");
    let (item, _) = refused("name: a\nextra-bindings:\n  admin: space\n");
    assert_eq!(item, "extra-bindings.admin");
}

#[test]
fn storage_entries_meta_go_storage_schema() {
    let m = meta(
        "name: a\nstorage:\n  data:\n    type: filesystem\n    location: /srv\n    multiple: {range: 2-5}\n  \
         logs: {type: block, multiple: {range: 1+}, read-only: true}\n  one: {type: block}\n",
    );
    let data = &m.storage["data"];
    assert_eq!(
        (data.kind, data.location.as_deref()),
        (StorageType::Filesystem, Some("/srv"))
    );
    assert_eq!((data.count_min, data.count_max), (2, Some(5)));
    let logs = &m.storage["logs"];
    assert_eq!(
        (logs.count_min, logs.count_max, logs.read_only),
        (1, None, true)
    );
    assert_eq!(
        (m.storage["one"].count_min, m.storage["one"].count_max),
        (1, Some(1))
    );
    let (item, p) = refused("name: a\nstorage:\n  data: {location: /srv}\n");
    assert_eq!((item.as_str(), p), ("storage.data.type", Problem::Missing));
    let (item, _) = refused("name: a\nstorage:\n  data: {type: block, location: /srv}\n");
    assert_eq!(item, "storage.data");
    let (item, _) = refused("name: a\nstorage:\n  data: {type: block, multiple: {range: some}}\n");
    assert_eq!(item, "storage.data.multiple.range");
}

#[test]
fn v1_and_v2_keys_do_not_mix_meta_go_ensure_unambiguous_format() {
    let (item, _) = refused("name: a\nseries: [jammy]\ncontainers:\n  app: {resource: img}\n");
    assert_eq!(item, "series");
    let m = meta("name: a\nassumes: [juju >= 3.1]\ncontainers:\n  app: {resource: img}\ncharm-user: non-root\n");
    assert!(m.containers.contains_key("app"));
    assert_eq!(m.charm_user.as_deref(), Some("non-root"));
    let (item, _) = refused("name: a\ncharm-user: admin\n");
    assert_eq!(item, "charm-user");
}

#[test]
fn unknown_keys_and_unused_sections_are_read_leniently_meta_go_charm_schema() {
    // FieldMap (not StrictFieldMap): keys Juju does not know are ignored.
    let m = meta(
        "name: a\nsummary: s\ndescription: d\ndocs: https://example.com\nresources:\n  img: {type: oci-image}\n\
         devices:\n  gpu: {type: nvidia.com/gpu}\ntags: [misc]\nterms: [t]\n",
    );
    assert_eq!((m.summary.as_str(), m.description.as_str()), ("s", "d"));
    assert!(m.resources.contains_key("img") && m.devices.contains_key("gpu"));
    assert_eq!(m.tags, ["misc"]);
}

#[test]
fn malformed_yaml_names_the_file() {
    let err = Meta::parse("name: [unclosed\n", "dir/metadata.yaml").unwrap_err();
    assert!(matches!(err, Error::Yaml { .. }));
    assert_eq!(err.to_string(), "parsing dir/metadata.yaml");
}
