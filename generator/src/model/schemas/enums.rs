//! `enum`: closed value sets as open enums that keep unknown values.

use openapiv3::Schema;
use serde_json::Value;

use super::*;
use crate::model::naming::{type_name, Namespace};
use crate::model::{Docs, EnumDef, EnumRepr, EnumVariant};

impl<'a> TypeBuilder<'a> {
    pub(super) fn enum_def(
        &mut self,
        values: &[Value],
        kind: Option<&str>,
        schema: &Schema,
        pointer: &str,
    ) -> Option<EnumDef> {
        let repr = if values.iter().all(Value::is_string) {
            EnumRepr::String
        } else if values.iter().all(|v| v.as_i64().is_some()) && kind != Some("string") {
            EnumRepr::Integer
        } else {
            self.warn(
                pointer,
                "mixed-enum",
                "an enum whose values are of several JSON types is typed as a JSON value",
            );
            return None;
        };
        let names = enum_names(schema);
        let mut ns = Namespace::new();
        let mut variants = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, value) in values.iter().enumerate() {
            if !seen.insert(value.to_string()) {
                continue;
            }
            let wanted = match (names.get(i), value) {
                (Some(n), _) => type_name(n, &format!("Value{i}")),
                (None, Value::String(s)) if s.is_empty() => "Empty".to_string(),
                (None, Value::String(s)) => type_name(s, &format!("Value{i}")),
                (None, v) => match v.as_i64() {
                    Some(n) if n < 0 => format!("Minus{}", n.unsigned_abs()),
                    Some(n) => format!("V{n}"),
                    None => format!("Value{i}"),
                },
            };
            variants.push(EnumVariant {
                rust_name: ns.claim(&wanted),
                value: value.clone(),
                docs: Docs::default(),
            });
        }
        Some(EnumDef {
            repr,
            variants,
            unknown_variant: ns.claim("Unknown"),
        })
    }
}

/// Names given to enum values by the common extensions.
pub(super) fn enum_names(schema: &Schema) -> Vec<String> {
    for key in ["x-enum-varnames", "x-enumNames"] {
        if let Some(Value::Array(names)) = schema.schema_data.extensions.get(key) {
            return names
                .iter()
                .map(|n| n.as_str().unwrap_or_default().to_string())
                .collect();
        }
    }
    Vec::new()
}
