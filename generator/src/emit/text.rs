//! The common type items written straight as text: aliases, structs and enums whose
//! lines prettyplease would print whole.
//!
//! Big specs have thousands of these, and the round trip through tokens, `syn` and
//! prettyplease costs most of the generation time (parsing the tokens back alone is
//! two thirds of it). The text here is what that round trip prints, line for line: the
//! tests compare the two for every shape, and anything that prettyplease might lay out
//! differently (a line it could wrap, several features, no fields) returns `None` and
//! goes through tokens after all.

use proc_macro2::Literal;

use super::docs::doc_comment_text;
use super::tokens::{cfg_text, type_text, Scope};
use crate::model::features::FULL_SERDE_FEATURE;
use crate::model::naming::ident_text;
use crate::model::{EnumDef, EnumRepr, Field, Presence, StructDef, TypeDef, TypeKind};

/// Longest line of code written here. prettyplease breaks lines longer than 89 columns;
/// anything close to that goes through it.
const MAX_LINE: usize = 86;

/// The item of `def` as prettyplease prints it, when it can be written directly.
pub fn type_item_text(def: &TypeDef) -> Option<String> {
    let mut out = cfg_text(&def.features)?;
    out.push_str(&doc_comment_text(&def.docs));
    if def.deprecated {
        out.push_str("#[deprecated]\n");
    }
    let name = ident_text(&def.name);
    match &def.kind {
        TypeKind::Alias(target) => {
            let ty = type_text(target, Scope::Types);
            typed_line(&mut out, 0, &format!("pub type {name} = {ty};"), &ty)?
        }
        TypeKind::Struct(s) => struct_text(&mut out, &name, s, def)?,
        TypeKind::Enum(e) => enum_text(&mut out, &name, e, def)?,
        TypeKind::Union(_) | TypeKind::Newtype(_) => return None,
    }
    Some(out)
}

/// Appends one line of code at `indent` levels; `None` when it is too long to be sure
/// prettyplease leaves it whole.
fn line(out: &mut String, indent: usize, code: &str) -> Option<()> {
    if indent * 4 + code.len() > MAX_LINE {
        return None;
    }
    whole_line(out, indent, code);
    Some(())
}

/// Appends a line that prettyplease never breaks, however long: one with no place to
/// break it (an item's head, a variant, a field or alias whose type has no generic
/// arguments).
fn whole_line(out: &mut String, indent: usize, code: &str) {
    for _ in 0..indent {
        out.push_str("    ");
    }
    out.push_str(code);
    out.push('\n');
}

/// A line ending in a type: whole when the type has no generic arguments (the only
/// place prettyplease could break it), otherwise as long as [`line`] allows.
fn typed_line(out: &mut String, indent: usize, code: &str, ty: &str) -> Option<()> {
    if ty.contains('<') {
        line(out, indent, code)
    } else {
        whole_line(out, indent, code);
        Some(())
    }
}

/// Doc lines (each ending in a line break) at `indent` levels, kept byte for byte.
fn docs(out: &mut String, indent: usize, text: &str) {
    for doc in text.split_inclusive('\n') {
        for _ in 0..indent {
            out.push_str("    ");
        }
        out.push_str(doc);
    }
}

fn struct_text(out: &mut String, name: &str, s: &StructDef, def: &TypeDef) -> Option<()> {
    if (s.fields.is_empty() && s.additional.is_none()) || s.decodes_by_hand() {
        return None;
    }
    let default = if s.derives_default() { "Default, " } else { "" };
    let (always, gated) = def.wire.serde_traits();
    let derives: Vec<String> = always.iter().map(|t| format!("serde::{t}")).collect();
    line(
        out,
        0,
        &format!(
            "#[derive(Debug, Clone, PartialEq, {default}{})]",
            derives.join(", ")
        ),
    )?;
    if let Some(other) = gated {
        line(
            out,
            0,
            &format!("#[cfg_attr(feature = \"{FULL_SERDE_FEATURE}\", derive(serde::{other}))]"),
        )?;
    }
    if def.non_exhaustive {
        out.push_str("#[non_exhaustive]\n");
    }
    whole_line(out, 0, &format!("pub struct {name} {{"));
    for field in &s.fields {
        field_text(out, field)?;
    }
    if let Some(map) = &s.additional {
        out.push_str("    /// Properties beyond the declared ones.\n    #[serde(flatten)]\n");
        line(
            out,
            1,
            &format!(
                "pub {}: std::collections::BTreeMap<String, {}>,",
                ident_text(&map.rust_name),
                type_text(&map.value, Scope::Types)
            ),
        )?;
    }
    out.push_str("}\n");
    Some(())
}

fn field_text(out: &mut String, f: &Field) -> Option<()> {
    docs(out, 1, &doc_comment_text(&f.docs));
    let name = ident_text(&f.rust_name);
    let inner = type_text(&f.ty, Scope::Types);
    if f.flatten {
        out.push_str("    #[serde(flatten)]\n");
        return typed_line(out, 1, &format!("pub {name}: {inner},"), &inner);
    }
    if f.deprecated {
        out.push_str("    #[deprecated]\n");
    }
    if f.rust_name != f.wire_name {
        line(
            out,
            1,
            &format!("#[serde(rename = {})]", Literal::string(&f.wire_name)),
        )?;
    }
    let ty = match f.presence {
        Presence::Required => inner,
        Presence::RequiredNullable => format!("Option<{inner}>"),
        Presence::Optional => {
            out.push_str("    #[serde(default, skip_serializing_if = \"Option::is_none\")]\n");
            format!("Option<{inner}>")
        }
        Presence::OptionalNullable => {
            // Too long for one line: prettyplease puts each argument on its own.
            out.push_str(concat!(
                "    #[serde(\n",
                "        default,\n",
                "        skip_serializing_if = \"Option::is_none\",\n",
                "        deserialize_with = \"runtime::double_option\"\n",
                "    )]\n",
            ));
            format!("Option<Option<{inner}>>")
        }
    };
    typed_line(out, 1, &format!("pub {name}: {ty},"), &ty)
}

fn enum_text(out: &mut String, name: &str, e: &EnumDef, def: &TypeDef) -> Option<()> {
    let cfg = cfg_text(&def.features)?;
    let unknown = ident_text(&e.unknown_variant);
    let literal = |v: &serde_json::Value| -> Option<String> {
        Some(match e.repr {
            EnumRepr::String => Literal::string(v.as_str().unwrap_or_default()).to_string(),
            // A negative number is two tokens in a pattern; left to prettyplease.
            EnumRepr::Integer => match v.as_i64().unwrap_or_default() {
                n if n < 0 => return None,
                n => Literal::i64_unsuffixed(n).to_string(),
            },
        })
    };
    let (unknown_ty, accessor, ret, unknown_out, param, unknown_in, repr) = match e.repr {
        EnumRepr::String => (
            "String",
            "as_str",
            "&str",
            "other",
            "&str",
            format!("other => Self::{unknown}(other.to_string()),"),
            "string_enum",
        ),
        EnumRepr::Integer => (
            "i64",
            "as_i64",
            "i64",
            "*other",
            "i64",
            format!("other => Self::{unknown}(other),"),
            "integer_enum",
        ),
    };
    out.push_str("#[derive(Debug, Clone, PartialEq, Eq, Hash)]\n");
    if def.non_exhaustive {
        out.push_str("#[non_exhaustive]\n");
    }
    whole_line(out, 0, &format!("pub enum {name} {{"));
    for v in &e.variants {
        docs(out, 1, &doc_comment_text(&v.docs));
        whole_line(out, 1, &format!("{},", ident_text(&v.rust_name)));
    }
    out.push_str("    /// A value this client does not know; kept as received.\n");
    line(out, 1, &format!("{unknown}({unknown_ty}),"))?;
    out.push_str("}\n");

    out.push_str(&cfg);
    whole_line(out, 0, &format!("impl {name} {{"));
    out.push_str("    /// The value as it is sent on the wire.\n");
    line(out, 1, &format!("pub fn {accessor}(&self) -> {ret} {{"))?;
    out.push_str("        match self {\n");
    for v in &e.variants {
        let arm = format!(
            "Self::{} => {},",
            ident_text(&v.rust_name),
            literal(&v.value)?
        );
        line(out, 3, &arm)?;
    }
    line(out, 3, &format!("Self::{unknown}(other) => {unknown_out},"))?;
    out.push_str("        }\n    }\n");
    out.push_str(concat!(
        "    /// The variant for a value from the wire; one the spec does not list is kept as\n",
        "    /// it is.\n",
    ));
    line(
        out,
        1,
        &format!("pub fn from_wire(value: {param}) -> Self {{"),
    )?;
    out.push_str("        match value {\n");
    for v in &e.variants {
        let arm = format!(
            "{} => Self::{},",
            literal(&v.value)?,
            ident_text(&v.rust_name)
        );
        line(out, 3, &arm)?;
    }
    line(out, 3, &unknown_in)?;
    out.push_str("        }\n    }\n}\n");
    out.push_str(&cfg);
    // The macro's argument moves to a line of its own when the call is too long.
    let call = format!("runtime::{repr}!({name});");
    if call.len() > MAX_LINE + 8 {
        out.push_str(&format!("runtime::{repr}!(\n    {name}\n);\n"));
        Some(())
    } else {
        line(out, 0, &call)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::types::type_tokens_item;
    use crate::emit::{format_file, space_items};
    use crate::model::{AdditionalMap, Docs, EnumVariant, Primitive, TypeRef};

    fn docs(text: &str) -> Docs {
        Docs {
            description: (!text.is_empty()).then(|| text.to_string()),
            ..Docs::default()
        }
    }

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.into(),
            docs: Docs::default(),
            deprecated: false,
            pointer: String::new(),
            kind,
            features: Vec::new(),
            non_exhaustive: false,
            wire: Default::default(),
        }
    }

    fn field(rust: &str, wire: &str, ty: TypeRef, presence: Presence) -> Field {
        Field {
            wire_name: wire.into(),
            rust_name: rust.into(),
            ty,
            presence,
            docs: Docs::default(),
            deprecated: false,
            flatten: false,
        }
    }

    /// Text and tokens print the same item; `false` when the text path declined.
    fn same(def: &TypeDef) -> bool {
        let Some(text) = type_item_text(def) else {
            return false;
        };
        let tokens = format_file("test", type_tokens_item(def)).expect("formats");
        assert_eq!(space_items(&text), tokens, "{}", def.name);
        true
    }

    fn string() -> TypeRef {
        TypeRef::Prim(Primitive::String)
    }

    /// `type_text` and `type_tokens` are two spellings of one type: every primitive, in
    /// every wrapper, in both scopes, prints the same.
    #[test]
    fn type_text_is_type_tokens_printed() {
        use crate::emit::tokens::type_tokens;
        use Primitive::*;
        let prims = [
            String, Bool, I32, I64, U32, U64, F64, Date, DateTime, Bytes, Base64, Json, JsonObject,
        ];
        let mut types: Vec<TypeRef> = prims.into_iter().map(TypeRef::Prim).collect();
        types.push(TypeRef::Named("Pet".into()));
        types.push(TypeRef::Named("type".into()));
        let wrapped: Vec<TypeRef> = types
            .iter()
            .flat_map(|t| {
                let b = || Box::new(t.clone());
                [
                    TypeRef::Vec(b()),
                    TypeRef::Map(b()),
                    TypeRef::Option(Box::new(TypeRef::Box(b()))),
                ]
            })
            .collect();
        for ty in types.iter().chain(&wrapped) {
            for scope in [Scope::Types, Scope::Sibling] {
                let tokens = type_tokens(ty, scope);
                let printed = format_file("t", quote::quote!(type T = #tokens;)).expect("formats");
                let text = format!("type T = {};\n", type_text(ty, scope));
                assert_eq!(printed, text, "{ty:?}");
            }
        }
    }

    #[test]
    fn aliases_print_as_prettyplease_does() {
        let mut d = def(
            "Pets",
            TypeKind::Alias(TypeRef::Vec(Box::new(TypeRef::Named("Pet".into())))),
        );
        assert!(same(&d));
        d.docs = docs("A list.\n\nWith `code`, trailing spaces   \n and an [link].");
        d.deprecated = true;
        d.features = vec!["unused-types".into()];
        assert!(same(&d));
        d.kind = TypeKind::Alias(TypeRef::Map(Box::new(TypeRef::Option(Box::new(
            TypeRef::Prim(Primitive::Date),
        )))));
        assert!(same(&d));
        d.name = "type".into();
        assert!(same(&d));
        // Several features, or a line prettyplease might wrap: left to it.
        d.features = vec!["a".into(), "b".into()];
        assert!(!same(&d));
        d.features.clear();
        // A long line with no generic arguments has nowhere to break; one with them is
        // left to prettyplease.
        d.name = "A".repeat(120);
        d.kind = TypeKind::Alias(TypeRef::Named("B".repeat(40)));
        assert!(same(&d));
        d.kind = TypeKind::Alias(TypeRef::Prim(Primitive::JsonObject));
        assert!(!same(&d));
    }

    #[test]
    fn structs_print_as_prettyplease_does() {
        let mut fields = vec![
            field(
                "id",
                "id",
                TypeRef::Prim(Primitive::I64),
                Presence::Required,
            ),
            field("r#type", "type", string(), Presence::Required),
            field("display_name", "displayName", string(), Presence::Optional),
            field(
                "parent",
                "parent",
                TypeRef::Box(Box::new(TypeRef::Named("Node".into()))),
                Presence::RequiredNullable,
            ),
            field(
                "note",
                "note",
                TypeRef::Prim(Primitive::Json),
                Presence::OptionalNullable,
            ),
            field(
                "odd",
                "a \"quoted\" \\ name\u{e9}",
                string(),
                Presence::Optional,
            ),
        ];
        fields[0].docs = docs("Carriage returns\r\nkept\r as written.  \t");
        fields[1].docs = docs("The kind.\n\n```json\n\"x\"\n```");
        fields[2].deprecated = true;
        let mut flat = field(
            "base",
            "base",
            TypeRef::Named("Base".into()),
            Presence::Required,
        );
        flat.flatten = true;
        flat.docs = docs("Flattened.");
        fields.push(flat);
        let mut d = def(
            "Node",
            TypeKind::Struct(StructDef {
                fields: fields.clone(),
                additional: Some(AdditionalMap {
                    rust_name: "additional_properties".into(),
                    value: TypeRef::Prim(Primitive::Json),
                }),
            }),
        );
        d.docs = docs("A node.");
        assert!(same(&d));
        d.non_exhaustive = true;
        d.deprecated = true;
        d.features = vec!["issues".into()];
        assert!(same(&d));
        // All optional: `Default` is derived.
        let optional: Vec<Field> = fields
            .iter()
            .filter(|f| f.presence != Presence::Required)
            .cloned()
            .collect();
        d.kind = TypeKind::Struct(StructDef {
            fields: optional,
            additional: None,
        });
        assert!(same(&d));
        // The longest line written as text is left whole by prettyplease too.
        let longest = field(
            &"x".repeat(64),
            "x",
            TypeRef::Vec(Box::new(string())),
            Presence::Required,
        );
        d.kind = TypeKind::Struct(StructDef {
            fields: vec![longest],
            additional: None,
        });
        assert!(same(&d));
        // Long names where nothing can break.
        d.name = "N".repeat(120);
        d.kind = TypeKind::Struct(StructDef {
            fields: vec![field(
                &"f".repeat(110),
                "f",
                TypeRef::Named("T".repeat(40)),
                Presence::Required,
            )],
            additional: None,
        });
        assert!(same(&d));
        // No fields at all, or a field line that could wrap: through prettyplease.
        d.kind = TypeKind::Struct(StructDef {
            fields: Vec::new(),
            additional: None,
        });
        assert!(!same(&d));
        d.kind = TypeKind::Struct(StructDef {
            fields: vec![field(
                &"x".repeat(70),
                "x",
                TypeRef::Vec(Box::new(string())),
                Presence::Required,
            )],
            additional: None,
        });
        assert!(!same(&d));
    }

    /// A wide struct only received derives no serde trait (its `Deserialize` is written
    /// out): every `serde` attribute, the extra-properties map's too, waits for the
    /// `full-serde` feature that derives `Serialize`.
    #[test]
    fn a_received_wide_struct_gates_every_serde_attribute() {
        let fields = (0..=crate::model::WIDE_STRUCT_FIELDS)
            .map(|i| {
                field(
                    &format!("f{i}"),
                    &format!("f-{i}"),
                    string(),
                    Presence::Optional,
                )
            })
            .collect();
        let mut d = def(
            "Wide",
            TypeKind::Struct(StructDef {
                fields,
                additional: Some(AdditionalMap {
                    rust_name: "extra".into(),
                    value: TypeRef::Prim(Primitive::Json),
                }),
            }),
        );
        d.wire = crate::model::Wire::Received;
        let text = format_file("test", type_tokens_item(&d)).expect("formats");
        assert!(!text.contains("#[serde("), "an ungated serde attribute");
        assert!(text.contains("#[cfg_attr(feature = \"full-serde\", serde(flatten))]"));
        assert!(text.contains("#[cfg_attr(feature = \"full-serde\", derive(serde::Serialize))]"));
        assert!(text.contains("impl<'de> serde::Deserialize<'de> for Wide"));
    }

    #[test]
    fn enums_print_as_prettyplease_does() {
        let variant = |rust: &str, value: serde_json::Value, doc: &str| EnumVariant {
            rust_name: rust.into(),
            value,
            docs: docs(doc),
        };
        let mut d = def(
            "Status",
            TypeKind::Enum(EnumDef {
                repr: EnumRepr::String,
                variants: vec![
                    variant("Available", "available".into(), "In stock."),
                    variant("NoneModel", "none".into(), ""),
                    variant("Quoted", "say \"hi\"\\\n".into(), ""),
                    variant("Accent", "caf\u{e9}".into(), ""),
                ],
                unknown_variant: "Unknown".into(),
            }),
        );
        assert!(same(&d));
        d.non_exhaustive = true;
        d.features = vec!["pets".into()];
        d.docs = docs("The status.");
        assert!(same(&d));
        d.kind = TypeKind::Enum(EnumDef {
            repr: EnumRepr::Integer,
            variants: vec![
                variant("V1", 1.into(), ""),
                variant("V200", 200.into(), "OK"),
            ],
            unknown_variant: "Other".into(),
        });
        assert!(same(&d));
        // Long names: the heads and variants stay whole; the match arms are checked.
        d.name = "E".repeat(110);
        d.kind = TypeKind::Enum(EnumDef {
            repr: EnumRepr::String,
            variants: vec![variant(&"V".repeat(100), "v".into(), "")],
            unknown_variant: "Unknown".into(),
        });
        assert!(!same(&d));
        d.kind = TypeKind::Enum(EnumDef {
            repr: EnumRepr::String,
            variants: vec![
                variant("Short", "v".into(), ""),
                variant(&"W".repeat(100), 7.into(), ""),
            ],
            unknown_variant: "Unknown".into(),
        });
        assert!(!same(&d));
        d.kind = TypeKind::Enum(EnumDef {
            repr: EnumRepr::String,
            variants: vec![variant("Short", "v".into(), "")],
            unknown_variant: "Unknown".into(),
        });
        assert!(same(&d));
        // A negative value is left to prettyplease.
        d.kind = TypeKind::Enum(EnumDef {
            repr: EnumRepr::Integer,
            variants: vec![variant("Minus1", (-1).into(), "")],
            unknown_variant: "Other".into(),
        });
        assert!(!same(&d));
    }
}
