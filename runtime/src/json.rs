//! JSON compared as the wire means it.

use serde_json::Value;

/// Whether `a` and `b` are the same JSON value, numbers compared by value:
/// `50` and `50.0` are one number on the wire (a `number` parameter is an
/// `f64` in Rust and is sent as `50.0`), where `serde_json`'s `==` tells
/// them apart. Objects compare as maps (key order does not matter).
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => match (x.as_u64(), y.as_u64()) {
                (Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            },
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, a)| y.get(k).is_some_and(|b| same_json(a, b)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_compare_by_value() {
        assert!(same_json(
            &json!({"r": 50, "a": [1]}),
            &json!({"a": [1.0], "r": 50.0})
        ));
        assert!(!same_json(&json!(50), &json!(50.5)));
        assert!(!same_json(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
        assert!(!same_json(&json!("50"), &json!(50)));
        assert!(same_json(&json!(u64::MAX), &json!(u64::MAX)));
        assert!(!same_json(&json!(i64::MAX), &json!(i64::MAX - 1)));
    }
}
