//! Finding where an error is: serde paths to JSON pointers, pointers to lines.

use serde_path_to_error::{Path, Segment};

use crate::diagnostics::pointer_push;

pub fn pointer_of_path(path: &Path) -> String {
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer = pointer_push(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = pointer_push(&pointer, key),
            Segment::Enum { variant } => pointer = pointer_push(&pointer, variant),
            Segment::Unknown => {}
        }
    }
    pointer
}

/// The line and column (1-based) where the value at `pointer` starts, found by walking
/// the YAML or JSON event stream of the original text. `None` when the pointer does not
/// resolve (for example because normalisation created the node).
pub fn line_col_of(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let value: serde_yaml::Value = serde_yaml::from_str(text).ok()?;
    // serde_yaml keeps no spans, so find the key path textually: descend one token at a
    // time, each found after the previous one, and report the last key's position.
    let mut node = &value;
    let mut offset = 0usize;
    for token in &tokens {
        match node {
            serde_yaml::Value::Mapping(map) => {
                let key = serde_yaml::Value::String(token.clone());
                node = map.get(&key)?;
                offset = find_key(text, offset, token)?;
            }
            serde_yaml::Value::Sequence(seq) => {
                let index: usize = token.parse().ok()?;
                node = seq.get(index)?;
            }
            _ => return None,
        }
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = offset - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    Some((line, col))
}

/// Offset of the next occurrence of `key` written as a mapping key, at or after `from`.
fn find_key(text: &str, from: usize, key: &str) -> Option<usize> {
    let candidates = [
        format!("\"{key}\":"),
        format!("\"{key}\" :"),
        format!("'{key}':"),
        format!("{key}:"),
    ];
    candidates
        .iter()
        .filter_map(|c| {
            text[from..].match_indices(c.as_str()).find_map(|(i, _)| {
                let at = from + i;
                let prev = text[..at].chars().next_back();
                // A bare key must start a token, not end another word.
                let starts_token = c.starts_with(['"', '\''])
                    || matches!(prev, None | Some(' ' | '\n' | '\t' | '{' | ',' | '-'));
                starts_token.then_some(at)
            })
        })
        .min()
}

/// The lines (1-based) where `key` is written in the mapping at `mapping`, in order: two
/// or more for a duplicate key. Found textually, like [`line_col_of`], in the tree the
/// document parsed to.
pub fn key_lines(text: &str, root: &serde_json::Value, mapping: &str, key: &str) -> Vec<usize> {
    let mut node = root;
    let mut offset = 0usize;
    for token in mapping
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
    {
        match node {
            serde_json::Value::Object(map) => {
                let Some(next) = map.get(&token) else {
                    return Vec::new();
                };
                node = next;
                match find_key(text, offset, &token) {
                    Some(at) => offset = at + token.len(),
                    None => return Vec::new(),
                }
            }
            serde_json::Value::Array(items) => {
                let Some(next) = token.parse::<usize>().ok().and_then(|i| items.get(i)) else {
                    return Vec::new();
                };
                node = next;
            }
            _ => return Vec::new(),
        }
    }
    let mut lines = Vec::new();
    while let Some(at) = find_key(text, offset, key) {
        lines.push(text[..at].matches('\n').count() + 1);
        offset = at + key.len().max(1);
        if lines.len() == 2 {
            break;
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_key_lines() {
        let text = "paths:\n  /a:\n    get: {}\n    get: {x: 1}\n";
        let root = serde_json::json!({"paths": {"/a": {"get": {"x": 1}}}});
        assert_eq!(key_lines(text, &root, "/paths/~1a", "get"), vec![3, 4]);
    }
}
