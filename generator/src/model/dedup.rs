//! Identical types defined once. Big specs repeat the same enum or object under many
//! names (GitHub's: 3,438 enums with 628 distinct variant lists); each copy costs the
//! compiler a full set of serde impls. One type of each shape keeps its definition (a
//! schema the spec names before one written inline, then the first in order) and every
//! other becomes `pub type Other = Kept;`, so every name still exists and means the
//! same thing on the wire.
//!
//! Two types are the same shape when everything the user sees through the name is the
//! same: fields (Rust and wire names, types, presence, docs, deprecation), variants and
//! their values, the unknown-value variant, tagging. Only the type's own docs and
//! deprecation may differ: the alias keeps those. References inside a shape compare by
//! what they resolve to, so merging repeats until nothing more merges (two structs
//! that differ only in which of two identical enums they name are merged too).

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use super::{Docs, Tagging, TypeDef, TypeKind, TypeRef};

/// Turns every type with the shape of an earlier one into an alias of it. Returns
/// how many became aliases.
pub fn merge_identical(defs: &mut [TypeDef]) -> usize {
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
            let def = &mut defs[i];
            def.docs.notes.push(format!(
                "The same type as `{target}`: the spec defines both alike."
            ));
            def.kind = TypeKind::Alias(TypeRef::Named(target));
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
    merged
}

/// `#/components/schemas/Name` (or a 2.0 `#/definitions/Name`), not a schema inside one.
fn is_component(pointer: &str) -> bool {
    ["#/components/schemas/", "#/definitions/"]
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
    use crate::model::{EnumDef, EnumRepr, EnumVariant, Field, Presence, Primitive, StructDef};

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.into(),
            docs: Docs {
                description: Some(format!("{name}'s own docs")),
                ..Docs::default()
            },
            deprecated: false,
            pointer: format!("#/components/schemas/{name}"),
            kind,
            features: Vec::new(),
            non_exhaustive: false,
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
        assert_eq!(merge_identical(&mut defs), 1);
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
        inline.pointer = "#/components/schemas/FraudSignal/properties/severity".into();
        let mut defs = vec![inline, def("RiskLevel", state(&["low", "high"]))];
        assert_eq!(merge_identical(&mut defs), 1);
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
        assert_eq!(merge_identical(&mut defs), 2);
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
        // HoldsA (A and C both stand for B).
        assert_eq!(merge_identical(&mut defs), 4);
        assert_eq!(alias_target(&defs[1]), Some("E1"));
        assert_eq!(alias_target(&defs[3]), Some("B"));
        assert_eq!(alias_target(&defs[4]), Some("B"));
        assert!(alias_target(&defs[2]).is_none());
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
        assert_eq!(merge_identical(&mut defs), 0);
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
        assert_eq!(merge_identical(&mut defs), 0);
    }
}
