//! The handler signatures the engine accepts: any number of parameters it
//! can resolve, by value or by reference, and `()` or `Result<(), E>`.
use reactive_core::prelude::*;
use reactive_core::__private::Registry;

/// A parameter the engine resolves from nothing.
#[derive(Clone, Copy)]
struct Ctx;

impl reactive_core::HandlerArg for Ctx {
    fn from_invocation(
        _: &reactive_core::Invocation<'_>,
        _: &'static str,
    ) -> ::core::result::Result<Self, reactive_core::Error> {
        Ok(Ctx)
    }
}

#[when("a")]
fn no_params() {}

#[when("a")]
fn by_reference(ctx: &Ctx) {
    let _ = ctx;
    set_flag("b");
}

#[when("a")]
fn by_value_and_mut(ctx: Ctx, mut other: Ctx, third: &mut Ctx, _: &Ctx) {
    let _ = ctx;
    other = *third;
    *third = other;
    set_flag("c");
}

#[when("a")]
fn io_error() -> Result<(), std::io::Error> {
    std::fs::metadata("/")?;
    Ok(())
}

#[derive(Debug)]
struct MyError;
impl std::fmt::Display for MyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("mine")
    }
}
impl std::error::Error for MyError {}

#[when("a")]
fn own_error() -> std::result::Result<(), MyError> {
    Err(MyError)
}

#[when("a")]
fn any_error(_: Ctx) -> reactive_core::Result {
    let n: u32 = "42".parse()?;
    kv().set("n", &n)?;
    Err(MyError)?;
    Err(HandlerError::msg("unreachable"))
}

#[when("a")]
fn unit_return() -> () {}

#[when("a")]
pub(crate) fn r#type() {}

mod nested {
    use reactive_core::prelude::*;

    #[when("a")]
    pub fn in_a_module(_ctx: &super::Ctx) {}
}

fn main() {
    // A handler declared inside a function body registers too.
    #[when("a")]
    fn local() {}

    let reg = Registry::from_inventory_in(module_path!(), None).unwrap();
    let mut names: Vec<String> = reg
        .handlers()
        .into_iter()
        .map(|h| h.id.rsplit(':').next().unwrap().to_string())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "any_error",
            "by_reference",
            "by_value_and_mut",
            "in_a_module",
            "io_error",
            "local",
            "no_params",
            "opaque",
            "own_error",
            "type",
            "unit_return"
        ]
    );
    let nested = Registry::from_inventory_in(&format!("{}::nested", module_path!()), None).unwrap();
    assert_eq!(nested.handlers().len(), 1);
    // The user's functions are kept as written and still callable.
    no_params();
    r#type();
    assert_eq!(own_error().unwrap_err().to_string(), "mine");
}

#[when("a")]
fn opaque() -> impl reactive_core::IntoHandlerResult {}
