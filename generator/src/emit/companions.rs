//! What makes a type easy to build, written right after it: the constructor and
//! setters of a struct users build (as [`crate::model::construction`] decided them),
//! and `From` conversions into a union from each of its members and into a newtype
//! from what it wraps. Setters and constructors are generic (`impl Into<T>`) and
//! `#[inline]`: they cost nothing until a user calls them.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_lines, lines_to_attrs};
use super::tokens::{cfg_attr, ident, type_tokens, Scope};
use crate::model::{
    Construction, Docs, Param, Presence, Primitive, StructDef, TypeDef, TypeKind, TypeRef, UnionDef,
};

/// The types by name, to see through aliases.
pub type TypeIndex<'a> = HashMap<&'a str, &'a TypeDef>;

/// The companion items of `def`; empty when it has none. Only types users build get
/// any: a response is read, never built, and its conversions would only cost compile
/// time.
pub fn companion(
    def: &TypeDef,
    construction: Option<&Construction>,
    built: bool,
    index: &TypeIndex,
) -> TokenStream {
    if !built {
        return TokenStream::new();
    }
    let cfg = cfg_attr(&def.features);
    let name = ident(&def.name);
    match (&def.kind, construction) {
        (TypeKind::Struct(s), Some(c)) => {
            let items = struct_builder(&def.name, s, c);
            quote! {
                #cfg
                impl #name {
                    #items
                }
            }
        }
        (TypeKind::Union(u), _) => {
            let members = u
                .variants
                .iter()
                .map(|v| (&v.ty, Some(v.rust_name.as_str())));
            conversions(def, members, index)
        }
        (TypeKind::Newtype(inner), _) => conversions(def, [(inner, None)].into_iter(), index),
        _ => TokenStream::new(),
    }
}

/// One constructor argument or setter: its field's name, type and docs.
struct Slot<'a> {
    name: &'a str,
    ty: &'a TypeRef,
    docs: &'a Docs,
    deprecated: bool,
    presence: Presence,
}

fn struct_builder(type_name: &str, s: &StructDef, c: &Construction) -> TokenStream {
    let slots: Vec<Slot> = s
        .fields
        .iter()
        .map(|f| Slot {
            name: &f.rust_name,
            ty: &f.ty,
            docs: &f.docs,
            deprecated: f.deprecated,
            presence: f.presence,
        })
        .collect();
    let additional = s.additional.as_ref().map(|map| {
        let field = ident(&map.rust_name);
        quote!(#field: Default::default(),)
    });
    builder(type_name, &slots, c, Scope::Types, additional)
}

/// The constructor and setters of an operation's parameters struct.
pub(super) fn params_builder(type_name: &str, params: &[&Param], c: &Construction) -> TokenStream {
    let slots: Vec<Slot> = params
        .iter()
        .map(|p| Slot {
            name: &p.rust_name,
            ty: &p.ty,
            docs: &p.docs,
            deprecated: p.deprecated,
            presence: if p.required {
                Presence::Required
            } else {
                Presence::Optional
            },
        })
        .collect();
    let name = ident(type_name);
    let items = builder(type_name, &slots, c, Scope::Sibling, None);
    quote! {
        impl #name {
            #items
        }
    }
}

fn builder(
    type_name: &str,
    slots: &[Slot],
    c: &Construction,
    scope: Scope,
    additional: Option<TokenStream>,
) -> TokenStream {
    let name = ident(type_name);
    let args = c.args.iter().map(|&i| {
        let slot = &slots[i];
        let arg = ident(slot.name);
        let ty = param_type(slot.ty, slot.presence, scope);
        quote!(#arg: #ty)
    });
    let inits = slots.iter().enumerate().map(|(i, slot)| {
        let field = ident(slot.name);
        if c.args.contains(&i) {
            let value = convert(quote!(#field), slot.ty, slot.presence);
            // `pid: pid` is written `pid` (an unsigned argument is taken as it is).
            if field == value.to_string() {
                quote!(#field,)
            } else {
                quote!(#field: #value,)
            }
        } else if let Some(fill) = c.filled.iter().find(|f| f.field == i) {
            let (ty, variant) = (ident(&fill.enum_name), ident(&fill.variant));
            let ty = match scope {
                Scope::Types => quote!(#ty),
                Scope::Sibling => quote!(types::#ty),
            };
            quote!(#field: #ty::#variant,)
        } else {
            quote!(#field: None,)
        }
    });
    let mut doc = vec![format!("A `{type_name}` with the values it requires; the optional ones are set with the methods below.")];
    if !c.filled.is_empty() {
        let filled: Vec<String> = c
            .filled
            .iter()
            .map(|f| format!("`{}`", slots[f.field].name))
            .collect();
        doc.push(String::new());
        doc.push(format!(
            "Fills in {}: the only value the spec allows.",
            filled.join(", ")
        ));
    }
    let doc = lines_to_attrs(&doc);
    let setters = c.setters.iter().map(|setter| {
        let slot = &slots[setter.field];
        let field = ident(slot.name);
        let method = ident(&setter.name);
        let ty = param_type(slot.ty, Presence::Required, scope);
        let value = convert(quote!(value), slot.ty, Presence::Required);
        let nullable = slot.presence == Presence::OptionalNullable;
        let set = if nullable {
            quote!(Some(Some(#value)))
        } else {
            quote!(Some(#value))
        };
        let deprecated = slot.deprecated.then(|| quote!(#[deprecated]));
        let docs = setter_docs(slot);
        let null = setter.null_name.as_ref().map(|null| {
            let null = ident(null);
            let doc = lines_to_attrs(&[format!(
                "Sends `{}` as JSON `null` (left unset, it is not sent at all).",
                slot.name.trim_start_matches("r#")
            )]);
            quote! {
                #doc
                #deprecated
                #[inline]
                pub fn #null(mut self) -> Self {
                    self.#field = Some(None);
                    self
                }
            }
        });
        quote! {
            #docs
            #deprecated
            #[inline]
            pub fn #method(mut self, value: #ty) -> Self {
                self.#field = #set;
                self
            }

            #null
        }
    });
    quote! {
        #doc
        #[inline]
        pub fn new(#(#args),*) -> Self {
            #name {
                #(#inits)*
                #additional
            }
        }

        #(#setters)*
    }
}

/// The type a constructor argument or setter takes: `impl Into<T>` of the field's type
/// without the `Option` that marks it optional (a required-nullable field takes an
/// `Option`), for a list `impl IntoIterator<Item = T>` (an array or a `Vec` of
/// `x.into()` values then infers what each converts to), and an unsigned integer itself.
fn param_type(ty: &TypeRef, presence: Presence, scope: Scope) -> TokenStream {
    match (ty, presence) {
        (TypeRef::Vec(item), Presence::Required) => {
            let item = type_tokens(item, scope);
            quote!(impl IntoIterator<Item = #item>)
        }
        (_, Presence::RequiredNullable) => {
            let inner = type_tokens(ty, scope);
            quote!(impl Into<Option<#inner>>)
        }
        // A bare literal is an `i32`, which converts into no unsigned type: taking the
        // type itself lets `limit(2)` infer it.
        (TypeRef::Prim(p @ (Primitive::U32 | Primitive::U64)), _) => {
            type_tokens(&TypeRef::Prim(*p), scope)
        }
        _ => {
            let inner = type_tokens(ty, scope);
            quote!(impl Into<#inner>)
        }
    }
}

/// The field value from an argument of [`param_type`].
fn convert(arg: TokenStream, ty: &TypeRef, presence: Presence) -> TokenStream {
    match (ty, presence) {
        (TypeRef::Vec(_), Presence::Required) => quote!(#arg.into_iter().collect()),
        (
            TypeRef::Prim(Primitive::U32 | Primitive::U64),
            Presence::Required | Presence::Optional | Presence::OptionalNullable,
        ) => arg,
        _ => quote!(#arg.into()),
    }
}

/// A setter's docs: the first line of its field's (the field has them all), or which
/// field it sets.
fn setter_docs(slot: &Slot) -> TokenStream {
    let first = doc_lines(slot.docs).into_iter().find(|l| !l.is_empty());
    let line = first.unwrap_or_else(|| format!("Sets `{}`.", slot.name.trim_start_matches("r#")));
    lines_to_attrs(&[line])
}

/// `From` each member into `def` (a union variant, or what a newtype wraps), where it
/// is unambiguous: a member whose type (through aliases) is another member's too gets
/// none, nor does a free-form JSON value or the type itself. A string member also
/// converts from `&str`.
fn conversions<'a>(
    def: &TypeDef,
    members: impl Iterator<Item = (&'a TypeRef, Option<&'a str>)>,
    index: &TypeIndex,
) -> TokenStream {
    let cfg = cfg_attr(&def.features);
    let name = ident(&def.name);
    let members: Vec<(&TypeRef, Option<&str>)> = members.collect();
    let types: Vec<&TypeRef> = members.iter().map(|(ty, _)| *ty).collect();
    let mut out = TokenStream::new();
    for (i, resolved) in convertible(&def.name, &types, index) {
        let (ty, variant) = members[i];
        let boxed = matches!(ty, TypeRef::Box(_));
        let input = type_tokens(unboxed(ty), Scope::Types);
        let wrap = |value: TokenStream| -> TokenStream {
            let value = if boxed {
                quote!(Box::new(#value))
            } else {
                value
            };
            match variant {
                Some(v) => {
                    let v = ident(v);
                    quote!(#name::#v(#value))
                }
                None => quote!(#name(#value)),
            }
        };
        let from_value = wrap(quote!(value));
        out.extend(quote! {
            #cfg
            impl From<#input> for #name {
                fn from(value: #input) -> Self {
                    #from_value
                }
            }
        });
        if resolved == TypeRef::Prim(Primitive::String) {
            let from_str = wrap(quote!(value.to_string()));
            out.extend(quote! {
                #cfg
                impl From<&str> for #name {
                    fn from(value: &str) -> Self {
                        #from_str
                    }
                }
            });
        }
    }
    out
}

/// The members (by index, with what they resolve to) that `From` conversions come from:
/// those whose type, through aliases, no other member shares, and that are neither a
/// free-form JSON value nor the type itself.
fn convertible(own: &str, members: &[&TypeRef], index: &TypeIndex) -> Vec<(usize, TypeRef)> {
    let resolved: Vec<TypeRef> = members
        .iter()
        .map(|ty| resolve(unboxed(ty), index))
        .collect();
    resolved
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            let ambiguous = resolved.iter().filter(|other| other == r).count() > 1;
            let own = **r == TypeRef::Named(own.to_string());
            let free_form = matches!(r, TypeRef::Prim(Primitive::Json | Primitive::JsonObject));
            !(ambiguous || own || free_form)
        })
        .map(|(i, r)| (i, r.clone()))
        .collect()
}

/// Whether a union converts from `&str`: one of its convertible members is a string. The
/// doc examples ask here, to write a plain string where `new` takes the union.
pub(super) fn union_converts_from_str(name: &str, union: &UnionDef, index: &TypeIndex) -> bool {
    let members: Vec<&TypeRef> = union.variants.iter().map(|v| &v.ty).collect();
    convertible(name, &members, index)
        .iter()
        .any(|(_, r)| *r == TypeRef::Prim(Primitive::String))
}

/// The type inside a `Box`, or the type itself.
fn unboxed(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Box(inner) => inner,
        other => other,
    }
}

/// `ty` with every alias replaced by what it names, to compare members by what they are.
fn resolve(ty: &TypeRef, index: &TypeIndex) -> TypeRef {
    let mut depth = 0;
    resolve_at(ty, index, &mut depth)
}

fn resolve_at(ty: &TypeRef, index: &TypeIndex, depth: &mut usize) -> TypeRef {
    *depth += 1;
    // Aliases do not loop (cycles are broken with a newtype); the bound is a guard.
    if *depth > 64 {
        return ty.clone();
    }
    match ty {
        TypeRef::Named(name) => match index.get(name.as_str()).map(|d| &d.kind) {
            Some(TypeKind::Alias(target)) => resolve_at(target, index, depth),
            _ => ty.clone(),
        },
        TypeRef::Prim(_) => ty.clone(),
        TypeRef::Vec(inner) => TypeRef::Vec(Box::new(resolve_at(inner, index, depth))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(resolve_at(inner, index, depth))),
        TypeRef::Option(inner) => TypeRef::Option(Box::new(resolve_at(inner, index, depth))),
        TypeRef::Box(inner) => TypeRef::Box(Box::new(resolve_at(inner, index, depth))),
    }
}

#[cfg(test)]
mod tests {
    use crate::load;
    use crate::model::build;

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    post:
      operationId: addPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewPet'}
      responses: {'204': {description: ok}}
components:
  schemas:
    NewPet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        legacy_tag: {type: string, deprecated: true}
        nickname: {type: string, nullable: true}
"#;

    fn companion_text(name: &str) -> String {
        let doc = load::load_str(std::path::Path::new("t.yaml"), SPEC).expect("loads");
        let api = build(&doc);
        let index: super::TypeIndex = api.types.iter().map(|d| (d.name.as_str(), d)).collect();
        let def = api.types.iter().find(|d| d.name == name).expect("the type");
        let tokens = super::companion(
            def,
            api.constructions.get(name),
            api.request_types.contains(name),
            &index,
        );
        prettyplease::unparse(&syn::parse2(tokens).expect("parses"))
    }

    #[test]
    fn only_a_deprecated_fields_setter_is_deprecated() {
        let text = companion_text("NewPet");
        // The constructor leaves the deprecated field unset without naming it to users.
        assert!(
            text.contains("pub fn new(name: impl Into<String>) -> Self"),
            "{text}"
        );
        let setter = text
            .find("pub fn legacy_tag(")
            .expect("a setter for the deprecated field");
        let before = &text[..setter];
        let attrs = &before[before.rfind("}\n").unwrap_or(0)..];
        assert!(
            attrs.contains("#[deprecated]"),
            "the deprecated field's setter warns:\n{text}"
        );
        let nickname = text.find("pub fn nickname(").expect("a setter");
        let before = &text[..nickname];
        let attrs = &before[before.rfind("}\n").unwrap_or(0)..];
        assert!(
            !attrs.contains("#[deprecated]"),
            "other setters do not:\n{text}"
        );
        assert!(
            text.contains("pub fn nickname_null(mut self) -> Self"),
            "{text}"
        );
        assert!(
            text.contains("self.nickname = Some(Some(value.into()));"),
            "{text}"
        );
    }
}
