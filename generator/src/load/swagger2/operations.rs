//! Swagger 2.0 operations to OpenAPI 3.0 ones: parameters (with `collectionFormat`),
//! `in: body` and `in: formData` parameters as the request body, and responses with a
//! `content` entry per media type of `produces`.

use serde_json::{json, Map, Value};

use super::{copy_extensions, is_body_or_form, map_values, media_list, rewrite_ref, Converter};
use crate::diagnostics::pointer_push;

impl Converter {
    /// The parameter a `$ref` to the root parameters names, or the parameter itself.
    pub(super) fn deref_param(&self, p: &Value) -> Value {
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

    pub(super) fn operation(&mut self, op: &Value, shared: &[Value], at: &str) -> Value {
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

    pub(super) fn parameter(&mut self, p: &Value, at: &str) -> Value {
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

    pub(super) fn response(
        &mut self,
        r: &Value,
        produces: &Option<Vec<String>>,
        at: &str,
    ) -> Value {
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
}
