//! What a generated crate carries behind its `simulator` feature: its
//! contract as one static table (`simulator::CONTRACT`, a
//! `pims_runtime::contract::Contract`), the catalogue as the simulator sends
//! it, and `simulator()`, a `pims_runtime::simulator::Simulator` that knows
//! every operation.
//!
//! The table is data, not code per operation: each operation's api, name,
//! verb, selector and check table are the constants of its generated
//! `Operation` impl (read, not written again); its parameters, result and
//! events are rows of a type table shared by every operation; examples are
//! JSON text. Spec text only ever lands in string literals.
//!
//! `CONTRACT` is printed as text, one row per entry, not built as tokens
//! and formatted: it is most of the module, and at thousands of operations
//! syn and prettyplease held gigabytes for it. The macro lexes the same text.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::ir::{
    ExampleIr, FieldIr, Ir, Module, OperationIr, Outcome, Ty, TyKind, TypeDef, TypeDefKind, TypeRef,
};
use crate::naming::rust as naming;
use crate::spec::Scalar;

use super::rust::{RustModule, ident};
use super::{Settings, Simulator};

/// The module's name, and the root function's.
pub const MODULE: &str = "simulator";

/// Adds the `simulator` module, and `simulator()` at the root, to the tree
/// of the SDK, as `settings.simulator` says (nothing for [`Simulator::Never`]).
pub fn attach(ir: &Ir, settings: &Settings, root: &mut RustModule) {
    let (cfg, cfg_text) = match settings.simulator {
        Simulator::Never => return,
        Simulator::Always => (TokenStream::new(), ""),
        Simulator::Feature => (
            quote!(#[cfg(feature = "simulator")]),
            "#[cfg(feature = \"simulator\")]\n",
        ),
    };
    let module = Ident::new(MODULE, Span::call_site());
    root.items.extend(quote! {
        #cfg
        pub use self::#module::simulator;
    });
    let doc = match settings.simulator {
        Simulator::Feature => {
            "Built with the crate's `simulator` feature: the contract of the SDK as data, and a simulator of the SDK that knows every operation (`pims_runtime::simulator`)."
        }
        _ => {
            "The contract of the SDK as data, and a simulator of the SDK that knows every operation (`pims_runtime::simulator`)."
        }
    };
    root.children.push(RustModule {
        name: MODULE.to_owned(),
        public: true,
        doc: vec![doc.to_owned()],
        items: items(ir, &cfg),
        text: contract(ir, cfg_text),
        children: Vec::new(),
        source: None,
        api: None,
    });
}

/// The table's index of every type an operation can name.
struct TypeIndex<'a> {
    named: BTreeMap<&'a str, usize>,
    local: BTreeMap<(&'a str, &'a str), usize>,
}

impl TypeIndex<'_> {
    fn of(&self, module: &Module, r: &TypeRef) -> Option<usize> {
        match r {
            TypeRef::Named(n) => self.named.get(n.as_str()).copied(),
            TypeRef::Local(n) => self.local.get(&(module.api.as_str(), n.as_str())).copied(),
        }
    }
}

/// Numbers every type an operation can name: the named types first, then
/// each module's own, in order; requests are the operations' parameters and
/// are not types here.
fn type_table(ir: &Ir) -> (TypeIndex<'_>, Vec<(&TypeDef, Option<&Module>)>) {
    let mut index = TypeIndex {
        named: BTreeMap::new(),
        local: BTreeMap::new(),
    };
    let mut defs = Vec::new();
    for def in &ir.types {
        index.named.insert(def.name.as_str(), defs.len());
        defs.push((def, None));
    }
    for module in &ir.modules {
        for def in &module.types {
            if matches!(def.kind, TypeDefKind::Request(_)) {
                continue;
            }
            index
                .local
                .insert((module.api.as_str(), def.name.as_str()), defs.len());
            defs.push((def, Some(module)));
        }
    }
    (index, defs)
}

/// `CONTRACT`, printed as text: a table of literals has one obvious
/// layout, and at thousands of operations building it as tokens, parsing
/// them with syn and printing them with prettyplease took most of
/// `generate`'s memory. One row per entry, field, error or example.
fn contract(ir: &Ir, cfg: &str) -> String {
    let (index, defs) = type_table(ir);
    // a named type is seen from no module: `Local` refs never occur in it
    let nowhere = Module {
        api: String::new(),
        source: Default::default(),
        description: None,
        component: String::new(),
        operations: Vec::new(),
        types: Vec::new(),
    };
    let operations: usize = ir.modules.iter().map(|m| m.operations.len()).sum();
    let mut out = String::with_capacity(256 * (defs.len() + 4 * operations));
    out.push_str(&format!(
        "\n/// The SDK's contract: every operation, the types they use, the\n\
         /// catalogue. The simulator answers from it; the validating facade\n\
         /// (`pims_runtime::validating`) checks messages against it.\n\
         {cfg}pub static CONTRACT: c::Contract = c::Contract {{\n    sdk: {},\n    version: {},\n    errors: &[\n",
        string(&ir.sdk_name),
        string(&ir.sdk_version.to_string()),
    ));
    for e in &ir.errors {
        out.push_str(&format!(
            "        c::ErrorEntry {{ code: {}, label: {} }},\n",
            int(e.code),
            string(&e.label)
        ));
    }
    out.push_str("    ],\n    types: &[\n");
    for (i, (def, module)) in defs.iter().enumerate() {
        let module = module.unwrap_or(&nowhere);
        out.push_str(&format!(
            "        // {i}\n        c::TypeEntry {{\n            name: {},\n",
            string(&def.name)
        ));
        match &def.kind {
            TypeDefKind::Struct(s) => {
                out.push_str("            shape: c::Shape::Struct {\n                fields: &[\n");
                for f in &s.fields {
                    out.push_str(&format!(
                        "                    {},\n",
                        field(&index, module, f)
                    ));
                }
                out.push_str(&format!(
                    "                ],\n                strict: {},\n                additional: {},\n            }},\n",
                    s.strict, s.additional
                ));
            }
            TypeDefKind::Enum(e) => {
                let members: Vec<String> = e.variants.iter().map(|v| constant(&v.value)).collect();
                out.push_str(&format!(
                    "            shape: c::Shape::Enum(&[{}]),\n",
                    members.join(", ")
                ));
            }
            TypeDefKind::Alias(ty) => out.push_str(&format!(
                "            shape: c::Shape::Alias({}),\n",
                ty_text(&index, module, ty)
            )),
            TypeDefKind::Request(_) => out.push_str("            shape: c::Shape::Enum(&[]),\n"),
        }
        out.push_str("        },\n");
    }
    out.push_str("    ],\n    operations: &[\n");
    for module in &ir.modules {
        for op in &module.operations {
            operation(&mut out, &index, module, op);
        }
    }
    out.push_str("    ],\n};\n");
    out
}

/// The module's items other than `CONTRACT`.
fn items(ir: &Ir, cfg: &TokenStream) -> TokenStream {
    let catalogue = catalogue_impl(ir);
    quote! {
        #cfg
        use ::pims_runtime::contract as c;
        // what the table's rows are written with; a small spec may use neither
        #cfg
        #[allow(unused_imports)]
        use ::pims_runtime::Const;
        #cfg
        #[allow(unused_imports)]
        use ::std::option::Option::{None, Some};

        #cfg
        #catalogue

        /// The simulator of this SDK: its errors are the catalogue's [`Error`](super::Error).
        #cfg
        pub type Simulator = ::pims_runtime::simulator::Simulator<super::Error>;

        /// A simulated SDK that knows every operation of the spec, with seed
        /// `0` (`.with_seed(n)` for another): a `pims_runtime::Facade` for
        /// testing apps without a phone.
        #cfg
        pub fn simulator() -> Simulator {
            ::pims_runtime::simulator::Simulator::new(&CONTRACT)
        }

        /// Wraps `facade` (the bridge to the real SDK, say) in a facade that
        /// reports every parameters object and message disagreeing with this
        /// SDK's contract to `on_violation`, and changes nothing the app receives.
        #cfg
        pub fn validating<F>(
            facade: F,
            on_violation: impl Fn(::pims_runtime::validating::Violation) + Send + Sync + 'static,
        ) -> ::pims_runtime::validating::Validating<F> {
            ::pims_runtime::validating::Validating::new(facade, &CONTRACT, on_violation)
        }
    }
}

/// `Catalogue` for the crate's `Error`: its code, label and sub-codes.
fn catalogue_impl(ir: &Ir) -> TokenStream {
    let with_sub_codes: Vec<Ident> = ir
        .errors
        .iter()
        .filter(|e| e.sub_codes)
        .map(|e| ident(&naming::variant(&e.name)))
        .collect();
    // each such variant holds its details struct (`errors::ServerError`),
    // whose `sub_codes` are the `subCode` list: one arm per variant, since
    // the structs differ
    let sub_code = if with_sub_codes.is_empty() {
        quote!(::std::option::Option::None)
    } else {
        quote! {
            match self {
                #(super::Error::#with_sub_codes(details) if !details.sub_codes.is_empty() => {
                    ::std::option::Option::Some(details.sub_codes.clone())
                })*
                _ => ::std::option::Option::None,
            }
        }
    };
    quote! {
        impl ::pims_runtime::simulator::Catalogue for super::Error {
            fn to_wire(&self) -> ::pims_runtime::WireError {
                ::pims_runtime::WireError {
                    code: self.code(),
                    label: self.label(),
                    sub_code: #sub_code,
                }
            }
        }
    }
}

fn operation(out: &mut String, index: &TypeIndex<'_>, module: &Module, op: &OperationIr) {
    let path = naming::module_path(&module.api);
    let mut this = String::from("<super::");
    for segment in &path {
        this.push_str(&ident(segment).to_string());
        this.push_str("::");
    }
    this.push_str(&ident(&naming::type_name(&op.type_name)).to_string());
    this.push_str(" as ::pims_runtime::Operation>");
    out.push_str(&format!(
        "        c::OperationEntry {{\n            api: {this}::API,\n            name: {this}::NAME,\n            verb: {this}::VERB,\n            selector: {this}::SELECTOR,\n            checks: {this}::CHECKS,\n"
    ));
    if op.params.is_empty() {
        out.push_str("            parameters: &[],\n");
    } else {
        out.push_str("            parameters: &[\n");
        for f in &op.params {
            out.push_str(&format!("                {},\n", field(index, module, f)));
        }
        out.push_str("            ],\n");
    }
    out.push_str(&format!(
        "            result: {},\n",
        optional_ty(index, module, op.result.as_ref())
    ));
    let event = match &op.event {
        None => "None".to_owned(),
        Some(event) => format!("Some({})", optional_ty(index, module, event.as_ref())),
    };
    let errors: Vec<String> = op.errors.iter().map(|c| int(*c)).collect();
    out.push_str(&format!(
        "            event: {event},\n            errors: &[{}],\n",
        errors.join(", ")
    ));
    if op.examples.is_empty() {
        out.push_str("            examples: &[],\n");
    } else {
        out.push_str("            examples: &[\n");
        for ex in &op.examples {
            out.push_str(&format!("                {},\n", example(ex)));
        }
        out.push_str("            ],\n");
    }
    out.push_str("        },\n");
}

fn example(ex: &ExampleIr) -> String {
    let outcome = match &ex.outcome {
        Outcome::Succeeded(result) => {
            format!(
                "c::ExampleOutcome::Succeeded({})",
                string(&result.to_string())
            )
        }
        Outcome::Failed(code) => format!("c::ExampleOutcome::Failed({})", int(*code)),
    };
    let events: Vec<String> = ex.events.iter().map(|e| string(&e.to_string())).collect();
    format!(
        "c::Example {{ parameters: {}, outcome: {outcome}, events: &[{}], built: {} }}",
        string(&ex.parameters.to_string()),
        events.join(", "),
        ex.built
    )
}

fn optional_ty(index: &TypeIndex<'_>, module: &Module, ty: Option<&Ty>) -> String {
    match ty {
        Some(ty) => format!("Some({})", ty_text(index, module, ty)),
        None => "None".to_owned(),
    }
}

fn field(index: &TypeIndex<'_>, module: &Module, f: &FieldIr) -> String {
    let example = option_str(f.example.as_ref().map(|e| e.to_string()).as_deref());
    format!(
        "c::Field {{ wire: {}, ty: {}, required: {}, example: {example} }}",
        string(&f.wire),
        ty_text(index, module, &f.ty),
        f.required
    )
}

fn ty_text(index: &TypeIndex<'_>, module: &Module, ty: &Ty) -> String {
    let kind = match &ty.kind {
        TyKind::String(s)
            if s.format.is_none()
                && s.pattern.is_none()
                && s.min_length.is_none()
                && s.max_length.is_none() =>
        {
            "c::TyKind::String(c::Text::NONE)".to_owned()
        }
        TyKind::String(s) => format!(
            "c::TyKind::String(c::Text {{ format: {}, pattern: {}, min_length: {}, max_length: {} }})",
            option_str(s.format.as_deref()),
            option_str(s.pattern.as_deref()),
            option_u64(s.min_length),
            option_u64(s.max_length)
        ),
        TyKind::Integer(n) | TyKind::Number(n) => {
            let which = if matches!(ty.kind, TyKind::Integer(_)) {
                "Integer"
            } else {
                "Number"
            };
            if n.minimum.is_none() && n.maximum.is_none() && n.values.is_empty() {
                format!("c::TyKind::{which}(c::Bounds::NONE)")
            } else {
                let values: Vec<String> = n.values.iter().map(|m| constant(&m.value)).collect();
                format!(
                    "c::TyKind::{which}(c::Bounds {{ minimum: {}, maximum: {}, values: &[{}] }})",
                    option_f64(n.minimum),
                    option_f64(n.maximum),
                    values.join(", ")
                )
            }
        }
        TyKind::Boolean { .. } => "c::TyKind::Boolean".to_owned(),
        TyKind::Any => "c::TyKind::Any".to_owned(),
        TyKind::Array {
            items,
            min_items,
            max_items,
        } => format!(
            "c::TyKind::Array {{ items: &{}, min_items: {}, max_items: {} }}",
            ty_text(index, module, items),
            option_u64(*min_items),
            option_u64(*max_items)
        ),
        // a reference the IR could not resolve would be a lowering bug: free JSON here
        TyKind::Ref(r) => match index.of(module, r) {
            Some(i) => format!("c::TyKind::Type({i})"),
            None => "c::TyKind::Any".to_owned(),
        },
    };
    format!("c::Ty {{ kind: {kind}, nullable: {} }}", ty.nullable)
}

/// A Rust string literal of `s`, escaped as proc-macro2 escapes it: spec
/// text is only ever the content of a literal.
fn string(s: &str) -> String {
    Literal::string(s).to_string()
}

fn option_str(s: Option<&str>) -> String {
    match s {
        Some(s) => format!("Some({})", string(s)),
        None => "None".to_owned(),
    }
}

fn option_u64(n: Option<u64>) -> String {
    match n {
        Some(n) => format!("Some({n})"),
        None => "None".to_owned(),
    }
}

fn option_f64(n: Option<f64>) -> String {
    match n.filter(|v| v.is_finite()) {
        Some(v) => format!("Some({})", float(v)),
        None => "None".to_owned(),
    }
}

fn int(v: i64) -> String {
    let lit = Literal::u64_unsuffixed(v.unsigned_abs()).to_string();
    if v < 0 { format!("-{lit}") } else { lit }
}

fn float(v: f64) -> String {
    let lit = Literal::f64_unsuffixed(v.abs()).to_string();
    if v < 0.0 { format!("-{lit}") } else { lit }
}

fn constant(value: &Scalar) -> String {
    match value {
        Scalar::Str(s) => format!("Const::Str({})", string(s)),
        Scalar::Int(i) => format!("Const::Int({})", int(*i)),
        Scalar::Num(n) => format!("Const::Num({})", float(*n)),
        Scalar::Bool(b) => format!("Const::Bool({b})"),
    }
}
