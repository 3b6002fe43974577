//! Compile-time checks: flag names, hook patterns, how attributes combine,
//! and the handler's signature. Each error is spanned on what is wrong.

use syn::{FnArg, LitStr, Signature, Type};

use crate::attrs::{push, Arg, Args, Entry, Kind};

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
        for arg in &e.args {
            // A constant's value is checked where `flags!` declares it.
            let Arg::Lit(lit) = arg else { continue };
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

/// The grammar's verdict, spanned on the literal.
fn spanned(lit: &LitStr, checked: Result<(), reactive_grammar::GrammarError>) -> syn::Result<()> {
    checked.map_err(|e| syn::Error::new(lit.span(), e.to_string()))
}

fn flag(kind: Kind, lit: &LitStr) -> syn::Result<()> {
    let s = lit.value();
    spanned(lit, reactive_grammar::check_flag(&s))?;
    if kind == Kind::NotUnless {
        if let Some(g) = reactive_grammar::groups(&s, reactive_grammar::What::Flag)
            .ok()
            .and_then(|g| g.first().copied())
        {
            return Err(syn::Error::new(
                lit.span(),
                format!("`#[not_unless]` checks flags as written: `{{{g}}}` would not be expanded"),
            ));
        }
    }
    Ok(())
}

/// The pattern's grammar, and that it names hooks Juju runs. An action of
/// the crate named in `#[hook]` is refused with a pointer to `#[action]`:
/// an action dispatches as `actions/<name>`, which no hook pattern matches.
fn hook_pattern(lit: &LitStr) -> syn::Result<()> {
    use reactive_grammar::HookPatternError;
    let pattern = lit.value();
    match reactive_grammar::check_hook_pattern(&pattern) {
        Ok(()) => Ok(()),
        Err(HookPatternError::Unknown(u))
            if u.suggestion.is_none() && crate::actions::declared().contains(&pattern) =>
        {
            Err(syn::Error::new(
                lit.span(),
                format!(
                    "`{pattern}` is an action of this crate, not a hook: \
                     declare its handler with `#[action(\"{pattern}\")]`"
                ),
            ))
        }
        Err(e) => Err(syn::Error::new(lit.span(), e.to_string())),
    }
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

    use super::*;

    fn lit(s: &str) -> LitStr {
        LitStr::new(s, Span::call_site())
    }

    /// The grammar itself is tested in `reactive-grammar`; here, that its
    /// verdicts reach the macros, and the one rule of their own.
    #[test]
    fn the_grammar_decides() {
        assert!(hook_pattern(&lit("{requires:kafka}-relation-{joined,changed}")).is_ok());
        let e = hook_pattern(&lit("{peer:ring}-relation-joined")).unwrap_err();
        assert!(e.to_string().starts_with("unknown role `peer`"), "{e}");
        assert!(flag(Kind::When, &lit("{relation_name}.x")).is_ok());
        assert!(flag(Kind::When, &lit("a b")).is_err());
        assert!(flag(Kind::NotUnless, &lit("{relation_name}.x")).is_err());
        let e = hook_pattern(&lit("config-change")).unwrap_err();
        assert!(
            e.to_string().contains("did you mean `config-changed`?"),
            "{e}"
        );
    }
}
