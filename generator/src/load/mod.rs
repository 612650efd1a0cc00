//! Stage 1, load: spec bytes to a parsed `openapiv3` document.
//!
//! YAML or JSON is chosen by content. OpenAPI 3.1 constructs are rewritten to their 3.0
//! shape first (see [`normalize`]) so later stages never branch on the version. Every
//! error names the file and the place: a JSON pointer, and line and column where the
//! source format gives them.

pub mod bundle;
mod encoding;
mod grammar;
mod idioms;
mod lenient;
mod locate;
pub mod normalize;
mod options;
mod parse;
mod servers;
pub mod swagger2;

pub use encoding::decode;
pub use options::LoadOptions;

use std::path::{Path, PathBuf};

use crate::diagnostics::{self, Error, Location, Warning};

/// A loaded spec: the parsed document and what normalisation had to say about it.
#[derive(Debug)]
pub struct Document {
    pub api: openapiv3::OpenAPI,
    /// The `openapi` field as written (`3.0.3`, `3.1.0`, ...).
    pub version: String,
    pub warnings: Vec<Warning>,
    /// Every file the spec was read from: the root first, then each file its `$ref`s
    /// pulled in (for `cargo:rerun-if-changed`).
    pub files: Vec<PathBuf>,
}

/// The single OpenAPI 3 document a spec amounts to: every external reference copied
/// in, Swagger 2.0 converted. This is what the later stages read (before the 3.1
/// normalisation, which is internal).
#[derive(Debug)]
pub struct Bundle {
    pub value: serde_json::Value,
    /// The `openapi` (or `swagger`) field as written.
    pub version: String,
    pub files: Vec<PathBuf>,
    pub warnings: Vec<Warning>,
    origins: Vec<bundle::Origin>,
}

/// Reads and loads the spec at `path`.
pub fn load_file(path: &Path) -> Result<Document, Error> {
    load_file_with(path, &LoadOptions::default())
}

/// Reads and loads the spec at `path` and the files it refers to.
pub fn load_file_with(path: &Path, options: &LoadOptions) -> Result<Document, Error> {
    let text = read_text(path)?;
    load_str_with(path, &text, options)
}

/// Reads the spec at `path` and the files it refers to into one OpenAPI 3 document.
pub fn bundle_file(path: &Path, options: &LoadOptions) -> Result<Bundle, Error> {
    let text = read_text(path)?;
    prepare(path, &text, options)
}

fn read_text(path: &Path) -> Result<String, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
    decode(&bytes).map_err(|message| Error::new(path, None, message))
}

/// Loads a spec from text; `path` names the file in errors, and relative references
/// are read from its folder.
pub fn load_str(path: &Path, text: &str) -> Result<Document, Error> {
    load_str_with(path, text, &LoadOptions::default())
}

/// [`load_str`] with options.
pub fn load_str_with(path: &Path, text: &str, options: &LoadOptions) -> Result<Document, Error> {
    let Bundle {
        value,
        version,
        files,
        mut warnings,
        origins,
    } = prepare(path, text, options)?;
    // Tracking the path costs a string per key, so only a failure pays for it: the tree
    // is built again and read with the path tracked.
    let api = normalize_and_read(value, &mut warnings).map_err(|plain| {
        let Ok(mut again) = prepare(path, text, options) else {
            return Error::new(path, None, plain.to_string());
        };
        normalize::normalize(&mut again.value);
        let (pointer, message) =
            match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&again.value) {
                Err(err) => (
                    locate::pointer_of_path(err.path()),
                    err.into_inner().to_string(),
                ),
                Ok(_) => (String::new(), plain.to_string()),
            };
        let (pointer, message) = refine(&again.value, pointer, message);
        match bundle::origin_of(&origins, &pointer) {
            Some((origin, inner)) => {
                let line_col = locate::line_col_of(&origin.text, &inner);
                Error::new(
                    &origin.file,
                    Some(Location {
                        pointer: inner,
                        line_col,
                    }),
                    message,
                )
            }
            None => {
                let line_col = locate::line_col_of(text, &pointer);
                Error::new(path, Some(Location { pointer, line_col }), message)
            }
        }
    })?;
    Ok(Document {
        api,
        version,
        warnings,
        files,
    })
}

/// The document normalised and read into `openapiv3`'s types, on two threads. The
/// component schemas (in big specs most of the work) are cut into batches that both
/// threads take from, one of them after it has done everything else. The warnings are
/// added to `warnings` in the order [`normalize::normalize`] gives them.
///
/// `openapiv3`'s untagged and flattened types buffer every object they read; from a
/// borrowed tree that buffer borrows its strings instead of copying them, which halves
/// the time. So the big maps (schemas, paths) are read entry by entry, each by
/// reference, and each entry's tree is freed as soon as it is read: the JSON tree and
/// the parsed document are never both whole in memory.
fn normalize_and_read(
    mut value: serde_json::Value,
    warnings: &mut Vec<Warning>,
) -> Result<openapiv3::OpenAPI, serde_json::Error> {
    use serde::Deserialize;
    // Taken out only when they are maps: anything else stays for serde to report.
    let schemas = value
        .get_mut("components")
        .and_then(|c| c.as_object_mut())
        .filter(|c| c.get("schemas").is_some_and(|s| s.is_object()))
        .and_then(|c| match c.remove("schemas") {
            Some(serde_json::Value::Object(map)) => Some(map),
            _ => None,
        });
    let had_schemas = schemas.is_some();
    let queue = std::sync::Mutex::new(schema_batches(schemas.unwrap_or_default()));
    let (api, mut batches) = std::thread::scope(|scope| {
        // Without a helper thread this one reads every batch below.
        let helper = std::thread::Builder::new()
            .spawn_scoped(scope, || read_schema_batches(&queue))
            .ok();
        let (head, rest) = normalize::normalize_parts(&mut value);
        // Only the paths themselves: the `x-` keys of the paths object stay for serde.
        let paths = value
            .get_mut("paths")
            .and_then(|p| p.as_object_mut())
            .map(|p| {
                let (paths, others) = std::mem::take(p)
                    .into_iter()
                    .partition::<serde_json::Map<_, _>, _>(|(key, _)| key.starts_with('/'));
                *p = others;
                paths
            });
        let api = openapiv3::OpenAPI::deserialize(&value);
        let paths = paths.map(read_entries).transpose();
        let mut batches = read_schema_batches(&queue);
        if let Some(helper) = helper {
            batches.extend(
                helper
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        (api.and_then(|api| Ok((api, paths?, head, rest))), batches)
    });
    let (mut api, paths, head, rest) = api?;
    warnings.extend(head);
    if let Some(paths) = paths {
        api.paths.paths = paths;
    }
    if had_schemas {
        batches.sort_by_key(|(index, _)| *index);
        let mut schemas = indexmap::IndexMap::new();
        for (_, batch) in batches {
            let (entries, batch_warnings) = batch?;
            warnings.extend(batch_warnings);
            schemas.extend(entries);
        }
        api.components.get_or_insert_with(Default::default).schemas = schemas;
    }
    warnings.extend(rest);
    Ok(api)
}

/// Component schemas in numbered batches, small enough for the two threads to finish
/// close together.
type SchemaBatches = std::vec::IntoIter<(usize, Vec<(String, serde_json::Value)>)>;

/// A batch's schemas read, with their normalisation warnings.
type ReadBatch = Result<
    (
        Vec<(String, openapiv3::ReferenceOr<openapiv3::Schema>)>,
        Vec<Warning>,
    ),
    serde_json::Error,
>;

fn schema_batches(map: serde_json::Map<String, serde_json::Value>) -> SchemaBatches {
    const BATCH: usize = 32;
    let mut batches = Vec::with_capacity(map.len().div_ceil(BATCH));
    let mut batch = Vec::with_capacity(BATCH);
    for entry in map {
        batch.push(entry);
        if batch.len() == BATCH {
            batches.push(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
        }
    }
    if !batch.is_empty() {
        batches.push(batch);
    }
    batches
        .into_iter()
        .enumerate()
        .collect::<Vec<_>>()
        .into_iter()
}

/// Takes batches from `queue` until it is empty: each schema normalised, read by
/// reference, and its tree freed.
fn read_schema_batches(queue: &std::sync::Mutex<SchemaBatches>) -> Vec<(usize, ReadBatch)> {
    use serde::Deserialize;
    let mut done = Vec::new();
    // A poisoned lock means the other thread panicked; the join re-raises that panic.
    while let Some((index, batch)) = queue.lock().ok().and_then(|mut q| q.next()) {
        let read = batch.into_iter().try_fold(
            (Vec::new(), Vec::new()),
            |(mut read, mut warnings), (name, mut schema)| {
                warnings.extend(normalize::component_schema(&name, &mut schema));
                read.push((name, openapiv3::ReferenceOr::deserialize(&schema)?));
                Ok((read, warnings))
            },
        );
        done.push((index, read));
    }
    done
}

/// A map's entries read one by one, each entry's tree freed once it is read.
fn read_entries<T: for<'de> serde::Deserialize<'de>>(
    map: serde_json::Map<String, serde_json::Value>,
) -> Result<indexmap::IndexMap<String, T>, serde_json::Error> {
    let mut out = indexmap::IndexMap::with_capacity(map.len());
    for (key, entry) in map {
        out.insert(key, T::deserialize(&entry)?);
    }
    Ok(out)
}

/// Parse, bundle, convert Swagger 2.0: the document before normalisation.
fn prepare(path: &Path, text: &str, options: &LoadOptions) -> Result<Bundle, Error> {
    let (mut value, duplicates) =
        parse::parse_all(text).map_err(|e| Error::new(path, e.location, e.message))?;
    let mut parse_warnings: Vec<Warning> = duplicates
        .iter()
        .map(|d| {
            let lines = locate::key_lines(text, &value, &d.mapping, &d.key);
            let place = match lines.as_slice() {
                [first, second, ..] => format!(" (lines {first} and {second})"),
                _ => String::new(),
            };
            Warning::new(
                diagnostics::pointer_push(&d.mapping, &d.key),
                "duplicate-key",
                format!(
                    "key `{}` is written twice in one mapping{place}; the last value is used",
                    d.key
                ),
            )
        })
        .collect();
    // `openapi: 3.1` or `version: 1.0` unquoted is a YAML number; the version it means
    // is its text.
    for pointer in ["/openapi", "/info/version", "/info/title"] {
        if let Some(field) = value.pointer_mut(pointer).filter(|v| v.is_number()) {
            let text = field.to_string();
            *field = serde_json::Value::String(text.clone());
            parse_warnings.push(Warning::new(
                pointer,
                "version-not-a-string",
                format!("`{text}` is a number in the document; read as the string \"{text}\" (quote it)"),
            ));
        }
    }
    let swagger = value
        .get("swagger")
        .and_then(|v| v.as_str())
        .map(str::to_string);
    if let Some(v) = &swagger {
        if v != "2.0" {
            return Err(Error::new(
                path,
                Some(Location {
                    pointer: "/swagger".into(),
                    line_col: locate::line_col_of(text, "/swagger"),
                }),
                format!("unsupported Swagger version {v:?}: expected 2.0"),
            ));
        }
    } else {
        check_openapi_version(path, text, &value)?;
    }
    let bundled = bundle::bundle(path, text, value, options)?;
    let mut warnings = parse_warnings;
    warnings.extend(bundled.warnings);
    let mut value = bundled.value;
    let version = match swagger {
        Some(v) => {
            let (converted, conversion_warnings) = swagger2::convert(value);
            value = converted;
            warnings.extend(conversion_warnings);
            v
        }
        None => value
            .get("openapi")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string(),
    };
    Ok(Bundle {
        value,
        version,
        files: bundled.files,
        warnings,
        origins: bundled.origins,
    })
}

fn check_openapi_version(path: &Path, text: &str, value: &serde_json::Value) -> Result<(), Error> {
    match value.get("openapi").and_then(|v| v.as_str()) {
        Some(v) if v.starts_with("3.") => Ok(()),
        Some(v) => Err(Error::new(
            path,
            Some(Location {
                pointer: "/openapi".into(),
                line_col: locate::line_col_of(text, "/openapi"),
            }),
            format!("unsupported OpenAPI version {v:?}: expected 3.0.x or 3.1.x (or Swagger 2.0)"),
        )),
        None => Err(Error::new(
            path,
            Some(Location {
                pointer: "/openapi".into(),
                line_col: None,
            }),
            "missing the `openapi` version field (or `swagger: \"2.0\"`)",
        )),
    }
}

/// `openapiv3` flattens the path and response maps, which hides the failing entry from
/// serde's path; deserialising the entries one by one finds it.
fn refine(root: &serde_json::Value, pointer: String, message: String) -> (String, String) {
    fn first_failure<T: serde::de::DeserializeOwned>(
        map: &serde_json::Map<String, serde_json::Value>,
        base: &str,
    ) -> Option<(String, String)> {
        // Entries that are not references are read as the item itself: through the
        // untagged `ReferenceOr`, serde would report no path at all.
        map.iter()
            .filter(|(_, entry)| entry.get("$ref").is_none())
            .find_map(|(key, entry)| {
                serde_path_to_error::deserialize::<_, T>(entry)
                    .err()
                    .map(|err| {
                        let inner = locate::pointer_of_path(err.path());
                        (
                            format!("{}{inner}", diagnostics::pointer_push(base, key)),
                            err.into_inner().to_string(),
                        )
                    })
            })
    }
    let Some(map) = root.pointer(&pointer).and_then(|v| v.as_object()) else {
        return (pointer, message);
    };
    let found = if pointer == "/paths" {
        first_failure::<openapiv3::PathItem>(map, &pointer)
    } else if pointer.ends_with("/responses") {
        first_failure::<openapiv3::Response>(map, &pointer)
    } else {
        None
    };
    match found {
        // The entry may itself hide a flattened map (an operation's responses).
        Some((deeper, msg)) if deeper != pointer => refine(root, deeper, msg),
        _ => (pointer, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The split, threaded read gives exactly what serde gives reading the whole tree.
    #[test]
    fn split_read_equals_whole_read() {
        let text = r##"{
          "openapi": "3.0.3",
          "info": {"title": "t", "version": "1"},
          "paths": {
            "x-top": {"a": 1},
            "/b": {"get": {"responses": {"200": {"description": "ok",
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/B"}}}}}}},
            "/a": {"$ref": "#/x"},
            "/c": {"post": {}},
            "ignored": 3
          },
          "components": {
            "x-c": true,
            "schemas": {
              "B": {"type": "object", "properties": {"n": {"type": "integer", "minimum": 1}}},
              "A": {"oneOf": [{"$ref": "#/components/schemas/B"}, {"type": "string"}]},
              "C": {"$ref": "#/components/schemas/A"},
              "D": {"type": ["string", "integer"]}
            },
            "parameters": {
              "p": {"name": "p", "in": "query", "schema": {"type": "string"}},
              "q": {"name": "q", "in": "query", "type": "integer"}
            }
          }
        }"##;
        let value: serde_json::Value = serde_json::from_str(text).expect("JSON");
        let mut normalized = value.clone();
        let whole_warnings = normalize::normalize(&mut normalized);
        let whole: openapiv3::OpenAPI = serde_json::from_value(normalized).expect("serde");
        let mut warnings = Vec::new();
        let split = normalize_and_read(value, &mut warnings).expect("split");
        assert_eq!(warnings, whole_warnings);
        // One from the paths, one from the schemas, one from the parameters, in order.
        let places: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            places,
            [
                "/paths/~1c/post",
                "/components/schemas/D/type",
                "/components/parameters/q"
            ]
        );
        assert_eq!(split, whole);
        assert_eq!(
            split.paths.paths.keys().collect::<Vec<_>>(),
            ["/b", "/a", "/c"].iter().collect::<Vec<_>>()
        );
        assert!(split.paths.extensions.contains_key("x-top"));
    }

    /// Schemas or paths that are not maps are left for serde, which names the error.
    #[test]
    fn split_read_leaves_bad_maps_to_serde() {
        for bad in [
            r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},"components":{"schemas":[1]}}"#,
            r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":[]}"#,
            r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/a":{"get":7}}}"#,
        ] {
            let value: serde_json::Value = serde_json::from_str(bad).expect("JSON");
            let mut normalized = value.clone();
            normalize::normalize(&mut normalized);
            let whole = serde_json::from_value::<openapiv3::OpenAPI>(normalized)
                .expect_err("serde refuses it");
            let split = normalize_and_read(value, &mut Vec::new()).expect_err("split refuses it");
            assert_eq!(split.to_string(), whole.to_string(), "{bad}");
        }
    }

    #[test]
    fn unquoted_version_number_is_read_as_its_text() {
        let doc = load_str(
            Path::new("s.yaml"),
            "openapi: 3.1\ninfo: {title: t, version: 1.0}\npaths: {}\n",
        )
        .expect("loads");
        assert_eq!(doc.version, "3.1");
        assert_eq!(doc.api.info.version, "1.0");
        assert!(doc
            .warnings
            .iter()
            .any(|w| w.class == "version-not-a-string"));
        let err = load_str(Path::new("s.yaml"), "openapi: 2.5\ninfo: {}\n").unwrap_err();
        assert!(
            err.to_string()
                .contains("unsupported OpenAPI version \"2.5\""),
            "{err}"
        );
    }

    #[test]
    fn duplicate_keys_warn_with_both_lines() {
        let doc = load_str(
            Path::new("s.yaml"),
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: {responses: {'200': {description: a}}}\n    get: {responses: {'204': {description: b}}}\n",
        )
        .expect("loads");
        let w: Vec<_> = doc
            .warnings
            .iter()
            .filter(|w| w.class == "duplicate-key")
            .collect();
        assert_eq!(w.len(), 1, "{:?}", doc.warnings);
        assert_eq!(w[0].pointer, "/paths/~1a/get");
        assert!(w[0].message.contains("lines 5 and 6"), "{}", w[0].message);
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let text = "openapi: 3.0.3\ninfo: {title: 'ü', version: '1'}\npaths: {}\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&le).as_deref(), Ok(text));
        assert_eq!(decode(&be).as_deref(), Ok(text));
        let err = decode(&[b'a', 0xC3]).unwrap_err();
        assert!(err.contains("neither UTF-8 nor UTF-16"), "{err}");
        assert!(decode(&[0xFF, 0xFE, 0x00]).is_err());
    }

    #[test]
    fn other_swagger_versions_are_refused() {
        let err = load_str(Path::new("s.yaml"), "swagger: '1.2'\ninfo: {}\n").unwrap_err();
        assert!(err.to_string().contains("expected 2.0"), "{err}");
        assert!(err.to_string().starts_with("s.yaml: line 1"), "{err}");
    }

    #[test]
    fn structural_error_names_pointer_and_line() {
        let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      parameters: 7\n      responses: {}\n";
        let err = load_str(Path::new("s.yaml"), text).unwrap_err();
        let loc = err.location.clone().expect("location");
        assert_eq!(loc.pointer, "/paths/~1a/get/parameters");
        assert_eq!(loc.line_col.map(|(l, _)| l), Some(8), "{err}");
    }

    #[test]
    fn yaml_syntax_error_has_line() {
        let err = load_str(Path::new("s.yaml"), "openapi: 3.0.3\ninfo: [\n").unwrap_err();
        assert!(err.location.and_then(|l| l.line_col).is_some());
    }

    #[test]
    fn json_syntax_error_has_line() {
        let err = load_str(Path::new("s.json"), "{\n \"openapi\": \"3.0.3\",\n x\n}").unwrap_err();
        assert_eq!(
            err.location.and_then(|l| l.line_col).map(|(l, _)| l),
            Some(3)
        );
    }
}
