//! `#[action("name")]`: a handler of one action, its name checked at
//! compile time against Juju's action-name rule (`juju/charm` `actions.go`:
//! `^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`).

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{ItemFn, LitStr};

use crate::attrs::{push, take_siblings};
use crate::expand::registration_with;
use crate::validate;

/// Expands `#[action(attr)]` on `item`.
pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut func: ItemFn = match syn::parse2(item) {
        Ok(f) => f,
        Err(_) => {
            let msg = "`#[action]` applies to a function with a body";
            return syn::Error::new(Span::call_site(), msg).to_compile_error();
        }
    };
    let mut errors = None;
    let name = match syn::parse2::<LitStr>(attr) {
        Ok(name) => {
            if let Err(e) = check_name(&name) {
                push(&mut errors, e);
            }
            Some(name)
        }
        Err(e) => {
            let msg = "`#[action]` takes one action name, like `#[action(\"restart\")]`";
            push(&mut errors, syn::Error::new(e.span(), msg));
            None
        }
    };
    let (siblings, sibling_errors) = take_siblings(&mut func.attrs);
    if let Some(e) = sibling_errors {
        push(&mut errors, e);
    }
    for s in &siblings {
        push(
            &mut errors,
            s.error(format!(
                "`#[action]` stands alone: an action's handlers run when the action does, \
                 so `#[{}]` cannot be added to one",
                s.kind.name()
            )),
        );
    }
    if let Some(e) = validate::signature(&func.sig) {
        push(&mut errors, e);
    }
    match (errors, name) {
        (None, Some(name)) => {
            let predicate = quote!(::reactive_core::Predicate::Action(#name));
            let registration = registration_with(&func, &[predicate]);
            quote!(#func #registration)
        }
        (errors, _) => {
            let e = errors.map(|e| e.to_compile_error()).unwrap_or_default();
            quote!(#func #e)
        }
    }
}

/// Juju's action-name rule, with a message saying what is wrong.
fn check_name(name: &LitStr) -> syn::Result<()> {
    let v = name.value();
    if juju_charm::is_valid_action_name(&v) {
        return Ok(());
    }
    Err(syn::Error::new(
        name.span(),
        format!(
            "invalid action name {v:?}: Juju takes lowercase letters, digits and inner \
             hyphens (`^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`)"
        ),
    ))
}
