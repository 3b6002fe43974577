//! Metadata in the forms Juju and charmcraft accept (juju/charm `meta.go`:
//! the short relation form `requires: {kafka: kafka}`; charmcraft 3: the
//! metadata keys in `charmcraft.yaml` with no `metadata.yaml`), read by a
//! hook run as Juju runs it and by the test harness.

#[path = "support/unit.rs"]
mod unit;

use reactive_core::set_flag_value;
use reactive_core::testing::{Hook, Relation, State};
use reactive_core::{Binding, HandlerDef, Metadata, Predicate, Role};
use unit::{ok, text, Unit};

const SHORT: &str = "name: test-charm\nprovides:\n  website: http\nrequires:\n  kafka: kafka\n";

fn last_hook(u: &Unit) -> String {
    u.flags()["charm.last-hook"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_short_form_relation_runs_the_hooks_meta_go_iface_expander() {
    let u = Unit::new();
    std::fs::write(u.charm.join("metadata.yaml"), SHORT).unwrap();
    ok(&u.hook("install"));
    ok(&u.hook("kafka-relation-joined"));
    assert_eq!(last_hook(&u), "kafka-relation-joined");
    // publish() ran: the website relations got their settings.
    ok(&u.hook("website-relation-changed"));
    assert_eq!(u.count("relation-set"), 2, "{:?}", u.calls());
}

#[test]
fn a_charmcraft_only_charm_runs_its_hooks_from_charmcraft_yaml() {
    let u = Unit::new();
    std::fs::remove_file(u.charm.join("metadata.yaml")).unwrap();
    let craft = format!("type: charm\nbase: ubuntu@22.04\nplatforms:\n  amd64:\n{SHORT}");
    std::fs::write(u.charm.join("charmcraft.yaml"), craft).unwrap();
    ok(&u.hook("install"));
    ok(&u.hook("kafka-relation-joined"));
    assert_eq!(last_hook(&u), "kafka-relation-joined");
}

#[test]
fn a_charmcraft_only_charm_gets_its_config_defaults_from_charmcraft_yaml() {
    let u = Unit::new();
    for f in ["metadata.yaml", "config.yaml"] {
        std::fs::remove_file(u.charm.join(f)).unwrap();
    }
    // The stub's config-get answers port 8080: the default must be 8080
    // for `config.default.port`, which only the charmcraft.yaml says.
    let craft = format!(
        "{SHORT}config:\n  options:\n    port: {{type: int, default: 8080}}\n    \
         fail: {{type: boolean, default: false}}\n"
    );
    std::fs::write(u.charm.join("charmcraft.yaml"), craft).unwrap();
    ok(&u.hook("install"));
    // The automatic config flags last one dispatch: the trace shows them.
    let out = u.cli(&["trace", "--json"]);
    ok(&out);
    let trace = text(&out.stdout);
    assert!(trace.contains("config.default.port"), "{trace}");
    assert!(trace.contains("config.default.fail"), "{trace}");
}

#[test]
fn the_metadata_is_read_from_charmcraft_yaml_and_its_errors_name_it() {
    let u = Unit::new();
    std::fs::remove_file(u.charm.join("metadata.yaml")).unwrap();
    let bad = "name: test-charm\nrequires:\n  kafka: {limit: 1}\n";
    std::fs::write(u.charm.join("charmcraft.yaml"), bad).unwrap();
    let out = u.hook("install");
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("charmcraft.yaml: requires.kafka.interface: missing"),
        "{err}"
    );
}

#[test]
fn a_short_form_endpoint_binds_relation_handlers() {
    let meta: Metadata = SHORT.parse().unwrap();
    let kafka = &meta.meta.role(Role::Requires)["kafka"];
    assert_eq!(kafka.interface, "kafka");
    assert_eq!(
        meta.meta.relation("website").map(|e| e.scope.as_str()),
        Some("global")
    );
    let mut def = HandlerDef::new(
        "charm.rs",
        1,
        "queue",
        vec![Predicate::Hook(vec![
            "{requires:kafka}-relation-joined".into()
        ])],
        |_| {
            set_flag_value("joined", &reactive_core::hookenv::relation_id());
            Ok(())
        },
    );
    def.binding = Some(Binding {
        role: Role::Requires,
        interface: "kafka",
    });
    let out = State::default()
        .with_file("metadata.yaml", SHORT)
        .with_relation(
            Relation::new("kafka", 4, "broker").with_unit("broker/0", [("port", "9092")]),
        )
        .run_handlers(
            vec![def],
            Hook::relation("joined", "kafka:4", Some("broker/0")),
        );
    assert_eq!(out.error_message(), None);
    assert_eq!(
        out.trace.invoked().collect::<Vec<_>>(),
        ["charm.rs:1:queue"]
    );
    assert_eq!(out.state.flags["joined"], "kafka:4");
}
