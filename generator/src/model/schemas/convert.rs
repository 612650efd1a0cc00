//! Conversion: which Rust shape a schema takes. Schemas that need no named type
//! (primitives, arrays, maps, `allOf: [X]`, nullable wrappers) become type references;
//! the others are defined as structs, enums, unions or aliases by `define_kind`, which
//! hands each case to its own file.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;

use super::unions::push_flattened;
use super::*;
use crate::diagnostics::pointer_push;
use crate::model::{Docs, Primitive, TypeDef, TypeKind, TypeRef};

impl<'a> TypeBuilder<'a> {
    /// The type of a schema that needs no named type of its own (primitives, arrays,
    /// maps, wrappers), or `None` when it does.
    pub(super) fn structural(
        &mut self,
        view: &View,
        hint: &str,
        pointer: &str,
    ) -> Option<Resolved> {
        if view.is_null_only() {
            return Some(Resolved {
                ty: TypeRef::Prim(Primitive::Json),
                nullable: true,
            });
        }
        if !view.all_of.is_empty() && view.properties.is_empty() {
            if let Some(single) = self.single_all_of(view, hint, pointer) {
                return Some(single);
            }
        }
        if !view.one_of.is_empty() || !view.any_of.is_empty() {
            let members = if view.one_of.is_empty() {
                view.any_of
            } else {
                view.one_of
            };
            let key = if view.one_of.is_empty() {
                "anyOf"
            } else {
                "oneOf"
            };
            return self.union_shortcut(members, hint, &pointer_push(pointer, key));
        }
        if !view.all_of.is_empty() || !view.properties.is_empty() {
            return None;
        }
        if view.has_not {
            self.warn(
                pointer,
                "not-schema",
                "`not` cannot be expressed as a Rust type; typed as a JSON value",
            );
            return Some(Resolved::plain(TypeRef::Prim(Primitive::Json)));
        }
        let non_null: Vec<&Value> = view.enumeration.iter().filter(|v| !v.is_null()).collect();
        match view.kind {
            Some("integer") if non_null.iter().any(|v| v.as_i64().is_none()) => {
                self.warn(
                    pointer,
                    "mixed-enum",
                    "an integer enum with values that are not integers is typed as i64",
                );
                Some(Resolved::plain(TypeRef::Prim(Primitive::I64)))
            }
            // Enums get a named type of their own.
            Some("string") | Some("integer") if !non_null.is_empty() => None,
            Some("string") => Some(Resolved::plain(TypeRef::Prim(
                match view.format.as_deref() {
                    Some("date") => Primitive::Date,
                    Some("date-time") => Primitive::DateTime,
                    Some("binary") => Primitive::Bytes,
                    Some("byte") => Primitive::Base64,
                    _ => Primitive::String,
                },
            ))),
            Some("integer") => Some(Resolved::plain(TypeRef::Prim(
                match view.format.as_deref() {
                    Some("int32") | Some("int16") | Some("int8") => Primitive::I32,
                    Some("uint32") | Some("uint16") | Some("uint8") => Primitive::U32,
                    Some("uint64") | Some("uint") => Primitive::U64,
                    _ => Primitive::I64,
                },
            ))),
            Some("number") => {
                if !non_null.is_empty() {
                    self.warn(
                        pointer,
                        "number-enum",
                        "an enum of non-integer numbers is typed as f64",
                    );
                }
                Some(Resolved::plain(TypeRef::Prim(Primitive::F64)))
            }
            Some("boolean") => Some(Resolved::plain(TypeRef::Prim(Primitive::Bool))),
            Some("array") => {
                let item = match view.items {
                    Some(items) => self
                        .resolve_boxed(
                            items,
                            &format!("{hint}Item"),
                            &pointer_push(pointer, "items"),
                        )
                        .into_type(),
                    None => TypeRef::Prim(Primitive::Json),
                };
                Some(Resolved::plain(TypeRef::Vec(Box::new(item))))
            }
            Some("object") => Some(Resolved::plain(self.map_type(
                view.additional,
                hint,
                pointer,
            ))),
            Some("null") => Some(Resolved {
                ty: TypeRef::Prim(Primitive::Json),
                nullable: true,
            }),
            Some(other) => {
                if !non_null.is_empty() {
                    return None;
                }
                self.warn(
                    pointer,
                    "unknown-type",
                    format!("unknown type `{other}`; typed as a JSON value"),
                );
                Some(Resolved::plain(TypeRef::Prim(Primitive::Json)))
            }
            None if !non_null.is_empty() => None,
            None => Some(Resolved::plain(TypeRef::Prim(Primitive::Json))),
        }
    }

    /// An object without declared properties: a map of its `additionalProperties`.
    pub(super) fn map_type(
        &mut self,
        additional: Option<&AdditionalProperties>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        match additional {
            Some(AdditionalProperties::Schema(s)) => {
                let value = self.resolve(
                    s,
                    &format!("{hint}Value"),
                    &pointer_push(pointer, "additionalProperties"),
                );
                match value.into_type() {
                    TypeRef::Prim(Primitive::Json) => TypeRef::Prim(Primitive::JsonObject),
                    ty => TypeRef::Map(Box::new(ty)),
                }
            }
            _ => TypeRef::Prim(Primitive::JsonObject),
        }
    }

    /// `allOf: [X]` (with only documentation beside it) is X itself.
    pub(super) fn single_all_of(
        &mut self,
        view: &View,
        hint: &str,
        pointer: &str,
    ) -> Option<Resolved> {
        let object_like: Vec<&ReferenceOr<Schema>> = view
            .all_of
            .iter()
            .filter(|m| !self.schema_of(m).is_some_and(is_annotation_only))
            .collect();
        // A wrapper that only narrows its member (`type: integer, enum: [1]` beside
        // `allOf: [{$ref: SomeIntegerEnum}]`) is the member's type.
        let narrows_object = view.kind == Some("object") && view.additional.is_some();
        if object_like.len() != 1 || narrows_object {
            return None;
        }
        let index = view
            .all_of
            .iter()
            .position(|m| std::ptr::eq(m, object_like[0]))
            .unwrap_or(0);
        Some(self.resolve(
            object_like[0],
            hint,
            &pointer_push(&pointer_push(pointer, "allOf"), &index.to_string()),
        ))
    }

    /// Builds the named type for `schema`.
    pub(super) fn define(&mut self, name: &str, schema: &Schema, pointer: &str) -> TypeDef {
        let view = View::of(schema);
        let kind = self.define_kind(name, schema, &view, pointer);
        TypeDef {
            name: name.to_string(),
            docs: self.docs(schema, &view, false),
            deprecated: schema.schema_data.deprecated,
            pointer: pointer.to_string(),
            kind,
            features: Vec::new(),
            non_exhaustive: false,
            wire: Default::default(),
        }
    }

    pub(super) fn define_kind(
        &mut self,
        name: &str,
        schema: &Schema,
        view: &View,
        pointer: &str,
    ) -> TypeKind {
        if !view.all_of.is_empty() {
            if view.properties.is_empty() {
                if let Some(single) = self.single_all_of(view, &format!("{name}Inner"), pointer) {
                    return TypeKind::Alias(single.ty);
                }
            }
            return self.merge_all_of(name, schema, view, pointer);
        }
        if !view.one_of.is_empty() || !view.any_of.is_empty() {
            let (members, key) = if view.one_of.is_empty() {
                (view.any_of, "anyOf")
            } else {
                (view.one_of, "oneOf")
            };
            if !view.properties.is_empty() {
                // Properties beside the union: a struct with them and the union
                // flattened in, when the union is one that can be flattened.
                let union_pointer = pointer_push(pointer, key);
                let kind_name = self.claim_name(&format!("{name}Kind"), &union_pointer);
                let slot = self.placeholder();
                let union_kind = self.union(&kind_name, schema, members, &union_pointer);
                if matches!(union_kind, TypeKind::Union(_)) {
                    self.defs[slot] = TypeDef {
                        name: kind_name.clone(),
                        docs: Docs::default(),
                        deprecated: false,
                        pointer: union_pointer,
                        kind: union_kind,
                        features: Vec::new(),
                        non_exhaustive: false,
                        wire: Default::default(),
                    };
                    let mut def = self.struct_def(
                        name,
                        &view.properties,
                        &view.required,
                        view.additional,
                        pointer,
                    );
                    push_flattened(&mut def, TypeRef::Named(kind_name));
                    return TypeKind::Struct(def);
                }
                self.defs.remove(slot);
                self.warn(
                    pointer,
                    "union-with-properties",
                    format!(
                        "properties beside `{key}` are not generated; only the {key} variants are"
                    ),
                );
            }
            return self.union(name, schema, members, &pointer_push(pointer, key));
        }
        if !view.properties.is_empty() {
            return TypeKind::Struct(self.struct_def(
                name,
                &view.properties,
                &view.required,
                view.additional,
                pointer,
            ));
        }
        let non_null: Vec<Value> = view
            .enumeration
            .iter()
            .filter(|v| !v.is_null())
            .cloned()
            .collect();
        if !non_null.is_empty() {
            if let Some(def) = self.enum_def(&non_null, view.kind, schema, pointer) {
                return TypeKind::Enum(def);
            }
        }
        match self.structural(view, name, pointer) {
            Some(r) => TypeKind::Alias(r.ty),
            None => TypeKind::Alias(TypeRef::Prim(Primitive::Json)),
        }
    }

    pub(super) fn docs(&self, schema: &Schema, view: &View, for_field: bool) -> Docs {
        let data = &schema.schema_data;
        let mut notes = Vec::new();
        if for_field {
            if let Some(f) = &view.format {
                if !matches!(
                    f.as_str(),
                    "date" | "date-time" | "int32" | "int64" | "double" | "binary"
                ) {
                    notes.push(format!("Format: `{f}`."));
                }
            }
        }
        match (&view.minimum, &view.maximum) {
            (Some(lo), Some(hi)) if !lo.starts_with('>') && !hi.starts_with('<') => notes.push(
                format!("Range: `{lo}..={hi}` (documented; not checked when decoding)."),
            ),
            (lo, hi) => {
                if let Some(lo) = lo {
                    notes.push(format!("Minimum: `{lo}`."));
                }
                if let Some(hi) = hi {
                    notes.push(format!("Maximum: `{hi}`."));
                }
            }
        }
        if let Some(d) = &data.default {
            notes.push(format!("Default: `{}`.", d.to_string().replace('`', "'")));
        }
        Docs {
            title: data.title.clone(),
            description: data.description.clone(),
            notes,
            example: data.example.clone(),
        }
    }
}

/// A schema that only documents (no type, properties or composition): `allOf` members
/// like `{description: ...}` that add nothing to the shape.
pub(super) fn is_annotation_only(schema: &Schema) -> bool {
    let v = View::of(schema);
    v.kind.is_none()
        && v.properties.is_empty()
        && v.enumeration.is_empty()
        && v.all_of.is_empty()
        && v.one_of.is_empty()
        && v.any_of.is_empty()
        && v.items.is_none()
        && v.additional.is_none()
        && !v.has_not
}
