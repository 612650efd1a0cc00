//! What an operation answers: its success and error types and the decoders that
//! turn a status and body into them.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::tokens::{ident, type_tokens, Scope};
use crate::model::{Operation, Response, ResponseBody, ResponseSet, ResponseShape, StatusMatch};

pub(super) fn success_type(op: &Operation) -> TokenStream {
    match &op.success.shape {
        ResponseShape::Single(body) => body_type(body),
        ResponseShape::Enum { name, .. } => {
            let id = ident(name);
            quote!(#id)
        }
    }
}

/// The documented error body type, when there is one (`Error<E>`'s `E`).
pub(super) fn error_param(op: &Operation) -> Option<TokenStream> {
    match &op.errors.shape {
        ResponseShape::Single(ResponseBody::Json(t)) => Some(type_tokens(t, Scope::Sibling)),
        ResponseShape::Single(_) => None,
        ResponseShape::Enum { name, .. } => {
            let id = ident(name);
            Some(quote!(#id))
        }
    }
}

pub(super) fn body_type(body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Empty => quote!(()),
        ResponseBody::Json(t) => type_tokens(t, Scope::Sibling),
        ResponseBody::Text => quote!(String),
        ResponseBody::Binary => quote!(Vec<u8>),
    }
}

pub(super) fn decode_body(body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Empty => quote!(()),
        ResponseBody::Json(_) => quote!(runtime::json(body)?),
        ResponseBody::Text => quote!(runtime::text(body)?),
        ResponseBody::Binary => quote!(body.to_vec()),
    }
}

/// Match patterns on `status.as_u16()`, most specific first.
pub(super) fn status_pattern(status: StatusMatch) -> TokenStream {
    match status {
        StatusMatch::Code(c) => {
            let c = proc_macro2::Literal::u16_unsuffixed(c);
            quote!(#c)
        }
        StatusMatch::Range(r) => {
            let lo = proc_macro2::Literal::u16_unsuffixed(r * 100);
            let hi = proc_macro2::Literal::u16_unsuffixed(r * 100 + 99);
            quote!(#lo..=#hi)
        }
        StatusMatch::Default => quote!(_),
    }
}

pub(super) fn ordered(set: &ResponseSet, variants: &[String]) -> Vec<(Response, String)> {
    let mut pairs: Vec<(Response, String)> = set
        .responses
        .iter()
        .cloned()
        .zip(variants.iter().cloned())
        .collect();
    pairs.sort_by_key(|(r, _)| match r.status {
        StatusMatch::Code(_) => 0,
        StatusMatch::Range(_) => 1,
        StatusMatch::Default => 2,
    });
    pairs
}

pub(super) fn success_decoder(op: &Operation) -> TokenStream {
    match &op.success.shape {
        ResponseShape::Single(ResponseBody::Empty) => quote!(|_, _| Ok(())),
        ResponseShape::Single(ResponseBody::Binary) => quote!(|_, body| Ok(body.to_vec())),
        ResponseShape::Single(ResponseBody::Json(_)) => quote!(|_, body| runtime::json(body)),
        ResponseShape::Single(ResponseBody::Text) => quote!(|_, body| runtime::text(body)),
        ResponseShape::Enum { name, variants } => {
            let enum_name = ident(name);
            let pairs = ordered(&op.success, variants);
            let has_default = pairs.iter().any(|(r, _)| r.status == StatusMatch::Default);
            let arms = pairs.iter().map(|(r, v)| {
                let pat = status_pattern(r.status);
                let v = ident(v);
                let value = match r.body {
                    ResponseBody::Empty => quote!(#enum_name::#v),
                    ref body => {
                        let decode = decode_body(body);
                        quote!(#enum_name::#v(#decode))
                    }
                };
                quote!(#pat => #value,)
            });
            let fallback = (!has_default)
                .then(|| quote!(_ => return Err(runtime::undocumented_status(status)),));
            quote!(|status, body| Ok(match status.as_u16() { #(#arms)* #fallback }))
        }
    }
}

pub(super) fn error_decoder(op: &Operation) -> TokenStream {
    match &op.errors.shape {
        ResponseShape::Single(ResponseBody::Json(_)) => quote!(|_, body| runtime::json_error(body)),
        ResponseShape::Single(_) => quote!(runtime::no_error_body),
        ResponseShape::Enum { name, variants } => {
            let enum_name = ident(name);
            let pairs = ordered(&op.errors, variants);
            let has_default = pairs.iter().any(|(r, _)| r.status == StatusMatch::Default);
            let arms = pairs.iter().map(|(r, v)| {
                let pat = status_pattern(r.status);
                let v = ident(v);
                quote!(#pat => runtime::json_error(body).map(#enum_name::#v),)
            });
            let fallback = (!has_default).then(|| quote!(_ => None,));
            quote!(|status, body| match status.as_u16() { #(#arms)* #fallback })
        }
    }
}
