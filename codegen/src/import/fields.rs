//! Operations and fields of the reference data, mapped to our format.

use std::collections::{BTreeMap, BTreeSet};

use crate::yaml::{Node, Value};

use super::{Importer, get, items, security_names, text};
use crate::yaml_out::Y;

/// Which side of a call a field is on: what is sent is held to its
/// enumeration; what is received is allowed values the spec does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// Parameters.
    Params,
    /// Results, events, shared types.
    Data,
}

/// An operation, before its name is chosen.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Op {
    pub api: String,
    pub verb: String,
    pub subname: Option<String>,
    pub line: u32,
    pub component: String,
    /// Set when merged twins span more platforms than the component.
    pub compatibility: Option<Vec<String>>,
    pub since: String,
    pub updated: Option<String>,
    pub description: Option<String>,
    pub security: Option<Vec<String>>,
    pub selector: Vec<(String, Y)>,
    pub parameters: Y,
    pub result: Y,
    pub events: Option<Y>,
    pub errors: Vec<i64>,
}

impl Op {
    /// The name the data gives it (`subname`), or the api's last segment.
    pub fn base_name(&self) -> String {
        match &self.subname {
            Some(s) => s.clone(),
            None => self
                .api
                .rsplit('.')
                .next()
                .unwrap_or("operation")
                .to_owned(),
        }
    }

    /// The names of its parameters.
    pub fn parameter_names(&self) -> Vec<String> {
        match &self.parameters {
            Y::Map(entries) => entries.iter().map(|(k, _)| k.clone()).collect(),
            _ => Vec::new(),
        }
    }

    /// Makes the optional parameter `name` required; whether it was optional.
    pub fn make_required(&mut self, name: &str) -> bool {
        let Some(field) = self.parameters.get_mut(name) else {
            return false;
        };
        if field.get_mut("required").is_some() {
            return false;
        }
        // `required` goes right after the type's own keys, before `description`
        if let Y::Map(entries) = field {
            let at = entries
                .iter()
                .position(|(k, _)| k == "description" || k == "example")
                .unwrap_or(entries.len());
            entries.insert(at, ("required".to_owned(), Y::Bool(true)));
        }
        true
    }

    /// Whether `other` is the same call: same verb, selector, parameters and answers.
    pub fn same_call(&self, other: &Op) -> bool {
        self.api == other.api
            && self.verb == other.verb
            && self.selector == other.selector
            && self.parameters == other.parameters
            && self.result == other.result
            && self.events == other.events
    }

    /// Takes in a twin: its errors and platforms join this one's.
    pub fn absorb(&mut self, other: Op, extra: &[String], compat: &BTreeMap<String, Vec<String>>) {
        for code in other.errors {
            if !self.errors.contains(&code) {
                self.errors.push(code);
            }
        }
        let mut platforms = self
            .compatibility
            .clone()
            .or_else(|| compat.get(&self.component).cloned())
            .unwrap_or_default();
        for p in extra {
            if !platforms.contains(p) {
                platforms.push(p.clone());
            }
        }
        if Some(&platforms) != compat.get(&self.component) {
            self.compatibility = Some(platforms);
        }
    }

    /// The operation as spec YAML.
    pub fn into_yaml(self, name: String, file_component: &str) -> Y {
        let mut op = Y::map();
        let base = self.base_name();
        op.put("name", Y::s(name.clone()));
        if self.subname.is_some() && base != name {
            op.put("title", Y::s(base));
        }
        op.put("verb", Y::s(self.verb.clone()));
        op.put("since", Y::s(self.since));
        if let Some(u) = self.updated {
            op.put("updated", Y::s(u));
        }
        if self.component != file_component {
            op.put("component", Y::s(self.component));
        }
        if let Some(security) = self.security {
            op.put("security", Y::Seq(security.into_iter().map(Y::s).collect()));
        }
        if let Some(compat) = self.compatibility {
            op.put(
                "compatibility",
                Y::Seq(compat.into_iter().map(Y::s).collect()),
            );
        }
        if let Some(d) = self.description {
            op.put("description", Y::s(d));
        }
        if !self.selector.is_empty() {
            op.put("selector", Y::Map(self.selector));
        }
        if matches!(&self.parameters, Y::Map(p) if !p.is_empty()) {
            op.put("parameters", self.parameters);
        }
        op.put("result", self.result);
        if let Some(events) = self.events {
            op.put("events", events);
        }
        op.put(
            "errors",
            Y::Seq(self.errors.into_iter().map(Y::Int).collect()),
        );
        op
    }
}

/// What a free-text type says.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    String,
    Integer,
    Number,
    Boolean,
    Object,
    Any,
    Array(Box<Kind>),
    /// The cell is empty: guessed from the example.
    Unknown,
}

impl Kind {
    fn keyword(&self) -> &'static str {
        match self {
            Kind::String | Kind::Unknown => "string",
            Kind::Integer => "integer",
            Kind::Number => "number",
            Kind::Boolean => "boolean",
            Kind::Object => "object",
            Kind::Any => "any",
            Kind::Array(_) => "array",
        }
    }
}

/// Maps a free-text type: `String`, `Int`, `Long`, `Double`, `Array of Objects`,
/// `List of Strings`, `Enum of Numbers`, … Returns the kind and whether it
/// announces an enumeration; `None` for text it cannot read.
fn kind_of(raw: &str) -> Option<(Kind, bool)> {
    let t = raw.trim().to_lowercase();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    let simple = |w: &str| -> Option<Kind> {
        let w = w.trim_end_matches("[]");
        let singular = w.strip_suffix('s').filter(|s| s.len() > 2).unwrap_or(w);
        Some(match singular {
            "string" | "str" | "text" | "char" => Kind::String,
            "int" | "integer" | "long" | "short" => Kind::Integer,
            "number" | "double" | "float" | "decimal" => Kind::Number,
            "boolean" | "bool" => Kind::Boolean,
            "object" | "map" | "dictionary" | "json" => Kind::Object,
            "any" => Kind::Any,
            _ => return None,
        })
    };
    if t.is_empty() {
        return Some((Kind::Unknown, false));
    }
    if let Some(rest) = t.strip_prefix("enum of ") {
        return simple(rest).map(|k| (k, true));
    }
    if t == "enum" {
        return Some((Kind::String, true));
    }
    for prefix in ["array of ", "list of ", "set of "] {
        if let Some(rest) = t.strip_prefix(prefix) {
            return simple(rest).map(|k| (Kind::Array(Box::new(k)), false));
        }
    }
    if t == "array" || t == "list" {
        return Some((Kind::Array(Box::new(Kind::Any)), false));
    }
    if let Some(inner) = t.strip_suffix("[]") {
        return simple(inner).map(|k| (Kind::Array(Box::new(k)), false));
    }
    simple(&t).map(|k| (k, false))
}

/// What `unitOrValue` says.
#[derive(Debug, Default)]
struct UnitInfo {
    /// Enumeration members: value and explanation.
    values: Vec<(Y, Option<String>)>,
    format: Option<String>,
    unit: Option<String>,
    minimum: Option<f64>,
    maximum: Option<f64>,
    /// Text that is none of those.
    prose: Option<String>,
}

/// A member written `value: explanation` (`'start: start the service'`).
fn member(raw: &str) -> (String, Option<String>) {
    if let Some((value, rest)) = raw.split_once(':') {
        let value = value.trim();
        if !value.is_empty() && !value.contains(' ') {
            let explanation = rest.trim().trim_matches(['\'', '"']).trim();
            return (
                value.to_owned(),
                (!explanation.is_empty()).then(|| explanation.to_owned()),
            );
        }
    }
    (raw.trim().to_owned(), None)
}

fn unit_of(lower: &str) -> Option<&'static str> {
    Some(match lower {
        "km" => "km",
        "m" | "meter" | "meters" => "m",
        "%" | "percentage" | "percent" => "%",
        "mm3" => "mm3",
        "mhz" => "MHz",
        "hour" | "hours" | "h" => "h",
        "minute" | "minutes" | "min" => "min",
        "second" | "seconds" | "s" => "s",
        "ms" | "milliseconds" => "ms",
        "kw" => "kW",
        "kwh" => "kWh",
        "l" | "liter" | "liters" => "L",
        "km/h" => "km/h",
        "mph" => "mph",
        _ => return None,
    })
}

fn format_of(lower: &str) -> Option<&'static str> {
    let compact = lower.replace('`', "");
    Some(match compact.trim() {
        s if s.contains("yyyy") && (s.contains("hh") || s.contains('t')) => "date-time",
        "date time" | "datetime" | "date-time" | "timestamp" => "date-time",
        s if s.contains("yyyy") => "date",
        "date" => "date",
        "time" => "time",
        "duration" => "duration",
        "email" | "e-mail" => "email",
        s if s.contains('@') && !s.contains(' ') => "email",
        "phonenumber" | "phone number" | "phone" => "phone",
        "link" | "url" | "uri" => "uri",
        "language code" | "language" => "language",
        _ => return None,
    })
}

/// `From 0 to 100.`, `Between 5 and 1440.`
fn range_of(lower: &str) -> Option<(f64, f64)> {
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace())
        .map(|w| w.trim_end_matches('.'))
        .collect();
    match words.as_slice() {
        ["from", lo, "to", hi] | ["between", lo, "and", hi] => {
            Some((lo.parse().ok()?, hi.parse().ok()?))
        }
        _ => None,
    }
}

impl Importer {
    fn unit_info(&mut self, node: Option<&Node>, kind: &Kind) -> UnitInfo {
        let mut info = UnitInfo::default();
        let Some(node) = node else {
            return info;
        };
        match &node.value {
            Value::Seq(list) => {
                for item in list {
                    match &item.value {
                        Value::Str(s) => {
                            let (value, explanation) = member(s);
                            info.values.push((Y::s(value), explanation));
                        }
                        Value::Int(i) => info.values.push((Y::Int(*i), None)),
                        Value::Float(f) => info.values.push((Y::Num(*f), None)),
                        Value::Bool(b) => info.values.push((Y::Bool(*b), None)),
                        _ => self.warn(
                            item,
                            "an enumeration member that is not a scalar is left out",
                        ),
                    }
                }
            }
            Value::Null => {}
            Value::Str(s) => {
                let trimmed = s.trim();
                let lower = trimmed.to_lowercase();
                if trimmed.is_empty() || lower == "n/a" || lower == "na" || lower == "-" {
                    return info;
                }
                let numeric = matches!(kind, Kind::Integer | Kind::Number);
                if numeric && let Some(unit) = unit_of(&lower) {
                    info.unit = Some(unit.to_owned());
                } else if numeric && let Some((lo, hi)) = range_of(&lower) {
                    info.minimum = Some(lo);
                    info.maximum = Some(hi);
                } else if let Some(format) = format_of(&lower) {
                    info.format = Some(format.to_owned());
                } else if !trimmed.contains(' ') && matches!(kind, Kind::String | Kind::Unknown) {
                    // a single literal, as discriminators are written (`sendToNav`)
                    let (value, explanation) = member(trimmed);
                    info.values.push((Y::s(value), explanation));
                } else if let Some(unit) = unit_of(&lower) {
                    self.warn(
                        node,
                        format!("unit {trimmed:?} on a non-numeric field: kept as its unit"),
                    );
                    info.unit = Some(unit.to_owned());
                } else {
                    self.warn(node, format!("unitOrValue {trimmed:?} is no unit, format or list of values: added to the description"));
                    info.prose = Some(trimmed.to_owned());
                }
            }
            _ => {
                let shown = text(node).unwrap_or_else(|| node.show());
                self.warn(
                    node,
                    format!("unitOrValue {shown} is not understood: left out"),
                );
            }
        }
        info
    }

    /// A map of fields (name → field) from a list of field nodes; dotted
    /// names become nested objects. `owner` is the named type being defined.
    pub(crate) fn fields(&mut self, list: &[Node], side: Side, owner: Option<&str>) -> Y {
        let mut out: Vec<(String, Y)> = Vec::new();
        let mut rust_names: BTreeMap<String, String> = BTreeMap::new();
        for node in list {
            let Some(field) = self.field(node, side, owner) else {
                continue;
            };
            let path: Vec<String> = field.name.split('.').map(str::to_owned).collect();
            if path.len() > 1 {
                self.warn(
                    node,
                    format!("the dotted name `{}` becomes nested objects", field.name),
                );
                insert_path(&mut out, &path, field.y);
                continue;
            }
            if out.iter().any(|(k, _)| *k == field.name) {
                self.warn(
                    node,
                    format!("field `{}` is listed twice: the first is kept", field.name),
                );
                continue;
            }
            let rust = crate::naming::rust::field(&field.name);
            if let Some(other) = rust_names.get(&rust) {
                self.warn(node, format!("fields `{other}` and `{}` both become `{rust}` in Rust: the second is left out", field.name));
                continue;
            }
            rust_names.insert(rust, field.name.clone());
            out.push((field.name, field.y));
        }
        Y::Map(out)
    }

    /// One field.
    fn field(&mut self, node: &Node, side: Side, owner: Option<&str>) -> Option<FieldOut> {
        if !matches!(node.value, Value::Map(_)) {
            self.warn(node, format!("a field that is {} is left out", node.kind()));
            return None;
        }
        let Some(raw_name) = get(node, "name").and_then(text) else {
            self.warn(node, "a field without `name` is left out");
            return None;
        };
        let mut name = raw_name.trim().to_owned();
        if name.ends_with('.') {
            self.warn(
                node,
                format!(
                    "the name `{raw_name}` ends with a dot: read as `{}`",
                    name.trim_end_matches('.')
                ),
            );
            name = name.trim_end_matches('.').to_owned();
        }
        if name.is_empty() {
            self.warn(node, "a field with an empty name is left out");
            return None;
        }
        let required = match get(node, "required").map(|n| &n.value) {
            Some(Value::Bool(b)) => *b,
            Some(Value::Str(s)) if s.trim().eq_ignore_ascii_case("true") => true,
            _ => false,
        };
        let type_text = get(node, "type").and_then(text).unwrap_or_default();
        let (mut kind, announced_enum) = match kind_of(&type_text) {
            Some(k) => k,
            None => {
                self.warn(
                    node,
                    format!("type {type_text:?} of `{name}` is not understood: free JSON (`any`)"),
                );
                (Kind::Any, false)
            }
        };
        let example_node = get(node, "example");
        if kind == Kind::Unknown {
            kind = guess_kind(example_node);
            self.warn(
                node,
                format!(
                    "`{name}` has no type: `{}` is assumed from its example",
                    kind.keyword()
                ),
            );
        }
        let element = match &kind {
            Kind::Array(inner) => (**inner).clone(),
            other => other.clone(),
        };
        let info = self.unit_info(get(node, "unitOrValue"), &element);
        let mut description = get(node, "description")
            .and_then(text)
            .map(|d| super::tidy(&d));
        if let Some(prose) = &info.prose {
            description = Some(match description {
                Some(d) if !d.is_empty() => format!("{d} {prose}"),
                _ => prose.clone(),
            });
        }
        let fields_node = get(node, "fields");
        let mut y = Y::map();
        let single;
        match &kind {
            Kind::Array(inner) => {
                y.put("type", Y::s("array"));
                let items = self.element(inner, &info, fields_node, side, owner, node, &name);
                single = None;
                y.put("items", items);
            }
            Kind::Object | Kind::Any => {
                let object = self.object(fields_node, side, owner, &kind);
                single = None;
                if let Y::Map(entries) = object {
                    y = Y::Map(entries);
                }
            }
            scalar => {
                let (keyword, members) =
                    self.scalar_type(scalar, &info, announced_enum, node, &name);
                single = (members.len() == 1 && keyword == "string").then(|| members[0].0.clone());
                y.put("type", Y::s(keyword));
                put_constraints(&mut y, &info);
                if !members.is_empty() {
                    y.put("values", members_yaml(&members));
                }
            }
        }
        // an Integer whose example has a leading zero is a string on the wire
        if let Some(ex) = example_node
            && matches!(ex.value, Value::Int(_))
            && ex.plain.as_deref().is_some_and(has_leading_zero)
            && y.get_mut("type")
                .is_some_and(|t| *t == Y::s("integer") || *t == Y::s("number"))
        {
            self.warn(ex, format!(
                "`{name}` is typed {type_text:?} but its example {} has a leading zero: typed `string`",
                ex.plain.clone().unwrap_or_default()
            ));
            if let Some(t) = y.get_mut("type") {
                *t = Y::s("string");
            }
        }
        if required {
            y.put("required", Y::Bool(true));
        }
        if let Some(d) = description.filter(|d| !d.is_empty()) {
            y.put("description", Y::s(d));
        }
        if let Some(example) = example_node.and_then(|ex| self.example(ex, &y, side, &name)) {
            y.put("example", example);
        }
        Some(FieldOut {
            name,
            y,
            single: single.filter(|_| required),
        })
    }

    /// The items of an array.
    #[allow(clippy::too_many_arguments)] // reason: the field's context, passed down once
    fn element(
        &mut self,
        inner: &Kind,
        info: &UnitInfo,
        fields_node: Option<&Node>,
        side: Side,
        owner: Option<&str>,
        at: &Node,
        name: &str,
    ) -> Y {
        match inner {
            Kind::Object | Kind::Any => self.object(fields_node, side, owner, inner),
            Kind::Array(_) => {
                self.warn(
                    at,
                    format!("`{name}` is an array of arrays: its items are free JSON"),
                );
                let mut y = Y::map();
                y.put("type", Y::s("any"));
                y
            }
            scalar => {
                let (keyword, members) =
                    self.scalar_type(scalar, info, !info.values.is_empty(), at, name);
                let mut y = Y::map();
                y.put("type", Y::s(keyword));
                put_constraints(&mut y, info);
                if !members.is_empty() {
                    y.put("values", members_yaml(&members));
                }
                y
            }
        }
    }

    /// An object: a named type where its fields are a shared object's, else inline.
    fn object(
        &mut self,
        fields_node: Option<&Node>,
        side: Side,
        owner: Option<&str>,
        kind: &Kind,
    ) -> Y {
        let mut y = Y::map();
        let list = items(fields_node);
        if list.is_empty() {
            // no fields: free JSON
            y.put(
                "type",
                Y::s(if *kind == Kind::Object {
                    "any"
                } else {
                    kind.keyword()
                }),
            );
            return y;
        }
        if let Some(fields) = fields_node
            && let Some(name) = self.named_for(fields)
            && Some(name.as_str()) != owner
        {
            y.put("type", Y::s(name));
            return y;
        }
        y.put("type", Y::s("object"));
        let fields = self.fields(list, side, owner);
        y.put("fields", fields);
        y
    }

    /// The type keyword and members of a scalar field.
    fn scalar_type(
        &mut self,
        kind: &Kind,
        info: &UnitInfo,
        announced: bool,
        at: &Node,
        name: &str,
    ) -> (&'static str, Vec<(Y, Option<String>)>) {
        let mut members = info.values.clone();
        if announced && members.is_empty() {
            self.warn(
                at,
                format!("`{name}` is announced as an enumeration but lists no values"),
            );
        }
        let keyword = match kind {
            Kind::Boolean => {
                for m in &mut members {
                    if let Y::Str(s) = &m.0 {
                        match s.to_lowercase().as_str() {
                            "true" => m.0 = Y::Bool(true),
                            "false" => m.0 = Y::Bool(false),
                            _ => {}
                        }
                    }
                }
                members.retain(|m| matches!(m.0, Y::Bool(_)));
                "boolean"
            }
            Kind::Integer | Kind::Number => {
                let mut numbers = Vec::new();
                for (value, explanation) in members.drain(..) {
                    let parsed = match &value {
                        Y::Int(i) => Some(Y::Int(*i)),
                        Y::Num(n) => Some(Y::Num(*n)),
                        Y::Str(s) => s
                            .parse::<i64>()
                            .map(Y::Int)
                            .ok()
                            .or_else(|| s.parse::<f64>().ok().map(Y::Num)),
                        _ => None,
                    };
                    match parsed {
                        Some(v) => numbers.push((v, explanation)),
                        None => self.warn(
                            at,
                            format!("`{name}` is numeric but lists {value:?}: left out"),
                        ),
                    }
                }
                members = numbers;
                let all_int = members.iter().all(|(v, _)| matches!(v, Y::Int(_)));
                if *kind == Kind::Integer || (!members.is_empty() && all_int) {
                    "integer"
                } else {
                    "number"
                }
            }
            _ => {
                for m in &mut members {
                    m.0 = match &m.0 {
                        Y::Int(i) => Y::s(i.to_string()),
                        Y::Num(n) => Y::s(n.to_string()),
                        Y::Bool(b) => Y::s(b.to_string()),
                        other => other.clone(),
                    };
                }
                "string"
            }
        };
        (keyword, self.unique_members(members, at, name))
    }

    /// Drops repeated members and those whose Rust variants would collide.
    fn unique_members(
        &mut self,
        members: Vec<(Y, Option<String>)>,
        at: &Node,
        name: &str,
    ) -> Vec<(Y, Option<String>)> {
        let mut seen: Vec<Y> = Vec::new();
        let mut variants: BTreeSet<String> = BTreeSet::new();
        let mut out = Vec::new();
        for (value, explanation) in members {
            if seen.contains(&value) {
                self.warn(
                    at,
                    format!("`{name}` lists {} twice: once is kept", show(&value)),
                );
                continue;
            }
            let variant = crate::naming::variant(&show_bare(&value));
            if matches!(value, Y::Str(_) | Y::Int(_))
                && (!variants.insert(variant.clone()) || variant == "Unlisted")
            {
                self.warn(
                    at,
                    format!(
                        "`{name}`: {} would be the Rust variant `{variant}` twice: left out",
                        show(&value)
                    ),
                );
                continue;
            }
            seen.push(value.clone());
            out.push((value, explanation));
        }
        out
    }

    /// The field's example, repaired to fit the field's type, or dropped with a warning.
    fn example(&mut self, ex: &Node, field: &Y, side: Side, name: &str) -> Option<Y> {
        let Y::Map(entries) = field else {
            return None;
        };
        let find = |key: &str| entries.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        let keyword = match find("type") {
            Some(Y::Str(t)) => t.clone(),
            _ => return None,
        };
        let shown = text(ex).map_or_else(|| ex.show(), |t| format!("{t:?}"));
        if matches!(ex.value, Value::Null) || text(ex).is_some_and(|t| t.trim().is_empty()) {
            self.warn(ex, format!("the example of `{name}` is empty: left out"));
            return None;
        }
        let value = match keyword.as_str() {
            "string" => match &ex.value {
                Value::Str(s) => Y::s(s.clone()),
                Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                    // read the scalar as written: `0612345678` keeps its zero
                    Y::s(ex.plain.clone().unwrap_or_else(|| ex.show()))
                }
                _ => {
                    self.warn(
                        ex,
                        format!(
                            "the example of `{name}` is {}, not a string: left out",
                            ex.kind()
                        ),
                    );
                    return None;
                }
            },
            "integer" => match &ex.value {
                Value::Int(i) => Y::Int(*i),
                Value::Float(f) if f.fract() == 0.0 => Y::Int(*f as i64),
                Value::Str(s) if s.trim().parse::<i64>().is_ok() => {
                    self.warn(
                        ex,
                        format!("the example of `{name}` is the string {s:?}: read as a number"),
                    );
                    Y::Int(s.trim().parse().unwrap_or_default())
                }
                _ => {
                    self.warn(
                        ex,
                        format!("the example {shown} of `{name}` is not an integer: left out"),
                    );
                    return None;
                }
            },
            "number" => match &ex.value {
                Value::Int(i) => Y::Int(*i),
                Value::Float(f) => Y::Num(*f),
                Value::Str(s) if s.trim().parse::<f64>().is_ok_and(f64::is_finite) => {
                    self.warn(
                        ex,
                        format!("the example of `{name}` is the string {s:?}: read as a number"),
                    );
                    Y::Num(s.trim().parse().unwrap_or_default())
                }
                _ => {
                    self.warn(
                        ex,
                        format!("the example {shown} of `{name}` is not a number: left out"),
                    );
                    return None;
                }
            },
            "boolean" => match &ex.value {
                Value::Bool(b) => Y::Bool(*b),
                Value::Str(s) if matches!(s.trim(), "true" | "false") => {
                    Y::Bool(s.trim() == "true")
                }
                _ => {
                    self.warn(
                        ex,
                        format!("the example {shown} of `{name}` is not a boolean: left out"),
                    );
                    return None;
                }
            },
            "array" => match &ex.value {
                Value::Seq(_) => Y::from_json(&ex.to_json()),
                Value::Str(s) if s.trim().starts_with('[') => match serde_json::from_str::<
                    serde_json::Value,
                >(s.trim())
                .or_else(|_| serde_json::from_str(&s.trim().replace('\'', "\"")))
                {
                    Ok(v @ serde_json::Value::Array(_)) => {
                        self.warn(
                            ex,
                            format!("the example of `{name}` is the text {s:?}: read as a list"),
                        );
                        Y::from_json(&v)
                    }
                    _ => {
                        self.warn(
                            ex,
                            format!("the example {shown} of `{name}` is not a list: left out"),
                        );
                        return None;
                    }
                },
                Value::Map(_) => {
                    self.warn(
                        ex,
                        format!("the example of `{name}` is a map, not a list: left out"),
                    );
                    return None;
                }
                _ => {
                    let item = text(ex).unwrap_or_default();
                    self.warn(ex, format!("the example {shown} of the list `{name}` is one item: written as a list"));
                    let items_type = match find("items") {
                        Some(Y::Map(i)) => {
                            i.iter().find(|(k, _)| k == "type").map(|(_, v)| v.clone())
                        }
                        _ => None,
                    };
                    let one = match (items_type, &ex.value) {
                        (Some(Y::Str(t)), Value::Int(i)) if t == "integer" || t == "number" => {
                            Y::Int(*i)
                        }
                        (Some(Y::Str(t)), Value::Float(f)) if t == "number" => Y::Num(*f),
                        (Some(Y::Str(t)), Value::Bool(b)) if t == "boolean" => Y::Bool(*b),
                        (Some(Y::Str(t)), _) if t == "string" => Y::s(item),
                        _ => {
                            self.warn(
                                ex,
                                format!("the example of `{name}` does not fit its items: left out"),
                            );
                            return None;
                        }
                    };
                    Y::Seq(vec![one])
                }
            },
            _ => match &ex.value {
                Value::Map(_) => Y::from_json(&ex.to_json()),
                _ => {
                    self.warn(
                        ex,
                        format!(
                            "the example {shown} of the object `{name}` is not a map: left out"
                        ),
                    );
                    return None;
                }
            },
        };
        // list items outside the items' enumeration
        if let (Y::Seq(list), Some(Y::Map(item_keys))) = (&value, find("items"))
            && let Some((_, Y::Seq(members))) = item_keys.iter().find(|(k, _)| k == "values")
        {
            let mut fixed = Vec::new();
            for item in list {
                match member_like(members, item) {
                    Some(m) => {
                        if m != *item {
                            self.warn(ex, format!("the example item {} of `{name}` differs from its member {} in case: the member is used", show(item), show(&m)));
                        }
                        fixed.push(m);
                    }
                    None => {
                        self.warn(ex, format!("the example item {} of `{name}` is not one of its values: the example is left out", show(item)));
                        return None;
                    }
                }
            }
            return Some(Y::Seq(fixed));
        }
        // an example outside its own enumeration
        if let Some(Y::Seq(members)) = find("values") {
            return match member_like(members, &value) {
                Some(member) => {
                    if member != value {
                        self.warn(ex, format!("the example {} of `{name}` differs from its member {} in case: the member is used", show(&value), show(&member)));
                    }
                    Some(member)
                }
                None => {
                    let why = if side == Side::Params {
                        " (it could not be sent)"
                    } else {
                        ""
                    };
                    self.warn(
                        ex,
                        format!(
                            "the example {} of `{name}` is not one of its values: left out{why}",
                            show(&value)
                        ),
                    );
                    None
                }
            };
        }
        Some(value)
    }

    /// One operation of the data.
    pub(crate) fn operation(&mut self, entry: &Node) -> Option<Op> {
        let Some(api) = get(entry, "apiName")
            .and_then(text)
            .map(|a| a.trim().to_owned())
        else {
            self.warn(entry, "an api entry without `apiName` is left out");
            return None;
        };
        if crate::load::expected_path(&api).is_none()
            || !api
                .split('.')
                .skip(1)
                .all(|s| s.starts_with(|c: char| c.is_ascii_lowercase()))
        {
            self.warn(
                entry,
                format!("`{api}` is not an api name (`pims.` and lowercase words): left out"),
            );
            return None;
        }
        let verb = get(entry, "type")
            .and_then(text)
            .unwrap_or_default()
            .trim()
            .to_lowercase();
        if !matches!(verb.as_str(), "get" | "set" | "subscribe") {
            self.warn(
                entry,
                format!("`{api}`: the verb {verb:?} is not get, set or subscribe: left out"),
            );
            return None;
        }
        let subname = get(entry, "subname")
            .and_then(text)
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        let component = match get(entry, "component") {
            Some(c) => get(c, "tag").and_then(text).or_else(|| text(c)),
            None => None,
        };
        let Some(component) = component.map(|c| super::names::type_name(c.trim())) else {
            self.warn(entry, format!("`{api}` has no component: left out"));
            return None;
        };
        let since = self.version(get(entry, "firstAvailability"), "firstAvailability");
        let updated = get(entry, "lastUpdate").map(|u| self.version(Some(u), "lastUpdate"));
        let description = get(entry, "description")
            .and_then(text)
            .map(|d| super::tidy(&d))
            .filter(|d| !d.is_empty());
        let security = get(entry, "securities").map(|s| security_names(Some(s)));
        if let Some(example) = get(entry, "parameters_example") {
            self.warn(
                example,
                format!("`{api}`: the Kotlin and Swift `parameters_example` is not imported"),
            );
        }

        // parameters, and among them the selector: required, with one allowed value
        let mut selector = Vec::new();
        let mut parameters = Vec::new();
        let params = items(get(entry, "parameters"));
        let mut taken = BTreeSet::new();
        for p in params {
            let Some(field) = self.field(p, Side::Params, None) else {
                continue;
            };
            if !taken.insert(field.name.clone()) {
                self.warn(
                    p,
                    format!(
                        "parameter `{}` is listed twice: the first is kept",
                        field.name
                    ),
                );
                continue;
            }
            match field.single {
                Some(value) => {
                    if let (Some(ex), Y::Str(v)) = (get(p, "example"), &value)
                        && text(ex).is_some_and(|e| e.trim() != v)
                    {
                        self.warn(ex, format!("the selector `{}` is {v:?} but its example says {}: the value is kept", field.name, ex.show()));
                    }
                    selector.push((field.name, value));
                }
                None => parameters.push(p.clone()),
            }
        }
        let parameters = self.fields(&parameters, Side::Params, None);

        let output = get(entry, "output");
        let answer = match output.map(|o| &o.value) {
            None | Some(Value::Null) => Y::s("none"),
            Some(Value::Str(s)) if s.trim().eq_ignore_ascii_case("none") => Y::s("none"),
            Some(Value::Seq(list)) if list.is_empty() => Y::s("none"),
            Some(Value::Seq(list)) => {
                let mut obj = Y::map();
                obj.put("type", Y::s("object"));
                obj.put("fields", self.fields(list, Side::Data, None));
                obj
            }
            Some(_) => {
                if let Some(o) = output {
                    self.warn(
                        o,
                        format!("`{api}`: an output that is not a list of fields is left out"),
                    );
                }
                Y::s("none")
            }
        };
        let (result, events) = if verb == "subscribe" {
            (Y::s("none"), Some(answer))
        } else {
            (answer, None)
        };

        let mut errors = Vec::new();
        for e in items(get(entry, "errors")) {
            let code = get(e, "code").and_then(|c| match c.value {
                Value::Int(i) => Some(i),
                _ => None,
            });
            match code {
                Some(code) if self.codes.contains(&code) => {
                    if errors.contains(&code) {
                        self.warn(e, format!("`{api}` lists error {code} twice"));
                    } else {
                        errors.push(code);
                    }
                }
                Some(code) => self.warn(
                    e,
                    format!("`{api}` lists error {code}, which is not in the catalogue: left out"),
                ),
                None => self.warn(
                    e,
                    format!("`{api}` lists an error without a code: left out"),
                ),
            }
        }
        Some(Op {
            api,
            verb,
            subname,
            line: entry.origin.line,
            component,
            compatibility: None,
            since,
            updated,
            description,
            security,
            selector,
            parameters,
            result,
            events,
            errors,
        })
    }
}

/// A converted field.
struct FieldOut {
    name: String,
    y: Y,
    /// For a required string with one allowed value: that value (a selector).
    single: Option<Y>,
}

fn guess_kind(example: Option<&Node>) -> Kind {
    match example.map(|e| &e.value) {
        Some(Value::Bool(_)) => Kind::Boolean,
        Some(Value::Int(_))
            if !example
                .and_then(|e| e.plain.as_deref())
                .is_some_and(has_leading_zero) =>
        {
            Kind::Integer
        }
        Some(Value::Float(_)) => Kind::Number,
        Some(Value::Seq(_)) => Kind::Array(Box::new(Kind::Any)),
        Some(Value::Map(_)) => Kind::Object,
        _ => Kind::String,
    }
}

fn has_leading_zero(plain: &str) -> bool {
    let digits = plain.trim_start_matches(['+', '-']);
    digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
}

fn put_constraints(y: &mut Y, info: &UnitInfo) {
    if let Some(f) = &info.format {
        y.put("format", Y::s(f.clone()));
    }
    if let Some(u) = &info.unit {
        y.put("unit", Y::s(u.clone()));
    }
    if let Some(lo) = info.minimum {
        y.put("minimum", number(lo));
    }
    if let Some(hi) = info.maximum {
        y.put("maximum", number(hi));
    }
}

fn number(v: f64) -> Y {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Y::Int(v as i64)
    } else {
        Y::Num(v)
    }
}

fn members_yaml(members: &[(Y, Option<String>)]) -> Y {
    Y::Seq(
        members
            .iter()
            .map(|(value, explanation)| match explanation {
                Some(e) => {
                    let mut m = Y::map();
                    m.put("value", value.clone());
                    m.put("description", Y::s(e.clone()));
                    m
                }
                None => value.clone(),
            })
            .collect(),
    )
}

/// The member `value` is, exactly or but for case.
fn member_like(members: &[Y], value: &Y) -> Option<Y> {
    let values: Vec<&Y> = members
        .iter()
        .map(|m| match m {
            Y::Map(e) => e.iter().find(|(k, _)| k == "value").map_or(m, |(_, v)| v),
            other => other,
        })
        .collect();
    if values.contains(&value) {
        return Some(value.clone());
    }
    match value {
        Y::Str(s) => values
            .into_iter()
            .find(|v| matches!(v, Y::Str(m) if m.eq_ignore_ascii_case(s)))
            .cloned(),
        _ => None,
    }
}

fn show(value: &Y) -> String {
    match value {
        Y::Str(s) => format!("{s:?}"),
        other => show_bare(other),
    }
}

fn show_bare(value: &Y) -> String {
    match value {
        Y::Str(s) => s.clone(),
        Y::Int(i) => i.to_string(),
        Y::Num(n) => n.to_string(),
        Y::Bool(b) => b.to_string(),
        Y::Null => "null".to_owned(),
        _ => "…".to_owned(),
    }
}

/// Puts `field` at `path` inside `out`, creating objects on the way.
fn insert_path(out: &mut Vec<(String, Y)>, path: &[String], field: Y) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        if !out.iter().any(|(k, _)| k == first) {
            out.push((first.clone(), field));
        }
        return;
    }
    let index = match out.iter().position(|(k, _)| k == first) {
        Some(i) => i,
        None => {
            let mut obj = Y::map();
            obj.put("type", Y::s("object"));
            obj.put("fields", Y::map());
            out.push((first.clone(), obj));
            out.len() - 1
        }
    };
    let parent = &mut out[index].1;
    if parent.get_mut("fields").is_none() {
        parent.put("fields", Y::map());
    }
    if let Some(Y::Map(children)) = parent.get_mut("fields") {
        insert_path(children, rest, field);
    }
}
