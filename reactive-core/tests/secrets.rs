//! Secrets through `hookenv` on the in-memory tools: the owner adds,
//! grants and revises; a consumer reads the revision it tracks until it
//! refreshes (Juju's `worker/uniter/runner/jujuc/secret-get.go`: `--peek`
//! reads the latest without tracking it); only the leader changes an
//! application's secret; content never reaches a command line.

use reactive_core::hookenv::{self, SecretOptions, SecretOwner, SecretRead, SecretRef};
use reactive_core::testing::{Hook, Relation, Secret, State};
use reactive_core::{HandlerDef, Predicate};

const URI: &str = "secret:cqe5hs8pq8r4iaj2ntag";

fn on(hook: &str, f: fn() -> Result<(), reactive_core::Error>) -> Vec<HandlerDef> {
    vec![HandlerDef::new(
        "charm.rs",
        1,
        "handler",
        vec![Predicate::Hook(vec![hook.to_string()])],
        move |_| f(),
    )]
}

const METADATA: &str = "name: db\nprovides:\n  db: {interface: pgsql}\n";

fn relation() -> Relation {
    Relation::new("db", 4, "client").with_unit("client/0", [("x", "1")])
}

#[test]
fn the_leader_adds_a_secret_grants_it_and_publishes_its_uri() {
    let handlers = on("db-relation-joined", || {
        let uri = hookenv::secret_add(
            [("username", "app"), ("password", "s3cret")],
            &SecretOptions {
                label: Some("creds".into()),
                ..SecretOptions::default()
            },
        )?;
        hookenv::secret_grant(&uri, None, None)?;
        hookenv::relation_set(None, [("secret-user", &uri)])?;
        let info = hookenv::secret_info_get(SecretRef::Label("creds"))?;
        assert_eq!((info.revision, info.owner), (1, SecretOwner::Application));
        assert_eq!(hookenv::secret_ids()?, [uri]);
        Ok(())
    });
    let out = State::default()
        .with_leader(true)
        .with_file("metadata.yaml", METADATA)
        .with_relation(relation())
        .run_handlers(handlers, Hook::relation("joined", "db:4", Some("client/0")));
    assert_eq!(out.error_message(), None);
    let uri = &out.state.relation("db:4").unwrap().local_unit_data["secret-user"];
    let secret = out.state.secret(uri).expect("the secret is in the state");
    assert_eq!(secret.label.as_deref(), Some("creds"));
    assert_eq!(secret.content().unwrap()["password"], "s3cret");
    assert!(secret.grants["db:4"].is_empty(), "granted to the whole app");
    // The content went to files: no command line holds it.
    let add = out
        .tool_calls
        .iter()
        .find(|c| c.tool == "secret-add")
        .unwrap();
    assert_eq!(
        add.to_string(),
        "secret-add --label creds password#file=… username#file=…"
    );
}

#[test]
fn a_follower_cannot_add_an_application_secret_but_can_add_its_own() {
    let handlers = on("install", || {
        hookenv::secret_add([("token", "t")], &SecretOptions::default())?;
        Ok(())
    });
    let out = State::default().run_handlers(handlers, Hook::new("install"));
    let message = out.error_message().expect("refused");
    assert!(
        message.contains("secret-add") && message.contains("not the leader"),
        "{message}"
    );

    let handlers = on("install", || {
        let options = SecretOptions {
            owner: Some(SecretOwner::Unit),
            ..SecretOptions::default()
        };
        hookenv::secret_add([("token", "t")], &options)?;
        Ok(())
    });
    let out = State::default().run_handlers(handlers, Hook::new("install"));
    assert_eq!(out.error_message(), None);
    assert_eq!(out.state.secrets[0].owner, Some(SecretOwner::Unit));
}

#[test]
fn a_bad_key_is_refused_before_any_tool_runs() {
    let handlers = on("install", || {
        hookenv::secret_add([("PW", "x")], &SecretOptions::default())?;
        Ok(())
    });
    let out = State::default()
        .with_leader(true)
        .run_handlers(handlers, Hook::new("install"));
    let message = out.error_message().expect("refused");
    assert!(message.contains("secret key \"PW\" not valid"), "{message}");
    assert_eq!(out.calls_to("secret-add"), 0);
}

#[test]
fn a_consumer_tracks_its_revision_until_it_refreshes() {
    let handlers = on("secret-changed", || {
        let uri = hookenv::secret_event().expect("secret hook").uri;
        let s = SecretRef::UriLabelled(&uri, "mine");
        let tracked = hookenv::secret_get(s, SecretRead::Tracked)?;
        let peeked = hookenv::secret_get(SecretRef::Label("mine"), SecretRead::Peek)?;
        let still = hookenv::secret_get(SecretRef::Uri(&uri), SecretRead::Tracked)?;
        let refreshed = hookenv::secret_get(SecretRef::Uri(&uri), SecretRead::Refresh)?;
        let after = hookenv::secret_get(SecretRef::Uri(&uri), SecretRead::Tracked)?;
        let seen: Vec<&str> = [&tracked, &peeked, &still, &refreshed, &after]
            .iter()
            .map(|c| c["password"].as_str())
            .collect();
        hookenv::log(seen.join(" "));
        Ok(())
    });
    let secret = Secret {
        owner: None,
        tracked: Some(1),
        ..Secret::new(URI, [("password", "one")]).with_revision([("password", "two")])
    };
    let out = State {
        secrets: vec![secret],
        ..State::default()
    }
    .run_handlers(handlers, Hook::secret("secret-changed", URI, None));
    assert_eq!(out.error_message(), None);
    assert!(
        out.logs
            .iter()
            .any(|(_, l)| l.contains("one two one two two")),
        "{:?}",
        out.logs
    );
    let after = out.state.secret(URI).unwrap();
    assert_eq!(
        (after.tracked, after.label.as_deref()),
        (Some(2), Some("mine"))
    );
}

#[test]
fn the_owner_publishes_a_revision_and_removes_an_old_one() {
    let handlers = on("secret-rotate", || {
        let event = hookenv::secret_event().expect("secret hook");
        hookenv::secret_set(&event.uri, [("password", "two")], &SecretOptions::default())?;
        hookenv::secret_remove(&event.uri, Some(1))?;
        Ok(())
    });
    let secret = Secret {
        label: Some("creds".into()),
        ..Secret::new(URI, [("password", "one")])
    };
    let out = State {
        leader: true,
        secrets: vec![secret],
        ..State::default()
    }
    .run_handlers(handlers, Hook::secret("secret-rotate", URI, Some("creds")));
    assert_eq!(out.error_message(), None);
    let s = out.state.secret(URI).unwrap();
    assert_eq!(s.revisions.keys().copied().collect::<Vec<_>>(), [2]);
    assert_eq!(s.content().unwrap()["password"], "two");
}

#[test]
fn a_failed_hook_leaves_no_secret_behind() {
    let handlers = on("install", || {
        hookenv::secret_add([("token", "t")], &SecretOptions::default())?;
        Err(hookenv::HookError::InvalidArgument {
            api: "test",
            reason: "boom".into(),
        }
        .into())
    });
    let out = State::default()
        .with_leader(true)
        .run_handlers(handlers, Hook::new("install"));
    assert!(out.error.is_some());
    assert!(out.state.secrets.is_empty());
}
