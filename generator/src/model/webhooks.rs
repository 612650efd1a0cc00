//! The event enum over what the API sends to the user (webhooks and callbacks): one
//! variant per payload type, named from the webhook's key or its operationId, and how
//! a body is told apart.
//!
//! Real specs tell their events apart in the body: OpenAI's sixteen webhook payloads
//! each have a `type` property with one value (`enum: [batch.cancelled]`), as the
//! Standard Webhooks specification recommends. So when every payload is a struct with
//! the same property holding one constant string, and the constants differ, that
//! property is the discriminator (`type` is preferred when several qualify) and a body
//! decodes on its own. Otherwise (Redocly's museum, the OAI examples, callbacks) only
//! the name does: the user's route says which webhook it is.

use std::collections::BTreeMap;

use super::naming::{type_name, Namespace};
use super::operations::webhooks::Incoming;
use super::{Presence, TypeDef, TypeKind, TypeRef, WebhookEvent, WebhookSignature, Webhooks};
use crate::diagnostics::Warning;

/// The root extension that declares how the API signs what it sends:
///
/// ```yaml
/// x-webhook-signature:
///   scheme: standard-webhooks     # webhook-id, webhook-timestamp, webhook-signature
/// # or
/// x-webhook-signature:
///   scheme: hmac-sha256           # an HMAC-SHA256 of the body, hex, in one header
///   header: X-Hub-Signature-256
///   prefix: "sha256="             # optional, default none
/// ```
pub const SIGNATURE_EXTENSION: &str = "x-webhook-signature";

/// The scheme `x-webhook-signature` declares, if any (a malformed one is a warning).
pub fn signature(
    extensions: &indexmap::IndexMap<String, serde_json::Value>,
    warnings: &mut Vec<Warning>,
) -> Option<WebhookSignature> {
    let value = extensions.get(SIGNATURE_EXTENSION)?;
    let text = |key: &str| value.get(key).and_then(serde_json::Value::as_str);
    let at = format!("/{SIGNATURE_EXTENSION}");
    match text("scheme") {
        Some("standard-webhooks") => Some(WebhookSignature::Standard),
        Some("hmac-sha256") => match text("header") {
            Some(header) if !header.trim().is_empty() => Some(WebhookSignature::HmacSha256 {
                header: header.trim().to_string(),
                prefix: text("prefix").unwrap_or_default().to_string(),
            }),
            _ => {
                warnings.push(Warning::new(
                    &at,
                    "invalid-webhook-signature",
                    "`hmac-sha256` needs a `header`; no verifier is declared",
                ));
                None
            }
        },
        other => {
            warnings.push(Warning::new(
                &at,
                "invalid-webhook-signature",
                format!(
                    "`scheme` is {other:?}, not `standard-webhooks` or `hmac-sha256`; no verifier is declared"
                ),
            ));
            None
        }
    }
}

/// The property names tried first, in order, when several could discriminate.
const PREFERRED: [&str; 3] = ["type", "event", "event_type"];

/// Assembles the event enum; `None` when the spec sends nothing.
pub fn assemble(
    incoming: Vec<Incoming>,
    enum_name: String,
    defs: &[TypeDef],
    signature: Option<WebhookSignature>,
) -> Option<Webhooks> {
    if incoming.is_empty() {
        return None;
    }
    let mut variants = Namespace::new();
    variants.reserve("Unknown");
    let mut events: Vec<WebhookEvent> = Vec::new();
    for event in incoming {
        // Webhooks that send the same payload share its variant; the same webhook (or
        // callback) without a body twice is one variant.
        let shared = events
            .iter()
            .position(|e| match (&e.payload, &event.payload) {
                (Some(a), Some(b)) => a == b,
                (None, None) => e.names.contains(&event.name),
                _ => false,
            });
        if let Some(i) = shared {
            if events[i].names.contains(&event.name) {
                continue;
            }
        }
        // Two callbacks of one name (in two operations), or two methods of one webhook
        // with different payloads: the later is known by a numbered name.
        let mut name = event.name.clone();
        let mut n = 1;
        while events.iter().any(|e| e.names.contains(&name)) {
            n += 1;
            name = format!("{}_{n}", event.name);
        }
        if let Some(i) = shared {
            events[i].names.push(name);
            continue;
        }
        let wanted = type_name(
            event.operation_id.as_deref().unwrap_or(&event.name),
            "Event",
        );
        events.push(WebhookEvent {
            variant: variants.claim(&wanted),
            names: vec![name],
            tag: None,
            payload: event.payload,
            docs: event.docs,
            callback: event.callback,
        });
    }
    let discriminator = discriminator(&events, defs);
    if let Some((_, tags)) = &discriminator {
        for (event, tag) in events.iter_mut().zip(tags) {
            event.tag = Some(tag.clone());
        }
    }
    Some(Webhooks {
        enum_name,
        discriminator: discriminator.map(|(property, _)| property),
        events,
        signature,
    })
}

/// The property every payload fixes to a value of its own, and those values in order.
fn discriminator(events: &[WebhookEvent], defs: &[TypeDef]) -> Option<(String, Vec<String>)> {
    let by_name: BTreeMap<&str, &TypeDef> = defs.iter().map(|d| (d.name.as_str(), d)).collect();
    let mut constants: Vec<BTreeMap<String, String>> = Vec::new();
    for event in events {
        let fields = struct_of(event.payload.as_ref()?, &by_name)?;
        let mut fixed = BTreeMap::new();
        for field in fields {
            if field.presence != Presence::Required {
                continue;
            }
            if let Some(value) = constant(&field.ty, &by_name) {
                fixed.insert(field.wire_name.clone(), value);
            }
        }
        constants.push(fixed);
    }
    let first = constants.first()?;
    let mut candidates: Vec<&String> = first
        .keys()
        .filter(|property| {
            let values: Vec<&String> = constants.iter().filter_map(|c| c.get(*property)).collect();
            let mut distinct = values.clone();
            distinct.sort();
            distinct.dedup();
            values.len() == constants.len() && distinct.len() == values.len()
        })
        .collect();
    candidates.sort_by_key(|p| {
        PREFERRED
            .iter()
            .position(|q| q == p)
            .unwrap_or(PREFERRED.len())
    });
    let property = candidates.first()?;
    let tags = constants
        .iter()
        .filter_map(|c| c.get(*property).cloned())
        .collect();
    Some(((*property).clone(), tags))
}

/// The fields of the struct a payload is (through aliases).
fn struct_of<'d>(
    ty: &TypeRef,
    by_name: &BTreeMap<&str, &'d TypeDef>,
) -> Option<&'d [super::Field]> {
    let mut ty = ty;
    for _ in 0..8 {
        let TypeRef::Named(name) = ty else {
            return None;
        };
        match &by_name.get(name.as_str())?.kind {
            TypeKind::Struct(s) if s.fields.iter().all(|f| !f.flatten) => return Some(&s.fields),
            TypeKind::Alias(target) => ty = target,
            _ => return None,
        }
    }
    None
}

/// The one string value a field's type allows (a one-value enum or a `const`).
fn constant(ty: &TypeRef, by_name: &BTreeMap<&str, &TypeDef>) -> Option<String> {
    let mut ty = ty;
    for _ in 0..8 {
        let TypeRef::Named(name) = ty else {
            return None;
        };
        match &by_name.get(name.as_str())?.kind {
            TypeKind::Enum(e) if e.variants.len() == 1 => {
                return e.variants[0].value.as_str().map(str::to_string)
            }
            TypeKind::Alias(target) => ty = target,
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::load;
    use crate::model::{build, WebhookSignature, Webhooks};

    fn webhooks(yaml: &str) -> (Option<Webhooks>, Vec<String>) {
        let doc = load::load_str(std::path::Path::new("test.yaml"), yaml).expect("loads");
        let api = build(&doc);
        let warnings = api.warnings.iter().map(|w| w.to_string()).collect();
        (api.webhooks, warnings)
    }

    const TYPED: &str = r#"
openapi: 3.1.0
info: {title: t, version: '1'}
x-webhook-signature: {scheme: hmac-sha256, header: X-Hub-Signature-256, prefix: "sha256="}
webhooks:
  a.created:
    post:
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Created'}}}}
      responses: {'200': {description: ok}}
  a.created.again:
    post:
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Created'}}}}
      responses: {'200': {description: ok}}
  a.deleted:
    post:
      operationId: deletedThing
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [kind, type, id]
              properties:
                kind: {type: string, const: thing}
                type: {type: string, enum: [a.deleted]}
                id: {type: string}
      responses: {'200': {description: ok}}
  ping:
    post:
      responses: {'200': {description: ok}}
components:
  schemas:
    Created:
      type: object
      required: [kind, type]
      properties:
        kind: {type: string, const: thing}
        type: {type: string, const: a.created}
"#;

    #[test]
    fn one_variant_per_payload_named_from_the_key_or_operation_id() {
        let (hooks, _) = webhooks(TYPED);
        let hooks = hooks.expect("webhooks");
        let variants: Vec<(&str, Vec<&str>)> = hooks
            .events
            .iter()
            .map(|e| {
                (
                    e.variant.as_str(),
                    e.names.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            variants,
            [
                ("ACreated", vec!["a.created", "a.created.again"]),
                ("DeletedThing", vec!["a.deleted"]),
                ("Ping", vec!["ping"]),
            ]
        );
        assert_eq!(hooks.enum_name, "WebhookEvent");
        assert_eq!(
            hooks.signature,
            Some(WebhookSignature::HmacSha256 {
                header: "X-Hub-Signature-256".into(),
                prefix: "sha256=".into()
            })
        );
        // A webhook without a body: no payload, so no discriminator either.
        assert_eq!(hooks.discriminator, None);
    }

    #[test]
    fn a_constant_property_with_distinct_values_discriminates() {
        // Without the bodiless `ping`: `type` and `kind` are both constants, but only
        // `type` differs between the payloads.
        let spec = TYPED.replace(
            "  ping:\n    post:\n      responses: {'200': {description: ok}}\n",
            "",
        );
        let hooks = webhooks(&spec).0.expect("webhooks");
        assert_eq!(hooks.discriminator.as_deref(), Some("type"));
        let tags: Vec<Option<&str>> = hooks.events.iter().map(|e| e.tag.as_deref()).collect();
        assert_eq!(tags, [Some("a.created"), Some("a.deleted")]);
        // With the values the same, nothing discriminates: the route's name decides.
        let same = spec.replace("enum: [a.deleted]", "enum: [a.created]");
        assert_eq!(webhooks(&same).0.expect("webhooks").discriminator, None);
    }

    #[test]
    fn callbacks_give_events_and_other_bodies_are_skipped_with_a_warning() {
        let spec = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
x-webhook-signature: {scheme: sha1}
paths:
  /subscribe:
    post:
      responses: {'201': {description: ok}}
      callbacks:
        onEvent:
          '{$request.body#/url}':
            post:
              requestBody:
                content:
                  application/json:
                    schema: {type: object, properties: {at: {type: string, format: date-time}}}
              responses: {'200': {description: ok}}
        onForm:
          '{$request.body#/url}':
            post:
              requestBody: {content: {application/x-www-form-urlencoded: {schema: {type: object}}}}
              responses: {'200': {description: ok}}
"#;
        let (hooks, warnings) = webhooks(spec);
        let hooks = hooks.expect("the callback");
        assert_eq!(hooks.events.len(), 1);
        assert!(hooks.events[0].callback);
        assert_eq!(hooks.events[0].names, ["onEvent"]);
        assert!(hooks.signature.is_none());
        assert!(
            warnings.iter().any(|w| w.contains("webhook-not-json")),
            "{warnings:?}"
        );
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("invalid-webhook-signature")),
            "{warnings:?}"
        );
    }

    #[test]
    fn callbacks_of_one_name_in_two_operations_get_names_of_their_own() {
        let callback = |prop: &str| {
            format!(
                "      callbacks:\n        onEvent:\n          '{{$request.body#/url}}':\n            post:\n              requestBody: {{content: {{application/json: {{schema: {{type: object, properties: {{{prop}: {{type: string}}}}}}}}}}}}\n              responses: {{'200': {{description: ok}}}}\n"
            )
        };
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    post:\n      operationId: a\n      responses: {{'201': {{description: ok}}}}\n{}  /b:\n    post:\n      operationId: b\n      responses: {{'201': {{description: ok}}}}\n{}",
            callback("x"),
            callback("y")
        );
        let hooks = webhooks(&spec).0.expect("callbacks");
        let names: Vec<&[String]> = hooks.events.iter().map(|e| e.names.as_slice()).collect();
        assert_eq!(names, [["onEvent".to_string()], ["onEvent_2".to_string()]]);
        let variants: Vec<&str> = hooks.events.iter().map(|e| e.variant.as_str()).collect();
        assert_eq!(variants.len(), 2);
        assert_ne!(variants[0], variants[1]);
    }

    #[test]
    fn no_webhooks_no_enum_and_a_taken_name_is_numbered() {
        let plain = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
        assert!(webhooks(plain).0.is_none());
        let taken = format!(
            "{TYPED}    WebhookEvent:\n      type: object\n      properties: {{a: {{type: string}}}}\n"
        );
        let hooks = webhooks(&taken).0.expect("webhooks");
        assert_ne!(hooks.enum_name, "WebhookEvent");
    }
}
