//! The example in each operation's docs: the call with its arguments built the way a
//! user builds them (path values, `XxxParams::new(…)`, the body's `new(…)`), from the
//! spec's example values where it gives them and plain placeholders elsewhere. The
//! crate is named `__crate__` (see `emit::examples`); with a crate name the example is
//! a `no_run` doctest, so it is compiled with the client.

use super::super::companions::{union_converts_from_str, TypeIndex};
use crate::model::{
    Api, BodyKind, Construction, Docs, Field, Operation, ParamLocation, PathPart, Presence,
    Primitive, ResponseBody, ResponseShape, TypeKind, TypeRef,
};

/// How deep nested required values are built before the example gives up (a required
/// field that leads back to its own type cannot be built at all).
const MAX_DEPTH: usize = 8;

/// The doc lines of `op`'s example (starting with a blank line), or none when one of its
/// required values cannot be built.
pub(crate) fn operation_example(api: &Api, op: &Operation, types: &TypeIndex) -> Vec<String> {
    let samples = Samples { api, types };
    let mut args = Vec::new();
    let mut setup = Vec::new();
    let mut seen = Vec::new();
    for part in &op.path_parts {
        let PathPart::Param(i) = part else { continue };
        if seen.contains(i) {
            continue;
        }
        seen.push(*i);
        let p = &op.params[*i];
        // Path arguments are `&str` for strings, numbers by value, others by reference.
        let by_ref = !matches!(p.ty, TypeRef::Prim(_));
        let Some(value) = samples.value(&p.ty, &p.docs, 0, by_ref) else {
            return Vec::new();
        };
        args.push(if by_ref { format!("&{value}") } else { value });
    }
    if let (Some(name), Some(c)) = (
        &op.params_struct,
        op.params_struct
            .as_ref()
            .and_then(|n| api.constructions.get(n)),
    ) {
        let params: Vec<_> = op
            .params
            .iter()
            .filter(|p| p.location != ParamLocation::Path)
            .collect();
        let mut values = Vec::new();
        for &i in &c.args {
            let Some(v) = samples.value(&params[i].ty, &params[i].docs, 0, false) else {
                return Vec::new();
            };
            values.push(v);
        }
        let mut expr = format!("__crate__::{}::new({})", name, values.join(", "));
        // One optional parameter shows the setters, with the spec's example where it has one.
        if let Some(setter) = c.setters.first() {
            let p = params[setter.field];
            if let Some(v) = samples.value(&p.ty, &p.docs, 0, false) {
                expr.push_str(&format!(".{}({v})", setter.name));
            }
        }
        setup.push(format!("let params = {expr};"));
        args.push("&params".to_string());
    }
    if let Some(body) = &op.body {
        let value = match body.kind {
            BodyKind::Binary => {
                Some("__crate__::FilePart::bytes(b\"file contents\".to_vec())".to_string())
            }
            BodyKind::Text => Some("\"text\"".to_string()),
            _ => samples.value(&body.ty, &body.docs, 0, true),
        };
        let Some(value) = value else {
            return Vec::new();
        };
        setup.push(format!("let body = {value};"));
        match body.kind {
            BodyKind::Binary | BodyKind::Text => args.push("body".to_string()),
            _ if body.required => args.push("&body".to_string()),
            _ => args.push("Some(&body)".to_string()),
        }
    }
    let mut lines = vec![
        String::new(),
        "```no_run".to_string(),
        // A deprecated operation, parameter or type is still shown: without a warning.
        "# #[allow(deprecated)]".to_string(),
        "# async fn example(client: &__crate__::Client) -> Result<(), Box<dyn std::error::Error>> {".to_string(),
    ];
    lines.extend(setup);
    let call = format!("client.{}({})", op.method_name, args.join(", "));
    if op.streams {
        lines.push(format!("let mut events = {call}.await?;"));
        lines.push("while let Some(event) = events.next_event().await {".to_string());
        lines.push("    println!(\"{:?}\", event?.data);".to_string());
        lines.push("}".to_string());
    } else if op.success.shape == ResponseShape::Single(ResponseBody::Empty) {
        lines.push(format!("{call}.await?;"));
    } else {
        lines.push(format!("let answer = {call}.await?;"));
        lines.push("# let _ = answer;".to_string());
    }
    lines.extend(["# Ok(())", "# }", "```"].map(str::to_string));
    lines
}

/// Builds sample values as Rust expressions.
struct Samples<'a> {
    api: &'a Api,
    types: &'a TypeIndex<'a>,
}

impl Samples<'_> {
    /// An expression of type `ty` (through `impl Into` where a constructor takes one),
    /// from `docs`' example when it fits.
    ///
    /// `exact`: the place takes exactly that type (a variant's payload, a reference),
    /// not `impl Into` of it, so a string is a `String` and a list a `Vec`.
    fn value(&self, ty: &TypeRef, docs: &Docs, depth: usize, exact: bool) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        let example = docs.example.as_ref();
        Some(match ty {
            TypeRef::Prim(Primitive::String) if exact => {
                format!("{}.to_string()", primitive(Primitive::String, example))
            }
            TypeRef::Prim(p) => primitive(*p, example),
            TypeRef::Vec(_) if exact => "Vec::new()".to_string(),
            TypeRef::Vec(_) => "[]".to_string(),
            TypeRef::Map(_) => "std::collections::BTreeMap::new()".to_string(),
            TypeRef::Option(_) => "None".to_string(),
            TypeRef::Box(inner) => {
                format!("Box::new({})", self.value(inner, docs, depth + 1, true)?)
            }
            TypeRef::Named(name) => self.named(name, example, depth, exact)?,
        })
    }

    fn named(
        &self,
        name: &str,
        example: Option<&serde_json::Value>,
        depth: usize,
        exact: bool,
    ) -> Option<String> {
        let def = self.types.get(name)?;
        let path = format!(
            "__crate__::types::{}",
            crate::model::naming::ident_text(&def.name)
        );
        Some(match &def.kind {
            TypeKind::Alias(target) => {
                let docs = Docs {
                    example: example.cloned(),
                    ..Default::default()
                };
                self.value(target, &docs, depth + 1, exact)?
            }
            TypeKind::Newtype(inner) => format!(
                "{path}({})",
                self.value(inner, &Docs::default(), depth + 1, true)?
            ),
            TypeKind::Enum(e) => {
                // The spec's example when it names a variant, else the first one.
                let chosen = e
                    .variants
                    .iter()
                    .find(|v| Some(&v.value) == example)
                    .or(e.variants.first());
                match chosen {
                    Some(v) => {
                        format!("{path}::{}", crate::model::naming::ident_text(&v.rust_name))
                    }
                    None => format!(
                        "{path}::from({:?})",
                        example.and_then(|e| e.as_str()).unwrap_or("value")
                    ),
                }
            }
            TypeKind::Union(u) if !exact && union_converts_from_str(&def.name, u, self.types) => {
                primitive(Primitive::String, example)
            }
            TypeKind::Union(u) => u.variants.iter().find_map(|v| {
                let value = self.value(&v.ty, &Docs::default(), depth + 1, true)?;
                Some(format!(
                    "{path}::{}({value})",
                    crate::model::naming::ident_text(&v.rust_name)
                ))
            })?,
            TypeKind::Struct(s) => {
                let c: &Construction = self.api.constructions.get(&def.name)?;
                let mut values = Vec::new();
                for &i in &c.args {
                    let f: &Field = &s.fields[i];
                    // The field's own example, else the one the struct's example gives it.
                    let docs = match (&f.docs.example, example.and_then(|e| e.get(&f.wire_name))) {
                        (None, Some(value)) => Docs {
                            example: Some(value.clone()),
                            ..Default::default()
                        },
                        _ => f.docs.clone(),
                    };
                    // A required-nullable field takes `impl Into<Option<T>>`: `None` fits.
                    values.push(match f.presence {
                        Presence::RequiredNullable => "None".to_string(),
                        _ => self.value(&f.ty, &docs, depth + 1, false)?,
                    });
                }
                format!("{path}::new({})", values.join(", "))
            }
        })
    }
}

/// A literal of a primitive type, from the example when it is one of that type.
fn primitive(p: Primitive, example: Option<&serde_json::Value>) -> String {
    match p {
        Primitive::String => format!(
            "{:?}",
            example.and_then(|e| e.as_str()).unwrap_or("example")
        ),
        Primitive::Bool => example
            .and_then(|e| e.as_bool())
            .unwrap_or(true)
            .to_string(),
        Primitive::I32 => format!(
            "{}i32",
            example
                .and_then(|e| e.as_i64())
                .and_then(|n| i32::try_from(n).ok())
                .unwrap_or(1)
        ),
        Primitive::I64 => format!("{}i64", example.and_then(|e| e.as_i64()).unwrap_or(1)),
        Primitive::U32 => format!(
            "{}u32",
            example
                .and_then(|e| e.as_u64())
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(1)
        ),
        Primitive::U64 => format!("{}u64", example.and_then(|e| e.as_u64()).unwrap_or(1)),
        Primitive::F64 => {
            let n = example
                .and_then(|e| e.as_f64())
                .filter(|n| n.is_finite())
                .unwrap_or(1.0);
            format!("{n:?}")
        }
        Primitive::Date => "chrono::NaiveDate::MIN".to_string(),
        Primitive::DateTime => {
            "chrono::DateTime::<chrono::Utc>::UNIX_EPOCH.fixed_offset()".to_string()
        }
        Primitive::Bytes => "__crate__::FilePart::bytes(b\"file contents\".to_vec())".to_string(),
        Primitive::Base64 => "__crate__::Base64(b\"bytes\".to_vec())".to_string(),
        Primitive::Json => "serde_json::json!({})".to_string(),
        Primitive::JsonObject => "serde_json::Map::new()".to_string(),
    }
}
