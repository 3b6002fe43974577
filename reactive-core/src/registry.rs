//! The registry: every handler of the charm, expanded per relation name,
//! sorted (file, line, name), with the index from each flag to the handlers
//! that watch it.

use std::collections::{BTreeSet, HashMap};

use crate::error::check_flag;
use crate::error::Error;
use crate::handler::{HandlerBody, HandlerDef, HandlerSpec, Predicate};
use crate::metadata::Metadata;
use crate::predicates::{expand_flag, expand_hook_pattern, has_placeholder, test_rank};

/// One handler as the dispatcher runs it.
pub(crate) struct Instance {
    pub(crate) id: String,
    pub(crate) conds: Vec<Predicate>,
    /// Hook names the `hook` predicates match, expanded.
    pub(crate) hooks: BTreeSet<String>,
    /// The flags of `when`/`when_all`, for parameter resolution.
    pub(crate) when_flags: Vec<String>,
    pub(crate) watched: Vec<String>,
    pub(crate) endpoint: Option<String>,
    pub(crate) invoke: HandlerBody,
    pub(crate) only_once: bool,
}

/// What a listing shows of a handler (the charm's `handlers` subcommand).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HandlerInfo {
    /// `file:line:name`, with `:relation` for expanded handlers.
    pub id: String,
    /// Predicates, described.
    pub predicates: Vec<String>,
    /// Flags it watches.
    pub watches: Vec<String>,
}

/// Every handler of the charm. Build it once per process.
pub struct Registry {
    pub(crate) handlers: Vec<Instance>,
    /// Flag to the handlers (indices) that watch it, ascending.
    pub(crate) watchers: HashMap<String, Vec<usize>>,
    /// Handlers that can run in the flags phase and watch no flag: tested in
    /// every iteration (rule D3).
    pub(crate) unwatched: Vec<usize>,
    /// Handlers that can run in the flags phase.
    pub(crate) flag_phase: Vec<usize>,
    /// Handlers that can run in the hooks phase.
    pub(crate) hooks: Vec<usize>,
    /// Handlers that can run in restricted mode.
    pub(crate) restricted: Vec<usize>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("handlers", &self.handlers.len())
            .finish()
    }
}

impl Registry {
    /// The handlers registered with the attribute macros in module
    /// `module_prefix` and its submodules (`my_charm::db` keeps
    /// `my_charm::db` and `my_charm::db::peers`, not `my_charm::dbx`), bound
    /// to the relations of `metadata`.
    ///
    /// Handlers registered with the macros are global to the executable;
    /// this builds a registry of one part of it, for tests or for an
    /// executable that holds several charms. The prefix `""` keeps them all.
    pub fn from_inventory_in(
        module_prefix: &str,
        metadata: Option<&Metadata>,
    ) -> Result<Registry, Error> {
        let defs = inventory::iter::<HandlerSpec>
            .into_iter()
            .filter(|s| in_module(s.declared_in, module_prefix))
            .map(HandlerDef::from)
            .collect();
        Registry::new(defs, metadata)
    }

    /// A registry of `defs`, bound to the relations of `metadata`.
    ///
    /// A handler whose flags hold `{relation_name}` is expanded once per
    /// relation name bound to its relation parameter's role and interface,
    /// and registered not at all when no relation is bound.
    pub fn new(defs: Vec<HandlerDef>, metadata: Option<&Metadata>) -> Result<Registry, Error> {
        let mut instances: Vec<((String, u32, String, String), Instance)> = Vec::new();
        for def in defs {
            let id = def.id();
            if def.conds.is_empty() {
                return Err(Error::Declaration {
                    id,
                    reason: "a handler needs at least one predicate".into(),
                });
            }
            let placeholders = def
                .conds
                .iter()
                .flat_map(Predicate::flags)
                .any(|f| has_placeholder(f));
            let endpoints: Vec<Option<String>> = if placeholders {
                let Some(b) = def.binding else {
                    return Err(Error::Declaration {
                        id,
                        reason:
                            "its flags use {relation_name} or {endpoint_name}, but it takes no \
                                 relation parameter to expand them from"
                                .into(),
                    });
                };
                metadata
                    .map(|m| m.relations_for(b.role, b.interface))
                    .unwrap_or_default()
                    .into_iter()
                    .map(Some)
                    .collect()
            } else {
                vec![None]
            };
            for ep in endpoints {
                let inst = instance(&def, ep, metadata)?;
                let key = (
                    def.file.clone(),
                    def.line,
                    def.name.clone(),
                    inst.endpoint.clone().unwrap_or_default(),
                );
                instances.push((key, inst));
            }
        }
        instances.sort_by(|a, b| a.0.cmp(&b.0));
        if let Some(w) = instances.windows(2).find(|w| w[0].1.id == w[1].1.id) {
            return Err(Error::Declaration {
                id: w[0].1.id.clone(),
                reason: "registered twice".into(),
            });
        }
        let handlers: Vec<Instance> = instances.into_iter().map(|(_, i)| i).collect();
        let mut reg = Registry {
            watchers: HashMap::new(),
            unwatched: Vec::new(),
            flag_phase: Vec::new(),
            hooks: Vec::new(),
            restricted: Vec::new(),
            handlers,
        };
        for (i, h) in reg.handlers.iter().enumerate() {
            let has = |f: fn(&Predicate) -> bool| h.conds.iter().any(f);
            let hook = has(|c| matches!(c, Predicate::Hook(_) | Predicate::Action(_)));
            let restricted = has(|c| matches!(c, Predicate::Restricted(_)));
            let flagged = !h.watched.is_empty();
            if restricted {
                reg.restricted.push(i);
                continue;
            }
            if hook {
                reg.hooks.push(i);
                continue;
            }
            if !flagged {
                // only_once / when_file_changed alone: hooks phase and every
                // iteration of the flags phase.
                reg.hooks.push(i);
                reg.unwatched.push(i);
            }
            reg.flag_phase.push(i);
            for f in &h.watched {
                reg.watchers.entry(f.clone()).or_default().push(i);
            }
        }
        Ok(reg)
    }

    /// Every handler, in dispatch order.
    #[must_use]
    pub fn handlers(&self) -> Vec<HandlerInfo> {
        self.handlers
            .iter()
            .map(|h| HandlerInfo {
                id: h.id.clone(),
                predicates: h.conds.iter().map(Predicate::describe).collect(),
                watches: h.watched.clone(),
            })
            .collect()
    }
}

/// Whether `module` is `prefix` or one of its submodules.
fn in_module(module: &str, prefix: &str) -> bool {
    match module.strip_prefix(prefix) {
        Some(rest) => {
            rest.is_empty() || rest.starts_with("::") || prefix.is_empty() || prefix.ends_with("::")
        }
        None => false,
    }
}

fn instance(
    def: &HandlerDef,
    endpoint: Option<String>,
    metadata: Option<&Metadata>,
) -> Result<Instance, Error> {
    let id = match &endpoint {
        Some(ep) => format!("{}:{ep}", def.id()),
        None => def.id(),
    };
    let expand = |v: &Vec<String>| -> Result<Vec<String>, Error> {
        v.iter()
            .map(|f| {
                let f = match &endpoint {
                    Some(ep) => expand_flag(f, ep),
                    None => f.clone(),
                };
                check_flag(&f).map_err(|e| Error::Declaration {
                    id: id.clone(),
                    reason: e.to_string(),
                })?;
                Ok(f)
            })
            .collect()
    };
    let mut conds = Vec::new();
    let mut hooks = BTreeSet::new();
    for c in &def.conds {
        conds.push(match c {
            Predicate::WhenAll(v) => Predicate::WhenAll(expand(v)?),
            Predicate::WhenAny(v) => Predicate::WhenAny(expand(v)?),
            Predicate::WhenNone(v) => Predicate::WhenNone(expand(v)?),
            Predicate::WhenNotAll(v) => Predicate::WhenNotAll(expand(v)?),
            Predicate::Hook(patterns) => {
                for p in patterns {
                    hooks.extend(expand_hook_pattern(p, metadata).map_err(|e| {
                        Error::Declaration {
                            id: id.clone(),
                            reason: e.to_string(),
                        }
                    })?);
                }
                c.clone()
            }
            other => other.clone(),
        });
    }
    conds.sort_by_key(test_rank);
    let mut watched: Vec<String> = conds
        .iter()
        .flat_map(|c| c.flags().iter().cloned())
        .collect();
    watched.sort();
    watched.dedup();
    let when_flags = conds
        .iter()
        .filter_map(|c| match c {
            Predicate::WhenAll(v) => Some(v.iter().cloned()),
            _ => None,
        })
        .flatten()
        .collect();
    Ok(Instance {
        only_once: conds.contains(&Predicate::OnlyOnce),
        id,
        conds,
        hooks,
        when_flags,
        watched,
        endpoint,
        invoke: def.invoke.clone(),
    })
}
