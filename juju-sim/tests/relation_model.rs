//! `relation-model-get` (Juju's
//! `worker/uniter/runner/jujuc/relation-model-get.go`): the remote model's
//! UUID, which ops 3's `Relation.remote_model` reads; in the simulator's
//! one model it is the model's own.

mod common;

use common::*;

const JOINED: &str = r#"
echo "uuid=$JUJU_MODEL_UUID" >> out.log
echo "joined=$(relation-model-get --format=json)" >> out.log
echo "by-id=$(relation-model-get -r "$JUJU_RELATION_ID" --format=json)" >> out.log
relation-model-get extra 2>> out.log || echo "rc=$?" >> out.log
"#;

#[test]
fn relation_model_get_prints_the_model_uuid() {
    let (dir, mut model) = model();
    let a = probe(&dir, "a", &[("db-relation-joined", JOINED)]);
    let b = probe(&dir, "b", &[]);
    model.deploy("a", &a, 1).unwrap();
    model.deploy("b", &b, 1).unwrap();
    model.relate("a:db", "b:backend").unwrap();
    model.settle().unwrap();
    let log = unit_file(&model, "a/0", "out.log");
    let uuid = log
        .lines()
        .find_map(|l| l.strip_prefix("uuid="))
        .filter(|u| !u.is_empty())
        .expect("JUJU_MODEL_UUID");
    assert!(
        log.contains(&format!("joined={{\"uuid\":\"{uuid}\"}}")),
        "{log}"
    );
    assert!(
        log.contains(&format!("by-id={{\"uuid\":\"{uuid}\"}}")),
        "{log}"
    );
    assert!(log.contains("rc=2"), "{log}");
}
