//! Endpoint types as handler parameters and their data: `{endpoint_name}`
//! expansion, argument resolution, relations and units, received values
//! (decoded, merged, typed, malformed), publishing, departed units.

use reactive_core::endpoints::{RelatedUnit, Relation as EndpointRelation};
use reactive_core::prelude::*;
use reactive_core::testing::{Hook, Outcome, Relation, State};
use reactive_core::{endpoint_type, kv};
use serde_json::{json, Value};

/// Two endpoints of one interface, neither named after it.
const META: &str = "name: app
requires:
  primary: {interface: mysql}
  replica: {interface: mysql}
provides:
  api: {interface: rest}
";

endpoint_type! {
    /// The requiring side of `mysql`.
    pub struct MysqlRequires: requires "mysql";
}

endpoint_type! {
    /// The providing side of `rest`.
    pub struct RestProvides: provides "rest";
}

/// Appends `item` to the list kept under `key`.
fn record(key: &str, item: impl serde::Serialize) -> reactive_core::Result {
    let mut list: Vec<Value> = kv().get(key)?.unwrap_or_default();
    list.push(serde_json::to_value(item)?);
    kv().set(key, &list)?;
    Ok(())
}

mod expansion {
    use super::*;

    #[when("endpoint.{endpoint_name}.joined")]
    #[when_not("{endpoint_name}.seen")]
    fn joined(db: &MysqlRequires) -> reactive_core::Result {
        record("joined", &db.endpoint_name)?;
        set_flag(&db.expand_name("{endpoint_name}.seen"));
        Ok(())
    }
}

mod from_flags {
    use super::*;

    #[when("go", "endpoint.replica.joined")]
    fn prefixed(db: &MysqlRequires) -> reactive_core::Result {
        record("prefixed", &db.endpoint_name)
    }

    #[when("go", "primary.ready")]
    fn unprefixed(db: &MysqlRequires) -> reactive_core::Result {
        record("unprefixed", &db.endpoint_name)
    }
}

mod from_hook {
    use super::*;

    #[hook("{requires:mysql}-relation-changed")]
    fn changed(db: &MysqlRequires) -> reactive_core::Result {
        record("hook", &db.endpoint_name)
    }
}

mod unresolvable {
    use super::*;

    #[when("go")]
    fn which(db: &MysqlRequires) -> reactive_core::Result {
        record("which", &db.endpoint_name)
    }
}

mod only_one {
    use super::*;

    #[when("go")]
    fn rest(api: &RestProvides) -> reactive_core::Result {
        record("rest", &api.endpoint_name)
    }
}

fn run(state: &State, module: &str, hook: Hook) -> Outcome {
    let out = state.run_in(&format!("endpoints_data::{module}"), hook);
    assert_eq!(out.error_message(), None);
    out
}

fn two_endpoints() -> State {
    State::default()
        .with_file("metadata.yaml", META)
        .with_relation(Relation::new("primary", 1, "mysql").with_unit("mysql/0", [("a", "1")]))
        .with_relation(Relation::new("replica", 2, "copy").with_unit("copy/0", [("a", "2")]))
}

#[test]
fn endpoint_name_handlers_run_once_per_endpoint_with_their_endpoint() {
    let out = run(&two_endpoints(), "expansion", Hook::new("update-status"));
    assert_eq!(out.state.kv["joined"], json!(["primary", "replica"]));
    let invoked = out.trace.invoked().collect::<Vec<_>>();
    assert!(
        invoked.iter().any(|h| h.ends_with("joined:primary")),
        "{invoked:?}"
    );
    assert!(
        invoked.iter().any(|h| h.ends_with("joined:replica")),
        "{invoked:?}"
    );
    // The per-endpoint flags the handler set.
    assert!(out.state.is_flag_set("primary.seen") && out.state.is_flag_set("replica.seen"));
    // Without any relation of an endpoint, its instance does not run.
    let s = State::default()
        .with_file("metadata.yaml", META)
        .with_relation(Relation::new("replica", 2, "copy").with_unit("copy/0", [("a", "2")]));
    let out = run(&s, "expansion", Hook::new("update-status"));
    assert_eq!(out.state.kv["joined"], json!(["replica"]));
}

#[test]
fn an_endpoint_is_resolved_from_the_flags_that_name_it() {
    let s = two_endpoints().with_flag("go").with_flag("primary.ready");
    let out = run(&s, "from_flags", Hook::new("update-status"));
    assert_eq!(out.state.kv["prefixed"], json!(["replica"]));
    assert_eq!(out.state.kv["unprefixed"], json!(["primary"]));
}

#[test]
fn a_hook_handler_gets_the_endpoint_of_the_running_hook() {
    let out = run(
        &two_endpoints(),
        "from_hook",
        Hook::relation("changed", "replica:2", Some("copy/0")),
    );
    assert_eq!(out.state.kv["hook"], json!(["replica"]));
    let out = run(
        &two_endpoints(),
        "from_hook",
        Hook::relation("changed", "primary:1", Some("mysql/0")),
    );
    assert_eq!(out.state.kv["hook"], json!(["primary"]));
}

#[test]
fn an_ambiguous_parameter_fails_naming_handler_and_parameter() {
    let s = two_endpoints().with_flag("go");
    let out = s.run_in("endpoints_data::unresolvable", Hook::new("update-status"));
    let msg = out.error_message().expect("the hook must fail");
    assert!(msg.contains("which"), "{msg}");
    assert!(msg.contains("parameter `db`"), "{msg}");
    assert!(msg.contains("requires:mysql"), "{msg}");
    assert!(msg.contains("[primary, replica]"), "{msg}");
    // In a hook of one of them, that one is given.
    let out = run(
        &s,
        "unresolvable",
        Hook::relation("changed", "primary:1", Some("mysql/0")),
    );
    assert_eq!(out.state.kv["which"], json!(["primary"]));
    // The only endpoint of a type needs no flag.
    let out = run(&s, "only_one", Hook::new("update-status"));
    assert_eq!(out.state.kv["rest"], json!(["api"]));
}

/// Runs `body` as a handler on `go` in a hook of `state`.
fn with_endpoint(
    state: &State,
    hook: Hook,
    body: impl Fn(&MysqlRequires) -> Result<(), reactive_core::Error> + Send + Sync + 'static,
) -> Outcome {
    let h = reactive_core::HandlerDef::new(
        "charm.rs",
        1,
        "probe",
        vec![reactive_core::Predicate::WhenAll(vec!["go".into()])],
        move |_| {
            let db = <MysqlRequires as reactive_core::EndpointType>::from_name("primary")?
                .expect("primary is bound to MysqlRequires");
            body(&db)
        },
    );
    state.clone().with_flag("go").run_handlers(vec![h], hook)
}

/// The names of `units`, in order.
fn names(units: &[RelatedUnit]) -> Vec<&str> {
    units.iter().map(|u| u.unit_name.as_str()).collect()
}

/// The first unit of `units` named `name`.
fn unit<'a>(units: &'a [RelatedUnit], name: &str) -> &'a RelatedUnit {
    units.iter().find(|u| u.unit_name == name).unwrap()
}

/// The relation of `db` with id `rid`.
fn relation<'a>(db: &'a MysqlRequires, rid: &str) -> &'a EndpointRelation {
    db.relations.iter().find(|r| r.relation_id == rid).unwrap()
}

/// The relation ids of `db`, in order.
fn relation_ids(db: &MysqlRequires) -> Vec<&str> {
    db.relations
        .iter()
        .map(|r| r.relation_id.as_str())
        .collect()
}

fn rich() -> State {
    State::default()
        .with_file("metadata.yaml", META)
        .with_relation(
            Relation::new("primary", 10, "mysql")
                .with_unit("mysql/1", [("host", "h1"), ("port", "3306")])
                .with_unit("mysql/0", [("host", "h0"), ("tags", r#"["a","b"]"#)])
                .with_remote_app_data([("version", "\"8.0\"")]),
        )
        .with_relation(Relation::new("primary", 9, "other").with_unit(
            "other/0",
            [("host", "o0"), ("port", "eighty"), ("extra", "x")],
        ))
}

#[test]
fn relations_units_and_received_values() {
    let out = with_endpoint(&rich(), Hook::new("update-status"), |db| {
        // Sorted as text, as the Python framework sorts them.
        assert_eq!(relation_ids(db), ["primary:10", "primary:9"]);
        let r10 = relation(db, "primary:10");
        assert_eq!(r10.application_name()?.as_deref(), Some("mysql"));
        assert_eq!(names(&r10.joined_units()?), ["mysql/0", "mysql/1"]);
        assert_eq!(
            r10.received_app()?.get::<Value>("version")?,
            Some(json!("8.0"))
        );
        assert_eq!(r10.received_app_raw()?["version"], "\"8.0\"");

        let all = db.all_joined_units()?;
        assert_eq!(names(&all), ["mysql/0", "mysql/1", "other/0"]);
        let m0 = unit(&all, "mysql/0");
        assert_eq!(m0.application_name, "mysql");
        let data = m0.received()?;
        assert_eq!(data.get::<Value>("tags")?, Some(json!(["a", "b"])));
        assert_eq!(
            data.get::<Value>("host")?,
            Some(json!("h0")),
            "not JSON: the text"
        );
        assert_eq!(m0.received_raw()?["tags"], r#"["a","b"]"#);
        assert_eq!(data.get::<Value>("missing")?, None);
        let m1 = unit(&all, "mysql/1").received()?;
        assert_eq!(m1.get::<Value>("port")?, Some(json!(3306)));
        assert_eq!(m1.get::<u16>("port")?, Some(3306));
        assert_eq!(m1.get::<u16>("missing")?, None);
        // A string type takes any value as its text.
        assert_eq!(m1.get::<String>("port")?.as_deref(), Some("3306"));

        // Merged: the first unit in order wins, and is named for a bad value.
        let merged = all.received()?;
        assert_eq!(merged.get::<Value>("host")?, Some(json!("h0")));
        assert_eq!(merged.get::<Value>("port")?, Some(json!(3306)));
        assert_eq!(all.received_raw()?["extra"], "x");
        let bad = merged.get::<u16>("extra").unwrap_err().to_string();
        assert!(bad.contains("primary:9: unit other/0"), "{bad}");
        assert!(is_flag_set(&db.expand_name("joined")));
        Ok(())
    });
    assert_eq!(out.error_message(), None);
}

#[test]
fn a_malformed_remote_value_names_relation_unit_and_key() {
    let out = with_endpoint(&rich(), Hook::new("update-status"), |db| {
        for unit in db.all_joined_units()?.iter() {
            unit.received()?.get::<u16>("port")?;
        }
        Ok(())
    });
    let msg = out.error_message().expect("the hook must fail");
    assert!(
        msg.contains(r#"relation primary:9: unit other/0 published port="eighty": expected u16"#),
        "{msg}"
    );
    // Typed reads of whole structures work the same way.
    let out = with_endpoint(&rich(), Hook::new("update-status"), |db| {
        let data = unit(&db.all_joined_units()?, "mysql/0").received()?;
        assert_eq!(
            data.get::<Vec<String>>("tags")?,
            Some(vec!["a".into(), "b".into()])
        );
        data.get::<Vec<u8>>("tags")?;
        Ok(())
    });
    let msg = out.error_message().expect("the hook must fail");
    assert!(msg.contains("unit mysql/0 published tags="), "{msg}");
    assert!(msg.contains("expected u8"), "{msg}");
}

#[derive(serde::Serialize)]
struct Conn {
    user: String,
    port: u16,
    name: &'static str,
}

#[test]
fn to_publish_writes_python_json_and_raw_text_once_the_hook_succeeds() {
    let out = with_endpoint(&rich(), Hook::new("update-status"), |db| {
        let rel = relation(db, "primary:10");
        let conn = Conn {
            user: "app".into(),
            port: 3306,
            name: "é",
        };
        rel.to_publish().set("conn", &conn)?;
        rel.to_publish().set("ready", &true)?;
        rel.to_publish_raw().set("plain", &42)?;
        rel.to_publish_raw().set("text", "as is")?;
        rel.to_publish().set("quoted", "json")?;
        // Read back within the hook: decoded, or from the raw side as text.
        assert_eq!(rel.to_publish().get::<Value>("ready")?, Some(json!(true)));
        assert_eq!(rel.to_publish().get::<bool>("ready")?, Some(true));
        assert_eq!(
            rel.to_publish_raw().get::<String>("plain")?.as_deref(),
            Some("42")
        );
        assert_eq!(rel.to_publish_raw().get::<u16>("plain")?, Some(42));
        assert_eq!(
            rel.to_publish_raw().get::<String>("quoted")?.as_deref(),
            Some("\"json\"")
        );
        assert_eq!(
            rel.to_publish().get::<String>("quoted")?.as_deref(),
            Some("json")
        );
        rel.to_publish().remove("ready")?;
        assert_eq!(rel.to_publish().get::<Value>("ready")?, None);
        Ok(())
    });
    assert_eq!(out.error_message(), None);
    let data = &out.state.relation("primary:10").unwrap().local_unit_data;
    assert_eq!(
        data["conn"],
        r#"{"name": "\u00e9", "port": 3306, "user": "app"}"#
    );
    assert_eq!(data["plain"], "42");
    assert_eq!(data["text"], "as is");
    assert_eq!(data["quoted"], "\"json\"");
    assert!(!data.contains_key("ready"));
    assert_eq!(out.calls_to("relation-set"), 1);
}

#[test]
fn application_data_is_written_by_the_leader_only() {
    let write = |db: &MysqlRequires| {
        relation(db, "primary:9")
            .to_publish_app()
            .set("db", "main")?;
        Ok(())
    };
    let out = with_endpoint(&rich().with_leader(true), Hook::new("update-status"), write);
    assert_eq!(out.error_message(), None);
    assert_eq!(
        out.state.relation("primary:9").unwrap().local_app_data["db"],
        "\"main\""
    );
    let out = with_endpoint(&rich(), Hook::new("update-status"), write);
    let msg = out.error_message().expect("a non-leader cannot write");
    assert!(msg.contains("not the leader"), "{msg}");
}

#[test]
fn departed_units_keep_their_data_until_forgotten() {
    let s = rich();
    let out = with_endpoint(
        &s,
        Hook::relation("departed", "primary:9", Some("other/0")),
        |db| {
            // The relation left without units is gone from the list.
            assert_eq!(relation_ids(db), ["primary:10"]);
            assert!(is_flag_set(&db.expand_name("departed")));
            let departed = db.all_departed_units()?;
            assert_eq!(names(&departed), ["other/0"]);
            let gone = unit(&departed, "other/0");
            assert_eq!(gone.relation_id, "primary:9");
            assert_eq!(gone.received()?.get::<Value>("extra")?, Some(json!("x")));
            // The list's data merged, as for joined units.
            assert_eq!(departed.received_raw()?["extra"], "x");
            Ok(())
        },
    );
    assert_eq!(out.error_message(), None);
    let mut s = out.state;
    s.relations.retain(|r| r.id != 9);

    // A later hook reads them from the unit's store, and forgets them.
    let out = with_endpoint(&s, Hook::new("update-status"), |db| {
        let mut departed = db.all_departed_units()?;
        let unit = departed.remove("other/0")?.expect("still listed");
        assert_eq!(unit.received_raw()?["port"], "eighty");
        assert!(departed.is_empty());
        assert!(departed.remove("other/0")?.is_none());
        Ok(())
    });
    assert_eq!(out.error_message(), None);
    assert!(!out
        .state
        .kv
        .contains_key("reactive.endpoints.departed.primary"));
}
