//! [`HookEnv`]: the hook tools of one hook invocation, with what the hook
//! knows about itself. Its jobs each live in a file of their own: reads
//! cached (`cache.rs`), writes buffered and flushed (`writes.rs`,
//! `flush.rs`), every call recorded (`record.rs`), the environment of the
//! running hook registered on its thread (`current.rs`), values taken as
//! known from the unit's store (`assumed.rs`).

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::{Map, Value};

use super::cache::Cache;
use super::context::HookContext;
use super::record::Recorder;
use super::tool_call::ToolCall;
use super::tools::HookTools;
use super::types::{Settings, StatusInfo};
use super::writes::WriteBuffer;
use crate::metadata::Metadata;

/// The hook tools of one hook, cached, buffered and recorded.
pub(crate) struct HookEnv {
    pub(super) ctx: HookContext,
    pub(super) tools: Recorder,
    pub(super) cache: RefCell<Cache>,
    pub(super) writes: RefCell<WriteBuffer>,
    previous_config: RefCell<Option<Map<String, Value>>>,
    metadata: RefCell<Option<Rc<Metadata>>>,
    on_leader_set: RefCell<Option<LeaderWritten>>,
    /// The workload status Juju holds for this unit, when known: a
    /// `status-set` of the same is not sent (see `skips`).
    pub(super) known_status: RefCell<Option<StatusInfo>>,
}

/// What the runtime does after a `leader_set` (the leadership flags).
pub(crate) type LeaderWritten =
    fn(&Settings) -> Result<(), Box<dyn std::error::Error + Send + Sync>>;

impl std::fmt::Debug for HookEnv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HookEnv")
            .field("ctx", &self.ctx)
            .field("calls", &self.tools.len())
            .finish()
    }
}

impl HookEnv {
    /// A hook environment for `ctx` over `tools`.
    pub(crate) fn new(ctx: HookContext, tools: impl HookTools + 'static) -> HookEnv {
        HookEnv {
            ctx,
            tools: Recorder::new(tools),
            cache: RefCell::default(),
            writes: RefCell::default(),
            previous_config: RefCell::default(),
            metadata: RefCell::default(),
            on_leader_set: RefCell::default(),
            known_status: RefCell::default(),
        }
    }

    /// The tools, each call recorded.
    pub(crate) fn tools(&self) -> &Recorder {
        &self.tools
    }

    /// Has `f` called after every successful `leader_set`, with the values
    /// written (the runtime keeps the leadership flags in step this way).
    pub(crate) fn on_leader_set(&self, f: LeaderWritten) {
        *self.on_leader_set.borrow_mut() = Some(f);
    }

    /// Calls what [`HookEnv::on_leader_set`] installed.
    pub(super) fn leader_written(
        &self,
        values: &Settings,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let f = *self.on_leader_set.borrow();
        match f {
            Some(f) => f(values),
            None => Ok(()),
        }
    }

    /// Sets the charm's `metadata.yaml`, which relation types are bound by.
    pub(crate) fn set_metadata(&self, metadata: Option<Metadata>) {
        *self.metadata.borrow_mut() = metadata.map(Rc::new);
    }

    /// The charm's `metadata.yaml`, if it has one.
    pub(crate) fn metadata(&self) -> Option<Rc<Metadata>> {
        self.metadata.borrow().clone()
    }

    /// The hook's context.
    pub(crate) fn context(&self) -> &HookContext {
        &self.ctx
    }

    /// Every hook-tool call made so far, in order.
    pub(crate) fn calls(&self) -> Vec<ToolCall> {
        self.tools.calls()
    }

    /// The config the last successful hook saw (set by the automatic flags).
    pub(crate) fn previous_config(&self) -> Option<Map<String, Value>> {
        self.previous_config.borrow().clone()
    }

    /// Sets what [`HookEnv::previous_config`] returns.
    pub(crate) fn set_previous_config(&self, prev: Option<Map<String, Value>>) {
        *self.previous_config.borrow_mut() = prev;
    }
}
