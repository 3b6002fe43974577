//! Secrets: the `secret-*` tools (flags, outputs and errors as Juju's
//! `worker/uniter/runner/jujuc/secret-{add,get,set,grant,revoke,remove,ids,info-get}.go`
//! define them) and the hooks that follow their changes (`secret-changed`,
//! `secret-remove`, `secret-rotate`, `secret-expired`).

mod common;

use common::*;

fn value(model: &juju_sim::Model, unit: &str, key: &str) -> String {
    let text = unit_file(model, unit, "out.log");
    let prefix = format!("{key}=");
    text.lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .next_back()
        .unwrap_or_else(|| panic!("{unit} wrote no {key}; out.log: {text}"))
        .to_string()
}

/// The owner adds a secret and grants it over the relation it shares.
const OWNER_JOINED: &str = r#"
uri=$(secret-add --label creds --description "db password" password=one)
echo "uri=$uri" >> out.log
secret-grant "$uri" -r "$JUJU_RELATION_ID"
relation-set secret-id="$uri"
"#;

const CONSUMER_CHANGED: &str = r#"
id=$(relation-get secret-id)
[ -n "$id" ] || exit 0
echo "got=$(secret-get "$id" password --label mine)" >> out.log
"#;

const CONSUMER_SECRET_CHANGED: &str = r#"
echo "label=$JUJU_SECRET_LABEL" >> out.log
echo "peek=$(secret-get --label mine --peek)" >> out.log
echo "tracked=$(secret-get "$JUJU_SECRET_ID" password)" >> out.log
echo "refreshed=$(secret-get "$JUJU_SECRET_ID" password --refresh)" >> out.log
echo "after=$(secret-get "$JUJU_SECRET_ID" password)" >> out.log
"#;

const OWNER_ROTATE: &str = r#"
echo "rotate=$JUJU_SECRET_ID|$JUJU_SECRET_LABEL" >> out.log
secret-set "$JUJU_SECRET_ID" password=two
"#;

const OWNER_REMOVE: &str = r#"
echo "remove=$JUJU_SECRET_LABEL|$JUJU_SECRET_REVISION" >> out.log
secret-remove "$JUJU_SECRET_ID" --revision "$JUJU_SECRET_REVISION"
"#;

#[test]
fn a_new_revision_reaches_a_consumer_as_secret_changed_and_is_read_with_refresh() {
    let (dir, mut model) = model();
    let a = probe(
        &dir,
        "a",
        &[
            ("db-relation-joined", OWNER_JOINED),
            ("secret-rotate", OWNER_ROTATE),
            ("secret-remove", OWNER_REMOVE),
        ],
    );
    let b = probe(
        &dir,
        "b",
        &[
            ("backend-relation-changed", CONSUMER_CHANGED),
            ("secret-changed", CONSUMER_SECRET_CHANGED),
        ],
    );
    model.deploy("a", &a, 1).unwrap();
    model.deploy("b", &b, 1).unwrap();
    model.settle().unwrap();
    let id = model.relate("a:db", "b:backend").unwrap();
    model.settle().unwrap();
    let uri = value(&model, "a/0", "uri");
    assert!(uri.starts_with("secret:") && uri.len() == 27, "{uri}");
    assert_eq!(value(&model, "b/0", "got"), "one");

    // Rotation asks the owner; its new revision reaches the consumer.
    model.secret_rotate("creds").unwrap();
    model.settle().unwrap();
    assert_eq!(value(&model, "a/0", "rotate"), format!("{uri}|creds"));
    assert_eq!(value(&model, "b/0", "label"), "mine", "consumer label");
    assert_eq!(value(&model, "b/0", "peek"), "password: two");
    assert_eq!(value(&model, "b/0", "tracked"), "one", "until --refresh");
    assert_eq!(value(&model, "b/0", "refreshed"), "two");
    assert_eq!(value(&model, "b/0", "after"), "two");
    // Nobody tracks revision 1 any more: the owner is told, and removes it.
    assert_eq!(value(&model, "a/0", "remove"), "creds|1");
    let secret = &model.secrets().secrets[&uri["secret:".len()..]];
    assert_eq!(secret.revisions.keys().copied().collect::<Vec<_>>(), [2]);
    assert_eq!(secret.description, "db password");
    assert_eq!(
        hooks(&model, "b/0")
            .iter()
            .filter(|h| *h == "secret-changed")
            .count(),
        1
    );

    // The grant goes with the relation.
    model.remove_relation(id).unwrap();
    model.settle().unwrap();
    let secret = &model.secrets().secrets[&uri["secret:".len()..]];
    assert!(secret.grants.is_empty());
}

const TOOL_FORMS: &str = r#"
run() { out=$("$@" 2>&1) && rc=0 || rc=$?; echo "$*|$rc|${out//$'\n'/;}" >> forms.log; }
uri=$(secret-add --owner unit --label mine --rotate daily token=abc key#base64=AA==)
echo "${uri#secret:}" > forms.log
run secret-ids
run secret-info-get --label mine --format json
run secret-info-get "$uri" --label mine
run secret-get "$uri"
run secret-get "$uri" key#base64
run secret-get "$uri" --peek --refresh
run secret-get secret:nope
run secret-add
run secret-add Bad=1
run secret-add --rotate sometimes token=x
run secret-add token=x
run secret-set "$uri" --rotate weekly
run secret-info-get "$uri" --format json
run secret-grant "$uri"
run secret-revoke "$uri"
"#;

/// Flags, outputs and errors of the tools, as `secret-add.go`,
/// `secret-get.go`, `secret-ids.go`, `secret-info-get.go`,
/// `secret-grant.go` and `secret-revoke.go` define them.
#[test]
fn tool_forms_outputs_and_errors() {
    let (dir, mut model) = model();
    let a = probe(&dir, "a", &[("start", TOOL_FORMS)]);
    model.deploy("a", &a, 2).unwrap();
    model.settle().unwrap();
    // a/1 is a follower: it may own a unit secret, not add an application one.
    let log = unit_file(&model, "a/1", "forms.log");
    let lines: Vec<&str> = log.lines().collect();
    let id = &lines[0].rsplit('|').next().unwrap().to_string();
    assert_eq!(id.len(), 20, "{log}");
    // The application's secret (a/0, the leader, added one) is listed too.
    let ids = lines[1].strip_prefix("secret-ids|0|").unwrap();
    assert_eq!(ids.split(';').filter(|i| i == id).count(), 1, "{log}");
    assert_eq!(ids.split(';').count(), 2, "{log}");
    let expect = [
        format!(
            "secret-info-get --label mine --format json|0|{{\"{id}\":{{\"label\":\"mine\",\"owner\":\"unit\",\"revision\":1,\"rotation\":\"daily\"}}}}"
        ),
        format!("secret-info-get secret:{id} --label mine|2|ERROR specify either a secret URI or label but not both"),
        format!("secret-get secret:{id}|0|key: \"\\0\";token: abc"),
        format!("secret-get secret:{id} key#base64|0|AA=="),
        format!("secret-get secret:{id} --peek --refresh|2|ERROR specify one of --peek or --refresh but not both"),
        "secret-get secret:nope|2|ERROR secret URI \"secret:nope\" not valid".to_string(),
        "secret-add|2|ERROR missing secret value or filename".to_string(),
        "secret-add Bad=1|2|ERROR key \"Bad\" not valid".to_string(),
        "secret-add --rotate sometimes token=x|2|ERROR rotate policy \"sometimes\" not valid".to_string(),
        "secret-add token=x|1|ERROR this unit is not the leader".to_string(),
        format!("secret-set secret:{id} --rotate weekly|0|"),
        format!(
            "secret-info-get secret:{id} --format json|0|{{\"{id}\":{{\"label\":\"mine\",\"owner\":\"unit\",\"revision\":1,\"rotation\":\"weekly\"}}}}"
        ),
        format!("secret-grant secret:{id}|2|ERROR no relation id specified"),
        format!("secret-revoke secret:{id}|2|ERROR missing relation or application or unit"),
    ];
    assert_eq!(
        lines[2..],
        expect.iter().map(String::as_str).collect::<Vec<_>>(),
        "{log}"
    );
}

/// `juju-sim secrets`, `show-secret` and `rotate-secret` over a persisted
/// model (the secrets live in `model.json` with the rest).
#[test]
fn the_command_line_lists_shows_and_rotates_persisted_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let charm = probe(
        &dir,
        "a",
        &[
            ("leader-elected", "secret-add --label creds password=s3cret"),
            (
                "secret-rotate",
                "secret-set \"$JUJU_SECRET_ID\" password=n3w",
            ),
        ],
    );
    let model = dir.path().join("model");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_juju-sim"))
            .arg("--model")
            .arg(&model)
            .args(args)
            .env("JUJU_SIM_TOOL", env!("CARGO_BIN_EXE_juju-sim-tool"))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{args:?}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    };
    run(&["deploy", charm.to_str().unwrap(), "a"]);
    let listed = run(&["secrets"]);
    assert!(listed.starts_with("ID "), "{listed}");
    assert!(
        listed.contains("creds") && listed.contains("a (application)"),
        "{listed}"
    );
    let shown = run(&["show-secret", "creds", "--reveal"]);
    assert!(
        shown.contains("password: s3cret") && shown.contains("revision: 1"),
        "{shown}"
    );
    let rotated = run(&["rotate-secret", "creds"]);
    assert!(rotated.contains("secret-rotate"), "{rotated}");
    let shown = run(&["show-secret", "creds", "--reveal"]);
    assert!(
        shown.contains("password: n3w") && shown.contains("revision: 2"),
        "{shown}"
    );
    let old = run(&["show-secret", "creds", "--reveal", "--revision", "1"]);
    assert!(old.contains("password: s3cret"), "{old}");
}
