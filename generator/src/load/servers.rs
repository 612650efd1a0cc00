//! Server variables as the model needs them: every variable the URL uses is declared,
//! has a string `default`, and lists its values (if it does) as strings that include
//! the default. A spec that breaks one of these rules gets a warning and a sensible
//! value, never a `{` left in a URL.

use serde_json::{Map, Value};

use crate::diagnostics::{pointer_push, Warning};

/// Repairs the `servers` list of the object `holder` (the document, a path item or an
/// operation), which sits at `at`.
pub(super) fn servers(holder: &mut Map<String, Value>, at: &str, warnings: &mut Vec<Warning>) {
    let Some(list) = holder.get_mut("servers").and_then(Value::as_array_mut) else {
        return;
    };
    let at = pointer_push(at, "servers");
    for (index, server) in list.iter_mut().enumerate() {
        if let Some(server) = server.as_object_mut() {
            one_server(server, &pointer_push(&at, &index.to_string()), warnings);
        }
    }
}

/// The names of the `{name}` placeholders of a server URL, in order, each once.
fn placeholders(url: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = url;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find(['{', '}']) {
            Some(end) if end > 0 && after[end..].starts_with('}') => {
                let name = after[..end].to_string();
                if !names.contains(&name) {
                    names.push(name);
                }
                rest = &after[end + 1..];
            }
            _ => rest = after,
        }
    }
    names
}

fn one_server(server: &mut Map<String, Value>, at: &str, warnings: &mut Vec<Warning>) {
    let used = match server.get("url").and_then(Value::as_str) {
        Some(url) => placeholders(url),
        // `openapiv3` reports a missing or malformed `url` with its line.
        None => return,
    };
    let at = pointer_push(at, "variables");
    if !matches!(server.get("variables"), None | Some(Value::Object(_))) {
        warnings.push(Warning::new(
            &at,
            "invalid-server",
            "`variables` is not a map; ignored",
        ));
        server.remove("variables");
    }
    if used.is_empty() && !server.contains_key("variables") {
        return;
    }
    let variables = server
        .entry("variables")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(variables) = variables.as_object_mut() else {
        return;
    };
    for name in &used {
        if !variables.contains_key(name) {
            warnings.push(Warning::new(
                &at,
                "invalid-server",
                format!("the URL uses the variable `{name}`, which `variables` does not declare; it is a string with the default `{name}`"),
            ));
            variables.insert(name.clone(), serde_json::json!({ "default": name }));
        }
    }
    for (name, variable) in variables.iter_mut() {
        variable_fields(name, variable, &pointer_push(&at, name), warnings);
    }
}

/// A declared variable made an object with a string `default` and, if it lists values,
/// a non-empty `enum` of strings that holds the default.
fn variable_fields(name: &str, variable: &mut Value, at: &str, warnings: &mut Vec<Warning>) {
    if !variable.is_object() {
        warnings.push(Warning::new(
            at,
            "invalid-server",
            "a server variable is not an object; it is a string variable",
        ));
        *variable = Value::Object(Map::new());
    }
    let Some(variable) = variable.as_object_mut() else {
        return;
    };
    // Numbers and booleans (`port: {enum: [8443, 443]}` in YAML) stand for their text.
    let mut values: Option<Vec<String>> = match variable.get("enum") {
        None => None,
        Some(Value::Array(items)) => Some(items.iter().filter_map(scalar_text).collect()),
        Some(_) => {
            warnings.push(Warning::new(
                pointer_push(at, "enum"),
                "invalid-server",
                "`enum` is not a list; ignored",
            ));
            None
        }
    };
    if values.as_ref().is_some_and(Vec::is_empty) {
        warnings.push(Warning::new(
            pointer_push(at, "enum"),
            "invalid-server",
            "`enum` lists no values; the variable is a string",
        ));
        values = None;
    }
    let default = match variable.get("default").and_then(scalar_text) {
        Some(default) => default,
        None => {
            let chosen = values
                .as_ref()
                .and_then(|v| v.first().cloned())
                .unwrap_or_else(|| name.to_string());
            warnings.push(Warning::new(
                at,
                "invalid-server",
                format!("server variable `{name}` has no string `default` (OpenAPI requires one); `{chosen}` is used"),
            ));
            chosen
        }
    };
    if let Some(values) = values.as_mut() {
        if !values.contains(&default) {
            warnings.push(Warning::new(
                pointer_push(at, "default"),
                "invalid-server",
                format!(
                    "the default `{default}` is not one of the `enum` values; it is added to them"
                ),
            ));
            values.insert(0, default.clone());
        }
    }
    variable.insert("default".into(), Value::String(default));
    match values {
        Some(values) => {
            variable.insert(
                "enum".into(),
                Value::Array(values.into_iter().map(Value::String).collect()),
            );
        }
        None => {
            variable.remove("enum");
        }
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
