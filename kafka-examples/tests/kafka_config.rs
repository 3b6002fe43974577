//! An invalid `source_port` blocks the provider without failing a hook;
//! fixing it recovers.

mod common;

use common::{bootstrap, broker, charms, has_flag, model, ports, properties, settle, status};

fn st(s: &str, m: &str) -> (String, String) {
    (s.to_string(), m.to_string())
}

#[test]
fn an_invalid_port_blocks_until_it_is_fixed() {
    let c = &charms().examples;
    let (_dir, mut model) = model();
    model.deploy("kafka", &c.provider, 1).unwrap();
    model.deploy("app", &c.client, 1).unwrap();
    let id = model.relate("kafka", "app").unwrap();
    settle(&mut model);
    let served = bootstrap(&[broker(&model, id, "kafka/0", 9092)]);

    for bad in ["0", "70000"] {
        model.set_config("kafka", "source_port", bad).unwrap();
        // `settle` fails the test if any hook failed.
        let runs = settle(&mut model);
        assert!(runs
            .iter()
            .any(|r| r.unit == "kafka/0" && r.hook == "config-changed"));
        assert_eq!(
            status(&model, "kafka/0"),
            st("blocked", &format!("Invalid source_port: {bad}"))
        );
        assert!(!has_flag(&mut model, "kafka/0", "kafka-provider.port-ok"));
        // Nothing bad is published or opened; clients keep the last port.
        assert_eq!(model.relation_data(id, "kafka/0").unwrap()["port"], "9092");
        assert_eq!(ports(&model, "kafka/0"), ["9092/tcp"]);
        assert_eq!(properties(&model, "app/0").as_deref(), Some(&*served));
        assert_eq!(status(&model, "app/0"), st("active", "Ready"));
        // Later hooks leave it blocked.
        model.update_status();
        settle(&mut model);
        assert_eq!(status(&model, "kafka/0").0, "blocked");
    }

    model.set_config("kafka", "source_port", "9094").unwrap();
    settle(&mut model);
    assert_eq!(status(&model, "kafka/0"), st("active", "Ready: 1 clients"));
    assert_eq!(model.relation_data(id, "kafka/0").unwrap()["port"], "9094");
    assert_eq!(ports(&model, "kafka/0"), ["9094/tcp"]);
    assert_eq!(
        properties(&model, "app/0"),
        Some(bootstrap(&[broker(&model, id, "kafka/0", 9094)]))
    );
}

#[test]
fn a_provider_deployed_with_an_invalid_port_publishes_nothing() {
    let c = &charms().examples;
    let (_dir, mut model) = model();
    model
        .deploy_with_config("kafka", &c.provider, 1, &[("source_port", "0")])
        .unwrap();
    model.deploy("app", &c.client, 1).unwrap();
    let id = model.relate("kafka", "app").unwrap();
    settle(&mut model);
    assert_eq!(
        status(&model, "kafka/0"),
        st("blocked", "Invalid source_port: 0")
    );
    assert!(!model
        .relation_data(id, "kafka/0")
        .unwrap()
        .contains_key("port"));
    assert!(ports(&model, "kafka/0").is_empty());
    assert_eq!(
        status(&model, "app/0"),
        st("waiting", "Waiting for availability of Kafka")
    );

    model.set_config("kafka", "source_port", "9092").unwrap();
    settle(&mut model);
    assert_eq!(status(&model, "kafka/0"), st("active", "Ready: 1 clients"));
    assert_eq!(status(&model, "app/0"), st("active", "Ready"));
    assert_eq!(
        properties(&model, "app/0"),
        Some(bootstrap(&[broker(&model, id, "kafka/0", 9092)]))
    );
}
