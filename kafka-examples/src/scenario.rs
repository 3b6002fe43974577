//! The demo's scenario, shared with the end-to-end test that checks it
//! step by step: one provider and two clients are deployed and related, a
//! client is added, the port changes, a client is removed, then the
//! relation; then the clients get a topic from a `kafka_client` broker,
//! with credentials in a Juju secret, and its password is rotated.

use std::fmt::Write as _;
use std::path::PathBuf;

use juju_sim::Model;

/// The provider application's name.
pub const PROVIDER: &str = "kafka-provider";
/// The client application's name.
pub const CLIENT: &str = "kafka-client";
/// The `kafka_client` broker application's name.
pub const BROKER: &str = "kafka-broker";

/// Where the packed charms are.
#[derive(Debug, Clone)]
pub struct Charms {
    /// The kafka-provider charm directory.
    pub provider: PathBuf,
    /// The kafka-client charm directory.
    pub client: PathBuf,
    /// The kafka-broker charm directory.
    pub broker: PathBuf,
}

/// One step of the scenario: an operation on the model, then a settle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Deploys one provider unit and two client units.
    Deploy,
    /// Relates the provider and the client.
    Relate,
    /// Adds a third client unit.
    AddClient,
    /// Changes the provider's `source_port` to 9093.
    ChangePort,
    /// Removes the first client unit.
    RemoveClient,
    /// Removes the relation.
    RemoveRelation,
    /// Deploys the `kafka_client` broker and relates it to the client.
    RelateBroker,
    /// Rotates the password the broker gave the client (a new revision of
    /// its user secret).
    RotatePassword,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 8] = [
        Step::Deploy,
        Step::Relate,
        Step::AddClient,
        Step::ChangePort,
        Step::RemoveClient,
        Step::RemoveRelation,
        Step::RelateBroker,
        Step::RotatePassword,
    ];

    /// What the step does, as the operator would type it.
    pub fn title(self) -> &'static str {
        match self {
            Step::Deploy => "deploy kafka-provider (1 unit) and kafka-client (2 units)",
            Step::Relate => "relate kafka-provider:kafka kafka-client:kafka",
            Step::AddClient => "add-unit kafka-client",
            Step::ChangePort => "config kafka-provider source_port=9093",
            Step::RemoveClient => "remove-unit kafka-client/0",
            Step::RemoveRelation => "remove-relation kafka-provider kafka-client",
            Step::RelateBroker => {
                "deploy kafka-broker; relate kafka-broker:kafka-client kafka-client:kafka-client"
            }
            Step::RotatePassword => "secret-rotate the kafka-client user secret of kafka-broker",
        }
    }

    /// Applies the operation (queues its events; settle to run them).
    pub fn apply(self, model: &mut Model, charms: &Charms) -> Result<(), juju_sim::Error> {
        match self {
            Step::Deploy => {
                model.deploy(PROVIDER, &charms.provider, 1)?;
                model.deploy(CLIENT, &charms.client, 2)?;
            }
            Step::Relate => {
                model.relate(&format!("{PROVIDER}:kafka"), &format!("{CLIENT}:kafka"))?;
            }
            Step::AddClient => {
                model.add_unit(CLIENT)?;
            }
            Step::ChangePort => model.set_config(PROVIDER, "source_port", "9093")?,
            Step::RemoveClient => model.remove_unit(&format!("{CLIENT}/0"))?,
            Step::RemoveRelation => {
                if let Some(id) = relation_between(model, PROVIDER, CLIENT) {
                    model.remove_relation(id)?;
                }
            }
            Step::RelateBroker => {
                model.deploy(BROKER, &charms.broker, 1)?;
                let (b, c) = (
                    format!("{BROKER}:kafka-client"),
                    format!("{CLIENT}:kafka-client"),
                );
                model.relate(&b, &c)?;
            }
            Step::RotatePassword => {
                if let Some(id) = relation_between(model, BROKER, CLIENT) {
                    model.secret_rotate(&format!("kafka-client.{id}.user.secret"))?;
                }
            }
        }
        Ok(())
    }
}

/// The id of a live relation between applications `a` and `b`.
pub fn relation_between(model: &Model, a: &str, b: &str) -> Option<u32> {
    let of = |end: &str, app: &str| end.split(':').next() == Some(app);
    model.relation_ids().into_iter().find(|id| {
        model
            .relation_endpoints(*id)
            .is_ok_and(|ends| ends.iter().any(|e| of(e, a)) && ends.iter().any(|e| of(e, b)))
    })
}

/// A table of every unit: status, message and flags.
pub fn units_table(model: &mut Model) -> Result<String, juju_sim::Error> {
    let mut rows = vec![[
        "unit".to_string(),
        "status".to_string(),
        "message".to_string(),
        "flags".to_string(),
    ]];
    for app in model.apps() {
        for unit in model.units(&app) {
            let flags = model.flags(&unit)?.into_keys().collect::<Vec<_>>();
            let status = model.unit_status(&unit)?;
            rows.push([
                unit.clone(),
                status.status.clone(),
                status.message.clone(),
                flags.join(", "),
            ]);
        }
    }
    let widths: Vec<usize> = (0..3)
        .map(|i| rows.iter().map(|r| r[i].len()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in &rows {
        let _ = writeln!(
            out,
            "{:<w0$}  {:<w1$}  {:<w2$}  {}",
            r[0],
            r[1],
            r[2],
            r[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        );
    }
    Ok(out)
}
