//! `pims-codegen diff`: what a change of the spec does to the apps that call
//! the SDK, before it is released.
//!
//! Two checked IRs are compared after lowering, so that how a spec is written
//! (file order, shared or inline types, reflowed descriptions) does not count,
//! only what it means:
//!
//! - operations are identified by api + verb + selector (twins that a call
//!   tells apart by platform or by their parameters are paired by platforms,
//!   name, title and parameters; see `pair`);
//! - fields by wire name, inline types by where they sit (`result.trips[].id`);
//! - catalogue errors by code, named types by where they are used (a renamed
//!   type with the same shape is `type-renamed`, not a removal).
//!
//! Each difference is a [`Change`] with a stable kebab-case [`Id`] and two
//! classifications, each with its reason: [`Wire`] (what an app built on the
//! old spec meets when the SDK behaves as the new one: direction matters, a
//! sent value is not a received one) and [`Rust`] (the semver effect on the
//! generated crate, under the policy of `docs/diff.md`). One small function
//! per id decides both: `operations` (operations, their errors, platforms,
//! securities), `fields` (parameters, results and events, their types,
//! enumerations and constraints), `catalogue` (the error catalogue, named
//! types, the SDK's version). [`render`] prints a [`Diff`] for people and
//! pipelines; [`git`] reads a spec folder at a git revision.
//!
//! Not compared, since they are documentation and not contract: descriptions,
//! titles, examples, `since`/`updated`, units, `related`, field `platforms`.

mod catalogue;
mod fields;
pub mod git;
mod operations;
pub mod render;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::ir::{Ir, Module, OperationIr};
use crate::source::Loc;
use crate::spec::{Scalar, Verb, Version};

/// Every kind of change, with its stable id (`Id::as_str`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Id {
    /// A new operation.
    OperationAdded,
    /// An operation is gone.
    OperationRemoved,
    /// The same operation (by name) is called with another selector.
    SelectorChanged,
    /// The same operation (by name) is called with another verb.
    VerbChanged,
    /// A new required parameter (at any depth of the parameters).
    ParameterAddedRequired,
    /// A new optional parameter.
    ParameterAddedOptional,
    /// A parameter is gone.
    ParameterRemoved,
    /// An optional parameter became required.
    ParameterBecameRequired,
    /// A required parameter became optional.
    ParameterBecameOptional,
    /// A parameter has another type.
    ParameterTypeChanged,
    /// The required parameters of a request are in another order.
    ParametersReordered,
    /// A new field in a result or an event.
    ResultFieldAdded,
    /// A field of a result or an event is gone.
    ResultFieldRemoved,
    /// A required field of a result or an event became optional.
    ResultFieldBecameOptional,
    /// An optional field of a result or an event became required.
    ResultFieldBecameRequired,
    /// A result, an event or one of their fields has another type.
    ResultTypeChanged,
    /// `null` is allowed where it was not.
    NullableAdded,
    /// `null` is no longer allowed.
    NullableRemoved,
    /// A member added to an enumeration.
    EnumMemberAdded,
    /// A member removed from an enumeration.
    EnumMemberRemoved,
    /// A member keeps its value and gets another Rust variant.
    EnumMemberRenamed,
    /// A constraint accepts fewer values.
    ConstraintTightened,
    /// A constraint accepts more values.
    ConstraintLoosened,
    /// The value assumed when a field is absent changed.
    DefaultChanged,
    /// Whether an object keeps keys the spec does not list changed.
    AdditionalKeysChanged,
    /// An operation lists a new error code.
    ErrorCodeAdded,
    /// An operation no longer lists an error code.
    ErrorCodeRemoved,
    /// A new code in the catalogue.
    CatalogueErrorAdded,
    /// A code is gone from the catalogue.
    CatalogueErrorRemoved,
    /// A catalogue error has another name (its Rust variant).
    ErrorRenamed,
    /// A catalogue error has another label.
    LabelChanged,
    /// Whether a catalogue error carries sub-codes changed.
    SubCodesChanged,
    /// A catalogue error has another category.
    ErrorCategoryChanged,
    /// An operation belongs to another component.
    ComponentChanged,
    /// An operation requires other securities.
    SecurityChanged,
    /// An operation is available on other platforms.
    PlatformsChanged,
    /// An operation became deprecated.
    Deprecated,
    /// An operation is no longer deprecated.
    DeprecationRemoved,
    /// A generated type has another name, its wire form unchanged.
    TypeRenamed,
    /// A new named type.
    TypeAdded,
    /// A named type is gone.
    TypeRemoved,
    /// `sdk.version` changed.
    SdkVersionChanged,
}

impl Id {
    /// Every id, in the order of `docs/diff.md`.
    pub const ALL: &'static [Id] = &[
        Id::OperationAdded,
        Id::OperationRemoved,
        Id::SelectorChanged,
        Id::VerbChanged,
        Id::ParameterAddedRequired,
        Id::ParameterAddedOptional,
        Id::ParameterRemoved,
        Id::ParameterBecameRequired,
        Id::ParameterBecameOptional,
        Id::ParameterTypeChanged,
        Id::ParametersReordered,
        Id::ResultFieldAdded,
        Id::ResultFieldRemoved,
        Id::ResultFieldBecameOptional,
        Id::ResultFieldBecameRequired,
        Id::ResultTypeChanged,
        Id::NullableAdded,
        Id::NullableRemoved,
        Id::EnumMemberAdded,
        Id::EnumMemberRemoved,
        Id::EnumMemberRenamed,
        Id::ConstraintTightened,
        Id::ConstraintLoosened,
        Id::DefaultChanged,
        Id::AdditionalKeysChanged,
        Id::ErrorCodeAdded,
        Id::ErrorCodeRemoved,
        Id::CatalogueErrorAdded,
        Id::CatalogueErrorRemoved,
        Id::ErrorRenamed,
        Id::LabelChanged,
        Id::SubCodesChanged,
        Id::ErrorCategoryChanged,
        Id::ComponentChanged,
        Id::SecurityChanged,
        Id::PlatformsChanged,
        Id::Deprecated,
        Id::DeprecationRemoved,
        Id::TypeRenamed,
        Id::TypeAdded,
        Id::TypeRemoved,
        Id::SdkVersionChanged,
    ];

    /// The stable kebab-case id.
    pub fn as_str(self) -> &'static str {
        match self {
            Id::OperationAdded => "operation-added",
            Id::OperationRemoved => "operation-removed",
            Id::SelectorChanged => "selector-changed",
            Id::VerbChanged => "verb-changed",
            Id::ParameterAddedRequired => "parameter-added-required",
            Id::ParameterAddedOptional => "parameter-added-optional",
            Id::ParameterRemoved => "parameter-removed",
            Id::ParameterBecameRequired => "parameter-became-required",
            Id::ParameterBecameOptional => "parameter-became-optional",
            Id::ParameterTypeChanged => "parameter-type-changed",
            Id::ParametersReordered => "parameters-reordered",
            Id::ResultFieldAdded => "result-field-added",
            Id::ResultFieldRemoved => "result-field-removed",
            Id::ResultFieldBecameOptional => "result-field-became-optional",
            Id::ResultFieldBecameRequired => "result-field-became-required",
            Id::ResultTypeChanged => "result-type-changed",
            Id::NullableAdded => "nullable-added",
            Id::NullableRemoved => "nullable-removed",
            Id::EnumMemberAdded => "enum-member-added",
            Id::EnumMemberRemoved => "enum-member-removed",
            Id::EnumMemberRenamed => "enum-member-renamed",
            Id::ConstraintTightened => "constraint-tightened",
            Id::ConstraintLoosened => "constraint-loosened",
            Id::DefaultChanged => "default-changed",
            Id::AdditionalKeysChanged => "additional-keys-changed",
            Id::ErrorCodeAdded => "error-code-added",
            Id::ErrorCodeRemoved => "error-code-removed",
            Id::CatalogueErrorAdded => "catalogue-error-added",
            Id::CatalogueErrorRemoved => "catalogue-error-removed",
            Id::ErrorRenamed => "error-renamed",
            Id::LabelChanged => "label-changed",
            Id::SubCodesChanged => "sub-codes-changed",
            Id::ErrorCategoryChanged => "error-category-changed",
            Id::ComponentChanged => "component-changed",
            Id::SecurityChanged => "security-changed",
            Id::PlatformsChanged => "platforms-changed",
            Id::Deprecated => "deprecated",
            Id::DeprecationRemoved => "deprecation-removed",
            Id::TypeRenamed => "type-renamed",
            Id::TypeAdded => "type-added",
            Id::TypeRemoved => "type-removed",
            Id::SdkVersionChanged => "sdk-version-changed",
        }
    }

    /// The id written `s`.
    pub fn parse(s: &str) -> Option<Id> {
        Id::ALL.iter().copied().find(|id| id.as_str() == s)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an app built on the old spec meets when the SDK behaves as the new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wire {
    /// Nothing on the wire changes (names, docs, metadata).
    Info,
    /// The wire changes, and such an app copes.
    Compatible,
    /// Such an app may fail.
    Breaking,
}

impl Wire {
    /// `info`, `compatible`, `breaking`.
    pub fn as_str(self) -> &'static str {
        match self {
            Wire::Info => "info",
            Wire::Compatible => "compatible",
            Wire::Breaking => "breaking",
        }
    }
}

/// The semver effect on the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rust {
    /// Its API does not change (docs, check tables, constants).
    Patch,
    /// Its API grows; code that compiled still compiles.
    Minor,
    /// Code that compiled may not compile, or may mean something else.
    Major,
}

impl Rust {
    /// `patch`, `minor`, `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Rust::Patch => "patch",
            Rust::Minor => "minor",
            Rust::Major => "major",
        }
    }
}

/// One piece of a [`Message`]: our words, or a name or value from a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Words of this generator.
    Text(String),
    /// A name, path or value from a spec: shown as code.
    Code(String),
}

/// A message in pieces, so that each output can escape what comes from a
/// spec (names and values, never descriptions or labels) in its own way.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Message(pub Vec<Piece>);

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for piece in &self.0 {
            match piece {
                Piece::Text(t) => f.write_str(t)?,
                Piece::Code(c) => write!(f, "`{c}`")?,
            }
        }
        Ok(())
    }
}

/// Our words, for [`msg`].
pub(crate) fn t(text: &str) -> Piece {
    Piece::Text(text.to_owned())
}

/// A name or value, for [`msg`].
pub(crate) fn c(code: impl fmt::Display) -> Piece {
    Piece::Code(code.to_string())
}

/// A message of pieces.
pub(crate) fn msg(pieces: Vec<Piece>) -> Message {
    Message(pieces)
}

/// The operation a change belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// The api name.
    pub api: String,
    /// The spec's operation name: the new one where the operation still exists.
    pub operation: String,
    /// The verb (the new one where the operation still exists).
    pub verb: Verb,
    /// Its component (the new one where the operation still exists).
    pub component: String,
    /// Whether the operation exists in the new spec (under `operation`).
    pub in_new: bool,
}

/// One difference between two specs.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// What kind of change.
    pub id: Id,
    /// The operation it belongs to; `None` for the catalogue, named types and the SDK.
    pub scope: Option<Scope>,
    /// Where in the operation: `parameters.vin`, `result.trips[].id`,
    /// `errors.2101`; empty for the operation itself.
    pub path: String,
    /// The wire classification.
    pub wire: Wire,
    /// Why.
    pub wire_reason: String,
    /// The Rust classification.
    pub rust: Rust,
    /// Why.
    pub rust_reason: String,
    /// What changed, in our words (names and values from the specs as code).
    pub message: Message,
    /// The old value, where one is shown (a label, a constraint, a reason).
    pub old_value: Option<String>,
    /// The new value.
    pub new_value: Option<String>,
    /// Where, in the old spec (or where the thing would be, for additions).
    pub old: Option<Loc>,
    /// Where, in the new spec (or where the thing was, for removals).
    pub new: Option<Loc>,
}

/// Both classifications of a change, with their reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Class {
    pub wire: Wire,
    pub wire_reason: &'static str,
    pub rust: Rust,
    pub rust_reason: &'static str,
}

/// A [`Class`].
pub(crate) fn class(
    wire: Wire,
    wire_reason: &'static str,
    rust: Rust,
    rust_reason: &'static str,
) -> Class {
    Class {
        wire,
        wire_reason,
        rust,
        rust_reason,
    }
}

/// Everything that differs between two specs.
#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    /// The old `sdk.version`; `None` when there was no old spec.
    pub old_version: Option<Version>,
    /// The new `sdk.version`.
    pub new_version: Version,
    /// The changes, in a fixed order: the SDK and its catalogue, then apis by
    /// name, operations as written (removed and changed ones, then added ones).
    pub changes: Vec<Change>,
}

impl Diff {
    /// The strongest wire classification, if anything changed.
    pub fn strongest_wire(&self) -> Option<Wire> {
        self.changes.iter().map(|c| c.wire).max()
    }

    /// The strongest Rust classification, if anything changed.
    pub fn strongest_rust(&self) -> Option<Rust> {
        self.changes.iter().map(|c| c.rust).max()
    }

    /// How many changes have each wire classification: `(breaking, compatible, info)`.
    pub fn counts(&self) -> (usize, usize, usize) {
        let n = |w: Wire| self.changes.iter().filter(|c| c.wire == w).count();
        (n(Wire::Breaking), n(Wire::Compatible), n(Wire::Info))
    }

    /// The release the changes call for, compared with the two versions.
    pub fn advice(&self) -> Advice {
        advice(self)
    }
}

/// What kind of release a change of `sdk.version` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// The version went down.
    Down,
    /// The same version.
    None,
    /// `2.3` → `2.3.1`.
    Patch,
    /// `2.3` → `2.4`.
    Minor,
    /// `2.3` → `3.0`.
    Major,
}

/// Semver advice: the release the changes call for, and whether the two
/// `sdk.version`s make at least that release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advice {
    /// The release the strongest change calls for (`None`: nothing changed):
    /// the Rust classification, raised to `major` by a breaking wire change
    /// and to `minor` by a compatible one.
    pub needed: Option<Rust>,
    /// The change of `sdk.version`; `None` without an old spec.
    pub bump: Option<Bump>,
    /// Whether the bump is enough. An unchanged version is not judged (the
    /// release has not been cut yet): the advice says what it must be.
    pub ok: bool,
    /// The advice, in a sentence.
    pub message: String,
}

/// What a wire classification asks of the release.
fn wire_release(w: Wire) -> Rust {
    match w {
        Wire::Breaking => Rust::Major,
        Wire::Compatible => Rust::Minor,
        Wire::Info => Rust::Patch,
    }
}

fn bump(old: Version, new: Version) -> Bump {
    use std::cmp::Ordering;
    match (old.major, old.minor, old.patch).cmp(&(new.major, new.minor, new.patch)) {
        Ordering::Greater => Bump::Down,
        Ordering::Equal => Bump::None,
        Ordering::Less if new.major > old.major => Bump::Major,
        Ordering::Less if new.minor > old.minor => Bump::Minor,
        Ordering::Less => Bump::Patch,
    }
}

fn advice(diff: &Diff) -> Advice {
    let needed = diff
        .changes
        .iter()
        .filter(|c| c.id != Id::SdkVersionChanged)
        .map(|c| c.rust.max(wire_release(c.wire)))
        .max();
    let new = diff.new_version;
    let Some(old) = diff.old_version else {
        return Advice {
            needed,
            bump: None,
            ok: true,
            message: format!("no old spec: {new} is the first release"),
        };
    };
    let bump = bump(old, new);
    let want = |r: Rust| match r {
        Rust::Major => "a major release",
        Rust::Minor => "at least a minor release",
        Rust::Patch => "at least a patch release",
    };
    let made = match bump {
        Bump::Down => "goes down",
        Bump::None => "is unchanged",
        Bump::Patch => "is a patch release",
        Bump::Minor => "is a minor release",
        Bump::Major => "is a major release",
    };
    let (ok, message) = match (needed, bump) {
        (None, Bump::Down) => (false, format!("sdk.version {old} → {new} goes down")),
        (None, Bump::None) => (true, format!("no change; sdk.version {old} is unchanged")),
        (None, _) => (
            true,
            format!("nothing changed but sdk.version {old} → {new}"),
        ),
        (Some(n), Bump::None) => (
            true,
            format!(
                "the changes call for {}: sdk.version {old} is unchanged",
                want(n)
            ),
        ),
        (Some(n), Bump::Down) => (
            false,
            format!(
                "sdk.version {old} → {new} goes down; the changes call for {}",
                want(n)
            ),
        ),
        (Some(n), b) => {
            let enough = match n {
                Rust::Major => b == Bump::Major,
                Rust::Minor => b >= Bump::Minor,
                Rust::Patch => b >= Bump::Patch,
            };
            let verdict = if enough { "enough" } else { "too small" };
            (
                enough,
                format!(
                    "sdk.version {old} → {new} {made}; the changes call for {}: {verdict}",
                    want(n)
                ),
            )
        }
    };
    Advice {
        needed,
        bump: Some(bump),
        ok,
        message,
    }
}

/// Compares an old spec (`None`: there was none, every operation is new) with a new one.
pub fn compare(old: Option<&Ir>, new: &Ir) -> Diff {
    let empty;
    let old_ir = match old {
        Some(ir) => ir,
        None => {
            empty = Ir {
                sdk_name: new.sdk_name.clone(),
                sdk_version: new.sdk_version,
                errors: Vec::new(),
                types: Vec::new(),
                modules: Vec::new(),
                securities: Vec::new(),
                components: Vec::new(),
            };
            &empty
        }
    };
    let mut cx = Cx {
        old: old_ir,
        new,
        out: Vec::new(),
        renamed: BTreeSet::new(),
        named_renames: BTreeSet::new(),
    };
    if old.is_some() {
        catalogue::sdk_version(&mut cx);
    }
    catalogue::errors(&mut cx);
    let mut changes = std::mem::take(&mut cx.out);
    apis(&mut cx);
    let api_changes = std::mem::take(&mut cx.out);
    // after the apis, which found the renamed ones; listed before them
    catalogue::named_types(&mut cx);
    changes.append(&mut cx.out);
    changes.extend(api_changes);
    Diff {
        old_version: old.map(|ir| ir.sdk_version),
        new_version: new.sdk_version,
        changes,
    }
}

/// What the checks share while they run.
pub(crate) struct Cx<'a> {
    pub old: &'a Ir,
    pub new: &'a Ir,
    pub out: Vec<Change>,
    /// Type renames already reported: `(old Rust name, new Rust name)`.
    pub renamed: BTreeSet<(String, String)>,
    /// Named types renamed: `(old neutral name, new neutral name)`.
    pub named_renames: BTreeSet<(String, String)>,
}

impl Cx<'_> {
    /// Records a change.
    #[allow(clippy::too_many_arguments)] // reason: one call site per check; a struct literal reads worse
    pub fn push(
        &mut self,
        scope: Option<&Scope>,
        id: Id,
        path: &str,
        class: Class,
        message: Message,
        old: Option<Loc>,
        new: Option<Loc>,
    ) -> &mut Change {
        self.out.push(Change {
            id,
            scope: scope.cloned(),
            path: path.to_owned(),
            wire: class.wire,
            wire_reason: class.wire_reason.to_owned(),
            rust: class.rust,
            rust_reason: class.rust_reason.to_owned(),
            message,
            old_value: None,
            new_value: None,
            old,
            new,
        });
        let last = self.out.len() - 1;
        &mut self.out[last]
    }
}

/// Values shown with a change.
impl Change {
    /// Sets the old and new values shown with the change.
    pub fn values(&mut self, old: Option<String>, new: Option<String>) {
        self.old_value = old;
        self.new_value = new;
    }
}

/// The identity of an operation on the wire: verb and selector (as a set).
fn key(op: &OperationIr) -> (Verb, Vec<(String, String)>) {
    let mut selector: Vec<(String, String)> = op
        .selector
        .iter()
        .map(|(k, v)| (k.clone(), scalar_key(v)))
        .collect();
    selector.sort();
    (op.verb, selector)
}

/// A selector value with its kind, so that `"1"` and `1` differ.
fn scalar_key(v: &Scalar) -> String {
    match v {
        Scalar::Str(s) => format!("s:{s}"),
        Scalar::Int(i) => format!("i:{i}"),
        Scalar::Num(n) => format!("n:{n}"),
        Scalar::Bool(b) => format!("b:{b}"),
    }
}

/// Whether two platform lists share one (an empty list is every platform).
fn overlap<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    a.is_empty() || b.is_empty() || a.iter().any(|x| b.contains(x))
}

/// Whether `outer` covers every platform of `inner` (empty: every platform).
fn covers<T: PartialEq>(outer: &[T], inner: &[T]) -> bool {
    outer.is_empty() || (!inner.is_empty() && inner.iter().all(|x| outer.contains(x)))
}

fn required_names(op: &OperationIr) -> BTreeSet<&str> {
    op.params
        .iter()
        .filter(|f| f.required)
        .map(|f| f.wire.as_str())
        .collect()
}

/// How alike two operations of the same wire identity are: platforms first
/// (twins on PSA and FCA are distinct calls), then name, title, parameters.
fn likeness(a: &OperationIr, b: &OperationIr) -> (bool, bool, bool, bool, i64) {
    let (ra, rb) = (required_names(a), required_names(b));
    let all_a: BTreeSet<&str> = a.params.iter().map(|f| f.wire.as_str()).collect();
    let all_b: BTreeSet<&str> = b.params.iter().map(|f| f.wire.as_str()).collect();
    let common = all_a.intersection(&all_b).count() as i64;
    let apart = all_a.symmetric_difference(&all_b).count() as i64;
    (
        overlap(&a.compatibility, &b.compatibility),
        overlap(&a.platforms, &b.platforms),
        a.name == b.name,
        a.title == b.title,
        common * 2 - apart + i64::from(ra == rb),
    )
}

/// Pairs the operations of one api: `(old index, new index)`, in old order.
///
/// Operations pair within the same wire identity (verb + selector), the most
/// alike first, one to one. An old operation left over pairs with a new one
/// of its identity that covers its platforms and parameters (twins merged
/// into one operation). What is still left pairs by name (the selector or
/// the verb changed); the rest is removed or added.
pub(crate) fn pair(old: &[OperationIr], new: &[OperationIr]) -> Vec<(usize, usize)> {
    let mut groups: BTreeMap<_, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for (i, op) in old.iter().enumerate() {
        groups.entry(key(op)).or_default().0.push(i);
    }
    for (j, op) in new.iter().enumerate() {
        groups.entry(key(op)).or_default().1.push(j);
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut old_done = vec![false; old.len()];
    let mut new_done = vec![false; new.len()];
    for (olds, news) in groups.values() {
        let mut candidates = Vec::new();
        for &i in olds {
            for &j in news {
                candidates.push((likeness(&old[i], &new[j]), i, j));
            }
        }
        // most alike first; ties in the order written
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
        for (_, i, j) in candidates {
            if !old_done[i] && !new_done[j] {
                old_done[i] = true;
                new_done[j] = true;
                pairs.push((i, j));
            }
        }
        for &i in olds {
            if old_done[i] {
                continue;
            }
            let needs = required_names(&old[i]);
            let merged = news.iter().copied().find(|&j| {
                let n = &new[j];
                let has: BTreeSet<&str> = n.params.iter().map(|f| f.wire.as_str()).collect();
                covers(&n.compatibility, &old[i].compatibility)
                    && covers(&n.platforms, &old[i].platforms)
                    && needs.is_subset(&has)
            });
            if let Some(j) = merged {
                old_done[i] = true;
                pairs.push((i, j));
            }
        }
    }
    // the same name, another identity: the selector or the verb changed
    for (i, op) in old.iter().enumerate() {
        if old_done[i] {
            continue;
        }
        let same: Vec<usize> = (0..new.len())
            .filter(|&j| !new_done[j] && new[j].name == op.name)
            .collect();
        let olds_named = old
            .iter()
            .enumerate()
            .filter(|(k, o)| !old_done[*k] && o.name == op.name)
            .count();
        if let [j] = same[..]
            && olds_named == 1
        {
            old_done[i] = true;
            new_done[j] = true;
            pairs.push((i, j));
        }
    }
    pairs.sort();
    pairs
}

/// The scope of an operation.
pub(crate) fn scope(module: &Module, op: &OperationIr, in_new: bool) -> Scope {
    Scope {
        api: module.api.clone(),
        operation: op.name.clone(),
        verb: op.verb,
        component: op.component.clone(),
        in_new,
    }
}

/// Compares the apis: by name, the operations of each paired and compared.
fn apis(cx: &mut Cx<'_>) {
    let names: BTreeSet<&str> = cx
        .old
        .modules
        .iter()
        .chain(&cx.new.modules)
        .map(|m| m.api.as_str())
        .collect();
    let (old_ir, new_ir) = (cx.old, cx.new);
    for api in names {
        let old_m = old_ir.modules.iter().find(|m| m.api == api);
        let new_m = new_ir.modules.iter().find(|m| m.api == api);
        match (old_m, new_m) {
            (Some(o), Some(n)) => {
                let pairs = pair(&o.operations, &n.operations);
                for (i, op) in o.operations.iter().enumerate() {
                    match pairs.iter().find(|(a, _)| *a == i) {
                        Some(&(_, j)) => operations::compare(cx, o, op, n, &n.operations[j]),
                        None => operations::removed(cx, o, op, Some(n)),
                    }
                }
                for (j, op) in n.operations.iter().enumerate() {
                    if !pairs.iter().any(|(_, b)| *b == j) {
                        operations::added(cx, n, op, Some(o));
                    }
                }
            }
            (Some(o), None) => {
                for op in &o.operations {
                    operations::removed(cx, o, op, None);
                }
            }
            (None, Some(n)) => {
                for op in &n.operations {
                    operations::added(cx, n, op, None);
                }
            }
            (None, None) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn ids_are_unique_kebab_case_and_parse_back() {
        let mut seen = BTreeSet::new();
        for id in Id::ALL {
            let s = id.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert!(s.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{s}");
            assert_eq!(Id::parse(s), Some(*id));
        }
    }

    #[test]
    fn bumps() {
        assert_eq!(bump(v("2.3"), v("2.3")), Bump::None);
        assert_eq!(bump(v("2.3"), v("2.3.1")), Bump::Patch);
        assert_eq!(bump(v("2.3.1"), v("2.4")), Bump::Minor);
        assert_eq!(bump(v("2.3"), v("3.0")), Bump::Major);
        assert_eq!(bump(v("2.3"), v("2.2")), Bump::Down);
        assert_eq!(bump(v("2.3"), v("2.3.0")), Bump::None);
    }
}
