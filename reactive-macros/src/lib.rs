//! Attribute macros that declare reactive handlers. Re-exported by `reactive-core`.
use proc_macro::TokenStream;

/// Placeholder until the DSL lands: passes the item through.
#[proc_macro_attribute]
pub fn when(_attr: TokenStream, item: TokenStream) -> TokenStream {
    item
}
