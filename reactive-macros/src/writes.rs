//! The flags a handler's body sets, found by reading its tokens: the first
//! argument of every `set_flag`, `set_flag_value`, `toggle_flag`,
//! `set_state` and `toggle_state` call (functions or methods) that is a
//! string literal or an upper-case constant. Best effort, for the unit's
//! `handlers --unreachable` listing: a flag set through a variable or a
//! helper function is not seen.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;
use syn::ItemFn;

/// The calls that set the flag named by their first argument.
const SETTERS: [&str; 5] = [
    "set_flag",
    "set_flag_value",
    "toggle_flag",
    "set_state",
    "toggle_state",
];

/// The first argument of a call if it is a literal string or an
/// upper-case constant path (`INSTALLED`, `names::INSTALLED`).
fn first_arg(args: TokenStream) -> Option<TokenStream> {
    let first: Vec<TokenTree> = args
        .into_iter()
        .take_while(|t| !matches!(t, TokenTree::Punct(p) if p.as_char() == ','))
        .collect();
    match first.as_slice() {
        [TokenTree::Literal(l)] if l.to_string().starts_with('"') => Some(quote!(#l)),
        [.., TokenTree::Ident(last)]
            if last
                .to_string()
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                && first.iter().all(|t| match t {
                    // `Self` does not resolve where the submission sits.
                    TokenTree::Ident(i) => i != "Self",
                    TokenTree::Punct(p) => p.as_char() == ':',
                    _ => false,
                }) =>
        {
            Some(first.iter().cloned().collect())
        }
        _ => None,
    }
}

fn scan(tokens: TokenStream, found: &mut Vec<TokenStream>) {
    let mut prev: Option<String> = None;
    for t in tokens {
        if let TokenTree::Group(g) = &t {
            if g.delimiter() == Delimiter::Parenthesis
                && prev.as_deref().is_some_and(|p| SETTERS.contains(&p))
            {
                if let Some(arg) = first_arg(g.stream()) {
                    found.push(arg);
                }
            }
            scan(g.stream(), found);
        }
        prev = match &t {
            TokenTree::Ident(i) => Some(i.to_string()),
            _ => None,
        };
    }
}

/// The `writes` function of `func`'s registration: the flags its body sets.
pub(crate) fn registration(func: &ItemFn) -> TokenStream {
    let mut found = Vec::new();
    let block = &func.block;
    scan(quote!(#block), &mut found);
    // A function, so that a `static` flag name reads as well as a constant.
    quote!(|| ::std::vec![#(#found),*])
}
