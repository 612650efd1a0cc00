//! Text to a JSON value, YAML or JSON chosen by content.

use crate::diagnostics::Location;

pub struct ParseError {
    pub location: Option<Location>,
    pub message: String,
}

/// JSON when the first non-blank character opens an object, YAML otherwise (YAML is a
/// superset of JSON, but the JSON parser is faster and reports JSON positions).
pub fn parse(text: &str) -> Result<serde_json::Value, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| ParseError {
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
        let value: Yaml = serde_yaml::from_str(text).map_err(|e| ParseError {
            location: e.location().map(|l| Location {
                pointer: String::new(),
                line_col: Some((l.line(), l.column())),
            }),
            message: format!("invalid YAML: {e}"),
        })?;
        Ok(value.0)
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

/// A JSON value read from YAML. Not `serde_yaml::Value`: YAML allows integers beyond 64
/// bits (kept here as floats, as JSON parsers do) and non-string keys (kept as their
/// text), both of which a JSON value cannot hold as such.
struct Yaml(serde_json::Value);

impl<'de> serde::Deserialize<'de> for Yaml {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(YamlVisitor).map(Yaml)
    }
}

struct YamlVisitor;

impl<'de> serde::de::Visitor<'de> for YamlVisitor {
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
        d.deserialize_any(YamlVisitor)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Yaml(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(serde_json::Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some((Yaml(key), Yaml(value))) = map.next_entry()? {
            let key = match key {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            out.insert(key, value);
        }
        Ok(serde_json::Value::Object(out))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        // A tagged YAML node (`!tag value`): keep the value, drop the tag.
        use serde::de::VariantAccess;
        let (_, variant): (serde::de::IgnoredAny, _) = data.variant()?;
        variant.newtype_variant::<Yaml>().map(|y| y.0)
    }
}

fn float(v: f64) -> serde_json::Value {
    serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, serde_json::Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pathological_nesting_is_refused_fast() {
        let n = 100_000;
        for text in [
            format!("openapi: 3.0.3\nx: {}{}", "[".repeat(n), "]".repeat(n)),
            format!("openapi: 3.0.3\nx: {}{}", "{a: ".repeat(n), "}".repeat(n)),
            format!("openapi: 3.0.3\nx:\n{}", "- ".repeat(n)),
            (0..3000).map(|i| format!("{}a:\n", " ".repeat(i))).collect(),
        ] {
            let started = std::time::Instant::now();
            let err = parse(&text).err().expect("refused");
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
    fn yaml_quirks_become_plain_json() {
        let v = parse("200: ok\nbig: 99999999999999999999\nt: !tag x\n")
            .ok()
            .expect("parses");
        assert_eq!(v["200"], "ok");
        assert_eq!(v["big"], serde_json::json!(1e20));
        assert_eq!(v["t"], "x");
    }
}
