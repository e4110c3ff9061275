//! The spec model to the IR. Runs on a checked spec; what it still cannot name
//! uniquely (a nested type whose generated name is taken) it reports as a
//! diagnostic instead of guessing.

use std::collections::BTreeMap;

use crate::check::TypeTable;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::naming;
use crate::source::Loc;
use crate::spec::{self, Field, NamedMap, Scalar, Shape, Spec, Type, TypeKind, Verb};

use super::examples;
use super::{
    CheckIr, ComponentIr, Deprecation, EnumDef, EnumRepr, ErrorVariant, FieldIr, Ir, MemberIr,
    Module, NumberIr, OperationIr, PathSeg, RuleIr, SecurityIr, StringIr, StructDef, Ty, TyKind,
    TypeDef, TypeDefKind, TypeRef, VariantIr,
};

/// Lowers a checked spec.
pub fn lower(spec: &Spec) -> Result<Ir, Diagnostics> {
    let table = TypeTable::new(spec);
    let mut d = Diagnostics::default();

    let mut named = Sink::new(true);
    let all_named = spec
        .manifest
        .types
        .iter()
        .chain(spec.apis.iter().flat_map(|a| a.types.iter()));
    let mut declared = std::collections::BTreeSet::new();
    for entry in all_named {
        if !declared.insert(entry.name.as_str()) {
            continue;
        }
        named.define_type(&table, &entry.name, entry.name.loc, &entry.value, &mut d);
    }

    let mut modules = Vec::new();
    for api in &spec.apis {
        modules.push(module(spec, &table, api, &named.defs, &mut d));
    }
    // by api name, whatever order the files came in (api names are unique)
    modules.sort_by(|a, b| a.api.cmp(&b.api));

    let mut errors: Vec<ErrorVariant> = spec
        .manifest
        .errors
        .iter()
        .map(|e| ErrorVariant {
            code: e.code.value,
            name: e.name.value.clone(),
            category: e.category.value.clone(),
            label: e.label.value.clone(),
            placeholders: naming::placeholders(&e.label)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            sub_codes: e.sub_codes,
            description: e.description.as_ref().map(|s| s.value.clone()),
            loc: e.code.loc,
        })
        .collect();
    errors.sort_by_key(|e| e.code);
    errors.dedup_by_key(|e| e.code);

    if d.has_errors() {
        return Err(d);
    }
    let mut types: Vec<TypeDef> = named.defs.into_values().map(|(def, _)| def).collect();
    types.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Ir {
        sdk_name: spec.manifest.sdk.name.value.clone(),
        sdk_version: spec.manifest.sdk.version.value,
        errors,
        types,
        modules,
        securities: spec
            .manifest
            .securities
            .iter()
            .map(|s| SecurityIr {
                name: s.name.value.clone(),
                description: s.value.description.as_ref().map(|d| d.value.clone()),
            })
            .collect(),
        components: spec
            .manifest
            .components
            .iter()
            .map(|c| ComponentIr {
                name: c.name.value.clone(),
                title: c.value.title.as_ref().map(|t| t.value.clone()),
                description: c.value.description.as_ref().map(|t| t.value.clone()),
                security: c.value.security.iter().map(|s| s.value.clone()).collect(),
                compatibility: c
                    .value
                    .compatibility
                    .iter()
                    .map(|s| s.value.clone())
                    .collect(),
                connectivity: c.value.connectivity.as_ref().map(|c| c.value),
                since: c.value.since.value,
                updated: c.value.updated.as_ref().map(|u| u.value),
                loc: c.name.loc,
            })
            .collect(),
    })
}

/// Where generated type definitions go: a module's, or the named types'.
struct Sink {
    /// Whether this is the `types` module (references are `TypeRef::Named`).
    named: bool,
    /// Definitions by neutral name, with where they are first needed.
    defs: BTreeMap<String, (TypeDef, Loc)>,
    /// Definition order (for a module's file).
    order: Vec<String>,
    /// Whether objects lowered now are inside parameters (strict).
    in_parameters: bool,
}

impl Sink {
    fn new(named: bool) -> Self {
        Sink {
            named,
            defs: BTreeMap::new(),
            order: Vec::new(),
            in_parameters: false,
        }
    }

    fn reference(&self, name: String) -> TypeRef {
        if self.named {
            TypeRef::Named(name)
        } else {
            TypeRef::Local(name)
        }
    }

    /// Adds a definition, reporting a name already taken.
    fn add(&mut self, def: TypeDef, loc: Loc, d: &mut Diagnostics) -> bool {
        if let Some((_, first)) = self.defs.get(&def.name) {
            d.push(
                Diagnostic::error(
                    Code::NameCollision,
                    loc,
                    format!("the generated type `{}` is needed twice", def.name),
                )
                .note(*first, "it is first needed here")
                .help("rename the field or operation, or declare the shape once under `types:`"),
            );
            return false;
        }
        self.order.push(def.name.clone());
        self.defs.insert(def.name.clone(), (def, loc));
        true
    }

    /// Adds a definition before the ones added since `position` (a struct
    /// comes before the types its fields needed).
    fn add_at(&mut self, position: usize, def: TypeDef, loc: Loc, d: &mut Diagnostics) -> bool {
        if !self.add(def, loc, d) {
            return false;
        }
        if let Some(last) = self.order.pop() {
            self.order.insert(position, last);
        }
        true
    }

    /// A named type's definition: a struct, an enum, or an alias.
    fn define_type(
        &mut self,
        table: &TypeTable<'_>,
        name: &str,
        loc: Loc,
        ty: &Type,
        d: &mut Diagnostics,
    ) {
        let doc = ty.description.as_ref().map(|s| s.value.clone());
        match self.lower_ty(table, ty, name, d) {
            Ty {
                kind: TyKind::Ref(r),
                ..
            } if r.name() == name => {}
            other => {
                let def = TypeDef {
                    name: name.to_owned(),
                    doc,
                    kind: TypeDefKind::Alias(other),
                    loc: ty.loc,
                };
                self.add(def, loc, d);
            }
        }
    }

    /// A type at a use site; objects and enumerations become definitions named `owner`.
    fn lower_ty(
        &mut self,
        table: &TypeTable<'_>,
        ty: &Type,
        owner: &str,
        d: &mut Diagnostics,
    ) -> Ty {
        let doc = ty.description.as_ref().map(|s| s.value.clone());
        let kind = match &ty.kind {
            TypeKind::Named(n) => TyKind::Ref(TypeRef::Named(n.clone())),
            TypeKind::Any => TyKind::Any,
            TypeKind::String(s) => match &s.values {
                Some(values) => {
                    self.enumeration(owner, doc, EnumRepr::Str, values, ty.loc, d);
                    TyKind::Ref(self.reference(owner.to_owned()))
                }
                None => TyKind::String(StringIr {
                    format: s.format.as_ref().map(|v| v.value.clone()),
                    pattern: s.pattern.as_ref().map(|v| v.value.clone()),
                    min_length: s.min_length.as_ref().map(|v| v.value),
                    max_length: s.max_length.as_ref().map(|v| v.value),
                    unit: s.unit.as_ref().map(|v| v.value.clone()),
                }),
            },
            TypeKind::Integer(n) => match &n.values {
                Some(values) => {
                    self.enumeration(owner, doc, EnumRepr::Int, values, ty.loc, d);
                    TyKind::Ref(self.reference(owner.to_owned()))
                }
                None => TyKind::Integer(number(n)),
            },
            TypeKind::Number(n) => TyKind::Number(number(n)),
            TypeKind::Boolean(b) => TyKind::Boolean {
                values: members(b.values.as_deref()),
            },
            TypeKind::Array(a) => TyKind::Array {
                items: Box::new(self.lower_ty(table, &a.items, &naming::items(owner), d)),
                min_items: a.min_items.as_ref().map(|v| v.value),
                max_items: a.max_items.as_ref().map(|v| v.value),
            },
            TypeKind::Object(o) => {
                let position = self.order.len();
                let fields = self.fields(table, &o.fields, owner, d);
                let def = TypeDef {
                    name: owner.to_owned(),
                    doc,
                    kind: TypeDefKind::Struct(StructDef {
                        strict: self.in_parameters,
                        fields,
                        additional: o.additional,
                    }),
                    loc: ty.loc,
                };
                self.add_at(position, def, ty.loc, d);
                TyKind::Ref(self.reference(owner.to_owned()))
            }
        };
        Ty {
            kind,
            nullable: ty.nullable,
        }
    }

    fn enumeration(
        &mut self,
        owner: &str,
        doc: Option<String>,
        repr: EnumRepr,
        values: &[spec::EnumValue],
        loc: Loc,
        d: &mut Diagnostics,
    ) {
        let variants = values
            .iter()
            .map(|v| VariantIr {
                name: v.name.as_ref().map_or_else(
                    || naming::variant(&v.value.value.to_string()),
                    |n| n.value.clone(),
                ),
                value: v.value.value.clone(),
                doc: v.description.as_ref().map(|s| s.value.clone()),
                loc: v.value.loc,
            })
            .collect();
        let def = TypeDef {
            name: owner.to_owned(),
            doc,
            kind: TypeDefKind::Enum(EnumDef { repr, variants }),
            loc,
        };
        self.add(def, loc, d);
    }

    fn fields(
        &mut self,
        table: &TypeTable<'_>,
        fields: &NamedMap<Field>,
        owner: &str,
        d: &mut Diagnostics,
    ) -> Vec<FieldIr> {
        fields
            .iter()
            .map(|f| {
                let nested = naming::nested(owner, &f.name);
                FieldIr {
                    wire: f.name.value.clone(),
                    ty: self.lower_ty(table, &f.value.ty, &nested, d),
                    required: f.value.required,
                    doc: f.value.ty.description.as_ref().map(|s| s.value.clone()),
                    example: f.value.example.as_ref().map(crate::yaml::Node::to_json),
                    default: f.value.default.as_ref().map(crate::yaml::Node::to_json),
                    since: f.value.since.as_ref().map(|v| v.value),
                    platforms: f
                        .value
                        .platforms
                        .iter()
                        .flatten()
                        .map(|p| p.value)
                        .collect(),
                    loc: f.name.loc,
                }
            })
            .collect()
    }
}

fn number(n: &spec::NumberType) -> NumberIr {
    NumberIr {
        minimum: n.minimum.as_ref().map(|v| v.value),
        maximum: n.maximum.as_ref().map(|v| v.value),
        unit: n.unit.as_ref().map(|v| v.value.clone()),
        values: members(n.values.as_deref()),
    }
}

fn members(values: Option<&[spec::EnumValue]>) -> Vec<MemberIr> {
    values
        .unwrap_or_default()
        .iter()
        .map(|v| MemberIr {
            value: v.value.value.clone(),
            doc: v.description.as_ref().map(|s| s.value.clone()),
        })
        .collect()
}

/// Named type definitions by name, as lowered.
type NamedDefs = BTreeMap<String, (TypeDef, Loc)>;

fn module(
    spec: &Spec,
    table: &TypeTable<'_>,
    api: &spec::ApiFile,
    named: &NamedDefs,
    d: &mut Diagnostics,
) -> Module {
    let mut sink = Sink::new(false);
    let mut operations = Vec::new();
    for op in &api.operations {
        let component_name = op.component.as_ref().unwrap_or(&api.component);
        let component = spec.manifest.components.get(component_name);
        let type_name = naming::operation(&op.name);
        // the request goes first in the file, before the types its fields need
        let position = sink.order.len();
        sink.in_parameters = true;
        let params = sink.fields(table, &op.parameters, &type_name, d);
        sink.in_parameters = false;
        let request = TypeDef {
            name: type_name.clone(),
            doc: op.description.as_ref().map(|s| s.value.clone()),
            kind: TypeDefKind::Request(operations.len()),
            loc: op.loc,
        };
        sink.add_at(position, request, op.loc, d);
        let result = match &op.result {
            None | Some(Shape::None(_)) => None,
            Some(Shape::Type(t)) => Some(sink.lower_ty(table, t, &naming::result(&type_name), d)),
        };
        let event = (op.verb.value == Verb::Subscribe).then(|| match &op.events {
            None | Some(Shape::None(_)) => None,
            Some(Shape::Type(t)) => Some(sink.lower_ty(table, t, &naming::event(&type_name), d)),
        });
        let security = op.security.as_ref().map_or_else(
            || {
                component
                    .map(|c| c.value.security.iter().map(|s| s.value.clone()).collect())
                    .unwrap_or_default()
            },
            |list| list.iter().map(|s| s.value.clone()).collect(),
        );
        let compatibility = op.compatibility.as_ref().map_or_else(
            || {
                component
                    .map(|c| {
                        c.value
                            .compatibility
                            .iter()
                            .map(|s| s.value.clone())
                            .collect()
                    })
                    .unwrap_or_default()
            },
            |list| list.iter().map(|s| s.value.clone()).collect(),
        );
        let selector: Vec<(String, Scalar)> = op
            .selector
            .iter()
            .map(|s| (s.name.value.clone(), s.value.value.clone()))
            .collect();
        let mut op_ir = OperationIr {
            name: op.name.value.clone(),
            title: op
                .title
                .as_ref()
                .map_or_else(|| op.name.value.clone(), |t| t.value.clone()),
            type_name: type_name.clone(),
            verb: op.verb.value,
            since: op.since.value,
            updated: op.updated.as_ref().map(|v| v.value),
            component: component_name.value.clone(),
            deprecated: op.deprecated.as_ref().and_then(|dep| match &dep.value {
                spec::Deprecated::Flag(false) => None,
                spec::Deprecated::Flag(true) => Some(Deprecation::Yes),
                spec::Deprecated::Reason(r) => Some(Deprecation::Because(r.clone())),
            }),
            security,
            compatibility,
            platforms: op.platforms.iter().flatten().map(|p| p.value).collect(),
            description: op.description.as_ref().map(|s| s.value.clone()),
            related: op.related.iter().map(|r| r.value.clone()).collect(),
            selector,
            params,
            result,
            event,
            error_type: naming::error(&type_name),
            errors: op.errors.iter().map(|c| c.value).collect(),
            checks: Vec::new(),
            examples: Vec::new(),
            loc: op.loc,
        };
        op_ir.examples = examples::build(table, op, &op_ir);
        operations.push(op_ir);
    }
    let order = std::mem::take(&mut sink.order);
    let mut defs = sink.defs;
    let types: Vec<TypeDef> = order
        .into_iter()
        .filter_map(|n| defs.remove(&n).map(|(def, _)| def))
        .collect();
    let mut module = Module {
        api: api.api.value.clone(),
        source: api.path.clone(),
        description: api.description.as_ref().map(|s| s.value.clone()),
        component: api.component.value.clone(),
        operations,
        types,
    };
    for i in 0..module.operations.len() {
        let checks = checks(&module, named, &module.operations[i].params);
        module.operations[i].checks = checks;
    }
    module
}

/// The runtime check table of an operation's parameters.
fn checks(module: &Module, named: &NamedDefs, params: &[FieldIr]) -> Vec<CheckIr> {
    let mut out = Vec::new();
    let mut path = Vec::new();
    let mut visiting = Vec::new();
    for f in params {
        path.push(PathSeg::Key(f.wire.clone()));
        ty_checks(module, named, &f.ty, &mut path, &mut visiting, &mut out);
        path.pop();
    }
    out
}

fn ty_checks(
    module: &Module,
    named: &NamedDefs,
    ty: &Ty,
    path: &mut Vec<PathSeg>,
    visiting: &mut Vec<String>,
    out: &mut Vec<CheckIr>,
) {
    let push = |rule: RuleIr, out: &mut Vec<CheckIr>| {
        out.push(CheckIr {
            path: path.clone(),
            rule,
        });
    };
    match &ty.kind {
        TyKind::String(s) => {
            if let Some(p) = &s.pattern {
                push(RuleIr::Pattern(p.clone()), out);
            }
            if let Some(n) = s.min_length {
                push(RuleIr::MinLength(n), out);
            }
            if let Some(n) = s.max_length {
                push(RuleIr::MaxLength(n), out);
            }
        }
        TyKind::Integer(n) | TyKind::Number(n) => {
            if let Some(v) = n.minimum {
                push(RuleIr::Minimum(v), out);
            }
            if let Some(v) = n.maximum {
                push(RuleIr::Maximum(v), out);
            }
            if !n.values.is_empty() {
                push(
                    RuleIr::OneOf(n.values.iter().map(|m| m.value.clone()).collect()),
                    out,
                );
            }
        }
        TyKind::Boolean { .. } | TyKind::Any => {}
        TyKind::Array {
            items,
            min_items,
            max_items,
        } => {
            if let Some(n) = min_items {
                push(RuleIr::MinItems(*n), out);
            }
            if let Some(n) = max_items {
                push(RuleIr::MaxItems(*n), out);
            }
            path.push(PathSeg::Each);
            ty_checks(module, named, items, path, visiting, out);
            path.pop();
        }
        TyKind::Ref(r) => {
            if visiting.iter().any(|v| v == r.name()) {
                return;
            }
            visiting.push(r.name().to_owned());
            let def = match r {
                TypeRef::Local(n) => module.types.iter().find(|t| t.name == *n).cloned(),
                TypeRef::Named(n) => named.get(n).map(|(def, _)| def.clone()),
            };
            if let Some(def) = def {
                match def.kind {
                    TypeDefKind::Enum(e) => {
                        push(
                            RuleIr::OneOf(e.variants.iter().map(|v| v.value.clone()).collect()),
                            out,
                        );
                    }
                    TypeDefKind::Alias(inner) => {
                        ty_checks(module, named, &inner, path, visiting, out)
                    }
                    TypeDefKind::Request(_) => {}
                    TypeDefKind::Struct(s) => {
                        for f in &s.fields {
                            path.push(PathSeg::Key(f.wire.clone()));
                            ty_checks(module, named, &f.ty, path, visiting, out);
                            path.pop();
                        }
                    }
                }
            }
            visiting.pop();
        }
    }
}
