//! What a macro-declared handler receives and returns: parameters resolved
//! through `HandlerArg`, errors that name the handler, and the
//! `#[not_unless]` warning.

mod common;

mod param_forms {
    use reactive_core::prelude::*;
    use reactive_core::{Error, HandlerArg, Invocation};

    /// A parameter that carries the flag it was resolved for.
    pub struct Tag(&'static str);

    impl HandlerArg for Tag {
        fn from_invocation(_: &Invocation<'_>, param: &'static str) -> Result<Self, Error> {
            Ok(Tag(param))
        }
    }

    #[when("go")]
    fn by_ref(by_ref: &Tag) {
        set_flag(by_ref.0);
    }

    #[when("go")]
    fn by_value_and_mut(by_value: Tag, by_mut: &mut Tag) {
        set_flag(by_value.0);
        set_flag(by_mut.0);
    }

    #[test]
    fn parameters_are_provided_by_value_and_by_reference() {
        let (_dir, store) = crate::common::store();
        let reg = crate::common::registry(module_path!());
        let s = crate::common::run(&store, &reg, "h", &["go"]);
        assert_eq!(
            crate::common::flags(&s),
            ["by_mut", "by_ref", "by_value", "go"]
        );
    }
}

/// A parameter type that the engine fails to provide, as a relation type
/// does when no relation holds the handler's flag.
mod unresolved {
    use reactive_core::prelude::*;
    use reactive_core::{Error, HandlerArg, Invocation};

    pub struct Db;

    impl HandlerArg for Db {
        fn from_invocation(inv: &Invocation<'_>, param: &'static str) -> Result<Self, Error> {
            let flag = inv.flags().first().cloned().unwrap_or_default();
            Err(inv.arg_error(param, format!("no relation holds flag {flag:?}")))
        }
    }

    #[when("db.available")]
    fn use_db(db: &Db) {
        let _ = db;
        set_flag("unreachable");
    }

    #[test]
    fn an_unresolved_parameter_fails_the_dispatch_naming_handler_param_and_flag() {
        let (_dir, store) = crate::common::store();
        let reg = crate::common::registry(module_path!());
        let (s, result) = crate::common::try_run(&store, &reg, "h", &["db.available"]);
        let err = result.expect_err("dispatch must fail");
        match &err {
            Error::Argument {
                handler,
                param,
                reason,
            } => {
                assert!(handler.ends_with(":use_db"), "{handler}");
                assert_eq!(param, "db");
                assert!(reason.contains("\"db.available\""), "{reason}");
            }
            other => panic!("unexpected error: {other:?}"),
        }
        let msg = err.to_string();
        assert!(msg.contains(":use_db") && msg.contains("`db`"), "{msg}");
        assert!(!crate::common::flags(&s).contains(&"unreachable".to_string()));
    }
}

mod failing {
    use reactive_core::prelude::*;
    use reactive_core::Error;

    #[when("io")]
    fn io_failure() -> Result<(), std::io::Error> {
        std::fs::read("/nonexistent/reactive-rs/file")?;
        Ok(())
    }

    #[when("parse")]
    fn parse_failure() -> reactive_core::Result {
        let _n: u32 = "not a number".parse()?;
        Ok(())
    }

    fn expect_handler_error(preset: &str, name: &str, source: &str) {
        let (_dir, store) = crate::common::store();
        let reg = crate::common::registry(module_path!());
        let (_s, result) = crate::common::try_run(&store, &reg, "h", &[preset]);
        match result {
            Err(Error::Handler { handler, source: e }) => {
                assert!(handler.ends_with(&format!(":{name}")), "{handler}");
                assert!(e.to_string().contains(source), "{e}");
            }
            other => panic!("unexpected result: {other:?}"),
        }
    }

    #[test]
    fn a_returned_error_names_the_handler() {
        expect_handler_error("io", "io_failure", "No such file");
        expect_handler_error("parse", "parse_failure", "invalid digit");
    }
}

/// `#[not_unless]` logs a warning naming the function and the missing flags,
/// and runs the function anyway.
mod not_unless {
    use std::sync::{Mutex, OnceLock};

    use reactive_core::prelude::*;

    struct Capture(Mutex<Vec<String>>);

    impl log::Log for Capture {
        fn enabled(&self, _: &log::Metadata) -> bool {
            true
        }
        fn log(&self, record: &log::Record) {
            if record.level() == log::Level::Warn {
                if let Ok(mut v) = self.0.lock() {
                    v.push(record.args().to_string());
                }
            }
        }
        fn flush(&self) {}
    }

    /// Warnings logged so far that mention `needle` (tests run in parallel).
    fn warnings(needle: &str) -> Vec<String> {
        static LOGGER: OnceLock<&'static Capture> = OnceLock::new();
        let logger = LOGGER.get_or_init(|| {
            let l: &'static Capture = Box::leak(Box::new(Capture(Mutex::new(Vec::new()))));
            log::set_logger(l).expect("no other logger");
            log::set_max_level(log::LevelFilter::Warn);
            l
        });
        let v = logger.0.lock().expect("log lock");
        v.iter().filter(|m| m.contains(needle)).cloned().collect()
    }

    #[not_unless("db.ready", "cache.ready")]
    fn render_config() -> u8 {
        7
    }

    #[when("app.installed")]
    fn configure() {
        if render_config() == 7 {
            set_flag("configured");
        }
    }

    #[when("app.guarded")]
    #[not_unless("guard.flag")]
    fn guarded_handler() {}

    fn dispatch(preset: &[&str]) -> crate::common::Ran {
        let (_dir, store) = crate::common::store();
        let reg = crate::common::registry(module_path!());
        crate::common::run(&store, &reg, "h", preset)
    }

    #[test]
    fn warns_naming_the_missing_flags_and_runs_anyway() {
        warnings("");
        let s = dispatch(&["app.installed", "cache.ready"]);
        assert!(crate::common::flags(&s).contains(&"configured".to_string()));
        let w = warnings(":render_config called before");
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].starts_with("workspace-tests/tests/handler_args.rs:"),
            "{w:?}"
        );
        assert!(
            w[0].ends_with(":render_config called before flag: db.ready"),
            "{w:?}"
        );

        dispatch(&["app.installed"]);
        let w = warnings(":render_config called before flags: db.ready, cache.ready");
        assert_eq!(w.len(), 1, "{w:?}");
    }

    #[test]
    fn registers_nothing_alone_and_guards_a_handler_it_is_stacked_on() {
        warnings("");
        let reg = crate::common::registry(module_path!());
        let names = crate::common::handler_names(&reg);
        assert_eq!(names, ["configure", "guarded_handler"]);

        let s = dispatch(&["app.guarded"]);
        let id = s.trace().invoked().next().expect("invoked").to_string();
        assert_eq!(
            warnings(":guarded_handler called before"),
            [format!("{id} called before flag: guard.flag")]
        );
        dispatch(&["app.guarded", "guard.flag"]);
        assert_eq!(warnings(":guarded_handler called before").len(), 1);
    }

    #[not_unless("never.set")]
    fn called_outside() -> u8 {
        9
    }

    #[test]
    fn outside_a_dispatch_there_is_nothing_to_check() {
        warnings("");
        assert_eq!(called_outside(), 9);
        assert!(warnings(":called_outside").is_empty());
    }
}
