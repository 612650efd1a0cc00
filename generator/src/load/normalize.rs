//! Rewrites a document into the one shape the model understands: OpenAPI 3.0 as
//! `openapiv3` parses it. OpenAPI 3.1 keywords become their 3.0 equivalents, and
//! real-world defects that would stop `openapiv3` (a Swagger 2 parameter, a missing
//! `responses`, a keyword of the wrong type) are repaired or dropped with a warning,
//! so nothing the spec says is lost without a word.

use serde_json::{Map, Value};

use super::{idioms, lenient, servers};
use crate::diagnostics::{pointer_push, Warning};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Normalises `doc` in place and returns what it had to change or drop.
pub fn normalize(doc: &mut Value) -> Vec<Warning> {
    let (mut warnings, rest) = normalize_parts(doc);
    warnings.extend(rest);
    warnings
}

/// [`normalize`], with the warnings split where those of `components` begin: a caller
/// that normalises `components.schemas` on its own (with [`schemas`]) puts their warnings
/// between the two parts, where [`normalize`] would have them.
pub fn normalize_parts(doc: &mut Value) -> (Vec<Warning>, Vec<Warning>) {
    let mut n = Normalizer::default();
    let Some(root) = doc.as_object_mut() else {
        return (n.warnings, Vec::new());
    };
    if !root.contains_key("paths") {
        // 3.1 makes `paths` optional (a webhooks-only document, for example).
        root.insert("paths".into(), Value::Object(Map::new()));
    }
    if !root.contains_key("info") {
        n.warn(
            "/info",
            "missing-field",
            "no `info` object; using an empty title and version",
        );
        root.insert(
            "info".into(),
            serde_json::json!({"title": "", "version": ""}),
        );
    }
    // 3.1's `info.summary` and `license.identifier` (an SPDX expression) have no place
    // in `openapiv3`'s 3.0 types: kept as extensions for the crate's manifest and README.
    if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) {
        if let Some(summary) = info.remove("summary") {
            info.entry("x-summary").or_insert(summary);
        }
        if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
            if let Some(id) = license.remove("identifier") {
                license.entry("x-identifier").or_insert(id);
            }
        }
    }
    // Webhooks (3.1, or the `x-webhooks` of 3.0 documents) are path items like any
    // other, normalised the same way; `openapiv3` keeps only `x-` keys of the root, so
    // they are kept as `x-webhooks` for the model (which reads them into the event enum).
    if let Some(Value::Object(hooks)) = root.remove("webhooks") {
        let merged = root
            .entry("x-webhooks")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(merged) = merged.as_object_mut() {
            merged.extend(hooks);
        }
    }
    if let Some(hooks) = root.get_mut("x-webhooks").and_then(Value::as_object_mut) {
        for (name, item) in hooks.iter_mut() {
            n.path_item(item, &pointer_push("/webhooks", name));
        }
    }
    servers::servers(root, "", &mut n.warnings);
    if let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            n.path_item(item, &pointer_push("/paths", path));
        }
    }
    let head = n.warnings.len();
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        n.components(components);
    }
    let rest = n.warnings.split_off(head);
    (n.warnings, rest)
}

/// Normalises one entry of `components.schemas`, named `name`.
pub fn component_schema(name: &str, schema: &mut Value) -> Vec<Warning> {
    let mut n = Normalizer::default();
    n.schema(schema, &pointer_push("/components/schemas", name));
    n.warnings
}

#[derive(Default)]
struct Normalizer {
    warnings: Vec<Warning>,
}

impl Normalizer {
    fn warn(&mut self, pointer: &str, class: &'static str, message: impl Into<String>) {
        self.warnings.push(Warning::new(pointer, class, message));
    }

    fn components(&mut self, components: &mut Map<String, Value>) {
        if let Some(schemas) = components.get_mut("schemas").and_then(Value::as_object_mut) {
            for (name, schema) in schemas.iter_mut() {
                self.schema(schema, &pointer_push("/components/schemas", name));
            }
        }
        if let Some(params) = components
            .get_mut("parameters")
            .and_then(Value::as_object_mut)
        {
            for (name, p) in params.iter_mut() {
                let at = pointer_push("/components/parameters", name);
                if !self.parameter(p, &at) {
                    // The whole parameter is unusable; leave a neutral stand-in so refs resolve.
                    *p = serde_json::json!({"in": "query", "name": name, "x-dropped": true, "schema": {}});
                }
            }
        }
        if let Some(bodies) = components
            .get_mut("requestBodies")
            .and_then(Value::as_object_mut)
        {
            for (name, b) in bodies.iter_mut() {
                self.content_holder(b, &pointer_push("/components/requestBodies", name));
            }
        }
        if let Some(responses) = components
            .get_mut("responses")
            .and_then(Value::as_object_mut)
        {
            for (name, r) in responses.iter_mut() {
                self.response(r, &pointer_push("/components/responses", name));
            }
        }
        if let Some(headers) = components.get_mut("headers").and_then(Value::as_object_mut) {
            for (name, h) in headers.iter_mut() {
                self.content_holder(h, &pointer_push("/components/headers", name));
            }
        }
        if let Some(items) = components.get("pathItems").and_then(Value::as_object) {
            if !items.is_empty() {
                self.warn(
                    "/components/pathItems",
                    "path-items-skipped",
                    "components.pathItems (3.1) are only used through webhooks and callbacks here; not generated",
                );
            }
        }
    }

    fn path_item(&mut self, item: &mut Value, at: &str) {
        let Some(item) = item.as_object_mut() else {
            return;
        };
        if item.contains_key("$ref") {
            return;
        }
        servers::servers(item, at, &mut self.warnings);
        if let Some(params) = item.get_mut("parameters") {
            self.parameter_list(params, &pointer_push(at, "parameters"));
        }
        for method in METHODS {
            if let Some(op) = item.get_mut(method) {
                self.operation(op, &pointer_push(at, method));
            }
        }
    }

    fn operation(&mut self, op: &mut Value, at: &str) {
        let Some(op) = op.as_object_mut() else { return };
        servers::servers(op, at, &mut self.warnings);
        if let Some(params) = op.get_mut("parameters") {
            self.parameter_list(params, &pointer_push(at, "parameters"));
        }
        if let Some(body) = op.get_mut("requestBody") {
            self.content_holder(body, &pointer_push(at, "requestBody"));
        }
        match op.get_mut("responses").and_then(Value::as_object_mut) {
            Some(responses) => {
                for (status, r) in responses.iter_mut() {
                    self.response(r, &pointer_push(&pointer_push(at, "responses"), status));
                }
            }
            None => {
                self.warn(
                    at,
                    "missing-responses",
                    "operation has no `responses`; treating every answer as undocumented",
                );
                op.insert("responses".into(), Value::Object(Map::new()));
            }
        }
        lenient::external_docs(op, at, &mut self.warnings);
        lenient::callbacks(op, at, &mut self.warnings);
        // Callbacks are path items too (their payloads become webhook events).
        if let Some(callbacks) = op.get_mut("callbacks").and_then(Value::as_object_mut) {
            let at = pointer_push(at, "callbacks");
            for (name, callback) in callbacks.iter_mut() {
                let Some(entries) = callback.as_object_mut() else {
                    continue;
                };
                let at = pointer_push(&at, name);
                for (expression, item) in entries.iter_mut() {
                    self.path_item(item, &pointer_push(&at, expression));
                }
            }
        }
    }

    fn parameter_list(&mut self, params: &mut Value, at: &str) {
        let Some(list) = params.as_array_mut() else {
            return;
        };
        let mut index = 0;
        list.retain_mut(|p| {
            let keep = self.parameter(p, &pointer_push(at, &index.to_string()));
            index += 1;
            keep
        });
    }

    /// Returns false when the parameter cannot be represented and was dropped.
    fn parameter(&mut self, p: &mut Value, at: &str) -> bool {
        let Some(obj) = p.as_object_mut() else {
            return true;
        };
        if obj.contains_key("$ref") {
            return true;
        }
        let location = obj.get("in").and_then(Value::as_str).unwrap_or("");
        if !matches!(location, "query" | "header" | "path" | "cookie") {
            let name = obj.get("name").and_then(Value::as_str).unwrap_or("?");
            let msg = if location == "formData" || location == "body" {
                format!(
                    "parameter `{name}` is `in: {location}` (Swagger 2.0, not OpenAPI 3); dropped"
                )
            } else {
                format!("parameter `{name}` has unknown location `in: {location}`; dropped")
            };
            self.warn(at, "invalid-parameter", msg);
            return false;
        }
        if !obj.contains_key("schema") && !obj.contains_key("content") {
            self.swagger2_parameter_schema(obj, at);
        }
        self.content_holder(p, at);
        if let Some(obj) = p.as_object_mut() {
            idioms::path_parameter(obj, at, &mut self.warnings);
        }
        true
    }

    /// A Swagger 2.0 parameter carries `type`, `format`, `items`, `enum` itself; OpenAPI 3
    /// puts them in `schema`. Moving them keeps the parameter's type.
    fn swagger2_parameter_schema(&mut self, obj: &mut Map<String, Value>, at: &str) {
        let mut schema = Map::new();
        for key in [
            "type", "format", "items", "enum", "default", "minimum", "maximum", "pattern",
        ] {
            if let Some(v) = obj.remove(key) {
                schema.insert(key.to_string(), v);
            }
        }
        let name = obj
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        if schema.is_empty() {
            self.warn(
                at,
                "missing-schema",
                format!("parameter `{name}` has neither `schema` nor `content`; typed as a string"),
            );
            schema.insert("type".into(), Value::String("string".into()));
        } else {
            self.warn(at, "swagger2-parameter", format!("parameter `{name}` declares its type Swagger 2.0 style (without `schema`); read as its schema"));
        }
        obj.insert("schema".into(), Value::Object(schema));
    }

    /// Parameters, headers, request bodies and responses hold a `schema` or a `content`
    /// map of media types, each with a schema.
    fn content_holder(&mut self, holder: &mut Value, at: &str) {
        let Some(obj) = holder.as_object_mut() else {
            return;
        };
        if let Some(schema) = obj.get_mut("schema") {
            self.schema(schema, &pointer_push(at, "schema"));
        }
        if let Some(content) = obj.get_mut("content").and_then(Value::as_object_mut) {
            for (media, mt) in content.iter_mut() {
                let mat = pointer_push(&pointer_push(at, "content"), media);
                if let Some(schema) = mt.get_mut("schema") {
                    self.schema(schema, &pointer_push(&mat, "schema"));
                }
            }
        }
        if let Some(headers) = obj.get_mut("headers").and_then(Value::as_object_mut) {
            for (name, h) in headers.iter_mut() {
                self.content_holder(h, &pointer_push(&pointer_push(at, "headers"), name));
            }
        }
    }

    fn response(&mut self, r: &mut Value, at: &str) {
        let Some(obj) = r.as_object_mut() else { return };
        if obj.contains_key("$ref") {
            return;
        }
        if !obj.get("description").is_some_and(Value::is_string) {
            obj.insert("description".into(), Value::String(String::new()));
        }
        lenient::links(obj, at, &mut self.warnings);
        if obj.contains_key("type") || obj.contains_key("schema") && !obj.contains_key("content") {
            self.warn(
                at,
                "invalid-response",
                "response declares `type`/`schema` directly (Swagger 2.0 style) instead of `content`; its body is treated as undocumented",
            );
            obj.remove("schema");
        }
        self.content_holder(r, at);
    }

    /// Normalises one schema and, recursively, the schemas inside it.
    fn schema(&mut self, schema: &mut Value, at: &str) {
        let Some(obj) = schema.as_object_mut() else {
            if let Value::Bool(b) = schema {
                // 3.1 boolean schemas: `true` accepts anything, `false` nothing.
                let b = *b;
                *schema = if b {
                    Value::Object(Map::new())
                } else {
                    serde_json::json!({"not": {}})
                };
            }
            return;
        };
        self.ref_with_siblings(obj, at);
        self.type_array(obj, at);
        file_keywords(obj);
        if let Some(c) = obj.remove("const") {
            obj.insert("enum".into(), Value::Array(vec![c]));
        }
        if let Some(Value::Array(examples)) = obj.remove("examples") {
            if !obj.contains_key("example") {
                if let Some(first) = examples.into_iter().next() {
                    obj.insert("example".into(), first);
                }
            }
        }
        for (key, flag) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(Value::Number(n)) = obj.get(key).cloned() {
                obj.insert(flag.into(), Value::Number(n));
                obj.insert(key.into(), Value::Bool(true));
            }
        }
        self.keyword_types(obj, at);
        for key in ["properties", "$defs", "definitions", "patternProperties"] {
            if let Some(props) = obj.get_mut(key).and_then(Value::as_object_mut) {
                for (name, s) in props.iter_mut() {
                    self.schema(s, &pointer_push(&pointer_push(at, key), name));
                }
            }
        }
        for key in ["items", "additionalProperties", "not"] {
            if let Some(s) = obj.get_mut(key) {
                if key == "additionalProperties" && s.is_boolean() {
                    continue;
                }
                self.schema(s, &pointer_push(at, key));
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(list) = obj.get_mut(key).and_then(Value::as_array_mut) {
                for (i, s) in list.iter_mut().enumerate() {
                    self.schema(s, &pointer_push(&pointer_push(at, key), &i.to_string()));
                }
            }
        }
        idioms::nullable_all_of(obj);
    }

    /// 3.1 allows keywords beside `$ref`; 3.0 ignores them. Wrapping the reference in
    /// `allOf` keeps both, and the model treats a wrapper that adds only documentation as
    /// the referenced type itself.
    fn ref_with_siblings(&mut self, obj: &mut Map<String, Value>, _at: &str) {
        if obj.len() > 1 && obj.contains_key("$ref") {
            let reference = obj.remove("$ref").unwrap_or(Value::Null);
            let mut wrapper = Map::new();
            wrapper.insert("$ref".into(), reference);
            obj.insert("allOf".into(), Value::Array(vec![Value::Object(wrapper)]));
        }
    }

    /// `type: [T, "null"]` (3.1) becomes `type: T, nullable: true` (3.0).
    fn type_array(&mut self, obj: &mut Map<String, Value>, at: &str) {
        match obj.get("type") {
            Some(Value::Array(types)) => {
                let mut kinds: Vec<String> = types
                    .iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect();
                let had_null = kinds.iter().any(|t| t == "null");
                kinds.retain(|t| t != "null");
                if had_null {
                    obj.insert("nullable".into(), Value::Bool(true));
                }
                match kinds.len() {
                    0 => {
                        obj.remove("type");
                        obj.insert("enum".into(), Value::Array(vec![Value::Null]));
                    }
                    1 => {
                        obj.insert("type".into(), Value::String(kinds.remove(0)));
                    }
                    _ => {
                        obj.remove("type");
                        self.warn(
                            &pointer_push(at, "type"),
                            "multiple-types",
                            format!(
                                "a value of several types ({}) is kept as a JSON value",
                                kinds.join(", ")
                            ),
                        );
                    }
                }
            }
            Some(Value::String(t)) if t == "null" => {
                obj.remove("type");
                obj.insert("nullable".into(), Value::Bool(true));
                obj.insert("enum".into(), Value::Array(vec![Value::Null]));
            }
            Some(Value::String(_)) | None => {}
            Some(_) => {
                obj.remove("type");
                self.warn(
                    &pointer_push(at, "type"),
                    "invalid-keyword",
                    "`type` is not a string; ignored",
                );
            }
        }
    }

    /// Drops keywords whose value has the wrong JSON type (seen in real specs: `True`
    /// for a number, `required: true` on a property) so the rest of the schema survives.
    fn keyword_types(&mut self, obj: &mut Map<String, Value>, at: &str) {
        lenient::schema_keywords(obj, at, &mut self.warnings);
        const NUMERIC: [&str; 10] = [
            "minimum",
            "maximum",
            "multipleOf",
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
            "minProperties",
            "maxProperties",
            "exclusiveMinimum",
        ];
        for key in NUMERIC {
            let ok = match obj.get(key) {
                None => true,
                Some(Value::Number(_)) => true,
                Some(Value::Bool(_)) => key == "exclusiveMinimum",
                Some(_) => false,
            };
            if !ok {
                obj.remove(key);
                self.warn(
                    &pointer_push(at, key),
                    "invalid-keyword",
                    format!("`{key}` is not a number; ignored"),
                );
            }
        }
        if matches!(obj.get("exclusiveMaximum"), Some(v) if !v.is_boolean()) {
            obj.remove("exclusiveMaximum");
            self.warn(
                &pointer_push(at, "exclusiveMaximum"),
                "invalid-keyword",
                "`exclusiveMaximum` is not a boolean; ignored",
            );
        }
        for key in [
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
            "minProperties",
            "maxProperties",
        ] {
            if let Some(Value::Number(n)) = obj.get(key) {
                if n.as_u64().is_none() {
                    obj.remove(key);
                    self.warn(
                        &pointer_push(at, key),
                        "invalid-keyword",
                        format!("`{key}` is not a whole number; ignored"),
                    );
                }
            }
        }
        for key in ["multipleOf", "minimum", "maximum"] {
            // openapiv3 reads integer-typed bounds as i64: a fractional bound on an
            // integer would fail the whole document.
            if obj.get("type").and_then(Value::as_str) == Some("integer") {
                if let Some(Value::Number(n)) = obj.get(key) {
                    if n.as_i64().is_none() {
                        match n.as_f64() {
                            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                                obj.insert(key.into(), Value::from(f as i64));
                            }
                            _ => {
                                obj.remove(key);
                                self.warn(
                                    &pointer_push(at, key),
                                    "invalid-keyword",
                                    format!("`{key}` of an integer is not an integer; ignored"),
                                );
                            }
                        }
                    }
                }
            }
        }
        match obj.get_mut("required") {
            Some(Value::Array(list)) => {
                let mut seen = std::collections::BTreeSet::new();
                list.retain(|v| v.as_str().is_some_and(|s| seen.insert(s.to_string())));
            }
            Some(_) => {
                obj.remove("required");
                self.warn(
                    &pointer_push(at, "required"),
                    "invalid-keyword",
                    "`required` is not a list of names (Swagger 2 style?); ignored",
                );
            }
            None => {}
        }
        if let Some(items) = obj.get("items") {
            if items.is_array() {
                obj.remove("items");
                self.warn(
                    &pointer_push(at, "items"),
                    "tuple-items",
                    "tuple `items` (a list of schemas) is kept as a list of JSON values",
                );
            }
        }
        if let Some(e) = obj.get("enum") {
            if !e.is_array() {
                obj.remove("enum");
                self.warn(
                    &pointer_push(at, "enum"),
                    "invalid-keyword",
                    "`enum` is not a list; ignored",
                );
            }
        }
        if matches!(obj.get("nullable"), Some(v) if !v.is_boolean()) {
            obj.remove("nullable");
        }
        if obj.get("type").and_then(Value::as_str) == Some("string") {
            if let Some(Value::Array(values)) = obj.get("enum") {
                if values.iter().any(|v| !v.is_string() && !v.is_null()) {
                    // openapiv3 wants strings here; keep the values as their JSON text.
                    let fixed = values
                        .iter()
                        .map(|v| match v {
                            Value::String(_) | Value::Null => v.clone(),
                            other => Value::String(other.to_string()),
                        })
                        .collect();
                    obj.insert("enum".into(), Value::Array(fixed));
                }
            }
        }
    }
}

/// Files as 3.1 describes them, in 3.0's words: a string with `contentEncoding:
/// base64` is `format: byte` (base64 text), one with `contentEncoding: binary`
/// (or another encoding that is not text) or with a `contentMediaType` that is not
/// text is `format: binary` (raw bytes). A `format` already given wins.
fn file_keywords(obj: &mut Map<String, Value>) {
    if obj.get("type").and_then(Value::as_str) != Some("string") || obj.contains_key("format") {
        return;
    }
    let encoding = obj
        .get("contentEncoding")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase);
    let media = obj
        .get("contentMediaType")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase);
    let format = match (encoding.as_deref(), media.as_deref()) {
        (Some("base64" | "base64url"), _) => "byte",
        (Some("7bit" | "8bit" | "quoted-printable" | "base32" | "base16"), _) => return,
        (Some(_), _) => "binary",
        (None, Some(media)) if !is_text_media(media) => "binary",
        _ => return,
    };
    obj.insert("format".into(), Value::String(format.into()));
}

/// Media types whose content is text (kept as `String`).
fn is_text_media(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim();
    essence.starts_with("text/")
        || essence == "application/json"
        || essence.ends_with("+json")
        || essence == "application/xml"
        || essence.ends_with("+xml")
        || essence == "application/x-www-form-urlencoded"
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn norm_schema(s: Value) -> (Value, Vec<Warning>) {
        let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"S": s}}});
        let w = normalize(&mut doc);
        (doc["components"]["schemas"]["S"].clone(), w)
    }

    #[test]
    fn files_as_3_1_writes_them() {
        let format = |schema: Value| norm_schema(schema).0.get("format").cloned();
        let s = |v: &str| Some(Value::String(v.into()));
        assert_eq!(
            format(serde_json::json!({"type": "string", "contentMediaType": "image/png"})),
            s("binary")
        );
        assert_eq!(
            format(
                serde_json::json!({"type": "string", "contentMediaType": "application/octet-stream"})
            ),
            s("binary")
        );
        assert_eq!(
            format(serde_json::json!({"type": "string", "contentEncoding": "binary"})),
            s("binary")
        );
        assert_eq!(
            format(serde_json::json!({"type": "string", "contentEncoding": "base64"})),
            s("byte")
        );
        assert_eq!(
            format(
                serde_json::json!({"type": "string", "contentEncoding": "base64", "contentMediaType": "image/png"})
            ),
            s("byte")
        );
        assert_eq!(
            format(serde_json::json!({"type": "string", "contentMediaType": "text/plain"})),
            None
        );
        assert_eq!(
            format(serde_json::json!({"type": "string", "contentMediaType": "application/json"})),
            None
        );
        assert_eq!(
            format(
                serde_json::json!({"type": "string", "format": "uri", "contentMediaType": "image/png"})
            ),
            s("uri")
        );
        assert_eq!(
            format(
                serde_json::json!({"type": ["string", "null"], "contentMediaType": "image/png"})
            ),
            s("binary")
        );
    }

    #[test]
    fn type_array_with_null_becomes_nullable() {
        let (s, w) = norm_schema(json!({"type": ["string", "null"]}));
        assert_eq!(s, json!({"type": "string", "nullable": true}));
        assert!(w.is_empty());
    }

    #[test]
    fn several_types_degrade_with_a_warning() {
        let (s, w) = norm_schema(json!({"type": ["string", "integer"]}));
        assert_eq!(s, json!({}));
        assert_eq!(w[0].class, "multiple-types");
        assert_eq!(w[0].pointer, "/components/schemas/S/type");
    }

    #[test]
    fn const_and_examples_and_exclusive_bounds() {
        let (s, _) = norm_schema(json!({"const": 3, "examples": [1, 2], "exclusiveMinimum": 0}));
        assert_eq!(
            s,
            json!({"enum": [3], "example": 1, "minimum": 0, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn ref_with_siblings_is_wrapped_in_all_of() {
        let (s, _) = norm_schema(json!({"$ref": "#/components/schemas/T", "description": "d"}));
        assert_eq!(
            s,
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
    }

    #[test]
    fn nested_schemas_are_normalised() {
        let (s, _) = norm_schema(json!({"properties": {"a": {"type": ["null", "integer"]}}}));
        assert_eq!(
            s["properties"]["a"],
            json!({"type": "integer", "nullable": true})
        );
    }

    #[test]
    fn swagger2_form_parameter_is_dropped_with_warning() {
        let mut doc = json!({"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"post": {
            "parameters": [{"in": "formData", "name": "f"}, {"in": "query", "name": "q"}]}}}});
        let w = normalize(&mut doc);
        assert_eq!(
            doc["paths"]["/a"]["post"]["parameters"]
                .as_array()
                .map(Vec::len),
            Some(1)
        );
        assert!(
            w.iter()
                .any(|w| w.class == "invalid-parameter"
                    && w.pointer == "/paths/~1a/post/parameters/0")
        );
        assert!(w.iter().any(|w| w.class == "missing-responses"));
    }

    #[test]
    fn wrong_keyword_types_are_dropped() {
        let (s, w) = norm_schema(json!({"type": "number", "maximum": "True", "required": true}));
        assert_eq!(s, json!({"type": "number"}));
        assert_eq!(w.len(), 2);
    }
}
