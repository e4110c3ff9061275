//! Applies an operation's [`Check`] table to its serialized parameters.

use serde_json::{Map, Value};

use crate::operation::{Check, InvalidParameter, Rule, Seg};

/// Checks every rule; the first failure names the parameter.
pub(crate) fn check_all(
    checks: &[Check],
    parameters: &Map<String, Value>,
) -> Result<(), InvalidParameter> {
    for check in checks {
        let mut found = Vec::new();
        collect(check.path, parameters, String::new(), &mut found);
        for (path, value) in found {
            if let Err(reason) = apply(check.rule, value) {
                return Err(InvalidParameter {
                    parameter: path,
                    reason,
                });
            }
        }
    }
    Ok(())
}

/// Finds every value at `path` (arrays fan out at [`Seg::Each`]).
fn collect<'v>(
    path: &[Seg],
    object: &'v Map<String, Value>,
    prefix: String,
    out: &mut Vec<(String, &'v Value)>,
) {
    let Some((Seg::Key(key), rest)) = path.split_first() else {
        return;
    };
    let Some(value) = object.get(*key) else {
        return;
    };
    let here = if prefix.is_empty() {
        (*key).to_owned()
    } else {
        format!("{prefix}.{key}")
    };
    descend(rest, value, here, out);
}

fn descend<'v>(path: &[Seg], value: &'v Value, here: String, out: &mut Vec<(String, &'v Value)>) {
    match path.first() {
        None => out.push((here, value)),
        Some(Seg::Key(_)) => {
            if let Value::Object(object) = value {
                collect(path, object, here, out);
            }
        }
        Some(Seg::Each) => {
            if let Value::Array(items) = value {
                for (i, item) in items.iter().enumerate() {
                    descend(&path[1..], item, format!("{here}[{i}]"), out);
                }
            }
        }
    }
}

/// A serialized value as the rules see it: what `serde_json::to_value`
/// would make of it, without building it (see `crate::encode`).
#[derive(Debug, Clone)]
pub(crate) enum View<'v> {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    Str(&'v str),
    /// An array, with its number of items.
    Array(usize),
    Object,
}

impl<'v> View<'v> {
    fn of(value: &'v Value) -> View<'v> {
        match value {
            Value::Null => View::Null,
            Value::Bool(b) => View::Bool(*b),
            Value::Number(n) => View::Number(n.clone()),
            Value::String(s) => View::Str(s),
            Value::Array(items) => View::Array(items.len()),
            Value::Object(_) => View::Object,
        }
    }
}

/// Whether `value` meets `rule`; `Err` when the rule itself is broken (a
/// pattern that is not a valid regex). `null` meets every rule.
pub(crate) fn meets(rule: Rule, value: &View<'_>) -> Result<bool, String> {
    let chars = |s: &str| s.chars().count() as u64;
    Ok(match (rule, value) {
        (_, View::Null) => true,
        (Rule::Pattern(pattern), View::Str(s)) => pattern.is_match(s)?,
        (Rule::MinLength(min), View::Str(s)) => chars(s) >= min,
        (Rule::MaxLength(max), View::Str(s)) => chars(s) <= max,
        (Rule::Minimum(min), View::Number(n)) => n.as_f64().is_none_or(|n| n >= min),
        (Rule::Maximum(max), View::Number(n)) => n.as_f64().is_none_or(|n| n <= max),
        (Rule::MinItems(min), View::Array(len)) => *len as u64 >= min,
        (Rule::MaxItems(max), View::Array(len)) => *len as u64 <= max,
        (Rule::OneOf(members), value) => members.iter().any(|m| m.matches_view(value)),
        // a rule on another kind of value (a pattern on a number, …)
        _ => true,
    })
}

fn apply(rule: Rule, value: &Value) -> Result<(), String> {
    if meets(rule, &View::of(value))? {
        return Ok(());
    }
    Err(match rule {
        Rule::Pattern(pattern) => format!(
            "{:?} does not match the pattern `{}`",
            value.as_str().unwrap_or_default(),
            pattern.as_str()
        ),
        Rule::MinLength(min) => format!(
            "{:?} has fewer than the {min} characters required",
            value.as_str().unwrap_or_default()
        ),
        Rule::MaxLength(max) => format!(
            "{:?} has more than the {max} characters allowed",
            value.as_str().unwrap_or_default()
        ),
        Rule::Minimum(min) => format!("{value} is less than the minimum {min}"),
        Rule::Maximum(max) => format!("{value} is more than the maximum {max}"),
        Rule::MinItems(min) => format!(
            "has {} items, fewer than {min}",
            value.as_array().map_or(0, Vec::len)
        ),
        Rule::MaxItems(max) => format!(
            "has {} items, more than {max}",
            value.as_array().map_or(0, Vec::len)
        ),
        Rule::OneOf(members) => {
            let list: Vec<String> = members.iter().map(ToString::to_string).collect();
            format!("{value} is not one of {}", list.join(", "))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::{Const, Pattern};
    use serde_json::json;

    fn run(checks: &[Check], v: Value) -> Result<(), InvalidParameter> {
        let Value::Object(map) = v else {
            panic!("test input must be an object")
        };
        check_all(checks, &map)
    }

    #[test]
    fn pattern_names_the_parameter() {
        const CHECKS: &[Check] = &[Check {
            path: &[Seg::Key("phoneNumber")],
            rule: Rule::Pattern(&Pattern::new("^[0-9]+$")),
        }];
        assert!(run(CHECKS, json!({"phoneNumber": "0612"})).is_ok());
        let err = run(CHECKS, json!({"phoneNumber": "06 12"})).unwrap_err();
        assert_eq!(err.parameter, "phoneNumber");
        assert!(err.reason.contains("pattern"), "{}", err.reason);
        // absent optional parameters meet every rule
        assert!(run(CHECKS, json!({})).is_ok());
    }

    #[test]
    fn nested_paths_fan_out_over_arrays() {
        const CHECKS: &[Check] = &[Check {
            path: &[Seg::Key("trips"), Seg::Each, Seg::Key("kind")],
            rule: Rule::OneOf(&[Const::Str("a"), Const::Str("b")]),
        }];
        assert!(run(CHECKS, json!({"trips": [{"kind": "a"}, {"kind": "b"}]})).is_ok());
        let err = run(CHECKS, json!({"trips": [{"kind": "a"}, {"kind": "z"}]})).unwrap_err();
        assert_eq!(err.parameter, "trips[1].kind");
    }

    #[test]
    fn bounds_and_lengths() {
        const CHECKS: &[Check] = &[
            Check {
                path: &[Seg::Key("n")],
                rule: Rule::Minimum(1.0),
            },
            Check {
                path: &[Seg::Key("n")],
                rule: Rule::Maximum(3.0),
            },
            Check {
                path: &[Seg::Key("s")],
                rule: Rule::MaxLength(2),
            },
            Check {
                path: &[Seg::Key("l")],
                rule: Rule::MinItems(1),
            },
        ];
        assert!(run(CHECKS, json!({"n": 2, "s": "éé", "l": [1]})).is_ok());
        assert_eq!(run(CHECKS, json!({"n": 0})).unwrap_err().parameter, "n");
        assert_eq!(run(CHECKS, json!({"n": 4})).unwrap_err().parameter, "n");
        assert_eq!(run(CHECKS, json!({"s": "abc"})).unwrap_err().parameter, "s");
        assert_eq!(run(CHECKS, json!({"l": []})).unwrap_err().parameter, "l");
    }

    #[test]
    fn an_invalid_pattern_is_an_error_not_a_panic() {
        const CHECKS: &[Check] = &[Check {
            path: &[Seg::Key("s")],
            rule: Rule::Pattern(&Pattern::new("(")),
        }];
        let err = run(CHECKS, json!({"s": "x"})).unwrap_err();
        assert!(err.reason.contains("not a valid regex"));
    }
}
