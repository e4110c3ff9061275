//! Parameters straight to JSON text, checked on the way.
//!
//! [`encode_parameters`](crate::encode_parameters) builds a
//! `serde_json::Value` map, checks it, and the facade then writes it as text:
//! every key hashed into an `IndexMap`, every value allocated, twice the
//! walk. [`text`] serializes the request once, with `serde_json`'s writer,
//! through a [`Checker`]: a serializer that forwards every call and, at the
//! paths of the operation's [`Check`] table, looks at the value being
//! written (a string, a number, the items of an array) and applies the rule
//! to it, as the table applies it to the map.
//!
//! The map stays the reference. Whenever the checker is not sure to write
//! what it would (a rule refuses a value, a map key twice, a kind of value
//! generated types never serialize), it gives up, and the text is made the
//! old way: the same bytes, and the same error, naming the same parameter.

use serde::Serialize;
use serde::ser::{self, Serializer};

use crate::operation::{Check, InvalidParameter, Operation, Seg};
use crate::validate::{View, meets};

/// The wire parameters of `operation` as JSON text, after checking every rule
/// of [`Operation::CHECKS`]: the text the facade sends.
pub fn text<O: Operation>(operation: &O) -> Result<String, InvalidParameter> {
    if let Some(text) = fast(operation) {
        return Ok(text);
    }
    let parameters = crate::operation::encode_parameters(operation)?;
    Ok(serde_json::Value::Object(parameters).to_string())
}

fn fast<O: Operation>(operation: &O) -> Option<String> {
    let checks = O::CHECKS;
    if checks.len() > 64 {
        return None;
    }
    let mut out = Vec::with_capacity(128);
    let mut json = serde_json::Serializer::new(&mut out);
    let checker = Checker {
        inner: &mut json,
        at: Here {
            checks,
            // every check, at the root: none applies to the root itself
            active: mask(checks.len()),
            depth: 0,
        },
    };
    operation.serialize(checker).ok()?;
    // parameters are an object; anything else is refused the old way
    if out.first() != Some(&b'{') {
        return None;
    }
    String::from_utf8(out).ok()
}

fn mask(n: usize) -> u64 {
    if n >= 64 { u64::MAX } else { (1u64 << n) - 1 }
}

/// Where a value is written: the checks whose path leads here (a bit per
/// row of the table), at this depth.
#[derive(Debug, Clone, Copy)]
struct Here {
    checks: &'static [Check],
    active: u64,
    depth: usize,
}

impl Here {
    fn rows(self, mut bits: u64) -> impl Iterator<Item = &'static Check> {
        std::iter::from_fn(move || {
            if bits == 0 {
                return None;
            }
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            self.checks.get(i)
        })
    }

    /// The rules of the checks that end here, applied to `value`.
    fn check(self, value: View<'_>) -> Result<(), Refused> {
        if self.active == 0 || self.depth == 0 {
            return Ok(());
        }
        for check in self.rows(self.active) {
            if check.path.len() == self.depth && !meets(check.rule, &value).unwrap_or(false) {
                return Err(Refused);
            }
        }
        Ok(())
    }

    /// The checks that go on through `seg` (an object's key, or an item).
    fn child(self, seg: Step<'_>) -> Here {
        let mut active = 0;
        if self.active != 0 {
            let mut bits = self.active;
            while bits != 0 {
                let i = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let through = match (self.checks.get(i).and_then(|c| c.path.get(self.depth)), seg) {
                    (Some(Seg::Key(k)), Step::Key(key)) => *k == key,
                    // the table never reaches into the root as an array
                    (Some(Seg::Each), Step::Item) => self.depth > 0,
                    _ => false,
                };
                if through {
                    active |= 1 << i;
                }
            }
        }
        Here {
            checks: self.checks,
            active,
            depth: self.depth + 1,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Step<'k> {
    Key(&'k str),
    Item,
}

/// The checker gave up: the text is made the old way.
#[derive(Debug)]
struct Refused;

fn refused<E: ser::Error>(_: Refused) -> E {
    E::custom("refused by a check")
}

/// A serializer that forwards to `inner` and checks what passes at `at`.
struct Checker<S> {
    inner: S,
    at: Here,
}

/// A value to serialize through a [`Checker`] at `at`.
struct Checked<'a, T: ?Sized> {
    value: &'a T,
    at: Here,
}

impl<T: ?Sized + Serialize> Serialize for Checked<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(Checker {
            inner: serializer,
            at: self.at,
        })
    }
}

impl<S: Serializer> Checker<S> {
    fn scalar(self, value: View<'_>) -> Result<S, S::Error> {
        self.at.check(value).map_err(refused)?;
        Ok(self.inner)
    }
}

fn number(n: impl Into<serde_json::Number>) -> View<'static> {
    View::Number(n.into())
}

fn float(f: f64) -> View<'static> {
    serde_json::Number::from_f64(f).map_or(View::Null, View::Number)
}

impl<S: Serializer> Serializer for Checker<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Seq<S::SerializeSeq>;
    type SerializeTuple = ser::Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = ser::Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = ser::Impossible<S::Ok, S::Error>;
    type SerializeMap = Map<S::SerializeMap>;
    type SerializeStruct = Struct<S::SerializeStruct>;
    type SerializeStructVariant = ser::Impossible<S::Ok, S::Error>;

    fn serialize_bool(self, v: bool) -> Result<S::Ok, S::Error> {
        self.scalar(View::Bool(v))?.serialize_bool(v)
    }
    fn serialize_i8(self, v: i8) -> Result<S::Ok, S::Error> {
        self.scalar(number(i64::from(v)))?.serialize_i8(v)
    }
    fn serialize_i16(self, v: i16) -> Result<S::Ok, S::Error> {
        self.scalar(number(i64::from(v)))?.serialize_i16(v)
    }
    fn serialize_i32(self, v: i32) -> Result<S::Ok, S::Error> {
        self.scalar(number(i64::from(v)))?.serialize_i32(v)
    }
    fn serialize_i64(self, v: i64) -> Result<S::Ok, S::Error> {
        self.scalar(number(v))?.serialize_i64(v)
    }
    fn serialize_u8(self, v: u8) -> Result<S::Ok, S::Error> {
        self.scalar(number(u64::from(v)))?.serialize_u8(v)
    }
    fn serialize_u16(self, v: u16) -> Result<S::Ok, S::Error> {
        self.scalar(number(u64::from(v)))?.serialize_u16(v)
    }
    fn serialize_u32(self, v: u32) -> Result<S::Ok, S::Error> {
        self.scalar(number(u64::from(v)))?.serialize_u32(v)
    }
    fn serialize_u64(self, v: u64) -> Result<S::Ok, S::Error> {
        self.scalar(number(v))?.serialize_u64(v)
    }
    fn serialize_f32(self, _: f32) -> Result<S::Ok, S::Error> {
        // `to_value` widens it to an `f64` first (`0.1f32` is then written
        // `0.10000000149011612`, where the writer writes `0.1`)
        Err(refused(Refused))
    }
    fn serialize_f64(self, v: f64) -> Result<S::Ok, S::Error> {
        self.scalar(float(v))?.serialize_f64(v)
    }
    fn serialize_char(self, v: char) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; 4];
        self.scalar(View::Str(v.encode_utf8(&mut buf)))?
            .serialize_char(v)
    }
    fn serialize_str(self, v: &str) -> Result<S::Ok, S::Error> {
        self.scalar(View::Str(v))?.serialize_str(v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<S::Ok, S::Error> {
        Err(refused(Refused))
    }
    fn serialize_none(self) -> Result<S::Ok, S::Error> {
        self.inner.serialize_none()
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<S::Ok, S::Error> {
        // `to_value` writes the value itself, at the same place
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit()
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit_struct(name)
    }
    fn serialize_unit_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<S::Ok, S::Error> {
        self.scalar(View::Str(variant))?
            .serialize_unit_variant(name, index, variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(refused(Refused))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        Ok(Seq {
            inner: self.inner.serialize_seq(len)?,
            at: self.at,
            items: self.at.child(Step::Item),
            count: 0,
        })
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, S::Error> {
        Err(refused(Refused))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        Err(refused(Refused))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        Err(refused(Refused))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        self.at.check(View::Object).map_err(refused)?;
        Ok(Map {
            inner: self.inner.serialize_map(len)?,
            at: self.at,
            value_at: None,
            keys: Vec::new(),
        })
    }
    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        // serde_json's own tokens (a `RawValue`, a number with
        // `arbitrary_precision`) are no objects
        if name.starts_with("$serde_json") {
            return Err(refused(Refused));
        }
        self.at.check(View::Object).map_err(refused)?;
        Ok(Struct {
            inner: self.inner.serialize_struct(name, len)?,
            at: self.at,
        })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        Err(refused(Refused))
    }
    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

struct Seq<S> {
    inner: S,
    at: Here,
    items: Here,
    count: usize,
}

impl<S: ser::SerializeSeq> ser::SerializeSeq for Seq<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), S::Error> {
        self.count += 1;
        self.inner.serialize_element(&Checked {
            value,
            at: self.items,
        })
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.at.check(View::Array(self.count)).map_err(refused)?;
        self.inner.end()
    }
}

struct Struct<S> {
    inner: S,
    at: Here,
}

impl<S: ser::SerializeStruct> ser::SerializeStruct for Struct<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        self.inner.serialize_field(
            key,
            &Checked {
                value,
                at: self.at.child(Step::Key(key)),
            },
        )
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
        self.inner.skip_field(key)
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.inner.end()
    }
}

/// A map (a struct with a flattened `additional`, or free JSON): its keys
/// are kept, since `to_value` keeps one entry per key where the text would
/// repeat it.
struct Map<S> {
    inner: S,
    at: Here,
    value_at: Option<Here>,
    keys: Vec<String>,
}

impl<S: ser::SerializeMap> ser::SerializeMap for Map<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), S::Error> {
        let key = key.serialize(KeyText).map_err(refused)?;
        if self.keys.contains(&key) {
            return Err(refused(Refused));
        }
        self.value_at = Some(self.at.child(Step::Key(&key)));
        self.inner.serialize_key(&key)?;
        self.keys.push(key);
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), S::Error> {
        let at = self.value_at.take().ok_or_else(|| refused(Refused))?;
        self.inner.serialize_value(&Checked { value, at })
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.inner.end()
    }
}

/// A map key as text: strings only (generated maps have no other keys).
struct KeyText;

impl ser::Error for Refused {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Refused
    }
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("refused")
    }
}

impl std::error::Error for Refused {}

impl Serializer for KeyText {
    type Ok = String;
    type Error = Refused;
    type SerializeSeq = ser::Impossible<String, Refused>;
    type SerializeTuple = ser::Impossible<String, Refused>;
    type SerializeTupleStruct = ser::Impossible<String, Refused>;
    type SerializeTupleVariant = ser::Impossible<String, Refused>;
    type SerializeMap = ser::Impossible<String, Refused>;
    type SerializeStruct = ser::Impossible<String, Refused>;
    type SerializeStructVariant = ser::Impossible<String, Refused>;

    fn serialize_str(self, v: &str) -> Result<String, Refused> {
        Ok(v.to_owned())
    }
    fn serialize_bool(self, _: bool) -> Result<String, Refused> {
        Err(Refused)
    }
    fn serialize_i8(self, _: i8) -> Result<String, Refused> {
        Err(Refused)
    }
    fn serialize_i16(self, _: i16) -> Result<String, Refused> {
        Err(Refused)
    }
    fn serialize_i32(self, _: i32) -> Result<String, Refused> {
        Err(Refused)
    }
    fn serialize_i64(self, _: i64) -> Result<String, Refused> {
        Err(Refused)
    }
    fn serialize_u8(self, _: u8) -> Result<String, Refused> {
        Err(Refused)
    }
    fn serialize_u16(self, _: u16) -> Result<String, Refused> {
        Err(Refused)
    }
    fn serialize_u32(self, _: u32) -> Result<String, Refused> {
        Err(Refused)
    }
    fn serialize_u64(self, _: u64) -> Result<String, Refused> {
        Err(Refused)
    }
    fn serialize_f32(self, _: f32) -> Result<String, Refused> {
        Err(Refused)
    }
    fn serialize_f64(self, _: f64) -> Result<String, Refused> {
        Err(Refused)
    }
    fn serialize_char(self, _: char) -> Result<String, Refused> {
        Err(Refused)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String, Refused> {
        Err(Refused)
    }
    fn serialize_none(self) -> Result<String, Refused> {
        Err(Refused)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<String, Refused> {
        Err(Refused)
    }
    fn serialize_unit(self) -> Result<String, Refused> {
        Err(Refused)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, Refused> {
        Err(Refused)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<String, Refused> {
        Err(Refused)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, Refused> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Refused> {
        Err(Refused)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Refused> {
        Err(Refused)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Refused> {
        Err(Refused)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Refused> {
        Err(Refused)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Refused> {
        Err(Refused)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Refused> {
        Err(Refused)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Refused> {
        Err(Refused)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Refused> {
        Err(Refused)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::{Const, Rule, Selector, Verb};
    use serde::Deserialize;
    use serde_json::{Map as JsonMap, Value, json};

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    enum Kind {
        #[serde(rename = "a")]
        A,
        #[serde(rename = "b")]
        B,
        #[serde(untagged)]
        Other(crate::Unknown),
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Inner {
        kind: Kind,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        #[serde(flatten)]
        additional: JsonMap<String, Value>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Request {
        #[serde(rename = "type")]
        selector: Selector<Request, 0>,
        #[serde(rename = "phoneNumber")]
        phone: String,
        level: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        count: Option<i64>,
        items: Vec<Inner>,
        tags: Vec<String>,
        free: Value,
        nothing: Option<String>,
    }

    impl Operation for Request {
        const API: &'static str = "pims.test";
        const NAME: &'static str = "request";
        const VERB: Verb = Verb::Get;
        const SELECTOR: &'static [(&'static str, Const)] = &[("type", Const::Str("request"))];
        const CHECKS: &'static [Check] = &[
            Check {
                path: &[Seg::Key("phoneNumber")],
                rule: Rule::Pattern(&crate::Pattern::new(r"^\+?[0-9]{6,15}$")),
            },
            Check {
                path: &[Seg::Key("level")],
                rule: Rule::Maximum(1.0),
            },
            Check {
                path: &[Seg::Key("count")],
                rule: Rule::Minimum(0.0),
            },
            Check {
                path: &[Seg::Key("items"), Seg::Each, Seg::Key("kind")],
                rule: Rule::OneOf(&[Const::Str("a"), Const::Str("b")]),
            },
            Check {
                path: &[Seg::Key("items"), Seg::Each, Seg::Key("code")],
                rule: Rule::MaxLength(3),
            },
            Check {
                path: &[Seg::Key("tags")],
                rule: Rule::MaxItems(2),
            },
            Check {
                path: &[Seg::Key("tags"), Seg::Each],
                rule: Rule::MinLength(1),
            },
            Check {
                path: &[Seg::Key("nothing")],
                rule: Rule::MinLength(5),
            },
            Check {
                path: &[Seg::Key("free"), Seg::Key("x")],
                rule: Rule::Maximum(10.0),
            },
        ];
        type Result = ();
        type Error = Never;
    }

    #[derive(Debug)]
    struct Never;
    impl std::fmt::Display for Never {
        fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            Ok(())
        }
    }
    impl std::error::Error for Never {}
    impl crate::FromWire for Never {
        fn from_wire(_: crate::WireError) -> Self {
            Never
        }
    }

    fn request() -> Request {
        Request {
            selector: Selector::new(),
            phone: "+33612345678".into(),
            level: 0.5,
            count: Some(3),
            items: vec![
                Inner {
                    kind: Kind::A,
                    code: Some("x\"é".into()),
                    additional: JsonMap::new(),
                },
                Inner {
                    kind: Kind::B,
                    code: None,
                    additional: [("extra".to_owned(), json!([1, {"k": null}]))]
                        .into_iter()
                        .collect(),
                },
            ],
            tags: vec!["t".into()],
            free: json!({"x": 3, "y": "\u{1F4A9}"}),
            nothing: None,
        }
    }

    /// The old way: the map, checked, then its text.
    fn reference(r: &Request) -> Result<String, InvalidParameter> {
        let map = crate::encode_parameters(r)?;
        Ok(Value::Object(map).to_string())
    }

    fn same(r: &Request) -> Result<String, InvalidParameter> {
        let old = reference(r);
        assert_eq!(text(r), old);
        old
    }

    #[test]
    fn the_text_is_the_maps_and_written_in_one_pass() {
        let r = request();
        let sent = same(&r).expect("valid");
        assert!(fast(&r).is_some(), "no fallback for valid parameters");
        assert!(sent.starts_with(r#"{"type":"request","phoneNumber":"+33612345678""#));
    }

    #[test]
    fn every_refusal_is_the_maps() {
        let mut cases = Vec::new();
        let mut r = request();
        r.phone = "06 12".into();
        cases.push((r, "phoneNumber"));
        let mut r = request();
        r.level = 1.5;
        cases.push((r, "level"));
        let mut r = request();
        r.count = Some(-1);
        cases.push((r, "count"));
        let mut r = request();
        r.items[1].kind = Kind::Other(serde_json::from_value(json!("c")).unwrap());
        cases.push((r, "items[1].kind"));
        let mut r = request();
        r.items[0].code = Some("long".into());
        cases.push((r, "items[0].code"));
        let mut r = request();
        r.tags = vec!["a".into(), "b".into(), "c".into()];
        cases.push((r, "tags"));
        let mut r = request();
        r.tags = vec!["a".into(), String::new()];
        cases.push((r, "tags[1]"));
        let mut r = request();
        r.free = json!({"x": 11});
        cases.push((r, "free.x"));
        for (r, parameter) in cases {
            let err = same(&r).expect_err(parameter);
            assert_eq!(err.parameter, parameter);
            assert!(fast(&r).is_none());
        }
    }

    #[test]
    fn what_the_map_would_merge_or_drop_is_made_the_old_way() {
        // a kept key that repeats a field: the map keeps one entry
        let mut r = request();
        r.items[0].additional.insert("kind".into(), json!("b"));
        let sent = same(&r).expect("valid");
        assert!(fast(&r).is_none());
        assert_eq!(sent.matches(r#""kind":"b""#).count(), 2, "{sent}");
        assert!(!sent.contains(r#""kind":"a""#), "{sent}");
        r.items[0].additional.insert("kind".into(), json!("z"));
        assert_eq!(same(&r).unwrap_err().parameter, "items[0].kind");
        // numbers that are not finite are `null`, and `null` meets every rule
        let mut r = request();
        r.level = f64::NAN;
        r.nothing = Some("abcdef".into());
        let sent = same(&r).expect("valid");
        assert!(sent.contains(r#""level":null"#), "{sent}");
        let mut r = request();
        r.nothing = Some("abc".into());
        assert_eq!(same(&r).unwrap_err().parameter, "nothing");
        // free JSON with unchecked shapes
        let mut r = request();
        r.free = json!([{"x": 100}, null, 1.5e300, -0.0, "x\u{0}"]);
        same(&r).expect("valid");
        let mut r = request();
        r.free = json!({"x": "not a number"});
        same(&r).expect("valid");
    }

    #[derive(Debug, Serialize, Deserialize)]
    struct Narrow {
        v: f32,
    }

    impl Operation for Narrow {
        const API: &'static str = "pims.test";
        const NAME: &'static str = "narrow";
        const VERB: Verb = Verb::Get;
        const SELECTOR: &'static [(&'static str, Const)] = &[];
        const CHECKS: &'static [Check] = &[];
        type Result = ();
        type Error = Never;
    }

    #[test]
    fn an_f32_is_written_as_the_map_writes_it() {
        let n = Narrow { v: 0.1 };
        let old = Value::Object(crate::encode_parameters(&n).expect("valid")).to_string();
        assert_eq!(old, r#"{"v":0.10000000149011612}"#);
        assert!(fast(&n).is_none());
        assert_eq!(text(&n), Ok(old));
    }
}
