//! Forgiving input: a keyword of the wrong type, or a malformed entry, in a part of the
//! document that changes nothing the generator emits (documentation text, `pattern` and
//! `format` hints, `externalDocs`, callbacks, links) is dropped with a warning naming its
//! JSON pointer, and the rest of the document generates. Anything that would make the
//! output wrong stays an error with file, pointer and line (`openapiv3` reports it).

use serde_json::{Map, Value};

use crate::diagnostics::{pointer_push, Warning};

/// Schema keywords that only document the value: a non-string one is dropped.
const TEXT_KEYWORDS: [&str; 4] = ["pattern", "format", "title", "description"];

/// Drops the documentation keywords of a schema that are not strings, and a malformed
/// `externalDocs`.
pub(super) fn schema_keywords(obj: &mut Map<String, Value>, at: &str, warnings: &mut Vec<Warning>) {
    for key in TEXT_KEYWORDS {
        if matches!(obj.get(key), Some(v) if !v.is_string()) {
            let kind = kind_of(obj.get(key));
            obj.remove(key);
            warnings.push(Warning::new(
                pointer_push(at, key),
                "invalid-keyword",
                format!("`{key}` is {kind}, not a string; ignored (it only documents the value)"),
            ));
        }
    }
    external_docs(obj, at, warnings);
}

/// Drops an `externalDocs` that is not an object with a string `url`.
pub(super) fn external_docs(obj: &mut Map<String, Value>, at: &str, warnings: &mut Vec<Warning>) {
    let Some(docs) = obj.get("externalDocs") else {
        return;
    };
    if docs.get("url").is_some_and(Value::is_string) {
        return;
    }
    let kind = kind_of(Some(docs));
    obj.remove("externalDocs");
    warnings.push(Warning::new(
        pointer_push(at, "externalDocs"),
        "invalid-keyword",
        format!("`externalDocs` is {kind} without a string `url`; ignored (it only documents)"),
    ));
}

/// Keeps the callbacks of an operation that are maps of path items: an entry that is
/// anything else (a `$ref` string where a path item belongs, say) is dropped. Callbacks
/// are requests the API sends, for which no method is generated.
pub(super) fn callbacks(op: &mut Map<String, Value>, at: &str, warnings: &mut Vec<Warning>) {
    let at = pointer_push(at, "callbacks");
    let Some(callbacks) = op.get_mut("callbacks") else {
        return;
    };
    let Some(map) = callbacks.as_object_mut() else {
        let kind = kind_of(Some(callbacks));
        op.remove("callbacks");
        warnings.push(Warning::new(
            &at,
            "invalid-callback",
            format!("`callbacks` is {kind}, not a map; ignored"),
        ));
        return;
    };
    map.retain(|name, callback| {
        let here = pointer_push(&at, name);
        let Some(entries) = callback.as_object_mut() else {
            warnings.push(Warning::new(
                &here,
                "invalid-callback",
                format!(
                    "callback `{name}` is {}, not a map of path items; skipped",
                    kind_of(Some(callback))
                ),
            ));
            return false;
        };
        entries.retain(|expression, item| {
            if item.is_object() && !matches!(item.get("$ref"), Some(r) if !r.is_string()) {
                return true;
            }
            warnings.push(Warning::new(
                pointer_push(&here, expression),
                "invalid-callback",
                format!(
                    "callback entry `{expression}` is {}, not a path item; skipped",
                    describe(item)
                ),
            ));
            false
        });
        true
    });
}

/// Keeps the `links` of a response that are objects; a malformed link is dropped.
pub(super) fn links(response: &mut Map<String, Value>, at: &str, warnings: &mut Vec<Warning>) {
    let at = pointer_push(at, "links");
    let Some(links) = response.get_mut("links") else {
        return;
    };
    let Some(map) = links.as_object_mut() else {
        let kind = kind_of(Some(links));
        response.remove("links");
        warnings.push(Warning::new(
            &at,
            "invalid-link",
            format!("`links` is {kind}, not a map; ignored"),
        ));
        return;
    };
    map.retain(|name, link| {
        if link.is_object() {
            return true;
        }
        warnings.push(Warning::new(
            pointer_push(&at, name),
            "invalid-link",
            format!(
                "link `{name}` is {}, not a link object; ignored",
                kind_of(Some(link))
            ),
        ));
        false
    });
}

/// What a JSON value is, for a message: "a number", "a string", ...
fn kind_of(value: Option<&Value>) -> &'static str {
    match value {
        None | Some(Value::Null) => "null",
        Some(Value::Bool(_)) => "a boolean",
        Some(Value::Number(_)) => "a number",
        Some(Value::String(_)) => "a string",
        Some(Value::Array(_)) => "a list",
        Some(Value::Object(_)) => "an object",
    }
}

/// [`kind_of`], with a string's text (a `$ref` written where an object belongs).
fn describe(value: &Value) -> String {
    match value {
        Value::String(text) => format!("the string `{text}`"),
        other => kind_of(Some(other)).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn run(
        f: fn(&mut Map<String, Value>, &str, &mut Vec<Warning>),
        value: Value,
    ) -> (Value, Vec<Warning>) {
        let mut value = value;
        let mut warnings = Vec::new();
        if let Some(obj) = value.as_object_mut() {
            f(obj, "/at", &mut warnings);
        }
        (value, warnings)
    }

    #[test]
    fn documentation_keywords_of_the_wrong_type_are_dropped_with_their_pointer() {
        let (schema, warnings) = run(
            schema_keywords,
            json!({"type": "string", "pattern": 0, "format": ["x"], "title": "ok", "description": 1,
                   "externalDocs": {"description": "no url"}}),
        );
        assert_eq!(schema, json!({"type": "string", "title": "ok"}));
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/at/pattern",
                "/at/format",
                "/at/description",
                "/at/externalDocs"
            ]
        );
        assert!(
            warnings[0].message.contains("`pattern` is a number"),
            "{:?}",
            warnings[0]
        );
    }

    #[test]
    fn a_callback_entry_that_is_a_ref_string_is_skipped_the_rest_kept() {
        let (op, warnings) = run(
            callbacks,
            json!({"callbacks": {
                "onEvent": {"{$request.body#/url}": "#/components/callbacks/Event",
                            "{$request.body#/other}": {"post": {"responses": {}}}},
                "broken": 3
            }}),
        );
        assert_eq!(
            op,
            json!({"callbacks": {"onEvent": {"{$request.body#/other}": {"post": {"responses": {}}}}}})
        );
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/at/callbacks/onEvent/{$request.body#~1url}",
                "/at/callbacks/broken"
            ]
        );
        assert!(
            warnings[0]
                .message
                .contains("`#/components/callbacks/Event`"),
            "{:?}",
            warnings[0]
        );
    }

    #[test]
    fn malformed_links_are_dropped() {
        let (response, warnings) = run(
            links,
            json!({"links": {"next": "oops", "self": {"operationId": "get"}}}),
        );
        assert_eq!(response, json!({"links": {"self": {"operationId": "get"}}}));
        assert_eq!(warnings.len(), 1);
    }

    /// The two defects real published descriptions carry, end to end: the document
    /// loads, with one warning each at their pointers, and the client is generated.
    #[test]
    fn documents_with_these_defects_load_with_warnings() {
        let yaml = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /subscribe:
    post:
      operationId: subscribe
      callbacks:
        onEvent:
          '{$request.body#/url}': '#/components/callbacks/Event'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      type: object
      properties:
        code: {type: string, pattern: 0}
"#;
        let doc = crate::load::load_str(std::path::Path::new("defects.yaml"), yaml)
            .expect("loads despite both defects");
        let found: Vec<(&str, &str)> = doc
            .warnings
            .iter()
            .map(|w| (w.class, w.pointer.as_str()))
            .collect();
        assert!(
            found.contains(&(
                "invalid-keyword",
                "/components/schemas/Pet/properties/code/pattern"
            )),
            "{found:?}"
        );
        assert!(
            found.contains(&(
                "invalid-callback",
                "/paths/~1subscribe/post/callbacks/onEvent/{$request.body#~1url}"
            )),
            "{found:?}"
        );
        let api = crate::model::build(&doc);
        assert_eq!(api.operations.len(), 1);
        assert!(api.types.iter().any(|t| t.name == "Pet"));
    }
}
