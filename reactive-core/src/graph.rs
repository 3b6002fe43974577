//! The unit's `graph` command: handlers, the flags and hooks they watch,
//! and the triggers declared with [`trigger!`](crate::trigger) (the flag
//! that fires each, and the flags it sets and clears), as Graphviz DOT or
//! a Mermaid flowchart.

use std::collections::BTreeMap;

use crate::handler::Predicate;
use crate::registry::Registry;
use crate::triggers::TriggerSpec;

/// What an edge joins: a flag or hook node, and a handler or trigger.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Handler(usize),
    Trigger(usize),
}

/// One edge, from a flag or hook node to a handler or trigger, or (for a
/// trigger's action) from a trigger to a flag.
struct Edge {
    node: (bool, String),
    label: &'static str,
    negated: bool,
    target: Target,
    /// True for a trigger's action: the edge goes from the trigger.
    outgoing: bool,
}

/// Triggers as `(id, spec)`.
fn triggers() -> Vec<(String, &'static TriggerSpec)> {
    inventory::iter::<TriggerSpec>
        .into_iter()
        .map(|t| (format!("trigger {}:{}", t.file, t.line), t))
        .collect()
}

fn edges(reg: &Registry, triggers: &[(String, &TriggerSpec)]) -> Vec<Edge> {
    let mut out = Vec::new();
    for (i, h) in reg.handlers.iter().enumerate() {
        for c in &h.conds {
            let (names, label, negated, hook): (&[String], _, _, _) = match c {
                Predicate::WhenAll(f) => (f, "when", false, false),
                Predicate::WhenAny(f) => (f, "when_any", false, false),
                Predicate::WhenNone(f) => (f, "when_not", true, false),
                Predicate::WhenNotAll(f) => (f, "when_not_all", true, false),
                Predicate::Hook(p) => (p, "hook", false, true),
                _ => continue,
            };
            out.extend(names.iter().map(|n| Edge {
                node: (hook, n.clone()),
                label,
                negated,
                target: Target::Handler(i),
                outgoing: false,
            }));
        }
    }
    for (i, (_, t)) in triggers.iter().enumerate() {
        let fires = t
            .when
            .map(|f| (f, "set", false))
            .or(t.when_not.map(|f| (f, "cleared", true)));
        if let Some((flag, label, negated)) = fires {
            out.push(Edge {
                node: (false, flag.to_string()),
                label,
                negated,
                target: Target::Trigger(i),
                outgoing: false,
            });
        }
        out.extend(t.actions.iter().map(|(action, flag)| Edge {
            node: (false, flag.to_string()),
            label: if *action == "set_flag" {
                "set_flag"
            } else {
                "clear_flag"
            },
            negated: *action != "set_flag",
            target: Target::Trigger(i),
            outgoing: true,
        }));
    }
    out
}

/// Numbers the flag and hook nodes of `edges` in order of first use.
fn nodes(edges: &[Edge]) -> BTreeMap<(bool, &str), usize> {
    let mut nodes = BTreeMap::new();
    for e in edges {
        let n = nodes.len();
        nodes.entry((e.node.0, e.node.1.as_str())).or_insert(n);
    }
    nodes
}

fn target_id(t: Target) -> String {
    match t {
        Target::Handler(i) => format!("h{i}"),
        Target::Trigger(i) => format!("t{i}"),
    }
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Handlers (boxes), triggers (hexagons), flags (ellipses) and hook
/// patterns (diamonds) as DOT; negated predicates and cleared flags are
/// dashed edges.
pub(crate) fn dot_graph(reg: &Registry) -> String {
    let mut s =
        String::from("digraph reactive {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
    for (i, h) in reg.handlers.iter().enumerate() {
        let label = dot_escape(&h.id);
        s.push_str(&format!("  h{i} [shape=box, label=\"{label}\"];\n"));
    }
    let triggers = triggers();
    for (i, (id, _)) in triggers.iter().enumerate() {
        let label = dot_escape(id);
        s.push_str(&format!("  t{i} [shape=hexagon, label=\"{label}\"];\n"));
    }
    let edges = edges(reg, &triggers);
    let nodes = nodes(&edges);
    for ((hook, name), n) in &nodes {
        let shape = if *hook { "diamond" } else { "ellipse" };
        let label = dot_escape(name);
        s.push_str(&format!("  n{n} [shape={shape}, label=\"{label}\"];\n"));
    }
    for e in &edges {
        let n = format!("n{}", nodes[&(e.node.0, e.node.1.as_str())]);
        let t = target_id(e.target);
        let (from, to) = if e.outgoing { (t, n) } else { (n, t) };
        let style = if e.negated { ", style=dashed" } else { "" };
        s.push_str(&format!(
            "  {from} -> {to} [label=\"{}\"{style}];\n",
            e.label
        ));
    }
    s.push_str("}\n");
    s
}

fn mermaid_escape(s: &str) -> String {
    s.replace('"', "#quot;")
}

/// The same graph as a Mermaid flowchart.
pub(crate) fn mermaid_graph(reg: &Registry) -> String {
    let mut s = String::from("flowchart LR\n");
    for (i, h) in reg.handlers.iter().enumerate() {
        s.push_str(&format!("  h{i}[\"{}\"]\n", mermaid_escape(&h.id)));
    }
    let triggers = triggers();
    for (i, (id, _)) in triggers.iter().enumerate() {
        s.push_str(&format!("  t{i}{{{{\"{}\"}}}}\n", mermaid_escape(id)));
    }
    let edges = edges(reg, &triggers);
    let nodes = nodes(&edges);
    for ((hook, name), n) in &nodes {
        let name = mermaid_escape(name);
        if *hook {
            s.push_str(&format!("  n{n}{{\"{name}\"}}\n"));
        } else {
            s.push_str(&format!("  n{n}([\"{name}\"])\n"));
        }
    }
    for e in &edges {
        let n = format!("n{}", nodes[&(e.node.0, e.node.1.as_str())]);
        let t = target_id(e.target);
        let (from, to) = if e.outgoing { (t, n) } else { (n, t) };
        let arrow = if e.negated { "-.->" } else { "-->" };
        s.push_str(&format!("  {from} {arrow}|{}| {to}\n", e.label));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handler::HandlerDef;

    crate::trigger!(when: "graph.db.ready", set_flag: "graph.db.configured", clear_flag: "graph.db.stale");

    fn registry() -> Registry {
        let h = HandlerDef::new(
            "charm.rs",
            1,
            "configure",
            vec![Predicate::WhenAll(vec!["graph.db.configured".into()])],
            |_| Ok(()),
        );
        Registry::new(vec![h], None).unwrap()
    }

    /// The id of the node whose line holds `label` (other tests of this
    /// binary declare triggers too).
    fn node(graph: &str, label: &str) -> String {
        let line = graph
            .lines()
            .find(|l| l.contains(label))
            .unwrap_or_else(|| panic!("{label}: {graph}"));
        line.trim()
            .split([' ', '{'])
            .next()
            .unwrap_or_default()
            .to_string()
    }

    #[test]
    fn triggers_show_the_flag_that_fires_them_and_what_they_change() {
        let dot = dot_graph(&registry());
        let t = node(
            &dot,
            "[shape=hexagon, label=\"trigger reactive-core/src/graph.rs:",
        );
        let flag = |f: &str| node(&dot, &format!("label=\"{f}\""));
        let (ready, configured, stale) = (
            flag("graph.db.ready"),
            flag("graph.db.configured"),
            flag("graph.db.stale"),
        );
        assert!(
            dot.contains(&format!("{ready} -> {t} [label=\"set\"]")),
            "{dot}"
        );
        assert!(
            dot.contains(&format!("{t} -> {configured} [label=\"set_flag\"]")),
            "{dot}"
        );
        assert!(
            dot.contains(&format!(
                "{t} -> {stale} [label=\"clear_flag\", style=dashed]"
            )),
            "{dot}"
        );
        assert!(
            dot.contains(&format!("{configured} -> h0 [label=\"when\"]")),
            "{dot}"
        );

        let mermaid = mermaid_graph(&registry());
        let t = node(&mermaid, "{{\"trigger reactive-core/src/graph.rs:");
        assert!(
            mermaid.contains(&format!("{t} -->|set_flag| ")),
            "{mermaid}"
        );
        assert!(
            mermaid.contains(&format!("{t} -.->|clear_flag| ")),
            "{mermaid}"
        );
        assert!(mermaid.contains(&format!(" -->|set| {t}")), "{mermaid}");
    }
}
