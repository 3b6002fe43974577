//! `flags!`: flag names declared once as constants, checked by the
//! grammar, so a misspelt constant is a compile error where a misspelt
//! string would be a handler that never runs.

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Ident, LitStr, Token, Visibility};

/// `#[doc] pub NAME = "flag";`
struct FlagConst {
    attrs: Vec<Attribute>,
    vis: Visibility,
    name: Ident,
    value: LitStr,
}

struct FlagConsts(Vec<FlagConst>);

impl Parse for FlagConsts {
    fn parse(input: ParseStream<'_>) -> syn::Result<FlagConsts> {
        let mut out = Vec::new();
        while !input.is_empty() {
            let attrs = input.call(Attribute::parse_outer)?;
            let vis = input.parse()?;
            let name = input.parse()?;
            input.parse::<Token![=]>()?;
            let value = input.parse()?;
            input.parse::<Token![;]>()?;
            out.push(FlagConst {
                attrs,
                vis,
                name,
                value,
            });
        }
        Ok(FlagConsts(out))
    }
}

/// One `&str` constant per entry, or the grammar's errors spanned on the
/// literals.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let consts: FlagConsts = match syn::parse2(input) {
        Ok(c) => c,
        Err(e) => return e.to_compile_error(),
    };
    let mut out = TokenStream::new();
    for FlagConst {
        attrs,
        vis,
        name,
        value,
    } in consts.0
    {
        if let Err(e) = reactive_grammar::check_flag(&value.value()) {
            out.extend(syn::Error::new(value.span(), e.to_string()).to_compile_error());
        }
        out.extend(quote! {
            #(#attrs)*
            #vis const #name: &str = #value;
        });
    }
    out
}
