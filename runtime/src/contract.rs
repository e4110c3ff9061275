//! The contract of an SDK as data: what the [`Simulator`](crate::simulator::Simulator)
//! answers from and the [`Validating`](crate::validating::Validating) facade checks against.
//!
//! A generated crate writes it, behind its `simulator` feature, as one static
//! table (`pims_sdk::simulator::CONTRACT`): every operation's api, verb, name,
//! selector, check table, parameters, result, events, listed errors and
//! examples; the types they use; the catalogue's codes and labels. It is data
//! only, and reading it never fails: a hostile parameters object or message
//! gives [`Issue`]s, never a panic.
//!
//! The checks here are those of the operation's JSON Schemas (`schemas/`):
//! kinds, required fields, `nullable`, enumerations, bounds, lengths, item
//! counts, patterns and the formats every schema asserts (`date-time`,
//! `date`, `time`, `duration`, `email`, `uri`, `uuid`, …), plus, on
//! parameters, the operation's own [`Check`] table, applied as
//! [`encode_parameters`](crate::encode_parameters) applies it.

use serde_json::{Map, Value};

use crate::operation::{Check, Const, Verb};

/// The whole SDK: catalogue, types and operations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contract {
    /// The SDK's name.
    pub sdk: &'static str,
    /// Its release.
    pub version: &'static str,
    /// The catalogue, by code.
    pub errors: &'static [ErrorEntry],
    /// Every type the operations use; [`TyKind::Type`] indexes it.
    pub types: &'static [TypeEntry],
    /// Every operation, by api, then as written.
    pub operations: &'static [OperationEntry],
}

/// One code of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorEntry {
    /// The code.
    pub code: i64,
    /// The label, placeholders as written (`Missing [PARAMETER] parameter`).
    pub label: &'static str,
}

/// A named type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TypeEntry {
    /// Its name in the spec (or the name the generator gave an inline type).
    pub name: &'static str,
    /// What it is.
    pub shape: Shape,
}

/// What a named type is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    /// An object with these fields.
    Struct {
        /// Its fields, as written.
        fields: &'static [Field],
        /// Whether keys it does not list are refused (the objects inside
        /// parameters); received objects list what the spec knows.
        strict: bool,
        /// Whether keys it does not list are part of the type (kept as they came).
        additional: bool,
    },
    /// An enumeration: one of these values.
    Enum(&'static [Const]),
    /// Another name for a type.
    Alias(Ty),
}

/// A parameter, or a field of an object.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field {
    /// The wire name.
    pub wire: &'static str,
    /// Its type.
    pub ty: Ty,
    /// Whether it must be present.
    pub required: bool,
    /// The spec's example, as JSON text.
    pub example: Option<&'static str>,
}

/// A type where it is used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ty {
    /// What it is.
    pub kind: TyKind,
    /// Whether `null` is allowed.
    pub nullable: bool,
}

/// The kinds of [`Ty`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TyKind {
    /// A string.
    String(Text),
    /// An integer.
    Integer(Bounds),
    /// A number.
    Number(Bounds),
    /// A boolean.
    Boolean,
    /// Any JSON.
    Any,
    /// An array.
    Array {
        /// Its items.
        items: &'static Ty,
        /// Fewest items.
        min_items: Option<u64>,
        /// Most items.
        max_items: Option<u64>,
    },
    /// The type at this index of [`Contract::types`].
    Type(usize),
}

/// The constraints of a string.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Text {
    /// Its format (`date-time`, `email`, `phone`, …).
    pub format: Option<&'static str>,
    /// A regular expression it matches (`regex-lite` syntax).
    pub pattern: Option<&'static str>,
    /// Fewest characters.
    pub min_length: Option<u64>,
    /// Most characters.
    pub max_length: Option<u64>,
}

/// The constraints of a number.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Bounds {
    /// Smallest value.
    pub minimum: Option<f64>,
    /// Largest value.
    pub maximum: Option<f64>,
    /// The values it may take, when the spec enumerates them.
    pub values: &'static [Const],
}

/// One operation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OperationEntry {
    /// The api, e.g. `pims.authentication.smscode`.
    pub api: &'static str,
    /// The operation's name in the spec.
    pub name: &'static str,
    /// How it is called.
    pub verb: Verb,
    /// Its selector, in wire order (the generated `Operation::SELECTOR`).
    pub selector: &'static [(&'static str, Const)],
    /// Its check table (the generated `Operation::CHECKS`).
    pub checks: &'static [Check],
    /// Its parameters, selector left out.
    pub parameters: &'static [Field],
    /// What `SUCCEEDED` carries; `None` for no data.
    pub result: Option<Ty>,
    /// Subscriptions: what each `RESULT` event carries (`Some(None)`: no data).
    pub event: Option<Option<Ty>>,
    /// The codes it lists.
    pub errors: &'static [i64],
    /// Its examples, as the spec has them or as the generator built them.
    pub examples: &'static [Example],
}

/// A whole example of an operation, as JSON text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Example {
    /// The parameters, selector included.
    pub parameters: &'static str,
    /// How it ends.
    pub outcome: ExampleOutcome,
    /// Subscriptions: the `result` of each `RESULT` event.
    pub events: &'static [&'static str],
    /// Whether the generator built it from the fields' examples (the spec wrote none).
    pub built: bool,
}

/// How an [`Example`] ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ExampleOutcome {
    /// `SUCCEEDED` with this `result` (JSON text; `null` for no data).
    Succeeded(&'static str),
    /// `FAILED` with this code.
    Failed(i64),
}

impl Text {
    /// No constraint: what generated tables write the rest of a `Text` with.
    pub const NONE: Text = Text {
        format: None,
        pattern: None,
        min_length: None,
        max_length: None,
    };
}

impl Bounds {
    /// No constraint: what generated tables write the rest of a `Bounds` with.
    pub const NONE: Bounds = Bounds {
        minimum: None,
        maximum: None,
        values: &[],
    };
}

impl OperationEntry {
    /// `api#name`, as the spec's `related` writes it.
    pub fn id(&self) -> String {
        format!("{}#{}", self.api, self.name)
    }

    /// Whether it is a subscription.
    pub fn is_subscription(&self) -> bool {
        self.event.is_some()
    }
}

/// Why a call matches no operation of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unmatched {
    /// The contract has no such api.
    UnknownApi,
    /// The api has no operation with this verb.
    UnknownVerb,
    /// Every operation of the api with this verb needs this selector key.
    MissingSelector(&'static str),
    /// This selector key has a value that selects no operation.
    InvalidSelector(&'static str),
}

/// What a check found wrong, at one place of a parameters object or a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Missing, or there but wrong.
    pub kind: IssueKind,
    /// Where: a dotted path with indexes (`destination.latitude`,
    /// `result.trips[2].id`); empty for the whole object.
    pub path: String,
    /// What the contract says.
    pub expected: String,
    /// What was there (JSON, shortened), or `nothing`.
    pub found: String,
}

/// The kinds of [`Issue`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueKind {
    /// A required value is absent (the SDK's 2101 for a parameter).
    Missing,
    /// A value is there but does not meet the contract (2102 for a parameter).
    Invalid,
}

/// How deep the checks follow nested values: deeper values are not checked.
const MAX_DEPTH: usize = 64;

impl Contract {
    /// The catalogue entry of `code`.
    pub fn error(&self, code: i64) -> Option<&'static ErrorEntry> {
        self.errors.iter().find(|e| e.code == code)
    }

    /// The operation `name` of `api`.
    pub fn operation(&self, api: &str, name: &str) -> Option<&'static OperationEntry> {
        self.operations
            .iter()
            .find(|o| o.api == api && o.name == name)
    }

    /// The operations of `api`, as written.
    pub fn operations_of<'a>(
        &self,
        api: &'a str,
    ) -> impl Iterator<Item = &'static OperationEntry> + 'a {
        self.operations.iter().filter(move |o| o.api == api)
    }

    /// The operation a call of `verb` on `api` with `parameters` is, as the
    /// SDK tells them apart: by verb, then selector (the operation whose
    /// selector has the most keys, all matching), then the parameters (those
    /// they fully meet, else those whose required parameters are all there).
    /// Where several still match (the same call for different vehicles or
    /// phones), the first for which `prefer` holds, or else the first. `unsubscribe` gives the api's first subscription.
    pub fn resolve(
        &self,
        verb: Verb,
        api: &str,
        parameters: &Map<String, Value>,
        prefer: impl Fn(&OperationEntry) -> bool,
    ) -> Result<&'static OperationEntry, Unmatched> {
        let mut of_api = self.operations_of(api).peekable();
        if of_api.peek().is_none() {
            return Err(Unmatched::UnknownApi);
        }
        if verb == Verb::Unsubscribe {
            return of_api
                .find(|o| o.is_subscription())
                .ok_or(Unmatched::UnknownVerb);
        }
        let candidates: Vec<&'static OperationEntry> = of_api.filter(|o| o.verb == verb).collect();
        if candidates.is_empty() {
            return Err(Unmatched::UnknownVerb);
        }
        let selected: Vec<&'static OperationEntry> = candidates
            .iter()
            .copied()
            .filter(|o| {
                o.selector
                    .iter()
                    .all(|(k, v)| parameters.get(*k).is_some_and(|found| v.matches(found)))
            })
            .collect();
        if selected.is_empty() {
            // a selector key no value was given for, else the first one given wrong
            let keys = candidates.iter().flat_map(|o| o.selector.iter());
            if let Some((key, _)) = keys.clone().find(|(k, _)| !parameters.contains_key(*k)) {
                return Err(Unmatched::MissingSelector(key));
            }
            let wrong = keys
                .filter(|(k, v)| parameters.get(*k).is_some_and(|found| !v.matches(found)))
                .map(|(k, _)| *k)
                .next();
            return Err(Unmatched::InvalidSelector(wrong.unwrap_or("")));
        }
        // the most specific selector wins (`{type, action}` over none), then
        // the operations the parameters fully meet, then those whose
        // required parameters are all there
        let widest = selected.iter().map(|o| o.selector.len()).max().unwrap_or(0);
        let specific: Vec<&'static OperationEntry> = selected
            .into_iter()
            .filter(|o| o.selector.len() == widest)
            .collect();
        let clean: Vec<&'static OperationEntry> = specific
            .iter()
            .copied()
            .filter(|o| self.check_parameters(o, parameters).is_empty())
            .collect();
        let complete: Vec<&'static OperationEntry> = specific
            .iter()
            .copied()
            .filter(|o| {
                o.parameters
                    .iter()
                    .filter(|f| f.required)
                    .all(|f| parameters.contains_key(f.wire))
            })
            .collect();
        let pool = [&clean, &complete, &specific]
            .into_iter()
            .find(|p| !p.is_empty())
            .unwrap_or(&specific);
        Ok(pool.iter().copied().find(|o| prefer(o)).unwrap_or(pool[0]))
    }

    /// Everything wrong with `parameters` for `op`: selector, required
    /// parameters, kinds, keys the operation does not take, constraints and
    /// formats, then the rows of its check table that refuse them, in that
    /// order (one issue per place).
    pub fn check_parameters(
        &self,
        op: &OperationEntry,
        parameters: &Map<String, Value>,
    ) -> Vec<Issue> {
        let mut out = Vec::new();
        for (key, value) in op.selector {
            match parameters.get(*key) {
                None => out.push(Issue::missing(key, format!("the selector {value}"))),
                Some(found) if !value.matches(found) => {
                    out.push(Issue::invalid(key, format!("the selector {value}"), found))
                }
                Some(_) => {}
            }
        }
        let selector: Vec<&str> = op.selector.iter().map(|(k, _)| *k).collect();
        self.check_fields(op.parameters, parameters, "", true, &selector, 0, &mut out);
        for check in op.checks {
            if let Err(refused) =
                crate::validate::check_all(std::slice::from_ref(check), parameters)
                && !out.iter().any(|i| i.path == refused.parameter)
            {
                let found = lookup(parameters, &refused.parameter).map_or_else(String::new, shown);
                out.push(Issue {
                    kind: IssueKind::Invalid,
                    path: refused.parameter,
                    expected: refused.reason,
                    found,
                });
            }
        }
        out
    }

    /// Everything wrong with `text` as the answer to a call of `op` (`get`,
    /// `set`), or as the acknowledgement of a subscription.
    pub fn check_reply(&self, op: &OperationEntry, text: &str) -> Vec<Issue> {
        self.check_message(op, text, Message::Reply(op.result.as_ref()))
    }

    /// Everything wrong with `text` as the answer to `unsubscribe` of `op`'s api.
    pub fn check_unsubscribe_reply(&self, op: &OperationEntry, text: &str) -> Vec<Issue> {
        self.check_message(op, text, Message::Reply(None))
    }

    /// Everything wrong with `text` as a `RESULT` event of subscription `op`.
    pub fn check_event(&self, op: &OperationEntry, text: &str) -> Vec<Issue> {
        self.check_message(op, text, Message::Event(op.event.flatten().as_ref()))
    }

    fn check_message(&self, op: &OperationEntry, text: &str, message: Message<'_>) -> Vec<Issue> {
        let mut out = Vec::new();
        let value: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                out.push(Issue {
                    kind: IssueKind::Invalid,
                    path: String::new(),
                    expected: "a JSON object".into(),
                    found: format!("text that is not JSON ({e})"),
                });
                return out;
            }
        };
        let Value::Object(object) = &value else {
            out.push(Issue::invalid("", "a JSON object", &value));
            return out;
        };
        match object.get("transactionId") {
            None => out.push(Issue::missing("transactionId", "a string")),
            Some(Value::String(_)) => {}
            Some(other) => out.push(Issue::invalid("transactionId", "a string", other)),
        }
        let statuses: &[&str] = match message {
            Message::Reply(_) => &["SUCCEEDED", "FAILED"],
            Message::Event(_) => &["RESULT"],
        };
        let expected_status = statuses
            .iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(" or ");
        let status = match object.get("status") {
            None => {
                out.push(Issue::missing("status", expected_status));
                return out;
            }
            Some(Value::String(s)) if statuses.contains(&s.as_str()) => s.as_str(),
            Some(other) => {
                out.push(Issue::invalid("status", expected_status, other));
                return out;
            }
        };
        let (result_ty, failed) = match message {
            Message::Reply(ty) => (ty, status == "FAILED"),
            Message::Event(ty) => (ty, object.contains_key("error")),
        };
        if failed {
            match object.get("error") {
                None => out.push(Issue::missing("error", "an error object (code, label)")),
                Some(error) => self.check_error(op, error, &mut out),
            }
            return out;
        }
        match (result_ty, object.get("result")) {
            (None, None | Some(Value::Null)) => {}
            (None, Some(Value::Object(o))) if o.is_empty() => {}
            (None, Some(other)) => {
                out.push(Issue::invalid("result", "no data (null or {})", other))
            }
            (Some(ty), None) if self.accepts_null(ty) => {}
            (Some(ty), None) => out.push(Issue::missing("result", self.describe(ty))),
            (Some(ty), Some(found)) => self.check_ty(ty, found, "result", 0, &mut out),
        }
        out
    }

    fn check_error(&self, op: &OperationEntry, error: &Value, out: &mut Vec<Issue>) {
        let Value::Object(error) = error else {
            out.push(Issue::invalid(
                "error",
                "an error object (code, label)",
                error,
            ));
            return;
        };
        let code = match error.get("code") {
            None => {
                out.push(Issue::missing("error.code", "an integer"));
                None
            }
            Some(found) => match found.as_i64() {
                Some(code) => Some(code),
                None => {
                    out.push(Issue::invalid("error.code", "an integer", found));
                    None
                }
            },
        };
        let label = match error.get("label") {
            None => {
                out.push(Issue::missing("error.label", "a string"));
                None
            }
            Some(Value::String(s)) => Some(s.as_str()),
            Some(found) => {
                out.push(Issue::invalid("error.label", "a string", found));
                None
            }
        };
        if let Some(found) = error.get("subCode")
            && !found.is_array()
            && !found.is_null()
        {
            out.push(Issue::invalid("error.subCode", "an array", found));
        }
        let Some(code) = code else { return };
        if !op.errors.contains(&code) {
            let listed: Vec<String> = op.errors.iter().map(ToString::to_string).collect();
            out.push(Issue::invalid(
                "error.code",
                if listed.is_empty() {
                    "no code: the operation lists none".to_owned()
                } else {
                    format!("one of the codes it lists: {}", listed.join(", "))
                },
                &Value::from(code),
            ));
        }
        if let (Some(entry), Some(label)) = (self.error(code), label)
            && !crate::label::follows(entry.label, label)
        {
            out.push(Issue::invalid(
                "error.label",
                format!("the catalogue's label for {code}: {:?}", entry.label),
                &Value::from(label),
            ));
        }
    }

    /// Checks the fields of an object; `strict` refuses keys it does not list
    /// (but those in `skip`).
    #[allow(clippy::too_many_arguments)]
    fn check_fields(
        &self,
        fields: &[Field],
        object: &Map<String, Value>,
        path: &str,
        strict: bool,
        skip: &[&str],
        depth: usize,
        out: &mut Vec<Issue>,
    ) {
        for field in fields {
            let here = join(path, field.wire);
            match object.get(field.wire) {
                None if field.required => out.push(Issue::missing(&here, self.describe(&field.ty))),
                None => {}
                Some(Value::Null) if field.required && !self.accepts_null(&field.ty) => {
                    out.push(Issue::missing(&here, self.describe(&field.ty)))
                }
                Some(value) => self.check_ty(&field.ty, value, &here, depth + 1, out),
            }
        }
        if strict {
            for (key, value) in object {
                if skip.contains(&key.as_str()) || fields.iter().any(|f| f.wire == key) {
                    continue;
                }
                let known: Vec<&str> = skip
                    .iter()
                    .copied()
                    .chain(fields.iter().map(|f| f.wire))
                    .collect();
                out.push(Issue::invalid(
                    &join(path, key),
                    if known.is_empty() {
                        "no key: the object has no fields".to_owned()
                    } else {
                        format!("one of the keys {}", known.join(", "))
                    },
                    value,
                ));
            }
        }
    }

    /// Whether `ty` admits `null` (itself, or the type it names).
    fn accepts_null(&self, ty: &Ty) -> bool {
        let mut ty = *ty;
        for _ in 0..MAX_DEPTH {
            if ty.nullable {
                return true;
            }
            match ty.kind {
                TyKind::Type(i) => match self.types.get(i).map(|t| t.shape) {
                    Some(Shape::Alias(inner)) => ty = inner,
                    _ => return false,
                },
                _ => return false,
            }
        }
        false
    }

    /// What `ty` is, for people: `a string`, `one of "a", "b"`, `a Trip object`.
    pub fn describe(&self, ty: &Ty) -> String {
        let base = match ty.kind {
            TyKind::String(t) => match t.format {
                Some(format) => format!("a string ({format})"),
                None => "a string".to_owned(),
            },
            TyKind::Integer(_) => "an integer".to_owned(),
            TyKind::Number(_) => "a number".to_owned(),
            TyKind::Boolean => "a boolean".to_owned(),
            TyKind::Any => "any JSON".to_owned(),
            TyKind::Array { .. } => "an array".to_owned(),
            TyKind::Type(i) => match self.types.get(i) {
                Some(TypeEntry {
                    name,
                    shape: Shape::Struct { .. },
                }) => format!("an object ({name})"),
                Some(TypeEntry {
                    shape: Shape::Enum(members),
                    ..
                }) => one_of(members),
                Some(TypeEntry {
                    shape: Shape::Alias(inner),
                    ..
                }) => self.describe(inner),
                None => "a value".to_owned(),
            },
        };
        if ty.nullable {
            format!("{base}, or null")
        } else {
            base
        }
    }

    /// Checks `value` against `ty` at `path`: kind, constraints, formats.
    fn check_ty(&self, ty: &Ty, value: &Value, path: &str, depth: usize, out: &mut Vec<Issue>) {
        if depth > MAX_DEPTH {
            return;
        }
        if value.is_null() {
            if !self.accepts_null(ty) {
                out.push(Issue::invalid(path, self.describe(ty), value));
            }
            return;
        }
        let wrong = |out: &mut Vec<Issue>| out.push(Issue::invalid(path, self.describe(ty), value));
        match ty.kind {
            TyKind::String(text) => {
                let Some(s) = value.as_str() else {
                    return wrong(out);
                };
                if let Some(expected) = text_problem(&text, s) {
                    out.push(Issue::invalid(path, expected, value));
                }
            }
            TyKind::Integer(bounds) => {
                let integral = value.is_i64()
                    || value.is_u64()
                    || value.as_f64().is_some_and(|f| f.fract() == 0.0);
                if !value.is_number() || !integral {
                    return wrong(out);
                }
                if let Some(expected) = bounds_problem(&bounds, value) {
                    out.push(Issue::invalid(path, expected, value));
                }
            }
            TyKind::Number(bounds) => {
                if !value.is_number() {
                    return wrong(out);
                }
                if let Some(expected) = bounds_problem(&bounds, value) {
                    out.push(Issue::invalid(path, expected, value));
                }
            }
            TyKind::Boolean => {
                if !value.is_boolean() {
                    wrong(out);
                }
            }
            TyKind::Any => {}
            TyKind::Array {
                items,
                min_items,
                max_items,
            } => {
                let Some(list) = value.as_array() else {
                    return wrong(out);
                };
                let n = list.len() as u64;
                if let Some(min) = min_items.filter(|m| n < *m) {
                    out.push(Issue::invalid(path, format!("at least {min} items"), value));
                }
                if let Some(max) = max_items.filter(|m| n > *m) {
                    out.push(Issue::invalid(path, format!("at most {max} items"), value));
                }
                for (i, item) in list.iter().enumerate() {
                    self.check_ty(items, item, &format!("{path}[{i}]"), depth + 1, out);
                }
            }
            TyKind::Type(i) => match self.types.get(i).map(|t| t.shape) {
                None => {}
                Some(Shape::Struct {
                    fields, additional, ..
                }) => {
                    let Some(object) = value.as_object() else {
                        return wrong(out);
                    };
                    // a key the type does not list is a difference from the
                    // spec, sent or received, unless the type keeps them
                    self.check_fields(fields, object, path, !additional, &[], depth, out);
                }
                Some(Shape::Enum(members)) if !members.iter().any(|m| m.matches(value)) => {
                    wrong(out)
                }
                Some(Shape::Enum(_)) => {}
                Some(Shape::Alias(inner)) => self.check_ty(&inner, value, path, depth + 1, out),
            },
        }
    }
}

enum Message<'t> {
    /// `SUCCEEDED` or `FAILED`, with this result type.
    Reply(Option<&'t Ty>),
    /// `RESULT`, with this event type.
    Event(Option<&'t Ty>),
}

impl Issue {
    fn missing(path: &str, expected: impl Into<String>) -> Self {
        Issue {
            kind: IssueKind::Missing,
            path: path.to_owned(),
            expected: expected.into(),
            found: "nothing".to_owned(),
        }
    }

    fn invalid(path: &str, expected: impl Into<String>, found: &Value) -> Self {
        Issue {
            kind: IssueKind::Invalid,
            path: path.to_owned(),
            expected: expected.into(),
            found: shown(found),
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Longest JSON shown in an [`Issue`], in characters.
const SHOWN: usize = 120;

/// `value` as JSON, shortened to [`SHOWN`] characters.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= SHOWN {
        return text;
    }
    let mut short: String = text.chars().take(SHOWN).collect();
    short.push('…');
    short
}

fn one_of(members: &[Const]) -> String {
    let list: Vec<String> = members.iter().map(ToString::to_string).collect();
    format!("one of {}", list.join(", "))
}

/// The value at a dotted path with indexes (`a.b[2].c`), as the check table names it.
fn lookup<'v>(object: &'v Map<String, Value>, path: &str) -> Option<&'v Value> {
    let mut current: Option<&Value> = None;
    for (i, part) in path.split('.').enumerate() {
        let (key, indexes) = match part.find('[') {
            Some(at) => (&part[..at], &part[at..]),
            None => (part, ""),
        };
        let mut value = if i == 0 {
            object.get(key)?
        } else {
            current?.as_object()?.get(key)?
        };
        for index in indexes.split('[').filter(|s| !s.is_empty()) {
            let n: usize = index.trim_end_matches(']').parse().ok()?;
            value = value.as_array()?.get(n)?;
        }
        current = Some(value);
    }
    current
}

/// What a string breaks of its constraints, said as what was expected.
fn text_problem(text: &Text, s: &str) -> Option<String> {
    let length = s.chars().count() as u64;
    if let Some(min) = text.min_length.filter(|m| length < *m) {
        return Some(format!("at least {min} characters"));
    }
    if let Some(max) = text.max_length.filter(|m| length > *m) {
        return Some(format!("at most {max} characters"));
    }
    if let Some(pattern) = text.pattern
        && !matches(pattern, s)
    {
        return Some(format!("a string matching `{pattern}`"));
    }
    if let Some(format) = text.format
        && !format_holds(format, s)
    {
        return Some(format!("a string in the `{format}` format"));
    }
    None
}

fn bounds_problem(bounds: &Bounds, value: &Value) -> Option<String> {
    let n = value.as_f64()?;
    if let Some(min) = bounds.minimum.filter(|m| n < *m) {
        return Some(format!("at least {min}"));
    }
    if let Some(max) = bounds.maximum.filter(|m| n > *m) {
        return Some(format!("at most {max}"));
    }
    if !bounds.values.is_empty() && !bounds.values.iter().any(|m| m.matches(value)) {
        return Some(one_of(bounds.values));
    }
    None
}

/// Whether `s` is in `format`, for the formats every generated schema
/// asserts; other formats (`phone`, `language`, …) say what a `pattern`
/// checks, and hold here.
pub fn format_holds(format: &str, s: &str) -> bool {
    let pattern = match format {
        "date-time" => {
            r"^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"
        }
        "date" => r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$",
        "time" => r"^([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})?$",
        "duration" => {
            return s.len() > 1
                && !s.ends_with('T')
                && matches(
                    r"^P([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]+)?S)?)?$",
                    s,
                );
        }
        "email" => r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        "uri" => r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*$",
        "uuid" => r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        "ipv4" => r"^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$",
        _ => return true,
    };
    if !matches(pattern, s) {
        return false;
    }
    // the fields' ranges, where the pattern cannot say them
    let numbers: Vec<u32> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect();
    match format {
        "date-time" | "date" => {
            let (month, day) = (numbers.get(1).copied(), numbers.get(2).copied());
            let date = month.is_some_and(|m| (1..=12).contains(&m))
                && day.is_some_and(|d| (1..=31).contains(&d));
            let time = format == "date" || clock(numbers.get(3..).unwrap_or(&[]));
            date && time
        }
        "time" => clock(&numbers),
        "ipv4" => numbers.iter().all(|n| *n <= 255),
        _ => true,
    }
}

/// Hours, minutes and seconds in range (a leap second allowed).
fn clock(numbers: &[u32]) -> bool {
    matches!(numbers, [h, m, s, ..] if *h < 24 && *m < 60 && *s <= 60)
}

/// Whether `s` matches `pattern` (the spec's patterns and the formats'),
/// through the runtime's pattern checks. A pattern that does not compile
/// refuses nothing here: the check table (applied to parameters) reports it.
pub(crate) fn matches(pattern: &'static str, s: &str) -> bool {
    crate::pattern::matches(pattern, s).unwrap_or(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(format_holds("date-time", "2024-05-02T08:15:00Z"));
        assert!(format_holds("date-time", "2024-05-02T08:15:00.123+02:00"));
        assert!(!format_holds("date-time", "2024-13-02T08:15:00Z"));
        assert!(!format_holds("date-time", "2024-05-02 08:15:00"));
        assert!(!format_holds("date-time", "yesterday"));
        assert!(format_holds("date", "2024-05-02"));
        assert!(!format_holds("date", "2024-05-32"));
        assert!(format_holds("time", "23:59:60"));
        assert!(!format_holds("time", "24:00:00"));
        assert!(format_holds("duration", "PT0S"));
        assert!(format_holds("duration", "P1DT2H"));
        assert!(!format_holds("duration", "P"));
        assert!(!format_holds("duration", "P1DT"));
        assert!(!format_holds("duration", "1 hour"));
        assert!(format_holds("email", "user@example.com"));
        assert!(!format_holds("email", "user.example.com"));
        assert!(format_holds("uri", "https://example.com/a"));
        assert!(!format_holds("uri", "not a uri"));
        assert!(format_holds(
            "phone",
            "anything: a pattern says what a phone is"
        ));
    }

    #[test]
    fn lookup_follows_the_check_tables_paths() {
        let Value::Object(map) = serde_json::json!({"a": {"b": [1, {"c": 3}]}}) else {
            unreachable!()
        };
        assert_eq!(lookup(&map, "a.b[1].c"), Some(&Value::from(3)));
        assert_eq!(lookup(&map, "a.b[0]"), Some(&Value::from(1)));
        assert_eq!(lookup(&map, "a.x"), None);
        assert_eq!(lookup(&map, "a.b[9]"), None);
    }
}
