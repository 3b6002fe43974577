//! The handler signatures the engine accepts: any number of parameters it
//! can resolve, by value or by reference, and `()` or `Result<(), E>`.
use reactive_core::prelude::*;
use reactive_core::Registry;

#[when("a")]
fn no_params() {}

#[when("a")]
fn by_reference(ctx: &Context) {
    ctx.set_flag("b");
}

#[when("a")]
fn by_value_and_mut(ctx: Context, mut other: Context, third: &mut Context, _: &Context) {
    ctx.set_flag("c");
    other.set_flag("d");
    other = *third;
    other.set_flag("e");
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
fn any_error(ctx: &Context) -> reactive_core::Result {
    let n: u32 = "42".parse()?;
    ctx.kv().set("n", &n)?;
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
    pub fn in_a_module(_ctx: &Context) {}
}

fn main() {
    // A handler declared inside a function body registers too.
    #[when("a")]
    fn local() {}

    let reg = Registry::from_inventory(None).unwrap();
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
    assert_eq!(nested.len(), 1);
    // The user's functions are kept as written and still callable.
    no_params();
    r#type();
    assert_eq!(own_error().unwrap_err().to_string(), "mine");
}

#[when("a")]
fn opaque() -> impl reactive_core::IntoHandlerResult {}
