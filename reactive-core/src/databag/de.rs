//! A serde deserializer over a databag's string values: numbers and
//! booleans parse from their text, lists, maps, structs and tagged enums
//! from the JSON a string holds (as the data-platform libraries write
//! `requested-secrets` or `data`), strings stay as they are.

use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, MapDeserializer};
use serde::de::{self, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

use crate::hookenv::Settings;

/// Why a databag does not decode into a type, and the field it is about
/// (none for a missing field, which serde names in the message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeError {
    pub(crate) field: Option<String>,
    pub(crate) message: String,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            field: None,
            message: msg.to_string(),
        }
    }
}

/// Decodes `settings` into `T`.
pub(crate) fn from_settings<T: de::DeserializeOwned>(settings: &Settings) -> Result<T, DeError> {
    let entries = settings.iter().map(|(k, v)| {
        (
            BorrowedStrDeserializer::<DeError>::new(k.as_str()),
            Field { key: k, raw: v },
        )
    });
    T::deserialize(MapDeserializer::new(entries))
}

/// One value of a databag and its key.
struct Field<'a> {
    key: &'a str,
    raw: &'a str,
}

impl<'de> IntoDeserializer<'de, DeError> for Field<'de> {
    type Deserializer = Field<'de>;
    fn into_deserializer(self) -> Field<'de> {
        self
    }
}

impl<'de> Field<'de> {
    fn named(&self, mut e: DeError) -> DeError {
        e.field.get_or_insert_with(|| self.key.to_string());
        e
    }

    fn looks_like_json(&self) -> bool {
        matches!(self.raw.trim_start().as_bytes().first(), Some(b'{' | b'['))
    }

    /// Parses the text as a `T` (numbers, booleans).
    fn parsed<T: std::str::FromStr>(&self, what: &str) -> Result<T, DeError>
    where
        T::Err: fmt::Display,
    {
        self.raw.trim().parse().map_err(|e| {
            self.named(de::Error::custom(format_args!(
                "expected {what}, found {:?} ({e})",
                self.raw
            )))
        })
    }

    /// Decodes the JSON the string holds.
    fn json<V: Visitor<'de>>(
        &self,
        visitor: V,
        f: impl FnOnce(
            &mut serde_json::Deserializer<serde_json::de::StrRead<'de>>,
            V,
        ) -> Result<V::Value, serde_json::Error>,
    ) -> Result<V::Value, DeError> {
        let mut d = serde_json::Deserializer::from_str(self.raw);
        f(&mut d, visitor)
            .and_then(|v| d.end().map(|()| v))
            .map_err(|e| {
                self.named(de::Error::custom(format_args!(
                    "holds no JSON it should: {e}"
                )))
            })
    }
}

macro_rules! parse_number {
    ($($method:ident $visit:ident $t:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            let n: $t = self.parsed(stringify!($t))?;
            visitor.$visit(n).map_err(|e| self.named(e))
        }
    )*};
}

macro_rules! from_json {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            self.json(visitor, |d, v| de::Deserializer::$method(d, v))
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Field<'de> {
    type Error = DeError;

    /// A string, or the JSON list or object it holds (for untyped fields,
    /// `serde_json::Value` and untagged enums).
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.looks_like_json() {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(self.raw) {
                return de::Deserializer::deserialize_any(v, visitor)
                    .map_err(|e| self.named(de::Error::custom(e)));
            }
        }
        visitor
            .visit_borrowed_str(self.raw)
            .map_err(|e| self.named(e))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let b: bool = self.parsed("true or false")?;
        visitor.visit_bool(b).map_err(|e| self.named(e))
    }

    parse_number! {
        deserialize_i8 visit_i8 i8, deserialize_i16 visit_i16 i16,
        deserialize_i32 visit_i32 i32, deserialize_i64 visit_i64 i64,
        deserialize_u8 visit_u8 u8, deserialize_u16 visit_u16 u16,
        deserialize_u32 visit_u32 u32, deserialize_u64 visit_u64 u64,
        deserialize_f32 visit_f32 f32, deserialize_f64 visit_f64 f64
    }

    from_json! { deserialize_seq, deserialize_map }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        // A key Juju holds is never empty (an empty value deletes it).
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.json(visitor, |d, v| {
            de::Deserializer::deserialize_tuple(d, len, v)
        })
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.json(visitor, |d, v| {
            de::Deserializer::deserialize_tuple_struct(d, name, len, v)
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.json(visitor, |d, v| {
            de::Deserializer::deserialize_struct(d, name, fields, v)
        })
    }

    /// A unit variant by its name (`enabled`), or any variant as JSON.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if self.looks_like_json() || self.raw.starts_with('"') {
            return self.json(visitor, |d, v| {
                de::Deserializer::deserialize_enum(d, name, variants, v)
            });
        }
        let d = BorrowedStrDeserializer::<DeError>::new(self.raw);
        visitor.visit_enum(d).map_err(|e| self.named(e))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor
            .visit_borrowed_str(self.raw)
            .map_err(|e| self.named(e))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let bytes = self.raw.as_bytes();
        visitor
            .visit_borrowed_bytes(bytes)
            .map_err(|e| self.named(e))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_bytes(visitor)
    }

    forward_to_deserialize_any! {
        i128 u128 unit unit_struct identifier
    }
}
