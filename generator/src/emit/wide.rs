//! The `Deserialize` of a wide struct (see `StructDef::decodes_by_hand`), written by
//! hand: the derive nests a scope per field, which overflows rustc's stack when it
//! writes debug info. This one holds the fields in a struct of slots, looks each key up
//! up with a generated `match` of the wire names (`runtime::next_field`), and builds the value with
//! one struct literal, so nothing nests however many fields there are. It decodes what
//! the derive decodes from a JSON object, with the same errors for a missing or
//! repeated field.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::tokens::{ident, type_tokens, Scope};
use crate::model::{Presence, StructDef};

/// The `impl serde::Deserialize` of the struct `name`.
pub fn deserialize_impl(
    name: &proc_macro2::Ident,
    s: &StructDef,
    cfg: &TokenStream,
) -> TokenStream {
    let expecting = format!("struct {name}");
    let type_name = name.to_string();
    let wire_names = s.fields.iter().map(|f| f.wire_name.as_str());
    let index = s.fields.iter().enumerate().map(|(i, f)| {
        let wire = &f.wire_name;
        let i = Literal::usize_unsuffixed(i);
        quote!(#wire => Some(#i),)
    });
    // One slot per field: the value as decoded, `None` until its key is seen.
    let slots = s.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let inner = type_tokens(&f.ty, Scope::Types);
        let decoded = match f.presence {
            Presence::Required | Presence::Optional => inner,
            // `null` is kept as `Some(None)`.
            Presence::RequiredNullable | Presence::OptionalNullable => quote!(Option<#inner>),
        };
        quote!(#field: Option<#decoded>,)
    });
    let arms = s.fields.iter().enumerate().map(|(i, f)| {
        let field = ident(&f.rust_name);
        let wire = &f.wire_name;
        let i = Literal::usize_unsuffixed(i);
        quote! {
            runtime::FieldKey::Declared(#i) => runtime::set_field(&mut map, &mut slots.#field, #wire)?,
        }
    });
    let values = s.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let wire = &f.wire_name;
        let value = match f.presence {
            Presence::Required => quote!(runtime::required_field(slots.#field, #wire)?),
            // Absent reads as `null`, as the derive reads a missing `Option`.
            Presence::RequiredNullable => quote!(slots.#field.flatten()),
            Presence::Optional | Presence::OptionalNullable => quote!(slots.#field),
        };
        quote!(#field: #value,)
    });
    let (additional_slot, additional_arm, additional_value) = match &s.additional {
        Some(map) => {
            let field = ident(&map.rust_name);
            let value = type_tokens(&map.value, Scope::Types);
            (
                quote!(let mut #field = std::collections::BTreeMap::<String, #value>::new();),
                quote! {
                    runtime::FieldKey::Other(key) => {
                        #field.insert(key, map.next_value()?);
                    }
                },
                quote!(#field,),
            )
        }
        None => (
            quote!(),
            quote! {
                runtime::FieldKey::Other(_) => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            },
            quote!(),
        ),
    };
    quote! {
        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                /// The wire names in field order.
                const FIELDS: &[&str] = &[#(#wire_names,)*];
                /// The index of the field a wire name names.
                fn index(name: &str) -> Option<usize> {
                    match name {
                        #(#index)*
                        _ => None,
                    }
                }
                #[derive(Default)]
                struct Slots {
                    #(#slots)*
                }
                struct Visitor;
                impl<'de> serde::de::Visitor<'de> for Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                        let mut slots = Slots::default();
                        #additional_slot
                        while let Some(key) = runtime::next_field(&mut map, index)? {
                            match key {
                                #(#arms)*
                                runtime::FieldKey::Declared(_) => {
                                    map.next_value::<serde::de::IgnoredAny>()?;
                                }
                                #additional_arm
                            }
                        }
                        Ok(#name {
                            #(#values)*
                            #additional_value
                        })
                    }
                }
                deserializer.deserialize_struct(#type_name, FIELDS, Visitor)
            }
        }
    }
}
