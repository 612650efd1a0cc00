//! The requests the API sends to the user: OpenAPI 3.1 `webhooks` (kept by load as the
//! root's `x-webhooks`, which is also where 3.0 documents write them) and the callbacks
//! of operations. Each operation of theirs gives its payload type here, built like a
//! request body; `model::webhooks` turns them into the event enum.

use openapiv3::{OpenAPI, PathItem, ReferenceOr};

use super::OperationBuilder;
use crate::diagnostics::pointer_push;
use crate::model::naming::type_name;
use crate::model::schemas::TypeBuilder;
use crate::model::{BodyKind, Docs, TypeRef};

/// One request the API sends, before the event enum is assembled.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// The webhook's key, or the callback's name (`onData`).
    pub name: String,
    /// The operationId of the webhook's (or callback's) operation, if any.
    pub operation_id: Option<String>,
    /// The JSON body's type; `None` when the request has no body.
    pub payload: Option<TypeRef>,
    pub docs: Docs,
    pub pointer: String,
    pub callback: bool,
}

/// Every webhook and callback of `api` with a JSON body or none, in spec order
/// (webhooks first). One with another kind of body is skipped with a warning.
pub fn collect<'a>(api: &'a OpenAPI, types: &mut TypeBuilder<'a>) -> Vec<Incoming> {
    let mut out = Vec::new();
    if let Some(hooks) = api.extensions.get("x-webhooks").and_then(|v| v.as_object()) {
        for (name, item) in hooks {
            let at = pointer_push("/webhooks", name);
            match serde_json::from_value::<ReferenceOr<PathItem>>(item.clone()) {
                Ok(ReferenceOr::Item(item)) => {
                    path_item(api, types, name, &item, &at, false, &mut out)
                }
                Ok(ReferenceOr::Reference { reference }) => types.warn(
                    &at,
                    "unsupported-ref",
                    format!("webhook reference `{reference}` is not supported; no event for it"),
                ),
                Err(e) => types.warn(
                    &at,
                    "invalid-webhook",
                    format!("webhook is not a path item ({e}); no event for it"),
                ),
            }
        }
    }
    for (path, item) in &api.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in item.iter() {
            let op_at = pointer_push(&pointer_push("/paths", path), method);
            for (name, callback) in &op.callbacks {
                let callback_at = pointer_push(&pointer_push(&op_at, "callbacks"), name);
                for (expression, item) in callback {
                    let at = pointer_push(&callback_at, expression);
                    path_item(api, types, name, item, &at, true, &mut out);
                }
            }
        }
    }
    out
}

fn path_item<'a>(
    api: &'a OpenAPI,
    types: &mut TypeBuilder<'a>,
    name: &str,
    item: &PathItem,
    at: &str,
    callback: bool,
    out: &mut Vec<Incoming>,
) {
    for (method, op) in item.iter() {
        let at = pointer_push(at, method);
        let wanted = op.operation_id.as_deref().unwrap_or(name);
        let type_prefix = type_name(wanted, "Webhook");
        let mut builder = OperationBuilder {
            api,
            types,
            at: &at,
            type_prefix: &type_prefix,
        };
        let bodies = op
            .request_body
            .as_ref()
            .map(|b| builder.request_bodies(b))
            .unwrap_or_default();
        let payload = match bodies.first() {
            None => None,
            Some(body) if body.kind == BodyKind::Json => Some(body.ty.clone()),
            Some(body) => {
                types.warn(
                    &at,
                    "webhook-not-json",
                    format!(
                        "the body is `{}`, not JSON; the event enum has no variant for it",
                        body.content_type
                    ),
                );
                continue;
            }
        };
        out.push(Incoming {
            name: name.to_string(),
            operation_id: op.operation_id.clone(),
            payload,
            docs: Docs {
                title: op.summary.clone(),
                description: op.description.clone(),
                notes: Vec::new(),
                example: None,
            },
            pointer: at,
            callback,
        });
    }
}
