//! One method per operation: arguments, URL, parameters, credentials, body, and the
//! [`Call`] (or event call) that sends it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::super::companions::TypeIndex;
use super::super::docs::{lines_to_attrs, own_lines_to_attrs};
use super::super::tokens::{cfg_attr, ident, type_tokens, Scope};
use super::examples::operation_example;
use super::pagination::stream_method;
use super::prelude::scheme_const;
use super::requests::{accept_type, multipart_body, path_arg_type};
use super::responses::{error_decoder, error_param, success_decoder, success_type};
use crate::model::{
    Api, BodyKind, Operation, ParamLocation, ParamStyle, PathPart, Primitive, TypeRef,
};

pub(super) fn query_style(style: ParamStyle) -> TokenStream {
    match style {
        ParamStyle::SpaceDelimited => quote!(runtime::QueryStyle::SpaceDelimited),
        ParamStyle::PipeDelimited => quote!(runtime::QueryStyle::PipeDelimited),
        ParamStyle::DeepObject => quote!(runtime::QueryStyle::DeepObject),
        _ => quote!(runtime::QueryStyle::Form),
    }
}

pub fn operation_method(api: &Api, op: &Operation, types: &TypeIndex) -> TokenStream {
    let name = ident(&op.method_name);
    let mut doc_lines = super::super::docs::doc_lines(&op.docs);
    if !doc_lines.is_empty() {
        doc_lines.push(String::new());
    }
    doc_lines.push(format!("`{} {}`", op.http_method, op.path));
    let docs = lines_to_attrs(&doc_lines);
    let example = own_lines_to_attrs(&operation_example(api, op, types));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));

    // Arguments: path parameters in path order, then the params struct, then the body.
    let mut args = Vec::new();
    let mut url_format = String::from("{}");
    let mut url_args = vec![quote!(self.base_url)];
    // Each path argument is replaced by its encoded segment before the URL is built.
    let mut encode_steps = Vec::new();
    // A template may name one parameter twice (`/pets/{id}/{id}`): one argument, used
    // at each place.
    let mut seen_params = Vec::new();
    for part in &op.path_parts {
        match part {
            PathPart::Literal(text) => {
                url_format.push_str(&text.replace('{', "{{").replace('}', "}}"))
            }
            PathPart::Param(i) => {
                let p = &op.params[*i];
                let arg = ident(&p.rust_name);
                url_format.push_str("{}");
                if seen_params.contains(i) {
                    url_args.push(quote!(#arg));
                    continue;
                }
                seen_params.push(*i);
                let wire = &p.wire_name;
                let ty = path_arg_type(&p.ty);
                args.push(quote!(#arg: #ty));
                encode_steps.push(match &p.ty {
                    TypeRef::Prim(Primitive::String) => {
                        quote!(let #arg = runtime::path_segment(#wire, #arg)?;)
                    }
                    _ => quote!(let #arg = runtime::path_value(#wire, &#arg)?;),
                });
                url_args.push(quote!(#arg));
            }
        }
    }
    if let Some(ps) = &op.params_struct {
        let id = ident(ps);
        args.push(quote!(params: &#id));
    }
    let mut body_step = quote!();
    // The value of a boolean `stream` property that chooses between JSON and events.
    let stream_flag = op
        .events
        .as_ref()
        .filter(|e| e.stream_flag)
        .map(|_| op.streams);
    if let Some(body) = &op.body {
        let t = type_tokens(&body.ty, Scope::Sibling);
        let content_type = &body.content_type;
        let flagged =
            stream_flag.map(|value| quote!(&super::stream::with_flag(body, "stream", #value)?));
        let (arg_ty, apply) = match body.kind {
            BodyKind::Json => match &flagged {
                Some(value) => (quote!(&#t), quote!(request.json(#value))),
                None => (quote!(&#t), quote!(request.json(body))),
            },
            BodyKind::Form => match &flagged {
                Some(value) => (
                    quote!(&#t),
                    quote!(request.form(&runtime::form_pairs(#value)?)),
                ),
                None => (
                    quote!(&#t),
                    quote!(request.form(&runtime::form_pairs(body)?)),
                ),
            },
            BodyKind::Multipart => (quote!(&#t), multipart_body(&body.parts, stream_flag)),
            BodyKind::Binary => (
                quote!(impl Into<super::FilePart>),
                quote!(runtime::file_body(request, #content_type, body.into())?),
            ),
            BodyKind::Text => (
                quote!(impl Into<String>),
                quote!(request.header(reqwest::header::CONTENT_TYPE, #content_type).body(body.into())),
            ),
        };
        if body.required || matches!(body.kind, BodyKind::Binary | BodyKind::Text) {
            args.push(quote!(body: #arg_ty));
            body_step = quote!(let request = #apply;);
        } else {
            args.push(quote!(body: Option<#arg_ty>));
            body_step = quote! {
                let request = match body {
                    Some(body) => #apply,
                    None => request,
                };
            };
        }
    }

    let uses_auth = !op.security.is_empty() && !api.auth.is_empty();
    let mut param_steps = Vec::new();
    for p in op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
    {
        let field = ident(&p.rust_name);
        let wire = &p.wire_name;
        let explode = p.explode;
        param_steps.push(match p.location {
            ParamLocation::Query => {
                let style = query_style(p.style);
                quote!(parts.query(#wire, &params.#field, #style, #explode)?;)
            }
            ParamLocation::Header => quote!(parts.header(#wire, &params.#field, #explode)?;),
            ParamLocation::Cookie => quote!(parts.cookie(#wire, &params.#field)?;),
            ParamLocation::Path => quote!(),
        });
    }
    let method = format_ident!("{}", op.http_method);
    let accept = match accept_type(&op.success) {
        _ if op.streams => quote!(Some("text/event-stream")),
        Some(media) => quote!(Some(#media)),
        None => quote!(None),
    };
    let new_request = quote!(self.transport.request(Method::#method, url, #accept));
    let request_step = if uses_auth || !param_steps.is_empty() {
        let auth_step = uses_auth.then(|| {
            let sets = op.security.iter().map(|set| {
                let schemes = set
                    .iter()
                    .filter_map(|key| api.auth.iter().find(|s| &s.key == key))
                    .map(scheme_const);
                quote!(&[#(schemes::#schemes),*])
            });
            quote!(self.authorize(&mut parts, &[#(#sets),*])?;)
        });
        quote! {
            let mut parts = runtime::Parts::default();
            #auth_step
            #(#param_steps)*
            let request = #new_request;
            let request = parts.apply(request);
        }
    } else {
        quote!(let request = #new_request;)
    };
    let ok = success_type(op);
    let mut call = match error_param(op) {
        Some(e) => quote!(Call<#ok, #e>),
        None => quote!(Call<#ok>),
    };
    let mut decode_ok = success_decoder(op);
    let mut wrap = None;
    if let (true, Some(events)) = (op.streams, &op.events) {
        let item = type_tokens(&events.item, Scope::Sibling);
        call = match error_param(op) {
            Some(e) => quote!(super::EventCall<#item, #e>),
            None => quote!(super::EventCall<#item>),
        };
        decode_ok = quote!(|_, _| Ok(()));
        wrap = Some(match events.item {
            TypeRef::Prim(Primitive::String) => quote!(super::stream::text_event),
            _ => quote!(super::stream::json_event),
        });
    }
    let decode_err = error_decoder(op);
    let cfg = cfg_attr(&op.features);
    let operation_id = &op.operation_id;
    let http_method = &op.http_method;
    let path = &op.path;
    let idempotency = match &op.idempotency_header {
        Some(h) => quote!(Some(#h)),
        None => quote!(None),
    };
    let stream = op.pagination.as_ref().map(|p| stream_method(op, p));
    let call_expr = quote! {
        Call::new(&self.transport, &OPERATION, #decode_ok, #decode_err, || {
            #(#encode_steps)*
            let url = format!(#url_format, #(#url_args),*);
            #request_step
            #body_step
            Ok(request)
        })
    };
    let call_expr = match wrap {
        Some(decode) => quote!(super::EventCall::new(#call_expr, #decode)),
        None => call_expr,
    };
    quote! {

        #cfg
        #docs
        #example
        #deprecated
        #[inline]
        pub fn #name(&self, #(#args),*) -> #call {
            const OPERATION: call::Operation = call::Operation {
                id: #operation_id,
                method: #http_method,
                path: #path,
                idempotency_header: #idempotency,
            };
            #call_expr
        }

        #stream
    }
}
