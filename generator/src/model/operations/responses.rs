//! Responses: each status typed by its preferred media type, split into successes and
//! errors, and the shape (one type or an enum) each set takes in Rust.

use openapiv3::{ReferenceOr, Response as OaResponse, StatusCode};

use super::media::{body_kind, choose_media, response_rank};
use super::OperationBuilder;
use crate::diagnostics::pointer_push;
use crate::model::naming::Namespace;
use crate::model::refs;
use crate::model::{
    BodyKind, Primitive, Response, ResponseBody, ResponseSet, ResponseShape, StatusMatch, TypeRef,
};

impl<'b, 'a> OperationBuilder<'b, 'a> {
    pub(super) fn responses(
        &mut self,
        responses: &openapiv3::Responses,
    ) -> (ResponseSet, ResponseSet) {
        let at = pointer_push(self.at, "responses");
        let mut all: Vec<Response> = Vec::new();
        let entries = responses
            .responses
            .iter()
            .map(|(code, r)| {
                let status = match code {
                    StatusCode::Code(c) => StatusMatch::Code(*c),
                    StatusCode::Range(r) => StatusMatch::Range(*r),
                };
                (status, code.to_string(), r)
            })
            .chain(
                responses
                    .default
                    .iter()
                    .map(|r| (StatusMatch::Default, "default".to_string(), r)),
            );
        let entries: Vec<_> = entries.collect();
        for (status, key, r) in entries {
            let r_at = pointer_push(&at, &key);
            let hint = format!(
                "{}Response{}",
                self.type_prefix,
                status_suffix(status, true)
            );
            if let Some(resp) = self.response(r, status, &hint, &r_at) {
                all.push(resp);
            }
        }
        let is_success =
            |s: StatusMatch| matches!(s, StatusMatch::Code(200..=299) | StatusMatch::Range(2));
        let mut success: Vec<Response> = all
            .iter()
            .filter(|r| is_success(r.status))
            .cloned()
            .collect();
        if success.is_empty() {
            // Only `default` documented: it describes the successful answer too.
            success = all
                .iter()
                .filter(|r| r.status == StatusMatch::Default)
                .cloned()
                .collect();
        }
        // Error bodies without a JSON schema are not typed: the error keeps their bytes.
        let errors: Vec<Response> = all
            .into_iter()
            .filter(|r| !is_success(r.status) && matches!(r.body, ResponseBody::Json(_)))
            .collect();
        let success_shape = self.shape(&success, "Response");
        let error_shape = self.shape(&errors, "Error");
        (
            ResponseSet {
                responses: success,
                shape: success_shape,
            },
            ResponseSet {
                responses: errors,
                shape: error_shape,
            },
        )
    }

    fn response(
        &mut self,
        r: &ReferenceOr<OaResponse>,
        status: StatusMatch,
        hint: &str,
        at: &str,
    ) -> Option<Response> {
        let r = match r {
            ReferenceOr::Item(r) => r,
            ReferenceOr::Reference { reference } => {
                let found = refs::follow(
                    self.api.components.as_ref().map(|c| &c.responses),
                    refs::RESPONSES,
                    reference,
                );
                match found {
                    Some(r) => r,
                    None => {
                        self.types.warn(at, "unresolved-ref", format!("response reference `{reference}` does not resolve; treated as undocumented"));
                        return None;
                    }
                }
            }
        };
        let body = match choose_media(&r.content, response_rank) {
            None => ResponseBody::Empty,
            Some((media, mt)) => match body_kind(media) {
                BodyKind::Json => match &mt.schema {
                    Some(s) => {
                        let media_at = pointer_push(&pointer_push(at, "content"), media);
                        ResponseBody::Json(
                            self.types
                                .resolve(s, hint, &pointer_push(&media_at, "schema"))
                                .into_type(),
                        )
                    }
                    None => ResponseBody::Json(TypeRef::Prim(Primitive::Json)),
                },
                BodyKind::Text => ResponseBody::Text,
                _ => ResponseBody::Binary,
            },
        };
        Some(Response {
            status,
            body,
            description: r.description.clone(),
            link_header: r.headers.keys().any(|h| h.eq_ignore_ascii_case("link")),
        })
    }

    /// How a set of responses surfaces: one type when they agree, an enum otherwise.
    fn shape(&mut self, responses: &[Response], suffix: &str) -> ResponseShape {
        let mut bodies: Vec<&ResponseBody> = Vec::new();
        for r in responses {
            if !bodies.contains(&&r.body) {
                bodies.push(&r.body);
            }
        }
        match bodies.len() {
            0 => ResponseShape::Single(ResponseBody::Empty),
            1 => ResponseShape::Single(bodies[0].clone()),
            _ => {
                let name = self.types.claim_name(
                    &format!("{}{suffix}", self.type_prefix),
                    &format!("{}#{suffix}", self.at),
                );
                let mut ns = Namespace::new();
                let variants = responses
                    .iter()
                    .map(|r| ns.claim(&status_suffix(r.status, false)))
                    .collect();
                ResponseShape::Enum { name, variants }
            }
        }
    }
}

/// A readable name for a status: `Ok`, `NotFound`, `Status418`, `Status4xx`, `Default`.
pub(super) fn status_suffix(status: StatusMatch, for_type: bool) -> String {
    match status {
        StatusMatch::Code(c) if for_type => c.to_string(),
        StatusMatch::Code(c) => reason(c).map_or_else(|| format!("Status{c}"), str::to_string),
        StatusMatch::Range(r) => format!("Status{r}xx"),
        StatusMatch::Default => "Default".to_string(),
    }
}

pub(super) fn reason(code: u16) -> Option<&'static str> {
    Some(match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritative",
        204 => "NoContent",
        206 => "PartialContent",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        304 => "NotModified",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        409 => "Conflict",
        410 => "Gone",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return None,
    })
}
