//! Compile-time checks: flag names, hook patterns, how attributes combine,
//! and the handler's signature. Each error is spanned on what is wrong.

use syn::{FnArg, LitStr, Signature, Type};

use crate::attrs::{push, Args, Entry, Kind};

/// The placeholders a flag name may hold.
const FLAG_PLACEHOLDERS: [&str; 2] = ["relation_name", "endpoint_name"];

/// The roles of `{role:interface}` in hook patterns.
const ROLES: [&str; 3] = ["provides", "requires", "peers"];

/// Checks every attribute's arguments and how the attributes combine.
pub(crate) fn entries(entries: &[Entry]) -> Option<syn::Error> {
    let mut errors = None;
    for e in entries {
        if e.args.is_empty() && e.kind.args() != Args::None {
            let what = match e.kind.args() {
                Args::HookPatterns => "hook pattern",
                Args::Paths => "file path",
                _ => "flag",
            };
            push(
                &mut errors,
                e.error(format_args!(
                    "`#[{}]` needs at least one {what}",
                    e.kind.name()
                )),
            );
        }
        for lit in &e.args {
            let checked = match e.kind.args() {
                Args::Flags => flag(e.kind, lit),
                Args::HookPatterns => hook_pattern(lit),
                Args::Paths => path(lit),
                Args::None => Ok(()),
            };
            if let Err(err) = checked {
                push(&mut errors, err);
            }
        }
    }
    if let Err(e) = combination(entries) {
        push(&mut errors, e);
    }
    errors
}

/// Rules for stacking attributes on one function. The error goes on the
/// later of two attributes that conflict.
fn combination(entries: &[Entry]) -> syn::Result<()> {
    for (i, later) in entries.iter().enumerate() {
        for earlier in &entries[..i] {
            let (a, b) = (earlier.kind, later.kind);
            let msg = if a == b && (a == Kind::Hook || a == Kind::OnlyOnce || a.is_restricted()) {
                let hint = if a == Kind::Hook {
                    ": list every pattern in one `#[hook(...)]`"
                } else {
                    ""
                };
                format!("`#[{}]` is given twice{hint}", b.name())
            } else if a.is_restricted() && b.is_restricted() {
                format!(
                    "`#[{}]` and `#[{}]` cannot both hold: a handler runs in the restricted mode \
                     of one hook",
                    a.name(),
                    b.name()
                )
            } else if let Some((hook, flag)) =
                pair(a, b, |k| k == Kind::Hook, Kind::is_flag_predicate)
            {
                format!(
                    "`#[{}]` cannot be combined with `#[{}]` on one handler: hook handlers run \
                     in the hooks phase, where flag predicates never hold",
                    hook.name(),
                    flag.name()
                )
            } else if let Some((r, other)) = pair(a, b, Kind::is_restricted, |k| {
                k == Kind::Hook || k.is_flag_predicate()
            }) {
                format!(
                    "`#[{}]` cannot be combined with `#[{}]`: in restricted mode only \
                     `#[{}]` handlers run and flag and hook predicates never hold",
                    r.name(),
                    other.name(),
                    r.name()
                )
            } else {
                continue;
            };
            return Err(later.error(msg));
        }
    }
    Ok(())
}

/// `(x, y)` when one of `a`, `b` satisfies `is_x` and the other `is_y`.
fn pair(
    a: Kind,
    b: Kind,
    is_x: impl Fn(Kind) -> bool,
    is_y: impl Fn(Kind) -> bool,
) -> Option<(Kind, Kind)> {
    if is_x(a) && is_y(b) {
        Some((a, b))
    } else if is_x(b) && is_y(a) {
        Some((b, a))
    } else {
        None
    }
}

/// A name that is not empty and holds no whitespace or control character
/// (the rule of `reactive_core::flags::validate_flag`).
fn plain(lit: &LitStr, what: &str) -> syn::Result<String> {
    let s = lit.value();
    let reason = if s.is_empty() {
        "must not be empty"
    } else if s.chars().any(char::is_whitespace) {
        "must not contain whitespace"
    } else if s.chars().any(char::is_control) {
        "must not contain control characters"
    } else {
        return Ok(s);
    };
    Err(syn::Error::new(lit.span(), format!("a {what} {reason}")))
}

/// The `{...}` groups of `s`, or an error for unbalanced or nested braces.
fn groups<'s>(s: &'s str, lit: &LitStr, what: &str) -> syn::Result<Vec<&'s str>> {
    let err = |m: String| syn::Error::new(lit.span(), m);
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        let open = rest.find('{');
        let close = rest.find('}');
        match (open, close) {
            (None, None) => return Ok(out),
            (Some(o), Some(c)) if o < c => {
                let inner = &rest[o + 1..c];
                if inner.contains('{') {
                    return Err(err(format!("nested `{{` in {what} {s:?}")));
                }
                if inner.is_empty() {
                    return Err(err(format!("empty `{{}}` in {what} {s:?}")));
                }
                out.push(inner);
                rest = &rest[c + 1..];
            }
            (Some(_), None) => return Err(err(format!("unbalanced `{{` in {what} {s:?}"))),
            (_, Some(_)) => return Err(err(format!("unbalanced `}}` in {what} {s:?}"))),
        }
    }
}

fn flag(kind: Kind, lit: &LitStr) -> syn::Result<()> {
    let s = plain(lit, "flag name")?;
    for g in groups(&s, lit, "flag")? {
        if kind == Kind::NotUnless {
            return Err(syn::Error::new(
                lit.span(),
                format!("`#[not_unless]` checks flags as written: `{{{g}}}` would not be expanded"),
            ));
        }
        if !FLAG_PLACEHOLDERS.contains(&g) {
            return Err(syn::Error::new(
                lit.span(),
                format!(
                    "unknown placeholder `{{{g}}}` in flag {s:?}: flags may use \
                     `{{relation_name}}` or `{{endpoint_name}}`"
                ),
            ));
        }
    }
    Ok(())
}

fn hook_pattern(lit: &LitStr) -> syn::Result<()> {
    let s = plain(lit, "hook pattern")?;
    let err = |m: String| syn::Error::new(lit.span(), m);
    for g in groups(&s, lit, "hook pattern")? {
        if let Some((role, interface)) = g.split_once(':') {
            if !ROLES.contains(&role) {
                return Err(err(format!(
                    "unknown role `{role}` in `{{{g}}}`: the role is `provides`, `requires` \
                     or `peers`"
                )));
            }
            if interface.is_empty() || interface.contains([':', ',']) {
                return Err(err(format!(
                    "`{{{g}}}` must be `{{role:interface}}` with one interface name"
                )));
            }
        } else {
            let choices: Vec<&str> = g.split(',').collect();
            if choices.len() < 2 || choices.iter().any(|c| c.is_empty()) {
                return Err(err(format!(
                    "unknown placeholder `{{{g}}}` in hook pattern {s:?}: use \
                     `{{role:interface}}` or an alternation of two or more names, `{{a,b}}`"
                )));
            }
        }
    }
    Ok(())
}

fn path(lit: &LitStr) -> syn::Result<()> {
    if lit.value().is_empty() {
        return Err(syn::Error::new(lit.span(), "a file path must not be empty"));
    }
    Ok(())
}

/// Checks that the function can be a registered handler: a plain function
/// without receiver, generics or `async`.
pub(crate) fn signature(sig: &Signature) -> Option<syn::Error> {
    let mut found: Vec<syn::Error> = Vec::new();
    let generic = "a handler cannot be generic: the engine must know its parameter types";
    if let Some(t) = &sig.asyncness {
        found.push(syn::Error::new(
            t.span,
            "a handler cannot be `async`: the engine calls handlers one after the other, \
             synchronously",
        ));
    }
    if let Some(t) = &sig.unsafety {
        found.push(syn::Error::new(t.span, "a handler cannot be `unsafe`"));
    }
    if !sig.generics.params.is_empty() {
        found.push(syn::Error::new_spanned(&sig.generics, generic));
    } else if let Some(w) = &sig.generics.where_clause {
        found.push(syn::Error::new_spanned(w, generic));
    }
    if let Some(v) = &sig.variadic {
        found.push(syn::Error::new_spanned(v, "a handler cannot be variadic"));
    }
    for arg in &sig.inputs {
        match arg {
            FnArg::Receiver(r) => found.push(syn::Error::new_spanned(
                r,
                "a handler cannot take `self`: declare it as a free function",
            )),
            FnArg::Typed(t) if contains_impl_trait(&t.ty) => {
                found.push(syn::Error::new_spanned(
                    &t.ty,
                    "a handler cannot be generic: name the parameter's type instead of \
                     `impl Trait`",
                ));
            }
            FnArg::Typed(_) => {}
        }
    }
    found.into_iter().reduce(|mut all, e| {
        all.combine(e);
        all
    })
}

fn contains_impl_trait(ty: &Type) -> bool {
    match ty {
        Type::ImplTrait(_) => true,
        Type::Reference(r) => contains_impl_trait(&r.elem),
        Type::Paren(p) => contains_impl_trait(&p.elem),
        Type::Group(g) => contains_impl_trait(&g.elem),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::Span;
    use proptest::prelude::*;
    use reactive_core::flags::validate_flag;
    use reactive_core::predicates::{expand_flag, expand_hook_pattern};
    use reactive_core::Metadata;

    use super::*;

    fn lit(s: &str) -> LitStr {
        LitStr::new(s, Span::call_site())
    }

    fn metadata() -> Metadata {
        Metadata::parse(
            "name: app\nrequires:\n  queue: {interface: kafka}\npeers:\n  cluster: {interface: ring}\n",
            "metadata.yaml",
        )
        .expect("metadata")
    }

    #[test]
    fn hook_patterns() {
        for ok in [
            "install",
            "db-relation-{joined,changed}",
            "{requires:kafka}-relation-{joined,changed,departed}",
            "{peers:ring}-relation-joined",
            "{a,b}-{c,d}",
        ] {
            assert!(hook_pattern(&lit(ok)).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "install ",
            "a-{b",
            "a-}b",
            "a-{}",
            "{a{b,c}}",
            "{relation_name}-relation-joined",
            "{peer:ring}-relation-joined",
            "{requires:}-x",
            "{requires:a:b}-x",
            "{a,}",
            "{,a}",
        ] {
            assert!(hook_pattern(&lit(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn flags() {
        for ok in [
            "a",
            "db.ready",
            "{relation_name}.connected",
            "x.{endpoint_name}",
        ] {
            assert!(flag(Kind::When, &lit(ok)).is_ok(), "{ok}");
        }
        for bad in ["", "a b", "a\u{7}", "{relation}.x", "{}.x", "a}", "{a"] {
            assert!(flag(Kind::When, &lit(bad)).is_err(), "{bad:?}");
        }
        assert!(flag(Kind::NotUnless, &lit("{relation_name}.x")).is_err());
    }

    /// Hook patterns made of names, alternations, `{role:interface}` and
    /// stray punctuation, well-formed or not.
    fn pattern() -> impl Strategy<Value = String> {
        let part = prop_oneof![
            "[a-z-]{1,4}",
            "\\{[a-z]{0,3}(,[a-z]{0,3}){0,2}\\}",
            "\\{(provides|requires|peers|peer):[a-z]{0,4}\\}",
            "[{}:, ]",
        ];
        prop::collection::vec(part, 0..5).prop_map(|v| v.concat())
    }

    proptest! {
        /// What the macros accept, the engine accepts when it registers the
        /// handler.
        #[test]
        fn accepted_hook_patterns_expand_at_run_time(s in pattern()) {
            if hook_pattern(&lit(&s)).is_ok() {
                prop_assert!(expand_hook_pattern(&s, Some(&metadata())).is_ok());
                prop_assert!(expand_hook_pattern(&s, None).is_ok());
            }
        }

        #[test]
        fn accepted_flags_are_valid_once_expanded(
            s in "([a-z. _{}]|\\{relation_name\\}|\\{endpoint_name\\}){0,6}"
        ) {
            if flag(Kind::When, &lit(&s)).is_ok() {
                prop_assert!(validate_flag(&expand_flag(&s, "queue")).is_ok());
            }
        }
    }
}
