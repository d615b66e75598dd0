//! Whole numbers read from JSON bodies. JSON Schema counts `348.0` as an integer, and clients
//! written in languages with one number type send it that way; serde's integer types refuse it.
//! These read an integer, or a float with no fractional part inside the integer's range, and
//! refuse anything else (`348.5`, `1e300`).
//!
//! Use with `#[serde(deserialize_with = "json_int::i64")]` (or `opt_i64`, `usize`).

use serde::de::{self, Deserializer, Visitor};
use std::fmt;

struct WholeNumber;

impl Visitor<'_> for WholeNumber {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a whole number")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        // 2^63 is the first float beyond i64; every float below it with no fraction converts
        // exactly.
        const LIMIT: f64 = 9_223_372_036_854_775_808.0;
        if v.fract() == 0.0 && (-LIMIT..LIMIT).contains(&v) {
            #[allow(clippy::cast_possible_truncation)]
            Ok(v as i64)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }
}

/// An `i64`.
pub fn i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    d.deserialize_any(WholeNumber)
}

/// An optional `i64` (`null` or missing is `None`; add `#[serde(default)]` for missing).
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    struct Maybe;
    impl<'de> Visitor<'de> for Maybe {
        type Value = Option<i64>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a whole number or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            i64(d).map(Some)
        }
    }
    d.deserialize_option(Maybe)
}

/// A `usize` (negative numbers are refused).
pub fn usize<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    let v = i64(d)?;
    usize::try_from(v).map_err(|_| {
        de::Error::invalid_value(de::Unexpected::Signed(v), &"a whole number not below 0")
    })
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct T {
        #[serde(deserialize_with = "super::i64")]
        a: i64,
        #[serde(default, deserialize_with = "super::opt_i64")]
        b: Option<i64>,
        #[serde(default, deserialize_with = "super::usize")]
        c: usize,
    }

    fn parse(s: &str) -> Option<(i64, Option<i64>, usize)> {
        serde_json::from_str::<T>(s).ok().map(|t| (t.a, t.b, t.c))
    }

    #[test]
    fn whole_floats_are_integers_and_fractions_are_not() {
        assert_eq!(parse(r#"{"a": 348}"#), Some((348, None, 0)));
        assert_eq!(
            parse(r#"{"a": 348.0, "b": 7.0, "c": 3.0}"#),
            Some((348, Some(7), 3))
        );
        assert_eq!(parse(r#"{"a": -2, "b": null}"#), Some((-2, None, 0)));
        assert_eq!(parse(r#"{"a": 348.5}"#), None);
        assert_eq!(parse(r#"{"a": 1e300}"#), None);
        assert_eq!(parse(r#"{"a": 9223372036854775808}"#), None);
        assert_eq!(parse(r#"{"a": "5"}"#), None);
        assert_eq!(parse(r#"{"a": 1, "c": -1}"#), None);
        assert_eq!(parse(r#"{"a": 1, "b": 2.5}"#), None);
    }
}
