//! Hashes of what templates are given, for `serve`'s fingerprints: a
//! value's strings and shape fed to xxh3 in one call, made from a Tera
//! `Value` or straight from any `Serialize` type (a page's view), so that
//! hashing a context does not first build it.

use serde::ser::{self, Serialize};

/// A hash of `value` as templates would see it, made without JSON text or
/// a Tera value.
pub(super) fn serialized_hash(value: &impl Serialize) -> u64 {
    let mut flat = Flat::default();
    flat.serialize(value);
    flat.digest()
}

/// A hash of what `value` shows a template, made without JSON text: each
/// string's bytes and whether it is marked safe, in order.
pub fn value_hash(value: &tera::Value) -> u64 {
    let mut flat = Flat::default();
    flatten(value, &mut flat);
    flat.digest()
}

/// Bytes to hash in one call. A context is thousands of short strings,
/// and a streaming hasher's `update` per string cost more than copying
/// them; a long string (a body) goes in as its own hash.
#[derive(Default)]
pub(super) struct Flat(Vec<u8>);

impl Flat {
    /// Longer than this, a string is hashed where it is, not copied.
    const LONG: usize = 256;

    pub(super) fn put(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    pub(super) fn put_text(&mut self, bytes: &[u8]) {
        self.put(&(bytes.len() as u64).to_le_bytes());
        if bytes.len() > Self::LONG {
            self.put(&xxhash_rust::xxh3::xxh3_64(bytes).to_le_bytes());
        } else {
            self.put(bytes);
        }
    }

    /// Puts `value` as its serializer gives it: every field, string and
    /// number, each marked with its kind, and where each list and map
    /// ends. A custom `Serialize` that fails leaves a mark where it did.
    pub(super) fn serialize(&mut self, value: &(impl Serialize + ?Sized)) {
        if value.serialize(&mut *self).is_err() {
            self.put(&[tag::FAILED]);
        }
    }

    pub(super) fn digest(&self) -> u64 {
        xxhash_rust::xxh3::xxh3_64(&self.0)
    }
}

impl std::hash::Hasher for Flat {
    fn write(&mut self, bytes: &[u8]) {
        self.put(bytes);
    }

    fn finish(&self) -> u64 {
        self.digest()
    }
}

/// Puts a Tera value: strings with whether they are safe, lists and maps
/// with their lengths.
pub(super) fn flatten(value: &tera::Value, flat: &mut Flat) {
    use std::hash::Hash;
    use tera::value::ValueKind;
    let kind = value.kind();
    match kind {
        ValueKind::String => {
            let text = value.as_str().unwrap_or_default();
            flat.put(&[tag::STRING, u8::from(value.is_safe())]);
            flat.put_text(text.as_bytes());
        }
        ValueKind::Array => {
            let items = value.as_array().unwrap_or_default();
            flat.put(&[tag::LIST]);
            flat.put(&(items.len() as u64).to_le_bytes());
            for item in items {
                flatten(item, flat);
            }
        }
        ValueKind::Map => {
            flat.put(&[tag::MAP]);
            if let Some(map) = value.as_map() {
                flat.put(&(map.len() as u64).to_le_bytes());
                for (key, item) in map {
                    key.hash(flat);
                    flatten(item, flat);
                }
            }
        }
        ValueKind::U64 => {
            flat.put(&[tag::UNSIGNED]);
            flat.put(&value.as_u64().unwrap_or_default().to_le_bytes());
        }
        ValueKind::Bytes => {
            flat.put(&[tag::BYTES]);
            flat.put_text(value.as_bytes().unwrap_or_default());
        }
        _ => {
            // Few and short: their text as a template would print it.
            flat.put(&[tag::OTHER]);
            flat.put_text(format!("{kind:?}:{value}").as_bytes());
        }
    }
}

/// What each thing put in a `Flat` starts with, so that no two values of
/// different shapes put the same bytes.
mod tag {
    pub const STRING: u8 = 1;
    pub const LIST: u8 = 2;
    pub const MAP: u8 = 3;
    pub const BYTES: u8 = 4;
    pub const OTHER: u8 = 5;
    pub const UNSIGNED: u8 = 6;
    pub const NONE: u8 = 7;
    pub const SOME: u8 = 8;
    pub const UNIT: u8 = 9;
    pub const BOOL: u8 = 10;
    pub const SIGNED: u8 = 11;
    pub const FLOAT: u8 = 12;
    pub const VARIANT: u8 = 13;
    /// The end of a list or map whose length was not said first.
    pub const END: u8 = 14;
    pub const FAILED: u8 = 15;
}

impl Flat {
    fn string(&mut self, text: &str) {
        self.put(&[tag::STRING]);
        self.put_text(text.as_bytes());
    }

    fn variant(&mut self, name: &str) {
        self.put(&[tag::VARIANT]);
        self.put_text(name.as_bytes());
    }
}

/// Serializer methods that put a number as the wider one `$to` takes.
macro_rules! widen {
    ($($($method:ident($ty:ty)),+ => $to:ident);+) => {$($(
        fn $method(self, v: $ty) -> Result<(), Self::Error> {
            self.$to(v.into())
        }
    )+)+};
}

/// Serializing into a `Flat`: no value is made, and none of these
/// methods fails (a custom `Serialize` may: see `Flat::serialize`).
impl ser::Serializer for &mut Flat {
    type Ok = ();
    type Error = std::fmt::Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), Self::Error> {
        self.put(&[tag::BOOL, u8::from(v)]);
        Ok(())
    }

    // Smaller numbers as the widest of their kind.
    widen!(
        serialize_i8(i8), serialize_i16(i16), serialize_i32(i32) => serialize_i64;
        serialize_u8(u8), serialize_u16(u16), serialize_u32(u32) => serialize_u64;
        serialize_f32(f32) => serialize_f64
    );

    fn serialize_i64(self, v: i64) -> Result<(), Self::Error> {
        self.put(&[tag::SIGNED]);
        self.put(&v.to_le_bytes());
        Ok(())
    }

    fn serialize_u64(self, v: u64) -> Result<(), Self::Error> {
        self.put(&[tag::UNSIGNED]);
        self.put(&v.to_le_bytes());
        Ok(())
    }

    fn serialize_f64(self, v: f64) -> Result<(), Self::Error> {
        self.put(&[tag::FLOAT]);
        self.put(&v.to_bits().to_le_bytes());
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), Self::Error> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<(), Self::Error> {
        self.string(v);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Self::Error> {
        self.put(&[tag::BYTES]);
        self.put_text(v);
        Ok(())
    }

    fn serialize_none(self) -> Result<(), Self::Error> {
        self.put(&[tag::NONE]);
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Self::Error> {
        self.put(&[tag::SOME]);
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Self::Error> {
        self.put(&[tag::UNIT]);
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Self::Error> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Self::Error> {
        self.variant(variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Self::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Self::Error> {
        self.variant(variant);
        value.serialize(self)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, Self::Error> {
        self.put(&[tag::LIST]);
        Ok(self)
    }

    fn serialize_tuple(self, len: usize) -> Result<Self, Self::Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self, Self::Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, Self::Error> {
        self.variant(variant);
        self.serialize_seq(Some(len))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self, Self::Error> {
        self.put(&[tag::MAP]);
        Ok(self)
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Self, Self::Error> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, Self::Error> {
        self.variant(variant);
        self.serialize_map(Some(len))
    }
}

/// A list's items, each marked by its own kind; then its end.
impl ser::SerializeSeq for &mut Flat {
    type Ok = ();
    type Error = std::fmt::Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
        value.serialize(&mut **self)
    }

    fn end(self) -> Result<(), Self::Error> {
        self.put(&[tag::END]);
        Ok(())
    }
}

/// Tuples of every kind are lists.
macro_rules! tuple_as_list {
    ($($kind:ident :: $method:ident),*) => {$(
        impl ser::$kind for &mut Flat {
            type Ok = ();
            type Error = std::fmt::Error;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
                ser::SerializeSeq::serialize_element(self, value)
            }

            fn end(self) -> Result<(), Self::Error> {
                ser::SerializeSeq::end(self)
            }
        }
    )*};
}

tuple_as_list!(
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// A map's keys and values in turn (each marked by its kind); then its
/// end. A struct is a map whose keys are its field names.
impl ser::SerializeMap for &mut Flat {
    type Ok = ();
    type Error = std::fmt::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Self::Error> {
        key.serialize(&mut **self)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
        value.serialize(&mut **self)
    }

    fn end(self) -> Result<(), Self::Error> {
        self.put(&[tag::END]);
        Ok(())
    }
}

impl ser::SerializeStruct for &mut Flat {
    type Ok = ();
    type Error = std::fmt::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Self::Error> {
        self.string(key);
        value.serialize(&mut **self)
    }

    fn end(self) -> Result<(), Self::Error> {
        ser::SerializeMap::end(self)
    }
}

impl ser::SerializeStructVariant for &mut Flat {
    type Ok = ();
    type Error = std::fmt::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Self::Error> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }

    fn end(self) -> Result<(), Self::Error> {
        ser::SerializeMap::end(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize)]
    struct Inner {
        name: String,
        count: u32,
    }

    #[derive(Serialize)]
    struct Page {
        title: String,
        tags: Vec<String>,
        description: Option<String>,
        #[serde(flatten)]
        extra: Option<Inner>,
        #[serde(skip)]
        _kept_out: u32,
    }

    fn page() -> Page {
        Page {
            title: "Knee pain".into(),
            tags: vec!["running".into(), "knee".into()],
            description: None,
            extra: Some(Inner {
                name: "A".into(),
                count: 2,
            }),
            _kept_out: 0,
        }
    }

    #[test]
    fn a_value_hashes_the_same_every_time_and_not_what_is_skipped() {
        let skipped = Page {
            _kept_out: 9,
            ..page()
        };
        assert_eq!(serialized_hash(&page()), serialized_hash(&page()));
        assert_eq!(serialized_hash(&page()), serialized_hash(&skipped));
    }

    #[test]
    fn every_kind_of_change_changes_the_hash() {
        let long = "x".repeat(Flat::LONG * 3);
        let changes: Vec<Page> = vec![
            Page {
                title: "Knee Pain".into(),
                ..page()
            },
            Page {
                title: long.clone(),
                ..page()
            },
            Page {
                title: format!("{long}y"),
                ..page()
            },
            Page {
                tags: vec!["running knee".into()],
                ..page()
            },
            Page {
                tags: vec!["runningknee".into()],
                ..page()
            },
            Page {
                tags: vec!["running".into(), "knee".into(), String::new()],
                ..page()
            },
            Page {
                tags: Vec::new(),
                ..page()
            },
            Page {
                description: Some(String::new()),
                ..page()
            },
            Page {
                extra: None,
                ..page()
            },
            Page {
                extra: Some(Inner {
                    name: "A".into(),
                    count: 3,
                }),
                ..page()
            },
            Page {
                extra: Some(Inner {
                    name: "B".into(),
                    count: 2,
                }),
                ..page()
            },
        ];
        let mut hashes: Vec<u64> = std::iter::once(page())
            .chain(changes)
            .map(|p| serialized_hash(&p))
            .collect();
        let count = hashes.len();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), count, "two different pages hashed the same");
    }

    #[test]
    fn where_a_list_ends_is_part_of_the_hash() {
        // The same strings in the same order, "b" inside the inner list
        // or after it: only where the inner list ends tells them apart.
        let after = (vec!["a"], "b");
        let inside = (vec!["a", "b"],);
        assert_ne!(serialized_hash(&after), serialized_hash(&inside));
        assert_ne!(
            serialized_hash(&(1u32, 2u32)),
            serialized_hash(&(1i32, 2i32))
        );
        assert_ne!(serialized_hash(&Some(())), serialized_hash(&None::<()>));
    }
}
