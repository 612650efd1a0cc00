//! Operations to client methods: names, and the operation assembled from its
//! parameters, request bodies and responses (each built in a module of its own).

mod bodies;
mod events;
mod media;
mod params;
mod responses;
pub mod webhooks;

use openapiv3::{OpenAPI, Parameter, ReferenceOr};

use super::claims::{Claims, Plan, Rank};
use super::naming::{field_name, type_name};
use super::schemas::TypeBuilder;
use super::{BodyKind, Docs, Operation, ParamLocation, RequestBody, ResponseBody};
use crate::diagnostics::pointer_push;

/// Argument names the generated methods use besides path parameters.
const ARGUMENT_NAMES: [&str; 3] = ["self", "body", "params"];

/// The operations, with method names that follow `plan` (see [`Claims`]), and the
/// claims on those names.
pub fn build<'a>(
    api: &'a OpenAPI,
    types: &mut TypeBuilder<'a>,
    plan: Plan,
) -> (Vec<Operation>, Claims) {
    // An operation never takes a name `Client` has already (its own methods and those
    // of the traits it implements): it takes the suffix `_operation` instead
    // (`with_options_operation`).
    let reserved = crate::embedded::reserved_client_methods();
    let mut method_names = Claims::new(reserved, Rank::Exact, "_operation", plan);
    let mut operations = Vec::new();
    for (path, item) in &api.paths.paths {
        let item_at = pointer_push("/paths", path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                types.warn(&item_at, "unsupported-ref", format!("path item reference `{reference}` is not supported; its operations are skipped"));
                continue;
            }
        };
        for (method, op) in item.iter() {
            let at = pointer_push(&item_at, method);
            let (wanted, rank) = match &op.operation_id {
                Some(id) if field_name(id) == *id => (field_name(id), Rank::Exact),
                Some(id) => (field_name(id), Rank::Converted),
                None => (derived_method_name(method, path), Rank::Derived),
            };
            let method_name = method_names.claim(&wanted, rank, &at);
            let type_prefix = type_name(&method_name, "Operation");
            let builder = OperationBuilder {
                api,
                types,
                at: &at,
                type_prefix: &type_prefix,
            };
            let (mut primary, alternatives) =
                builder.operation(method, path, op, &item.parameters, method_name);
            // An operation answered with JSON (or bytes) or with events gets a second
            // method for the events; one answered with events alone streams itself.
            let stream_twin = match &primary.events {
                Some(_) if !primary.streams => {
                    let mut twin = primary.clone();
                    twin.method_name = method_names.claim(
                        &format!("{}_stream", primary.method_name),
                        Rank::Secondary,
                        &format!("{at}#stream"),
                    );
                    twin.alternative_of = Some(primary.method_name.clone());
                    twin.streams = true;
                    primary.docs.notes.push(format!(
                        "For the answer as server-sent events, see [`Client::{}`].",
                        twin.method_name
                    ));
                    Some(twin)
                }
                _ => None,
            };

            let alternatives: Vec<Operation> = alternatives
                .into_iter()
                .map(|body| {
                    let mut alternative = primary.clone();
                    alternative.method_name = method_names.claim(
                        &format!("{}_{}", primary.method_name, media_suffix(&body)),
                        Rank::Secondary,
                        &format!("{at}#{}", body.content_type),
                    );
                    alternative.alternative_of = Some(primary.method_name.clone());
                    alternative.docs.notes.push(format!(
                        "Same as [`Client::{}`], with the body sent as `{}`.",
                        primary.method_name, body.content_type
                    ));
                    alternative.body = Some(body);
                    alternative
                })
                .collect();
            operations.push(primary);
            if let Some(mut twin) = stream_twin {
                let flag = twin.events.as_ref().is_some_and(|e| e.stream_flag);
                twin.docs.notes.push(format!(
                    "Same as [`Client::{}`], answered as server-sent events: a stream of decoded events ([`EventStream`](super::EventStream)){}.",
                    twin.alternative_of.as_deref().unwrap_or_default(),
                    if flag { "; sends `stream: true` whatever the body says" } else { "" }
                ));
                operations.push(twin);
            }
            operations.extend(alternatives);
        }
    }
    (operations, method_names)
}

/// How a method for another body encoding is told apart: `create_pet_form`.
fn media_suffix(body: &RequestBody) -> String {
    match body.kind {
        BodyKind::Form => "form".to_string(),
        BodyKind::Multipart => "multipart".to_string(),
        BodyKind::Text => "text".to_string(),
        BodyKind::Json => "json".to_string(),
        BodyKind::Binary => {
            let essence = body.content_type.split(';').next().unwrap_or("");
            field_name(essence.rsplit('/').next().unwrap_or("bytes"))
        }
    }
}

/// `Idempotency-Key`, `X-Idempotency-Key`, `idempotency_key`: a header through which
/// the server deduplicates retried requests.
fn is_idempotency_key(name: &str) -> bool {
    let letters: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    letters == "idempotencykey" || letters == "xidempotencykey"
}

/// `GET /pets/{id}/toys` → `get_pets_by_id_toys`.
fn derived_method_name(method: &str, path: &str) -> String {
    let mut parts = vec![method.to_string()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if let Some(param) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            parts.push(format!("by_{param}"));
        } else {
            parts.push(segment.to_string());
        }
    }
    field_name(&parts.join("_"))
}

struct OperationBuilder<'b, 'a> {
    api: &'a OpenAPI,
    types: &'b mut TypeBuilder<'a>,
    at: &'b str,
    type_prefix: &'b str,
}

impl<'b, 'a> OperationBuilder<'b, 'a> {
    fn operation(
        mut self,
        method: &str,
        path: &str,
        op: &openapiv3::Operation,
        shared: &[ReferenceOr<Parameter>],
        method_name: String,
    ) -> (Operation, Vec<RequestBody>) {
        let mut params = self.parameters(shared, &op.parameters);
        let path_parts = self.path_parts(path, &mut params);
        let params_struct = params
            .iter()
            .any(|p| p.location != ParamLocation::Path)
            .then(|| {
                self.types.claim_name(
                    &format!("{}Params", self.type_prefix),
                    &format!("{}#params", self.at),
                )
            });
        let mut bodies = op
            .request_body
            .as_ref()
            .map(|b| self.request_bodies(b))
            .unwrap_or_default()
            .into_iter();
        let body = bodies.next();
        let alternative_bodies: Vec<RequestBody> = bodies.collect();
        let (success, errors) = self.responses(&op.responses);
        let events = self.events(&op.responses, body.as_ref());
        // Events alone: the method itself streams.
        let streams = events.is_some()
            && success
                .responses
                .iter()
                .all(|r| matches!(r.body, ResponseBody::Binary | ResponseBody::Empty))
            && self.events_only(&op.responses);
        let security = op
            .security
            .as_ref()
            .or(self.api.security.as_ref())
            .map(|reqs| reqs.iter().map(|r| r.keys().cloned().collect()).collect())
            .unwrap_or_default();
        let idempotency_header = params
            .iter()
            .find(|p| p.location == ParamLocation::Header && is_idempotency_key(&p.wire_name))
            .map(|p| p.wire_name.clone());
        let operation = Operation {
            operation_id: op
                .operation_id
                .clone()
                .unwrap_or_else(|| method_name.clone()),
            method_name,
            http_method: method.to_ascii_uppercase(),
            path: path.to_string(),
            path_parts,
            docs: Docs {
                title: op.summary.clone(),
                description: op.description.clone(),
                notes: Vec::new(),
                example: None,
            },
            deprecated: op.deprecated,
            pointer: self.at.to_string(),
            params,
            params_struct,
            body,
            success,
            errors,
            security,
            alternative_of: None,
            idempotency_header,
            pagination_hint: super::pagination::EXTENSIONS.iter().find_map(|name| {
                op.extensions
                    .get(*name)
                    .map(|value| (name.to_string(), value.clone()))
            }),
            pagination: None,
            tags: op.tags.clone(),
            features: Vec::new(),
            events,
            streams,
        };
        (operation, alternative_bodies)
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod event_tests;
