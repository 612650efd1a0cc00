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

    /// The parameter a `$ref` to the root parameters names, or the parameter itself.
    fn deref_param(&self, p: &Value) -> Value {
        match p
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/parameters/"))
        {
            Some(name) => {
                let name = name.replace("~1", "/").replace("~0", "~");
                self.global_params
                    .get(&name)
                    .cloned()
                    .unwrap_or_else(|| p.clone())
            }
            None => p.clone(),
        }
    }

    fn operation(&mut self, op: &Value, shared: &[Value], at: &str) -> Value {
        let Some(op) = op.as_object() else {
            return op.clone();
        };
        let consumes = media_list(op.get("consumes")).or_else(|| self.consumes.clone());
        let produces = media_list(op.get("produces")).or_else(|| self.produces.clone());
        let own: Vec<Value> = op
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut body: Option<Value> = None;
        let mut form: Vec<Value> = Vec::new();
        let mut params = Vec::new();
        // Shared body or form parameters apply unless the operation overrides them.
        let key = |p: &Value| {
            (
                p.get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                p.get("in")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            )
        };
        let own_keys: Vec<_> = own.iter().map(|p| key(&self.deref_param(p))).collect();
        let shared_body: Vec<Value> = shared
            .iter()
            .map(|p| self.deref_param(p))
            .filter(|p| is_body_or_form(p) && !own_keys.contains(&key(p)))
            .collect();
        for (i, p) in own.iter().enumerate() {
            let resolved = self.deref_param(p);
            match resolved.get("in").and_then(Value::as_str) {
                Some("body") => body = Some(resolved),
                Some("formData") => form.push(resolved),
                _ => params.push(self.parameter(p, &format!("{at}/parameters/{i}"))),
            }
        }
        for p in shared_body {
            match p.get("in").and_then(Value::as_str) {
                Some("body") if body.is_none() => body = Some(p),
                Some("formData") => form.push(p),
                _ => {}
            }
        }
        let mut out = Map::new();
        for (key, value) in op {
            match key.as_str() {
                "consumes" | "produces" => {}
                "parameters" => {
                    if !params.is_empty() {
                        out.insert(key.clone(), Value::Array(std::mem::take(&mut params)));
                    }
                }
                "responses" => {
                    let produces = produces.clone();
                    let responses = map_values(value, |code, r| {
                        self.response(r, &produces, &pointer_push(&format!("{at}/responses"), code))
                    });
                    out.insert(key.clone(), responses);
                }
                "schemes" => self.warn(
                    &format!("{at}/schemes"),
                    "swagger2-operation-schemes",
                    "`schemes` of one operation has no OpenAPI 3 equivalent; the document's servers are used".into(),
                ),
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        if let Some(body) = body {
            out.insert("requestBody".into(), self.body(&body, &consumes, at));
        } else if !form.is_empty() {
            out.insert("requestBody".into(), self.form(&form, &consumes, at));
        }
        Value::Object(out)
    }

    fn body(&mut self, p: &Value, consumes: &Option<Vec<String>>, at: &str) -> Value {
        let schema = self.schema(p.get("schema").unwrap_or(&json!({})), at);
        let media = match consumes.clone().filter(|m| !m.is_empty()) {
            Some(media) => media,
            None => {
                self.warn(
                    at,
                    "swagger2-no-consumes",
                    "a body parameter, but no `consumes` here or at the root: sent as application/json".into(),
                );
                vec!["application/json".into()]
            }
        };
        let mut body = Map::new();
        if let Some(d) = p.get("description") {
            body.insert("description".into(), d.clone());
        }
        body.insert(
            "content".into(),
            Value::Object(
                media
                    .into_iter()
                    .map(|m| (m, json!({ "schema": schema.clone() })))
                    .collect(),
            ),
        );
        if p.get("required").and_then(Value::as_bool) == Some(true) {
            body.insert("required".into(), json!(true));
        }
        copy_extensions(p, &mut body);
        Value::Object(body)
    }

    fn form(&mut self, fields: &[Value], consumes: &Option<Vec<String>>, at: &str) -> Value {
        let has_file = fields
            .iter()
            .any(|f| f.get("type").and_then(Value::as_str) == Some("file"));
        let mut media: Vec<String> = consumes
            .iter()
            .flatten()
            .filter(|m| {
                m.starts_with("multipart/form-data")
                    || m.starts_with("application/x-www-form-urlencoded")
            })
            .cloned()
            .collect();
        if has_file && !media.iter().any(|m| m.starts_with("multipart/")) {
            if !media.is_empty() {
                self.warn(
                    at,
                    "swagger2-file-in-urlencoded-form",
                    "a `type: file` form field needs multipart/form-data, which `consumes` does not list; multipart is used".into(),
                );
            }
            media = vec!["multipart/form-data".into()];
        }
        if media.is_empty() {
            media.push("application/x-www-form-urlencoded".into());
        }
        let mut properties = Map::new();
        let mut required = Vec::new();
        for f in fields {
            let Some(name) = f.get("name").and_then(Value::as_str) else {
                continue;
            };
            let mut schema = self.simple_schema(f, at, true);
            if let (Some(d), Value::Object(s)) = (f.get("description"), &mut schema) {
                s.insert("description".into(), d.clone());
            }
            properties.insert(name.to_string(), schema);
            if f.get("required").and_then(Value::as_bool) == Some(true) {
                required.push(json!(name));
            }
        }
        let mut schema = Map::new();
        schema.insert("type".into(), json!("object"));
        schema.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            schema.insert("required".into(), Value::Array(required));
        }
        let schema = Value::Object(schema);
        let any_required = fields
            .iter()
            .any(|f| f.get("required").and_then(Value::as_bool) == Some(true));
        let mut body = Map::new();
        body.insert(
            "content".into(),
            Value::Object(
                media
                    .into_iter()
                    .map(|m| (m, json!({ "schema": schema.clone() })))
                    .collect(),
            ),
        );
        if any_required {
            body.insert("required".into(), json!(true));
        }
        Value::Object(body)
    }

    /// A query, path, header or form parameter's type keywords as a schema.
    fn simple_schema(&mut self, p: &Value, at: &str, in_form: bool) -> Value {
        let Some(p) = p.as_object() else {
            return json!({});
        };
        let mut schema = Map::new();
        for (key, value) in p {
            match key.as_str() {
                "type" if value == "file" => {
                    if !in_form {
                        self.warn(
                            at,
                            "swagger2-file-outside-form",
                            "`type: file` outside a form is read as binary data".into(),
                        );
                    }
                    schema.insert("type".into(), json!("string"));
                    schema.insert("format".into(), json!("binary"));
                }
                "items" => {
                    let items = self.simple_schema(value, &format!("{at}/items"), false);
                    schema.insert("items".into(), items);
                }
                "x-nullable" => {
                    schema.insert("nullable".into(), value.clone());
                }
                "type" | "format" | "enum" | "default" | "maximum" | "exclusiveMaximum"
                | "minimum" | "exclusiveMinimum" | "maxLength" | "minLength" | "pattern"
                | "maxItems" | "minItems" | "uniqueItems" | "multipleOf" => {
                    schema.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
        Value::Object(schema)
    }

    fn parameter(&mut self, p: &Value, at: &str) -> Value {
        if let Some(reference) = p.get("$ref").and_then(Value::as_str) {
            return json!({ "$ref": rewrite_ref(reference) });
        }
        let Some(map) = p.as_object() else {
            return p.clone();
        };
        let location = map.get("in").and_then(Value::as_str).unwrap_or("");
        let mut out = Map::new();
        for key in [
            "name",
            "in",
            "description",
            "required",
            "deprecated",
            "allowEmptyValue",
        ] {
            if let Some(v) = map.get(key) {
                out.insert(key.into(), v.clone());
            }
        }
        copy_extensions(p, &mut out);
        out.insert("schema".into(), self.simple_schema(p, at, false));
        if map.get("type").and_then(Value::as_str) == Some("array") {
            let format = map
                .get("collectionFormat")
                .and_then(Value::as_str)
                .unwrap_or("csv");
            let (style, explode) = match (format, location) {
                ("multi", _) => ("form", true),
                ("ssv", _) => ("spaceDelimited", false),
                ("pipes", _) => ("pipeDelimited", false),
                (_, "query" | "cookie") => ("form", false),
                _ => ("simple", false),
            };
            if format == "tsv" {
                self.warn(
                    &format!("{at}/collectionFormat"),
                    "swagger2-tsv",
                    "`collectionFormat: tsv` (tab-separated) has no OpenAPI 3 style; the values are sent comma-separated".into(),
                );
            }
            if format == "multi" && !matches!(location, "query" | "formData") {
                self.warn(
                    &format!("{at}/collectionFormat"),
                    "swagger2-multi",
                    format!("`collectionFormat: multi` is only defined for query and form parameters, not `in: {location}`"),
                );
            }
            out.insert("style".into(), json!(style));
            out.insert("explode".into(), json!(explode));
        }
        Value::Object(out)
    }

    fn response(&mut self, r: &Value, produces: &Option<Vec<String>>, at: &str) -> Value {
        if let Some(reference) = r.get("$ref").and_then(Value::as_str) {
            return json!({ "$ref": rewrite_ref(reference) });
        }
        let Some(map) = r.as_object() else {
            return r.clone();
        };
        let mut out = Map::new();
        out.insert(
            "description".into(),
            map.get("description").cloned().unwrap_or_else(|| json!("")),
        );
        if let Some(headers) = map.get("headers") {
            let headers = map_values(headers, |name, h| {
                let mut header = Map::new();
                if let Some(d) = h.get("description") {
                    header.insert("description".into(), d.clone());
                }
                header.insert(
                    "schema".into(),
                    self.simple_schema(h, &format!("{at}/headers/{name}"), false),
                );
                Value::Object(header)
            });
            out.insert("headers".into(), headers);
        }
        if let Some(schema) = map.get("schema") {
            let is_file = schema.get("type").and_then(Value::as_str) == Some("file");
            let schema = self.schema(schema, &format!("{at}/schema"));
            let media = produces
                .clone()
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| {
                    vec![if is_file {
                        "application/octet-stream"
                    } else {
                        "application/json"
                    }
                    .into()]
                });
            out.insert(
                "content".into(),
                Value::Object(
                    media
                        .into_iter()
                        .map(|m| (m, json!({ "schema": schema.clone() })))
                        .collect(),
                ),
            );
        }
        copy_extensions(r, &mut out);
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
mod tests {
    use std::path::Path;

    use serde_json::Value;

    fn convert_yaml(text: &str) -> (Value, Vec<String>) {
        let bundle = crate::load::load_str(Path::new("s.yaml"), text).map(|d| d.warnings);
        let warnings = bundle
            .expect("loads")
            .iter()
            .map(|w| w.class.to_string())
            .collect();
        let value = serde_yaml::from_str::<Value>(text).expect("yaml");
        (super::convert(value).0, warnings)
    }

    const DOC: &str = r#"
swagger: '2.0'
info: {title: t, version: '1'}
host: api.example.com
basePath: /v2/
schemes: [http, https]
consumes: [application/json]
produces: [application/json]
securityDefinitions:
  basic: {type: basic}
  key: {type: apiKey, name: X-Key, in: header}
  oauth: {type: oauth2, flow: accessCode, authorizationUrl: 'https://a/auth', tokenUrl: 'https://a/token', scopes: {read: Read}}
parameters:
  Limit: {name: limit, in: query, type: integer, format: int32}
  PetBody: {name: pet, in: body, required: true, schema: {$ref: '#/definitions/Pet'}}
responses:
  NotFound: {description: missing, schema: {$ref: '#/definitions/Error'}}
definitions:
  Pet:
    type: object
    discriminator: kind
    properties:
      kind: {type: string}
      nick: {type: string, x-nullable: true}
  Error: {type: object, properties: {message: {type: string}}}
paths:
  /pets:
    get:
      parameters:
        - $ref: '#/parameters/Limit'
        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: multi}
        - {name: ids, in: query, type: array, items: {type: integer}}
        - {name: piped, in: query, type: array, items: {type: string}, collectionFormat: pipes}
        - {name: spaced, in: query, type: array, items: {type: string}, collectionFormat: ssv}
        - {name: tabbed, in: query, type: array, items: {type: string}, collectionFormat: tsv}
      responses:
        '200': {description: ok, schema: {type: array, items: {$ref: '#/definitions/Pet'}}, headers: {X-Rate: {type: integer}}}
        '404': {$ref: '#/responses/NotFound'}
    post:
      parameters: [{$ref: '#/parameters/PetBody'}]
      responses: {'201': {description: created}}
  /pets/{id}/photo:
    parameters: [{name: id, in: path, required: true, type: integer}]
    post:
      consumes: [multipart/form-data]
      parameters:
        - {name: file, in: formData, type: file, required: true}
        - {name: note, in: formData, type: string}
      responses: {'200': {description: ok}}
  /pets/{id}/form:
    put:
      consumes: [application/x-www-form-urlencoded]
      parameters:
        - {name: id, in: path, required: true, type: integer}
        - {name: name, in: formData, type: string}
      responses: {'204': {description: ok}}
"#;

    fn at<'v>(v: &'v Value, pointer: &str) -> &'v Value {
        v.pointer(pointer)
            .unwrap_or_else(|| panic!("no {pointer} in {v:#}"))
    }

    #[test]
    fn servers_security_and_components() {
        let (v, _) = convert_yaml(DOC);
        assert_eq!(at(&v, "/openapi"), "3.0.3");
        assert_eq!(at(&v, "/servers/0/url"), "https://api.example.com/v2");
        assert_eq!(at(&v, "/servers/1/url"), "http://api.example.com/v2");
        assert_eq!(at(&v, "/components/securitySchemes/basic/scheme"), "basic");
        assert_eq!(at(&v, "/components/securitySchemes/key/in"), "header");
        assert_eq!(
            at(
                &v,
                "/components/securitySchemes/oauth/flows/authorizationCode/tokenUrl"
            ),
            "https://a/token"
        );
        assert_eq!(
            at(&v, "/components/schemas/Pet/discriminator/propertyName"),
            "kind"
        );
        assert_eq!(
            at(&v, "/components/schemas/Pet/properties/nick/nullable"),
            true
        );
        assert!(v.pointer("/components/parameters/PetBody").is_none());
        assert_eq!(
            at(
                &v,
                "/components/responses/NotFound/content/application~1json/schema/$ref"
            ),
            "#/components/schemas/Error"
        );
    }

    #[test]
    fn parameters_bodies_and_forms() {
        let (v, warnings) = convert_yaml(DOC);
        let get = at(&v, "/paths/~1pets/get");
        assert_eq!(
            at(get, "/parameters/0/$ref"),
            "#/components/parameters/Limit"
        );
        let style = |i: usize| {
            (
                at(get, &format!("/parameters/{i}/style"))
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
                at(get, &format!("/parameters/{i}/explode")).as_bool(),
            )
        };
        assert_eq!(style(1), ("form".into(), Some(true)));
        assert_eq!(style(2), ("form".into(), Some(false)));
        assert_eq!(style(3), ("pipeDelimited".into(), Some(false)));
        assert_eq!(style(4), ("spaceDelimited".into(), Some(false)));
        assert!(
            warnings.contains(&"swagger2-tsv".to_string()),
            "{warnings:?}"
        );
        assert_eq!(
            at(get, "/responses/200/headers/X-Rate/schema/type"),
            "integer"
        );
        assert_eq!(
            at(
                get,
                "/responses/200/content/application~1json/schema/items/$ref"
            ),
            "#/components/schemas/Pet"
        );
        assert_eq!(
            at(get, "/responses/404/$ref"),
            "#/components/responses/NotFound"
        );
        // A body parameter by reference becomes the request body.
        let post = at(&v, "/paths/~1pets/post");
        assert_eq!(at(post, "/requestBody/required"), true);
        assert_eq!(
            at(post, "/requestBody/content/application~1json/schema/$ref"),
            "#/components/schemas/Pet"
        );
        assert!(post.get("parameters").is_none());
        let photo = at(
            &v,
            "/paths/~1pets~1{id}~1photo/post/requestBody/content/multipart~1form-data/schema",
        );
        assert_eq!(at(photo, "/properties/file/format"), "binary");
        assert_eq!(at(photo, "/required/0"), "file");
        assert_eq!(at(&v, "/paths/~1pets~1{id}~1photo/parameters/0/in"), "path");
        let form = at(&v, "/paths/~1pets~1{id}~1form/put");
        assert_eq!(
            at(form, "/requestBody/content/application~1x-www-form-urlencoded/schema/properties/name/type"),
            "string"
        );
        assert_eq!(at(form, "/parameters/0/name"), "id");
    }

    #[test]
    fn converted_document_generates() {
        let doc = crate::load::load_str(Path::new("s.yaml"), DOC).expect("loads");
        assert_eq!(doc.version, "2.0");
        let api = crate::model::build_with(&doc, &Default::default());
        assert_eq!(api.operations.len(), 4);
    }
}
