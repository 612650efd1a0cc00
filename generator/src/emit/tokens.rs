//! Model types to Rust type tokens.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::naming::ident_text;
use crate::model::{Primitive, TypeRef};

/// An identifier from a name the model produced (raw for keywords).
pub fn ident(name: &str) -> Ident {
    let text = ident_text(name);
    match text.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => format_ident!("{}", text),
    }
}

/// Where a type is written: inside `types.rs`, or in a module next to it.
#[derive(Clone, Copy)]
pub enum Scope {
    Types,
    Sibling,
}

pub fn type_tokens(ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let id = ident(name);
            match scope {
                Scope::Types => quote!(#id),
                Scope::Sibling => quote!(types::#id),
            }
        }
        TypeRef::Prim(p) => primitive(*p),
        TypeRef::Vec(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Option(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(Option<#inner>)
        }
        TypeRef::Box(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(Box<#inner>)
        }
    }
}

/// [`type_tokens`] as prettyplease prints them, for items written as text.
pub fn type_text(ty: &TypeRef, scope: Scope) -> String {
    match ty {
        TypeRef::Named(name) => match scope {
            Scope::Types => ident_text(name),
            Scope::Sibling => format!("types::{}", ident_text(name)),
        },
        TypeRef::Prim(p) => primitive_text(*p).to_string(),
        TypeRef::Vec(inner) => format!("Vec<{}>", type_text(inner, scope)),
        TypeRef::Map(inner) => format!(
            "std::collections::BTreeMap<String, {}>",
            type_text(inner, scope)
        ),
        TypeRef::Option(inner) => format!("Option<{}>", type_text(inner, scope)),
        TypeRef::Box(inner) => format!("Box<{}>", type_text(inner, scope)),
    }
}

fn primitive_text(p: Primitive) -> &'static str {
    match p {
        Primitive::String => "String",
        Primitive::Bool => "bool",
        Primitive::I32 => "i32",
        Primitive::I64 => "i64",
        Primitive::U32 => "u32",
        Primitive::U64 => "u64",
        Primitive::F64 => "f64",
        Primitive::Date => "chrono::NaiveDate",
        Primitive::DateTime => "chrono::DateTime<chrono::FixedOffset>",
        Primitive::Bytes => "super::FilePart",
        Primitive::Base64 => "super::Base64",
        Primitive::Json => "serde_json::Value",
        Primitive::JsonObject => "serde_json::Map<String, serde_json::Value>",
    }
}

fn primitive(p: Primitive) -> TokenStream {
    match p {
        Primitive::String => quote!(String),
        Primitive::Bool => quote!(bool),
        Primitive::I32 => quote!(i32),
        Primitive::I64 => quote!(i64),
        Primitive::U32 => quote!(u32),
        Primitive::U64 => quote!(u64),
        Primitive::F64 => quote!(f64),
        Primitive::Date => quote!(chrono::NaiveDate),
        Primitive::DateTime => quote!(chrono::DateTime<chrono::FixedOffset>),
        // Both `types.rs` and `client.rs` sit beside the crate root's re-exports.
        Primitive::Bytes => quote!(super::FilePart),
        Primitive::Base64 => quote!(super::Base64),
        Primitive::Json => quote!(serde_json::Value),
        Primitive::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
    }
}

/// [`cfg_attr`] as prettyplease prints it, with its line break, for items written as
/// text; `None` when it would not fit on one plain line (several features, or a name
/// that needs escaping).
pub fn cfg_text(features: &[String]) -> Option<String> {
    match features {
        [] => Some(String::new()),
        [one]
            if one
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) =>
        {
            Some(format!("#[cfg(feature = \"{one}\")]\n"))
        }
        _ => None,
    }
}

/// `#[cfg(feature = ..)]` for an item compiled under any of `features`; nothing when
/// the item is always compiled.
pub fn cfg_attr(features: &[String]) -> TokenStream {
    match features {
        [] => quote!(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}
