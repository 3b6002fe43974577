//! Code generation: one registered handler per function, whatever the number
//! of stacked attributes, and the `#[not_unless]` guard.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{parse_quote, FnArg, Ident, ItemFn, LitStr, Pat, ReturnType, Type};

use crate::attrs::{parse_args, push, take_siblings, Arg, Entry, Kind};
use crate::validate;

/// Expands the first of a function's reactive attributes, `kind(attr)`,
/// together with the siblings still on `item`.
pub(crate) fn expand(kind: Kind, attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = None;
    let mut func: ItemFn = match syn::parse2(item) {
        Ok(f) => f,
        Err(_) => {
            let msg = format!("`#[{}]` applies to a function with a body", kind.name());
            return syn::Error::new(Span::call_site(), msg).to_compile_error();
        }
    };
    let mut entries = Vec::new();
    match parse_args(kind, None, attr) {
        Ok(e) => entries.push(e),
        Err(e) => push(&mut errors, e),
    }
    let (siblings, sibling_errors) = take_siblings(&mut func.attrs);
    entries.extend(siblings);
    if let Some(e) = sibling_errors {
        push(&mut errors, e);
    }
    if let Some(e) = validate::entries(&entries) {
        push(&mut errors, e);
    }
    let registers = entries.iter().any(|e| e.kind != Kind::NotUnless);
    if registers {
        if let Some(e) = validate::signature(&func.sig) {
            push(&mut errors, e);
        }
    }
    if let Some(e) = errors {
        // The function is kept, so the errors above are the only ones.
        let e = e.to_compile_error();
        return quote!(#func #e);
    }
    guard(&mut func, &entries);
    let registration = if registers {
        registration(&func, &entries)
    } else {
        TokenStream::new()
    };
    quote!(#func #registration)
}

/// `file!()`, `line!()` and the name of the function, taken from the span of
/// its name so the handler id points at the function, not the attribute.
struct Site {
    file: TokenStream,
    line: TokenStream,
    name: LitStr,
}

fn site(ident: &Ident) -> Site {
    let span = ident.span();
    Site {
        file: quote_spanned!(span=> ::core::file!()),
        line: quote_spanned!(span=> ::core::line!()),
        name: LitStr::new(&ident.unraw().to_string(), span),
    }
}

/// Prepends the `#[not_unless]` check to the body.
fn guard(func: &mut ItemFn, entries: &[Entry]) {
    let flags: Vec<&Arg> = entries
        .iter()
        .filter(|e| e.kind == Kind::NotUnless)
        .flat_map(|e| &e.args)
        .collect();
    if flags.is_empty() {
        return;
    }
    let Site { file, line, name } = site(&func.sig.ident);
    let check = parse_quote! {
        ::reactive_core::__private::warn_unless_flags(
            ::core::concat!(#file, ":", #line, ":", #name),
            &[#(#flags),*],
        );
    };
    func.block.stmts.insert(0, check);
}

fn predicate(e: &Entry) -> Option<TokenStream> {
    let args = &e.args;
    let list = quote!(&[#(#args),*]);
    let p = quote!(::reactive_core::Predicate);
    Some(match e.kind {
        Kind::When | Kind::WhenAll => quote!(#p::WhenAll(#list)),
        Kind::WhenAny => quote!(#p::WhenAny(#list)),
        Kind::WhenNot | Kind::WhenNone => quote!(#p::WhenNone(#list)),
        Kind::WhenNotAll => quote!(#p::WhenNotAll(#list)),
        Kind::Hook => quote!(#p::Hook(#list)),
        Kind::WhenFileChanged => quote!(#p::WhenFileChanged(#list)),
        Kind::OnlyOnce => quote!(#p::OnlyOnce),
        Kind::CollectMetrics => quote!(#p::Restricted("collect-metrics")),
        Kind::MeterStatusChanged => quote!(#p::Restricted("meter-status-changed")),
        Kind::NotUnless => return None,
    })
}

/// How a parameter is passed once resolved.
enum Pass {
    Value,
    Ref,
    Mut,
}

/// The invoke and binding functions and the `inventory` submission.
fn registration(func: &ItemFn, entries: &[Entry]) -> TokenStream {
    let predicates: Vec<TokenStream> = entries.iter().filter_map(predicate).collect();
    registration_with(func, &predicates)
}

/// [`registration`] with the predicates already written out (`#[action]`
/// writes its own).
pub(crate) fn registration_with(func: &ItemFn, predicates: &[TokenStream]) -> TokenStream {
    let ident = &func.sig.ident;
    let Site { file, line, name } = site(ident);
    let writes = crate::writes::registration(func);
    // Mixed-site hygiene: these locals cannot clash with the user's names.
    let inv = Ident::new("invocation", Span::mixed_site());
    let ret = Ident::new("returned", Span::mixed_site());
    let mut resolve = Vec::new();
    let mut call = Vec::new();
    let mut bindings = Vec::new();
    for (i, arg) in func.sig.inputs.iter().enumerate() {
        let FnArg::Typed(arg) = arg else {
            continue; // refused by validate::signature
        };
        let param = match &*arg.pat {
            Pat::Ident(p) => p.ident.unraw().to_string(),
            Pat::Wild(_) => "_".to_string(),
            _ => format!("arg{i}"),
        };
        let (ty, pass) = match &*arg.ty {
            Type::Reference(r) if r.mutability.is_some() => (&*r.elem, Pass::Mut),
            Type::Reference(r) => (&*r.elem, Pass::Ref),
            other => (other, Pass::Value),
        };
        let var = format_ident!("arg{}", i, span = Span::mixed_site());
        let value = quote_spanned! {ty.span()=>
            <#ty as ::reactive_core::HandlerArg>::from_invocation(#inv, #param)?
        };
        resolve.push(match pass {
            Pass::Mut => quote!(let mut #var = #value;),
            _ => quote!(let #var = #value;),
        });
        call.push(match pass {
            Pass::Value => quote!(#var),
            Pass::Ref => quote!(&#var),
            Pass::Mut => quote!(&mut #var),
        });
        bindings.push(quote_spanned! {ty.span()=>
            <#ty as ::reactive_core::HandlerArg>::binding
        });
    }
    let convert = match &func.sig.output {
        // Qualified by the return type and spanned on it, so that a type
        // that is not a handler result is reported there.
        ReturnType::Type(_, ty) if !matches!(**ty, Type::ImplTrait(_)) => {
            quote_spanned! {ty.span()=>
                <#ty as ::reactive_core::IntoHandlerResult>::into_handler_result(#ret)
            }
        }
        _ => quote!(::reactive_core::IntoHandlerResult::into_handler_result(#ret)),
    };
    quote! {
        const _: () = {
            fn __reactive_invoke(
                #inv: &::reactive_core::Invocation<'_>,
            ) -> ::core::result::Result<(), ::reactive_core::HandlerError> {
                #(#resolve)*
                let #ret = #ident(#(#call),*);
                #convert
            }
            ::reactive_core::__private::inventory::submit! {
                ::reactive_core::__private::HandlerSpec {
                    file: #file,
                    line: #line,
                    name: #name,
                    declared_in: ::core::module_path!(),
                    predicates: &[#(#predicates),*],
                    invoke: __reactive_invoke,
                    bindings: &[#(#bindings),*],
                    writes: #writes,
                }
            }
        };
    }
}
