//! Request bodies: one per kind of media type, ranked, typed, and the parts of a
//! multipart body.

use openapiv3::{MediaType, ReferenceOr, RequestBody as OaRequestBody};

use super::media::{body_kind, request_rank};
use super::OperationBuilder;
use crate::diagnostics::pointer_push;
use crate::model::refs;
use crate::model::{BodyKind, Docs, MultipartPart, Primitive, RequestBody, TypeKind, TypeRef};

impl<'b, 'a> OperationBuilder<'b, 'a> {
    pub(super) fn request_bodies(&mut self, body: &ReferenceOr<OaRequestBody>) -> Vec<RequestBody> {
        let at = pointer_push(self.at, "requestBody");
        let body = match body {
            ReferenceOr::Item(b) => b,
            ReferenceOr::Reference { reference } => {
                let found = refs::follow(
                    self.api.components.as_ref().map(|c| &c.request_bodies),
                    refs::REQUEST_BODIES,
                    reference,
                );
                match found {
                    Some(b) => b,
                    None => {
                        self.types.warn(&at, "unresolved-ref", format!("request body reference `{reference}` does not resolve; no body is sent"));
                        return Vec::new();
                    }
                }
            }
        };
        // One body per kind of media type, in order of preference: the first becomes
        // the operation's method, the others methods of their own.
        let mut ranked: Vec<(usize, &String, &MediaType)> = body
            .content
            .iter()
            .enumerate()
            .map(|(i, (media, mt))| (i, media, mt))
            .collect();
        ranked.sort_by_key(|(i, media, _)| (request_rank(media), *i));
        let mut bodies: Vec<RequestBody> = Vec::new();
        let mut schemas: Vec<Option<&ReferenceOr<openapiv3::Schema>>> = Vec::new();
        for (_, media, mt) in ranked {
            let kind = body_kind(media);
            if bodies.iter().any(|b| b.kind == kind) {
                let used = bodies
                    .iter()
                    .find(|b| b.kind == kind)
                    .map(|b| b.content_type.clone())
                    .unwrap_or_default();
                self.types.warn(
                    &pointer_push(&pointer_push(&at, "content"), media),
                    "other-media-types",
                    format!("`{media}` is served by the method for `{used}` (same encoding); no separate method"),
                );
                continue;
            }
            let media_at = pointer_push(&pointer_push(&at, "content"), media);
            // The same inline schema under another media type is the same type.
            let same_schema = bodies
                .iter()
                .zip(&schemas)
                .find(|(_, s)| s.is_some() && **s == mt.schema.as_ref())
                .map(|(b, _)| b.ty.clone());
            let ty = match (kind, &mt.schema, same_schema) {
                (BodyKind::Binary, _, _) => TypeRef::Prim(Primitive::Bytes),
                (BodyKind::Text, _, _) => TypeRef::Prim(Primitive::String),
                (_, _, Some(ty)) => ty,
                (_, Some(s), None) => self
                    .types
                    .resolve(
                        s,
                        &format!("{}Body", self.type_prefix),
                        &pointer_push(&media_at, "schema"),
                    )
                    .into_type(),
                (_, None, None) => TypeRef::Prim(Primitive::Json),
            };
            let parts = if kind == BodyKind::Multipart {
                self.multipart_parts(&ty)
            } else {
                Vec::new()
            };
            schemas.push(mt.schema.as_ref());
            bodies.push(RequestBody {
                content_type: media.to_string(),
                kind,
                ty,
                required: body.required,
                docs: Docs {
                    description: body.description.clone(),
                    ..Docs::default()
                },
                parts,
            });
        }
        bodies
    }

    /// The parts of a multipart body: one per field of its struct.
    fn multipart_parts(&mut self, ty: &TypeRef) -> Vec<MultipartPart> {
        let mut name = ty;
        // Follow aliases to the struct.
        for _ in 0..8 {
            let TypeRef::Named(n) = name else { break };
            match self.types.find(n).map(|d| &d.kind) {
                Some(TypeKind::Alias(target)) => name = target,
                _ => break,
            }
        }
        let struct_def = match name {
            TypeRef::Named(n) => match self.types.find(n).map(|d| &d.kind) {
                Some(TypeKind::Struct(s)) => Some(s.clone()),
                _ => None,
            },
            _ => None,
        };
        // A flattened field has no part of its own: then the fields of the JSON object
        // are sent as parts at run time.
        let struct_def = struct_def.filter(|s| !s.fields.iter().any(|f| f.flatten));
        let Some(def) = struct_def else {
            // Not a struct (a union, say): the emitted code sends the fields of its JSON
            // object as text parts, decided at run time.
            return Vec::new();
        };
        def.fields
            .iter()
            .map(|f| {
                let mut item = &f.ty;
                while let TypeRef::Option(inner) | TypeRef::Vec(inner) = item {
                    item = inner;
                }
                MultipartPart {
                    wire_name: f.wire_name.clone(),
                    rust_name: f.rust_name.clone(),
                    file: *item == TypeRef::Prim(Primitive::Bytes),
                }
            })
            .collect()
    }
}
