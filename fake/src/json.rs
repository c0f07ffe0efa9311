//! JSON as the generated shapes (`spec/shapes.rs`, `spec/enums.rs`) write and read it: text
//! written straight out, keys in the order the writer gives them (the spec's), and values read
//! with the path of whatever is wrong.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

/// A value written as JSON text.
pub(crate) trait ToJson {
    fn write_json(&self, out: &mut String);
}

/// `value` as JSON text.
pub(crate) fn to_string(value: &impl ToJson) -> String {
    let mut out = String::new();
    value.write_json(&mut out);
    out
}

/// An amount of money as the fake keeps it. Written as PortOne writes amounts: a whole
/// amount as an integer, any other with its decimals.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub(crate) struct Amount(pub f64);

impl ToJson for Amount {
    fn write_json(&self, out: &mut String) {
        let Amount(value) = *self;
        if value.fract() == 0.0 && value.abs() < 9.0e15 {
            out.push_str(&(value as i64).to_string());
        } else {
            value.write_json(out);
        }
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        out.push('"');
        for c in self.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
                c => out.push(c),
            }
        }
        out.push('"');
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl ToJson for i64 {
    fn write_json(&self, out: &mut String) {
        out.push_str(&self.to_string());
    }
}

impl ToJson for f64 {
    /// As serde_json writes it; a number JSON cannot hold (NaN, infinity) as `null`.
    fn write_json(&self, out: &mut String) {
        match serde_json::Number::from_f64(*self) {
            Some(n) => out.push_str(&n.to_string()),
            None => out.push_str("null"),
        }
    }
}

impl ToJson for Value {
    fn write_json(&self, out: &mut String) {
        out.push_str(&self.to_string());
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(value) => value.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<T: ToJson> ToJson for BTreeMap<String, T> {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::start(out);
        for (key, value) in self {
            object.field(key, value);
        }
        object.end();
    }
}

/// An object being written, one key after the other.
pub(crate) struct Object<'a> {
    out: &'a mut String,
    empty: bool,
}

impl Object<'_> {
    pub(crate) fn start(out: &mut String) -> Object<'_> {
        out.push('{');
        Object { out, empty: true }
    }

    pub(crate) fn field(&mut self, key: &str, value: &(impl ToJson + ?Sized)) {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        key.write_json(self.out);
        self.out.push(':');
        value.write_json(self.out);
    }

    /// A time, which PortOne writes as `0` when it is unset.
    pub(crate) fn time(&mut self, key: &str, value: Option<i64>) {
        self.field(key, &value.unwrap_or(0));
    }

    pub(crate) fn end(self) {
        self.out.push('}');
    }
}

/// What is wrong with a value read from JSON, and where (`payments[0].amount`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ReadError {
    pub(crate) at: String,
    pub(crate) message: String,
}

impl ReadError {
    pub(crate) fn new(at: &str, message: impl Into<String>) -> ReadError {
        ReadError {
            at: at.to_owned(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.at.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "`{}`: {}", self.at, self.message)
        }
    }
}

/// A value read from JSON; `at` is its path, for errors.
pub(crate) trait ReadJson: Sized {
    fn read_json(value: &Value, at: &str) -> Result<Self, ReadError>;
}

/// A struct read from the fields of an object, which keeps whatever it does not read.
pub(crate) trait ReadObject: Sized {
    fn read_fields(fields: &mut Fields) -> Result<Self, ReadError>;
}

/// A whole object read as a struct; a key the struct does not have is refused.
impl<T: ReadObject> ReadJson for T {
    fn read_json(value: &Value, at: &str) -> Result<T, ReadError> {
        let mut fields = Fields::of(value, at)?;
        let read = T::read_fields(&mut fields)?;
        fields.finish()?;
        Ok(read)
    }
}

/// A string read as an enum value through `from_wire`.
pub(crate) fn read_enum<T>(
    value: &Value,
    at: &str,
    type_name: &str,
    from_wire: fn(&str) -> Option<T>,
) -> Result<T, ReadError> {
    let text = String::read_json(value, at)?;
    from_wire(&text)
        .ok_or_else(|| ReadError::new(at, format!("{text:?} is not a value of `{type_name}`")))
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn expected(at: &str, what: &str, value: &Value) -> ReadError {
    ReadError::new(at, format!("expected {what}, found {}", describe(value)))
}

impl ReadJson for String {
    fn read_json(value: &Value, at: &str) -> Result<String, ReadError> {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| expected(at, "a string", value))
    }
}

impl ReadJson for bool {
    fn read_json(value: &Value, at: &str) -> Result<bool, ReadError> {
        value
            .as_bool()
            .ok_or_else(|| expected(at, "true or false", value))
    }
}

impl ReadJson for i64 {
    fn read_json(value: &Value, at: &str) -> Result<i64, ReadError> {
        value
            .as_i64()
            .ok_or_else(|| expected(at, "an integer", value))
    }
}

impl ReadJson for f64 {
    fn read_json(value: &Value, at: &str) -> Result<f64, ReadError> {
        value
            .as_f64()
            .ok_or_else(|| expected(at, "a number", value))
    }
}

impl ReadJson for Amount {
    fn read_json(value: &Value, at: &str) -> Result<Amount, ReadError> {
        let amount = f64::read_json(value, at)?;
        if amount < 0.0 {
            return Err(ReadError::new(at, "an amount cannot be negative"));
        }
        Ok(Amount(amount))
    }
}

impl ReadJson for Value {
    fn read_json(value: &Value, _: &str) -> Result<Value, ReadError> {
        Ok(value.clone())
    }
}

impl<T: ReadJson> ReadJson for Vec<T> {
    fn read_json(value: &Value, at: &str) -> Result<Vec<T>, ReadError> {
        let items = value
            .as_array()
            .ok_or_else(|| expected(at, "an array", value))?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| T::read_json(item, &format!("{at}[{i}]")))
            .collect()
    }
}

impl<T: ReadJson> ReadJson for BTreeMap<String, T> {
    fn read_json(value: &Value, at: &str) -> Result<BTreeMap<String, T>, ReadError> {
        let entries = value
            .as_object()
            .ok_or_else(|| expected(at, "an object", value))?;
        entries
            .iter()
            .map(|(key, item)| Ok((key.clone(), T::read_json(item, &join(at, key))?)))
            .collect()
    }
}

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_owned()
    } else {
        format!("{at}.{key}")
    }
}

/// The fields of an object not read yet.
pub(crate) struct Fields {
    map: Map<String, Value>,
    at: String,
}

impl Fields {
    pub(crate) fn of(value: &Value, at: &str) -> Result<Fields, ReadError> {
        match value {
            Value::Object(map) => Ok(Fields {
                map: map.clone(),
                at: at.to_owned(),
            }),
            other => Err(expected(at, "an object", other)),
        }
    }

    /// Where these fields are (`payments[0]`).
    pub(crate) fn at(&self) -> &str {
        &self.at
    }

    /// A field that must be there and not `null`.
    pub(crate) fn required<T: ReadJson>(&mut self, key: &str) -> Result<T, ReadError> {
        let at = join(&self.at, key);
        match self.map.remove(key) {
            None | Some(Value::Null) => Err(ReadError::new(&at, "is required")),
            Some(value) => T::read_json(&value, &at),
        }
    }

    /// A field that may be missing or `null`.
    pub(crate) fn optional<T: ReadJson>(&mut self, key: &str) -> Result<Option<T>, ReadError> {
        let at = join(&self.at, key);
        match self.map.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => T::read_json(&value, &at).map(Some),
        }
    }

    /// A list that may be missing or `null` (read as empty).
    pub(crate) fn list<T: ReadJson>(&mut self, key: &str) -> Result<Vec<T>, ReadError> {
        Ok(self.optional(key)?.unwrap_or_default())
    }

    /// A time that may be missing, `null` or `0` (unset).
    pub(crate) fn time(&mut self, key: &str) -> Result<Option<i64>, ReadError> {
        Ok(self.optional::<i64>(key)?.filter(|t| *t != 0))
    }

    /// The entries of a seed file's list `key` (missing: none), each read as `T` with the
    /// keys `T` does not have kept.
    pub(crate) fn seeds<T: ReadObject>(&mut self, key: &str) -> Result<Vec<Seeded<T>>, ReadError> {
        let at = join(&self.at, key);
        let entries = match self.map.remove(key) {
            None | Some(Value::Null) => return Ok(Vec::new()),
            Some(Value::Array(entries)) => entries,
            Some(other) => return Err(expected(&at, "an array", &other)),
        };
        entries
            .iter()
            .enumerate()
            .map(|(i, entry)| {
                let mut rest = Fields::of(entry, &format!("{at}[{i}]"))?;
                let shape = T::read_fields(&mut rest)?;
                Ok(Seeded { shape, rest })
            })
            .collect()
    }

    /// Refuses any key left unread.
    pub(crate) fn finish(self) -> Result<(), ReadError> {
        match self.map.keys().next() {
            None => Ok(()),
            Some(key) => Err(ReadError::new(&join(&self.at, key), "is not a known key")),
        }
    }
}

/// One entry of a seed file: its shape, and the keys the shape does not have.
pub(crate) struct Seeded<T> {
    pub(crate) shape: T,
    pub(crate) rest: Fields,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn text_is_escaped_and_amounts_are_whole_when_they_can_be() {
        let mut out = String::new();
        let mut object = Object::start(&mut out);
        object.field("name", "a \"quoted\"\nline\u{1}");
        object.field("amount", &Amount(64_900.0));
        object.field("half", &Amount(0.5));
        object.time("paid_at", None);
        object.field("none", &None::<String>);
        object.field("list", &vec![Amount(1.0)]);
        object.end();
        assert_eq!(
            out,
            r#"{"name":"a \"quoted\"\nline\u0001","amount":64900,"half":0.5,"paid_at":0,"none":null,"list":[1]}"#
        );
        let parsed: Value = serde_json::from_str(&out).expect("valid JSON");
        assert_eq!(parsed["name"], "a \"quoted\"\nline\u{1}");
    }

    #[test]
    fn reading_names_where_a_value_is_wrong() {
        let value = json!({"a": 1, "b": "x", "extra": true});
        let mut fields = Fields::of(&value, "seed[0]").unwrap();
        assert_eq!(fields.required::<i64>("a"), Ok(1));
        let wrong = fields.required::<i64>("b").unwrap_err();
        assert_eq!(
            wrong.to_string(),
            "`seed[0].b`: expected an integer, found a string"
        );
        let missing = fields.required::<String>("c").unwrap_err();
        assert_eq!(missing.to_string(), "`seed[0].c`: is required");
        let left = fields.finish().unwrap_err();
        assert_eq!(left.to_string(), "`seed[0].extra`: is not a known key");
        let negative = Amount::read_json(&json!(-1), "amount").unwrap_err();
        assert!(negative.to_string().contains("negative"));
    }
}
