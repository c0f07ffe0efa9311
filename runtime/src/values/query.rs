//! How a value is written into a query string, for every type a query parameter can have.

use crate::{Amount, Timestamp};

/// A value that can be written into the query string.
///
/// Implemented for strings, numbers, `bool`, [`Timestamp`], options (`None`
/// writes nothing), slices and vectors (one pair per element) and every
/// open enum.
pub trait QueryValue {
    /// Appends zero or more `(name, value)` pairs.
    fn append_to(&self, name: &'static str, out: &mut Vec<(&'static str, String)>);
}

impl QueryValue for str {
    fn append_to(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        out.push((name, self.to_owned()));
    }
}

impl QueryValue for String {
    fn append_to(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        out.push((name, self.clone()));
    }
}

macro_rules! display_query_value {
    ($($t:ty),*) => {$(
        impl QueryValue for $t {
            fn append_to(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
                out.push((name, self.to_string()));
            }
        }
    )*};
}

// `f64`'s `Display` prints whole numbers without a trailing `.0`.
// `Amount` prints whole amounts as integers too.
display_query_value!(bool, i32, i64, u32, u64, f64, Timestamp, Amount);

impl<T: QueryValue> QueryValue for Option<T> {
    fn append_to(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        if let Some(value) = self {
            value.append_to(name, out);
        }
    }
}

impl<T: QueryValue> QueryValue for [T] {
    fn append_to(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        for value in self {
            value.append_to(name, out);
        }
    }
}

impl<T: QueryValue> QueryValue for Vec<T> {
    fn append_to(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        self.as_slice().append_to(name, out);
    }
}

impl<T: QueryValue + ?Sized> QueryValue for &T {
    fn append_to(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        (**self).append_to(name, out);
    }
}
