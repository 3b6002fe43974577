//! A Kafka unit publishing a hostile `ingress-address` (the address a client
//! reaches a unit at, `private-address` being the fallback), end to end: the
//! client charm must not write it to its properties file (a line break
//! would add a property, a comma a broker), must warn naming the unit, and
//! must use the unit once it publishes a real address.

mod common;

use std::path::Path;

use common::{bootstrap, broker, charms, has_flag, model, properties, settle, status};

#[test]
fn a_remote_publishing_a_hostile_address_gets_into_no_file() {
    let rogue = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/charms/bad-address-kafka");
    let (_dir, mut model) = model();
    model.deploy("rogue", &rogue, 1).unwrap();
    model.deploy("app", &charms().examples.client, 1).unwrap();
    let id = model.relate("rogue", "app").unwrap();
    let mut seen = 0;
    for bad in [
        // The config's default, published by the first hooks.
        "10.0.0.1\nssl.truststore.location=/tmp/evil",
        "evil.example:1,10.0.0.1",
        "[evil.example:1,10.0.0.1]",
        "10.0.0.1 ssl.keystore.location=/tmp/evil",
    ] {
        if seen > 0 {
            model.set_config("rogue", "address", bad).unwrap();
        }
        settle(&mut model);
        assert_eq!(
            model.relation_data(id, "rogue/0").unwrap()["ingress-address"],
            bad,
            "the rogue published it"
        );
        assert!(has_flag(&mut model, "app/0", "kafka.connected"));
        assert!(!has_flag(&mut model, "app/0", "kafka.available"), "{bad:?}");
        assert_eq!(status(&model, "app/0").0, "waiting", "{bad:?}");
        assert_eq!(properties(&model, "app/0"), None, "{bad:?}");
        let warnings: Vec<String> = model
            .logs("app/0")
            .unwrap()
            .iter()
            .filter(|l| l.level == "WARNING")
            .map(|l| l.message.clone())
            .collect();
        assert!(
            warnings.len() > seen,
            "no new warning for {bad:?}: {warnings:?}"
        );
        let last = warnings.last().unwrap();
        assert!(
            last.contains("rogue/0") && last.contains(&format!("ingress-address={bad:?}")),
            "{last}"
        );
        seen = warnings.len();
    }
    assert_eq!(model.unit_error("app/0").unwrap(), None);
    assert!(model.runs_of("app/0").all(|r| r.succeeded()));

    model.set_config("rogue", "address", "10.0.0.7").unwrap();
    settle(&mut model);
    assert_eq!(status(&model, "app/0"), ("active".into(), "Ready".into()));
    assert_eq!(
        properties(&model, "app/0"),
        Some(bootstrap(&[broker(&model, id, "rogue/0", 9092)]))
    );
    assert_eq!(
        properties(&model, "app/0").as_deref(),
        Some("bootstrap.servers=10.0.0.7:9092\n")
    );
}
