//! `relation-model-get`: the model hosting the remote application of a
//! relation (Juju's `worker/uniter/runner/jujuc/relation-model-get.go`).
//! Every relation of the simulator is inside one model, so its UUID is
//! the model's own.

use serde_json::json;

use super::args::{opt, render, Args};
use super::relation::relation_id;
use super::{Output, Reply, Tool, ToolError};
use crate::context::HookContext;

pub(crate) const TOOLS: &[Tool] = &[Tool {
    name: "relation-model-get",
    output: Output::Formatted,
    usage: "[options]",
    opts: &[opt(&["r", "relation"], true)],
    writes: false,
    run: relation_model_get,
}];

fn relation_model_get(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    args.at_most(0)?;
    relation_id(ctx, args)?;
    let details = json!({ "uuid": ctx.model_uuid });
    Ok(Reply::out(render(&details, args.format)))
}
