//! [`config`]: the application's configuration, typed.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::error::HookError;
use super::with_env;

/// The application's configuration (`config-get --all`, read once per hook).
///
/// ```no_run
/// # fn handler() -> reactive_core::Result {
/// use reactive_core::hookenv::config;
/// let port: u16 = config().get("source_port")?.unwrap_or(9092);
/// let name: String = config().require("cluster_name")?;
/// # Ok(()) }
/// ```
#[must_use]
pub fn config() -> Config {
    Config { _private: () }
}

/// Handle on the configuration. See [`config`].
#[derive(Debug, Clone, Copy)]
pub struct Config {
    _private: (),
}

impl Config {
    /// Every option that has a value, as JSON.
    pub fn all(&self) -> Result<Map<String, Value>, HookError> {
        with_env("config", |env| env.config())
    }

    /// The value of `option` as JSON; `None` when it has no value (Juju
    /// reports no value for an option without default that was never set).
    fn value(&self, option: &str) -> Result<Option<Value>, HookError> {
        Ok(self.all()?.remove(option).filter(|v| !v.is_null()))
    }

    /// The value of `option` as a `T`.
    ///
    /// `Ok(None)` when the option has no value; an error naming the option,
    /// the expected type and the value found when it is not a `T` (a
    /// `u16` option holding `70000`, a string where a number is expected).
    pub fn get<T: DeserializeOwned>(&self, option: &str) -> Result<Option<T>, HookError> {
        match self.value(option)? {
            None => Ok(None),
            Some(v) => {
                serde_json::from_value(v.clone())
                    .map(Some)
                    .map_err(|_| HookError::ConfigType {
                        option: option.to_string(),
                        expected: short_type_name::<T>(),
                        found: v.to_string(),
                    })
            }
        }
    }

    /// Like [`Config::get`], but an option without value is an error naming it.
    pub fn require<T: DeserializeOwned>(&self, option: &str) -> Result<T, HookError> {
        self.get(option)?
            .ok_or_else(|| HookError::ConfigMissing(option.to_string()))
    }

    /// The value `option` had in the last successful hook (`None` if it had
    /// none, or if no hook succeeded before).
    pub fn previous(&self, option: &str) -> Result<Option<Value>, HookError> {
        with_env("config", |env| {
            Ok(env
                .previous_config()
                .and_then(|mut m| m.remove(option))
                .filter(|v| !v.is_null()))
        })
    }

    /// Whether `option` differs from its value in the last successful hook;
    /// every option counts as changed in the first hook (as charmhelpers'
    /// `config().changed()`).
    pub fn changed(&self, option: &str) -> Result<bool, HookError> {
        let had_previous = with_env("config", |env| Ok(env.previous_config().is_some()))?;
        Ok(!had_previous || self.previous(option)? != self.value(option)?)
    }
}

/// `u16`, `String`, `Vec<String>`: a type name without module paths.
pub(crate) fn short_type_name<T: ?Sized>() -> String {
    let full = std::any::type_name::<T>();
    let mut out = String::with_capacity(full.len());
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        out.push_str(token.rsplit("::").next().unwrap_or(token));
        token.clear();
    };
    for ch in full.chars() {
        if ch.is_alphanumeric() || ch == '_' || ch == ':' {
            token.push(ch);
        } else {
            flush(&mut token, &mut out);
            out.push(ch);
        }
    }
    flush(&mut token, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::short_type_name;

    #[test]
    fn type_names_lose_their_paths() {
        assert_eq!(short_type_name::<u16>(), "u16");
        assert_eq!(short_type_name::<String>(), "String");
        assert_eq!(
            short_type_name::<Option<Vec<String>>>(),
            "Option<Vec<String>>"
        );
    }
}
