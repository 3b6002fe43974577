//! `config.yaml` rules and config values, copied from juju/charm
//! `config.go` (`ReadConfig`, `optionTypeCheckers`, `secretC`,
//! `Option.parse`, `ValidateSettings`) and the juju/schema checkers it uses.

use juju_charm::{Config, Error, OptionType, Problem, ValueError};
use serde_json::{json, Value};

fn config(text: &str) -> Config {
    Config::parse(text, "config.yaml").unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn refused(text: &str) -> (String, Problem) {
    match Config::parse(text, "config.yaml").expect_err(text) {
        Error::Invalid { item, problem, .. } => (item, problem),
        other => panic!("{text}: {other}"),
    }
}

fn default_of(kind: &str, default: &str) -> Option<Value> {
    let text = format!("options:\n  o:\n    type: {kind}\n    default: {default}\n");
    config(&text).options["o"].default.clone()
}

#[test]
fn exactly_jujus_five_types_config_go_read_config() {
    let c = config(
        "options:\n  a: {type: string}\n  b: {type: int}\n  c: {type: float}\n  d: {type: boolean}\n  \
         e: {type: secret}\n  f: {description: no type}\n",
    );
    let kinds: Vec<OptionType> = c.options.values().map(|o| o.kind).collect();
    use OptionType::*;
    assert_eq!(kinds, [String, Int, Float, Boolean, Secret, String]);
    for bad in ["integer", "bool", "number", "str"] {
        let (item, p) = refused(&format!("options:\n  o: {{type: {bad}}}\n"));
        assert_eq!(item, "options.o.type");
        assert_eq!(p, Problem::UnknownOptionType(bad.into()));
    }
}

#[test]
fn defaults_are_checked_and_coerced_config_go_validate() {
    assert_eq!(default_of("int", "8080"), Some(json!(8080)));
    // schema.Int takes an integer in a string; schema.Float takes an int.
    assert_eq!(default_of("int", "\"42\""), Some(json!(42)));
    assert_eq!(default_of("float", "1"), Some(json!(1.0)));
    assert_eq!(default_of("boolean", "\"true\""), Some(json!(true)));
    assert_eq!(default_of("string", "\"\""), Some(json!("")));
    assert_eq!(
        default_of("secret", "secret:cu1234"),
        Some(json!("secret:cu1234"))
    );
    assert_eq!(default_of("int", "null"), None);
    for (kind, bad) in [
        ("int", "1.5"),
        ("int", "eighty"),
        ("float", "\"1.5\""),
        ("boolean", "yes"),
        ("string", "42"),
        ("secret", "https://example.com"),
        ("int", "\"\""),
    ] {
        let text = format!("options:\n  o:\n    type: {kind}\n    default: {bad}\n");
        let (item, p) = refused(&text);
        assert_eq!(item, "options.o.default", "{kind} {bad}");
        assert!(
            matches!(p, Problem::BadValue(ValueError::WrongType { ref option, .. }) if option == "o"),
            "{kind} {bad}: {p}"
        );
    }
}

#[test]
fn an_empty_file_or_no_options_is_refused_config_go_read_config() {
    assert_eq!(refused("").0, "options");
    assert_eq!(refused("settings: {}\n").0, "options");
    assert!(config("options:\n").options.is_empty());
}

#[test]
fn values_are_validated_against_declared_types_config_go_validate_settings() {
    let c =
        config("options:\n  port: {type: int}\n  ratio: {type: float}\n  name: {type: string}\n");
    let ok = json!({"port": 80, "ratio": 2, "name": "x", "port2": null});
    let err = c.validate(ok.as_object().unwrap()).unwrap_err();
    assert_eq!(
        err,
        ValueError::UnknownOption {
            option: "port2".into()
        }
    );
    let ok = json!({"port": "80", "ratio": 2, "name": "x"});
    let out = c.validate(ok.as_object().unwrap()).unwrap();
    assert_eq!(
        Value::Object(out),
        json!({"port": 80, "ratio": 2.0, "name": "x"})
    );
    let bad = json!({"port": 80.5});
    let err = c.validate(bad.as_object().unwrap()).unwrap_err();
    assert_eq!(err.to_string(), "option \"port\" expected int, got 80.5");
    let bad = json!({"name": 3});
    assert!(c.validate(bad.as_object().unwrap()).is_err());
}

#[test]
fn text_values_parse_as_go_does_config_go_option_parse() {
    let c = config("options:\n  port: {type: int}\n  on: {type: boolean}\n  r: {type: float}\n  s: {type: secret}\n");
    assert_eq!(c.parse_text("port", "8080"), Ok(json!(8080)));
    assert!(c.parse_text("port", " 8080").is_err());
    assert!(c.parse_text("port", "0x10").is_err());
    assert_eq!(c.parse_text("on", "T"), Ok(json!(true)));
    assert!(c.parse_text("on", "yes").is_err());
    assert_eq!(c.parse_text("r", "2.5"), Ok(json!(2.5)));
    assert_eq!(c.parse_text("s", "secret:x"), Ok(json!("secret:x")));
    assert!(matches!(
        c.parse_text("nope", "1"),
        Err(ValueError::UnknownOption { .. })
    ));
}

#[test]
fn a_scalar_description_is_text_config_go_option_yaml_v2() {
    let c = config("options:\n  a: {description: 5}\n  b: {description: true}\n");
    assert_eq!(
        (
            c.options["a"].description.as_str(),
            c.options["b"].description.as_str()
        ),
        ("5", "true")
    );
    assert_eq!(
        refused("options:\n  a: {description: [x]}\n").0,
        "options.a.description"
    );
}

#[test]
fn defaults_lists_every_option_config_go_default_settings() {
    let c = config("options:\n  a: {type: int, default: 1}\n  b: {type: string}\n");
    assert_eq!(Value::Object(c.defaults()), json!({"a": 1, "b": null}));
}
