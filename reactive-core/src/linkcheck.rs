//! The warning for a relation that no linked type implements.
//!
//! An interface crate registers its relation types and handlers when it is
//! linked, and Rust links a dependency only if the charm names something
//! from it: a charm that depends on `http-iface` but names nothing from it
//! silently gets none of its handlers. Such a charm is told so in its log,
//! in `install`, `upgrade-charm` and the relation's own hooks.

use juju_charm::Relation as Endpoint;

use crate::endpoints::EndpointSpec;
use crate::hookenv::LogLevel;
use crate::metadata::Metadata;
use crate::relations::RelationSpec;

/// The relations of `metadata` whose role and interface no relation type
/// ([`relation_type!`](crate::relation_type)) or endpoint type
/// ([`endpoint_type!`](crate::endpoint_type)) linked in this executable
/// implements.
#[must_use]
pub(crate) fn unbound_relations(metadata: &Metadata) -> Vec<&Endpoint> {
    let bound = |e: &Endpoint| {
        inventory::iter::<RelationSpec>
            .into_iter()
            .any(|s| s.implements(e.role, &e.interface))
            || inventory::iter::<EndpointSpec>
                .into_iter()
                .any(|s| s.implements(e.role, &e.interface))
    };
    metadata.endpoints.iter().filter(|e| !bound(e)).collect()
}

/// The warning for `relation`, naming the fix.
#[must_use]
pub(crate) fn warning(relation: &Endpoint) -> String {
    format!(
        "relation {} ({} {}): no linked type implements interface {}, so no interface \
         handler runs for it; if an interface crate implements it, name the crate in the \
         charm (`use its_crate as _;` in main.rs) so that it is linked",
        relation.name, relation.role, relation.interface, relation.interface
    )
}

/// Logs [`warning`] at WARNING for each unbound relation, in the hooks
/// where it matters: `install`, `upgrade-charm`, and that relation's own.
pub(crate) fn warn_unbound(metadata: Option<&Metadata>, hook: &str) {
    let Some(metadata) = metadata else {
        return;
    };
    // Most hooks are neither of these nor a relation hook: they skip the
    // walk over every linked type.
    let every_relation = hook == "install" || hook == "upgrade-charm";
    if !every_relation && !hook.contains("-relation-") {
        return;
    }
    for relation in unbound_relations(metadata) {
        if every_relation || hook.starts_with(&format!("{}-relation-", relation.name)) {
            crate::hookenv::send_log(LogLevel::Warning, &warning(relation));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::relation_type! {
        /// A type linked in this test binary (registered, never built).
        #[allow(dead_code)]
        pub(super) struct Linked: requires "linkcheck-linked";
    }

    #[test]
    fn a_relation_without_a_linked_type_is_named_with_the_fix() {
        let meta = Metadata::parse(
            "name: web\nrequires:\n  ok: {interface: linkcheck-linked}\n  \
             site: {interface: linkcheck-unlinked}\n",
            "metadata.yaml",
        )
        .unwrap();
        let unbound = unbound_relations(&meta);
        assert_eq!(unbound.len(), 1);
        let text = warning(unbound[0]);
        assert!(
            text.starts_with("relation site (requires linkcheck-unlinked)"),
            "{text}"
        );
        assert!(text.contains("use its_crate as _;"), "{text}");
    }
}
