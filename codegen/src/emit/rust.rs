//! The IR to Rust: one module per api, the named types, the error catalogue.
//!
//! What is generated is data: types with their serde and schema derives, and
//! one small `pims_runtime::Operation` impl per operation. The call logic lives
//! once, generic, in `pims-runtime`. Paths between generated modules are
//! relative (`super::super::types::Trip`), so the same items work as files and
//! inline in the proc-macro's expansion.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::ir::{
    CheckIr, EnumDef, EnumRepr, ErrorVariant, FieldIr, Ir, Module, OperationIr, PathSeg, RuleIr,
    StructDef, Ty, TyKind, TypeDef, TypeDefKind, TypeRef,
};
use crate::naming::rust as naming;
use crate::spec::{Scalar, Verb};

use super::{Schemars, Settings, Simulator, docs};

/// A generated module: its items and its child modules.
#[derive(Debug, Clone)]
pub struct RustModule {
    /// The module's name (a Rust identifier; empty for the root).
    pub name: String,
    /// Whether it is `pub`.
    pub public: bool,
    /// Its `//!` documentation, line by line.
    pub doc: Vec<String>,
    /// Its items.
    pub items: TokenStream,
    /// Rust source written after the formatted items, as it is: a table of
    /// literals too big to go through syn and prettyplease (the simulator's
    /// contract). Empty for most modules.
    pub text: String,
    /// Child modules, by name.
    pub children: Vec<RustModule>,
    /// The spec file it comes from, if one.
    pub source: Option<String>,
    /// The api (its index in `Ir::modules`) whose items follow `items`,
    /// produced only when the module is written ([`items`]): a big spec's
    /// tokens are never all held at once.
    pub api: Option<usize>,
}

/// All the items of `module`: its own, then its api's, if it has one.
pub fn items(ir: &Ir, settings: &Settings, module: &RustModule) -> TokenStream {
    let mut items = module.items.clone();
    if let Some(index) = module.api {
        items.extend(api_items_at(ir, settings, index));
    }
    items
}

/// The items of the api `ir.modules[index]` (nothing for another index).
pub fn api_items_at(ir: &Ir, settings: &Settings, index: usize) -> TokenStream {
    let Some(module) = ir.modules.get(index) else {
        return TokenStream::new();
    };
    let path = naming::module_path(&module.api);
    let scope = Scope::new(path.len(), false, defined(ir, module));
    api_items(ir, settings, module, &scope)
}

/// The module tree of the whole SDK.
pub fn tree(ir: &Ir, settings: &Settings) -> RustModule {
    let mut root = RustModule {
        name: String::new(),
        public: true,
        doc: vec![format!(
            "The {} {} generated from its spec: one module per api, the shared `types`, and the error catalogue [`Error`].",
            docs::inline(&ir.sdk_name),
            ir.sdk_version
        )],
        items: quote! { pub use self::error::Error; },
        text: String::new(),
        children: Vec::new(),
        source: None,
        api: None,
    };
    root.children.push(RustModule {
        name: "error".into(),
        public: false,
        doc: vec!["The error catalogue: every code the SDK can fail with.".into()],
        items: catalogue(ir),
        text: String::new(),
        children: Vec::new(),
        source: Some(format!("{}/pims.yaml", settings.source_root)),
        api: None,
    });
    root.children.push(RustModule {
        name: "errors".into(),
        public: true,
        doc: vec![
            "The details some catalogue errors carry (what filled the placeholders of their label, sub-codes): one struct per such error, shared by [`Error`](super::Error) and every operation's error enum.".into(),
        ],
        items: details(ir),
        text: String::new(),
        children: Vec::new(),
        source: Some(format!("{}/pims.yaml", settings.source_root)),
        api: None,
    });
    root.children.push(RustModule {
        name: "types".into(),
        public: true,
        doc: vec![format!(
            "Named types shared by the apis: the `types:` of {} and of the api files.",
            docs::code(&format!("{}/pims.yaml", settings.source_root))
        )],
        items: type_defs(ir, &Scope::new(1, true, Default::default()), settings),
        text: String::new(),
        children: Vec::new(),
        source: None,
        api: None,
    });
    super::simulator::attach(ir, settings, &mut root);
    for (index, module) in ir.modules.iter().enumerate() {
        let path = naming::module_path(&module.api);
        insert(&mut root, &path, api_module(settings, module, index));
    }
    sort(&mut root);
    root
}

/// The names `module`'s file defines itself: its types, its operations'
/// error enums, and the modules of the apis below it.
fn defined(ir: &Ir, module: &Module) -> std::collections::BTreeSet<String> {
    let mut names: std::collections::BTreeSet<String> = module
        .types
        .iter()
        .map(|t| naming::type_name(&t.name))
        .chain(
            module
                .operations
                .iter()
                .map(|op| naming::type_name(&op.error_type)),
        )
        .collect();
    let prefix = format!("{}.", module.api);
    for other in &ir.modules {
        if let Some(rest) = other.api.strip_prefix(&prefix) {
            let segment = rest.split('.').next().unwrap_or(rest);
            names.insert(naming::module(segment));
        }
    }
    names
}

fn insert(parent: &mut RustModule, path: &[String], leaf: RustModule) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        match parent.children.iter_mut().find(|c| c.name == *first) {
            // a group module that is also an api: keep both
            Some(existing) => {
                existing.items.extend(leaf.items);
                existing.text.push_str(&leaf.text);
                existing.doc = leaf.doc;
                existing.source = leaf.source;
                existing.api = leaf.api;
            }
            None => parent.children.push(leaf),
        }
        return;
    }
    let index = match parent.children.iter().position(|c| c.name == *first) {
        Some(i) => i,
        None => {
            parent.children.push(RustModule {
                name: first.clone(),
                public: true,
                doc: vec![format!(
                    "The `pims.{}.*` apis.",
                    naming::module_file(first).trim_end_matches('_')
                )],
                items: TokenStream::new(),
                text: String::new(),
                children: Vec::new(),
                source: None,
                api: None,
            });
            parent.children.len() - 1
        }
    };
    insert(&mut parent.children[index], rest, leaf);
}

fn sort(module: &mut RustModule) {
    module
        .children
        .sort_by(|a, b| naming::module_file(&a.name).cmp(naming::module_file(&b.name)));
    for child in &mut module.children {
        sort(child);
    }
}

/// An identifier; `r#name` as a raw one.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust identifier of a type's neutral name.
fn type_ident(neutral: &str) -> Ident {
    ident(&naming::type_name(neutral))
}

/// The Rust identifier of an enumeration member's or an error's neutral name.
fn variant_ident(neutral: &str) -> Ident {
    ident(&naming::variant(neutral))
}

/// `super::super::` back to the generated root from a module `depth` deep.
fn to_root(depth: usize) -> TokenStream {
    let supers = std::iter::repeat_n(quote!(super::), depth);
    quote!(#(#supers)*)
}

/// How a generated module names what is defined at the root (the named
/// `types`, the catalogue `Error`, its `errors` details): through one `use`
/// at the top of the module, as `types::Trip`, `Error`, `errors::Timeout`,
/// unless the module defines that name itself (a child module `types`, an
/// operation called `error`), where the full `super::` path is written.
#[derive(Debug)]
pub struct Scope {
    depth: usize,
    /// Whether this is the `types` module (named types are its own).
    in_types: bool,
    /// Names the module defines itself.
    taken: std::collections::BTreeSet<String>,
    /// Root names used through the module's `use`.
    used: std::cell::RefCell<std::collections::BTreeSet<&'static str>>,
}

impl Scope {
    fn new(depth: usize, in_types: bool, taken: std::collections::BTreeSet<String>) -> Self {
        Scope {
            depth,
            in_types,
            taken,
            used: Default::default(),
        }
    }

    /// The root item `name` (`types`, `Error`, `errors`), as this module spells it.
    fn root(&self, name: &'static str) -> TokenStream {
        let id = Ident::new(name, Span::call_site());
        if self.taken.contains(name) {
            let root = to_root(self.depth);
            quote!(#root #id)
        } else {
            self.used.borrow_mut().insert(name);
            quote!(#id)
        }
    }

    /// A named type.
    fn named(&self, name: &Ident) -> TokenStream {
        if self.in_types {
            return quote!(#name);
        }
        let types = self.root("types");
        quote!(#types::#name)
    }

    /// The `use` the module starts with (nothing when it uses no root name).
    fn uses(&self) -> TokenStream {
        let used = self.used.borrow();
        let root = to_root(self.depth);
        match used.len() {
            0 => TokenStream::new(),
            1 => {
                let id = used.iter().map(|n| Ident::new(n, Span::call_site()));
                quote!(use #root #(#id)*;)
            }
            _ => {
                let ids = used.iter().map(|n| Ident::new(n, Span::call_site()));
                quote!(use #root {#(#ids),*};)
            }
        }
    }
}

fn doc_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|l| {
        let text = format!(" {l}");
        quote!(#[doc = #text])
    });
    quote!(#(#attrs)*)
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

/// The derives of every data type. `JsonSchema` doubles the crate's build
/// time, so in files it is behind the generated crate's `schemars` feature
/// (the schema files are generated either way); the macro's expansion derives
/// it only when asked (`Schemars`), since it cannot know the calling crate's
/// features. The serde traits are those of the type's [`Way`].
fn data_derives(default: bool, way: Way, settings: &Settings) -> TokenStream {
    derives(default, false, way, settings)
}

/// Which ways a type crosses the wire: which serde traits it derives, and
/// whether the app builds it (`new(required…)` and a `with_` setter per
/// optional field). Deriving both serde traits for every type cost about a
/// third of the generated crate's `cargo check`; what a type does not need
/// for the app comes only with the simulator, whose scripts build and
/// serialize results, and whose tests decode requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    /// Sent (requests, objects inside parameters): `Serialize`, built by the app.
    Sent,
    /// Both ways: enumerations, and named types that parameters use (a
    /// named type can be sent and received). Built by the app.
    Both,
    /// Received (results, events, what they hold): `Deserialize`.
    Received,
}

/// [`data_derives`], with `Eq` and `Hash` when `eq` (enumerations: no float
/// or free JSON inside).
fn derives(default: bool, eq: bool, way: Way, settings: &Settings) -> TokenStream {
    let default = default.then(|| quote!(Default,));
    let eq = eq.then(|| quote!(Eq, Hash,));
    let schema = match settings.schemars {
        Schemars::Feature => quote! {
            #[cfg_attr(
                feature = "schemars",
                derive(::pims_runtime::schemars::JsonSchema),
                schemars(crate = "::pims_runtime::schemars")
            )]
        },
        Schemars::Always => quote! {
            #[derive(::pims_runtime::schemars::JsonSchema)]
            #[schemars(crate = "::pims_runtime::schemars")]
        },
        Schemars::Never => TokenStream::new(),
    };
    let ser = quote!(::pims_runtime::serde::Serialize);
    let de = quote!(::pims_runtime::serde::Deserialize);
    let (always, other) = match way {
        Way::Both => (quote!(#ser, #de), None),
        Way::Sent => (ser, Some(de)),
        Way::Received => (de, Some(ser)),
    };
    let (always, other) = match (other, settings.simulator) {
        (Some(other), Simulator::Always) => (quote!(#always, #other), None),
        (Some(other), Simulator::Feature) => (
            always,
            Some(quote!(#[cfg_attr(feature = "simulator", derive(#other))])),
        ),
        _ => (always, None),
    };
    quote! {
        #[derive(Debug, Clone, PartialEq, #eq #default #always)]
        #other
        #[serde(crate = "::pims_runtime::serde")]
        #schema
    }
}

/// The Rust type of `ty`, from a module `scope` deep.
fn ty_tokens(ty: &Ty, scope: &Scope) -> TokenStream {
    let inner = match &ty.kind {
        TyKind::String(_) => quote!(::std::string::String),
        TyKind::Integer(_) => quote!(i64),
        TyKind::Number(_) => quote!(f64),
        TyKind::Boolean { .. } => quote!(bool),
        TyKind::Any => quote!(::pims_runtime::serde_json::Value),
        TyKind::Array { items, .. } => {
            let items = ty_tokens(items, scope);
            quote!(::std::vec::Vec<#items>)
        }
        TyKind::Ref(TypeRef::Local(name)) => {
            let name = type_ident(name);
            quote!(#name)
        }
        TyKind::Ref(TypeRef::Named(name)) => scope.named(&type_ident(name)),
    };
    if ty.nullable {
        quote!(::std::option::Option<#inner>)
    } else {
        inner
    }
}

fn field_type(f: &FieldIr, scope: &Scope) -> TokenStream {
    let ty = ty_tokens(&f.ty, scope);
    if f.required || f.ty.nullable {
        ty
    } else {
        quote!(::std::option::Option<#ty>)
    }
}

fn field_tokens(f: &FieldIr, scope: &Scope) -> TokenStream {
    let rust = naming::field(&f.wire);
    let name = ident(&rust);
    let ty = field_type(f, scope);
    let docs = doc_attrs(&docs::field_doc(f));
    let rename = (naming::bare(&rust) != f.wire).then(|| {
        let wire = &f.wire;
        quote!(rename = #wire,)
    });
    let optional = (!f.required && !f.ty.nullable).then(|| {
        quote!(
            default,
            skip_serializing_if = "::std::option::Option::is_none",
        )
    });
    let serde =
        (rename.is_some() || optional.is_some()).then(|| quote!(#[serde(#rename #optional)]));
    quote! {
        #docs
        #serde
        pub #name: #ty,
    }
}

/// A struct; for an operation's request, `op` and the request's docs.
fn struct_def(
    def: &TypeDef,
    s: &StructDef,
    scope: &Scope,
    op: Option<(&OperationIr, Vec<String>)>,
    way: Way,
    settings: &Settings,
) -> TokenStream {
    let name = type_ident(&def.name);
    let (op, doc_lines) = match op {
        Some((op, lines)) => (Some(op), lines),
        None => (None, docs::type_doc(def.doc.as_deref())),
    };
    let docs = doc_attrs(&doc_lines);
    let selector_fields = op
        .into_iter()
        .flat_map(|op| op.selector.iter().enumerate())
        .map(|(i, (key, _))| {
            let field = ident(&naming::selector_field(i));
            let index = Literal::usize_unsuffixed(i);
            quote! {
                #[serde(rename = #key)]
                #field: ::pims_runtime::Selector<#name, #index>,
            }
        });
    let fields = s.fields.iter().map(|f| field_tokens(f, scope));
    let additional = s.additional.then(|| {
        quote! {
            /// Keys the spec does not list, kept as they came.
            #[serde(flatten)]
            pub additional: ::pims_runtime::serde_json::Map<::std::string::String, ::pims_runtime::serde_json::Value>,
        }
    });
    let strict = (s.strict && !s.additional).then(|| quote!(#[serde(deny_unknown_fields)]));
    let required: Vec<&FieldIr> = s.fields.iter().filter(|f| f.required).collect();
    // received data is built only by the simulator's scripts
    let built = match way {
        Way::Sent | Way::Both => Simulator::Always,
        Way::Received => settings.simulator,
    };
    let default = required.is_empty() && built == Simulator::Always;
    let mut derives = data_derives(default, way, settings);
    if required.is_empty() && built == Simulator::Feature {
        derives.extend(quote!(#[cfg_attr(feature = "simulator", derive(Default))]));
    }
    let builder = match built {
        Simulator::Always => Some(builder(&name, op, s, &required, scope)),
        Simulator::Feature => {
            let builder = builder(&name, op, s, &required, scope);
            Some(quote! {
                /// Built by the simulator's scripts (the `simulator` feature).
                #[cfg(feature = "simulator")]
                #builder
            })
        }
        Simulator::Never => None,
    };
    quote! {
        #docs
        #derives
        #strict
        #[non_exhaustive]
        pub struct #name {
            #(#selector_fields)*
            #(#fields)*
            #additional
        }
        #builder
    }
}

/// The setter of a field: `with_` and its name, without a raw prefix or the
/// leading `_` of a name that starts with a digit (`_1st` → `with_1st`).
fn setter_ident(field: &str) -> Ident {
    ident(&format!(
        "with_{}",
        naming::bare(field).trim_start_matches('_')
    ))
}

/// Whether a field's Rust type is a plain `String` (taken as `impl Into<String>`).
fn is_plain_string(f: &FieldIr) -> bool {
    matches!(f.ty.kind, TyKind::String(_)) && !f.ty.nullable
}

/// `new(required…)` (the selector is filled in, optional fields are `None`)
/// and `with_<field>(value)` for each optional field.
fn builder(
    name: &Ident,
    op: Option<&OperationIr>,
    s: &StructDef,
    required: &[&FieldIr],
    scope: &Scope,
) -> TokenStream {
    let args = required.iter().map(|f| {
        let arg = ident(&naming::field(&f.wire));
        let ty = field_type(f, scope);
        if is_plain_string(f) {
            quote!(#arg: impl ::std::convert::Into<::std::string::String>)
        } else {
            quote!(#arg: #ty)
        }
    });
    let selector_inits = op.into_iter().flat_map(|op| 0..op.selector.len()).map(|i| {
        let field = ident(&naming::selector_field(i));
        quote!(#field: ::pims_runtime::Selector::new(),)
    });
    let inits = s.fields.iter().map(|f| {
        let field = ident(&naming::field(&f.wire));
        if !f.required {
            quote!(#field: ::std::option::Option::None,)
        } else if is_plain_string(f) {
            quote!(#field: #field.into(),)
        } else {
            quote!(#field,)
        }
    });
    let additional = s
        .additional
        .then(|| quote!(additional: ::pims_runtime::serde_json::Map::new(),));
    let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let what = if op.is_some() { "request" } else { "value" };
    let doc = if required.is_empty() {
        format!(" The {what}, with no optional field set.")
    } else {
        format!(" The {what} with its required fields; optional ones are not set.")
    };
    let setters = s.fields.iter().filter(|f| !f.required).map(|f| {
        let rust = naming::field(&f.wire);
        let field = ident(&rust);
        let setter = setter_ident(&rust);
        let doc = format!(" Sets {}.", docs::code(&f.wire));
        let ty = ty_tokens(&f.ty, scope);
        if f.ty.nullable {
            // `Option<T>` either way: `None` sends `null`
            quote! {
                #[doc = #doc]
                pub fn #setter(mut self, #field: #ty) -> Self {
                    self.#field = #field;
                    self
                }
            }
        } else {
            quote! {
                #[doc = #doc]
                pub fn #setter(mut self, #field: impl ::std::convert::Into<#ty>) -> Self {
                    self.#field = ::std::option::Option::Some(#field.into());
                    self
                }
            }
        }
    });
    quote! {
        impl #name {
            #[doc = #doc]
            #allow
            pub fn new(#(#args),*) -> Self {
                Self {
                    #(#selector_inits)*
                    #(#inits)*
                    #additional
                }
            }
            #(#setters)*
        }
    }
}

fn enum_def(def: &TypeDef, e: &EnumDef, settings: &Settings) -> TokenStream {
    let name = type_ident(&def.name);
    let docs = doc_attrs(&docs::type_doc(def.doc.as_deref()));
    let derives = derives(false, true, Way::Both, settings);
    match e.repr {
        EnumRepr::Str => {
            let variants = e.variants.iter().map(|v| {
                let variant = variant_ident(&v.name);
                let wire = v.value.to_string();
                let doc = doc_attrs(&docs::variant_doc(&v.value, v.doc.as_deref()));
                // serde's name is the variant's own unless told otherwise
                let rename = (naming::bare(&variant.to_string()) != wire)
                    .then(|| quote!(#[serde(rename = #wire)]));
                quote! {
                    #doc
                    #rename
                    #variant,
                }
            });
            let names = e.variants.iter().map(|v| variant_ident(&v.name));
            let wires = e.variants.iter().map(|v| v.value.to_string());
            quote! {
                #docs
                #derives
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    /// A value the spec does not list (received from a newer SDK).
                    #[serde(untagged)]
                    Unlisted(::pims_runtime::Unknown),
                }
                impl #name {
                    /// The value on the wire (for [`Self::Unlisted`], the one received).
                    pub fn as_str(&self) -> &str {
                        match self {
                            #(Self::#names => #wires,)*
                            Self::Unlisted(other) => other.as_str().unwrap_or_default(),
                        }
                    }
                }
            }
        }
        EnumRepr::Int => {
            let variants = e.variants.iter().map(|v| {
                let variant = variant_ident(&v.name);
                let doc = doc_attrs(&docs::variant_doc(&v.value, v.doc.as_deref()));
                quote!(#doc #variant,)
            });
            let values: Vec<TokenStream> = e
                .variants
                .iter()
                .map(|v| match v.value {
                    Scalar::Int(i) => int(i),
                    _ => quote!(0),
                })
                .collect();
            let names: Vec<Ident> = e.variants.iter().map(|v| variant_ident(&v.name)).collect();
            quote! {
                #docs
                #derives
                #[serde(from = "i64", into = "i64")]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    /// A value the spec does not list (received from a newer SDK).
                    Unlisted(::pims_runtime::Unknown),
                }
                impl ::std::convert::From<i64> for #name {
                    fn from(value: i64) -> Self {
                        match value {
                            #(#values => Self::#names,)*
                            other => Self::Unlisted(other.into()),
                        }
                    }
                }
                impl ::std::convert::From<#name> for i64 {
                    fn from(value: #name) -> Self {
                        value.as_i64()
                    }
                }
                impl #name {
                    /// The value on the wire (for [`Self::Unlisted`], the one received).
                    pub fn as_i64(&self) -> i64 {
                        match self {
                            #(Self::#names => #values,)*
                            Self::Unlisted(other) => other.as_i64().unwrap_or(i64::MIN),
                        }
                    }
                }
            }
        }
    }
}

fn alias_def(def: &TypeDef, ty: &Ty, scope: &Scope) -> TokenStream {
    let name = type_ident(&def.name);
    let docs = doc_attrs(&docs::type_doc(def.doc.as_deref()));
    let ty = ty_tokens(ty, scope);
    quote! {
        #docs
        pub type #name = #ty;
    }
}

fn type_defs(ir: &Ir, scope: &Scope, settings: &Settings) -> TokenStream {
    let sent = ir.sent_named();
    let items = ir.types.iter().map(|def| match &def.kind {
        TypeDefKind::Struct(s) => {
            let way = if sent.contains(def.name.as_str()) {
                Way::Both
            } else {
                Way::Received
            };
            struct_def(def, s, scope, None, way, settings)
        }
        TypeDefKind::Enum(e) => enum_def(def, e, settings),
        TypeDefKind::Alias(ty) => alias_def(def, ty, scope),
        // requests live in api modules only
        TypeDefKind::Request(_) => TokenStream::new(),
    });
    quote!(#(#items)*)
}

/// An api's module, its items left to [`items`].
fn api_module(settings: &Settings, module: &Module, index: usize) -> RustModule {
    RustModule {
        name: naming::module_path(&module.api).pop().unwrap_or_default(),
        public: true,
        doc: docs::module_doc(settings, module),
        items: TokenStream::new(),
        text: String::new(),
        children: Vec::new(),
        source: Some(settings.source(&module.source)),
        api: Some(index),
    }
}

/// The items of an api's module: its `use`, requests with their operation
/// and error enum, and its other types.
fn api_items(ir: &Ir, settings: &Settings, module: &Module, scope: &Scope) -> TokenStream {
    let mut items = TokenStream::new();
    for def in &module.types {
        items.extend(match &def.kind {
            TypeDefKind::Request(_) => match ir.request_of(module, def) {
                Some(op) => {
                    let lines = docs::operation_doc(ir, settings, module, op);
                    let request = StructDef {
                        strict: true,
                        fields: op.params.clone(),
                        additional: false,
                    };
                    let mut tokens =
                        struct_def(def, &request, scope, Some((op, lines)), Way::Sent, settings);
                    tokens.extend(operation_impl(&module.api, op, scope));
                    tokens.extend(error_enum(ir, op, scope));
                    tokens
                }
                None => TokenStream::new(),
            },
            TypeDefKind::Struct(s) => {
                let way = if s.strict { Way::Sent } else { Way::Received };
                struct_def(def, s, scope, None, way, settings)
            }
            TypeDefKind::Enum(e) => enum_def(def, e, settings),
            TypeDefKind::Alias(ty) => alias_def(def, ty, scope),
        });
    }
    let mut with_uses = scope.uses();
    with_uses.extend(items);
    with_uses
}

fn operation_impl(api: &str, op: &OperationIr, scope: &Scope) -> TokenStream {
    let name = type_ident(&op.type_name);
    let error = type_ident(&op.error_type);
    let verb = match op.verb {
        Verb::Get => quote!(::pims_runtime::Verb::Get),
        Verb::Set => quote!(::pims_runtime::Verb::Set),
        Verb::Subscribe => quote!(::pims_runtime::Verb::Subscribe),
    };
    let wire_name = &op.name;
    let selector = op.selector.iter().map(|(k, v)| {
        let v = constant(v);
        quote!((#k, #v))
    });
    let checks = op.checks.iter().map(check_tokens);
    let result = match &op.result {
        Some(ty) => ty_tokens(ty, scope),
        None => quote!(()),
    };
    let kind = match &op.event {
        Some(event) => {
            let event = match event {
                Some(ty) => ty_tokens(ty, scope),
                None => quote!(()),
            };
            quote! {
                impl ::pims_runtime::Subscription for #name {
                    type Event = #event;
                }
            }
        }
        None => quote!(impl ::pims_runtime::Call for #name {}),
    };
    quote! {
        impl ::pims_runtime::Operation for #name {
            const API: &'static str = #api;
            const NAME: &'static str = #wire_name;
            const VERB: ::pims_runtime::Verb = #verb;
            const SELECTOR: &'static [(&'static str, ::pims_runtime::Const)] = &[#(#selector),*];
            const CHECKS: &'static [::pims_runtime::Check] = &[#(#checks),*];
            type Result = #result;
            type Error = #error;
        }
        #kind
    }
}

fn check_tokens(check: &CheckIr) -> TokenStream {
    let path = check.path.iter().map(|seg| match seg {
        PathSeg::Key(k) => quote!(::pims_runtime::Seg::Key(#k)),
        PathSeg::Each => quote!(::pims_runtime::Seg::Each),
    });
    let rule = match &check.rule {
        RuleIr::Pattern(p) => {
            quote!(::pims_runtime::Rule::Pattern(&::pims_runtime::Pattern::new(#p)))
        }
        RuleIr::MinLength(n) => {
            let n = Literal::u64_unsuffixed(*n);
            quote!(::pims_runtime::Rule::MinLength(#n))
        }
        RuleIr::MaxLength(n) => {
            let n = Literal::u64_unsuffixed(*n);
            quote!(::pims_runtime::Rule::MaxLength(#n))
        }
        RuleIr::Minimum(v) => {
            let v = float(*v);
            quote!(::pims_runtime::Rule::Minimum(#v))
        }
        RuleIr::Maximum(v) => {
            let v = float(*v);
            quote!(::pims_runtime::Rule::Maximum(#v))
        }
        RuleIr::MinItems(n) => {
            let n = Literal::u64_unsuffixed(*n);
            quote!(::pims_runtime::Rule::MinItems(#n))
        }
        RuleIr::MaxItems(n) => {
            let n = Literal::u64_unsuffixed(*n);
            quote!(::pims_runtime::Rule::MaxItems(#n))
        }
        RuleIr::OneOf(values) => {
            let values = values.iter().map(constant);
            quote!(::pims_runtime::Rule::OneOf(&[#(#values),*]))
        }
    };
    quote!(::pims_runtime::Check { path: &[#(#path),*], rule: #rule })
}

/// The fields of a catalogue error's details: its placeholders, then sub-codes.
fn variant_fields(e: &ErrorVariant) -> Vec<(Ident, TokenStream, String)> {
    let mut fields: Vec<(Ident, TokenStream, String)> = e
        .placeholders
        .iter()
        .map(|hole| {
            (
                ident(&naming::placeholder(hole)),
                quote!(::std::option::Option<::std::string::String>),
                format!(
                    "What the facade put in place of {}, when it filled it in.",
                    docs::code(hole)
                ),
            )
        })
        .collect();
    if e.sub_codes {
        fields.push((
            ident("sub_codes"),
            quote!(::std::vec::Vec<::pims_runtime::serde_json::Value>),
            "The `subCode` list the facade sent with the error (empty when none).".to_owned(),
        ));
    }
    fields
}

/// The fields of a catalogue error's label placeholders, in label order.
fn holes(e: &ErrorVariant) -> Vec<Ident> {
    e.placeholders
        .iter()
        .map(|h| ident(&naming::placeholder(h)))
        .collect()
}

/// Whether a catalogue error carries details (a struct in `errors`).
fn has_details(e: &ErrorVariant) -> bool {
    e.sub_codes || !e.placeholders.is_empty()
}

/// The declaration of a catalogue error's variant, with its docs: a unit, or
/// its details struct (`errors::Name`).
fn error_variant(e: &ErrorVariant, scope: &Scope) -> TokenStream {
    let variant = variant_ident(&e.name);
    let doc = doc_attrs(&docs::error_doc(e));
    if has_details(e) {
        let errors = scope.root("errors");
        quote!(#doc #variant(#errors::#variant),)
    } else {
        quote!(#doc #variant,)
    }
}

/// `Variant` or `Variant(e)` (a pattern or an expression).
fn variant_shape(owner: &TokenStream, e: &ErrorVariant) -> TokenStream {
    let variant = variant_ident(&e.name);
    if has_details(e) {
        quote!(#owner::#variant(details))
    } else {
        quote!(#owner::#variant)
    }
}

/// `Variant` or `Variant(_)`.
fn variant_pattern_ignoring(owner: &TokenStream, e: &ErrorVariant) -> TokenStream {
    let variant = variant_ident(&e.name);
    if has_details(e) {
        quote!(#owner::#variant(_))
    } else {
        quote!(#owner::#variant)
    }
}

/// The `errors` module: one struct per catalogue error that carries details
/// (placeholders of its label, sub-codes), shared by the catalogue and every
/// operation's error enum, so that converting between them moves the value.
fn details(ir: &Ir) -> TokenStream {
    let items = ir.errors.iter().filter(|e| has_details(e)).map(|e| {
        let name = variant_ident(&e.name);
        let code = int(e.code);
        let label = &e.label;
        let fields = variant_fields(e);
        let decls = fields.iter().map(|(n, t, d)| {
            let d = format!(" {d}");
            quote!(#[doc = #d] pub #n: #t,)
        });
        let placeholder_setters = e.placeholders.iter().map(|hole| {
            let n = ident(&naming::placeholder(hole));
            let setter = setter_ident(&n.to_string());
            let doc = format!(" Sets what fills {} in the label.", docs::code(hole));
            quote! {
                #[doc = #doc]
                pub fn #setter(mut self, #n: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.#n = ::std::option::Option::Some(#n.into());
                    self
                }
            }
        });
        let sub_codes_setter = e.sub_codes.then(|| {
            quote! {
                /// Sets the sub-codes.
                pub fn with_sub_codes(mut self, sub_codes: ::std::vec::Vec<::pims_runtime::serde_json::Value>) -> Self {
                    self.sub_codes = sub_codes;
                    self
                }
            }
        });
        let setters = quote!(#(#placeholder_setters)* #sub_codes_setter);
        let holes = holes(e);
        let label_body = if holes.is_empty() {
            quote!(::std::string::String::from(Self::TEMPLATE))
        } else {
            quote!(::pims_runtime::label::fill(Self::TEMPLATE, &[#(self.#holes.as_deref()),*]))
        };
        let doc = format!(
            " The details of error `{}` ([`Error::{}`](super::Error::{})): {}.",
            e.code,
            naming::bare(&naming::variant(&e.name)),
            naming::bare(&naming::variant(&e.name)),
            docs::code(label)
        );
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq, Default)]
            #[non_exhaustive]
            pub struct #name {
                #(#decls)*
            }

            impl #name {
                /// The code the facade sends for this error.
                pub const CODE: i64 = #code;
                /// The catalogue's label, placeholders as written.
                pub const TEMPLATE: &'static str = #label;

                /// The label with the placeholders the facade filled in.
                pub fn label(&self) -> ::std::string::String {
                    #label_body
                }

                #setters
            }

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    write!(f, "{} ({})", self.label(), Self::CODE)
                }
            }
        }
    });
    quote!(#(#items)*)
}

/// The catalogue: `Error`, every code.
fn catalogue(ir: &Ir) -> TokenStream {
    let scope = Scope::new(1, false, ["Error".to_owned()].into());
    let this = quote!(Self);
    let variants: Vec<TokenStream> = ir.errors.iter().map(|e| error_variant(e, &scope)).collect();
    let errors = scope.root("errors");
    let code_arms = ir.errors.iter().map(|e| {
        let pattern = variant_pattern_ignoring(&this, e);
        let code = int(e.code);
        quote!(#pattern => #code,)
    });
    let category_arms = ir.errors.iter().map(|e| {
        let pattern = variant_pattern_ignoring(&this, e);
        let category = &e.category;
        quote!(#pattern => #category,)
    });
    let template_arms = ir.errors.iter().map(|e| {
        let pattern = variant_pattern_ignoring(&this, e);
        let label = &e.label;
        quote!(#pattern => #label,)
    });
    let wire_arms = ir.errors.iter().map(|e| {
        let code = int(e.code);
        let label = &e.label;
        let variant = variant_ident(&e.name);
        if !has_details(e) {
            return quote!(#code => Self::#variant,);
        }
        let holes = holes(e);
        let n = holes.len();
        let captures = (n > 0).then(|| {
            quote!(let [#(#holes),*] = ::pims_runtime::label::captures::<#n>(#label, &error.label);)
        });
        let sub_codes = e
            .sub_codes
            .then(|| quote!(let sub_codes = error.sub_code.unwrap_or_default();));
        let names = variant_fields(e).into_iter().map(|(n, _, _)| n);
        quote! {
            #code => {
                #captures
                #sub_codes
                Self::#variant(#errors::#variant { #(#names),* })
            }
        }
    });
    let label_arms = ir.errors.iter().map(|e| {
        let variant = variant_ident(&e.name);
        if has_details(e) {
            quote!(Self::#variant(details) => details.label(),)
        } else {
            let label = &e.label;
            quote!(Self::#variant => ::std::string::String::from(#label),)
        }
    });
    let uses = scope.uses();
    quote! {
        #uses

        /// Every error the SDK can fail with, by code. Each operation's own error
        /// enum converts into it.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum Error {
            #(#variants)*
            /// A code that is not in the catalogue.
            Unlisted {
                /// The code the facade sent.
                code: i64,
                /// The label the facade sent.
                label: ::std::string::String,
            },
        }

        impl Error {
            /// The code the facade sends for this error.
            pub fn code(&self) -> i64 {
                match self {
                    #(#code_arms)*
                    Self::Unlisted { code, .. } => *code,
                }
            }

            /// The catalogue's category (`generic`, `input`, `output`, `pims`, `gigya`, …);
            /// `unlisted` for a code the catalogue does not have.
            pub fn category(&self) -> &'static str {
                match self {
                    #(#category_arms)*
                    Self::Unlisted { .. } => "unlisted",
                }
            }

            /// The catalogue's label, placeholders as written; for an unlisted
            /// code, the label that was received.
            pub fn label_template(&self) -> &str {
                match self {
                    #(#template_arms)*
                    Self::Unlisted { label, .. } => label,
                }
            }

            /// The label with the placeholders the facade filled in.
            pub fn label(&self) -> ::std::string::String {
                match self {
                    #(#label_arms)*
                    Self::Unlisted { label, .. } => label.clone(),
                }
            }
        }

        impl ::pims_runtime::FromWire for Error {
            fn from_wire(error: ::pims_runtime::WireError) -> Self {
                match error.code {
                    #(#wire_arms)*
                    _ => Self::Unlisted { code: error.code, label: error.label },
                }
            }
        }

        impl ::std::fmt::Display for Error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{} ({})", self.label(), self.code())
            }
        }

        impl ::std::error::Error for Error {}
    }
}

/// An operation's error enum: its listed codes, and `Unlisted` for the others.
/// Conversions move the details; `code()` and `Display` read them in place.
fn error_enum(ir: &Ir, op: &OperationIr, scope: &Scope) -> TokenStream {
    let name = type_ident(&op.error_type);
    let catalogue = scope.root("Error");
    let listed: Vec<&ErrorVariant> = op.errors.iter().filter_map(|c| ir.error(*c)).collect();
    let variants = listed.iter().map(|e| error_variant(e, scope));
    let this = quote!(Self);
    let from_catalogue = listed.iter().map(|e| {
        let from = variant_shape(&catalogue, e);
        let to = variant_shape(&this, e);
        quote!(#from => #to,)
    });
    let into_catalogue = listed.iter().map(|e| {
        let from = variant_shape(&quote!(#name), e);
        let to = variant_shape(&catalogue, e);
        quote!(#from => #to,)
    });
    let code_arms = listed.iter().map(|e| {
        let pattern = variant_pattern_ignoring(&this, e);
        let code = int(e.code);
        quote!(#pattern => #code,)
    });
    let display_arms = listed.iter().map(|e| {
        let variant = variant_ident(&e.name);
        if has_details(e) {
            quote!(Self::#variant(details) => ::std::fmt::Display::fmt(details, f),)
        } else {
            let text = format!("{} ({})", e.label, e.code);
            quote!(Self::#variant => f.write_str(#text),)
        }
    });
    // an operation that lists no code has `Unlisted` only: no match to write
    let (from_body, into_body, code_body, display_body) = if listed.is_empty() {
        (
            quote!(Self::Unlisted(error)),
            quote! {
                let #name::Unlisted(other) = error;
                other
            },
            quote! {
                let Self::Unlisted(other) = self;
                other.code()
            },
            quote! {
                let Self::Unlisted(other) = self;
                ::std::fmt::Display::fmt(other, f)
            },
        )
    } else {
        (
            quote! {
                match error {
                    #(#from_catalogue)*
                    other => Self::Unlisted(other),
                }
            },
            quote! {
                match error {
                    #(#into_catalogue)*
                    #name::Unlisted(other) => other,
                }
            },
            quote! {
                match self {
                    #(#code_arms)*
                    Self::Unlisted(other) => other.code(),
                }
            },
            quote! {
                match self {
                    #(#display_arms)*
                    Self::Unlisted(other) => ::std::fmt::Display::fmt(other, f),
                }
            },
        )
    };
    let doc = format!(
        " The errors of [`{}`]: the codes it lists, and [`{}::Unlisted`] for any other.",
        naming::type_name(&op.type_name),
        naming::type_name(&op.error_type)
    );
    let unlisted_doc = " A code the operation does not list, as the catalogue knows it.";
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = #unlisted_doc]
            Unlisted(#catalogue),
        }

        impl ::std::convert::From<#catalogue> for #name {
            fn from(error: #catalogue) -> Self {
                #from_body
            }
        }

        impl ::std::convert::From<#name> for #catalogue {
            fn from(error: #name) -> Self {
                #into_body
            }
        }

        impl #name {
            /// The code the facade sent.
            pub fn code(&self) -> i64 {
                #code_body
            }
        }

        impl ::pims_runtime::FromWire for #name {
            fn from_wire(error: ::pims_runtime::WireError) -> Self {
                <#catalogue as ::pims_runtime::FromWire>::from_wire(error).into()
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #display_body
            }
        }

        impl ::std::error::Error for #name {}
    }
}
