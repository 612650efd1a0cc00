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
    fn yaml_quirks_become_plain_json() {
        let v = parse("200: ok\nbig: 99999999999999999999\nt: !tag x\n")
            .ok()
            .expect("parses");
        assert_eq!(v["200"], "ok");
        assert_eq!(v["big"], serde_json::json!(1e20));
        assert_eq!(v["t"], "x");
    }
}
