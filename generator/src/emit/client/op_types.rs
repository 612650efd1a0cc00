//! The types an operation adds beside its method: its parameters struct and its
//! response enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::companions;
use super::super::docs::{doc_attrs, lines_to_attrs};
use super::super::tokens::{cfg_attr, ident, type_tokens, Scope};
use super::responses::body_type;
use crate::model::{
    Construction, Operation, Param, ParamLocation, ResponseBody, ResponseShape, StatusMatch,
};

/// The enums and the params struct an operation needs beside its method.
pub fn operation_types(op: &Operation, construction: Option<&Construction>) -> TokenStream {
    let mut out = TokenStream::new();
    if op.alternative_of.is_some() {
        // Shares the params struct and response enums of its primary method.
        return out;
    }
    let cfg = cfg_attr(&op.features);
    if let Some(name) = &op.params_struct {
        let id = ident(name);
        let params: Vec<&Param> = op
            .params
            .iter()
            .filter(|p| p.location != ParamLocation::Path)
            .collect();
        let all_optional = params.iter().all(|p| !p.required);
        let default = all_optional.then(|| quote!(Default,));
        let fields = params.iter().map(|p| {
            let docs = doc_attrs(&p.docs);
            let name = ident(&p.rust_name);
            let t = type_tokens(&p.ty, Scope::Sibling);
            let ty = if p.required { t } else { quote!(Option<#t>) };
            let deprecated = p.deprecated.then(|| quote!(#[deprecated]));
            let wire = lines_to_attrs(&[
                format!(
                    "`{}` ({} parameter)",
                    p.wire_name,
                    location_word(p.location)
                ),
                String::new(),
            ]);
            quote! {
                #wire
                #docs
                #deprecated
                pub #name: #ty,
            }
        });
        let doc = lines_to_attrs(&[
            format!("Parameters of [`Client::{}`].", op.method_name),
            String::new(),
            format!(
                "Built with [`{name}::new`] (the required ones) and a setter per optional one, so \
                 that a parameter the spec adds later breaks no one."
            ),
        ]);
        let builder = construction.map(|c| companions::params_builder(name, &params, c));
        out.extend(quote! {
            #cfg
            #doc
            #[derive(Debug, Clone, PartialEq, #default)]
            #[non_exhaustive]
            pub struct #id {
                #(#fields)*
            }

            #cfg
            #builder
        });
    }
    for (set, what) in [
        (&op.success, "successful"),
        (&op.errors, "documented error"),
    ] {
        if let ResponseShape::Enum { name, variants } = &set.shape {
            let id = ident(name);
            let vs = set.responses.iter().zip(variants).map(|(r, v)| {
                let v = ident(v);
                let doc = lines_to_attrs(&super::super::docs::spec_lines(&format!(
                    "{}: {}",
                    status_text(r.status),
                    r.description.trim()
                )));
                match &r.body {
                    ResponseBody::Empty => quote!(#doc #v,),
                    body => {
                        let t = body_type(body);
                        quote!(#doc #v(#t),)
                    }
                }
            });
            let doc = lines_to_attrs(&[format!(
                "The {what} responses of [`Client::{}`].",
                op.method_name
            )]);
            out.extend(quote! {
                #cfg
                #doc
                #[derive(Debug, Clone, PartialEq)]
                // Users only receive it: a status the spec adds later is a new variant,
                // which must not break their `match`.
                #[non_exhaustive]
                pub enum #id {
                    #(#vs)*
                }
            });
        }
    }
    out
}

pub(super) fn status_text(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => format!("HTTP {c}"),
        StatusMatch::Range(r) => format!("HTTP {r}xx"),
        StatusMatch::Default => "Any other status".to_string(),
    }
}

pub(super) fn location_word(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}
