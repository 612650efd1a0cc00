//! Swagger 2.0 to OpenAPI 3.0: a rewrite of the JSON tree, so later stages see one shape.
//!
//! - `host`, `basePath` and `schemes` become `servers`;
//! - `definitions`, and the root `parameters` and `responses`, move under `components`
//!   (and every `$ref` to them follows);
//! - `in: body` and `in: formData` parameters become the request body, for each media
//!   type of `consumes` (form fields as the properties of one object schema,
//!   `multipart/form-data` when a field is a `type: file`);
//! - responses get a `content` entry per media type of `produces`;
//! - `collectionFormat` becomes `style` and `explode`; `x-nullable` becomes `nullable`;
//!   `type: file` becomes a binary string; `securityDefinitions` become
//!   `securitySchemes` (basic, apiKey, oauth2 flows).
//!
//! What 3.0 cannot say the same way (`collectionFormat: tsv`, per-operation `schemes`)
//! gives a warning.

mod operations;

use serde_json::{json, Map, Value};

use crate::diagnostics::{pointer_push, Warning};

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

/// Converts a Swagger 2.0 document (with no external references left) to OpenAPI 3.0.3.
pub fn convert(doc: Value) -> (Value, Vec<Warning>) {
    let mut c = Converter {
        warnings: Vec::new(),
        global_params: doc
            .get("parameters")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default(),
        consumes: media_list(doc.get("consumes")),
        produces: media_list(doc.get("produces")),
    };
    let Value::Object(root) = doc else {
        return (doc, c.warnings);
    };
    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    let mut components = Map::new();
    for (key, value) in root.iter() {
        match key.as_str() {
            "swagger" | "host" | "basePath" | "schemes" | "consumes" | "produces" => {}
            "info" | "tags" | "externalDocs" | "security" => {
                out.insert(key.clone(), value.clone());
            }
            "paths" => {
                out.insert(key.clone(), c.paths(value));
            }
            "definitions" => {
                let schemas = map_values(value, |name, s| {
                    c.schema(s, &pointer_push("/definitions", name))
                });
                components.insert("schemas".into(), schemas);
            }
            "parameters" => {
                // Body and form parameters are written into each operation that uses them.
                let mut params = Map::new();
                for (name, p) in value.as_object().into_iter().flatten() {
                    if !is_body_or_form(p) {
                        params.insert(
                            name.clone(),
                            c.parameter(p, &pointer_push("/parameters", name)),
                        );
                    }
                }
                components.insert("parameters".into(), Value::Object(params));
            }
            "responses" => {
                let produces = c.produces.clone();
                let responses = map_values(value, |name, r| {
                    c.response(r, &produces, &pointer_push("/responses", name))
                });
                components.insert("responses".into(), responses);
            }
            "securityDefinitions" => {
                let schemes = map_values(value, |name, s| {
                    c.security_scheme(s, &pointer_push("/securityDefinitions", name))
                });
                components.insert("securitySchemes".into(), schemes);
            }
            k if k.starts_with("x-") => {
                out.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
    out.insert("servers".into(), c.servers(&root));
    if !out.contains_key("paths") {
        out.insert("paths".into(), json!({}));
    }
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    // Keep the usual key order: openapi, info, servers, ...
    let mut ordered = Map::new();
    for key in ["openapi", "info", "servers"] {
        if let Some(v) = out.shift_remove(key) {
            ordered.insert(key.into(), v);
        }
    }
    ordered.extend(out);
    (Value::Object(ordered), c.warnings)
}

struct Converter {
    warnings: Vec<Warning>,
    global_params: Map<String, Value>,
    consumes: Option<Vec<String>>,
    produces: Option<Vec<String>>,
}

fn media_list(value: Option<&Value>) -> Option<Vec<String>> {
    value.and_then(Value::as_array).map(|items| {
        items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    })
}

fn map_values(value: &Value, mut f: impl FnMut(&str, &Value) -> Value) -> Value {
    Value::Object(
        value
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), f(k, v)))
            .collect(),
    )
}

fn is_body_or_form(p: &Value) -> bool {
    matches!(
        p.get("in").and_then(Value::as_str),
        Some("body" | "formData")
    )
}

/// `#/definitions/X` to `#/components/schemas/X`, and the same for the root
/// parameters and responses.
fn rewrite_ref(reference: &str) -> String {
    for (from, to) in [
        ("#/definitions/", "#/components/schemas/"),
        ("#/parameters/", "#/components/parameters/"),
        ("#/responses/", "#/components/responses/"),
    ] {
        if let Some(rest) = reference.strip_prefix(from) {
            return format!("{to}{rest}");
        }
    }
    reference.to_string()
}

impl Converter {
    fn warn(&mut self, pointer: &str, class: &'static str, message: String) {
        self.warnings.push(Warning::new(pointer, class, message));
    }

    fn servers(&mut self, root: &Map<String, Value>) -> Value {
        let base_path = root.get("basePath").and_then(Value::as_str).unwrap_or("");
        let base_path = base_path.trim_end_matches('/');
        let Some(host) = root.get("host").and_then(Value::as_str) else {
            let url = if base_path.is_empty() { "/" } else { base_path };
            self.warn(
                "/host",
                "swagger2-no-host",
                "no `host`: the server is the host the spec was served from; the client gets a relative base URL to override".into(),
            );
            return json!([{ "url": url }]);
        };
        let schemes: Vec<&str> = root
            .get("schemes")
            .and_then(Value::as_array)
            .map(|s| s.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut schemes: Vec<&str> = schemes
            .into_iter()
            .filter(|s| matches!(*s, "https" | "http"))
            .collect();
        if schemes.is_empty() {
            schemes.push("https");
        }
        // HTTPS first: the first server is the client's default.
        schemes.sort_by_key(|s| *s != "https");
        schemes.dedup();
        Value::Array(
            schemes
                .into_iter()
                .map(|scheme| json!({ "url": format!("{scheme}://{host}{base_path}") }))
                .collect(),
        )
    }

    fn paths(&mut self, paths: &Value) -> Value {
        let Some(paths) = paths.as_object() else {
            return paths.clone();
        };
        let mut out = Map::new();
        for (path, item) in paths {
            let at = pointer_push("/paths", path);
            let Some(item) = item.as_object() else {
                out.insert(path.clone(), item.clone());
                continue;
            };
            let shared: Vec<Value> = item
                .get("parameters")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let mut new_item = Map::new();
            for (key, value) in item {
                if METHODS.contains(&key.as_str()) {
                    let op = self.operation(value, &shared, &pointer_push(&at, key));
                    new_item.insert(key.clone(), op);
                } else if key == "parameters" {
                    // Body and form parameters are moved into each operation.
                    let mut kept = Vec::new();
                    for (i, p) in shared.iter().enumerate() {
                        if !is_body_or_form(&self.deref_param(p)) {
                            kept.push(self.parameter(p, &format!("{at}/parameters/{i}")));
                        }
                    }
                    if !kept.is_empty() {
                        new_item.insert(key.clone(), Value::Array(kept));
                    }
                } else {
                    new_item.insert(key.clone(), value.clone());
                }
            }
            out.insert(path.clone(), Value::Object(new_item));
        }
        Value::Object(out)
    }

    fn security_scheme(&mut self, s: &Value, at: &str) -> Value {
        let kind = s.get("type").and_then(Value::as_str).unwrap_or("");
        let mut out = Map::new();
        match kind {
            "basic" => {
                out.insert("type".into(), json!("http"));
                out.insert("scheme".into(), json!("basic"));
            }
            "apiKey" => {
                out.insert("type".into(), json!("apiKey"));
                for key in ["name", "in"] {
                    if let Some(v) = s.get(key) {
                        out.insert(key.into(), v.clone());
                    }
                }
            }
            "oauth2" => {
                out.insert("type".into(), json!("oauth2"));
                let flow = match s.get("flow").and_then(Value::as_str) {
                    Some("implicit") => "implicit",
                    Some("password") => "password",
                    Some("application") => "clientCredentials",
                    Some("accessCode") => "authorizationCode",
                    other => {
                        self.warn(
                            &format!("{at}/flow"),
                            "swagger2-oauth2-flow",
                            format!("unknown OAuth2 flow {other:?}; read as `implicit`"),
                        );
                        "implicit"
                    }
                };
                let mut f = Map::new();
                for key in ["authorizationUrl", "tokenUrl"] {
                    if let Some(v) = s.get(key) {
                        f.insert(key.into(), v.clone());
                    }
                }
                f.insert(
                    "scopes".into(),
                    s.get("scopes").cloned().unwrap_or_else(|| json!({})),
                );
                out.insert("flows".into(), json!({ flow: f }));
            }
            _ => return s.clone(),
        }
        if let Some(d) = s.get("description") {
            out.insert("description".into(), d.clone());
        }
        Value::Object(out)
    }

    /// A 2.0 schema as a 3.0 schema: `$ref`s to the root maps, `x-nullable`,
    /// `type: file` and a string `discriminator`.
    fn schema(&mut self, s: &Value, at: &str) -> Value {
        match s {
            Value::Object(map) => {
                let mut out = Map::new();
                for (key, value) in map {
                    let value = match key.as_str() {
                        "$ref" => match value.as_str() {
                            Some(r) => json!(rewrite_ref(r)),
                            None => value.clone(),
                        },
                        "x-nullable" => {
                            out.insert("nullable".into(), value.clone());
                            continue;
                        }
                        "type" if value == "file" => {
                            out.insert("format".into(), json!("binary"));
                            json!("string")
                        }
                        "discriminator" if value.is_string() => json!({ "propertyName": value }),
                        "properties" | "patternProperties" => map_values(value, |name, v| {
                            self.schema(v, &format!("{at}/{key}/{name}"))
                        }),
                        "allOf" | "anyOf" | "oneOf" => match value.as_array() {
                            Some(items) => Value::Array(
                                items
                                    .iter()
                                    .enumerate()
                                    .map(|(i, v)| self.schema(v, &format!("{at}/{key}/{i}")))
                                    .collect(),
                            ),
                            None => value.clone(),
                        },
                        "items" | "additionalProperties" | "not" => {
                            self.schema(value, &format!("{at}/{key}"))
                        }
                        _ => value.clone(),
                    };
                    out.insert(key.clone(), value);
                }
                Value::Object(out)
            }
            other => other.clone(),
        }
    }
}

fn copy_extensions(from: &Value, to: &mut Map<String, Value>) {
    for (key, value) in from.as_object().into_iter().flatten() {
        if key.starts_with("x-") && key != "x-nullable" {
            to.insert(key.clone(), value.clone());
        }
    }
}

#[cfg(test)]
mod tests;
