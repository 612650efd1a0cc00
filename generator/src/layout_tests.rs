//! The shape of `generator/src`, checked: no file over [`MAX_LINES`] lines, and no
//! import circle (module A naming B while B names A), so that every module can be
//! read, moved and tested on its own.
//!
//! The graph comes from the source text: `use crate::…`, `use super::…`, `use self::…`
//! and `use child::…` statements, and paths written inline (`crate::a::b`, `super::x`,
//! `child::f`). A name a module re-exports (`pub use ir::*`) counts as an edge to the
//! module that defines it. Test code (from the first `#[cfg(test)]` of a file on) and
//! comments are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Longest a source file may be.
const MAX_LINES: usize = 800;

/// A module path from the crate root: `["model", "operations"]`.
type ModPath = Vec<String>;

struct Module {
    file: String,
    /// The code outside tests, without comments.
    code: String,
}

#[test]
fn no_source_file_is_over_800_lines() {
    let root = src_dir();
    let mut too_long = Vec::new();
    for file in rust_files(&root) {
        let name = relative(&root, &file);
        let lines = std::fs::read_to_string(&file)
            .expect("readable")
            .lines()
            .count();
        if lines > MAX_LINES {
            too_long.push(format!("{name}: {lines} lines"));
        }
    }
    assert!(
        too_long.is_empty(),
        "files over {MAX_LINES} lines (split them by concern): {too_long:?}"
    );
}

#[test]
fn no_import_circles_between_modules() {
    let modules = load_modules(&src_dir());
    if let Some(cycle) = find_cycle(&modules) {
        panic!("import circle between modules of generator/src:\n{cycle}");
    }
}

/// The check itself finds a circle: `a` uses `b` through a re-export, `b` uses `a`.
#[test]
fn an_import_circle_is_found() {
    let module = |file: &str, code: &str| Module {
        file: file.to_string(),
        code: code.to_string(),
    };
    let mut modules = BTreeMap::new();
    modules.insert(vec![], module("lib.rs", "mod a;\nmod b;\n"));
    modules.insert(
        vec!["a".to_string()],
        module(
            "a/mod.rs",
            "mod inner;\npub use inner::*;\nuse crate::b::g;\n",
        ),
    );
    modules.insert(
        vec!["a".to_string(), "inner".to_string()],
        module("a/inner.rs", "pub struct Thing;\n"),
    );
    // Naming `Thing` through `a` reaches `a/inner.rs`, not `a`: no circle yet.
    modules.insert(
        vec!["b".to_string()],
        module("b.rs", "use crate::a::Thing;\npub fn g() {}\n"),
    );
    assert_eq!(find_cycle(&modules), None);
    // `a::f` is defined in `a` itself: now `b` and `a` use each other.
    modules.insert(
        vec!["b".to_string()],
        module("b.rs", "pub fn g() {\n    let _ = crate::a::f();\n}\n"),
    );
    let cycle = find_cycle(&modules).expect("a circle");
    assert!(
        cycle.contains("a/mod.rs") && cycle.contains("b.rs"),
        "{cycle}"
    );
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("source folder")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

fn relative(root: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(root).expect("under src");
    rel.to_string_lossy().replace('\\', "/")
}

/// Every module of the library (`main.rs` is the command's own crate), by path.
fn load_modules(root: &Path) -> BTreeMap<ModPath, Module> {
    let mut modules = BTreeMap::new();
    for file in rust_files(root) {
        let name = relative(root, &file);
        if name == "main.rs" {
            continue;
        }
        let mut path: ModPath = name
            .trim_end_matches(".rs")
            .split('/')
            .map(str::to_string)
            .collect();
        if matches!(path.last().map(String::as_str), Some("mod" | "lib")) {
            path.pop();
        }
        let source = std::fs::read_to_string(&file).expect("readable");
        modules.insert(
            path,
            Module {
                file: name,
                code: without_quoted(&code_of(&source)),
            },
        );
    }
    modules
}

/// The source up to its tests, without comments and string contents.
fn code_of(source: &str) -> String {
    let mut out = String::new();
    for line in source.lines() {
        if line.trim() == "#[cfg(test)]" {
            break;
        }
        let mut kept = String::new();
        let mut in_string = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if in_string => {
                    chars.next();
                }
                '"' => in_string = !in_string,
                '/' if !in_string && chars.peek() == Some(&'/') => break,
                _ if in_string => {}
                _ => kept.push(c),
            }
        }
        out.push_str(&kept);
        out.push('\n');
    }
    out
}

/// The code without the bodies of `quote!` invocations: they hold the generated
/// client's code, not the generator's.
fn without_quoted(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("quote!") {
        out.push_str(&rest[..at]);
        let body = &rest[at + "quote!".len()..];
        let mut depth = 0;
        let mut end = body.len();
        for (i, c) in body.char_indices() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &body[end..];
    }
    out.push_str(rest);
    out
}

/// `use` statements of the code (with `pub`, `pub(crate)`...), each expanded into its
/// paths; the flag says whether it is a re-export.
fn use_paths(code: &str) -> Vec<(bool, Vec<String>)> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = find_word(rest, "use") {
        let before = rest[..at].trim_end();
        let public = before.ends_with("pub") || before.ends_with(')');
        let after = &rest[at + 3..];
        let end = after.find(';').unwrap_or(after.len());
        // `x as y` keeps `x`: the rename is the module's own business.
        let mut words = after[..end].split_whitespace();
        let mut tree = String::new();
        while let Some(word) = words.next() {
            if word == "as" {
                let renamed = words.next().unwrap_or("");
                tree.extend(renamed.chars().filter(|c| matches!(c, ',' | '}')));
            } else {
                tree.push_str(word);
            }
        }
        for path in expand_tree(&tree) {
            out.push((public, path));
        }
        rest = &after[end..];
    }
    out
}

/// The index of `word` standing alone (not part of a longer identifier).
fn find_word(text: &str, word: &str) -> Option<usize> {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(i) = text[from..].find(word).map(|i| i + from) {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        if !before.is_some_and(is_ident) && after.is_some_and(char::is_whitespace) {
            return Some(i);
        }
        from = i + word.len();
    }
    None
}

/// `a::{b, c::{d, *}}` into `a::b`, `a::c::d`, `a::c::*`.
fn expand_tree(tree: &str) -> Vec<Vec<String>> {
    let Some(open) = tree.find('{') else {
        let path: Vec<String> = tree
            .split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        return vec![path];
    };
    let prefix: Vec<String> = tree[..open]
        .split("::")
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut out = Vec::new();
    let (mut depth, mut start) = (0, 0);
    let mut parts = Vec::new();
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    for part in parts.into_iter().filter(|p| !p.is_empty()) {
        for tail in expand_tree(part) {
            let mut path = prefix.clone();
            path.extend(tail.into_iter().filter(|s| s != "self"));
            out.push(path);
        }
    }
    out
}

/// Paths written in the code outside `use` statements that start at `crate`, `super`,
/// `self` or a child module: `crate::model::build`, `operations::build`.
fn inline_paths(code: &str, children: &BTreeSet<String>) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut without_uses = String::new();
    let mut rest = code;
    while let Some(at) = find_word(rest, "use") {
        without_uses.push_str(&rest[..at]);
        rest = rest[at..].find(';').map_or("", |end| &rest[at + end..]);
    }
    without_uses.push_str(rest);
    let chars: Vec<char> = without_uses.chars().collect();
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut i = 0;
    while i < chars.len() {
        if !is_ident(chars[i]) || (i > 0 && (is_ident(chars[i - 1]) || chars[i - 1] == ':')) {
            i += 1;
            continue;
        }
        let mut path = Vec::new();
        let mut j = i;
        loop {
            let start = j;
            while j < chars.len() && is_ident(chars[j]) {
                j += 1;
            }
            path.push(chars[start..j].iter().collect::<String>());
            if j + 2 < chars.len() && chars[j] == ':' && chars[j + 1] == ':' {
                j += 2;
            } else {
                break;
            }
        }
        let first = path[0].as_str();
        if path.len() > 1
            && (["crate", "super", "self"].contains(&first) || children.contains(first))
        {
            out.push(path);
        }
        i = j.max(i + 1);
    }
    out
}

/// Names a module defines itself.
fn defined_names(code: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let words: Vec<&str> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '!'))
        .filter(|w| !w.is_empty())
        .collect();
    for pair in words.windows(2) {
        if matches!(
            pair[0],
            "fn" | "struct"
                | "enum"
                | "const"
                | "static"
                | "type"
                | "trait"
                | "mod"
                | "macro_rules!"
        ) {
            names.insert(pair[1].to_string());
        }
    }
    names
}

/// The module a path written in `from` leads to, following re-exports of its last
/// name; `None` for other crates.
fn resolve(
    from: &ModPath,
    path: &[String],
    modules: &BTreeMap<ModPath, Module>,
    depth: u32,
) -> Option<ModPath> {
    let mut base = from.clone();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            rest = &rest[1..];
        }
        Some("self") => rest = &rest[1..],
        Some("super") => {
            while rest.first().map(String::as_str) == Some("super") {
                base.pop();
                rest = &rest[1..];
            }
        }
        Some(first) => {
            let mut child = base.clone();
            child.push(first.to_string());
            if !modules.contains_key(&child) {
                return None;
            }
        }
        None => return None,
    }
    while let Some(next) = rest.first() {
        let mut child = base.clone();
        child.push(next.clone());
        if !modules.contains_key(&child) {
            break;
        }
        base = child;
        rest = &rest[1..];
    }
    match rest.first() {
        Some(name) if name != "*" && depth < 8 => {
            Some(through_reexports(&base, name, modules, depth).unwrap_or(base))
        }
        _ => Some(base),
    }
}

/// The module that defines `name`, when `module` only re-exports it.
fn through_reexports(
    module: &ModPath,
    name: &str,
    modules: &BTreeMap<ModPath, Module>,
    depth: u32,
) -> Option<ModPath> {
    let code = &modules.get(module)?.code;
    if defined_names(code).contains(name) {
        return None;
    }
    for (public, path) in use_paths(code) {
        if !public {
            continue;
        }
        match path.last().map(String::as_str) {
            Some(last) if last == name => return resolve(module, &path, modules, depth + 1),
            Some("*") => {
                let mut named = path[..path.len() - 1].to_vec();
                named.push(name.to_string());
                let target = resolve(module, &named, modules, depth + 1)?;
                let target_code = &modules.get(&target)?.code;
                if target != *module && defined_names(target_code).contains(name) {
                    return Some(target);
                }
            }
            _ => {}
        }
    }
    None
}

/// The modules each module names (with the path that names it), itself excluded.
fn edges(modules: &BTreeMap<ModPath, Module>) -> BTreeMap<ModPath, BTreeMap<ModPath, String>> {
    let mut graph = BTreeMap::new();
    for (path, module) in modules {
        let children: BTreeSet<String> = modules
            .keys()
            .filter(|k| k.len() == path.len() + 1 && k.starts_with(path))
            .map(|k| k[path.len()].clone())
            .collect();
        let mut named = BTreeMap::new();
        let written = use_paths(&module.code)
            .into_iter()
            .map(|(_, p)| p)
            .chain(inline_paths(&module.code, &children));
        for p in written {
            if let Some(target) = resolve(path, &p, modules, 0) {
                if target != *path {
                    named.entry(target).or_insert_with(|| p.join("::"));
                }
            }
        }
        graph.insert(path.clone(), named);
    }
    graph
}

/// A circle of the module graph as `a.rs (names x::y) -> b.rs (...) -> a.rs`, if any.
fn find_cycle(modules: &BTreeMap<ModPath, Module>) -> Option<String> {
    let graph = edges(modules);
    // 0: not seen, 1: on the current path, 2: done.
    let mut state: BTreeMap<&ModPath, u8> = BTreeMap::new();
    let mut stack: Vec<&ModPath> = Vec::new();
    fn visit<'g>(
        node: &'g ModPath,
        graph: &'g BTreeMap<ModPath, BTreeMap<ModPath, String>>,
        state: &mut BTreeMap<&'g ModPath, u8>,
        stack: &mut Vec<&'g ModPath>,
    ) -> Option<Vec<&'g ModPath>> {
        state.insert(node, 1);
        stack.push(node);
        for next in graph.get(node).into_iter().flat_map(|n| n.keys()) {
            match state.get(next).copied().unwrap_or(0) {
                1 => {
                    let from = stack.iter().position(|m| *m == next).unwrap_or(0);
                    let mut circle = stack[from..].to_vec();
                    circle.push(next);
                    return Some(circle);
                }
                0 => {
                    if let Some(circle) = visit(next, graph, state, stack) {
                        return Some(circle);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(node, 2);
        None
    }
    for node in graph.keys() {
        if state.get(node).copied().unwrap_or(0) == 0 {
            if let Some(circle) = visit(node, &graph, &mut state, &mut stack) {
                let text: Vec<String> = circle
                    .windows(2)
                    .map(|pair| {
                        format!(
                            "{} names `{}` ->",
                            modules[pair[0]].file, graph[pair[0]][pair[1]]
                        )
                    })
                    .chain(std::iter::once(modules[*circle.last()?].file.clone()))
                    .collect();
                return Some(text.join("\n  "));
            }
        }
    }
    None
}
