//! `oneOf` / `anyOf`: the shortcuts (`[X, null]` is a nullable X, string enums are one
//! open enum), constant members as an enum, and tagged or untagged unions with their
//! discriminator (explicit or implied by a constant property).

use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;

use super::*;
use crate::diagnostics::pointer_push;
use crate::model::naming::{type_name, Namespace};
use crate::model::{
    Docs, Field, Presence, Primitive, StructDef, Tagging, TypeKind, TypeRef, UnionDef, UnionVariant,
};

impl<'a> TypeBuilder<'a> {
    /// `oneOf`/`anyOf` that reduce to a simpler type: `[X, null]` is a nullable X, a
    /// list of strings and string enums is one open string enum. `None` when a union
    /// type is needed.
    pub(super) fn union_shortcut(
        &mut self,
        members: &[ReferenceOr<Schema>],
        hint: &str,
        pointer: &str,
    ) -> Option<Resolved> {
        let mut nullable = false;
        let mut rest: Vec<(usize, &ReferenceOr<Schema>)> = Vec::new();
        for (i, m) in members.iter().enumerate() {
            match self.schema_of(m) {
                Some(s) if View::of(s).is_null_only() => nullable = true,
                _ => rest.push((i, m)),
            }
        }
        if rest.len() == 1 {
            let (i, m) = rest[0];
            let r = self.resolve(m, hint, &pointer_push(pointer, &i.to_string()));
            return Some(Resolved {
                nullable: nullable || r.nullable,
                ty: r.ty,
            });
        }
        if rest.is_empty() {
            return Some(Resolved {
                ty: TypeRef::Prim(Primitive::Json),
                nullable: true,
            });
        }
        None
    }

    pub(super) fn union(
        &mut self,
        name: &str,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        pointer: &str,
    ) -> TypeKind {
        let mut rest: Vec<(usize, &ReferenceOr<Schema>)> = Vec::new();
        for (i, m) in members.iter().enumerate() {
            let is_null = self
                .schema_of(m)
                .is_some_and(|s| View::of(s).is_null_only());
            if !is_null {
                rest.push((i, m));
            }
        }
        // `oneOf` of constants (3.1 style enum with a title per value).
        let consts: Option<Vec<ConstMember>> = rest
            .iter()
            .map(|(_, m)| {
                let s = self.schema_of(m)?;
                let v = View::of(s);
                (v.enumeration.len() == 1 && v.properties.is_empty() && !v.enumeration[0].is_null())
                    .then(|| {
                        (
                            v.enumeration[0].clone(),
                            s.schema_data.title.clone(),
                            s.schema_data.description.clone(),
                        )
                    })
            })
            .collect();
        if let Some(consts) = consts.filter(|c| !c.is_empty()) {
            let values: Vec<Value> = consts.iter().map(|(v, _, _)| v.clone()).collect();
            let kind = if values.iter().all(Value::is_string) {
                Some("string")
            } else {
                Some("integer")
            };
            if let Some(mut def) = self.enum_def(&values, kind, schema, pointer) {
                let mut ns = Namespace::new();
                for (variant, (_, title, description)) in def.variants.iter_mut().zip(&consts) {
                    variant.docs.description = description.clone();
                    if let Some(t) = title {
                        variant.rust_name = ns.claim(&type_name(t, &variant.rust_name));
                    } else {
                        variant.rust_name = ns.claim(&variant.rust_name);
                    }
                }
                def.unknown_variant = ns.claim("Unknown");
                return TypeKind::Enum(def);
            }
        }
        // Strings and string enums: one open enum of every listed value.
        let strings: Option<Vec<Value>> = rest.iter().try_fold(Vec::new(), |mut acc, (_, m)| {
            let v = View::of(self.schema_of(m)?);
            (v.kind == Some("string") && v.format.is_none() && v.properties.is_empty()).then(|| {
                acc.extend(v.enumeration.into_iter().filter(|e| !e.is_null()));
                acc
            })
        });
        if let Some(values) = strings {
            if values.is_empty() {
                return TypeKind::Alias(TypeRef::Prim(Primitive::String));
            }
            if let Some(def) = self.enum_def(&values, Some("string"), schema, pointer) {
                return TypeKind::Enum(def);
            }
        }

        let discriminator = schema.schema_data.discriminator.as_ref();
        // The property whose constant value tells the members apart: the declared
        // discriminator, or one found in the members (serde's internally tagged enums).
        let implicit = self.implicit_tags(&rest, discriminator.map(|d| d.property_name.as_str()));
        let mut ns = Namespace::new();
        let mut variants: Vec<UnionVariant> = Vec::new();
        for (position, (i, m)) in rest.iter().enumerate() {
            let at = pointer_push(pointer, &i.to_string());
            let implicit_tag = implicit.as_ref().map(|(_, tags)| tags[position].clone());
            let (wanted, mut tags) = match m {
                ReferenceOr::Reference { reference } => {
                    let key = refs::component_key(reference, SCHEMA_REF_PREFIX).unwrap_or_default();
                    let tags = match discriminator {
                        Some(d) => {
                            let mapped: Vec<String> = d
                                .mapping
                                .iter()
                                .filter(|(_, target)| *target == reference || **target == key)
                                .map(|(tag, _)| tag.clone())
                                .collect();
                            if mapped.is_empty() {
                                vec![implicit_tag.clone().unwrap_or_else(|| key.clone())]
                            } else {
                                mapped
                            }
                        }
                        None => Vec::new(),
                    };
                    (type_name(&key, &format!("Variant{i}")), tags)
                }
                ReferenceOr::Item(s) => {
                    let wanted = match (&s.schema_data.title, &implicit_tag) {
                        (Some(t), _) => type_name(t, &format!("Variant{i}")),
                        (None, Some(tag)) => type_name(tag, &format!("Variant{i}")),
                        (None, None) => variant_name_for(s, *i),
                    };
                    (wanted, Vec::new())
                }
            };
            if tags.is_empty() {
                tags.extend(implicit_tag);
            }
            let variant_name = ns.claim(&wanted);
            let ty = self
                .resolve(m, &format!("{name}{variant_name}"), &at)
                .into_type();
            if variants.iter().any(|v| v.ty == ty) {
                continue;
            }
            let docs = match m {
                ReferenceOr::Item(s) => Docs {
                    description: s.schema_data.description.clone(),
                    ..Docs::default()
                },
                ReferenceOr::Reference { .. } => Docs::default(),
            };
            variants.push(UnionVariant {
                rust_name: variant_name,
                ty,
                tags,
                docs,
            });
        }
        let property = discriminator
            .map(|d| d.property_name.clone())
            .or(implicit.map(|(p, _)| p));
        let tagging = match property {
            Some(property) if variants.iter().all(|v| !v.tags.is_empty()) => Tagging::Property {
                property,
                unknown_variant: ns.claim("Unknown"),
            },
            Some(_) if discriminator.is_some() => {
                self.warn(
                    pointer,
                    "discriminator-ignored",
                    "the discriminator cannot select every variant (inline variants without a constant tag); decoded by trying each variant in turn",
                );
                Tagging::Untagged
            }
            _ => Tagging::Untagged,
        };
        TypeKind::Union(UnionDef { tagging, variants })
    }

    /// A property that every member requires with a distinct constant string value,
    /// and those values in member order. `wanted` restricts the search to one property.
    pub(super) fn implicit_tags(
        &self,
        members: &[(usize, &ReferenceOr<Schema>)],
        wanted: Option<&str>,
    ) -> Option<(String, Vec<String>)> {
        let first = self.schema_of(members.first()?.1)?;
        let candidates: Vec<String> = match wanted {
            Some(p) => vec![p.to_string()],
            None => {
                let (_, required) = self.object_parts(first)?;
                required.into_iter().map(str::to_string).collect()
            }
        };
        'candidates: for property in candidates {
            let mut values: Vec<String> = Vec::new();
            for (_, m) in members {
                let Some(value) = self
                    .schema_of(m)
                    .and_then(|s| self.constant_property(s, &property))
                else {
                    continue 'candidates;
                };
                if values.contains(&value) {
                    continue 'candidates;
                }
                values.push(value);
            }
            return Some((property, values));
        }
        None
    }

    /// The single string value a required property of `schema` can take.
    pub(super) fn constant_property(&self, schema: &Schema, property: &str) -> Option<String> {
        let (properties, required) = self.object_parts(schema)?;
        if !required.contains(&property) {
            return None;
        }
        let (_, prop) = properties.iter().find(|(k, _)| *k == property)?;
        let prop_schema: &Schema = match prop {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { reference } => self.lookup(reference)?,
        };
        match View::of(prop_schema).enumeration.as_slice() {
            [serde_json::Value::String(v)] => Some(v.clone()),
            [n @ serde_json::Value::Number(_)] if n.as_i64().is_some() => Some(n.to_string()),
            _ => None,
        }
    }
}

/// `(value, title, description)` of a `oneOf` member that is a single constant.
pub(super) type ConstMember = (Value, Option<String>, Option<String>);

/// Adds a union to a struct as a flattened field named `kind`.
pub(super) fn push_flattened(def: &mut StructDef, ty: TypeRef) {
    let mut field_name = "kind".to_string();
    let taken = |name: &str| {
        def.fields.iter().any(|f| f.rust_name == name)
            || def.additional.as_ref().is_some_and(|a| a.rust_name == name)
    };
    while taken(&field_name) {
        field_name.push('_');
    }
    def.fields.push(Field {
        wire_name: field_name.clone(),
        rust_name: field_name,
        ty,
        presence: Presence::Required,
        docs: Docs {
            description: Some("The variant part, flattened into the same JSON object.".into()),
            ..Docs::default()
        },
        deprecated: false,
        flatten: true,
    });
}

/// A variant name for an inline union member without a title.
pub(super) fn variant_name_for(schema: &Schema, index: usize) -> String {
    let view = View::of(schema);
    // `{"Foo": {...}}` with `Foo` required: serde's externally tagged enum variant.
    if let [(only, _)] = view.properties.as_slice() {
        if view.required.contains(only) {
            return type_name(only, &format!("Variant{index}"));
        }
    }
    match view.kind {
        Some("string") if view.enumeration.is_empty() => "String".into(),
        Some("integer") => "Integer".into(),
        Some("number") => "Number".into(),
        Some("boolean") => "Boolean".into(),
        Some("array") => "Array".into(),
        _ => format!("Variant{index}"),
    }
}
