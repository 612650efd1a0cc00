//! `allOf`: merging object schemas into one struct, extending a large named struct by
//! flattening it, and objects combined with one union.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::unions::push_flattened;
use super::*;
use crate::diagnostics::pointer_push;
use crate::model::naming::field_name;
use crate::model::{Docs, Field, Presence, Primitive, TypeKind, TypeRef};

impl<'a> TypeBuilder<'a> {
    /// `allOf` of object schemas: one struct with the properties of all of them.
    pub(super) fn merge_all_of(
        &mut self,
        name: &str,
        schema: &Schema,
        view: &View,
        pointer: &str,
    ) -> TypeKind {
        let mut properties: Vec<(&str, &ReferenceOr<Box<Schema>>)> = Vec::new();
        let mut required: Vec<&str> = Vec::new();
        let mut additional = None;
        let mut visited = Vec::new();
        let ok = self.collect_object(
            schema,
            &mut properties,
            &mut required,
            &mut additional,
            &mut visited,
        );
        if !ok {
            if let Some(kind) = self.object_with_union(name, view, pointer) {
                return kind;
            }
            self.warn(
                &pointer_push(pointer, "allOf"),
                "allof-not-mergeable",
                "allOf combines schemas that are not all objects; typed as a JSON value",
            );
            return TypeKind::Alias(TypeRef::Prim(Primitive::Json));
        }
        if properties.is_empty() {
            return TypeKind::Alias(self.map_type(additional, name, pointer));
        }
        if let Some(kind) = self.extend_named(name, view, pointer) {
            return kind;
        }
        TypeKind::Struct(self.struct_def(name, &properties, &required, additional, pointer))
    }

    /// `allOf: [{$ref: Big}, {properties: ...}]`, an extension of a large named struct:
    /// the named struct flattened in, and the added properties beside it. Copying its
    /// fields instead would repeat them in every extension (GitHub's description extends
    /// `repository`, 98 fields, in dozens of places).
    pub(super) fn extend_named(
        &mut self,
        name: &str,
        view: &View,
        pointer: &str,
    ) -> Option<TypeKind> {
        /// Smaller bases are merged: `pet.name` reads better than `pet.new_pet.name`.
        const MIN_BASE_FIELDS: usize = 8;
        let mut base = None;
        let mut properties: Properties = view.properties.clone();
        let mut required: Vec<&str> = view.required.clone();
        let mut additional = view.additional;
        for member in view.all_of {
            match member {
                ReferenceOr::Reference { reference } => {
                    if base.replace(reference.as_str()).is_some() {
                        return None;
                    }
                }
                ReferenceOr::Item(s) => {
                    let v = View::of(s);
                    if !v.all_of.is_empty() || !v.one_of.is_empty() || !v.any_of.is_empty() {
                        return None;
                    }
                    if !self.collect_object(
                        s,
                        &mut properties,
                        &mut required,
                        &mut additional,
                        &mut Vec::new(),
                    ) {
                        return None;
                    }
                }
            }
        }
        let reference = base?;
        let base_name = refs::component_key(reference, SCHEMA_REF_PREFIX)
            .and_then(|key| self.component_names.get(&key))?
            .clone();
        let (base_properties, _) = self.object_parts(self.lookup(reference)?)?;
        let overrides = properties
            .iter()
            .any(|(k, _)| base_properties.iter().any(|(b, _)| b == k));
        if base_properties.len() < MIN_BASE_FIELDS || properties.is_empty() || overrides {
            return None;
        }
        let mut def = self.struct_def(name, &properties, &required, additional, pointer);
        let mut field_name = field_name(&base_name);
        while def.fields.iter().any(|f| f.rust_name == field_name) {
            field_name.push('_');
        }
        def.fields.insert(
            0,
            Field {
                wire_name: field_name.clone(),
                rust_name: field_name,
                ty: TypeRef::Named(base_name.clone()),
                presence: Presence::Required,
                // A note, not a description: its link is the generator's own.
                docs: Docs {
                    notes: vec![format!(
                        "The [`{base_name}`] this extends, flattened into the same JSON object."
                    )],
                    ..Docs::default()
                },
                deprecated: false,
                flatten: true,
            },
        );
        Some(TypeKind::Struct(def))
    }

    /// `allOf` of objects and exactly one `oneOf`/`anyOf`: a struct with the objects'
    /// properties and the union flattened beside them.
    pub(super) fn object_with_union(
        &mut self,
        name: &str,
        view: &View,
        pointer: &str,
    ) -> Option<TypeKind> {
        let mut properties: Vec<(&str, &ReferenceOr<Box<Schema>>)> = view.properties.clone();
        let mut required: Vec<&str> = view.required.clone();
        let mut additional = view.additional;
        let mut union = None;
        for (i, member) in view.all_of.iter().enumerate() {
            let s = self.schema_of(member)?;
            let v = View::of(s);
            if !v.one_of.is_empty() || !v.any_of.is_empty() {
                if union.replace((i, member)).is_some() {
                    return None;
                }
            } else if !self.collect_object(
                s,
                &mut properties,
                &mut required,
                &mut additional,
                &mut Vec::new(),
            ) {
                return None;
            }
        }
        let (index, member) = union?;
        let at = pointer_push(&pointer_push(pointer, "allOf"), &index.to_string());
        let union_ty = self
            .resolve(member, &format!("{name}Kind"), &at)
            .into_type();
        let mut def = self.struct_def(name, &properties, &required, additional, pointer);
        push_flattened(&mut def, union_ty);
        Some(TypeKind::Struct(def))
    }

    /// Gathers the properties of an object schema and of everything it `allOf`s.
    /// Returns false when a part is not an object.
    pub(super) fn collect_object<'s>(
        &self,
        schema: &'s Schema,
        properties: &mut Vec<(&'s str, &'s ReferenceOr<Box<Schema>>)>,
        required: &mut Vec<&'s str>,
        additional: &mut Option<&'s AdditionalProperties>,
        visited: &mut Vec<*const Schema>,
    ) -> bool
    where
        'a: 's,
    {
        if visited.contains(&(schema as *const Schema)) {
            return true;
        }
        visited.push(schema as *const Schema);
        let view = View::of(schema);
        for member in view.all_of {
            let Some(s) = self.schema_of(member) else {
                return false;
            };
            if !self.collect_object(s, properties, required, additional, visited) {
                return false;
            }
        }
        if !view.one_of.is_empty() || !view.any_of.is_empty() || !view.enumeration.is_empty() {
            return false;
        }
        match view.kind {
            None | Some("object") => {}
            Some(_) => return false,
        }
        for (k, s) in view.properties {
            match properties.iter_mut().find(|(existing, _)| *existing == k) {
                // A later schema refines a property an earlier one declared.
                Some(slot) => slot.1 = s,
                None => properties.push((k, s)),
            }
        }
        for r in view.required {
            if !required.contains(&r) {
                required.push(r);
            }
        }
        if view.additional.is_some() {
            *additional = view.additional;
        }
        true
    }

    /// The properties and required names of an object schema, `allOf` included.
    pub(super) fn object_parts<'s>(
        &self,
        schema: &'s Schema,
    ) -> Option<(Properties<'s>, Vec<&'s str>)>
    where
        'a: 's,
    {
        let mut properties = Vec::new();
        let mut required = Vec::new();
        let mut additional = None;
        let mut visited = Vec::new();
        self.collect_object(
            schema,
            &mut properties,
            &mut required,
            &mut additional,
            &mut visited,
        )
        .then_some((properties, required))
    }
}

/// Property names and schemas, in order.
pub(super) type Properties<'s> = Vec<(&'s str, &'s ReferenceOr<Box<Schema>>)>;
