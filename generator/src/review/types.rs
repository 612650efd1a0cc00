//! The named types of `types.rs`, matched by Rust name; fields and variants likewise.
//! What a struct change breaks depends on whether users build the struct (see
//! [`building`](super::building)).

use std::collections::BTreeMap;

use super::building::Sides;
use super::changes::{field_type, rust_type, Area, Changes, Class, Where};
use super::operations::notes;
use super::pointer_push;
use crate::model::{Api, EnumDef, Field, Presence, StructDef, TypeDef, TypeKind, UnionDef};

pub(super) fn compare(old: &Api, new: &Api, sides: &Sides, out: &mut Changes) {
    let by_name = |api: &'_ Api| -> BTreeMap<String, TypeDef> {
        api.types
            .iter()
            .map(|d| (d.name.clone(), d.clone()))
            .collect()
    };
    let (ot, nt) = (by_name(old), by_name(new));
    for (name, o) in &ot {
        match nt.get(name) {
            None => out.push(
                Class::Breaking,
                Area::Types,
                "type-removed",
                format!("types::{name}"),
                format!("{} removed", what(&o.kind)),
                &Where {
                    old: Some(&o.pointer),
                    new: None,
                },
            ),
            Some(n) => match (defined_by(o, &ot), defined_by(n, &nt)) {
                // Both stand for another type: its own entry reports its changes.
                (Some(a), Some(b)) if a.name == b.name && o.kind == n.kind => {}
                (a, b) if a.is_some() || b.is_some() => {
                    // A type that became an alias of an identical one (the generator
                    // defines each shape once), or stopped being one: the name, its
                    // fields and variants work as before; what it stands for is compared.
                    let resolved = |d: &TypeDef, by: Option<&TypeDef>| -> TypeDef {
                        match by {
                            Some(target) if !matches!(target.kind, TypeKind::Alias(_)) => TypeDef {
                                kind: target.kind.clone(),
                                non_exhaustive: target.non_exhaustive,
                                wire: target.wire,
                                ..d.clone()
                            },
                            _ => d.clone(),
                        }
                    };
                    let (ro, rn) = (resolved(o, a), resolved(n, b));
                    if a.map(|t| &t.name) != b.map(|t| &t.name) {
                        out.push(
                            Class::NonBreaking,
                            Area::Types,
                            "type-alias-target-changed",
                            format!("types::{name}"),
                            match b {
                                Some(t) => format!("now an alias of `{}`, which has its shape (`Debug` prints that name)", t.name),
                                None => "now defined on its own (it was an alias of a type of the same shape)".to_string(),
                            },
                            &Where {
                                old: Some(&o.pointer),
                                new: Some(&n.pointer),
                            },
                        );
                    }
                    typedef(&ro, &rn, sides, out);
                }
                _ => typedef(o, n, sides, out),
            },
        }
    }
    for (name, n) in &nt {
        if !ot.contains_key(name) {
            out.push(
                Class::NonBreaking,
                Area::Types,
                "type-added",
                format!("types::{name}"),
                format!("new {}", what(&n.kind)),
                &Where {
                    old: None,
                    new: Some(&n.pointer),
                },
            );
        }
    }
}

/// The type an alias stands for, through chains of aliases (`None` for a type that is
/// not an alias of a named type).
fn defined_by<'a>(def: &TypeDef, types: &'a BTreeMap<String, TypeDef>) -> Option<&'a TypeDef> {
    let mut current = match &def.kind {
        TypeKind::Alias(crate::model::TypeRef::Named(target)) => types.get(target)?,
        _ => return None,
    };
    for _ in 0..types.len() {
        match &current.kind {
            TypeKind::Alias(crate::model::TypeRef::Named(target)) => match types.get(target) {
                Some(next) => current = next,
                None => break,
            },
            _ => break,
        }
    }
    Some(current)
}

fn what(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(_) => "union enum",
        TypeKind::Alias(_) => "type alias",
        TypeKind::Newtype(_) => "newtype",
    }
}

fn typedef(o: &TypeDef, n: &TypeDef, sides: &Sides, out: &mut Changes) {
    let item = format!("types::{}", n.name);
    let at = Where {
        old: Some(&o.pointer),
        new: Some(&n.pointer),
    };
    if !o.deprecated && n.deprecated {
        out.push(
            Class::NonBreaking,
            Area::Types,
            "type-deprecated",
            &item,
            "now `#[deprecated]`",
            &at,
        );
    }
    // Every struct is emitted `#[non_exhaustive]` (the model's flag still marks only
    // response structs): what a struct change breaks is whether users build it.
    let is_struct = |d: &TypeDef| matches!(d.kind, TypeKind::Struct(_));
    if is_struct(o) && is_struct(n) {
        constructor(o, n, sides, &item, &at, out);
    } else if !o.non_exhaustive && n.non_exhaustive {
        out.push(
            Class::Breaking,
            Area::Types,
            "type-made-non-exhaustive",
            &item,
            "now `#[non_exhaustive]`: exhaustive patterns stop compiling",
            &at,
        );
    }
    out.features_changed("type-feature-changed", &item, &o.features, &n.features, &at);
    match (&o.kind, &n.kind) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => {
            // Only a struct users built before and still build has constructor calls
            // that a change can break.
            let built = sides.old.builds(&o.name) && sides.new.builds(&n.name);
            strukt(a, b, o, n, built.then_some(sides), &item, out)
        }
        (TypeKind::Enum(a), TypeKind::Enum(b)) => {
            enumeration(a, b, n.non_exhaustive, &item, &at, out)
        }
        (TypeKind::Union(a), TypeKind::Union(b)) => union(a, b, n.non_exhaustive, &item, &at, out),
        (TypeKind::Alias(a), TypeKind::Alias(b)) | (TypeKind::Newtype(a), TypeKind::Newtype(b)) => {
            if a != b {
                out.push(
                    Class::Breaking,
                    Area::Types,
                    "type-retyped",
                    &item,
                    format!("stands for `{}` (was `{}`)", rust_type(b), rust_type(a)),
                    &at,
                );
            }
        }
        (a, b) => out.push(
            Class::Breaking,
            Area::Types,
            "type-kind-changed",
            &item,
            format!("is a {} (was a {})", what(b), what(a)),
            &at,
        ),
    }
}

/// A struct users start or stop building: it gains or loses its constructor and setters.
fn constructor(o: &TypeDef, n: &TypeDef, sides: &Sides, item: &str, at: &Where, out: &mut Changes) {
    match (sides.old.builds(&o.name), sides.new.builds(&n.name)) {
        (true, false) => out.push(
            Class::Breaking,
            Area::Types,
            "constructor-removed",
            item,
            "no longer in any request: its constructor `new` and its setters are gone",
            at,
        ),
        (false, true) => out.push(
            Class::NonBreaking,
            Area::Types,
            "constructor-added",
            item,
            "now in a request: built with `new` and setters",
            at,
        ),
        _ => {}
    }
}

/// `built`: the sides, when users build the struct in both versions (with `new`).
fn strukt(
    a: &StructDef,
    b: &StructDef,
    o: &TypeDef,
    n: &TypeDef,
    built: Option<&Sides>,
    item: &str,
    out: &mut Changes,
) {
    let fields = |s: &StructDef| -> BTreeMap<String, Field> {
        s.fields
            .iter()
            .map(|f| (f.rust_name.clone(), f.clone()))
            .collect()
    };
    let (of, nf) = (fields(a), fields(b));
    let at = |f: Option<&Field>, g: Option<&Field>| {
        (
            f.map(|f| pointer_push(&pointer_push(&o.pointer, "properties"), &f.wire_name)),
            g.map(|g| pointer_push(&pointer_push(&n.pointer, "properties"), &g.wire_name)),
        )
    };
    for (name, f) in &of {
        let g = nf.get(name);
        let (po, pn) = at(Some(f), g);
        let w = Where {
            old: po.as_deref(),
            new: pn.as_deref(),
        };
        let field = format!("{item}::{name}");
        match g {
            None => out.push(
                Class::Breaking,
                Area::Types,
                "field-removed",
                field,
                format!("field `{}` removed", f.wire_name),
                &w,
            ),
            Some(g) => field_change(f, g, built, &field, &w, out),
        }
    }
    for (name, g) in &nf {
        if of.contains_key(name) {
            continue;
        }
        let (_, pn) = at(None, Some(g));
        let w = Where {
            old: None,
            new: pn.as_deref(),
        };
        let (class, detail) = added_field(name, g, built);
        out.push(
            class,
            Area::Types,
            "field-added",
            format!("{item}::{name}"),
            detail,
            &w,
        );
    }
    if a.derives_default() && !b.derives_default() {
        out.push(
            Class::Breaking,
            Area::Types,
            "default-removed",
            item,
            "no longer implements `Default` (a field is now required)",
            &Where {
                old: Some(&o.pointer),
                new: Some(&n.pointer),
            },
        );
    }
    let extra = |s: &StructDef| s.additional.as_ref().map(|map| rust_type(&map.value));
    let ptr = Where {
        old: Some(&o.pointer),
        new: Some(&n.pointer),
    };
    match (extra(a), extra(b)) {
        (Some(x), None) => out.push(
            Class::Breaking,
            Area::Types,
            "field-removed",
            format!("{item}::additional_properties"),
            format!("the map of additional properties (`{x}`) is gone"),
            &ptr,
        ),
        // Optional like any map: the constructor leaves it empty.
        (None, Some(y)) => out.push(
            Class::NonBreaking,
            Area::Types,
            "field-added",
            format!("{item}::additional_properties"),
            format!("new map of additional properties (`BTreeMap<String, {y}>`)"),
            &ptr,
        ),
        (Some(x), Some(y)) if x != y => out.push(
            Class::Breaking,
            Area::Types,
            "field-retyped",
            format!("{item}::additional_properties"),
            format!("additional properties are `{y}` (were `{x}`)"),
            &ptr,
        ),
        _ => {}
    }
}

/// A new field breaks only the constructor calls of a struct users build, and only when
/// the constructor takes it.
fn added_field(name: &str, g: &Field, built: Option<&Sides>) -> (Class, String) {
    let ty = field_type(&g.ty, g.presence, g.flatten);
    let Some(sides) = built else {
        return (
            Class::NonBreaking,
            format!(
                "new field `{name}: {ty}` (the struct is `#[non_exhaustive]`; users only read it)"
            ),
        );
    };
    if sides.new.in_constructor(g) {
        (
            Class::Breaking,
            format!("new required field `{name}: {ty}`: `new` takes it as a new argument"),
        )
    } else if matches!(g.presence, Presence::Required) {
        (
            Class::NonBreaking,
            format!("new field `{name}: {ty}` with a single possible value, which `new` fills in"),
        )
    } else {
        let null = if g.presence == Presence::OptionalNullable {
            format!(" (and `.{name}_null()`)")
        } else {
            String::new()
        };
        (
            Class::NonBreaking,
            format!("new optional field `{name}: {ty}`: a new setter `.{name}(value)`{null}"),
        )
    }
}

fn field_change(
    f: &Field,
    g: &Field,
    built: Option<&Sides>,
    field: &str,
    at: &Where,
    out: &mut Changes,
) {
    let (ft, gt) = (
        field_type(&f.ty, f.presence, f.flatten),
        field_type(&g.ty, g.presence, g.flatten),
    );
    // Whether `new` takes the field, in each version (for a struct users build).
    let argument = built.map(|s| (s.old.in_constructor(f), s.new.in_constructor(g)));
    let constructor = match argument {
        Some((false, true)) => "; `new` now takes it as an argument",
        Some((true, false)) => "; `new` no longer takes it: set it with its setter",
        _ => "",
    };
    if ft != gt {
        let kind = if f.ty == g.ty {
            "field-presence-changed"
        } else {
            "field-retyped"
        };
        out.push(
            Class::Breaking,
            Area::Types,
            kind,
            field,
            format!(
                "`{gt}` (was `{ft}`; {:?} → {:?}){constructor}",
                f.presence, g.presence
            ),
            at,
        );
    } else if !constructor.is_empty() {
        // The same Rust type, but the constructor's arguments change: required to
        // optional (or back) behind `Option<T>`, or a type that gained or lost its
        // single possible value.
        let kind = if f.presence != g.presence {
            "field-presence-changed"
        } else {
            "field-constructor-changed"
        };
        out.push(
            Class::Breaking,
            Area::Types,
            kind,
            field,
            format!(
                "same Rust type `{gt}` ({:?} → {:?}){constructor}",
                f.presence, g.presence
            ),
            at,
        );
    } else if f.presence != g.presence || f.flatten != g.flatten {
        out.push(
            Class::WireOnly,
            Area::Types,
            "field-presence-changed",
            field,
            format!(
                "same Rust type `{gt}`, on the wire {:?} (was {:?})",
                g.presence, f.presence
            ),
            at,
        );
    }
    if f.wire_name != g.wire_name {
        out.push(
            Class::WireOnly,
            Area::Types,
            "field-wire-renamed",
            field,
            format!("JSON name `{}` (was `{}`)", g.wire_name, f.wire_name),
            at,
        );
    }
    if f.docs.notes != g.docs.notes {
        out.push(
            Class::WireOnly,
            Area::Types,
            "field-constraints-changed",
            field,
            format!("{} (was {})", notes(&g.docs.notes), notes(&f.docs.notes)),
            at,
        );
    }
    if !f.deprecated && g.deprecated {
        out.push(
            Class::NonBreaking,
            Area::Types,
            "field-deprecated",
            field,
            "now `#[deprecated]`",
            at,
        );
    }
}

fn enumeration(
    a: &EnumDef,
    b: &EnumDef,
    non_exhaustive: bool,
    item: &str,
    at: &Where,
    out: &mut Changes,
) {
    if a.repr != b.repr {
        out.push(
            Class::Breaking,
            Area::Types,
            "enum-repr-changed",
            item,
            format!("values are {:?} (were {:?})", b.repr, a.repr),
            at,
        );
    }
    if a.unknown_variant != b.unknown_variant {
        out.push(
            Class::Breaking,
            Area::Types,
            "variant-renamed",
            format!("{item}::{}", a.unknown_variant),
            format!("the fallback variant is `{}`", b.unknown_variant),
            at,
        );
    }
    for v in &a.variants {
        match b.variants.iter().find(|w| w.rust_name == v.rust_name) {
            None => out.push(
                Class::Breaking,
                Area::Types,
                "variant-removed",
                format!("{item}::{}", v.rust_name),
                format!("value {} removed", v.value),
                at,
            ),
            Some(w) if w.value != v.value => out.push(
                Class::WireOnly,
                Area::Types,
                "variant-wire-changed",
                format!("{item}::{}", v.rust_name),
                format!("value {} (was {})", w.value, v.value),
                at,
            ),
            _ => {}
        }
    }
    for w in &b.variants {
        if !a.variants.iter().any(|v| v.rust_name == w.rust_name) {
            added_variant(
                non_exhaustive,
                item,
                &w.rust_name,
                &format!("value {}", w.value),
                at,
                out,
            );
        }
    }
}

fn added_variant(
    non_exhaustive: bool,
    item: &str,
    variant: &str,
    what: &str,
    at: &Where,
    out: &mut Changes,
) {
    let (class, why) = if non_exhaustive {
        (Class::NonBreaking, "the enum is `#[non_exhaustive]`")
    } else {
        (Class::Breaking, "exhaustive `match`es stop compiling")
    };
    out.push(
        class,
        Area::Types,
        "variant-added",
        format!("{item}::{variant}"),
        format!("new variant ({what}; {why})"),
        at,
    );
}

fn union(
    a: &UnionDef,
    b: &UnionDef,
    non_exhaustive: bool,
    item: &str,
    at: &Where,
    out: &mut Changes,
) {
    if a.tagging != b.tagging {
        use crate::model::Tagging;
        let fallback = |t: &Tagging| match t {
            Tagging::Untagged => None,
            Tagging::Property {
                unknown_variant, ..
            } => Some(unknown_variant.clone()),
        };
        let (fa, fb) = (fallback(&a.tagging), fallback(&b.tagging));
        if fa != fb {
            out.push(
                Class::Breaking,
                Area::Types,
                "union-tagging-changed",
                item,
                format!(
                    "chosen by {:?} (was {:?}); its fallback variant changed",
                    b.tagging, a.tagging
                ),
                at,
            );
        } else {
            out.push(
                Class::WireOnly,
                Area::Types,
                "union-tagging-changed",
                item,
                format!("chosen by {:?} (was {:?})", b.tagging, a.tagging),
                at,
            );
        }
    }
    for v in &a.variants {
        match b.variants.iter().find(|w| w.rust_name == v.rust_name) {
            None => out.push(
                Class::Breaking,
                Area::Types,
                "variant-removed",
                format!("{item}::{}", v.rust_name),
                format!("variant `{}` removed", rust_type(&v.ty)),
                at,
            ),
            Some(w) => {
                if w.ty != v.ty {
                    out.push(
                        Class::Breaking,
                        Area::Types,
                        "variant-retyped",
                        format!("{item}::{}", v.rust_name),
                        format!(
                            "carries `{}` (was `{}`)",
                            rust_type(&w.ty),
                            rust_type(&v.ty)
                        ),
                        at,
                    );
                }
                if w.tags != v.tags {
                    out.push(
                        Class::WireOnly,
                        Area::Types,
                        "variant-wire-changed",
                        format!("{item}::{}", v.rust_name),
                        format!("selected by tags {:?} (was {:?})", w.tags, v.tags),
                        at,
                    );
                }
            }
        }
    }
    for w in &b.variants {
        if !a.variants.iter().any(|v| v.rust_name == w.rust_name) {
            added_variant(
                non_exhaustive,
                item,
                &w.rust_name,
                &format!("carrying `{}`", rust_type(&w.ty)),
                at,
                out,
            );
        }
    }
}
