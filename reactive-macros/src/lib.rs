//! Attribute macros that declare reactive handlers: `#[when]`, `#[when_not]`,
//! `#[hook]` and the others of the Python framework's decorators.
//!
//! Use them through `reactive-core`, which re-exports them
//! (`use reactive_core::prelude::*;`); the generated code refers to
//! `::reactive_core`.
//!
//! Stacked on one function, in any order, the attributes declare *one*
//! handler whose predicates are all of theirs (a conjunction), as stacked
//! Python decorators do. The handler's id is `file:line:name`, with the line
//! of the function's name.
//!
//! A handler is a plain `fn` (not `async`, not generic, no `self`; declared
//! in a module or a function body, not in an `impl` block) returning
//! `()` or `Result<(), E>` for any error `E`; each of its parameters is
//! resolved when it runs through the `HandlerArg` trait (relation and endpoint
//! types), and is passed by reference when written `&T` or `&mut T`.
//!
//! Mistakes are refused at compile time, spanned on what is wrong: empty
//! flag lists, flag names that are empty or hold whitespace, unbalanced or
//! unknown `{...}` placeholders, `#[hook]` together with flag predicates, an
//! attribute repeated where that is meaningless, non-literal arguments, and
//! hook names Juju never runs (`#[hook("config-change")]`: *did you mean
//! `config-changed`?*; the known set is `reactive_grammar::UNIT_HOOKS` and
//! the relation, storage and workload hook families).

#![warn(missing_docs)]

mod action;
mod actions;
mod attrs;
mod expand;
mod flags;
mod validate;
mod writes;

use proc_macro::TokenStream;

use attrs::Kind;

fn run(kind: Kind, attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand(kind, attr.into(), item.into()).into()
}

/// Runs the handler when **all** the flags are set (Python `@when`).
///
/// `#[when("a", "b")]` is `#[when_all("a", "b")]`. Flag names may hold
/// `{relation_name}` or `{endpoint_name}`, expanded once per relation bound
/// to the handler's relation parameter. Two `#[when]` on one function
/// conjoin. The flags of `#[when]`/`#[when_all]` are also those a relation
/// parameter is resolved from.
///
#[doc = include_str!("../docs/when.md")]
#[proc_macro_attribute]
pub fn when(attr: TokenStream, item: TokenStream) -> TokenStream {
    run(Kind::When, attr, item)
}

/// Runs the handler when **all** the flags are set (Python `@when_all`).
///
#[doc = include_str!("../docs/when_all.md")]
#[proc_macro_attribute]
pub fn when_all(attr: TokenStream, item: TokenStream) -> TokenStream {
    run(Kind::WhenAll, attr, item)
}

/// Runs the handler when **at least one** of the flags is set (Python
/// `@when_any`).
///
#[doc = include_str!("../docs/when_any.md")]
#[proc_macro_attribute]
pub fn when_any(attr: TokenStream, item: TokenStream) -> TokenStream {
    run(Kind::WhenAny, attr, item)
}

/// Runs the handler when **none** of the flags is set (Python `@when_not`).
///
/// `#[when_not("a", "b")]` is `#[when_none("a", "b")]`. Pair it with a flag
/// the handler sets to do one-time work: predicates are states, so a
/// matching handler runs again in every hook.
///
#[doc = include_str!("../docs/when_not.md")]
#[proc_macro_attribute]
pub fn when_not(attr: TokenStream, item: TokenStream) -> TokenStream {
    run(Kind::WhenNot, attr, item)
}

/// Runs the handler when **none** of the flags is set (Python `@when_none`).
///
#[doc = include_str!("../docs/when_none.md")]
#[proc_macro_attribute]
pub fn when_none(attr: TokenStream, item: TokenStream) -> TokenStream {
    run(Kind::WhenNone, attr, item)
}

/// Runs the handler when **at least one** of the flags is **not** set
/// (Python `@when_not_all`).
///
#[doc = include_str!("../docs/when_not_all.md")]
#[proc_macro_attribute]
pub fn when_not_all(attr: TokenStream, item: TokenStream) -> TokenStream {
    run(Kind::WhenNotAll, attr, item)
}

/// Runs the handler in the hooks phase, when the current hook matches one of
/// the patterns (Python `@hook`).
///
/// A pattern is a hook name, or uses `{a,b}` alternation
/// (`db-relation-{joined,changed}`) and `{role:interface}`, where role is
/// `provides`, `requires` or `peers`
/// (`{requires:kafka}-relation-joined` matches every relation declared under
/// `requires` with `interface: kafka`). Hook handlers run before any flag
/// handler, so `#[hook]` cannot be combined with flag predicates; list every
/// pattern in one `#[hook(...)]`. Every hook a pattern names must be one
/// Juju runs (a unit hook, `<relation>-relation-<event>`,
/// `<storage>-storage-<event>`, `<container>-pebble-<event>`); a near miss is
/// a compile error with the nearest hook. An action declared in the
/// crate's `actions.yaml` (or the `actions:` of its `charmcraft.yaml`) is
/// accepted too: Juju runs an action as a hook named after it.
///
#[doc = include_str!("../docs/hook.md")]
#[proc_macro_attribute]
pub fn hook(attr: TokenStream, item: TokenStream) -> TokenStream {
    run(Kind::Hook, attr, item)
}

/// Runs the handler when action `name` runs (Juju's
/// `JUJU_DISPATCH_PATH=actions/<name>`), in the hooks phase; no `#[hook]`
/// handler runs for an action, even one named like a hook (`stop`).
///
/// The name must follow Juju's action-name rule
/// (`^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`), checked at compile time.
/// `#[action]` stands alone on its function. A handler that returns an
/// error (or panics) fails the action with that message (`action-fail`).
///
/// ```no_run
/// use reactive_core::prelude::*;
/// use reactive_core::hookenv;
///
/// #[action("restart")]
/// fn restart() -> reactive_core::Result {
///     // Any `serde::Deserialize` type; a missing or mistyped parameter is
///     // an error naming it.
///     let force: Option<bool> = hookenv::action_get("force")?;
///     hookenv::action_log("restarting")?;
///     hookenv::action_set([("forced", force.unwrap_or(false))])?;
///     Ok(())
/// }
/// # fn main() {}
/// ```
#[proc_macro_attribute]
pub fn action(attr: TokenStream, item: TokenStream) -> TokenStream {
    action::expand(attr.into(), item.into()).into()
}

/// Runs the handler when one of the files changed since the predicate was
/// last checked (Python `@when_file_changed`).
///
/// The content hash of each file is recorded, with the flags, when the
/// dispatch succeeds. A file that never existed is no change, deleting one
/// is (as in charmhelpers, where missing and never checked read the same).
/// Alone, it makes a handler that runs in the hooks phase and is re-tested
/// in every iteration. A relative path is the charm directory's
/// (`hookenv::charm_path`), where Juju runs hooks, not the process's working
/// directory: in the testing harness, the state's own charm directory.
///
#[doc = include_str!("../docs/when_file_changed.md")]
#[proc_macro_attribute]
pub fn when_file_changed(attr: TokenStream, item: TokenStream) -> TokenStream {
    run(Kind::WhenFileChanged, attr, item)
}

/// Runs the handler at most once in the unit's life (Python `@only_once`).
///
/// The run is recorded when the dispatch succeeds. Takes no arguments.
///
#[doc = include_str!("../docs/only_once.md")]
#[proc_macro_attribute]
pub fn only_once(attr: TokenStream, item: TokenStream) -> TokenStream {
    run(Kind::OnlyOnce, attr, item)
}

/// Warns when the function is called while one of the flags is not set
/// (Python `@not_unless`).
///
/// It registers nothing and triggers nothing: it guards the body with a check
/// that logs, through the `log` crate at warning level,
/// `<file:line:name> called before flag(s): a, b` naming the missing flags,
/// then runs the body anyway. Alone on a function it accepts any function,
/// methods included; stacked with predicates, the guard runs each time the
/// handler does. Outside a dispatch there are no flags to check, and
/// nothing is logged.
///
#[doc = include_str!("../docs/not_unless.md")]
#[proc_macro_attribute]
pub fn not_unless(attr: TokenStream, item: TokenStream) -> TokenStream {
    run(Kind::NotUnless, attr, item)
}

/// Runs the handler in the restricted mode of the `collect-metrics` hook,
/// where only such handlers run (Python `@collect_metrics`).
///
#[doc = include_str!("../docs/collect_metrics.md")]
#[proc_macro_attribute]
pub fn collect_metrics(attr: TokenStream, item: TokenStream) -> TokenStream {
    run(Kind::CollectMetrics, attr, item)
}

/// Runs the handler in the restricted mode of the `meter-status-changed`
/// hook, where only such handlers run (Python `@meter_status_changed`).
///
#[doc = include_str!("../docs/meter_status_changed.md")]
#[proc_macro_attribute]
pub fn meter_status_changed(attr: TokenStream, item: TokenStream) -> TokenStream {
    run(Kind::MeterStatusChanged, attr, item)
}

/// Declares flag names once, as `&str` constants checked like the
/// attributes' literals, for use in the predicates (`#[when(INSTALLED)]`)
/// and in the flag API (`set_flag(INSTALLED)`): a misspelt constant is a
/// compile error, where a misspelt string is a handler that never runs.
/// String literals keep working beside them.
///
/// ```
/// use reactive_core::prelude::*;
///
/// flags! {
///     /// The application is installed.
///     pub INSTALLED = "app.installed";
///     STARTED = "app.started";
/// }
///
/// #[when(INSTALLED)]
/// #[when_not(STARTED, "app.paused")]
/// fn start() {
///     set_flag(STARTED);
/// }
/// # fn main() {}
/// ```
#[proc_macro]
pub fn flags(input: TokenStream) -> TokenStream {
    flags::expand(input.into()).into()
}
