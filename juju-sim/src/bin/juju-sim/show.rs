//! What the read-only commands print: `status` (a table or JSON),
//! `show-unit`, and a task's outcome (`run`, `show-task`).

use juju_sim::report::{ActionRecord, ActionStatus};
use juju_sim::{Error, Model};
use serde_json::{json, Map, Value};

use crate::out::outln;

/// Rows as aligned columns; the last column (a message) is never padded,
/// so a long one only makes its own line long. Line breaks in a cell
/// become spaces, so a row stays one line.
fn table(rows: &[Vec<String>]) {
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| flat(c)).collect())
        .collect();
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            let cells = rows.iter().filter_map(|r| r.get(i));
            cells.map(|c| c.chars().count()).max().unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                let pad = widths[i] - cell.chars().count();
                line.push_str(cell);
                line.push_str(&" ".repeat(pad + 2));
            }
        }
        outln!("{}", line.trim_end());
    }
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// A unit's workload status and message as `juju status` shows them.
fn workload(model: &Model, unit: &str) -> Result<(String, String), Error> {
    Ok(match model.unit_error(unit)? {
        Some(hook) => ("error".into(), format!("hook failed: \"{hook}\"")),
        None => {
            let s = model.unit_status(unit)?;
            (s.status.clone(), s.message.clone())
        }
    })
}

fn ports(model: &Model, unit: &str) -> Result<Vec<String>, Error> {
    Ok(model
        .opened_ports(unit)?
        .iter()
        .map(|p| p.to_string())
        .collect())
}

/// `juju status`, tabular.
pub fn status(model: &Model) -> Result<(), Error> {
    let seed = model.seed().to_string();
    let version = &model.options().juju_version;
    let base = model.base().to_string();
    table(&[
        row(&["Model", "Controller", "Version", "Base", "Seed"]),
        row(&[model.name(), "juju-sim", version, &base, &seed]),
    ]);
    outln!("");
    let mut apps = vec![row(&["App", "Version", "Status", "Scale", "Message"])];
    for app in model.apps() {
        let status = model.shown_app_status(&app)?;
        let scale = model.units(&app).len().to_string();
        let version = model.workload_version(&app)?;
        apps.push(row(&[
            &app,
            version,
            &status.status,
            &scale,
            &status.message,
        ]));
    }
    table(&apps);
    outln!("");
    let mut units = vec![row(&[
        "Unit", "Workload", "Agent", "Machine", "Address", "Ports", "Queued", "Message",
    ])];
    for app in model.apps() {
        let leader = model.leader(&app)?.map(str::to_string);
        for unit in model.all_units(&app) {
            let (workload, message) = workload(model, &unit)?;
            let agent = if model.is_dying(&unit)? {
                "dying"
            } else {
                "idle"
            };
            let star = if leader.as_deref() == Some(unit.as_str()) {
                "*"
            } else {
                ""
            };
            let (address, machine) = model.unit_placement(&unit)?;
            units.push(vec![
                format!("{unit}{star}"),
                workload,
                agent.into(),
                machine.to_string(),
                address,
                ports(model, &unit)?.join(","),
                model.pending(&unit)?.len().to_string(),
                message,
            ]);
        }
    }
    table(&units);
    outln!("");
    let mut relations = vec![row(&["Id", "Endpoints"])];
    for id in model.relation_ids() {
        relations.push(vec![
            id.to_string(),
            model.relation_endpoints(id)?.join(" "),
        ]);
    }
    table(&relations);
    Ok(())
}

fn status_json(status: &juju_sim::context::Status) -> Value {
    json!({"current": status.status, "message": status.message})
}

/// `juju status --format=json`: the same facts, keyed as Juju keys them
/// where they exist.
pub fn status_value(model: &Model) -> Result<Value, Error> {
    let mut apps = Map::new();
    for app in model.apps() {
        let mut units = Map::new();
        let leader = model.leader(&app)?.map(str::to_string);
        for unit in model.all_units(&app) {
            let (current, message) = workload(model, &unit)?;
            let (address, machine) = model.unit_placement(&unit)?;
            let dying = model.is_dying(&unit)?;
            units.insert(
                unit.clone(),
                json!({
                    "workload-status": {"current": current, "message": message},
                    "juju-status": {"current": if dying { "dying" } else { "idle" }},
                    "leader": leader.as_deref() == Some(unit.as_str()),
                    "machine": machine.to_string(),
                    "public-address": address,
                    "open-ports": ports(model, &unit)?,
                    "queued": model.pending(&unit)?,
                }),
            );
        }
        apps.insert(
            app.clone(),
            json!({
                "application-status": status_json(&model.shown_app_status(&app)?),
                "version": model.workload_version(&app)?,
                "scale": model.units(&app).len(),
                "units": units,
            }),
        );
    }
    let relations: Vec<Value> = model
        .relation_ids()
        .into_iter()
        .map(|id| Ok(json!({"id": id, "endpoints": model.relation_endpoints(id)?})))
        .collect::<Result<_, Error>>()?;
    Ok(json!({
        "model": {
            "name": model.name(),
            "version": model.options().juju_version,
            "base": model.base().to_string(),
            "seed": model.seed(),
        },
        "applications": apps,
        "relations": relations,
    }))
}

/// `juju show-unit`: the unit and, per relation, what each side published.
pub fn unit_value(model: &Model, unit: &str) -> Result<Value, Error> {
    let app = unit.rsplit_once('/').map_or(unit, |(a, _)| a);
    let (address, machine) = model.unit_placement(unit)?;
    let mut relations = Vec::new();
    for id in model.unit_relations(unit)? {
        let ends = model.relation_endpoints(id)?;
        let local = ends.iter().find(|e| e.starts_with(&format!("{app}:")));
        let remote = ends.iter().find(|e| Some(*e) != local).or(local);
        let endpoint = |e: Option<&String>| {
            e.and_then(|e| e.split_once(':'))
                .map_or("", |(_, ep)| ep)
                .to_string()
        };
        let remote_app = remote
            .and_then(|e| e.split_once(':'))
            .map_or("", |(a, _)| a);
        let related: Map<String, Value> = model
            .relation_units(id, unit)?
            .into_iter()
            .map(|u| {
                let data = model.relation_data(id, &u)?;
                Ok((u, json!({"in-scope": true, "data": data})))
            })
            .collect::<Result<_, Error>>()?;
        relations.push(json!({
            "relation-id": id,
            "endpoint": endpoint(local),
            "related-endpoint": endpoint(remote),
            "application-data": model.relation_app_data(id, remote_app)?,
            "local-unit": {"in-scope": true, "data": model.relation_data(id, unit)?},
            "related-units": related,
        }));
    }
    let (current, message) = workload(model, unit)?;
    Ok(json!({ unit: {
        "workload-version": model.workload_version(app)?,
        "machine": machine.to_string(),
        "opened-ports": ports(model, unit)?,
        "public-address": address,
        "leader": model.leader(app)? == Some(unit),
        "life": if model.is_dying(unit)? { "dying" } else { "alive" },
        "workload-status": {"current": current, "message": message},
        "relation-info": relations,
    }}))
}

/// Prints a value as YAML.
pub fn yaml(value: &Value) {
    let text = serde_norway::to_string(value).unwrap_or_default();
    outln!("{}", text.trim_end());
}

/// A task's outcome as `juju run` and `juju show-task` print it: the
/// `action-log` lines, the results as YAML, what it printed; `false` when
/// it failed (its message then goes to stderr).
pub fn task(record: &ActionRecord) -> bool {
    for log in &record.logs {
        outln!("{log}");
    }
    if !record.results.is_empty() {
        yaml(&Value::Object(record.results.clone()));
    }
    if !record.stdout.is_empty() {
        outln!("{}", record.stdout.trim_end());
    }
    if !record.stderr.is_empty() {
        eprintln!("{}", record.stderr.trim_end());
    }
    match record.status {
        ActionStatus::Completed => true,
        ActionStatus::Pending => {
            outln!("task {} is pending", record.id);
            true
        }
        ActionStatus::Failed => {
            let message = record.message.as_deref().unwrap_or("failed");
            eprintln!("ERROR the following task failed:");
            eprintln!(
                " id {:?} with return code {}",
                record.id,
                record.exit_code.unwrap_or(1)
            );
            eprintln!(" message: {message}");
            false
        }
    }
}
