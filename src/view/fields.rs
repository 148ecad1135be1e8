//! One struct's fields written among another's, as `#[serde(flatten)]`
//! does, but as struct fields with static names. Flatten turns the whole
//! outer struct into a map, and Tera's serializer then copies every field
//! name into a string of its own and hashes it once more when the map
//! becomes a value; a struct's static names it keeps as they are.

use serde::ser::{self, Impossible, Serialize, SerializeStruct, Serializer};

/// Serializes a struct, or nothing (`None`, `()`), as fields of `outer`.
/// Anything else is an error: it has no fields to give.
pub struct Inline<'a, S>(pub &'a mut S);

fn not_a_struct<E: ser::Error>() -> E {
    E::custom("only a struct's fields can be written among another's")
}

impl<'a, S: SerializeStruct> Serializer for Inline<'a, S> {
    type Ok = ();
    type Error = S::Error;
    type SerializeSeq = Impossible<(), S::Error>;
    type SerializeTuple = Impossible<(), S::Error>;
    type SerializeTupleStruct = Impossible<(), S::Error>;
    type SerializeTupleVariant = Impossible<(), S::Error>;
    type SerializeMap = Impossible<(), S::Error>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), S::Error>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, S::Error> {
        Ok(self)
    }

    fn serialize_none(self) -> Result<(), S::Error> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), S::Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), S::Error> {
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        value.serialize(self)
    }

    fn serialize_bool(self, _: bool) -> Result<(), S::Error> {
        Err(not_a_struct())
    }

    fn serialize_i8(self, _: i8) -> Result<(), S::Error> {
        Err(not_a_struct())
    }

    fn serialize_i16(self, _: i16) -> Result<(), S::Error> {
        Err(not_a_struct())
    }

    fn serialize_i32(self, _: i32) -> Result<(), S::Error> {
        Err(not_a_struct())
    }

    fn serialize_i64(self, _: i64) -> Result<(), S::Error> {
        Err(not_a_struct())
    }

    fn serialize_u8(self, _: u8) -> Result<(), S::Error> {
        Err(not_a_struct())
    }

    fn serialize_u16(self, _: u16) -> Result<(), S::Error> {
        Err(not_a_struct())
    }

    fn serialize_u32(self, _: u32) -> Result<(), S::Error> {
        Err(not_a_struct())
    }

    fn serialize_u64(self, _: u64) -> Result<(), S::Error> {
        Err(not_a_struct())
    }

    fn serialize_f32(self, _: f32) -> Result<(), S::Error> {
        Err(not_a_struct())
    }

    fn serialize_f64(self, _: f64) -> Result<(), S::Error> {
        Err(not_a_struct())
    }

    fn serialize_char(self, _: char) -> Result<(), S::Error> {
        Err(not_a_struct())
    }

    fn serialize_str(self, _: &str) -> Result<(), S::Error> {
        Err(not_a_struct())
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), S::Error> {
        Err(not_a_struct())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), S::Error> {
        Err(not_a_struct())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<(), S::Error> {
        Err(not_a_struct())
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), S::Error> {
        Err(not_a_struct())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        Err(not_a_struct())
    }
}

impl<S: SerializeStruct> SerializeStruct for Inline<'_, S> {
    type Ok = ();
    type Error = S::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        self.0.serialize_field(key, value)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
        self.0.skip_field(key)
    }

    fn end(self) -> Result<(), S::Error> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize)]
    struct Extra {
        b: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        c: Option<u32>,
    }

    #[derive(Serialize)]
    #[serde(untagged)]
    enum Kind {
        Extra(Box<Extra>),
    }

    struct Outer(Option<Kind>);

    impl Serialize for Outer {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut outer = serializer.serialize_struct("Outer", 3)?;
            outer.serialize_field("a", &1)?;
            self.0.serialize(Inline(&mut outer))?;
            outer.end()
        }
    }

    #[test]
    fn fields_of_an_inner_struct_join_the_outer_one() {
        let inner = Kind::Extra(Box::new(Extra { b: 2, c: None }));
        let json = serde_json::to_string(&Outer(Some(inner))).unwrap();
        assert_eq!(json, r#"{"a":1,"b":2}"#);
        assert_eq!(serde_json::to_string(&Outer(None)).unwrap(), r#"{"a":1}"#);
    }

    #[test]
    fn a_value_without_fields_is_refused() {
        struct Number;
        impl Serialize for Number {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut outer = serializer.serialize_struct("Number", 1)?;
                7.serialize(Inline(&mut outer))?;
                outer.end()
            }
        }
        assert!(serde_json::to_string(&Number).is_err());
    }
}
