//! External references: every local file a spec pulls in with `$ref` is read once and
//! copied into the document, which becomes the single file a bundler would write.
//!
//! An object from another file goes where objects of its kind are kept by name
//! (`#/components/schemas/...`, or `#/definitions/...` in Swagger 2.0), named as a
//! bundle names it: the last token of the fragment (`common.yaml#/components/parameters/Limit`
//! gives `Limit`), or the file's stem for a whole file (`./schemas/Pet.yaml` gives
//! `Pet`). A name already taken by another object gets a suffix (`Pet_2`). A root entry
//! `components/schemas/Pet: {$ref: ./Pet.yaml}` keeps its own name. Kinds that have no
//! such place (path items, operations, media types) are written inline. A `$ref` in a
//! file is relative to that file. URLs are not fetched: they stay as they are unless
//! an option maps their prefix to a local folder.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::grammar::{self, Child, Kind};
use super::options::LoadOptions;
use super::{locate, parse};
use crate::diagnostics::{pointer_push, Error, Location, Warning};

/// A place in the bundled document that was copied from another file.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The JSON pointer of the copy in the bundled document.
    pub pointer: String,
    pub file: PathBuf,
    /// The JSON pointer of the original in `file`.
    pub file_pointer: String,
    /// The text of `file`, to find lines in.
    pub text: std::sync::Arc<str>,
}

/// The bundled document and what it was made of.
#[derive(Debug)]
pub struct Bundled {
    pub value: Value,
    /// Every file read, the root first.
    pub files: Vec<PathBuf>,
    pub origins: Vec<Origin>,
    pub warnings: Vec<Warning>,
}

struct Source {
    path: PathBuf,
    text: std::sync::Arc<str>,
    value: Value,
}

/// A reference resolved to a file (by index) and a JSON pointer in it.
type Target = (usize, String);

struct Bundler<'a> {
    options: &'a LoadOptions,
    v2: bool,
    files: Vec<Source>,
    by_path: HashMap<PathBuf, usize>,
    /// Where each external target went, as a local `$ref`.
    placed: HashMap<Target, String>,
    /// Names in use per container.
    taken: HashMap<&'static [&'static str], HashSet<String>>,
    /// New named objects in the order they were found; `None` until walked.
    pending: Vec<(&'static [&'static str], String, Option<Value>)>,
    /// Targets being written inline, to stop a cycle of them.
    inlining: Vec<Target>,
    origins: Vec<Origin>,
    warnings: Vec<Warning>,
    warned_urls: HashSet<String>,
}

/// Bundles `root` (the parsed text of `path`): resolves its external references.
pub fn bundle(
    path: &Path,
    text: &str,
    mut root: Value,
    options: &LoadOptions,
) -> Result<Bundled, Error> {
    let v2 = root.get("swagger").is_some();
    if !has_external_ref(&root) {
        // One self-contained file (most specs): nothing to copy in or rewrite.
        sort_containers(&mut root, v2);
        return Ok(Bundled {
            value: root,
            files: vec![path.to_path_buf()],
            origins: Vec::new(),
            warnings: Vec::new(),
        });
    }
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let mut b = Bundler {
        options,
        v2,
        files: vec![Source {
            path: path.to_path_buf(),
            text: text.into(),
            value: Value::Null,
        }],
        by_path: HashMap::from([(canonical, 0)]),
        placed: HashMap::new(),
        taken: HashMap::new(),
        pending: Vec::new(),
        inlining: Vec::new(),
        origins: Vec::new(),
        warnings: Vec::new(),
        warned_urls: HashSet::new(),
    };
    b.claim_root_names(&root)?;
    b.walk(&mut root, Kind::Root, 0, "", "")?;
    for (container, name, value) in std::mem::take(&mut b.pending) {
        let Some(value) = value else { continue };
        insert_at(&mut root, container, name, value);
    }
    sort_containers(&mut root, v2);
    Ok(Bundled {
        value: root,
        files: b.files.into_iter().map(|s| s.path).collect(),
        origins: b.origins,
        warnings: b.warnings,
    })
}

/// Whether any `$ref` in the document, wherever it is, names another file or a URL.
/// Local references (`#/...`) are left as they are, so without any other the walk
/// below would change nothing.
fn has_external_ref(node: &Value) -> bool {
    match node {
        Value::Object(map) => map.iter().any(|(key, value)| match value {
            Value::String(target) => key == "$ref" && !target.starts_with('#'),
            other => has_external_ref(other),
        }),
        Value::Array(items) => items.iter().any(has_external_ref),
        _ => false,
    }
}

/// Sorts the named objects of each container by name. Their order in a file is an
/// accident of how the description was written or split (a split file lists only what
/// its paths reach, in the order they reach it), so the client must not depend on it:
/// the same description in one file or in many gives the same code, names included
/// (a collision of two names is settled in this order).
/// Security schemes keep their order: a split keeps them in the root as written, and
/// the first is the one the client's doc example shows.
fn sort_containers(root: &mut Value, v2: bool) {
    for (kind, container) in grammar::containers(v2) {
        if kind == Kind::SecurityScheme {
            continue;
        }
        let pointer: String = container.iter().map(|k| format!("/{k}")).collect();
        if let Some(Value::Object(map)) = root.pointer_mut(&pointer) {
            map.sort_keys();
        }
    }
}

/// Inserts `name: value` into the map at the path `container`, made where missing.
fn insert_at(root: &mut Value, container: &[&str], name: String, value: Value) {
    let Some(map) = root.as_object_mut() else {
        return;
    };
    match container.split_first() {
        None => {
            map.insert(name, value);
        }
        Some((key, rest)) => {
            let next = map
                .entry(key.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            insert_at(next, rest, name, value);
        }
    }
}

impl Bundler<'_> {
    /// Takes the names the root already uses, and lets a root entry that is only a
    /// reference to another file (`components/schemas/Pet: {$ref: ./Pet.yaml}`) keep
    /// its name for the object it points to.
    fn claim_root_names(&mut self, root: &Value) -> Result<(), Error> {
        for (_, container) in grammar::containers(self.v2) {
            let mut pointer = String::new();
            for key in container {
                pointer = pointer_push(&pointer, key);
            }
            let Some(map) = root.pointer(&pointer).and_then(Value::as_object) else {
                continue;
            };
            for (name, entry) in map {
                self.taken
                    .entry(container)
                    .or_default()
                    .insert(name.clone());
                let Some(reference) = entry.get("$ref").and_then(Value::as_str) else {
                    continue;
                };
                let at = pointer_push(&pointer, name);
                if let Some(target) = self.resolve(reference, 0, &at)? {
                    if target.0 != 0 {
                        self.placed
                            .entry(target)
                            .or_insert_with(|| format!("#{at}"));
                    }
                }
            }
        }
        Ok(())
    }

    /// Rewrites the references in `node`, an object of kind `kind` found in file
    /// `file` at `at`, which the bundle holds at `out`.
    fn walk(
        &mut self,
        node: &mut Value,
        kind: Kind,
        file: usize,
        at: &str,
        out: &str,
    ) -> Result<(), Error> {
        if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            let reference = reference.to_string();
            return self.reference(node, &reference, kind, file, at, out);
        }
        match node {
            Value::Object(map) => {
                for (key, value) in map.iter_mut() {
                    let Some(child) = grammar::child(kind, key, self.v2) else {
                        continue;
                    };
                    let at = pointer_push(at, key);
                    let out = pointer_push(out, key);
                    match (child, value) {
                        (Child::One(k), Value::Array(items))
                        | (Child::List(k), Value::Array(items)) => {
                            for (i, item) in items.iter_mut().enumerate() {
                                let index = i.to_string();
                                self.walk(
                                    item,
                                    k,
                                    file,
                                    &pointer_push(&at, &index),
                                    &pointer_push(&out, &index),
                                )?;
                            }
                        }
                        (Child::One(k), value) => self.walk(value, k, file, &at, &out)?,
                        (Child::Map(k), Value::Object(entries)) => {
                            for (name, item) in entries.iter_mut() {
                                self.walk(
                                    item,
                                    k,
                                    file,
                                    &pointer_push(&at, name),
                                    &pointer_push(&out, name),
                                )?;
                            }
                        }
                        _ => {}
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn reference(
        &mut self,
        node: &mut Value,
        reference: &str,
        kind: Kind,
        file: usize,
        at: &str,
        out: &str,
    ) -> Result<(), Error> {
        let Some(target) = self.resolve(reference, file, at)? else {
            return Ok(());
        };
        if target.0 == 0 {
            if file != 0 {
                node["$ref"] = Value::String(format!("#{}", target.1));
            }
            return Ok(());
        }
        let placed = self.placed.get(&target).cloned();
        // The root entry that names this object: the object itself goes here.
        let here = format!("#{out}");
        if placed.as_deref() == Some(here.as_str()) || grammar::container(kind, self.v2).is_none() {
            return self.inline(node, target, kind, file, at, out);
        }
        let local = match placed {
            Some(local) => local,
            None => self.place(target, kind, file, at)?,
        };
        node["$ref"] = Value::String(local);
        Ok(())
    }

    /// Writes the object at `target` in place of the reference `node`, keeping the
    /// reference's sibling keys.
    fn inline(
        &mut self,
        node: &mut Value,
        target: Target,
        kind: Kind,
        file: usize,
        at: &str,
        out: &str,
    ) -> Result<(), Error> {
        if self.inlining.contains(&target) {
            return Err(self.error(
                file,
                &pointer_push(at, "$ref"),
                format!(
                    "this reference is part of a cycle of references to {}#{} that can only be written inline",
                    self.files[target.0].path.display(),
                    target.1
                ),
            ));
        }
        let mut content = self.fetch(&target, file, at)?;
        self.origins.push(self.origin(out, &target));
        self.inlining.push(target.clone());
        self.walk(&mut content, kind, target.0, &target.1, out)?;
        self.inlining.pop();
        if let (Value::Object(content_map), Value::Object(site)) = (&mut content, &*node) {
            for (key, value) in site {
                if key != "$ref" && !content_map.contains_key(key) {
                    content_map.insert(key.clone(), value.clone());
                }
            }
        }
        *node = content;
        Ok(())
    }

    /// Gives the object at `target` a name in its container and returns its local
    /// reference; the object is copied (and its own references rewritten) once.
    fn place(
        &mut self,
        target: Target,
        kind: Kind,
        file: usize,
        at: &str,
    ) -> Result<String, Error> {
        let Some(container) = grammar::container(kind, self.v2) else {
            return Err(self.error(file, at, "internal: no container for this kind".to_string()));
        };
        let base = match target.1.rsplit('/').next() {
            Some(last) if !target.1.is_empty() => last.replace("~1", "/").replace("~0", "~"),
            _ => file_stem(&self.files[target.0].path),
        };
        let taken = self.taken.entry(container).or_default();
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        taken.insert(name.clone());
        let mut pointer = String::new();
        for key in container {
            pointer = pointer_push(&pointer, key);
        }
        pointer = pointer_push(&pointer, &name);
        let local = format!("#{pointer}");
        self.placed.insert(target.clone(), local.clone());
        let slot = self.pending.len();
        self.pending.push((container, name, None));
        let mut content = self.fetch(&target, file, at)?;
        self.origins.push(self.origin(&pointer, &target));
        self.walk(&mut content, kind, target.0, &target.1, &pointer)?;
        self.pending[slot].2 = Some(content);
        Ok(local)
    }

    fn origin(&self, out: &str, target: &Target) -> Origin {
        let source = &self.files[target.0];
        Origin {
            pointer: out.to_string(),
            file: source.path.clone(),
            file_pointer: target.1.clone(),
            text: source.text.clone(),
        }
    }

    /// A copy of the object at `target`; `file` and `at` name the reference.
    fn fetch(&self, target: &Target, file: usize, at: &str) -> Result<Value, Error> {
        let source = &self.files[target.0];
        source.value.pointer(&target.1).cloned().ok_or_else(|| {
            self.error(
                file,
                &pointer_push(at, "$ref"),
                format!(
                    "the reference points to {}#{}, which does not exist",
                    source.path.display(),
                    target.1
                ),
            )
        })
    }

    /// The file and pointer a reference written in `file` at `at` means; `None` for a
    /// URL that is not mapped to a folder (left as it is, with a warning).
    fn resolve(&mut self, reference: &str, file: usize, at: &str) -> Result<Option<Target>, Error> {
        let (location, fragment) = match reference.split_once('#') {
            Some((l, f)) => (l, percent_decode(f)),
            None => (reference, String::new()),
        };
        if location.is_empty() {
            return Ok(Some((file, fragment)));
        }
        let location = percent_decode(location);
        let path = if location.starts_with("http://") || location.starts_with("https://") {
            let mapped = self.options.url_map.iter().find_map(|(prefix, dir)| {
                location
                    .strip_prefix(prefix.as_str())
                    .map(|rest| dir.join(rest))
            });
            match mapped {
                Some(path) => path,
                None => {
                    if self.warned_urls.insert(location.clone()) {
                        let source = &self.files[file];
                        let place = if file == 0 {
                            String::new()
                        } else {
                            format!(" (in {})", source.path.display())
                        };
                        self.warnings.push(Warning::new(
                            pointer_push(at, "$ref"),
                            "url-ref-not-fetched",
                            format!(
                                "`{reference}`{place} is a URL; URLs are not fetched (map its prefix to a local folder with `--map-url PREFIX=DIR`)"
                            ),
                        ));
                    }
                    return Ok(None);
                }
            }
        } else if let Some(rest) = location.strip_prefix("file://") {
            PathBuf::from(rest)
        } else {
            let base = self.files[file].path.parent().unwrap_or(Path::new(""));
            clean(&base.join(&location))
        };
        let index = self.read(&path, reference, file, at)?;
        Ok(Some((index, fragment)))
    }

    /// Reads (once) the file at `path`, referred to by `reference` in `file` at `at`.
    fn read(
        &mut self,
        path: &Path,
        reference: &str,
        file: usize,
        at: &str,
    ) -> Result<usize, Error> {
        let at_ref = pointer_push(at, "$ref");
        let canonical = path.canonicalize().map_err(|e| {
            self.error(
                file,
                &at_ref,
                format!("`{reference}`: cannot read {}: {e}", path.display()),
            )
        })?;
        if let Some(&index) = self.by_path.get(&canonical) {
            return Ok(index);
        }
        let bytes = std::fs::read(&canonical).map_err(|e| {
            self.error(
                file,
                &at_ref,
                format!("`{reference}`: cannot read {}: {e}", path.display()),
            )
        })?;
        let text =
            super::encoding::decode(&bytes).map_err(|message| Error::new(path, None, message))?;
        let (value, duplicates) =
            parse::parse_all(&text).map_err(|e| Error::new(path, e.location, e.message))?;
        for d in duplicates {
            self.warnings.push(Warning::new(
                pointer_push(&d.mapping, &d.key),
                "duplicate-key",
                format!(
                    "in {}: key `{}` is written twice in one mapping; the last value is used",
                    path.display(),
                    d.key
                ),
            ));
        }
        let index = self.files.len();
        self.files.push(Source {
            path: path.to_path_buf(),
            text: text.into(),
            value,
        });
        self.by_path.insert(canonical, index);
        Ok(index)
    }

    fn error(&self, file: usize, pointer: &str, message: String) -> Error {
        let source = &self.files[file];
        let line_col = locate::line_col_of(&source.text, pointer);
        Error::new(
            &source.path,
            Some(Location {
                pointer: pointer.to_string(),
                line_col,
            }),
            message,
        )
    }
}

/// `a/./b/../c` as `a/c`, for messages: the path as the user would write it. (Files are
/// told apart by their canonical path.)
fn clean(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The name a bundle gives a whole file: its name without the extension.
fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "external".to_string())
}

/// Decodes `%XX` escapes (a reference is a URI); anything else is kept as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Maps a place in the bundled document back to the file it came from: the file, the
/// pointer in it, and the file's text.
pub fn origin_of<'o>(origins: &'o [Origin], pointer: &str) -> Option<(&'o Origin, String)> {
    origins
        .iter()
        .filter(|o| {
            pointer == o.pointer
                || (pointer.starts_with(&o.pointer) && pointer[o.pointer.len()..].starts_with('/'))
        })
        .max_by_key(|o| o.pointer.len())
        .map(|o| {
            (
                o,
                format!("{}{}", o.file_pointer, &pointer[o.pointer.len()..]),
            )
        })
}
