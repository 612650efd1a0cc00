//! Stable names, as a property of the corpus: a spec of `../shared/specs/` with random
//! operations and schemas inserted anywhere (names that collide with existing ones
//! exactly, by case, or after snake/camel conversion; inline types whose derived names
//! collide; duplicate operationIds) keeps every earlier method name, type name, params
//! type, response enum and stream method for the same item (its JSON pointer and role).
//!
//! The one change allowed is the documented one: an inserted item whose claim on a name
//! is stronger (an exact spec name over a converted one, a spec name over a derived one,
//! then the smaller pointer) takes that name, and the earlier holder takes the name with
//! a hash of its own place, as do the names made from it (its inline types, its
//! operation's types). Numbers never shift: there are none.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use openapi_client_gen::model::naming::{field_name, type_name};
use openapi_client_gen::model::{Api, ResponseShape};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Map, Value};

/// An item of the model that has a name: its kind, claim identity and rank (as
/// `model::claims` ranks claims: 0 exact spec name, 1 converted, 2 derived, 3 secondary).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Item {
    kind: &'static str,
    id: String,
}

#[derive(Debug, Clone)]
struct Named {
    name: String,
    rank: u8,
}

/// Decodes one JSON pointer token.
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn component_key(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("/components/schemas/")?;
    (!rest.contains('/')).then(|| unescape(rest))
}

/// The operation object at `/paths/{path}/{method}`.
fn operation_at<'d>(doc: &'d Value, pointer: &str) -> Option<&'d Value> {
    let rest = pointer.strip_prefix("/paths/")?;
    let (path, method) = rest.rsplit_once('/')?;
    doc.get("paths")?.get(unescape(path))?.get(method)
}

/// Every name of the model, by item.
fn names_of(api: &Api, doc: &Value) -> BTreeMap<Item, Named> {
    let mut out = BTreeMap::new();
    let mut put = |kind, id: String, name: &str, rank| {
        let named = Named {
            name: name.to_string(),
            rank,
        };
        let previous = out.insert(
            Item {
                kind,
                id: id.clone(),
            },
            named,
        );
        assert!(previous.is_none(), "two {kind} items at {id}");
    };
    for def in &api.types {
        // A type made for a shape several schemas share has no place of its own (see
        // `dedup`): its name may change when a new schema joins the shape.
        if def
            .docs
            .notes
            .iter()
            .any(|n| n.starts_with("The shape the spec defines alike"))
        {
            continue;
        }
        let rank = match component_key(&def.pointer) {
            Some(key) if key == def.name => 0,
            Some(_) => 1,
            None => 2,
        };
        put("type", def.pointer.clone(), &def.name, rank);
    }
    for op in &api.operations {
        if op.alternative_of.is_none() {
            let id = operation_at(doc, &op.pointer).and_then(|o| o.get("operationId"));
            let rank = match id.and_then(Value::as_str) {
                Some(id) if field_name(id) == id => 0,
                Some(_) => 1,
                None => 2,
            };
            put("method", op.pointer.clone(), &op.method_name, rank);
            if let Some(params) = &op.params_struct {
                put("type", format!("{}#params", op.pointer), params, 2);
            }
            for (set, suffix) in [(&op.success, "Response"), (&op.errors, "Error")] {
                if let ResponseShape::Enum { name, .. } = &set.shape {
                    put("type", format!("{}#{suffix}", op.pointer), name, 2);
                }
            }
            if let Some(pages) = &op.pagination {
                put(
                    "pages",
                    format!("{}#pages", op.pointer),
                    &pages.method_name,
                    3,
                );
            }
            continue;
        }
        // The events twin (`#stream`), or the method for another body encoding.
        let role = match &op.body {
            _ if op.streams => "stream".to_string(),
            Some(body) => body.content_type.clone(),
            None => "stream".to_string(),
        };
        put(
            "method",
            format!("{}#{role}", op.pointer),
            &op.method_name,
            3,
        );
    }
    out
}

/// Lower case without underscores: how a type and a method made from one name compare.
fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// `name` is made from `base`: it starts with it, or with as much of it as a name capped
/// at 100 characters keeps (`naming::cap_length` keeps 80, 60 is safe once squashed).
fn made_from(name: &str, base: &str) -> bool {
    let keep = base.len().min(60);
    name.starts_with(base) || (name.len() > keep && name[..keep] == base[..keep])
}

/// Checks that every earlier name survived, or moved to a stronger inserted claim.
/// Returns how many names moved.
fn check(before: &BTreeMap<Item, Named>, after: &BTreeMap<Item, Named>) -> Result<usize, String> {
    let mut holders: BTreeMap<(&str, &str), &Item> = BTreeMap::new();
    for (item, named) in after {
        let scope = if item.kind == "type" {
            "type"
        } else {
            "method"
        };
        if let Some(other) = holders.insert((scope, named.name.as_str()), item) {
            return Err(format!(
                "{} named twice: {other:?} and {item:?}",
                named.name
            ));
        }
    }
    // First the names taken by a stronger inserted claim, then those made from them.
    let mut displaced: Vec<(String, String)> = Vec::new();
    let mut changed = Vec::new();
    for (item, old) in before {
        let Some(new) = after.get(item) else {
            return Err(format!("{item:?} ({}) is gone", old.name));
        };
        if new.name == old.name {
            continue;
        }
        let scope = if item.kind == "type" {
            "type"
        } else {
            "method"
        };
        let taken_by = holders.get(&(scope, old.name.as_str())).copied();
        let stronger = taken_by.is_some_and(|h| {
            !before.contains_key(h) && (after[h].rank, &h.id) < (old.rank, &item.id)
        });
        if stronger && made_from(&new.name, &old.name) {
            displaced.push((squash(&old.name), squash(&new.name)));
        } else {
            changed.push((item, old, new, taken_by));
        }
    }
    for (item, old, new, taken_by) in &changed {
        let made_from_displaced = displaced.iter().any(|(was, now)| {
            made_from(&squash(&old.name), was) && made_from(&squash(&new.name), now)
        });
        if !made_from_displaced {
            return Err(format!(
                "{item:?} renamed {} → {} (the old name is now held by {taken_by:?})",
                old.name, new.name
            ));
        }
    }
    Ok(displaced.len() + changed.len())
}

/// A spec of the corpus, parsed, with the names its items have.
struct Spec {
    file: String,
    doc: Value,
    names: BTreeMap<Item, Named>,
    /// Names to collide with: component keys, type names, method names, operationIds.
    words: Vec<String>,
    paths: Vec<String>,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs")
}

fn model(doc: &Value) -> Result<Api, String> {
    let text = serde_json::to_string(doc).map_err(|e| e.to_string())?;
    let loaded = openapi_client_gen::load::load_str(Path::new("spec.json"), &text)
        .map_err(|e| e.to_string())?;
    Ok(openapi_client_gen::model::build(&loaded))
}

fn load_spec(file: &str) -> Spec {
    let path = corpus_dir().join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the corpus must be at {}: {e}", path.display()));
    let doc: Value = if file.ends_with(".json") {
        serde_json::from_str(&text).expect("JSON")
    } else {
        yaml_to_json(serde_yaml::from_str(&wide_integers_as_floats(&text)).expect("YAML"))
    };
    let api = model(&doc).unwrap_or_else(|e| panic!("{file}: {e}"));
    let names = names_of(&api, &doc);
    let mut words: BTreeSet<String> = names.values().map(|n| n.name.clone()).collect();
    if let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        words.extend(schemas.keys().cloned());
    }
    for op in &api.operations {
        words.insert(op.operation_id.clone());
    }
    let paths = doc
        .get("paths")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    Spec {
        file: file.to_string(),
        doc,
        names,
        words: words.into_iter().collect(),
        paths,
    }
}

/// `minimum: -9223372036854776000` (OpenAI's) is out of the range serde_yaml reads as an
/// integer: written as a float, it reads (the loader reads it so too).
fn wide_integers_as_floats(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.push_str(line);
        let value = line.rsplit_once(": ").map_or("", |(_, v)| v.trim());
        let digits = value.strip_prefix('-').unwrap_or(value);
        if digits.len() >= 19 && digits.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(".0");
        }
        out.push('\n');
    }
    out
}

/// A YAML value as JSON; numbers out of JSON's range (OpenAI's `minimum: -9223372036854776000`)
/// become floats.
fn yaml_to_json(value: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Y;
    match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => json!(i),
            (_, Some(u), _) => json!(u),
            (_, _, Some(f)) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
            _ => Value::Null,
        },
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s,
                        other => serde_yaml::to_string(&other)
                            .unwrap_or_default()
                            .trim()
                            .to_string(),
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        Y::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

/// Ways to write a name so that it collides with it once converted, or nearly.
fn spelling(name: &str, how: u8) -> String {
    match how % 10 {
        0 => name.to_string(),
        1 => name.to_lowercase(),
        2 => name.to_uppercase(),
        3 => field_name(name),
        4 => type_name(name, "X"),
        5 => format!("{name}_"),
        6 => format!("{}-", field_name(name)),
        7 => {
            // camelCase
            let upper = type_name(name, "X");
            let mut chars = upper.chars();
            chars
                .next()
                .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
                .unwrap_or_default()
        }
        8 => format!("{name}2"),
        _ => format!(
            "{name}.{}",
            ["Item", "Body", "Params", "Response", "Kind"][usize::from(how / 10) % 5]
        ),
    }
}

/// What to insert: schemas and operations, each with a name drawn from the spec's.
#[derive(Debug, Clone)]
enum Insert {
    Schema {
        word: usize,
        how: u8,
        at: usize,
        shape: u8,
        prop: usize,
    },
    Operation {
        path: Option<usize>,
        word: usize,
        how: u8,
        id: bool,
        method: u8,
        at: usize,
        prop: usize,
    },
}

fn insert_strategy() -> impl Strategy<Value = Insert> {
    prop_oneof![
        (
            any::<usize>(),
            any::<u8>(),
            any::<usize>(),
            any::<u8>(),
            any::<usize>()
        )
            .prop_map(|(word, how, at, shape, prop)| Insert::Schema {
                word,
                how,
                at,
                shape,
                prop
            }),
        (
            prop::option::of(any::<usize>()),
            any::<usize>(),
            any::<u8>(),
            any::<bool>(),
            any::<u8>(),
            any::<usize>(),
            any::<usize>()
        )
            .prop_map(
                |(path, word, how, id, method, at, prop)| Insert::Operation {
                    path,
                    word,
                    how,
                    id,
                    method,
                    at,
                    prop
                }
            ),
    ]
}

/// Inserts `key: value` into `map` at position `at` (modulo its length + 1).
fn insert_at(map: &mut Map<String, Value>, at: usize, key: String, value: Value) {
    let old = std::mem::take(map);
    let at = at % (old.len() + 1);
    for (i, (k, v)) in old.into_iter().enumerate() {
        if i == at {
            map.insert(key.clone(), value.clone());
        }
        map.insert(k, v);
    }
    map.entry(key).or_insert(value);
}

/// A schema whose inline parts are named from `prop`, a word of the spec.
fn inserted_schema(shape: u8, prop: &str) -> Value {
    let inner = json!({"type": "object", "properties": {"value": {"type": "string"}}});
    match shape % 4 {
        0 => json!({"type": "object", "properties": {prop: inner, "plain": {"type": "integer"}}}),
        1 => json!({"type": "string", "enum": ["one", "two", prop]}),
        2 => {
            json!({"oneOf": [inner, {"type": "object", "properties": {prop: {"type": "string", "enum": ["a", "b"]}}}]})
        }
        _ => {
            json!({"type": "array", "items": {"type": "object", "properties": {prop: {"type": "object", "properties": {"x": {"type": "number"}}}}}})
        }
    }
}

fn apply(spec: &Spec, inserts: &[Insert]) -> Value {
    let mut doc = spec.doc.clone();
    let word = |i: usize| {
        spec.words
            .get(i % spec.words.len().max(1))
            .cloned()
            .unwrap_or_else(|| "Thing".into())
    };
    for (n, insert) in inserts.iter().enumerate() {
        match insert {
            Insert::Schema {
                word: w,
                how,
                at,
                shape,
                prop,
            } => {
                let key = spelling(&word(*w), *how);
                let schema = inserted_schema(*shape, &word(*prop));
                let root = doc.as_object_mut().expect("an object");
                let components = root.entry("components").or_insert_with(|| json!({}));
                if !components.is_object() {
                    *components = json!({});
                }
                let schemas = components
                    .as_object_mut()
                    .expect("an object")
                    .entry("schemas")
                    .or_insert_with(|| json!({}));
                if let Some(schemas) = schemas.as_object_mut() {
                    if !schemas.contains_key(&key) {
                        insert_at(schemas, *at, key, schema);
                    }
                }
            }
            Insert::Operation {
                path,
                word: w,
                how,
                id,
                method,
                at,
                prop,
            } => {
                let name = spelling(&word(*w), *how);
                let path = match path {
                    Some(p) if !spec.paths.is_empty() => spec.paths[p % spec.paths.len()].clone(),
                    _ => format!("/{}/{{id}}/x{n}", field_name(&name)),
                };
                let method = ["get", "post", "put", "patch", "delete"][usize::from(*method) % 5];
                let inline = json!({"type": "object", "properties": {word(*prop): {"type": "object", "properties": {"v": {"type": "string"}}}}});
                let mut op = json!({
                    "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": inline}}},
                        "201": {"description": "made", "content": {"application/json": {"schema": {"type": "string"}}}},
                        "400": {"description": "bad", "content": {"application/json": {"schema": {"type": "object", "properties": {"error": {"type": "string"}}}}}},
                        "404": {"description": "none", "content": {"application/json": {"schema": {"type": "integer"}}}}
                    }
                });
                if path.contains("{id}") {
                    op["parameters"]
                        .as_array_mut()
                        .expect("an array")
                        .push(json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}));
                }
                if method != "get" && method != "delete" {
                    op["requestBody"] = json!({"content": {
                        "application/json": {"schema": {"type": "object", "properties": {"name": {"type": "string"}}}},
                        "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"name": {"type": "string"}}}}
                    }});
                }
                if *id {
                    op["operationId"] = Value::String(name.clone());
                }
                let Some(paths) = doc
                    .as_object_mut()
                    .expect("an object")
                    .entry("paths")
                    .or_insert_with(|| json!({}))
                    .as_object_mut()
                else {
                    continue;
                };
                match paths.get_mut(&path).and_then(Value::as_object_mut) {
                    Some(item) if !item.contains_key(method) => {
                        insert_at(item, *at, method.to_string(), op)
                    }
                    Some(_) => {}
                    None => insert_at(paths, *at, path, json!({method: op})),
                }
            }
        }
    }
    doc
}

/// Runs `cases` random insertions into the corpus specs `files`; returns the number of
/// names checked and how many moved to a stronger inserted claim.
pub fn run(files: &[&str], cases: u32, deterministic: bool) -> (usize, usize) {
    let specs: Vec<Spec> = files.iter().map(|f| load_spec(f)).collect();
    let config = RunnerConfig {
        cases,
        failure_persistence: None,
        ..RunnerConfig::default()
    };
    let mut runner = if deterministic {
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
    } else {
        TestRunner::new(config)
    };
    let checked = std::cell::Cell::new(0usize);
    let moved = std::cell::Cell::new(0usize);
    let strategy = (
        0..specs.len(),
        prop::collection::vec(insert_strategy(), 1..5),
    );
    let result = runner.run(&strategy, |(which, inserts)| {
        let spec = &specs[which];
        let doc = apply(spec, &inserts);
        let api = model(&doc).map_err(|e| TestCaseError::fail(format!("{}: {e}", spec.file)))?;
        let after = names_of(&api, &doc);
        match check(&spec.names, &after) {
            Ok(n) => {
                checked.set(checked.get() + spec.names.len());
                moved.set(moved.get() + n);
                Ok(())
            }
            Err(e) => Err(TestCaseError::fail(format!("{}: {e}", spec.file))),
        }
    });
    if let Err(e) = result {
        panic!("a name moved: {e}");
    }
    (checked.get(), moved.get())
}

/// Small specs, for the suite's short run.
pub const SMALL: [&str; 6] = [
    "oai-petstore-expanded-3.0.json",
    "oai-link-example-3.0.json",
    "progenitor-buildomat.json",
    "progenitor-propolis-server.json",
    "redocly-museum-3.1.yaml",
    "openapi-typescript-codegen-v3.json",
];

/// Every spec of the corpus.
pub fn all() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(corpus_dir())
        .expect("the corpus")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|f| f.ends_with(".json") || f.ends_with(".yaml"))
        .collect();
    files.sort();
    files
}
