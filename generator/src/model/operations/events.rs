//! Server-sent events: the success answered as `text/event-stream`, and whether the
//! request body has the `stream` flag that chooses it.

use openapiv3::{ReferenceOr, Response as OaResponse, StatusCode};

use super::media::is_event_stream;
use super::OperationBuilder;
use crate::diagnostics::pointer_push;
use crate::model::{BodyKind, Events, Primitive, RequestBody, TypeKind, TypeRef};

impl<'b, 'a> OperationBuilder<'b, 'a> {
    /// The success responses as they are written (status, response object), resolved.
    fn success_responses<'r>(
        &'r self,
        responses: &'r openapiv3::Responses,
    ) -> Vec<(String, &'r OaResponse)> {
        let mut out = Vec::new();
        for (code, r) in &responses.responses {
            let success = match code {
                StatusCode::Code(c) => (200..300).contains(c),
                StatusCode::Range(r) => *r == 2,
            };
            let r = match r {
                ReferenceOr::Item(r) => Some(r),
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/responses/")
                    .and_then(|key| self.api.components.as_ref()?.responses.get(key))
                    .and_then(|r| match r {
                        ReferenceOr::Item(r) => Some(r),
                        ReferenceOr::Reference { .. } => None,
                    }),
            };
            if let (true, Some(r)) = (success, r) {
                out.push((code.to_string(), r));
            }
        }
        out
    }

    /// The first success answered as `text/event-stream`, typed by its schema.
    pub(super) fn events(
        &mut self,
        responses: &openapiv3::Responses,
        body: Option<&RequestBody>,
    ) -> Option<Events> {
        let (code, media, schema) =
            self.success_responses(responses)
                .into_iter()
                .find_map(|(code, r)| {
                    r.content
                        .iter()
                        .find(|(media, _)| is_event_stream(media))
                        .map(|(media, mt)| (code, media.clone(), mt.schema.clone()))
                })?;
        let at = pointer_push(
            &pointer_push(
                &pointer_push(&pointer_push(self.at, "responses"), &code),
                "content",
            ),
            &media,
        );
        let item = match &schema {
            Some(s) => self
                .types
                .resolve(
                    s,
                    &format!("{}StreamEvent", self.type_prefix),
                    &pointer_push(&at, "schema"),
                )
                .into_type(),
            None => TypeRef::Prim(Primitive::Json),
        };
        let stream_flag = body.is_some_and(|b| {
            matches!(
                b.kind,
                BodyKind::Json | BodyKind::Form | BodyKind::Multipart
            ) && self.has_bool_field(&b.ty, "stream", 0)
        });
        Some(Events { item, stream_flag })
    }

    /// Whether every success that has content is answered with events only.
    pub(super) fn events_only(&self, responses: &openapiv3::Responses) -> bool {
        self.success_responses(responses)
            .iter()
            .filter(|(_, r)| !r.content.is_empty())
            .all(|(_, r)| r.content.keys().all(|m| is_event_stream(m)))
    }

    /// Whether the type (a struct, through aliases and flattened fields) has a
    /// boolean property of this wire name.
    fn has_bool_field(&self, ty: &TypeRef, wire_name: &str, depth: u32) -> bool {
        if depth > 8 {
            return false;
        }
        let mut ty = ty;
        while let TypeRef::Option(inner) | TypeRef::Box(inner) = ty {
            ty = inner;
        }
        let TypeRef::Named(name) = ty else {
            return false;
        };
        match self.types.find(name).map(|d| &d.kind) {
            Some(TypeKind::Alias(target)) => self.has_bool_field(target, wire_name, depth + 1),
            Some(TypeKind::Struct(def)) => def.fields.iter().any(|f| {
                if f.flatten {
                    return self.has_bool_field(&f.ty, wire_name, depth + 1);
                }
                let mut field_ty = &f.ty;
                while let TypeRef::Option(inner) = field_ty {
                    field_ty = inner;
                }
                f.wire_name == wire_name && *field_ty == TypeRef::Prim(Primitive::Bool)
            }),
            _ => false,
        }
    }
}
