//! Applies an operation's [`Check`] table to its serialized parameters.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

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

fn apply(rule: Rule, value: &Value) -> Result<(), String> {
    if value.is_null() {
        return Ok(());
    }
    match rule {
        Rule::Pattern(pattern) => match value.as_str() {
            Some(s) if matches(pattern, s)? => Ok(()),
            Some(s) => Err(format!("{s:?} does not match the pattern `{pattern}`")),
            None => Ok(()),
        },
        Rule::MinLength(min) => match value.as_str() {
            Some(s) if (s.chars().count() as u64) < min => Err(format!(
                "{s:?} has fewer than the {min} characters required"
            )),
            _ => Ok(()),
        },
        Rule::MaxLength(max) => match value.as_str() {
            Some(s) if (s.chars().count() as u64) > max => {
                Err(format!("{s:?} has more than the {max} characters allowed"))
            }
            _ => Ok(()),
        },
        Rule::Minimum(min) => match value.as_f64() {
            Some(n) if n < min => Err(format!("{value} is less than the minimum {min}")),
            _ => Ok(()),
        },
        Rule::Maximum(max) => match value.as_f64() {
            Some(n) if n > max => Err(format!("{value} is more than the maximum {max}")),
            _ => Ok(()),
        },
        Rule::MinItems(min) => match value.as_array() {
            Some(items) if (items.len() as u64) < min => {
                Err(format!("has {} items, fewer than {min}", items.len()))
            }
            _ => Ok(()),
        },
        Rule::MaxItems(max) => match value.as_array() {
            Some(items) if (items.len() as u64) > max => {
                Err(format!("has {} items, more than {max}", items.len()))
            }
            _ => Ok(()),
        },
        Rule::OneOf(members) => {
            if members.iter().any(|m| m.matches(value)) {
                Ok(())
            } else {
                let list: Vec<String> = members.iter().map(ToString::to_string).collect();
                Err(format!("{value} is not one of {}", list.join(", ")))
            }
        }
    }
}

/// Compiled patterns, shared by every call.
fn matches(pattern: &'static str, s: &str) -> Result<bool, String> {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, regex_lite::Regex>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(regex) = cache.get(pattern) {
        return Ok(regex.is_match(s));
    }
    let regex = regex_lite::Regex::new(pattern)
        .map_err(|e| format!("the pattern `{pattern}` is not a valid regex: {e}"))?;
    let matched = regex.is_match(s);
    cache.insert(pattern, regex);
    Ok(matched)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::Const;
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
            rule: Rule::Pattern("^[0-9]+$"),
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
            rule: Rule::Pattern("("),
        }];
        let err = run(CHECKS, json!({"s": "x"})).unwrap_err();
        assert!(err.reason.contains("not a valid regex"));
    }
}
