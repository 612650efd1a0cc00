//! Schemas to Rust types: structs, enums, unions and aliases, with the names of inline
//! schemas derived from where they appear.
//!
//! Split by concern, the way typify splits its conversion: this file holds the
//! [`TypeBuilder`] (names, references, nullability); [`convert`] decides which shape a
//! schema takes; [`structs`], [`enums`], [`unions`] (`oneOf`/`anyOf`) and [`merge`]
//! (`allOf`) build each shape; [`view`] reads a schema's keywords uniformly.

mod convert;
mod enums;
mod merge;
mod structs;
mod unions;
mod view;

use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr, Schema};
use serde_json::Value;

use super::claims::{Claims, Plan, Rank};
use super::naming::{schema_type_name, Namespace};
use super::{Docs, Primitive, TypeDef, TypeKind, TypeRef};
use crate::diagnostics::{pointer_push, Warning};

use super::refs::{self, SCHEMAS as SCHEMA_REF_PREFIX};
use view::View;

/// A schema's type as seen from where it is used.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub ty: TypeRef,
    /// The value may be JSON `null`.
    pub nullable: bool,
}

impl Resolved {
    fn plain(ty: TypeRef) -> Self {
        Resolved {
            ty,
            nullable: false,
        }
    }
    /// The type with `null` folded in, for places with no separate presence rule.
    pub fn into_type(self) -> TypeRef {
        if self.nullable {
            self.ty.option()
        } else {
            self.ty
        }
    }
}

/// Builds named types while operations and components are converted.
pub struct TypeBuilder<'a> {
    api: &'a OpenAPI,
    names: Claims,
    /// Component schema key to Rust type name.
    component_names: IndexMap<String, String>,
    defs: Vec<TypeDef>,
    warnings: Vec<Warning>,
    /// Inline schemas being defined, by address, with their type names: an inline
    /// schema reached again while it is being defined (through a `$ref` back to the
    /// component that holds it) is that same type, not a new one each time round.
    in_progress: Vec<(usize, String)>,
}

impl<'a> TypeBuilder<'a> {
    /// A builder whose type names follow `plan`, the names a previous pass decided
    /// (see [`Claims`]).
    pub fn new(api: &'a OpenAPI, plan: Plan) -> Self {
        // Names the client module defines or imports next to operation types, and the
        // names the crate root exports beside `client::*`: a type made from the spec's
        // places that wants one of them takes the suffix `Model` (`Call` → `CallModel`);
        // a schema the spec names may take them.
        let reserved = crate::embedded::reserved_type_names();
        let mut names = Claims::new(reserved, Rank::Derived, "Model", plan);
        let mut component_names = IndexMap::new();
        if let Some(components) = &api.components {
            for key in components.schemas.keys() {
                let wanted = schema_type_name(key, "Schema");
                let rank = if wanted == *key {
                    Rank::Exact
                } else {
                    Rank::Converted
                };
                let pointer = pointer_push("/components/schemas", key);
                let name = names.claim(&wanted, rank, &pointer);
                component_names.insert(key.clone(), name);
            }
        }
        TypeBuilder {
            api,
            names,
            component_names,
            defs: Vec::new(),
            warnings: Vec::new(),
            in_progress: Vec::new(),
        }
    }

    pub fn warn(&mut self, pointer: &str, class: &'static str, message: impl Into<String>) {
        self.warnings.push(Warning::new(pointer, class, message));
    }

    /// Claims a type name in the shared namespace for the item `id` (operation-level
    /// types: `{pointer}#params`).
    pub fn claim_name(&mut self, wanted: &str, id: &str) -> String {
        self.names.claim(wanted, Rank::Derived, id)
    }

    /// The plan of the type names claimed so far, and whether they are final.
    pub fn settle(&self) -> (Plan, bool) {
        self.names.settle()
    }

    /// Converts every component schema into a named type.
    pub fn components(&mut self) {
        let Some(components) = &self.api.components else {
            return;
        };
        for (key, schema) in &components.schemas {
            let name = self.component_names[key].clone();
            let pointer = pointer_push("/components/schemas", key);
            let def = match schema {
                ReferenceOr::Reference { reference } => {
                    let target = self.reference(reference, &pointer);
                    TypeDef {
                        name,
                        docs: Docs::default(),
                        deprecated: false,
                        pointer,
                        kind: TypeKind::Alias(target.into_type()),
                        features: Vec::new(),
                        non_exhaustive: false,
                        wire: Default::default(),
                    }
                }
                ReferenceOr::Item(schema) => {
                    // Reserve the slot first so the type precedes the inline types it creates.
                    let slot = self.placeholder();
                    let def = self.define(&name, schema, &pointer);
                    self.defs[slot] = def;
                    continue;
                }
            };
            self.defs.push(def);
        }
    }

    /// A type defined so far, by name.
    pub fn find(&self, name: &str) -> Option<&TypeDef> {
        self.defs.iter().find(|d| d.name == name)
    }

    fn placeholder(&mut self) -> usize {
        self.defs.push(TypeDef {
            name: String::new(),
            docs: Docs::default(),
            deprecated: false,
            pointer: String::new(),
            kind: TypeKind::Alias(TypeRef::Prim(Primitive::Json)),
            features: Vec::new(),
            non_exhaustive: false,
            wire: Default::default(),
        });
        self.defs.len() - 1
    }

    pub fn finish(self) -> (Vec<TypeDef>, Vec<Warning>, Namespace) {
        (self.defs, self.warnings, self.names.into_namespace())
    }

    /// The schema behind a component reference, following chains of references.
    fn lookup(&self, reference: &str) -> Option<&'a Schema> {
        let mut reference = reference;
        for _ in 0..32 {
            let key = refs::component_key(reference, SCHEMA_REF_PREFIX)?;
            match self.api.components.as_ref()?.schemas.get(&key)? {
                ReferenceOr::Item(s) => return Some(s),
                ReferenceOr::Reference { reference: next } => reference = next,
            }
        }
        None
    }

    fn reference(&mut self, reference: &str, pointer: &str) -> Resolved {
        let name = refs::component_key(reference, SCHEMA_REF_PREFIX)
            .and_then(|key| self.component_names.get(&key));
        match name {
            Some(name) => Resolved {
                ty: TypeRef::Named(name.clone()),
                nullable: self.lookup(reference).is_some_and(|s| self.admits_null(s)),
            },
            None => {
                self.warn(
                    pointer,
                    "unsupported-ref",
                    format!("reference `{reference}` is not a component schema of this document; typed as a JSON value"),
                );
                Resolved::plain(TypeRef::Prim(Primitive::Json))
            }
        }
    }

    /// The Rust type of a schema used at `pointer`; inline structs, enums and unions
    /// become named types called `hint`.
    pub fn resolve(&mut self, schema: &ReferenceOr<Schema>, hint: &str, pointer: &str) -> Resolved {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(s) => self.inline(s, hint, pointer),
        }
    }

    pub fn resolve_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        hint: &str,
        pointer: &str,
    ) -> Resolved {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(s) => self.inline(s, hint, pointer),
        }
    }

    /// `nullable: true`, `null` among the enum values, or a `null` member of a
    /// `oneOf`/`anyOf` (which the union type itself does not keep, so the place that
    /// uses it must: `anyOf: [A, B, null]` is an optional `A | B`).
    fn admits_null(&self, schema: &Schema) -> bool {
        if admits_null(schema) {
            return true;
        }
        let view = View::of(schema);
        view.one_of.iter().chain(view.any_of.iter()).any(|m| {
            self.schema_of(m)
                .is_some_and(|s| View::of(s).is_null_only())
        })
    }

    /// The schema itself when it is inline, or the component it refers to.
    pub fn schema_of<'s>(&self, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema>
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { reference } => self.lookup(reference),
        }
    }

    fn inline(&mut self, schema: &Schema, hint: &str, pointer: &str) -> Resolved {
        let nullable = self.admits_null(schema);
        let view = View::of(schema);
        if let Some(resolved) = self.structural(&view, hint, pointer) {
            return Resolved {
                nullable: nullable || resolved.nullable,
                ty: resolved.ty,
            };
        }
        // Needs a named type of its own, unless it is being defined already (a cycle;
        // the cycle pass boxes it).
        let address = schema as *const Schema as usize;
        if let Some((_, name)) = self.in_progress.iter().find(|(a, _)| *a == address) {
            return Resolved {
                ty: TypeRef::Named(name.clone()),
                nullable,
            };
        }
        let name = self.names.claim(hint, Rank::Derived, pointer);
        let slot = self.placeholder();
        self.in_progress.push((address, name.clone()));
        let def = self.define(&name, schema, pointer);
        self.in_progress.pop();
        self.defs[slot] = def;
        Resolved {
            ty: TypeRef::Named(name),
            nullable,
        }
    }
}

/// `nullable: true`, or `null` among the enum values.
fn admits_null(schema: &Schema) -> bool {
    schema.schema_data.nullable || View::of(schema).enumeration.iter().any(Value::is_null)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::model::{build, Api, Presence, Primitive, Tagging, TypeDef, TypeKind, TypeRef};

    pub(super) fn model(components: &str) -> Api {
        let text = format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{}",
            components.lines().map(|l| format!("    {l}\n")).collect::<String>()
        );
        let doc = crate::load::load_str(Path::new("t.yaml"), &text).expect("loads");
        build(&doc)
    }

    fn def<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
        api.types
            .iter()
            .find(|d| d.name == name)
            .unwrap_or_else(|| {
                panic!(
                    "no type {name}; have {:?}",
                    api.types.iter().map(|d| &d.name).collect::<Vec<_>>()
                )
            })
    }

    #[test]
    fn null_member_of_a_union_keeps_the_field_nullable() {
        for union in [
            "anyOf: [{$ref: '#/components/schemas/X'}, {$ref: '#/components/schemas/Y'}, {type: 'null'}]",
            "oneOf: [{type: string}, {type: integer}, {type: 'null'}]",
            "anyOf: [{type: string, enum: [a]}, {type: string, enum: [b]}, {type: 'null'}]",
            "anyOf: [{$ref: '#/components/schemas/X'}, {type: 'null'}]",
        ] {
            let api = model(&format!("X: {{type: object, properties: {{a: {{type: string}}}}}}\nY: {{type: object, properties: {{b: {{type: string}}}}}}\nPatch:\n  type: object\n  properties:\n    x:\n      {union}\n"));
            let TypeKind::Struct(s) = &def(&api, "Patch").kind else {
                panic!("struct")
            };
            assert_eq!(s.fields[0].presence, Presence::OptionalNullable, "{union}");
        }
    }

    #[test]
    fn additional_properties_map_and_default_are_decided_in_the_model() {
        let api = model("Bag:\n  type: object\n  properties:\n    additional_properties: {type: string}\n  additionalProperties: {type: integer}\nTight:\n  type: object\n  required: [a]\n  properties:\n    a: {type: string}\n");
        let TypeKind::Struct(bag) = &def(&api, "Bag").kind else {
            panic!("struct")
        };
        let map = bag
            .additional
            .as_ref()
            .expect("a map of the extra properties");
        // A declared field has the usual name: the map takes the next one.
        assert_eq!(map.rust_name, "additional_properties_");
        assert_eq!(map.value, TypeRef::Prim(Primitive::I64));
        assert!(bag.derives_default());
        let TypeKind::Struct(tight) = &def(&api, "Tight").kind else {
            panic!("struct")
        };
        assert!(tight.additional.is_none());
        assert!(!tight.derives_default());
    }

    #[test]
    fn ref_resolves_to_the_component_name() {
        let api = model("Owner:\n  type: object\n  properties:\n    pet: {$ref: '#/components/schemas/pet.v1'}\npet.v1:\n  type: object\n  properties:\n    name: {type: string}\n");
        let TypeKind::Struct(s) = &def(&api, "Owner").kind else {
            panic!("struct")
        };
        assert_eq!(s.fields[0].ty, TypeRef::named("PetV1"));
        assert_eq!(s.fields[0].presence, Presence::Optional);
    }

    #[test]
    fn all_of_merges_properties_and_required() {
        let api = model("Base:\n  type: object\n  required: [id]\n  properties:\n    id: {type: integer, format: int64}\nPet:\n  allOf:\n    - $ref: '#/components/schemas/Base'\n    - type: object\n      required: [name]\n      properties:\n        name: {type: string}\n");
        let TypeKind::Struct(s) = &def(&api, "Pet").kind else {
            panic!("struct")
        };
        let names: Vec<_> = s
            .fields
            .iter()
            .map(|f| (f.rust_name.as_str(), f.presence))
            .collect();
        assert_eq!(
            names,
            [("id", Presence::Required), ("name", Presence::Required)]
        );
    }

    #[test]
    fn nullable_and_optional_are_distinguished() {
        let api = model("S:\n  type: object\n  required: [a, b]\n  properties:\n    a: {type: [string, 'null']}\n    b: {type: string}\n    c: {type: [string, 'null']}\n    d: {oneOf: [{type: integer}, {type: 'null'}]}\n");
        let TypeKind::Struct(s) = &def(&api, "S").kind else {
            panic!("struct")
        };
        let presence: Vec<_> = s.fields.iter().map(|f| f.presence).collect();
        assert_eq!(
            presence,
            [
                Presence::RequiredNullable,
                Presence::Required,
                Presence::OptionalNullable,
                Presence::OptionalNullable
            ]
        );
    }

    #[test]
    fn discriminator_mapping_tags_variants() {
        let api = model("Pet:\n  oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]\n  discriminator:\n    propertyName: kind\n    mapping: {cat: '#/components/schemas/Cat'}\nCat: {type: object, properties: {kind: {type: string}}}\nDog: {type: object, properties: {kind: {type: string}}}\n");
        let TypeKind::Union(u) = &def(&api, "Pet").kind else {
            panic!("union")
        };
        assert!(matches!(&u.tagging, Tagging::Property { property, .. } if property == "kind"));
        let tags: Vec<_> = u
            .variants
            .iter()
            .map(|v| (v.rust_name.as_str(), v.tags.clone()))
            .collect();
        assert_eq!(
            tags,
            [
                ("Cat", vec!["cat".to_string()]),
                ("Dog", vec!["Dog".to_string()])
            ]
        );
    }

    #[test]
    fn constant_property_is_an_implicit_tag() {
        let api = model("Shape:\n  oneOf:\n    - {type: object, required: [type, r], properties: {type: {type: string, enum: [circle]}, r: {type: number}}}\n    - {type: object, required: [type], properties: {type: {type: string, const: square}, side: {type: number}}}\n");
        let TypeKind::Union(u) = &def(&api, "Shape").kind else {
            panic!("union")
        };
        assert!(matches!(&u.tagging, Tagging::Property { property, .. } if property == "type"));
        let names: Vec<_> = u.variants.iter().map(|v| v.rust_name.as_str()).collect();
        assert_eq!(names, ["Circle", "Square"]);
    }

    #[test]
    fn one_of_constants_is_an_enum_named_by_titles() {
        let api = model(
            "Level:\n  oneOf:\n    - {title: LOW, const: 1}\n    - {title: HIGH, const: 2}\n",
        );
        let TypeKind::Enum(e) = &def(&api, "Level").kind else {
            panic!("enum")
        };
        let names: Vec<_> = e.variants.iter().map(|v| v.rust_name.as_str()).collect();
        assert_eq!(names, ["Low", "High"]);
    }

    #[test]
    fn enum_names_survive_hostile_values() {
        let api =
            model("E:\n  type: string\n  enum: ['', 'a-b', 'A_B', '1x', 'Unknown', 'self']\n");
        let TypeKind::Enum(e) = &def(&api, "E").kind else {
            panic!("enum")
        };
        let names: Vec<_> = e.variants.iter().map(|v| v.rust_name.as_str()).collect();
        assert_eq!(names, ["Empty", "AB", "AB2", "V1x", "Unknown", "SelfModel"]);
        assert_eq!(e.unknown_variant, "Unknown2");
    }

    #[test]
    fn inline_objects_are_named_from_their_place() {
        let api = model("Order:\n  type: object\n  properties:\n    shipping_address:\n      type: object\n      properties: {city: {type: string}}\n    lines:\n      type: array\n      items: {type: object, properties: {sku: {type: string}}}\n");
        def(&api, "OrderShippingAddress");
        def(&api, "OrderLinesItem");
    }

    #[test]
    fn inline_schema_reached_again_through_its_component_is_one_type() {
        // Found by fuzzing: this recursed until the stack overflowed.
        let api = model("S2:\n  type: object\n  properties:\n    p:\n      allOf: [{type: object}, {$ref: '#/components/schemas/S2'}]\n");
        let TypeKind::Struct(s) = &def(&api, "S2P").kind else {
            panic!("struct")
        };
        assert_eq!(s.fields[0].wire_name, "p");
        assert!(
            api.types.len() <= 3,
            "{:?}",
            api.types.iter().map(|t| &t.name).collect::<Vec<_>>()
        );
    }

    #[test]
    fn recursive_schema_is_boxed() {
        let api = model("Node:\n  type: object\n  required: [next]\n  properties:\n    next: {$ref: '#/components/schemas/Node'}\n");
        let TypeKind::Struct(s) = &def(&api, "Node").kind else {
            panic!("struct")
        };
        assert_eq!(
            s.fields[0].ty,
            TypeRef::Box(Box::new(TypeRef::named("Node")))
        );
    }

    #[test]
    fn unresolvable_ref_degrades_with_a_warning() {
        let api = model("S:\n  type: object\n  properties:\n    x: {$ref: 'https://example.com/other.yaml#/Foo'}\n");
        assert!(api
            .warnings
            .iter()
            .any(|w| w.class == "unsupported-ref"
                && w.pointer == "/components/schemas/S/properties/x"));
    }
}
