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

use super::{Schemars, Settings, docs};

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
    /// Child modules, by name.
    pub children: Vec<RustModule>,
    /// The spec file it comes from, if one.
    pub source: Option<String>,
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
        children: Vec::new(),
        source: None,
    };
    root.children.push(RustModule {
        name: "error".into(),
        public: false,
        doc: vec!["The error catalogue: every code the SDK can fail with.".into()],
        items: catalogue(ir),
        children: Vec::new(),
        source: Some(format!("{}/pims.yaml", settings.source_root)),
    });
    root.children.push(RustModule {
        name: "types".into(),
        public: true,
        doc: vec![format!(
            "Named types shared by the apis: the `types:` of {} and of the api files.",
            docs::code(&format!("{}/pims.yaml", settings.source_root))
        )],
        items: type_defs(ir, 1, settings.schemars),
        children: Vec::new(),
        source: None,
    });
    super::simulator::attach(ir, settings, &mut root);
    for module in &ir.modules {
        let path = naming::module_path(&module.api);
        insert(
            &mut root,
            &path,
            api_module(ir, settings, module, path.len()),
        );
    }
    sort(&mut root);
    root
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
                existing.doc = leaf.doc;
                existing.source = leaf.source;
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
                doc: vec![format!("The `pims.{}.*` apis.", naming::module_file(first))],
                items: TokenStream::new(),
                children: Vec::new(),
                source: None,
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

fn ident(name: &str) -> Ident {
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
/// features.
fn data_derives(default: bool, schemars: Schemars) -> TokenStream {
    derives(default, false, schemars)
}

/// [`data_derives`], with `Eq` and `Hash` when `eq` (enumerations: no float
/// or free JSON inside).
fn derives(default: bool, eq: bool, schemars: Schemars) -> TokenStream {
    let default = default.then(|| quote!(Default,));
    let eq = eq.then(|| quote!(Eq, Hash,));
    let schema = match schemars {
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
    quote! {
        #[derive(Debug, Clone, PartialEq, #eq #default ::pims_runtime::serde::Serialize, ::pims_runtime::serde::Deserialize)]
        #[serde(crate = "::pims_runtime::serde")]
        #schema
    }
}

/// The Rust type of `ty`, from a module `depth` deep.
fn ty_tokens(ty: &Ty, depth: usize) -> TokenStream {
    let inner = match &ty.kind {
        TyKind::String(_) => quote!(::std::string::String),
        TyKind::Integer(_) => quote!(i64),
        TyKind::Number(_) => quote!(f64),
        TyKind::Boolean { .. } => quote!(bool),
        TyKind::Any => quote!(::pims_runtime::serde_json::Value),
        TyKind::Array { items, .. } => {
            let items = ty_tokens(items, depth);
            quote!(::std::vec::Vec<#items>)
        }
        TyKind::Ref(TypeRef::Local(name)) => {
            let name = type_ident(name);
            quote!(#name)
        }
        TyKind::Ref(TypeRef::Named(name)) => {
            // through the root, from any module (`types` itself included)
            let name = type_ident(name);
            let root = to_root(depth);
            quote!(#root types::#name)
        }
    };
    if ty.nullable {
        quote!(::std::option::Option<#inner>)
    } else {
        inner
    }
}

fn field_type(f: &FieldIr, depth: usize) -> TokenStream {
    let ty = ty_tokens(&f.ty, depth);
    if f.required || f.ty.nullable {
        ty
    } else {
        quote!(::std::option::Option<#ty>)
    }
}

fn field_tokens(f: &FieldIr, depth: usize) -> TokenStream {
    let rust = naming::field(&f.wire);
    let name = ident(&rust);
    let ty = field_type(f, depth);
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
/// `sent`: the app builds it (a request, an object inside parameters), so it
/// gets `new(required…)` and a `with_` setter per optional field.
fn struct_def(
    def: &TypeDef,
    s: &StructDef,
    depth: usize,
    op: Option<(&OperationIr, Vec<String>)>,
    sent: bool,
    schemars: Schemars,
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
    let fields = s.fields.iter().map(|f| field_tokens(f, depth));
    let additional = s.additional.then(|| {
        quote! {
            /// Keys the spec does not list, kept as they came.
            #[serde(flatten)]
            pub additional: ::pims_runtime::serde_json::Map<::std::string::String, ::pims_runtime::serde_json::Value>,
        }
    });
    let strict = (s.strict && !s.additional).then(|| quote!(#[serde(deny_unknown_fields)]));
    let required: Vec<&FieldIr> = s.fields.iter().filter(|f| f.required).collect();
    let default = sent && required.is_empty();
    let derives = data_derives(default, schemars);
    let builder = sent.then(|| builder(&name, op, s, &required, depth));
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
    depth: usize,
) -> TokenStream {
    let args = required.iter().map(|f| {
        let arg = ident(&naming::field(&f.wire));
        let ty = field_type(f, depth);
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
        let setter = ident(&format!("with_{}", naming::bare(&rust)));
        let doc = format!(" Sets {}.", docs::code(&f.wire));
        let ty = ty_tokens(&f.ty, depth);
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

fn enum_def(def: &TypeDef, e: &EnumDef, schemars: Schemars) -> TokenStream {
    let name = type_ident(&def.name);
    let docs = doc_attrs(&docs::type_doc(def.doc.as_deref()));
    let derives = derives(false, true, schemars);
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

fn alias_def(def: &TypeDef, ty: &Ty, depth: usize) -> TokenStream {
    let name = type_ident(&def.name);
    let docs = doc_attrs(&docs::type_doc(def.doc.as_deref()));
    let ty = ty_tokens(ty, depth);
    quote! {
        #docs
        pub type #name = #ty;
    }
}

fn type_defs(ir: &Ir, depth: usize, schemars: Schemars) -> TokenStream {
    let sent = ir.sent_named();
    let items = ir.types.iter().map(|def| match &def.kind {
        TypeDefKind::Struct(s) => struct_def(
            def,
            s,
            depth,
            None,
            sent.contains(def.name.as_str()),
            schemars,
        ),
        TypeDefKind::Enum(e) => enum_def(def, e, schemars),
        TypeDefKind::Alias(ty) => alias_def(def, ty, depth),
        // requests live in api modules only
        TypeDefKind::Request(_) => TokenStream::new(),
    });
    quote!(#(#items)*)
}

fn api_module(ir: &Ir, settings: &Settings, module: &Module, depth: usize) -> RustModule {
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
                    let mut tokens = struct_def(
                        def,
                        &request,
                        depth,
                        Some((op, lines)),
                        true,
                        settings.schemars,
                    );
                    tokens.extend(operation_impl(&module.api, op, depth));
                    tokens.extend(error_enum(ir, op, depth));
                    tokens
                }
                None => TokenStream::new(),
            },
            TypeDefKind::Struct(s) => struct_def(def, s, depth, None, s.strict, settings.schemars),
            TypeDefKind::Enum(e) => enum_def(def, e, settings.schemars),
            TypeDefKind::Alias(ty) => alias_def(def, ty, depth),
        });
    }
    let name = naming::module_path(&module.api).pop().unwrap_or_default();
    RustModule {
        name,
        public: true,
        doc: docs::module_doc(settings, module),
        items,
        children: Vec::new(),
        source: Some(settings.source(&module.source)),
    }
}

fn operation_impl(api: &str, op: &OperationIr, depth: usize) -> TokenStream {
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
        Some(ty) => ty_tokens(ty, depth),
        None => quote!(()),
    };
    let kind = match &op.event {
        Some(event) => {
            let event = match event {
                Some(ty) => ty_tokens(ty, depth),
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
        RuleIr::Pattern(p) => quote!(::pims_runtime::Rule::Pattern(#p)),
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

/// The fields of a catalogue variant: its placeholders, then sub-codes.
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

/// The declaration of a catalogue error's variant, with its docs and fields.
fn error_variant(e: &ErrorVariant) -> TokenStream {
    let variant = variant_ident(&e.name);
    let doc = doc_attrs(&docs::error_doc(e));
    let fields = variant_fields(e);
    if fields.is_empty() {
        quote!(#doc #variant,)
    } else {
        let fields = fields.iter().map(|(n, t, d)| {
            let d = format!(" {d}");
            quote!(#[doc = #d] #n: #t,)
        });
        quote!(#doc #variant { #(#fields)* },)
    }
}

/// `Variant` or `Variant { a, b }` (a pattern or an expression).
fn variant_shape(owner: &TokenStream, e: &ErrorVariant) -> TokenStream {
    let variant = variant_ident(&e.name);
    let names: Vec<Ident> = variant_fields(e).into_iter().map(|(n, _, _)| n).collect();
    if names.is_empty() {
        quote!(#owner::#variant)
    } else {
        quote!(#owner::#variant { #(#names),* })
    }
}

/// The catalogue: `Error`, every code.
fn catalogue(ir: &Ir) -> TokenStream {
    let this = quote!(Self);
    let variants = ir.errors.iter().map(error_variant);
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
        let shape = variant_shape(&this, e);
        let holes: Vec<Ident> = e
            .placeholders
            .iter()
            .map(|h| ident(&naming::placeholder(h)))
            .collect();
        let n = holes.len();
        let captures = (n > 0).then(|| {
            quote!(let [#(#holes),*] = ::pims_runtime::label::captures::<#n>(#label, &error.label);)
        });
        let sub_codes = e
            .sub_codes
            .then(|| quote!(let sub_codes = error.sub_code.unwrap_or_default();));
        quote! {
            #code => {
                #captures
                #sub_codes
                #shape
            }
        }
    });
    let label_arms = ir.errors.iter().map(|e| {
        let label = &e.label;
        let holes: Vec<Ident> = e
            .placeholders
            .iter()
            .map(|h| ident(&naming::placeholder(h)))
            .collect();
        if holes.is_empty() {
            let pattern = variant_pattern_ignoring(&this, e);
            quote!(#pattern => ::std::string::String::from(#label),)
        } else {
            let variant = variant_ident(&e.name);
            quote!(Self::#variant { #(#holes,)* .. } => ::pims_runtime::label::fill(#label, &[#(#holes.as_deref()),*]),)
        }
    });
    quote! {
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

fn variant_pattern_ignoring(owner: &TokenStream, e: &ErrorVariant) -> TokenStream {
    let variant = variant_ident(&e.name);
    if variant_fields(e).is_empty() {
        quote!(#owner::#variant)
    } else {
        quote!(#owner::#variant { .. })
    }
}

/// An operation's error enum: its listed codes, and `Unlisted` for the others.
fn error_enum(ir: &Ir, op: &OperationIr, depth: usize) -> TokenStream {
    let name = type_ident(&op.error_type);
    let root = to_root(depth);
    let catalogue = quote!(#root Error);
    let listed: Vec<&ErrorVariant> = op.errors.iter().filter_map(|c| ir.error(*c)).collect();
    let variants = listed.iter().map(|e| error_variant(e));
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
    // an operation that lists no code has `Unlisted` only: no match to write
    let (from_body, into_body) = if listed.is_empty() {
        (
            quote!(Self::Unlisted(error)),
            quote! {
                let #name::Unlisted(other) = error;
                other
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
                #catalogue::from(self.clone()).code()
            }
        }

        impl ::pims_runtime::FromWire for #name {
            fn from_wire(error: ::pims_runtime::WireError) -> Self {
                <#catalogue as ::pims_runtime::FromWire>::from_wire(error).into()
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&#catalogue::from(self.clone()), f)
            }
        }

        impl ::std::error::Error for #name {}
    }
}
