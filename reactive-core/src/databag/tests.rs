use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::*;

fn settings(items: &[(&str, &str)]) -> Settings {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Tls {
    Enabled,
    Disabled,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Offer {
    endpoints: String,
    port: u16,
    tls: Option<Tls>,
    verbose: bool,
    requested_secrets: Vec<String>,
    data: Option<BTreeMap<String, String>>,
}

#[test]
fn settings_load_as_the_raw_text() {
    let s = settings(&[
        ("port", "9092"),
        ("requested-secrets", r#"["username"]"#),
        ("verbose", "true"),
        ("empty", ""),
    ]);
    let raw: Settings = bag().decode(&s).expect("decodes");
    assert_eq!(raw, s);
}

fn bag() -> Databag {
    Databag::unit("kafka:3", "kafka/0")
}

#[test]
fn fields_decode_from_text_and_from_json_inside_strings() {
    let s = settings(&[
        ("endpoints", "10.0.0.1:9092"),
        ("port", "9092"),
        ("tls", "enabled"),
        ("verbose", "true"),
        ("requested-secrets", r#"["username","password"]"#),
        ("data", r#"{"topic":"t"}"#),
        ("unrelated", "ignored"),
    ]);
    let offer: Offer = bag().decode(&s).expect("decodes");
    assert_eq!(offer.port, 9092);
    assert_eq!(offer.tls, Some(Tls::Enabled));
    assert!(offer.verbose);
    assert_eq!(offer.requested_secrets, ["username", "password"]);
    assert_eq!(offer.data.unwrap()["topic"], "t");
}

#[test]
fn a_bad_value_names_the_field_relation_and_unit() {
    let s = settings(&[
        ("endpoints", "e"),
        ("port", "99999"),
        ("verbose", "false"),
        ("requested-secrets", "[]"),
    ]);
    let e = bag().decode::<Offer>(&s).unwrap_err();
    let text = e.to_string();
    assert!(
        matches!(&e, DataError::Field { field, .. } if field == "port"),
        "{e:?}"
    );
    assert!(
        text.starts_with(
            "relation kafka:3, unit kafka/0: field `port` expected u16, found \"99999\""
        ),
        "{text}"
    );
    let bad_json = settings(&[
        ("endpoints", "e"),
        ("port", "1"),
        ("verbose", "false"),
        ("requested-secrets", "[\"a\""),
    ]);
    let text = bag().decode::<Offer>(&bad_json).unwrap_err().to_string();
    assert!(
        text.contains("field `requested-secrets` holds no JSON"),
        "{text}"
    );
}

#[test]
fn a_missing_field_is_named() {
    let e = Databag::app("kafka:3", "kafka")
        .decode::<Offer>(&settings(&[("port", "1")]))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "relation kafka:3, application kafka: missing field `endpoints`"
    );
}

#[test]
fn a_string_field_keeps_json_looking_text_as_it_is() {
    #[derive(Deserialize)]
    struct Raw {
        requested: String,
    }
    let raw: Raw = bag()
        .decode(&settings(&[("requested", "[1,2]")]))
        .expect("decodes");
    assert_eq!(raw.requested, "[1,2]");
}

#[test]
fn encoding_writes_strings_as_they_are_json_otherwise_and_none_deletes() {
    let offer = Offer {
        endpoints: "h:1".into(),
        port: 1,
        tls: None,
        verbose: false,
        requested_secrets: vec!["tls".into()],
        data: None,
    };
    let s = bag().encode(&offer).expect("encodes");
    assert_eq!(s["endpoints"], "h:1");
    assert_eq!(s["port"], "1");
    assert_eq!(s["tls"], "");
    assert_eq!(s["requested-secrets"], r#"["tls"]"#);
    let back: Offer = bag()
        .decode(&s.into_iter().filter(|(_, v)| !v.is_empty()).collect())
        .expect("round trip");
    assert_eq!(back, offer);
}
