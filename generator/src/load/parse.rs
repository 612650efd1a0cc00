//! Text to a JSON value, YAML or JSON chosen by content.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;

use crate::diagnostics::{pointer_push, Location};

pub struct ParseError {
    pub location: Option<Location>,
    pub message: String,
}

/// Text to a JSON value, with the duplicate mapping keys of a YAML document: JSON when
/// the first non-blank character opens an object, YAML otherwise (YAML is a superset of
/// JSON, but the JSON parser is faster and reports JSON positions).
pub fn parse_all(text: &str) -> Result<(serde_json::Value, Vec<DuplicateKey>), ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text)
            .map(|v| (v, Vec::new()))
            .map_err(|e| ParseError {
                location: Some(Location {
                    pointer: String::new(),
                    line_col: Some((e.line(), e.column())),
                }),
                message: format!("invalid JSON: {e}"),
            })
    } else {
        if let Some(line_col) = too_deep(text) {
            return Err(ParseError {
                location: Some(Location {
                    pointer: String::new(),
                    line_col: Some(line_col),
                }),
                message: format!(
                    "invalid YAML: nested more than {MAX_NESTING} levels deep; refused"
                ),
            });
        }
        parse_yaml(text)
    }
}

/// Deeper than this is refused before the YAML parser sees it: the parser needs time
/// quadratic in the depth before its own recursion limit (128) stops it, about 30 s at
/// 100,000 levels. Nothing nested this deep could be read anyway.
pub const MAX_NESTING: usize = 1000;

/// The line and column (1-based) where the nesting of `text` passes [`MAX_NESTING`],
/// found in one pass: indentation levels of block collections (and `- - x` sequences on
/// one line), plus open `[` and `{` of flow collections outside quoted scalars.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    let mut quote: Option<char> = None;
    for (line_no, line) in text.lines().enumerate() {
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        if flow == 0 && quote.is_none() && !content.is_empty() && !content.starts_with('#') {
            while indents.last().is_some_and(|&i| i >= indent) {
                indents.pop();
            }
            indents.push(indent);
            let mut rest = content;
            while let Some(after) = rest.strip_prefix("- ").or_else(|| rest.strip_prefix("? ")) {
                rest = after.trim_start_matches(' ');
                indents.push(line.len() - rest.len());
            }
        }
        // Where a value may start: a flow collection or a quoted scalar opens only there.
        let mut last: Option<char> = None;
        let mut escaped = false;
        for (col, c) in line.char_indices() {
            if let Some(q) = quote {
                if q == '"' && c == '\\' && !escaped {
                    escaped = true;
                    continue;
                }
                if c == q && !escaped {
                    quote = None;
                }
                escaped = false;
                last = Some(c);
                continue;
            }
            let at_value = matches!(last, None | Some(':' | '-' | '?' | ',' | '[' | '{'));
            match c {
                '[' | '{' if flow > 0 || at_value => {
                    flow += 1;
                    if indents.len() + flow > MAX_NESTING {
                        return Some((line_no + 1, col + 1));
                    }
                }
                ']' | '}' if flow > 0 => flow -= 1,
                '"' | '\'' if at_value => quote = Some(c),
                '#' if matches!(line[..col].chars().next_back(), None | Some(' ' | '\t')) => break,
                _ => {}
            }
            if c != ' ' && c != '\t' {
                last = Some(c);
            }
        }
        if indents.len() + flow > MAX_NESTING {
            return Some((line_no + 1, 1));
        }
    }
    None
}

/// A mapping key written twice in one mapping: the last value is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// JSON pointer of the mapping.
    pub mapping: String,
    pub key: String,
}

/// Parses YAML like [`parse`], also returning the duplicate mapping keys it saw.
pub fn parse_yaml(text: &str) -> Result<(serde_json::Value, Vec<DuplicateKey>), ParseError> {
    let duplicates = RefCell::new(Vec::new());
    // Without aliases a document cannot hold more nodes than it has bytes; beyond that
    // budget, aliases are expanding it (a "billion laughs" document): refused at once,
    // before the parser's own repetition limit, which takes seconds to reach.
    let budget = Cell::new(text.len().saturating_mul(2).saturating_add(10_000));
    let de = serde_yaml::Deserializer::from_str(text);
    let value = serde::de::DeserializeSeed::deserialize(
        Node {
            pointer: String::new(),
            duplicates: &duplicates,
            budget: &budget,
        },
        de,
    )
    .map_err(|e| ParseError {
        location: e.location().map(|l| Location {
            pointer: String::new(),
            line_col: Some((l.line(), l.column())),
        }),
        message: format!("invalid YAML: {e}"),
    })?;
    Ok((value, duplicates.into_inner()))
}

/// A JSON value read from YAML, at `pointer`. Not `serde_yaml::Value`: YAML allows
/// integers beyond 64 bits (kept here as floats, as JSON parsers do) and non-string keys
/// (kept as their text), both of which a JSON value cannot hold as such; merge keys
/// (`<<: *base`) are applied; duplicate keys are recorded.
struct Node<'c> {
    pointer: String,
    duplicates: &'c RefCell<Vec<DuplicateKey>>,
    /// Nodes that may still be read.
    budget: &'c Cell<usize>,
}

impl<'c> Node<'c> {
    fn child(&self, pointer: String) -> Node<'c> {
        Node {
            pointer,
            duplicates: self.duplicates,
            budget: self.budget,
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Node<'_> {
    type Value = serde_json::Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        match self.budget.get().checked_sub(1) {
            Some(left) => self.budget.set(left),
            None => {
                return Err(serde::de::Error::custom(
                    "aliases expand the document far beyond its size (a \"billion laughs\" document); refused",
                ))
            }
        }
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Node<'_> {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i128<E>(self, v: i128) -> Result<Self::Value, E> {
        Ok(float(v as f64))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Self::Value, E> {
        Ok(float(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let child = self.child(pointer_push(&self.pointer, &items.len().to_string()));
            match seq.next_element_seed(child)? {
                Some(item) => items.push(item),
                None => break,
            }
        }
        Ok(serde_json::Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        // Keys written in this mapping (not merged in): only these can be duplicates,
        // and they win over merged ones wherever they appear.
        let mut explicit: HashSet<String> = HashSet::new();
        let key_seed = || self.child(String::new());
        while let Some(key) = map.next_key_seed(key_seed())? {
            let key = match key {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            let value = map.next_value_seed(self.child(pointer_push(&self.pointer, &key)))?;
            if key == "<<" {
                // A merge key: the entries of the mapping (or mappings, the first
                // winning) it names, unless this mapping writes them itself.
                let sources = match value {
                    serde_json::Value::Array(items) => items,
                    other => vec![other],
                };
                for source in sources {
                    let serde_json::Value::Object(entries) = source else {
                        continue;
                    };
                    for (k, v) in entries {
                        if !explicit.contains(&k) && !out.contains_key(&k) {
                            out.insert(k, v);
                        }
                    }
                }
                continue;
            }
            if !explicit.insert(key.clone()) {
                self.duplicates.borrow_mut().push(DuplicateKey {
                    mapping: self.pointer.clone(),
                    key: key.clone(),
                });
            }
            out.insert(key, value);
        }
        Ok(serde_json::Value::Object(out))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        // A tagged YAML node (`!tag value`): keep the value, drop the tag.
        use serde::de::VariantAccess;
        let (_, variant): (serde::de::IgnoredAny, _) = data.variant()?;
        variant.newtype_variant_seed(self)
    }
}

fn float(v: f64) -> serde_json::Value {
    serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, serde_json::Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<serde_json::Value, ParseError> {
        parse_all(text).map(|(value, _)| value)
    }

    #[test]
    fn pathological_nesting_is_refused_fast() {
        let n = 100_000;
        for text in [
            format!("openapi: 3.0.3\nx: {}{}", "[".repeat(n), "]".repeat(n)),
            format!("openapi: 3.0.3\nx: {}{}", "{a: ".repeat(n), "}".repeat(n)),
            format!("openapi: 3.0.3\nx:\n{}", "- ".repeat(n)),
            (0..3000)
                .map(|i| format!("{}a:\n", " ".repeat(i)))
                .collect(),
        ] {
            let started = std::time::Instant::now();
            let err = parse(&text).expect_err("refused");
            assert!(err.message.contains("nested more than"), "{}", err.message);
            assert!(err.location.and_then(|l| l.line_col).is_some());
            assert!(started.elapsed() < std::time::Duration::from_secs(1));
        }
    }

    #[test]
    fn ordinary_nesting_and_brackets_in_text_pass_the_depth_check() {
        let text = "a: 'it''s [ { ['\nb: \"[[[\\\"{{\"\nc: it's [not flow\nd: |\n  [[[[ x\n  {{{{\ne: [1, [2, {f: [3]}]]\n";
        assert_eq!(too_deep(text), None);
        let v = parse(text).ok().expect("parses");
        assert_eq!(v["e"], serde_json::json!([1, [2, {"f": [3]}]]));
        assert_eq!(too_deep(&"x:\n".repeat(5000)), None);
        let deep_but_fine: String = (0..100).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
        assert_eq!(too_deep(&deep_but_fine), None);
    }

    #[test]
    fn alias_bombs_are_refused_fast() {
        let mut text = String::from("openapi: 3.0.3\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..8u8 {
            let (name, prev) = ((b'b' + i) as char, (b'a' + i) as char);
            let refs = vec![format!("*{prev}"); 10].join(", ");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        let started = std::time::Instant::now();
        let err = parse(&text).expect_err("refused");
        assert!(err.message.contains("billion laughs"), "{}", err.message);
        assert!(started.elapsed() < std::time::Duration::from_millis(500));
        // A few aliases are fine.
        let ok = parse("a: &a {x: 1}\nb: *a\nc: [*a, *a]\n")
            .ok()
            .expect("parses");
        assert_eq!(ok["c"][1]["x"], 1);
    }

    #[test]
    fn merge_keys_are_applied() {
        let text = "base: &b {type: object, description: base, x: 1}\nother: &o {y: 2, x: 9}\nuse:\n  description: own\n  <<: [*b, *o]\n  z: 3\n";
        let (v, dups) = parse_yaml(text).ok().expect("parses");
        assert_eq!(
            v["use"],
            serde_json::json!({"description": "own", "type": "object", "x": 1, "y": 2, "z": 3})
        );
        assert!(v["use"].get("<<").is_none());
        assert!(dups.is_empty(), "{dups:?}");
    }

    #[test]
    fn duplicate_keys_are_recorded_with_their_mapping() {
        let text = "paths:\n  /a:\n    get: {}\n    get: {x: 1}\nlist:\n  - {k: 1, k: 2}\n";
        let (v, dups) = parse_yaml(text).ok().expect("parses");
        assert_eq!(v["paths"]["/a"]["get"]["x"], 1);
        assert_eq!(
            dups,
            vec![
                DuplicateKey {
                    mapping: "/paths/~1a".into(),
                    key: "get".into()
                },
                DuplicateKey {
                    mapping: "/list/0".into(),
                    key: "k".into()
                }
            ]
        );
    }

    #[test]
    fn yaml_quirks_become_plain_json() {
        let v = parse("200: ok\nbig: 99999999999999999999\nt: !tag x\n")
            .ok()
            .expect("parses");
        assert_eq!(v["200"], "ok");
        assert_eq!(v["big"], serde_json::json!(1e20));
        assert_eq!(v["t"], "x");
    }
}
