//! Unit tests of the automatic flags.
use super::*;
use serde_json::json;

#[test]
fn truthiness_is_pythons() {
    for v in [
        json!(null),
        json!(false),
        json!(0),
        json!(0.0),
        json!(""),
        json!([]),
    ] {
        assert!(!truthy(Some(&v)), "{v} should be falsy");
    }
    for v in [json!(true), json!(1), json!(-2.5), json!("x"), json!(["a"])] {
        assert!(truthy(Some(&v)), "{v} should be truthy");
    }
    assert!(!truthy(None));
}

#[test]
fn numbers_compare_by_value() {
    assert!(same(Some(&json!(1)), Some(&json!(1.0))));
    assert!(!same(Some(&json!(1)), Some(&json!("1"))));
    assert!(same(None, None));
}

#[test]
fn config_yaml_defaults() {
    let d = ConfigDefaults::parse(
        "options:\n  port:\n    type: int\n    default: 9092\n  name:\n    type: string\n    description: no default\n  empty:\n    type: string\n    default: ''\n",
        Path::new("config.yaml"),
    )
    .unwrap();
    assert_eq!(d.0["port"], Some(json!(9092)));
    assert_eq!(d.0["name"], None);
    assert_eq!(d.0["empty"], Some(json!("")));
    let err = ConfigDefaults::parse("options: [", Path::new("/c/config.yaml")).unwrap_err();
    assert!(err.to_string().starts_with("/c/config.yaml: "), "{err}");
}
