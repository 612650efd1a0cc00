//! `*_stream` methods: the items of every page of a paginated operation, read from
//! each page's body or headers as the operation's pagination style says.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::docs::lines_to_attrs;
use super::super::tokens::{cfg_attr, ident, type_tokens, Scope};
use super::requests::path_arg_type;
use super::responses::error_param;
use super::responses::success_type;
use crate::model::{FieldStep, Operation, PageStyle, Pagination, PathPart, Primitive, TypeRef};

/// `*_stream`: the items of every page, through a [`Paginator`] whose fetch closure
/// turns each page request into a call of the operation's own method.
pub(super) fn stream_method(op: &Operation, pagination: &Pagination) -> TokenStream {
    let name = ident(&pagination.method_name);
    let list = ident(&op.method_name);
    let item = type_tokens(&pagination.item_type, Scope::Sibling);
    let page = success_type(op);
    let paginator = match error_param(op) {
        Some(e) => quote!(Paginator<#item, #page, #e>),
        None => quote!(Paginator<#item, #page>),
    };
    // Owned copies of the arguments, for a closure that outlives this call.
    let mut args = Vec::new();
    let mut owned = Vec::new();
    let mut call_args = Vec::new();
    for part in &op.path_parts {
        if let PathPart::Param(i) = part {
            let p = &op.params[*i];
            let arg = ident(&p.rust_name);
            let ty = path_arg_type(&p.ty);
            args.push(quote!(#arg: #ty));
            match &p.ty {
                TypeRef::Prim(Primitive::String) => {
                    owned.push(quote!(let #arg = #arg.to_string();));
                    call_args.push(quote!(&#arg));
                }
                TypeRef::Prim(_) => call_args.push(quote!(#arg)),
                _ => {
                    // `to_owned`: the type may be an alias of a number, where clippy
                    // refuses `clone` on a `Copy` value.
                    owned.push(quote!(let #arg = #arg.to_owned();));
                    call_args.push(quote!(&#arg));
                }
            }
        }
    }
    let mut changes = Vec::new();
    let mut start = quote!();
    if let Some(ps) = &op.params_struct {
        let id = ident(ps);
        args.push(quote!(params: &#id));
        owned.push(quote!(let params = params.clone();));
        call_args.push(quote!(&params));
        if let Some(index) = pagination.param {
            let p = &op.params[index];
            let field = ident(&p.rust_name);
            let clear = pagination.first_page_only.iter().map(|i| {
                let f = ident(&op.params[*i].rust_name);
                quote!(params.#f = None;)
            });
            // `Option`s around the field: one when optional, more when also nullable.
            let layers = usize::from(!p.required) + option_depth(&p.ty);
            let wrap = |value: TokenStream| (0..layers).fold(value, |v, _| quote!(Some(#v)));
            if pagination.style == PageStyle::Cursor {
                let set = wrap(quote!(cursor));
                changes.push(quote!(if let pages::PageRequest::Cursor(cursor) = request { params.#field = #set; #(#clear)* }));
            }
            if matches!(pagination.style, PageStyle::Offset | PageStyle::Page) {
                let integer = match strip_option(&p.ty) {
                    TypeRef::Prim(prim) => *prim,
                    _ => Primitive::I64,
                };
                let rust = type_tokens(&TypeRef::Prim(integer), Scope::Sibling);
                let value = wrap(quote!(n));
                let set = if integer == Primitive::I64 {
                    quote!(params.#field = #value;)
                } else {
                    quote!(if let Ok(n) = #rust::try_from(n) { params.#field = #value; })
                };
                changes.push(quote!(if let pages::PageRequest::Number(n) = request { #set }));
                let default = if pagination.style == PageStyle::Page {
                    1i64
                } else {
                    0i64
                };
                let current = match layers {
                    0 => quote!(Some(params.#field)),
                    1 => quote!(params.#field),
                    _ => quote!(params.#field.flatten()),
                };
                let value = match integer {
                    Primitive::I64 => quote!(#current.unwrap_or(#default)),
                    Primitive::U64 => {
                        quote!(#current.and_then(|n| i64::try_from(n).ok()).unwrap_or(#default))
                    }
                    _ => quote!(#current.map_or(#default, i64::from)),
                };
                start = quote!(let start = #value;);
            }
        }
    }
    let request_arg = if changes.is_empty() {
        quote!(_)
    } else {
        quote!(request)
    };
    let fetch_body = if changes.is_empty() {
        quote!(client.#list(#(#call_args),*))
    } else {
        quote! {
            let mut params = params.clone();
            #(#changes)*
            client.#list(#(#call_args),*)
        }
    };
    let advance = match pagination.style {
        PageStyle::Cursor => quote!(pages::Advance::Cursor),
        PageStyle::Offset => quote!(pages::Advance::Offset { start }),
        PageStyle::Page => quote!(pages::Advance::Number { start }),
        PageStyle::NextUrl => quote!(pages::Advance::BodyUrl),
        PageStyle::Link => quote!(pages::Advance::LinkHeader),
    };
    let items = match moved_path(&pagination.items) {
        (items, true) => quote!(#items.unwrap_or_default()),
        (items, false) => items,
    };
    let next = match (pagination.next.is_empty(), pagination.next_is_string) {
        (true, _) => quote!(None),
        (false, true) => read_path(&pagination.next, quote!(.clone()), quote!(.cloned())),
        (false, false) => read_path(
            &pagination.next,
            quote!(.to_string()),
            quote!(.map(|n| n.to_string())),
        ),
    };
    let has_more = if pagination.has_more.is_empty() {
        quote!(None)
    } else {
        read_path(&pagination.has_more, quote!(), quote!(.copied()))
    };
    // Fields are evaluated in order: `next` and `has_more` borrow the page, `items`
    // then moves out of it.
    let split = quote! {
        |page: #page| pages::PageParts { next: #next, has_more: #has_more, items: #items }
    };
    let docs = lines_to_attrs(&[
        format!(
            "Every item of every page of [`Client::{}`] (`{} {}`), fetched page by page as they are used; `.pages()` gives the pages with their metadata.",
            op.method_name, op.http_method, op.path
        ),
        String::new(),
        format!(
            "Pages follow one another by {} ({}). The list ends after the last page or at the first error, which names its page; a server that names a page already fetched ends it with an error rather than a loop.",
            match pagination.style {
                PageStyle::Cursor => "a cursor",
                PageStyle::Offset => "an item offset",
                PageStyle::Page => "a page number",
                PageStyle::NextUrl => "a next-page URL (followed on the same origin only)",
                PageStyle::Link => "the `Link: rel=\"next\"` header (followed on the same origin only)",
            },
            pagination.source
        ),
    ]);
    let cfg = cfg_attr(&op.features);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #cfg
        #docs
        #deprecated
        #[inline]
        pub fn #name(&self, #(#args),*) -> #paginator {
            let client = self.clone();
            #(#owned)*
            #start
            Paginator::new(Pages::new(
                move |#request_arg| { #fetch_body },
                #split,
                #advance,
            ))
        }
    }
}

/// How many `Option`s a type has at its top.
pub(super) fn option_depth(ty: &TypeRef) -> usize {
    match ty {
        TypeRef::Option(inner) => 1 + option_depth(inner),
        _ => 0,
    }
}

pub(super) fn strip_option(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Option(inner) => strip_option(inner),
        other => other,
    }
}

/// `page` walked by reference to an `Option<&leaf>`: plain field access while the
/// fields are required, `Option` combinators from the first optional one.
pub(super) fn borrowed_path(steps: &[FieldStep]) -> TokenStream {
    let mut plain = quote!(page);
    let mut chain: Option<TokenStream> = None;
    for step in steps {
        let f = ident(&step.rust_name);
        chain = Some(match (chain.take(), step.options) {
            (None, 0) => {
                plain = quote!(#plain.#f);
                continue;
            }
            (None, 1) => quote!(#plain.#f.as_ref()),
            (None, _) => quote!(#plain.#f.as_ref().and_then(Option::as_ref)),
            (Some(c), 0) => quote!(#c.map(|v| &v.#f)),
            (Some(c), 1) => quote!(#c.and_then(|v| v.#f.as_ref())),
            (Some(c), _) => quote!(#c.and_then(|v| v.#f.as_ref()).and_then(Option::as_ref)),
        });
    }
    chain.unwrap_or_else(|| quote!(Some(&#plain)))
}

/// A value read from the page: `Some(leaf)` by `finish` on the plain field when every
/// step is required, else `finish` applied through the `Option` chain.
pub(super) fn read_path(
    steps: &[FieldStep],
    by_value: TokenStream,
    through_chain: TokenStream,
) -> TokenStream {
    if steps.iter().all(|s| s.options == 0) {
        let fields = steps.iter().map(|s| ident(&s.rust_name));
        quote!(Some(page #(.#fields)* #by_value))
    } else {
        let chain = borrowed_path(steps);
        quote!(#chain #through_chain)
    }
}

/// `page` moved along the path: the value itself while the fields are required, an
/// `Option` of it from the first optional one (then `true`).
pub(super) fn moved_path(steps: &[FieldStep]) -> (TokenStream, bool) {
    let mut expr = quote!(page);
    let mut optional = false;
    for step in steps {
        let f = ident(&step.rust_name);
        expr = match (optional, step.options) {
            (false, 0) => quote!(#expr.#f),
            (false, 1) => quote!(#expr.#f),
            (false, _) => quote!(#expr.#f.flatten()),
            (true, 0) => quote!(#expr.map(|v| v.#f)),
            (true, 1) => quote!(#expr.and_then(|v| v.#f)),
            (true, _) => quote!(#expr.and_then(|v| v.#f).flatten()),
        };
        optional |= step.options > 0;
    }
    (expr, optional)
}
