//! [`Context`]: the flag and memory APIs as methods, for those who prefer an
//! explicit value to ambient free functions. A handler receives one by
//! taking a `&Context` (or `Context`) parameter.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::error::Error;
use crate::handler::{HandlerArg, Invocation};
use crate::triggers::Trigger;
use crate::{flags, unitdata};

/// The running dispatch, as an explicit value. Every method does what the
/// free function of the same name does.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    _private: (),
}

impl HandlerArg for Context {
    fn from_invocation(_: &Invocation<'_>, _: &'static str) -> Result<Self, Error> {
        Ok(Context { _private: () })
    }
}

impl Context {
    /// See [`flags::set_flag`].
    pub fn set_flag(&self, flag: &str) {
        flags::set_flag(flag)
    }
    /// See [`flags::set_flag_value`].
    pub fn set_flag_value<T: Serialize + ?Sized>(&self, flag: &str, value: &T) {
        flags::set_flag_value(flag, value)
    }
    /// See [`flags::clear_flag`].
    pub fn clear_flag(&self, flag: &str) {
        flags::clear_flag(flag)
    }
    /// See [`flags::toggle_flag`].
    pub fn toggle_flag(&self, flag: &str, should_set: bool) {
        flags::toggle_flag(flag, should_set)
    }
    /// See [`flags::is_flag_set`].
    #[must_use]
    pub fn is_flag_set(&self, flag: &str) -> bool {
        flags::is_flag_set(flag)
    }
    /// See [`flags::all_flags_set`].
    #[must_use]
    pub fn all_flags_set(&self, f: &[&str]) -> bool {
        flags::all_flags_set(f)
    }
    /// See [`flags::any_flags_set`].
    #[must_use]
    pub fn any_flags_set(&self, f: &[&str]) -> bool {
        flags::any_flags_set(f)
    }
    /// See [`flags::get_flags`].
    #[must_use]
    pub fn get_flags(&self) -> Vec<String> {
        flags::get_flags()
    }
    /// See [`flags::get_unset_flags`].
    #[must_use]
    pub fn get_unset_flags(&self, f: &[&str]) -> Vec<String> {
        flags::get_unset_flags(f)
    }
    /// See [`flags::get_flag_value`].
    #[must_use]
    pub fn get_flag_value(&self, flag: &str) -> Option<Value> {
        flags::get_flag_value(flag)
    }
    /// See [`flags::register_trigger`].
    pub fn register_trigger(&self, t: Trigger) {
        flags::register_trigger(t)
    }
    /// See [`unitdata::kv`].
    #[must_use]
    pub fn kv(&self) -> unitdata::Kv {
        unitdata::kv()
    }
    /// See [`unitdata::data_changed`].
    pub fn data_changed<T: Serialize + ?Sized>(&self, key: &str, data: &T) -> Result<bool, Error> {
        unitdata::data_changed(key, data)
    }
    /// See [`unitdata::was_invoked`].
    pub fn was_invoked(&self, id: &str) -> Result<bool, Error> {
        unitdata::was_invoked(id)
    }
    /// See [`unitdata::mark_invoked`].
    pub fn mark_invoked(&self, id: &str) -> Result<(), Error> {
        unitdata::mark_invoked(id)
    }
    /// The key-value entry under `key`, decoded.
    pub fn kv_get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, Error> {
        unitdata::kv().get(key)
    }
    /// The hook being dispatched.
    #[must_use]
    pub fn hook_name(&self) -> String {
        flags::current_hook()
    }
}
