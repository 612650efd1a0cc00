//! Object schemas as structs: fields, their presence (required, nullable) and the
//! map of `additionalProperties`.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::*;
use crate::diagnostics::pointer_push;
use crate::model::naming::{field_name, type_name, Namespace};
use crate::model::{AdditionalMap, Docs, Field, Presence, Primitive, StructDef, TypeRef};

impl<'a> TypeBuilder<'a> {
    pub(super) fn struct_def(
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
        let value = match additional {
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
        let additional = value.map(|value| AdditionalMap {
            rust_name: additional_map_name(&fields),
            value,
        });
        StructDef { fields, additional }
    }
}

/// `additional_properties`, unless a declared field already has that name.
fn additional_map_name(fields: &[Field]) -> String {
    let mut name = "additional_properties".to_string();
    while fields.iter().any(|f| f.rust_name == name) {
        name.push('_');
    }
    name
}
