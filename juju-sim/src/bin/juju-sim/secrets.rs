//! `secrets` and `show-secret`, shaped as `juju secrets` and
//! `juju show-secret` print them (`cmd/juju/secrets/list.go`, `show.go`).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use juju_sim::secret::{uri, Secret};
use juju_sim::{Error, Model};
use serde_json::{json, Value};

use crate::args::Format;
use crate::out::outln;
use crate::show;

fn owner(secret: &Secret) -> String {
    if secret.unit_owned {
        secret.owner.clone()
    } else {
        format!("{} (application)", secret.owner)
    }
}

fn metadata(secret: &Secret) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    m.insert("revision".into(), json!(secret.latest));
    m.insert("owner".into(), json!(secret.owner));
    if let Some(label) = &secret.label {
        m.insert("label".into(), json!(label));
    }
    if !secret.description.is_empty() {
        m.insert("description".into(), json!(secret.description));
    }
    if let Some(rotate) = &secret.rotate {
        m.insert("rotation".into(), json!(rotate));
    }
    if let Some(expire) = &secret.expire {
        m.insert("expiry".into(), json!(expire));
    }
    let access: Vec<Value> = secret
        .grants
        .iter()
        .map(|(id, g)| {
            let target = if g.units.is_empty() {
                g.app.clone()
            } else {
                g.units.iter().cloned().collect::<Vec<_>>().join(",")
            };
            json!({"target": target, "scope": format!("relation-{id}"), "role": "view"})
        })
        .collect();
    if !access.is_empty() {
        m.insert("access".into(), Value::Array(access));
    }
    let consumers: serde_json::Map<String, Value> = secret
        .consumers
        .iter()
        .map(|(u, c)| (u.clone(), json!({"revision": c.revision, "label": c.label})))
        .collect();
    if !consumers.is_empty() {
        m.insert("consumers".into(), Value::Object(consumers));
    }
    m
}

/// `juju secrets`: one line per secret, or every secret's metadata.
pub fn list(model: &Model, format: Format) {
    let secrets = &model.secrets().secrets;
    if matches!(format, Format::Tabular | Format::Plain) {
        outln!(
            "{:<22} {:<16} {:<24} {:<10} {:>8}",
            "ID",
            "Name",
            "Owner",
            "Rotation",
            "Revision"
        );
        for (id, s) in secrets {
            let label = s.label.as_deref().unwrap_or("-");
            let rotate = s.rotate.as_deref().unwrap_or("never");
            outln!(
                "{id:<22} {label:<16} {:<24} {rotate:<10} {:>8}",
                owner(s),
                s.latest
            );
        }
        return;
    }
    let all: serde_json::Map<String, Value> = secrets
        .iter()
        .map(|(id, s)| (id.clone(), Value::Object(metadata(s))))
        .collect();
    match format {
        Format::Json => outln!("{}", Value::Object(all)),
        _ => show::yaml(&Value::Object(all)),
    }
}

/// `juju show-secret`: the metadata, and the content with `--reveal`.
pub fn show(model: &Model, given: &str, reveal: bool, revision: Option<u32>) -> Result<(), Error> {
    let id = model.secret_id(given)?;
    let secret = &model.secrets().secrets[&id];
    let mut m = metadata(secret);
    m.insert("uri".into(), json!(uri(&id)));
    if reveal {
        let number = revision.unwrap_or(secret.latest);
        let content = secret
            .revisions
            .get(&number)
            .ok_or_else(|| Error::UnknownSecret(format!("{given} revision {number}")))?;
        let decoded: serde_json::Map<String, Value> = content
            .iter()
            .map(|(k, v)| {
                let bytes = STANDARD.decode(v).unwrap_or_default();
                (k.clone(), json!(String::from_utf8_lossy(&bytes)))
            })
            .collect();
        m.insert("content".into(), Value::Object(decoded));
    }
    show::yaml(&json!({ id: Value::Object(m) }));
    Ok(())
}
