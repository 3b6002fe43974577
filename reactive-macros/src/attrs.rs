//! The attributes of the DSL and their arguments, parsed.
//!
//! The first of a function's reactive attributes to expand collects its
//! siblings from the function's remaining attributes (outer attributes expand
//! first, top to bottom), so that a stack of them yields one handler.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, ExprPath, Lit, LitStr, Meta, Token};

/// One attribute of the DSL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    When,
    WhenAll,
    WhenAny,
    WhenNot,
    WhenNone,
    WhenNotAll,
    Hook,
    WhenFileChanged,
    OnlyOnce,
    NotUnless,
    CollectMetrics,
    MeterStatusChanged,
}

/// What the arguments of an attribute are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Args {
    /// One or more flag names.
    Flags,
    /// One or more hook patterns.
    HookPatterns,
    /// One or more file paths.
    Paths,
    /// No argument.
    None,
}

impl Kind {
    const ALL: [Kind; 12] = [
        Kind::When,
        Kind::WhenAll,
        Kind::WhenAny,
        Kind::WhenNot,
        Kind::WhenNone,
        Kind::WhenNotAll,
        Kind::Hook,
        Kind::WhenFileChanged,
        Kind::OnlyOnce,
        Kind::NotUnless,
        Kind::CollectMetrics,
        Kind::MeterStatusChanged,
    ];

    /// The attribute's name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::When => "when",
            Kind::WhenAll => "when_all",
            Kind::WhenAny => "when_any",
            Kind::WhenNot => "when_not",
            Kind::WhenNone => "when_none",
            Kind::WhenNotAll => "when_not_all",
            Kind::Hook => "hook",
            Kind::WhenFileChanged => "when_file_changed",
            Kind::OnlyOnce => "only_once",
            Kind::NotUnless => "not_unless",
            Kind::CollectMetrics => "collect_metrics",
            Kind::MeterStatusChanged => "meter_status_changed",
        }
    }

    /// The attribute named `name`, if it is one of ours.
    pub(crate) fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    pub(crate) fn args(self) -> Args {
        match self {
            Kind::When
            | Kind::WhenAll
            | Kind::WhenAny
            | Kind::WhenNot
            | Kind::WhenNone
            | Kind::WhenNotAll
            | Kind::NotUnless => Args::Flags,
            Kind::Hook => Args::HookPatterns,
            Kind::WhenFileChanged => Args::Paths,
            Kind::OnlyOnce | Kind::CollectMetrics | Kind::MeterStatusChanged => Args::None,
        }
    }

    /// A predicate on flags (false outside the flag phase).
    pub(crate) fn is_flag_predicate(self) -> bool {
        self.args() == Args::Flags && self != Kind::NotUnless
    }

    /// `collect_metrics` or `meter_status_changed`.
    pub(crate) fn is_restricted(self) -> bool {
        matches!(self, Kind::CollectMetrics | Kind::MeterStatusChanged)
    }
}

/// One argument: a string literal, or (for flags) a constant, such as one
/// declared with `flags!`, whose name the compiler checks.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Lit(LitStr),
    Const(ExprPath),
}

impl ToTokens for Arg {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Arg::Lit(l) => l.to_tokens(tokens),
            Arg::Const(p) => p.to_tokens(tokens),
        }
    }
}

/// One attribute as written on the function.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) kind: Kind,
    /// The attribute's tokens, for errors about it; `None` for the attribute
    /// being expanded, whose call site is the whole attribute.
    pub(crate) at: Option<TokenStream>,
    pub(crate) args: Vec<Arg>,
}

impl Entry {
    /// An error spanned on the whole attribute.
    pub(crate) fn error(&self, msg: impl std::fmt::Display) -> syn::Error {
        match &self.at {
            Some(tokens) => syn::Error::new_spanned(tokens, msg),
            None => syn::Error::new(Span::call_site(), msg),
        }
    }
}

/// Parses the arguments of an attribute: string literals separated by commas.
pub(crate) fn parse_args(
    kind: Kind,
    at: Option<TokenStream>,
    tokens: TokenStream,
) -> syn::Result<Entry> {
    let exprs = Punctuated::<Expr, Token![,]>::parse_terminated.parse2(tokens)?;
    let mut args = Vec::new();
    let mut errors: Option<syn::Error> = None;
    for e in exprs {
        match e {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(s), ..
            }) if kind.args() != Args::None => args.push(Arg::Lit(s)),
            Expr::Path(p) if kind.args() == Args::Flags => args.push(Arg::Const(p)),
            other => {
                let msg = if kind.args() == Args::None {
                    format!("`#[{}]` takes no arguments", kind.name())
                } else if kind.args() == Args::Flags {
                    format!(
                        "`#[{}]` takes flag names, as string literals (`#[{}(\"{}\")]`) \
                         or constants declared with `flags!`",
                        kind.name(),
                        kind.name(),
                        example(kind)
                    )
                } else {
                    format!(
                        "`#[{}]` takes string literals, like `#[{}(\"{}\")]`",
                        kind.name(),
                        kind.name(),
                        example(kind)
                    )
                };
                push(&mut errors, syn::Error::new_spanned(other, msg));
            }
        }
    }
    match errors {
        Some(e) => Err(e),
        None => Ok(Entry { kind, at, args }),
    }
}

fn example(kind: Kind) -> &'static str {
    match kind.args() {
        Args::HookPatterns => "install",
        Args::Paths => "/etc/app.conf",
        _ => "db.ready",
    }
}

/// Removes our attributes from `attrs` and parses them, in order. An
/// attribute is ours when the last segment of its path names one of ours
/// (`when`, `reactive_core::when`, ...).
pub(crate) fn take_siblings(attrs: &mut Vec<Attribute>) -> (Vec<Entry>, Option<syn::Error>) {
    let mut entries = Vec::new();
    let mut errors = None;
    attrs.retain(|attr| {
        let Some(kind) = attr
            .path()
            .segments
            .last()
            .and_then(|s| Kind::from_name(&s.ident.to_string()))
        else {
            return true;
        };
        let at = Some(attr.to_token_stream());
        let parsed = match &attr.meta {
            Meta::Path(_) => parse_args(kind, at, TokenStream::new()),
            Meta::List(list) => parse_args(kind, at, list.tokens.clone()),
            Meta::NameValue(nv) => Err(syn::Error::new(
                nv.eq_token.span,
                format!(
                    "write `#[{}(...)]`, not `#[{} = ...]`",
                    kind.name(),
                    kind.name()
                ),
            )),
        };
        match parsed {
            Ok(e) => entries.push(e),
            Err(e) => push(&mut errors, e),
        }
        false
    });
    (entries, errors)
}

/// Adds `e` to the errors collected so far.
pub(crate) fn push(errors: &mut Option<syn::Error>, e: syn::Error) {
    match errors {
        Some(all) => all.combine(e),
        None => *errors = Some(e),
    }
}
