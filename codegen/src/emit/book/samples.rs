//! Call samples in the SDK's own style (Kotlin, Swift), the Rust call through
//! the generated SDK, and the messages the callback receives, as JSON.

use serde_json::{Map, Value, json};

use crate::ir::{FieldIr, Ir, Module, OperationIr, Outcome, Ty, TyKind, TypeDefKind, TypeRef};
use crate::naming::rust as naming;
use crate::spec::{Scalar, Verb};

/// The transaction id of the documented messages.
pub const TRANSACTION_ID: &str = "953cfefb-bc72";

/// The parameters of the operation's first example (selector included), or
/// the selector alone when it has none.
pub fn parameters(op: &OperationIr) -> Map<String, Value> {
    match op.examples.first().map(|e| &e.parameters) {
        Some(Value::Object(map)) => map.clone(),
        _ => op
            .selector
            .iter()
            .map(|(k, v)| (k.clone(), v.to_json()))
            .collect(),
    }
}

/// The statuses the callback handles: `SUCCEEDED`, `FAILED`, and `RESULT`
/// for subscriptions.
fn statuses(op: &OperationIr) -> Vec<(&'static str, &'static str)> {
    let mut out = vec![("SUCCEEDED", "succeeded"), ("FAILED", "failed")];
    if op.verb == Verb::Subscribe {
        out.push(("RESULT", "result"));
    }
    out
}

/// The Kotlin call, as the SDK's pages write it.
pub fn kotlin(api: &str, op: &OperationIr) -> String {
    let params = parameters(op);
    let mut out = format!("pims.{}({},\n", op.verb.as_str(), kotlin_string(api));
    if params.is_empty() {
        out.push_str("  mapOf( /* parameters */ )\n");
    } else {
        out.push_str("  mapOf( /* parameters */\n");
        let pairs: Vec<String> = params
            .iter()
            .map(|(k, v)| format!("    Pair({}, {})", kotlin_string(k), kotlin_value(v)))
            .collect();
        out.push_str(&pairs.join(",\n"));
        out.push_str("\n  )\n");
    }
    out.push_str(") { message -> when (message[\"status\"] as? String) {\n");
    for (status, word) in statuses(op) {
        let arrow = format!("\"{status}\" ->");
        out.push_str(&format!(
            "      {arrow:<15}{{ }}                          // handle {word} status\n"
        ));
    }
    out.push_str("  } }\n");
    out.push_str(&kotlin_typed(api, op, &params));
    out
}

/// A required parameter's example as a literal, or a comment where only a
/// typed value would do (objects, arrays, enumerations).
fn argument(f: &FieldIr, value: Option<&Value>, string: fn(&str) -> String) -> String {
    match (&f.ty.kind, value) {
        (TyKind::String(_), Some(Value::String(s))) => string(s),
        (TyKind::Integer(_) | TyKind::Number(_), Some(v @ Value::Number(_))) => v.to_string(),
        (TyKind::Boolean { .. }, Some(Value::Bool(b))) => b.to_string(),
        _ => "/* … */".to_owned(),
    }
}

/// The same call through the generated Kotlin client (`pims-codegen generate --lang kotlin`).
fn kotlin_typed(api: &str, op: &OperationIr, params: &Map<String, Value>) -> String {
    use crate::naming::kotlin as kt;
    let name = kt::type_name(&op.type_name);
    let package = kt::package_path(api).join(".");
    let args: Vec<String> = op
        .params
        .iter()
        .filter(|f| f.required)
        .map(|f| argument(f, params.get(&f.wire), kotlin_string))
        .collect();
    let mut out = format!(
        "\n// the same call, typed, with the generated client:\n// import pims.sdk.{package}.{name}\nval client = Pims(facade) // facade: your pims.sdk.Facade over the SDK\n"
    );
    let handle = "    when (outcome) {\n        is Outcome.Succeeded -> { }   // outcome.result\n        is Outcome.Failed -> { }      // outcome.error: ";
    if op.verb == Verb::Subscribe {
        out.push_str(&format!(
            "client.subscribe({name}({}), acknowledged = {{ outcome ->\n{handle}{}\n        else -> {{ }}                   // refused before sending, or undecodable\n    }}\n}}, event = {{ outcome -> /* each RESULT */ }})\n",
            args.join(", "),
            kt::type_name(&op.error_type)
        ));
    } else {
        out.push_str(&format!(
            "client.call({name}({})) {{ outcome ->\n{handle}{}\n        else -> {{ }}                   // refused before sending, or undecodable\n    }}\n}}\n",
            args.join(", "),
            kt::type_name(&op.error_type)
        ));
    }
    out
}

/// The same call through the generated Swift client (`pims-codegen generate --lang swift`).
fn swift_typed(api: &str, op: &OperationIr, params: &Map<String, Value>) -> String {
    use crate::naming::swift as sw;
    let namespace = sw::namespace_path(api).join(".");
    let name = format!("{namespace}.{}", sw::type_name(&op.type_name));
    let args: Vec<String> = op
        .params
        .iter()
        .filter(|f| f.required)
        .map(|f| {
            format!(
                "{}: {}",
                sw::field(&f.wire),
                argument(f, params.get(&f.wire), swift_string)
            )
        })
        .collect();
    let handle = format!(
        "    switch outcome {{\n    case .succeeded(_, let result): break // result\n    case .failed(_, let error): break    // error: {namespace}.{}\n    case .invalid, .undecodable: break   // refused before sending, or undecodable\n    }}\n",
        sw::type_name(&op.error_type)
    );
    let mut out = String::from(
        "\n// the same call, typed, with the generated client:\nlet client = Pims(facade: facade) // facade: your PimsFacade over the SDK\n",
    );
    if op.verb == Verb::Subscribe {
        out.push_str(&format!(
            "client.subscribe({name}({}), acknowledged: {{ outcome in\n{handle}}}, event: {{ outcome in /* each RESULT */ }})\n",
            args.join(", ")
        ));
    } else {
        out.push_str(&format!(
            "client.call({name}({})) {{ outcome in\n{handle}}}\n",
            args.join(", ")
        ));
    }
    out
}

/// A JSON value as a Kotlin expression: `mapOf(Pair(..))`, `listOf(..)`.
fn kotlin_value(v: &Value) -> String {
    match v {
        Value::String(s) => kotlin_string(s),
        Value::Null => "null".to_owned(),
        Value::Bool(_) | Value::Number(_) => v.to_string(),
        Value::Array(items) => format!(
            "listOf({})",
            items
                .iter()
                .map(kotlin_value)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Object(map) => format!(
            "mapOf({})",
            map.iter()
                .map(|(k, v)| format!("Pair({}, {})", kotlin_string(k), kotlin_value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A Kotlin string literal (`$` escaped: Kotlin strings interpolate).
fn kotlin_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' => out.push_str("\\$"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The Swift call, as the SDK's pages write it (with `SUCCEEDED` spelt right).
pub fn swift(api: &str, op: &OperationIr) -> String {
    let params = parameters(op);
    let mut out = format!("pims.{}(api: {},\n", op.verb.as_str(), swift_string(api));
    if params.is_empty() {
        out.push_str("  parameters: [:]\n");
    } else {
        out.push_str("  parameters: [\n");
        let entries: Vec<String> = params
            .iter()
            .map(|(k, v)| format!("  {}: {}", swift_string(k), swift_value(v)))
            .collect();
        out.push_str(&entries.join(",\n"));
        out.push_str("\n  ]\n");
    }
    out.push_str("  ) { (message) in\n");
    for (i, (status, word)) in statuses(op).into_iter().enumerate() {
        let test = format!("message[\"status\"] == \"{status}\"");
        let line = if i == 0 {
            format!("if {test:<35}")
        } else {
            format!("else if {test:<30}")
        };
        out.push_str(&format!("    {line}{{ }}    // handle {word} status\n"));
    }
    out.push_str("  }\n");
    out.push_str(&swift_typed(api, op, &params));
    out
}

/// A JSON value as a Swift literal: `[..]` arrays and dictionaries.
fn swift_value(v: &Value) -> String {
    match v {
        Value::String(s) => swift_string(s),
        Value::Null => "NSNull()".to_owned(),
        Value::Bool(_) | Value::Number(_) => v.to_string(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(swift_value).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) if map.is_empty() => "[:]".to_owned(),
        Value::Object(map) => format!(
            "[{}]",
            map.iter()
                .map(|(k, v)| format!("{}: {}", swift_string(k), swift_value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A Swift string literal.
fn swift_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The call through the generated SDK and `pims_runtime::Client`.
pub fn rust(ir: &Ir, module: &Module, op: &OperationIr) -> String {
    let params = parameters(op);
    let module_path = format!("pims_sdk::{}", naming::module_path(&module.api).join("::"));
    let rust_name = naming::type_name(&op.type_name);
    let required: Vec<&FieldIr> = op.params.iter().filter(|f| f.required).collect();
    let args: Vec<String> = required
        .iter()
        .map(|f| {
            let value = params.get(&f.wire).cloned().unwrap_or(Value::Null);
            RustValue::new(ir, module).argument(f, &value)
        })
        .collect();
    let optional: Vec<String> = op
        .params
        .iter()
        .filter(|f| !f.required)
        .filter_map(|f| {
            let value = params.get(&f.wire)?;
            let v = RustValue::new(ir, module).field(f, value);
            Some(format!("request.{} = {v};\n", naming::field(&f.wire)))
        })
        .collect();
    let mut out = format!("use pims_runtime::Client;\nuse {module_path}::{rust_name};\n\n");
    out.push_str("let client = Client::new(my_bridge); // your `pims_runtime::Facade`\n");
    let binding = if optional.is_empty() {
        "let"
    } else {
        "let mut"
    };
    out.push_str(&format!(
        "{binding} request = {rust_name}::new({});\n",
        args.join(", ")
    ));
    out.extend(optional);
    if op.verb == Verb::Subscribe {
        out.push_str(concat!(
            "match client.subscribe(&request, |event| { /* handle result status */ }).await {\n",
            "    Ok(()) => {}     // handle succeeded status\n",
            "    Err(error) => {} // handle failed status\n",
            "}\n",
        ));
    } else {
        let ok = if op.result.is_some() {
            "Ok(result) => {} "
        } else {
            "Ok(()) => {}     "
        };
        out.push_str(&format!(
            "match client.call(&request).await {{\n    {ok}// handle succeeded status\n    Err(error) => {{}} // handle failed status\n}}\n"
        ));
    }
    out
}

/// A JSON example as a Rust expression of the generated type.
struct RustValue<'a> {
    ir: &'a Ir,
    module: &'a Module,
    depth: usize,
}

impl<'a> RustValue<'a> {
    fn new(ir: &'a Ir, module: &'a Module) -> Self {
        RustValue {
            ir,
            module,
            depth: 0,
        }
    }

    /// The argument of `new` for the required field `f`: a string literal
    /// as it is (`new` takes `impl Into<String>`), anything else as a value.
    fn argument(&mut self, f: &FieldIr, value: &Value) -> String {
        match (&f.ty.kind, value) {
            (TyKind::String(_), Value::String(s)) if !f.ty.nullable => format!("{s:?}"),
            _ => self.field(f, value),
        }
    }

    /// The value of field `f`: wrapped in `Some` where the Rust field is an `Option`.
    fn field(&mut self, f: &FieldIr, value: &Value) -> String {
        let inner = self.ty(&f.ty, value);
        if !f.required && !f.ty.nullable {
            format!("Some({inner})")
        } else {
            inner
        }
    }

    fn ty(&mut self, ty: &Ty, value: &Value) -> String {
        if ty.nullable {
            if value.is_null() {
                return "None".to_owned();
            }
            let inner = Ty {
                kind: ty.kind.clone(),
                nullable: false,
            };
            return format!("Some({})", self.ty(&inner, value));
        }
        self.depth += 1;
        let out = if self.depth > 12 {
            None
        } else {
            self.plain(ty, value)
        };
        self.depth -= 1;
        out.unwrap_or_else(|| from_json(value))
    }

    /// The literal for simple cases; `None` where only JSON can say it.
    fn plain(&mut self, ty: &Ty, value: &Value) -> Option<String> {
        match (&ty.kind, value) {
            (TyKind::String(_), Value::String(s)) => Some(format!("{s:?}.to_owned()")),
            (TyKind::Integer(_), Value::Number(n)) if n.is_i64() => Some(n.to_string()),
            (TyKind::Number(_), Value::Number(n)) => n.as_f64().map(float),
            (TyKind::Boolean { .. }, Value::Bool(b)) => Some(b.to_string()),
            (TyKind::Array { items, .. }, Value::Array(values)) => {
                let items: Vec<String> = values.iter().map(|v| self.ty(items, v)).collect();
                Some(format!("vec![{}]", items.join(", ")))
            }
            (TyKind::Ref(r), _) => self.reference(r, value),
            _ => None,
        }
    }

    /// A value of a generated type: an enum's variant, an alias's inner value.
    fn reference(&mut self, r: &TypeRef, value: &Value) -> Option<String> {
        let def = self.ir.resolve(self.module, r)?;
        match &def.kind {
            TypeDefKind::Enum(e) => {
                let variant = e
                    .variants
                    .iter()
                    .find(|v| scalar_matches(&v.value, value))?;
                Some(format!(
                    "{}::{}",
                    self.type_path(r),
                    naming::variant(&variant.name)
                ))
            }
            TypeDefKind::Alias(inner) => self.plain(inner, value),
            TypeDefKind::Struct(_) | TypeDefKind::Request(_) => None,
        }
    }

    /// Where a generated type lives in `pims_sdk`.
    fn type_path(&self, r: &TypeRef) -> String {
        match r {
            TypeRef::Named(name) => format!("pims_sdk::types::{}", naming::type_name(name)),
            TypeRef::Local(name) => format!(
                "pims_sdk::{}::{}",
                naming::module_path(&self.module.api).join("::"),
                naming::type_name(name)
            ),
        }
    }
}

/// Whether an enumeration member is this JSON value.
fn scalar_matches(member: &Scalar, value: &Value) -> bool {
    match (member, value) {
        (Scalar::Str(a), Value::String(b)) => a == b,
        (Scalar::Int(a), Value::Number(b)) => b.as_i64() == Some(*a),
        _ => false,
    }
}

/// An `f64` literal: `50.0`, `0.5`.
fn float(v: f64) -> String {
    let text = format!("{v:?}");
    if text.contains(['.', 'e', 'E', 'N', 'i']) {
        text
    } else {
        format!("{text}.0")
    }
}

/// Any value, through serde: what the sample cannot write as a literal.
fn from_json(value: &Value) -> String {
    format!("pims_runtime::serde_json::from_value(pims_runtime::serde_json::json!({value}))?")
}

/// What a documented message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The `SUCCEEDED` answer.
    Succeeded,
    /// The `FAILED` answer with this code.
    Failed(i64),
    /// A `RESULT` event of a subscription.
    Result,
}

/// The messages the callback receives: the `SUCCEEDED` answer, a `FAILED`
/// answer per listed error (with the catalogue's label), and for
/// subscriptions the `RESULT` events of the first example.
pub fn messages(ir: &Ir, op: &OperationIr) -> Vec<(Kind, Value)> {
    let mut out = vec![(
        Kind::Succeeded,
        json!({ "transactionId": TRANSACTION_ID, "status": "SUCCEEDED", "result": succeeded_result(op) }),
    )];
    for code in &op.errors {
        let Some(error) = ir.error(*code) else {
            continue;
        };
        out.push((
            Kind::Failed(*code),
            json!({
                "transactionId": TRANSACTION_ID,
                "status": "FAILED",
                "error": { "code": code, "label": error.label },
            }),
        ));
    }
    if op.event.is_some() {
        let events = op
            .examples
            .first()
            .map(|e| e.events.clone())
            .unwrap_or_default();
        let events = if events.is_empty() {
            vec![Value::Null]
        } else {
            events
        };
        for event in events {
            out.push((
                Kind::Result,
                json!({ "transactionId": TRANSACTION_ID, "status": "RESULT", "result": event }),
            ));
        }
    }
    out
}

/// The documented result: `null` for no data, else the first example's.
fn succeeded_result(op: &OperationIr) -> Value {
    if op.result.is_none() {
        return Value::Null;
    }
    op.examples
        .iter()
        .find_map(|e| match &e.outcome {
            Outcome::Succeeded(v) => Some(v.clone()),
            Outcome::Failed(_) => None,
        })
        .unwrap_or(Value::Null)
}
