//! Text values as they are parsed: every string a YAML file holds (keys
//! and values alike) is normalised to NFC one by one, and one holding a
//! control character other than tab and newline is refused where it is
//! written. Normalising values, not the serialised text, keeps escapes
//! intact: `"\n"` followed by a combining accent stays a line break and an
//! accent, never `\ń`.
//!
//! [`Normalising`] wraps any serde deserializer and its visitors, seq, map
//! and enum accesses, and changes nothing but the strings it sees.

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};
use std::fmt;

/// Whether a text field may not hold `c`: a C0 control other than tab and
/// newline, DEL, or a C1 control.
pub fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n')
}

/// What to do with a control character in text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Controls {
    /// Refuse the value (catalogue files: a located error).
    Refuse,
    /// Replace each by a space (importers: input from elsewhere).
    Replace,
}

fn normalise<E: de::Error>(s: &str, controls: Controls) -> Result<Option<String>, E> {
    let mut owned = None;
    if let Some(c) = s.chars().find(|&c| is_forbidden_control(c)) {
        if controls == Controls::Refuse {
            return Err(E::custom(format_args!(
                "invalid text: control character {} is not allowed (only tab and line breaks are)",
                c.escape_unicode()
            )));
        }
        owned = Some(
            s.chars()
                .map(|c| if is_forbidden_control(c) { ' ' } else { c })
                .collect::<String>(),
        );
    }
    let cur = owned.as_deref().unwrap_or(s);
    if crate::text::is_nfc(cur) {
        return Ok(owned);
    }
    let n = crate::text::nfc(cur);
    Ok(if n != cur { Some(n) } else { owned })
}

/// Text from elsewhere made fit for a catalogue: control characters
/// replaced by spaces, NFC.
pub fn clean(s: &str) -> String {
    normalise::<serde::de::value::Error>(s, Controls::Replace)
        .ok()
        .flatten()
        .unwrap_or_else(|| s.to_owned())
}

/// A deserializer whose strings come out normalised.
pub struct Normalising<D>(pub D, pub Controls);

/// Wraps a visitor, seed or access.
struct W<T>(T, Controls);

macro_rules! forward {
    ($($m:ident),*) => {$(
        fn $m<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
            self.0.$m(W(v, self.1))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Normalising<D> {
    type Error = D::Error;
    forward!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
        deserialize_ignored_any
    );
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        v: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, W(v, self.1))
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        v: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, W(v, self.1))
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, v: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, W(v, self.1))
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        v: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, W(v, self.1))
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_struct(name, fields, W(v, self.1))
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, W(v, self.1))
    }
    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for W<S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Normalising(d, self.1))
    }
}

macro_rules! pass {
    ($($m:ident: $t:ty),*) => {$(
        fn $m<E: de::Error>(self, x: $t) -> Result<V::Value, E> {
            self.0.$m(x)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for W<V> {
    type Value = V::Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.0.expecting(f)
    }
    pass!(
        visit_bool: bool,
        visit_i8: i8,
        visit_i16: i16,
        visit_i32: i32,
        visit_i64: i64,
        visit_i128: i128,
        visit_u8: u8,
        visit_u16: u16,
        visit_u32: u32,
        visit_u64: u64,
        visit_u128: u128,
        visit_f32: f32,
        visit_f64: f64,
        visit_char: char,
        visit_bytes: &[u8],
        visit_borrowed_bytes: &'de [u8],
        visit_byte_buf: Vec<u8>
    );
    fn visit_str<E: de::Error>(self, s: &str) -> Result<V::Value, E> {
        match normalise(s, self.1)? {
            Some(n) => self.0.visit_string(n),
            None => self.0.visit_str(s),
        }
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<V::Value, E> {
        match normalise(s, self.1)? {
            Some(n) => self.0.visit_string(n),
            None => self.0.visit_borrowed_str(s),
        }
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<V::Value, E> {
        match normalise(&s, self.1)? {
            Some(n) => self.0.visit_string(n),
            None => self.0.visit_string(s),
        }
    }
    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }
    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Normalising(d, self.1))
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(Normalising(d, self.1))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, a: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(W(a, self.1))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, a: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(W(a, self.1))
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, a: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(W(a, self.1))
    }
}

impl<'de, A: de::SeqAccess<'de>> de::SeqAccess<'de> for W<A> {
    type Error = A::Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(W(seed, self.1))
    }
    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for W<A> {
    type Error = A::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(W(seed, self.1))
    }
    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(W(seed, self.1))
    }
    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: de::EnumAccess<'de>> de::EnumAccess<'de> for W<A> {
    type Error = A::Error;
    type Variant = W<A::Variant>;
    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, W<A::Variant>), A::Error> {
        let c = self.1;
        let (v, rest) = self.0.variant_seed(W(seed, c))?;
        Ok((v, W(rest, c)))
    }
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for W<A> {
    type Error = A::Error;
    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(W(seed, self.1))
    }
    fn tuple_variant<V: Visitor<'de>>(self, len: usize, v: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, W(v, self.1))
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, W(v, self.1))
    }
}

/// Parses JSON (the importers' records) with every string normalised and
/// its control characters replaced by spaces.
pub fn from_json<T: de::DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    let mut d = serde_json::Deserializer::from_str(text);
    let v = T::deserialize(Normalising(&mut d, Controls::Replace))?;
    d.end()?;
    Ok(v)
}
