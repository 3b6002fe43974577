use reactive_core::prelude::*;

#[when("a")]
fn type_param<T: Default>() {}

#[when("a")]
fn lifetime<'a>(_name: &'a str) {}

#[when("a")]
fn impl_trait(_ctx: impl HandlerArgLike) {}

#[when("a")]
fn where_clause()
where
    u8: Copy,
{
}

trait HandlerArgLike {}

fn main() {}
