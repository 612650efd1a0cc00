//! Schemas to Rust types: structs, enums, unions and aliases, with the names of inline
//! schemas derived from where they appear.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::naming::{field_name, type_name, Namespace};
use super::{
    Docs, EnumDef, EnumRepr, EnumVariant, Field, Presence, Primitive, StructDef, Tagging, TypeDef,
    TypeKind, TypeRef, UnionDef, UnionVariant,
};
use crate::diagnostics::{pointer_push, Warning};

const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";

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

/// The keywords of a schema, whichever `SchemaKind` openapiv3 chose for it.
#[derive(Default)]
struct View<'s> {
    kind: Option<&'s str>,
    format: Option<String>,
    enumeration: Vec<Value>,
    properties: Vec<(&'s str, &'s ReferenceOr<Box<Schema>>)>,
    required: Vec<&'s str>,
    additional: Option<&'s AdditionalProperties>,
    items: Option<&'s ReferenceOr<Box<Schema>>>,
    one_of: &'s [ReferenceOr<Schema>],
    any_of: &'s [ReferenceOr<Schema>],
    all_of: &'s [ReferenceOr<Schema>],
    has_not: bool,
    minimum: Option<String>,
    maximum: Option<String>,
}

fn format_name<T: std::fmt::Debug>(
    f: &VariantOrUnknownOrEmpty<T>,
    known: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(t) => Some(known(t).to_string()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn bound(n: impl ToString, exclusive: bool, lower: bool) -> String {
    let n = n.to_string();
    match (exclusive, lower) {
        (true, true) => format!("> {n}"),
        (true, false) => format!("< {n}"),
        (false, _) => n,
    }
}

impl<'s> View<'s> {
    fn of(schema: &'s Schema) -> Self {
        let mut v = View::default();
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                v.kind = Some("string");
                v.format = format_name(&s.format, |f| match f {
                    StringFormat::Date => "date",
                    StringFormat::DateTime => "date-time",
                    StringFormat::Password => "password",
                    StringFormat::Byte => "byte",
                    StringFormat::Binary => "binary",
                });
                v.enumeration = s
                    .enumeration
                    .iter()
                    .map(|e| e.clone().map_or(Value::Null, Value::String))
                    .collect();
            }
            SchemaKind::Type(Type::Number(n)) => {
                v.kind = Some("number");
                v.format = format_name(&n.format, |f| match f {
                    openapiv3::NumberFormat::Float => "float",
                    openapiv3::NumberFormat::Double => "double",
                });
                v.enumeration = n
                    .enumeration
                    .iter()
                    .map(|e| e.map_or(Value::Null, Value::from))
                    .collect();
                v.minimum = n.minimum.map(|m| bound(m, n.exclusive_minimum, true));
                v.maximum = n.maximum.map(|m| bound(m, n.exclusive_maximum, false));
            }
            SchemaKind::Type(Type::Integer(i)) => {
                v.kind = Some("integer");
                v.format = format_name(&i.format, |f| match f {
                    openapiv3::IntegerFormat::Int32 => "int32",
                    openapiv3::IntegerFormat::Int64 => "int64",
                });
                v.enumeration = i
                    .enumeration
                    .iter()
                    .map(|e| e.map_or(Value::Null, Value::from))
                    .collect();
                v.minimum = i.minimum.map(|m| bound(m, i.exclusive_minimum, true));
                v.maximum = i.maximum.map(|m| bound(m, i.exclusive_maximum, false));
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                v.kind = Some("boolean");
                v.enumeration = b
                    .enumeration
                    .iter()
                    .map(|e| e.map_or(Value::Null, Value::Bool))
                    .collect();
            }
            SchemaKind::Type(Type::Object(o)) => {
                v.kind = Some("object");
                v.properties = o.properties.iter().map(|(k, s)| (k.as_str(), s)).collect();
                v.required = o.required.iter().map(String::as_str).collect();
                v.additional = o.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(a)) => {
                v.kind = Some("array");
                v.items = a.items.as_ref();
            }
            SchemaKind::OneOf { one_of } => v.one_of = one_of,
            SchemaKind::AnyOf { any_of } => v.any_of = any_of,
            SchemaKind::AllOf { all_of } => v.all_of = all_of,
            SchemaKind::Not { .. } => v.has_not = true,
            SchemaKind::Any(a) => {
                v.kind = a.typ.as_deref();
                v.format = a.format.clone();
                v.enumeration = a.enumeration.clone();
                v.properties = a.properties.iter().map(|(k, s)| (k.as_str(), s)).collect();
                v.required = a.required.iter().map(String::as_str).collect();
                v.additional = a.additional_properties.as_ref();
                v.items = a.items.as_ref();
                v.one_of = &a.one_of;
                v.any_of = &a.any_of;
                v.all_of = &a.all_of;
                v.has_not = a.not.is_some();
                v.minimum = a
                    .minimum
                    .as_ref()
                    .map(|m| bound(m, a.exclusive_minimum == Some(true), true));
                v.maximum = a
                    .maximum
                    .as_ref()
                    .map(|m| bound(m, a.exclusive_maximum == Some(true), false));
                if v.kind.is_none() {
                    v.kind = if !v.properties.is_empty() || v.additional.is_some() {
                        Some("object")
                    } else if v.items.is_some() {
                        Some("array")
                    } else {
                        None
                    };
                }
            }
        }
        v
    }

    /// A schema that only admits `null` (3.1 `type: "null"` after normalisation).
    fn is_null_only(&self) -> bool {
        self.kind.is_none()
            && !self.enumeration.is_empty()
            && self.enumeration.iter().all(Value::is_null)
            && self.properties.is_empty()
    }
}

/// Builds named types while operations and components are converted.
pub struct TypeBuilder<'a> {
    api: &'a OpenAPI,
    names: Namespace,
    /// Component schema key to Rust type name.
    component_names: IndexMap<String, String>,
    defs: Vec<TypeDef>,
    warnings: Vec<Warning>,
}

impl<'a> TypeBuilder<'a> {
    pub fn new(api: &'a OpenAPI) -> Self {
        let mut names = Namespace::new();
        let mut component_names = IndexMap::new();
        if let Some(components) = &api.components {
            for key in components.schemas.keys() {
                let name = names.claim(&type_name(key, "Schema"));
                component_names.insert(key.clone(), name);
            }
        }
        // Names the client module and the crate root define next to operation types.
        for reserved in [
            "Client",
            "ClientBuilder",
            "Credentials",
            "Scheme",
            "Error",
            "ErrorResponse",
            "DecodeError",
            "Undocumented",
        ] {
            names.reserve(reserved);
        }
        TypeBuilder {
            api,
            names,
            component_names,
            defs: Vec::new(),
            warnings: Vec::new(),
        }
    }

    pub fn warn(&mut self, pointer: &str, class: &'static str, message: impl Into<String>) {
        self.warnings.push(Warning::new(pointer, class, message));
    }

    /// Claims a fresh type name in the shared namespace (for operation-level types).
    pub fn claim_name(&mut self, wanted: &str) -> String {
        self.names.claim(wanted)
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
        });
        self.defs.len() - 1
    }

    pub fn finish(self) -> (Vec<TypeDef>, Vec<Warning>) {
        (self.defs, self.warnings)
    }

    /// The schema behind a component reference, following chains of references.
    fn lookup(&self, reference: &str) -> Option<&'a Schema> {
        let mut reference = reference;
        for _ in 0..32 {
            let key = reference.strip_prefix(SCHEMA_REF_PREFIX)?;
            match self.api.components.as_ref()?.schemas.get(&unescape(key))? {
                ReferenceOr::Item(s) => return Some(s),
                ReferenceOr::Reference { reference: next } => reference = next,
            }
        }
        None
    }

    fn reference(&mut self, reference: &str, pointer: &str) -> Resolved {
        let name = reference
            .strip_prefix(SCHEMA_REF_PREFIX)
            .and_then(|key| self.component_names.get(&unescape(key)));
        match name {
            Some(name) => Resolved {
                ty: TypeRef::Named(name.clone()),
                nullable: self.lookup(reference).is_some_and(admits_null),
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
        let nullable = admits_null(schema);
        let view = View::of(schema);
        if let Some(resolved) = self.structural(&view, hint, pointer) {
            return Resolved {
                nullable: nullable || resolved.nullable,
                ty: resolved.ty,
            };
        }
        // Needs a named type of its own.
        let name = self.names.claim(hint);
        let slot = self.placeholder();
        let def = self.define(&name, schema, pointer);
        self.defs[slot] = def;
        Resolved {
            ty: TypeRef::Named(name),
            nullable,
        }
    }

    /// The type of a schema that needs no named type of its own (primitives, arrays,
    /// maps, wrappers), or `None` when it does.
    fn structural(&mut self, view: &View, hint: &str, pointer: &str) -> Option<Resolved> {
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
    fn map_type(
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
    fn single_all_of(&mut self, view: &View, hint: &str, pointer: &str) -> Option<Resolved> {
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

    /// `oneOf`/`anyOf` that reduce to a simpler type: `[X, null]` is a nullable X, a
    /// list of strings and string enums is one open string enum. `None` when a union
    /// type is needed.
    fn union_shortcut(
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

    /// Builds the named type for `schema`.
    fn define(&mut self, name: &str, schema: &Schema, pointer: &str) -> TypeDef {
        let view = View::of(schema);
        let kind = self.define_kind(name, schema, &view, pointer);
        TypeDef {
            name: name.to_string(),
            docs: self.docs(schema, &view, false),
            deprecated: schema.schema_data.deprecated,
            pointer: pointer.to_string(),
            kind,
            features: Vec::new(),
        }
    }

    fn define_kind(&mut self, name: &str, schema: &Schema, view: &View, pointer: &str) -> TypeKind {
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
                let kind_name = self.names.claim(&format!("{name}Kind"));
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

    fn enum_def(
        &mut self,
        values: &[Value],
        kind: Option<&str>,
        schema: &Schema,
        pointer: &str,
    ) -> Option<EnumDef> {
        let repr = if values.iter().all(Value::is_string) {
            EnumRepr::String
        } else if values.iter().all(|v| v.as_i64().is_some()) && kind != Some("string") {
            EnumRepr::Integer
        } else {
            self.warn(
                pointer,
                "mixed-enum",
                "an enum whose values are of several JSON types is typed as a JSON value",
            );
            return None;
        };
        let names = enum_names(schema);
        let mut ns = Namespace::new();
        let mut variants = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, value) in values.iter().enumerate() {
            if !seen.insert(value.to_string()) {
                continue;
            }
            let wanted = match (names.get(i), value) {
                (Some(n), _) => type_name(n, &format!("Value{i}")),
                (None, Value::String(s)) if s.is_empty() => "Empty".to_string(),
                (None, Value::String(s)) => type_name(s, &format!("Value{i}")),
                (None, v) => match v.as_i64() {
                    Some(n) if n < 0 => format!("Minus{}", n.unsigned_abs()),
                    Some(n) => format!("V{n}"),
                    None => format!("Value{i}"),
                },
            };
            variants.push(EnumVariant {
                rust_name: ns.claim(&wanted),
                value: value.clone(),
                docs: Docs::default(),
            });
        }
        Some(EnumDef {
            repr,
            variants,
            unknown_variant: ns.claim("Unknown"),
        })
    }

    fn struct_def(
        &mut self,
        name: &str,
        properties: &[(&str, &ReferenceOr<Box<Schema>>)],
        required: &[&str],
        additional: Option<&AdditionalProperties>,
        pointer: &str,
    ) -> StructDef {
        let mut ns = Namespace::new();
        let mut fields = Vec::new();
        for (wire, prop) in properties {
            let at = pointer_push(&pointer_push(pointer, "properties"), wire);
            let hint = format!("{name}{}", type_name(wire, "Field"));
            let resolved = self.resolve_boxed(prop, &hint, &at);
            let (docs, deprecated, read_only, write_only) = match prop {
                ReferenceOr::Item(s) => {
                    let view = View::of(s);
                    (
                        self.docs(s, &view, true),
                        s.schema_data.deprecated,
                        s.schema_data.read_only,
                        s.schema_data.write_only,
                    )
                }
                ReferenceOr::Reference { .. } => (Docs::default(), false, false, false),
            };
            let mut docs = docs;
            if read_only {
                docs.notes
                    .push("Read-only: sent by the server, ignored in requests.".into());
            }
            if write_only {
                docs.notes
                    .push("Write-only: sent in requests, never returned.".into());
            }
            // A read-only or write-only property is absent in one direction, so it
            // cannot be required in the one type that serves both.
            let is_required = required.contains(wire) && !read_only && !write_only;
            let presence = match (is_required, resolved.nullable) {
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, false) => Presence::Optional,
                (false, true) => Presence::OptionalNullable,
            };
            fields.push(Field {
                wire_name: wire.to_string(),
                rust_name: ns.claim(&field_name(wire)),
                ty: resolved.ty,
                presence,
                docs,
                deprecated,
                flatten: false,
            });
        }
        let additional = match additional {
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Prim(Primitive::Json)),
            Some(AdditionalProperties::Schema(s)) => Some(
                self.resolve(
                    s,
                    &format!("{name}Value"),
                    &pointer_push(pointer, "additionalProperties"),
                )
                .into_type(),
            ),
            _ => None,
        };
        StructDef { fields, additional }
    }

    /// `allOf` of object schemas: one struct with the properties of all of them.
    fn merge_all_of(
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
    fn extend_named(&mut self, name: &str, view: &View, pointer: &str) -> Option<TypeKind> {
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
        let base_name = reference
            .strip_prefix(SCHEMA_REF_PREFIX)
            .and_then(|key| self.component_names.get(&unescape(key)))?
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
                docs: Docs {
                    description: Some(format!(
                        "The [`{base_name}`] this extends, flattened into the same JSON object."
                    )),
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
    fn object_with_union(&mut self, name: &str, view: &View, pointer: &str) -> Option<TypeKind> {
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
    fn collect_object<'s>(
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

    fn union(
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
                    let key = reference
                        .strip_prefix(SCHEMA_REF_PREFIX)
                        .map(unescape)
                        .unwrap_or_default();
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
    fn implicit_tags(
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

    /// The properties and required names of an object schema, `allOf` included.
    fn object_parts<'s>(&self, schema: &'s Schema) -> Option<(Properties<'s>, Vec<&'s str>)>
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

    /// The single string value a required property of `schema` can take.
    fn constant_property(&self, schema: &Schema, property: &str) -> Option<String> {
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

    fn docs(&self, schema: &Schema, view: &View, for_field: bool) -> Docs {
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

/// `(value, title, description)` of a `oneOf` member that is a single constant.
type ConstMember = (Value, Option<String>, Option<String>);

/// Property names and schemas, in order.
type Properties<'s> = Vec<(&'s str, &'s ReferenceOr<Box<Schema>>)>;

/// Adds a union to a struct as a flattened field named `kind`.
fn push_flattened(def: &mut StructDef, ty: TypeRef) {
    let mut field_name = "kind".to_string();
    while def.fields.iter().any(|f| f.rust_name == field_name) {
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

/// `nullable: true`, or `null` among the enum values.
fn admits_null(schema: &Schema) -> bool {
    schema.schema_data.nullable || View::of(schema).enumeration.iter().any(Value::is_null)
}

/// Names given to enum values by the common extensions.
fn enum_names(schema: &Schema) -> Vec<String> {
    for key in ["x-enum-varnames", "x-enumNames"] {
        if let Some(Value::Array(names)) = schema.schema_data.extensions.get(key) {
            return names
                .iter()
                .map(|n| n.as_str().unwrap_or_default().to_string())
                .collect();
        }
    }
    Vec::new()
}

/// A variant name for an inline union member without a title.
fn variant_name_for(schema: &Schema, index: usize) -> String {
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

/// A schema that only documents (no type, properties or composition): `allOf` members
/// like `{description: ...}` that add nothing to the shape.
fn is_annotation_only(schema: &Schema) -> bool {
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

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::model::{build, Api, Presence, Tagging, TypeDef, TypeKind, TypeRef};

    fn model(components: &str) -> Api {
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
        let api = model("S:\n  type: object\n  properties:\n    x: {$ref: 'other.yaml#/Foo'}\n");
        assert!(api
            .warnings
            .iter()
            .any(|w| w.class == "unsupported-ref"
                && w.pointer == "/components/schemas/S/properties/x"));
    }
}
