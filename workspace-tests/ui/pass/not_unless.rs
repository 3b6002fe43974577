//! `#[not_unless]` alone registers nothing, and so accepts any function:
//! methods, generic and `async` functions, any return type.
use reactive_core::prelude::*;
use reactive_core::__private::Registry;

#[not_unless("db.ready")]
fn render<T: std::fmt::Display>(value: T) -> String {
    format!("value = {value}")
}

struct Service;

impl Service {
    #[not_unless("db.ready", "cache.ready")]
    fn restart(&self) -> bool {
        true
    }
}

trait Restartable {
    #[not_unless("db.ready")]
    fn stop(&self) -> u8 {
        3
    }
}
impl Restartable for Service {}

#[not_unless("db.ready")]
#[allow(dead_code)]
async fn fetch() -> u8 {
    4
}

// Stacked with predicates, it guards a registered handler.
#[when("app.installed")]
#[not_unless("db.ready")]
fn configure() {}

fn main() {
    assert_eq!(render(5), "value = 5");
    assert!(Service.restart());
    assert_eq!(Service.stop(), 3);
    let reg = Registry::from_inventory_in(module_path!(), None).unwrap();
    let handlers = reg.handlers();
    assert_eq!(handlers.len(), 1);
    assert!(handlers[0].id.ends_with(":configure"));
    assert_eq!(handlers[0].predicates, ["when_all(app.installed)"]);
    configure();
}
