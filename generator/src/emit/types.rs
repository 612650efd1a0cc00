//! `types.rs`: one Rust item per model type.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::rendered::Rendered;
use super::text::type_item_text;
use super::tokens::{cfg_attr, ident, type_tokens, Scope};
use crate::model::features::FULL_SERDE_FEATURE;
use crate::model::{
    EnumDef, EnumRepr, Field, Presence, StructDef, Tagging, TypeDef, TypeKind, UnionDef, Wire,
};

/// The start of `types.rs`; [`type_item`]s follow.
pub fn prelude() -> TokenStream {
    quote! {
        //! Request and response types of the API.
        //!
        //! Built to survive spec updates: every enum and struct is `#[non_exhaustive]`, so
        //! a value or a field the API adds later is not a compile error (match enums with a
        //! `_` arm; an unknown value from the server is kept in the fallback variant).
        //! Structs that go into a request are built with `new` (the values they require;
        //! one the spec allows a single value for is filled in) and a setter per optional
        //! field; unions convert from their members with `into()`, and string enums from
        //! strings.
        //!
        //! A type that only goes into requests implements `Serialize`, and one that only
        //! comes back implements `Deserialize`: the other trait would cost every user
        //! compile time. The `full-serde` cargo feature gives every type both (to store
        //! or forward responses as JSON, say).
        //!
        //! ```text
        //! let request = SomeRequest::new("required").optional_field(2).nullable_field_null();
        //! match value {
        //!     SomeEnum::Known => { /* ... */ }
        //!     _ => { /* a value this version does not list */ }
        //! }
        //! let received: SomeResponse = serde_json::from_str(json)?;
        //! ```
        #![allow(deprecated)]
        #![allow(clippy::large_enum_variant, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
        // A constructor takes every value the spec requires, however many; one that
        // requires none still has `new`.
        #![allow(clippy::too_many_arguments, clippy::new_without_default)]
        // Names come from the spec: `ABC`, a field called `foo` or `1` (`_1`) are the
        // spec's choice.
        #![allow(clippy::upper_case_acronyms, clippy::disallowed_names)]
        #![allow(clippy::just_underscores_and_digits)]
        // So do nested types: an inline map of maps of objects is the spec's shape.
        #![allow(clippy::type_complexity)]

        #[allow(unused_imports)]
        use super::runtime;
    }
}

/// The items of one named type (with its impls): as text when the shape is a common one
/// (see [`super::text`]), otherwise as tokens for prettyplease.
pub fn type_item(def: &TypeDef) -> Rendered {
    match type_item_text(def) {
        Some(text) => Rendered::Text(text),
        None => Rendered::Tokens(type_tokens_item(def)),
    }
}

/// [`type_item`] as tokens, for prettyplease.
pub fn type_tokens_item(def: &TypeDef) -> TokenStream {
    let docs = doc_attrs(&def.docs);
    let deprecated = def.deprecated.then(|| quote!(#[deprecated]));
    let name = ident(&def.name);
    // The first item gets the cfg below; the impls that follow carry their own.
    let cfg = cfg_attr(&def.features);
    // Users match enums with a `_` arm and never build the structs marked so: the spec may
    // add variants and fields without breaking them (see `model::usage`).
    let non_exhaustive = def.non_exhaustive.then(|| quote!(#[non_exhaustive]));
    let body = match &def.kind {
        TypeKind::Struct(s) => struct_item(&name, s, &cfg, &non_exhaustive, def.wire),
        TypeKind::Enum(e) => enum_item(&name, e, &cfg, &non_exhaustive),
        TypeKind::Union(u) => union_item(&name, u, &cfg, &non_exhaustive, def.wire),
        TypeKind::Alias(t) => {
            let t = type_tokens(t, Scope::Types);
            quote!(pub type #name = #t;)
        }
        TypeKind::Newtype(t) => {
            let t = type_tokens(t, Scope::Types);
            let SerdeDerives { always, gated, .. } = SerdeDerives::of(def.wire, false);
            quote! {
                #[derive(Debug, Clone, PartialEq, #(#always),*)]
                #gated
                #[serde(transparent)]
                pub struct #name(pub #t);
            }
        }
    };
    quote! {
        #cfg
        #docs
        #deprecated
        #body
    }
}

/// The serde side of a type's items, from its wire direction (see [`Wire`]).
struct SerdeDerives {
    /// The serde traits always derived.
    always: Vec<TokenStream>,
    /// The `cfg_attr` that derives the other one with the `full-serde` feature.
    gated: TokenStream,
    /// The `cfg` a `serde(...)` attribute waits for when no serde trait is always
    /// derived (nothing would read it otherwise).
    attr_gate: Option<TokenStream>,
    /// The `cfg` of a `Deserialize` written by hand: the feature when it is the gated one.
    by_hand_cfg: TokenStream,
}

impl SerdeDerives {
    /// `decodes_by_hand`: the type's `Deserialize` is written out, never derived.
    fn of(wire: Wire, decodes_by_hand: bool) -> SerdeDerives {
        let full = FULL_SERDE_FEATURE;
        let (always, gated) = wire.serde_traits();
        let derived = |t: &str| !decodes_by_hand || t != "Deserialize";
        let always: Vec<TokenStream> = always
            .iter()
            .filter(|t| derived(t))
            .map(|t| {
                let t = quote::format_ident!("{t}");
                quote!(serde::#t)
            })
            .collect();
        let gated_derive = gated
            .filter(|t| derived(t))
            .map(|t| quote::format_ident!("{t}"));
        let attr_gate = always.is_empty().then(|| quote!(feature = #full));
        SerdeDerives {
            gated: match gated_derive {
                Some(t) => quote!(#[cfg_attr(feature = #full, derive(serde::#t))]),
                None => quote!(),
            },
            by_hand_cfg: match gated {
                Some("Deserialize") => quote!(#[cfg(feature = #full)]),
                _ => quote!(),
            },
            always,
            attr_gate,
        }
    }

    /// `#[serde(args)]`, behind the feature when no serde derive is always there.
    fn attr(&self, args: TokenStream) -> TokenStream {
        serde_attr(self.attr_gate.as_ref(), args)
    }
}

/// `#[serde(args)]`, or `#[cfg_attr(gate, serde(args))]`.
fn serde_attr(gate: Option<&TokenStream>, args: TokenStream) -> TokenStream {
    match gate {
        Some(gate) => quote!(#[cfg_attr(#gate, serde(#args))]),
        None => quote!(#[serde(#args)]),
    }
}

fn struct_item(
    name: &proc_macro2::Ident,
    s: &StructDef,
    cfg: &TokenStream,
    non_exhaustive: &Option<TokenStream>,
    wire: Wire,
) -> TokenStream {
    let default = s.derives_default().then(|| quote!(Default));
    // A wide struct's `Deserialize` is written by hand (see `wide`).
    let serde = SerdeDerives::of(wire, s.decodes_by_hand());
    let by_hand_cfg = &serde.by_hand_cfg;
    let by_hand = s
        .decodes_by_hand()
        .then(|| super::wide::deserialize_impl(name, s, &quote!(#cfg #by_hand_cfg)));
    let fields = s.fields.iter().map(|f| field_item(f, &serde));
    let additional = s.additional.as_ref().map(|map| {
        let value = type_tokens(&map.value, Scope::Types);
        let field = ident(&map.rust_name);
        let flatten = serde.attr(quote!(flatten));
        quote! {
            /// Properties beyond the declared ones.
            #flatten
            pub #field: std::collections::BTreeMap<String, #value>,
        }
    });
    let derives = [quote!(Debug), quote!(Clone), quote!(PartialEq)]
        .into_iter()
        .chain(default)
        .chain(serde.always.iter().cloned());
    let gated = &serde.gated;
    quote! {
        #[derive(#(#derives),*)]
        #gated
        #non_exhaustive
        pub struct #name {
            #(#fields)*
            #additional
        }
        #by_hand
    }
}

/// A field, with `serde` attributes as its struct's derives read them.
fn field_item(f: &Field, serde_derives: &SerdeDerives) -> TokenStream {
    let docs = doc_attrs(&f.docs);
    let name = ident(&f.rust_name);
    let inner = type_tokens(&f.ty, Scope::Types);
    let serde = |args: TokenStream| serde_derives.attr(args);
    let rename = (f.rust_name != f.wire_name).then(|| {
        let wire = &f.wire_name;
        serde(quote!(rename = #wire))
    });
    let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
    if f.flatten {
        return quote! {
            #docs
            #[serde(flatten)]
            pub #name: #inner,
        };
    }
    let (ty, attrs) = match f.presence {
        Presence::Required => (inner, quote!()),
        Presence::RequiredNullable => (quote!(Option<#inner>), quote!()),
        Presence::Optional => (
            quote!(Option<#inner>),
            serde(quote!(default, skip_serializing_if = "Option::is_none")),
        ),
        Presence::OptionalNullable => (
            quote!(Option<Option<#inner>>),
            serde(quote!(
                default,
                skip_serializing_if = "Option::is_none",
                deserialize_with = "runtime::double_option"
            )),
        ),
    };
    quote! {
        #docs
        #deprecated
        #rename
        #attrs
        pub #name: #ty,
    }
}

fn enum_item(
    name: &proc_macro2::Ident,
    e: &EnumDef,
    cfg: &TokenStream,
    non_exhaustive: &Option<TokenStream>,
) -> TokenStream {
    let unknown = ident(&e.unknown_variant);
    let variants = e.variants.iter().map(|v| {
        let docs = doc_attrs(&v.docs);
        let id = ident(&v.rust_name);
        quote!(#docs #id,)
    });
    let unknown_ty = match e.repr {
        EnumRepr::String => quote!(String),
        EnumRepr::Integer => quote!(i64),
    };
    let literal = |v: &serde_json::Value| -> TokenStream {
        match e.repr {
            EnumRepr::String => {
                let s = v.as_str().unwrap_or_default();
                quote!(#s)
            }
            EnumRepr::Integer => {
                let n = proc_macro2::Literal::i64_unsuffixed(v.as_i64().unwrap_or_default());
                quote!(#n)
            }
        }
    };
    let to_wire = e.variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let lit = literal(&v.value);
        quote!(Self::#id => #lit,)
    });
    let from_wire = e.variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let lit = literal(&v.value);
        quote!(#lit => Self::#id,)
    });
    let (accessor, ret, unknown_out, param, unknown_in, impls) = match e.repr {
        EnumRepr::String => (
            quote!(as_str),
            quote!(&str),
            quote!(Self::#unknown(other) => other),
            quote!(&str),
            quote!(other => Self::#unknown(other.to_string())),
            quote!(runtime::string_enum!(#name);),
        ),
        EnumRepr::Integer => (
            quote!(as_i64),
            quote!(i64),
            quote!(Self::#unknown(other) => *other),
            quote!(i64),
            quote!(other => Self::#unknown(other)),
            quote!(runtime::integer_enum!(#name);),
        ),
    };
    quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #non_exhaustive
        pub enum #name {
            #(#variants)*
            /// A value this client does not know; kept as received.
            #unknown(#unknown_ty),
        }

        #cfg
        impl #name {
            /// The value as it is sent on the wire.
            pub fn #accessor(&self) -> #ret {
                match self {
                    #(#to_wire)*
                    #unknown_out,
                }
            }

            /// The variant for a value from the wire; one the spec does not list is kept as
            /// it is.
            pub fn from_wire(value: #param) -> Self {
                match value {
                    #(#from_wire)*
                    #unknown_in,
                }
            }
        }

        #cfg
        #impls
    }
}

fn union_item(
    name: &proc_macro2::Ident,
    u: &UnionDef,
    cfg: &TokenStream,
    non_exhaustive: &Option<TokenStream>,
    wire: Wire,
) -> TokenStream {
    let variants: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| {
            let id = ident(&v.rust_name);
            let ty = type_tokens(&v.ty, Scope::Types);
            let docs = doc_attrs(&v.docs);
            quote!(#docs #id(#ty),)
        })
        .collect();
    match &u.tagging {
        Tagging::Untagged => {
            let SerdeDerives { always, gated, .. } = SerdeDerives::of(wire, false);
            quote! {
            #[derive(Debug, Clone, PartialEq, #(#always),*)]
            #gated
            #[serde(untagged)]
            #non_exhaustive
            pub enum #name {
                #(#variants)*
            }
            }
        }
        Tagging::Property {
            property,
            unknown_variant,
        } => {
            let unknown = ident(unknown_variant);
            let arms = u.variants.iter().map(|v| {
                let id = ident(&v.rust_name);
                let tags = &v.tags;
                quote!(Some(#(#tags)|*) => runtime::variant(value).map(Self::#id),)
            });
            // `Deserialize` is written here; `Serialize` is derived.
            let serde = SerdeDerives::of(wire, true);
            let SerdeDerives {
                always,
                gated,
                by_hand_cfg,
                ..
            } = &serde;
            let untagged = serde.attr(quote!(untagged));
            quote! {
                #[derive(Debug, Clone, PartialEq, #(#always),*)]
                #gated
                #untagged
                #non_exhaustive
                pub enum #name {
                    #(#variants)*
                    /// A variant this client does not know; kept as received.
                    #unknown(serde_json::Value),
                }

                #cfg
                #by_hand_cfg
                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                        match runtime::tag(&value, #property).as_deref() {
                            #(#arms)*
                            _ => Ok(Self::#unknown(value)),
                        }
                    }
                }
            }
        }
    }
}
