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

use std::collections::BTreeMap;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::ir::{
    ExampleIr, FieldIr, Ir, Module, OperationIr, Outcome, Ty, TyKind, TypeDefKind, TypeRef,
};
use crate::naming::rust as naming;
use crate::spec::Scalar;

use super::rust::RustModule;
use super::{Settings, Simulator};

/// The module's name, and the root function's.
pub const MODULE: &str = "simulator";

/// Adds the `simulator` module, and `simulator()` at the root, to the tree
/// of the SDK, as `settings.simulator` says (nothing for [`Simulator::Never`]).
pub fn attach(ir: &Ir, settings: &Settings, root: &mut RustModule) {
    let cfg = match settings.simulator {
        Simulator::Never => return,
        Simulator::Always => TokenStream::new(),
        Simulator::Feature => quote!(#[cfg(feature = "simulator")]),
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

fn items(ir: &Ir, cfg: &TokenStream) -> TokenStream {
    // named types first, then each module's own, in order; requests are the
    // operations' parameters and are not types here
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
    // a named type is seen from no module: `Local` refs never occur in it
    let nowhere = Module {
        api: String::new(),
        source: Default::default(),
        description: None,
        component: String::new(),
        operations: Vec::new(),
        types: Vec::new(),
    };
    let types = defs.iter().map(|(def, module)| {
        let module = module.unwrap_or(&nowhere);
        let name = &def.name;
        let shape = match &def.kind {
            TypeDefKind::Struct(s) => {
                let fields = s.fields.iter().map(|f| field(&index, module, f));
                let strict = s.strict;
                let additional = s.additional;
                quote!(c::Shape::Struct { fields: &[#(#fields),*], strict: #strict, additional: #additional })
            }
            TypeDefKind::Enum(e) => {
                let members = e.variants.iter().map(|v| constant(&v.value));
                quote!(c::Shape::Enum(&[#(#members),*]))
            }
            TypeDefKind::Alias(ty) => {
                let ty = ty_tokens(&index, module, ty);
                quote!(c::Shape::Alias(#ty))
            }
            TypeDefKind::Request(_) => quote!(c::Shape::Enum(&[])),
        };
        quote!(c::TypeEntry { name: #name, shape: #shape })
    });
    let errors = ir.errors.iter().map(|e| {
        let code = int(e.code);
        let label = &e.label;
        quote!(c::ErrorEntry { code: #code, label: #label })
    });
    let operations = ir
        .modules
        .iter()
        .flat_map(|m| m.operations.iter().map(move |op| (m, op)))
        .map(|(module, op)| operation(&index, module, op));
    let sdk = &ir.sdk_name;
    let version = ir.sdk_version.to_string();
    let catalogue = catalogue_impl(ir);
    quote! {
        #cfg
        use ::pims_runtime::contract as c;

        /// The SDK's contract: every operation, the types they use, the
        /// catalogue. The simulator answers from it; the validating facade
        /// (`pims_runtime::validating`) checks messages against it.
        #cfg
        pub static CONTRACT: c::Contract = c::Contract {
            sdk: #sdk,
            version: #version,
            errors: &[#(#errors),*],
            types: &[#(#types),*],
            operations: &[#(#operations),*],
        };

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

fn operation(index: &TypeIndex<'_>, module: &Module, op: &OperationIr) -> TokenStream {
    let path = naming::module_path(&module.api);
    let segments = path.iter().map(|s| ident(s));
    let name = ident(&naming::type_name(&op.type_name));
    let this = quote!(<super::#(#segments::)*#name as ::pims_runtime::Operation>);
    let parameters = op.params.iter().map(|f| field(index, module, f));
    let result = optional_ty(index, module, op.result.as_ref());
    let event = match &op.event {
        None => quote!(::std::option::Option::None),
        Some(event) => {
            let event = optional_ty(index, module, event.as_ref());
            quote!(::std::option::Option::Some(#event))
        }
    };
    let errors = op.errors.iter().map(|c| int(*c));
    let examples = op.examples.iter().map(example);
    quote! {
        c::OperationEntry {
            api: #this::API,
            name: #this::NAME,
            verb: #this::VERB,
            selector: #this::SELECTOR,
            checks: #this::CHECKS,
            parameters: &[#(#parameters),*],
            result: #result,
            event: #event,
            errors: &[#(#errors),*],
            examples: &[#(#examples),*],
        }
    }
}

fn example(ex: &ExampleIr) -> TokenStream {
    let parameters = ex.parameters.to_string();
    let outcome = match &ex.outcome {
        Outcome::Succeeded(result) => {
            let result = result.to_string();
            quote!(c::ExampleOutcome::Succeeded(#result))
        }
        Outcome::Failed(code) => {
            let code = int(*code);
            quote!(c::ExampleOutcome::Failed(#code))
        }
    };
    let events = ex.events.iter().map(|e| e.to_string());
    let built = ex.built;
    quote!(c::Example { parameters: #parameters, outcome: #outcome, events: &[#(#events),*], built: #built })
}

fn optional_ty(index: &TypeIndex<'_>, module: &Module, ty: Option<&Ty>) -> TokenStream {
    match ty {
        Some(ty) => {
            let ty = ty_tokens(index, module, ty);
            quote!(::std::option::Option::Some(#ty))
        }
        None => quote!(::std::option::Option::None),
    }
}

fn field(index: &TypeIndex<'_>, module: &Module, f: &FieldIr) -> TokenStream {
    let wire = &f.wire;
    let ty = ty_tokens(index, module, &f.ty);
    let required = f.required;
    let example = option_str(f.example.as_ref().map(|e| e.to_string()).as_deref());
    quote!(c::Field { wire: #wire, ty: #ty, required: #required, example: #example })
}

fn ty_tokens(index: &TypeIndex<'_>, module: &Module, ty: &Ty) -> TokenStream {
    let kind = match &ty.kind {
        TyKind::String(s) => {
            let format = option_str(s.format.as_deref());
            let pattern = option_str(s.pattern.as_deref());
            let min = option_u64(s.min_length);
            let max = option_u64(s.max_length);
            quote!(c::TyKind::String(c::Text { format: #format, pattern: #pattern, min_length: #min, max_length: #max }))
        }
        TyKind::Integer(n) | TyKind::Number(n) => {
            let which = if matches!(ty.kind, TyKind::Integer(_)) {
                quote!(Integer)
            } else {
                quote!(Number)
            };
            if n.minimum.is_none() && n.maximum.is_none() && n.values.is_empty() {
                quote!(c::TyKind::#which(c::Bounds::NONE))
            } else {
                let min = option_f64(n.minimum);
                let max = option_f64(n.maximum);
                let values = n.values.iter().map(|m| constant(&m.value));
                quote!(c::TyKind::#which(c::Bounds { minimum: #min, maximum: #max, values: &[#(#values),*] }))
            }
        }
        TyKind::Boolean { .. } => quote!(c::TyKind::Boolean),
        TyKind::Any => quote!(c::TyKind::Any),
        TyKind::Array {
            items,
            min_items,
            max_items,
        } => {
            let items = ty_tokens(index, module, items);
            let min = option_u64(*min_items);
            let max = option_u64(*max_items);
            quote!(c::TyKind::Array { items: &#items, min_items: #min, max_items: #max })
        }
        // a reference the IR could not resolve would be a lowering bug: free JSON here
        TyKind::Ref(r) => match index.of(module, r) {
            Some(i) => {
                let i = Literal::usize_unsuffixed(i);
                quote!(c::TyKind::Type(#i))
            }
            None => quote!(c::TyKind::Any),
        },
    };
    let nullable = ty.nullable;
    quote!(c::Ty { kind: #kind, nullable: #nullable })
}

fn option_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(::std::option::Option::Some(#s)),
        None => quote!(::std::option::Option::None),
    }
}

fn option_u64(n: Option<u64>) -> TokenStream {
    match n {
        Some(n) => {
            let n = Literal::u64_unsuffixed(n);
            quote!(::std::option::Option::Some(#n))
        }
        None => quote!(::std::option::Option::None),
    }
}

fn option_f64(n: Option<f64>) -> TokenStream {
    match n.filter(|v| v.is_finite()) {
        Some(v) => {
            let v = float(v);
            quote!(::std::option::Option::Some(#v))
        }
        None => quote!(::std::option::Option::None),
    }
}

fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

fn int(v: i64) -> TokenStream {
    let lit = Literal::u64_unsuffixed(v.unsigned_abs());
    if v < 0 { quote!(-#lit) } else { quote!(#lit) }
}

fn float(v: f64) -> TokenStream {
    let lit = Literal::f64_unsuffixed(v.abs());
    if v < 0.0 { quote!(-#lit) } else { quote!(#lit) }
}

fn constant(value: &Scalar) -> TokenStream {
    match value {
        Scalar::Str(s) => quote!(::pims_runtime::Const::Str(#s)),
        Scalar::Int(i) => {
            let i = int(*i);
            quote!(::pims_runtime::Const::Int(#i))
        }
        Scalar::Num(n) => {
            let n = float(*n);
            quote!(::pims_runtime::Const::Num(#n))
        }
        Scalar::Bool(b) => quote!(::pims_runtime::Const::Bool(#b)),
    }
}
