//! `actions.yaml` rules and action parameters, copied from juju/charm
//! `actions.go` (`actionNameRule`, `ReadActionsYaml`, `cleanse`,
//! `ValidateParams`, `InsertDefaults`); the schema checks follow JSON
//! Schema draft 4 as Juju's `gojsonschema` applies it.

use juju_charm::{is_valid_action_name, Actions, Error, Problem};
use serde_json::{json, Map, Value};

fn actions(text: &str) -> Actions {
    Actions::parse(text, "actions.yaml", "app").unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn refused(text: &str) -> (String, Problem) {
    match Actions::parse(text, "actions.yaml", "app").expect_err(text) {
        Error::Invalid { item, problem, .. } => (item, problem),
        other => panic!("{text}: {other}"),
    }
}

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

#[test]
fn action_names_follow_jujus_rule_actions_go_action_name_rule() {
    for good in ["backup", "run-2", "a", "0", "x-y-z", "restart"] {
        assert!(is_valid_action_name(good), "{good}");
    }
    for bad in [
        "",
        "-x",
        "x-",
        "Backup",
        "snake_case",
        "dot.ted",
        "sp ace",
        "ü",
    ] {
        assert!(!is_valid_action_name(bad), "{bad}");
    }
    let (item, p) = refused("Backup:\n  description: x\n");
    assert_eq!(
        (item.as_str(), p),
        ("Backup", Problem::BadActionName("Backup".into()))
    );
    let (item, p) = refused("juju-run: {}\n");
    assert_eq!(item, "juju-run");
    assert!(matches!(p, Problem::Reserved { .. }), "{p}");
}

#[test]
fn each_action_becomes_an_object_schema_actions_go_read_actions_yaml() {
    let a = actions(
        "snapshot:\n  description: Take one.\n  params:\n    outfile: {type: string, default: out.tar}\n  \
         required: [outfile]\n  additionalProperties: false\n  parallel: true\n  execution-group: disk\n\
         stop:\n",
    );
    let s = a.get("snapshot").unwrap();
    assert_eq!(
        (
            s.description.as_str(),
            s.parallel,
            s.execution_group.as_str()
        ),
        ("Take one.", true, "disk")
    );
    assert_eq!(
        s.params,
        json!({
            "description": "Take one.", "type": "object", "title": "snapshot",
            "properties": {"outfile": {"type": "string", "default": "out.tar"}},
            "required": ["outfile"], "additionalProperties": false,
        })
    );
    let stop = a.get("stop").unwrap();
    assert_eq!(stop.description, "No description");
    assert_eq!(stop.params["properties"], json!({}));
    assert!(actions("").specs.is_empty());
}

#[test]
fn schema_keys_juju_refuses_actions_go_cleanse() {
    let (item, p) = refused("a:\n  params:\n    x: {$ref: '#/x'}\n");
    assert_eq!(
        (item.as_str(), p),
        (
            "a.params.x.$ref",
            Problem::ProhibitedSchemaKey("$ref".into())
        )
    );
    let (item, _) = refused("a:\n  params:\n    x:\n      items: [{$schema: s}]\n");
    assert_eq!(item, "a.params.x.items.0.$schema");
    // Only inside a key's value: Juju checks the maps it cleanses, not the
    // action's own top-level keys.
    actions("a:\n  $schema: http://json-schema.org/draft-04/schema#\n");
    let (item, _) = refused("a:\n  params: [x]\n");
    assert_eq!(item, "a.params");
    let (item, _) = refused("a:\n  parallel: \"yes\"\n");
    assert_eq!(item, "a.parallel");
    let (item, _) = refused("a:\n  description: 3\n");
    assert_eq!(item, "a.description");
    let (item, p) = refused("a:\n  params:\n    x: {type: text}\n");
    assert_eq!(item, "a");
    assert!(
        matches!(p, Problem::Invalid(ref m) if m.contains("invalid params schema")),
        "{p}"
    );
}

#[test]
fn params_are_checked_against_the_schema_actions_go_validate_params() {
    let a = actions(
        "run:\n  params:\n    count: {type: integer, minimum: 1}\n    ratio: {type: number}\n    \
         mode: {type: string, enum: [fast, slow]}\n    tags: {type: array, items: {type: string}}\n  \
         required: [count]\n  additionalProperties: false\n",
    );
    let run = a.get("run").unwrap();
    assert!(run
        .validate_params(&obj(
            json!({"count": 3, "ratio": 2, "mode": "fast", "tags": ["a"]})
        ))
        .is_ok());
    // 3.0 is an integer to draft 4.
    assert!(run.validate_params(&obj(json!({"count": 3.0}))).is_ok());
    let cases = [
        (json!({}), "count is required"),
        (
            json!({"count": "3"}),
            "(root).count : Invalid type. Expected: integer",
        ),
        (
            json!({"count": 1.5}),
            "(root).count : Invalid type. Expected: integer",
        ),
        (json!({"count": 0}), "below the minimum"),
        (json!({"count": 1, "mode": "medium"}), "is not one of"),
        (
            json!({"count": 1, "tags": [1]}),
            "(root).tags.0 : Invalid type. Expected: string",
        ),
        (
            json!({"count": 1, "extra": true}),
            "Additional property extra is not allowed",
        ),
    ];
    for (params, want) in cases {
        let err = run.validate_params(&obj(params.clone())).unwrap_err();
        assert!(err.to_string().contains(want), "{params}: {err}");
    }
    // ReadActionsYaml sets additionalProperties: false unless the action
    // says otherwise.
    let closed = actions("a:\n  params:\n    x: {type: string}\n");
    let err = closed
        .get("a")
        .unwrap()
        .validate_params(&obj(json!({"y": 1})))
        .unwrap_err();
    assert!(err.to_string().contains("Additional property y"), "{err}");
    let open = actions("a:\n  additionalProperties: true\n  params:\n    x: {type: string}\n");
    assert!(open
        .get("a")
        .unwrap()
        .validate_params(&obj(json!({"y": 1})))
        .is_ok());
}

#[test]
fn defaults_fill_missing_params_actions_go_insert_defaults() {
    let a = actions(
        "greet:\n  params:\n    who: {type: string, default: world}\n    times: {type: integer}\n",
    );
    let g = a.get("greet").unwrap();
    assert_eq!(Value::Object(g.defaults()), json!({"who": "world"}));
    assert_eq!(
        Value::Object(g.with_defaults(&obj(json!({"times": 2})))),
        json!({"who": "world", "times": 2})
    );
    assert_eq!(
        Value::Object(g.with_defaults(&obj(json!({"who": "you"})))),
        json!({"who": "you"})
    );
}
