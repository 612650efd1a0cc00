//! Identical types defined once. Big specs repeat the same enum or object under many
//! names (GitHub's: 3,438 enums with 628 distinct variant lists); each copy costs the
//! compiler a full set of serde impls. One type of each shape keeps its definition and
//! every other becomes `pub type Other = Kept;`, so every name still exists and means
//! the same thing on the wire.
//!
//! The name that keeps the definition is chosen to read well for every user of the
//! shape (see [`choose_keeper`]): a schema the spec names when there is one (the most
//! used of them), otherwise a name that says what the shape is (`StringOrInteger`), the
//! words all its users' names end with (`PullRequestCreationPolicy`), or the most used
//! (then the shortest, least nested) of the inline names. Never the first in order just
//! because it is first: inline names come from where a schema is written, and the first
//! of them has nothing to do with the others.
//!
//! Two types are the same shape when everything the user sees through the name is the
//! same: fields (Rust and wire names, types, presence, docs, deprecation), variants and
//! their values, the unknown-value variant, tagging. Only the type's own docs and
//! deprecation may differ: the alias keeps those. References inside a shape compare by
//! what they resolve to, so merging repeats until nothing more merges (two structs
//! that differ only in which of two identical enums they name are merged too).

use std::cmp::Reverse;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use super::naming::{common_suffix, enum_shape_name, union_shape_name, Namespace, MAX_NAME_LEN};
use super::{Docs, Tagging, TypeDef, TypeKind, TypeRef};

/// Turns every type with the shape of another into an alias of the one that keeps the
/// definition, renamed when no name of the spec reads well for all ([`choose_keeper`]).
/// `uses` are the references from outside the types (the operations' parameters, bodies
/// and responses): with the references between types, they tell which name is used
/// most. `names` holds every type name, so that a new name takes none of them. Returns
/// how many types became aliases.
pub fn merge_identical<'a>(
    defs: &mut Vec<TypeDef>,
    uses: impl IntoIterator<Item = &'a TypeRef>,
    names: &mut Namespace,
) -> usize {
    let index: HashMap<String, usize> = defs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.clone(), i))
        .collect();
    // Which types name each type directly: they may merge once it has.
    let mut named_by: Vec<Vec<usize>> = vec![Vec::new(); defs.len()];
    for (i, def) in defs.iter().enumerate() {
        for ty in def.kind.references() {
            ty.visit_names(&mut |n| {
                if let Some(&j) = index.get(n) {
                    named_by[j].push(i);
                }
            });
        }
    }
    // How often each name is written, in types and in operations.
    let mut used: Vec<usize> = named_by.iter().map(Vec::len).collect();
    for ty in uses {
        ty.visit_names(&mut |n| {
            if let Some(&j) = index.get(n) {
                used[j] += 1;
            }
        });
    }
    // Which of two alike types keeps the definition: one the spec names (a component)
    // before one named after where it is written inline, then the first in order.
    let named: Vec<bool> = defs.iter().map(|d| is_component(&d.pointer)).collect();
    let rank = |i: usize| (!named[i], i);
    // Name → the name it now stands for.
    let mut canonical: HashMap<String, String> = HashMap::new();
    // Shape hash → the types that define a shape with that hash, and each type's hash.
    let mut defining: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut hash_of: Vec<Option<u64>> = vec![None; defs.len()];
    // The types that merged into each type.
    let mut merged_into: Vec<Vec<usize>> = vec![Vec::new(); defs.len()];
    let mut dirty: Vec<usize> = (0..defs.len()).collect();
    let mut merged = 0;
    while !dirty.is_empty() {
        let mut round = Vec::new();
        for i in dirty {
            if canonical.contains_key(&defs[i].name) {
                continue;
            }
            let Some(hash) = shape_hash(&defs[i].kind, &canonical) else {
                continue;
            };
            if let Some(old) = hash_of[i].take() {
                if let Some(bucket) = defining.get_mut(&old) {
                    bucket.retain(|&j| j != i);
                }
            }
            let bucket = defining.entry(hash).or_default();
            let alike = bucket
                .iter()
                .position(|&j| same_shape(&defs[i].kind, &defs[j].kind, &canonical));
            match alike.map(|k| (k, bucket[k])) {
                Some((_, first)) if rank(first) < rank(i) => round.push((i, first)),
                // A type that ranks first now has the shape of a later one: it keeps
                // the definition, whatever the order of discovery.
                Some((k, later)) => {
                    round.push((later, i));
                    bucket[k] = i;
                    hash_of[later] = None;
                    hash_of[i] = Some(hash);
                }
                None => {
                    bucket.push(i);
                    hash_of[i] = Some(hash);
                }
            }
        }
        merged += round.len();
        let mut next = Vec::new();
        for (i, first) in round {
            let target = defs[first].name.clone();
            canonical.insert(defs[i].name.clone(), target.clone());
            defs[i].kind = TypeKind::Alias(TypeRef::Named(target));
            merged_into[first].push(i);
            // Whatever names this type, or a type that merged into it, now names `first`.
            let mut stack = vec![i];
            while let Some(j) = stack.pop() {
                next.extend(named_by[j].iter().copied());
                stack.extend(merged_into[j].iter().copied());
            }
        }
        next.sort_unstable();
        next.dedup();
        dirty = next;
    }
    let aliased: Vec<bool> = defs
        .iter()
        .map(|d| canonical.contains_key(&d.name))
        .collect();
    name_shared(defs, &merged_into, aliased, &used, names);
    merged
}

/// Who keeps the definition of a shared shape.
#[derive(Debug, PartialEq)]
enum Keeper {
    /// One of the types that share it, by index.
    Member(usize),
    /// A new type of this name (claimed); every type that shares it is an alias.
    New(String),
}

/// Moves the definition of every shared shape to the name [`choose_keeper`] picks,
/// makes every other type of the shape an alias of it (directly) and notes so on each
/// alias. New types go just before the first type of their shape.
fn name_shared(
    defs: &mut Vec<TypeDef>,
    merged_into: &[Vec<usize>],
    mut aliased: Vec<bool>,
    used: &[usize],
    names: &mut Namespace,
) {
    for def in defs.iter() {
        names.reserve(&def.name);
    }
    let mut added: Vec<(usize, TypeDef)> = Vec::new();
    for kept in 0..defs.len() {
        if aliased[kept] || merged_into[kept].is_empty() {
            continue;
        }
        let mut group = vec![kept];
        let mut k = 0;
        while k < group.len() {
            group.extend(merged_into[group[k]].iter().copied());
            k += 1;
        }
        group.sort_unstable();
        let holder = match choose_keeper(defs, kept, &group, used, names) {
            Keeper::Member(m) if m == kept => continue,
            Keeper::Member(m) => Some(m),
            Keeper::New(name) => {
                added.push((group[0], shape_def(defs, kept, &group, name)));
                None
            }
        };
        let target = match holder {
            Some(m) => defs[m].name.clone(),
            None => added
                .last()
                .map(|(_, d)| d.name.clone())
                .unwrap_or_default(),
        };
        let alias = TypeKind::Alias(TypeRef::Named(target));
        let kind = std::mem::replace(&mut defs[kept].kind, alias.clone());
        aliased[kept] = true;
        for &i in &group {
            if Some(i) == holder {
                defs[i].kind = kind.clone();
                aliased[i] = false;
            } else if i != kept {
                defs[i].kind = alias.clone();
            }
        }
    }
    for (def, _) in defs.iter_mut().zip(&aliased).filter(|(_, &a)| a) {
        if let TypeKind::Alias(TypeRef::Named(target)) = &def.kind {
            let note = format!("The same type as `{target}`: the spec defines both alike.");
            def.docs.notes.push(note);
        }
    }
    if added.is_empty() {
        return;
    }
    added.sort_by_key(|(at, _)| *at);
    let mut added = added.into_iter().peekable();
    for (i, def) in std::mem::take(defs).into_iter().enumerate() {
        while let Some((_, new)) = added.next_if(|(at, _)| *at == i) {
            defs.push(new);
        }
        defs.push(def);
    }
}

/// The name a shared shape is defined under, in this order:
/// 1. a schema the spec names (a component) when one shares it: the most used of them,
///    then the first; the spec's own names are always good ones;
/// 2. for a union of primitives, its shape (`StringOrInteger`): nothing says better
///    what a title that may be a string or a number is;
/// 3. the words all the names end with, less words of place (`ReposGetPullRequest
///    CreationPolicy` and `MinimalRepositoryPullRequestCreationPolicy` →
///    `PullRequestCreationPolicy`), when that is one of them or no type's name yet:
///    what every user calls it;
/// 4. for a string enum of two or three one-word values, its values (`OpenOrClosed`);
/// 5. the inline name used most, then the shortest (the least nested), then the first.
///
/// A new name (2 to 4) is claimed in `names`: a shape name that is taken is told apart
/// by a hash of the keeper's place (`StringOrInteger7C1D`), a common suffix that is
/// taken is not used.
fn choose_keeper(
    defs: &[TypeDef],
    kept: usize,
    group: &[usize],
    used: &[usize],
    names: &mut Namespace,
) -> Keeper {
    let component = group
        .iter()
        .copied()
        .filter(|&i| is_component(&defs[i].pointer))
        .min_by_key(|&i| (Reverse(used[i]), i));
    if let Some(m) = component {
        return Keeper::Member(m);
    }
    let kind = &defs[kept].kind;
    // A new name made after every other: when taken, told apart by the place of the
    // type that keeps the definition.
    let id = format!("{}#shape", defs[kept].pointer);
    if let Some(name) = union_shape_name(kind) {
        return Keeper::New(names.claim_for(&name, &id));
    }
    if let Some(name) = common_suffix(group.iter().map(|&i| defs[i].name.as_str())) {
        if let Some(&m) = group.iter().find(|&&i| defs[i].name == name) {
            return Keeper::Member(m);
        }
        if name.len() <= MAX_NAME_LEN && !names.is_taken(&name) {
            return Keeper::New(names.claim_for(&name, &id));
        }
    }
    if let Some(name) = enum_shape_name(kind) {
        return Keeper::New(names.claim_for(&name, &id));
    }
    let central = group
        .iter()
        .copied()
        .min_by_key(|&i| (Reverse(used[i]), defs[i].name.len(), i));
    Keeper::Member(central.unwrap_or(kept))
}

/// The new type that defines a shared shape under a name of its own: the definition of
/// `kept`, the docs all the types share (if they share them), and a note naming them.
fn shape_def(defs: &[TypeDef], kept: usize, group: &[usize], name: String) -> TypeDef {
    let first = &defs[kept].docs;
    let shared = group.iter().all(|&i| {
        let docs = &defs[i].docs;
        (&docs.title, &docs.description) == (&first.title, &first.description)
    });
    let mut docs = Docs::default();
    if shared {
        docs.title = first.title.clone();
        docs.description = first.description.clone();
    }
    let listed: Vec<String> = group
        .iter()
        .take(3)
        .map(|&i| format!("`{}`", defs[i].name))
        .collect();
    let more = match group.len().saturating_sub(listed.len()) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    docs.notes.push(format!(
        "The shape the spec defines alike as {}{more}: each of them is an alias of this type.",
        listed.join(", ")
    ));
    TypeDef {
        name,
        docs,
        deprecated: group.iter().all(|&i| defs[i].deprecated),
        pointer: defs[kept].pointer.clone(),
        kind: defs[kept].kind.clone(),
        features: Vec::new(),
        non_exhaustive: false,
        wire: Default::default(),
    }
}

/// `/components/schemas/Name` (or a 2.0 `/definitions/Name`), not a schema inside one;
/// with or without the `#` of a reference. Keys are escaped (`~1` for `/`) in pointers.
fn is_component(pointer: &str) -> bool {
    let pointer = pointer.strip_prefix('#').unwrap_or(pointer);
    ["/components/schemas/", "/definitions/"]
        .iter()
        .any(|prefix| {
            pointer
                .strip_prefix(prefix)
                .is_some_and(|rest| !rest.contains('/'))
        })
}

/// A hash of what decides a type's shape, with names resolved to what they stand for;
/// `None` for the kinds that are never merged (aliases and newtypes are cheap already).
fn shape_hash(kind: &TypeKind, canonical: &HashMap<String, String>) -> Option<u64> {
    let mut h = DefaultHasher::new();
    match kind {
        TypeKind::Struct(s) => {
            0u8.hash(&mut h);
            for f in &s.fields {
                (&f.wire_name, &f.rust_name, f.deprecated, f.flatten).hash(&mut h);
                std::mem::discriminant(&f.presence).hash(&mut h);
                hash_ref(&f.ty, canonical, &mut h);
                hash_docs(&f.docs, &mut h);
            }
            if let Some(a) = &s.additional {
                a.rust_name.hash(&mut h);
                hash_ref(&a.value, canonical, &mut h);
            }
        }
        TypeKind::Enum(e) => {
            1u8.hash(&mut h);
            (std::mem::discriminant(&e.repr), &e.unknown_variant).hash(&mut h);
            for v in &e.variants {
                v.rust_name.hash(&mut h);
                v.value.to_string().hash(&mut h);
                hash_docs(&v.docs, &mut h);
            }
        }
        TypeKind::Union(u) => {
            2u8.hash(&mut h);
            match &u.tagging {
                Tagging::Untagged => 0u8.hash(&mut h),
                Tagging::Property {
                    property,
                    unknown_variant,
                } => (1u8, property, unknown_variant).hash(&mut h),
            }
            for v in &u.variants {
                (&v.rust_name, &v.tags).hash(&mut h);
                hash_ref(&v.ty, canonical, &mut h);
                hash_docs(&v.docs, &mut h);
            }
        }
        TypeKind::Alias(_) | TypeKind::Newtype(_) => return None,
    }
    Some(h.finish())
}

fn hash_docs(docs: &Docs, h: &mut DefaultHasher) {
    (&docs.title, &docs.description, &docs.notes).hash(h);
    docs.example.as_ref().map(|e| e.to_string()).hash(h);
}

fn hash_ref(ty: &TypeRef, canonical: &HashMap<String, String>, h: &mut DefaultHasher) {
    std::mem::discriminant(ty).hash(h);
    match ty {
        TypeRef::Named(n) => resolved(n, canonical).hash(h),
        TypeRef::Prim(p) => p.hash(h),
        TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Option(i) | TypeRef::Box(i) => {
            hash_ref(i, canonical, h)
        }
    }
}

/// What a name stands for now (B may have merged into C after A merged into B).
fn resolved<'a>(mut name: &'a str, canonical: &'a HashMap<String, String>) -> &'a str {
    while let Some(target) = canonical.get(name) {
        name = target;
    }
    name
}

/// Whether two kinds define the same shape: equal in everything but the names they
/// hold, which must stand for the same type.
fn same_shape(a: &TypeKind, b: &TypeKind, canonical: &HashMap<String, String>) -> bool {
    let same = |x: &TypeRef, y: &TypeRef| same_ref(x, y, canonical);
    match (a, b) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => {
            a.fields.len() == b.fields.len()
                && a.fields.iter().zip(&b.fields).all(|(x, y)| {
                    x.wire_name == y.wire_name
                        && x.rust_name == y.rust_name
                        && x.presence == y.presence
                        && x.deprecated == y.deprecated
                        && x.flatten == y.flatten
                        && x.docs == y.docs
                        && same(&x.ty, &y.ty)
                })
                && match (&a.additional, &b.additional) {
                    (Some(x), Some(y)) => x.rust_name == y.rust_name && same(&x.value, &y.value),
                    (None, None) => true,
                    _ => false,
                }
        }
        (TypeKind::Enum(a), TypeKind::Enum(b)) => a == b,
        (TypeKind::Union(a), TypeKind::Union(b)) => {
            a.tagging == b.tagging
                && a.variants.len() == b.variants.len()
                && a.variants.iter().zip(&b.variants).all(|(x, y)| {
                    x.rust_name == y.rust_name
                        && x.tags == y.tags
                        && x.docs == y.docs
                        && same(&x.ty, &y.ty)
                })
        }
        _ => false,
    }
}

fn same_ref(a: &TypeRef, b: &TypeRef, canonical: &HashMap<String, String>) -> bool {
    match (a, b) {
        (TypeRef::Named(x), TypeRef::Named(y)) => resolved(x, canonical) == resolved(y, canonical),
        (TypeRef::Prim(x), TypeRef::Prim(y)) => x == y,
        (TypeRef::Vec(x), TypeRef::Vec(y))
        | (TypeRef::Map(x), TypeRef::Map(y))
        | (TypeRef::Option(x), TypeRef::Option(y))
        | (TypeRef::Box(x), TypeRef::Box(y)) => same_ref(x, y, canonical),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        EnumDef, EnumRepr, EnumVariant, Field, Presence, Primitive, StructDef, UnionDef,
        UnionVariant,
    };

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.into(),
            docs: Docs {
                description: Some(format!("{name}'s own docs")),
                ..Docs::default()
            },
            deprecated: false,
            pointer: format!("/components/schemas/{name}"),
            kind,
            features: Vec::new(),
            non_exhaustive: false,
            wire: Default::default(),
        }
    }

    fn state(values: &[&str]) -> TypeKind {
        TypeKind::Enum(EnumDef {
            repr: EnumRepr::String,
            variants: values
                .iter()
                .map(|v| EnumVariant {
                    rust_name: heck::ToUpperCamelCase::to_upper_camel_case(*v),
                    value: serde_json::json!(v),
                    docs: Docs::default(),
                })
                .collect(),
            unknown_variant: "Unknown".into(),
        })
    }

    fn object(fields: &[(&str, TypeRef)]) -> TypeKind {
        TypeKind::Struct(StructDef {
            fields: fields
                .iter()
                .map(|(name, ty)| Field {
                    wire_name: name.to_string(),
                    rust_name: name.to_string(),
                    ty: ty.clone(),
                    presence: Presence::Required,
                    docs: Docs::default(),
                    deprecated: false,
                    flatten: false,
                })
                .collect(),
            additional: None,
        })
    }

    /// A type named after where the spec writes it inline.
    fn inline(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            pointer: format!("/paths/~1{name}/get/responses/200/content/application~1json/schema"),
            ..def(name, kind)
        }
    }

    /// An untagged union of primitives.
    fn either(types: &[Primitive]) -> TypeKind {
        TypeKind::Union(UnionDef {
            tagging: Tagging::Untagged,
            variants: types
                .iter()
                .map(|&p| UnionVariant {
                    rust_name: format!("{p:?}"),
                    ty: TypeRef::Prim(p),
                    tags: Vec::new(),
                    docs: Docs::default(),
                })
                .collect(),
        })
    }

    fn merge(defs: &mut Vec<TypeDef>) -> usize {
        merge_identical(defs, std::iter::empty(), &mut Namespace::new())
    }

    fn alias_target(def: &TypeDef) -> Option<&str> {
        match &def.kind {
            TypeKind::Alias(TypeRef::Named(n)) => Some(n),
            _ => None,
        }
    }

    #[test]
    fn a_repeated_enum_becomes_an_alias_of_the_first_and_keeps_its_docs() {
        let mut defs = vec![
            def("IssueState", state(&["open", "closed"])),
            def("PullState", state(&["open", "closed"])),
            def("Other", state(&["open", "closed", "all"])),
        ];
        assert_eq!(merge(&mut defs), 1);
        assert_eq!(alias_target(&defs[1]), Some("IssueState"));
        assert_eq!(
            defs[1].docs.description.as_deref(),
            Some("PullState's own docs")
        );
        assert!(alias_target(&defs[0]).is_none());
        assert!(alias_target(&defs[2]).is_none(), "another value list");
    }

    #[test]
    fn a_schema_the_spec_names_keeps_the_definition_over_an_inline_one() {
        let mut inline = def("FraudSignalSeverity", state(&["low", "high"]));
        inline.pointer = "/components/schemas/FraudSignal/properties/severity".into();
        let mut defs = vec![inline, def("RiskLevel", state(&["low", "high"]))];
        assert_eq!(merge(&mut defs), 1);
        assert_eq!(alias_target(&defs[0]), Some("RiskLevel"));
        assert!(alias_target(&defs[1]).is_none());
    }

    #[test]
    fn structs_naming_merged_types_merge_in_a_later_round() {
        let mut defs = vec![
            def("StateA", state(&["on", "off"])),
            def("StateB", state(&["on", "off"])),
            def("A", object(&[("state", TypeRef::named("StateA"))])),
            def("B", object(&[("state", TypeRef::named("StateB"))])),
        ];
        assert_eq!(merge(&mut defs), 2);
        assert_eq!(alias_target(&defs[3]), Some("A"));
    }

    #[test]
    fn references_resolve_through_chains_of_merges() {
        let field = |ty: &str| object(&[("e", TypeRef::named(ty))]);
        let mut defs = vec![
            def("E1", state(&["x"])),
            def("E2", state(&["x"])),
            def("B", field("E2")),
            def("A", field("E2")),
            def("C", field("E1")),
            def("HoldsA", object(&[("inner", TypeRef::named("A"))])),
            def("HoldsC", object(&[("inner", TypeRef::named("C"))])),
        ];
        // E2 → E1 and A → B, then C → B (alike now; B comes first), then HoldsC →
        // HoldsA (A and C both stand for B). The definitions then move to the names used
        // most: E2 (named twice) and A (named by HoldsA, before C, named as often).
        assert_eq!(merge(&mut defs), 4);
        assert_eq!(alias_target(&defs[0]), Some("E2"));
        assert!(alias_target(&defs[1]).is_none());
        assert_eq!(alias_target(&defs[2]), Some("A"));
        assert!(alias_target(&defs[3]).is_none());
        assert_eq!(alias_target(&defs[4]), Some("A"));
        assert!(alias_target(&defs[5]).is_none());
        assert_eq!(alias_target(&defs[6]), Some("HoldsA"));
    }

    #[test]
    fn what_the_user_sees_through_a_field_keeps_types_apart() {
        let id = TypeRef::Prim(Primitive::String);
        let mut renamed = def("Renamed", object(&[("id", id.clone())]));
        if let TypeKind::Struct(s) = &mut renamed.kind {
            s.fields[0].wire_name = "ID".into();
        }
        let mut documented = def("Documented", object(&[("id", id.clone())]));
        if let TypeKind::Struct(s) = &mut documented.kind {
            s.fields[0].docs.description = Some("The id.".into());
        }
        let mut defs = vec![def("Plain", object(&[("id", id)])), renamed, documented];
        assert_eq!(merge(&mut defs), 0);
    }

    #[test]
    fn self_referencing_types_are_left_alone() {
        let node = |name: &str| {
            def(
                name,
                object(&[(
                    "next",
                    TypeRef::Option(Box::new(TypeRef::Box(Box::new(TypeRef::named(name))))),
                )]),
            )
        };
        let mut defs = vec![node("ListA"), node("ListB")];
        assert_eq!(merge(&mut defs), 0);
    }

    fn names(defs: &[TypeDef]) -> Vec<(&str, Option<&str>)> {
        defs.iter()
            .map(|d| (d.name.as_str(), alias_target(d)))
            .collect()
    }

    #[test]
    fn a_union_of_primitives_shared_by_unrelated_names_is_named_after_its_shape() {
        let title = [Primitive::String, Primitive::I64];
        let mut defs = vec![
            inline(
                "DependabotSecretBodySelectedRepositoryIdsItem",
                either(&title),
            ),
            inline("Other", object(&[])),
            inline("IssuesCreateBodyTitle", either(&title)),
        ];
        assert_eq!(merge(&mut defs), 1);
        assert_eq!(
            names(&defs),
            [
                ("StringOrInteger", None),
                (
                    "DependabotSecretBodySelectedRepositoryIdsItem",
                    Some("StringOrInteger")
                ),
                ("Other", None),
                ("IssuesCreateBodyTitle", Some("StringOrInteger")),
            ]
        );
        assert_eq!(defs[0].kind, either(&title));
        assert!(defs[0].docs.notes[0].contains("`IssuesCreateBodyTitle`"));
        assert_eq!(
            defs[3].docs.notes,
            ["The same type as `StringOrInteger`: the spec defines both alike."]
        );
        assert_eq!(
            defs[3].docs.description.as_deref(),
            Some("IssuesCreateBodyTitle's own docs")
        );
    }

    #[test]
    fn a_component_that_shares_a_shape_keeps_its_name_the_most_used_first() {
        let tag = || object(&[("name", TypeRef::Prim(Primitive::String))]);
        let mut defs = vec![
            inline("AaaBodyLabelsItem", tag()),
            def("Label", tag()),
            def("Tag", tag()),
            def("Pet", object(&[("tags", TypeRef::named("Tag"))])),
        ];
        let uses = [TypeRef::named("Tag"), TypeRef::named("AaaBodyLabelsItem")];
        assert_eq!(merge_identical(&mut defs, &uses, &mut Namespace::new()), 2);
        assert_eq!(
            names(&defs),
            [
                ("AaaBodyLabelsItem", Some("Tag")),
                ("Label", Some("Tag")),
                ("Tag", None),
                ("Pet", None),
            ]
        );
    }

    #[test]
    fn the_inline_name_used_most_keeps_a_shape_no_rule_names() {
        let page = || object(&[("total", TypeRef::Prim(Primitive::I64))]);
        let mut defs = vec![
            inline("AppsListBodyPage", page()),
            inline("ReposListResponse200", page()),
            inline("UsersGetFooterMeta", page()),
        ];
        let uses = [
            TypeRef::named("ReposListResponse200"),
            TypeRef::Vec(Box::new(TypeRef::named("ReposListResponse200"))),
            TypeRef::named("AppsListBodyPage"),
        ];
        merge_identical(&mut defs, &uses, &mut Namespace::new());
        assert_eq!(
            names(&defs),
            [
                ("AppsListBodyPage", Some("ReposListResponse200")),
                ("ReposListResponse200", None),
                ("UsersGetFooterMeta", Some("ReposListResponse200")),
            ]
        );
        // Used alike: the shortest (least nested) name, not the first.
        let mut defs = vec![
            inline("AppsListBodyPageDetails", page()),
            inline("UsersGetMeta", page()),
        ];
        merge(&mut defs);
        assert_eq!(alias_target(&defs[0]), Some("UsersGetMeta"));
    }

    #[test]
    fn the_words_all_names_end_with_or_the_values_name_a_shared_enum() {
        let mut defs = vec![
            inline(
                "ForkEventPullRequestCreationPolicy",
                state(&["all", "none"]),
            ),
            inline("ReposGetPullRequestCreationPolicy", state(&["all", "none"])),
            inline("IssuesUpdateBodyState", state(&["open", "closed"])),
            inline("PullsListState", state(&["open", "closed"])),
        ];
        merge(&mut defs);
        let defined: Vec<_> = names(&defs)
            .into_iter()
            .filter(|(_, to)| to.is_none())
            .map(|(name, _)| name)
            .collect();
        assert_eq!(defined, ["PullRequestCreationPolicy", "OpenOrClosed"]);
    }

    #[test]
    fn a_new_name_takes_no_name_already_taken() {
        let title = [Primitive::String, Primitive::I64];
        let mut defs = vec![
            inline("ABodyTitle", either(&title)),
            inline("BQueryId", either(&title)),
            // Another type of that name: the shape name is told apart by a hash of
            // the keeper's place.
            def("StringOrInteger", object(&[])),
            inline("CListSide", state(&["left", "right"])),
            inline("DGetSide", state(&["left", "right"])),
        ];
        // A name the types module reserves (say, the runtime's) is taken too.
        let mut taken = Namespace::new();
        taken.reserve("LeftOrRight");
        merge_identical(&mut defs, std::iter::empty(), &mut taken);
        assert_eq!(alias_target(&defs[1]), Some("StringOrIntegerC456"));
        assert_eq!(alias_target(&defs[5]), Some("LeftOrRightD860"));
        let mut seen = std::collections::HashSet::new();
        assert!(defs.iter().all(|d| seen.insert(d.name.clone())));
    }

    #[test]
    fn naming_shared_shapes_is_deterministic() {
        let title = [Primitive::String, Primitive::I64];
        let build = || {
            let mut defs: Vec<TypeDef> = (0..40)
                .map(|i| match i % 4 {
                    0 => inline(&format!("Op{i}BodyTitle"), either(&title)),
                    1 => inline(&format!("Op{i}State"), state(&["on", "off"])),
                    2 => inline(&format!("Op{i}Meta"), object(&[])),
                    _ => def(&format!("Schema{i}"), state(&["x", "y", "z", "w"])),
                })
                .collect();
            let uses: Vec<TypeRef> = (0..40)
                .filter(|i| i % 3 == 0)
                .map(|i| TypeRef::named(&format!("Op{i}Meta")))
                .collect();
            merge_identical(&mut defs, &uses, &mut Namespace::new());
            format!("{defs:?}")
        };
        let first = build();
        assert!(first.contains("OnOrOff"));
        assert!((0..5).all(|_| build() == first));
    }
}
