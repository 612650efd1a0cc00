//! Request shapes: how path arguments are taken, multipart bodies, and the media type a
//! call asks for.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::tokens::{ident, type_tokens, Scope};
use crate::model::{MultipartPart, Primitive, ResponseBody, ResponseSet, TypeRef};

/// Builds a `multipart/form-data` body field by field: files as file parts, the rest
/// as text parts.
pub(super) fn multipart_body(parts: &[MultipartPart], stream_flag: Option<bool>) -> TokenStream {
    let steps = parts.iter().map(|p| {
        let field = ident(&p.rust_name);
        let wire = &p.wire_name;
        if let (Some(value), "stream") = (stream_flag, wire.as_str()) {
            let text = value.to_string();
            quote! {
                form = form.text(#wire, #text);
            }
        } else if p.file {
            quote! {
                for file in runtime::FileParts::file_parts(&body.#field) {
                    form = form.part(#wire, runtime::file_part(#wire, file)?);
                }
            }
        } else {
            quote! {
                for text in runtime::form_texts(#wire, &body.#field)? {
                    form = form.text(#wire, text);
                }
            }
        }
    });
    if parts.is_empty() {
        // Not a struct (a union, say): its JSON object's fields become text parts.
        let pairs = match stream_flag {
            Some(value) => {
                quote!(runtime::form_pairs(&super::stream::with_flag(body, "stream", #value)?)?)
            }
            None => quote!(runtime::form_pairs(body)?),
        };
        return quote! {{
            let mut form = reqwest::multipart::Form::new();
            for (name, text) in #pairs {
                form = form.text(name, text);
            }
            request.multipart(form)
        }};
    }
    quote! {{
        let mut form = reqwest::multipart::Form::new();
        #(#steps)*
        request.multipart(form)
    }}
}

/// The `Accept` header: JSON when a success response is JSON.
pub(super) fn accept_type(success: &ResponseSet) -> Option<&'static str> {
    success
        .responses
        .iter()
        .any(|r| matches!(r.body, ResponseBody::Json(_)))
        .then_some("application/json")
}

/// Path parameters by value when they are small copies, by reference otherwise.
pub(super) fn path_arg_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Prim(Primitive::String) => quote!(&str),
        TypeRef::Prim(
            p @ (Primitive::Bool
            | Primitive::I32
            | Primitive::I64
            | Primitive::U32
            | Primitive::U64
            | Primitive::F64),
        ) => type_tokens(&TypeRef::Prim(*p), Scope::Sibling),
        other => {
            let t = type_tokens(other, Scope::Sibling);
            quote!(&#t)
        }
    }
}
