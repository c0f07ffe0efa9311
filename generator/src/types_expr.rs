//! Type expressions of the spec: `string`, `[Payment]`, `{integer}`, ...

use serde::Serialize;

/// Built-in scalar types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scalar {
    /// Text.
    String,
    /// 64-bit integer.
    Integer,
    /// Floating-point number.
    Number,
    /// true / false.
    Boolean,
    /// Money.
    Amount,
    /// UNIX seconds, 0 = unset.
    Timestamp,
    /// Any JSON value.
    Json,
}

impl Scalar {
    const ALL: [Scalar; 7] = [
        Scalar::String,
        Scalar::Integer,
        Scalar::Number,
        Scalar::Boolean,
        Scalar::Amount,
        Scalar::Timestamp,
        Scalar::Json,
    ];

    fn from_name(name: &str) -> Option<Scalar> {
        Self::ALL.into_iter().find(|s| s.keyword() == name)
    }

    /// The keyword the spec writes this scalar as (`string`).
    pub fn keyword(self) -> &'static str {
        match self {
            Scalar::String => "string",
            Scalar::Integer => "integer",
            Scalar::Number => "number",
            Scalar::Boolean => "boolean",
            Scalar::Amount => "amount",
            Scalar::Timestamp => "timestamp",
            Scalar::Json => "json",
        }
    }
}

/// A parsed type expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeExpr {
    /// A built-in scalar.
    Scalar(Scalar),
    /// A named spec type.
    Named(String),
    /// `[T]`.
    List(Box<TypeExpr>),
    /// `{T}`: an object with string keys.
    Map(Box<TypeExpr>),
}

impl TypeExpr {
    /// Parses an expression; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<TypeExpr, String> {
        let t = text.trim();
        if let Some(inner) = t.strip_prefix('[') {
            let inner = inner
                .strip_suffix(']')
                .ok_or_else(|| format!("`{t}` opens `[` but does not close it"))?;
            return Ok(TypeExpr::List(Box::new(TypeExpr::parse(inner)?)));
        }
        if let Some(inner) = t.strip_prefix('{') {
            let inner = inner
                .strip_suffix('}')
                .ok_or_else(|| format!("`{t}` opens `{{` but does not close it"))?;
            return Ok(TypeExpr::Map(Box::new(TypeExpr::parse(inner)?)));
        }
        if let Some(s) = Scalar::from_name(t) {
            return Ok(TypeExpr::Scalar(s));
        }
        let mut chars = t.chars();
        match chars.next() {
            Some(c) if c.is_ascii_uppercase() && chars.all(|c| c.is_ascii_alphanumeric()) => {
                Ok(TypeExpr::Named(t.to_owned()))
            }
            _ => Err(format!(
                "`{t}` is not a type: use a scalar (string, integer, number, boolean, amount, \
                 timestamp, json), a TypeName, [T] or {{T}}"
            )),
        }
    }

    /// Every named type the expression mentions.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeExpr::Scalar(_) => None,
            TypeExpr::Named(n) => Some(n),
            TypeExpr::List(t) | TypeExpr::Map(t) => t.named(),
        }
    }

    /// True when values of this type sit behind a heap indirection (lists and maps).
    pub fn is_indirect(&self) -> bool {
        matches!(self, TypeExpr::List(_) | TypeExpr::Map(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_expressions() {
        assert_eq!(
            TypeExpr::parse("[{Payment}]").unwrap(),
            TypeExpr::List(Box::new(TypeExpr::Map(Box::new(TypeExpr::Named(
                "Payment".into()
            )))))
        );
        assert_eq!(
            TypeExpr::parse("amount").unwrap(),
            TypeExpr::Scalar(Scalar::Amount)
        );
    }

    #[test]
    fn rejects_malformed_expressions() {
        for bad in ["[Payment", "{string", "payment", "", "Pay-ment", "[]"] {
            assert!(TypeExpr::parse(bad).is_err(), "{bad} should be rejected");
        }
    }
}
