//! The typed mock builders (cargo feature `mock`): for each operation a method of the
//! runtime's `MockServer` that starts an expectation, a marker type that names it, and
//! the typed matchers and answers of its `Mock<Marker>`. The server, the matching and
//! the answers themselves are the runtime's (`generator/runtime/src/mock.rs`); this
//! module writes only what depends on the spec, appended to that file.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::companions::TypeIndex;
use super::docs::lines_to_attrs;
use super::tokens::{cfg_attr, ident, type_tokens, Scope};
use crate::model::{
    construction, naming, Api, BodyKind, Construction, FieldStep, Operation, PageStyle, Pagination,
    ParamLocation, Primitive, ResponseBody, ResponseShape, StatusMatch, TypeDef, TypeKind, TypeRef,
};

/// The runtime module the builders are appended to, which the crate declares behind
/// the `mock` feature.
pub const MODULE: &str = "mock";

/// Methods of the runtime's `MockServer` (any visibility) that an operation's method
/// cannot take. A test checks the list against the runtime's source.
const SERVER_METHODS: [&str; 10] = [
    "start",
    "url",
    "builder",
    "client",
    "verify",
    "unmatched_requests",
    "report",
    "operation",
    "drop",
    "fmt",
];

/// Methods of the runtime's `Mock<O>` (any visibility), and the answers every
/// operation's builder may get, which a parameter's matcher cannot take.
const MOCK_METHODS: [&str; 27] = [
    "edit",
    "matcher",
    "answer",
    "expect",
    "calls",
    "delay",
    "responds_status",
    "responds_raw",
    "with_header",
    "resets_connection",
    "match_path",
    "match_path_with",
    "match_query",
    "match_query_with",
    "match_header",
    "match_header_with",
    "match_body",
    "match_body_with",
    "match_text_body",
    "match_body_flag",
    "answer_pages",
    "fmt",
    // Written below.
    "responds",
    "fails",
    "events",
    "pages",
    "body",
];

/// The crate's declaration of the module.
pub fn module_item() -> TokenStream {
    quote! {
        /// Typed mocks for the tests of code that calls this client: a loopback
        /// [`MockServer`](mock::MockServer) with one expectation builder per operation.
        /// Enable the `mock` cargo feature (in `[dev-dependencies]`) to use it.
        #[cfg(feature = "mock")]
        #[rustfmt::skip]
        pub mod mock;
    }
}

/// The constructions of the structs that are not part of any request (users read them,
/// and build them only as mock answers).
pub fn answer_constructions(api: &Api) -> BTreeMap<String, Construction> {
    let read_only: BTreeSet<String> = api
        .types
        .iter()
        .filter(|d| matches!(d.kind, TypeKind::Struct(_)) && !api.request_types.contains(&d.name))
        .map(|d| d.name.clone())
        .collect();
    construction::decide(&api.types, &[], &read_only)
}

/// The constructor and setters of a struct users only read, behind the `mock` feature
/// (empty for other types: enums and unions are built from their variants, newtypes
/// from their field).
pub fn answer_companion(
    def: &TypeDef,
    construction: Option<&Construction>,
    index: &TypeIndex,
) -> TokenStream {
    let Some(construction) = construction else {
        return TokenStream::new();
    };
    let items = super::companions::companion(def, Some(construction), true, index);
    let Ok(mut file) = syn::parse2::<syn::File>(items.clone()) else {
        return items;
    };
    let gate: syn::Attribute = syn::parse_quote!(#[cfg(feature = "mock")]);
    for item in &mut file.items {
        if let syn::Item::Impl(block) = item {
            block.attrs.insert(0, gate.clone());
        }
    }
    quote!(#file)
}

/// The builders of every operation, as items of the mock module.
pub fn builders(api: &Api, types: &TypeIndex) -> TokenStream {
    let markers = markers_in_order(api);
    let mut server_methods: BTreeSet<String> =
        SERVER_METHODS.iter().map(|m| m.to_string()).collect();
    let items: Vec<TokenStream> = api
        .operations
        .iter()
        .zip(&markers)
        .map(|(op, marker)| {
            let method = unique(op.method_name.clone(), &mut server_methods, "_operation");
            operation(op, marker, &method, types)
        })
        .collect();
    let marker_items = api.operations.iter().zip(&markers).map(|(op, name)| {
        let id = ident(name);
        let cfg = cfg_attr(&op.features);
        let doc = lines_to_attrs(&[format!(
            "Names the [`Mock`](super::Mock) of [`Client::{}`](crate::Client::{}).",
            op.method_name, op.method_name
        )]);
        quote! {
            #cfg
            #doc
            #[derive(Debug)]
            pub enum #id {}
        }
    });
    quote! {
        #[allow(unused_imports)]
        use super::types;

        /// One marker type per operation, naming the operation of a [`Mock`].
        pub mod operations {
            #(#marker_items)*
        }

        #(#items)*
    }
}

/// The marker names, in operation order (the same rule as in [`builders`]).
fn markers_in_order(api: &Api) -> Vec<String> {
    let mut used = BTreeSet::new();
    api.operations
        .iter()
        .map(|op| {
            unique(
                naming::type_name(&op.method_name, "Operation"),
                &mut used,
                "Operation",
            )
        })
        .collect()
}

/// `name`, or `name` with `suffix` (and a number) when it is taken; recorded as taken.
fn unique(name: String, used: &mut BTreeSet<String>, suffix: &str) -> String {
    let mut candidate = name.clone();
    let mut n = 1;
    while used.contains(&candidate) {
        candidate = if n == 1 {
            format!("{name}{suffix}")
        } else {
            format!("{name}{suffix}{n}")
        };
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}

fn operation(op: &Operation, marker: &str, method: &str, types: &TypeIndex) -> TokenStream {
    let cfg = cfg_attr(&op.features);
    let marker = ident(marker);
    let method_id = ident(method);
    let (operation_id, http, path) = (&op.operation_id, &op.http_method, &op.path);
    // The JSON and event twins of an operation with a `stream` flag each take their own.
    let flag = op.events.as_ref().filter(|e| e.stream_flag).map(|_| {
        let value = op.streams;
        quote!(.match_body_flag("stream", #value))
    });
    let doc = lines_to_attrs(&[
        format!(
            "Expects calls of [`Client::{}`](crate::Client::{}) (`{http} {path}`): add matchers and answers to the [`Mock`].",
            op.method_name, op.method_name
        ),
    ]);

    let mut used: BTreeSet<String> = MOCK_METHODS.iter().map(|m| m.to_string()).collect();
    let mut methods = Vec::new();
    for p in &op.params {
        let (is, with, word) = match p.location {
            ParamLocation::Path => (quote!(match_path), quote!(match_path_with), "path"),
            ParamLocation::Query => (quote!(match_query), quote!(match_query_with), "query"),
            ParamLocation::Header => (quote!(match_header), quote!(match_header_with), "header"),
            ParamLocation::Cookie => continue,
        };
        if op.params[..]
            .iter()
            .take_while(|q| !std::ptr::eq(*q, p))
            .any(|q| q.wire_name == p.wire_name && q.location == p.location)
        {
            continue;
        }
        let name = unique(p.rust_name.clone(), &mut used, "_param");
        // `self_` (a keyword kept clear) gives `self_matches`, not `self__matches`.
        let base = name.trim_end_matches('_');
        let matches = unique(format!("{base}_matches"), &mut used, "_param");
        let (name, matches) = (ident(&name), ident(&matches));
        let wire = &p.wire_name;
        let ty = type_tokens(&p.ty, Scope::Sibling);
        let (arg, value) = match &p.ty {
            TypeRef::Prim(Primitive::String) => (quote!(impl Into<String>), quote!(value.into())),
            _ => (ty.clone(), quote!(value)),
        };
        let doc_is = lines_to_attrs(&[format!(
            "Matches the {word} parameter `{wire}` equal to `value`."
        )]);
        let doc_with = lines_to_attrs(&[format!(
            "Matches the {word} parameter `{wire}` when `test` accepts its value."
        )]);
        methods.push(quote! {
            #doc_is
            pub fn #name(self, value: #arg) -> Self {
                self.#is(#wire, #value)
            }

            #doc_with
            pub fn #matches(self, test: impl Fn(&#ty) -> bool + Send + 'static) -> Self {
                self.#with(#wire, test)
            }
        });
    }
    if let Some(body) = &op.body {
        let ty = type_tokens(&body.ty, Scope::Sibling);
        match body.kind {
            BodyKind::Json => methods.push(quote! {
                /// Matches a request body equal to `value` (compared as JSON).
                pub fn body(self, value: &#ty) -> Self {
                    self.match_body(value)
                }

                /// Matches a request body that `test` accepts.
                pub fn body_matches(self, test: impl Fn(&#ty) -> bool + Send + 'static) -> Self {
                    self.match_body_with(test)
                }
            }),
            BodyKind::Text => methods.push(quote! {
                /// Matches a request body equal to `value`.
                pub fn body(self, value: impl Into<String>) -> Self {
                    self.match_text_body(value.into())
                }
            }),
            BodyKind::Form | BodyKind::Multipart | BodyKind::Binary => {}
        }
    }
    if op.streams {
        if let Some(events) = &op.events {
            let item = type_tokens(&events.item, Scope::Sibling);
            methods.push(quote! {
                /// Answers with these server-sent events, each item's JSON as its data.
                pub fn events(self, items: impl IntoIterator<Item = #item>) -> Self {
                    self.answer(Answer::events(items))
                }
            });
        }
    } else {
        methods.extend(responds(op));
    }
    methods.extend(fails(op));
    if let (Some(pagination), ResponseShape::Single(ResponseBody::Json(page))) =
        (&op.pagination, &op.success.shape)
    {
        methods.push(pages(op, pagination, page, types));
    }
    quote! {
        #cfg
        #[allow(deprecated)]
        impl MockServer {
            #doc
            pub fn #method_id(&self) -> Mock<operations::#marker> {
                self.operation(#operation_id, #http, #path) #flag
            }
        }

        #cfg
        #[allow(deprecated)]
        impl Mock<operations::#marker> {
            #(#methods)*
        }
    }
}

/// The status an answer of this response is sent with.
fn status_of(status: StatusMatch, fallback: u16) -> u16 {
    match status {
        StatusMatch::Code(c) => c,
        StatusMatch::Range(r) => r * 100,
        StatusMatch::Default => fallback,
    }
}

/// The status of the first success response, as a literal.
fn success_status(op: &Operation) -> proc_macro2::Literal {
    let status = op
        .success
        .responses
        .first()
        .map_or(200, |r| status_of(r.status, 200));
    proc_macro2::Literal::u16_unsuffixed(status)
}

/// The answer for a body of this kind, from `value`.
fn answer(body: &ResponseBody, status: &TokenStream, value: TokenStream) -> TokenStream {
    match body {
        ResponseBody::Empty => quote!(Answer::status(#status)),
        ResponseBody::Json(_) => quote!(Answer::json(#status, &#value)),
        ResponseBody::Text => quote!(Answer::text(#status, #value)),
        ResponseBody::Binary => {
            quote!(Answer::bytes(#status, "application/octet-stream", #value))
        }
    }
}

fn responds(op: &Operation) -> Option<TokenStream> {
    let status = success_status(op);
    let doc = quote!(#[doc = " Answers with this success value, as the API would."]);
    Some(match &op.success.shape {
        ResponseShape::Single(ResponseBody::Empty) => quote! {
            #doc
            pub fn responds(self) -> Self {
                self.answer(Answer::status(#status))
            }
        },
        ResponseShape::Single(body) => {
            let (arg, value) = match body {
                ResponseBody::Json(t) => (type_tokens(t, Scope::Sibling), quote!(value)),
                ResponseBody::Text => (quote!(impl Into<String>), quote!(value.into())),
                _ => (quote!(impl Into<Vec<u8>>), quote!(value.into())),
            };
            let answer = answer(body, &quote!(#status), value);
            quote! {
                #doc
                pub fn responds(self, value: #arg) -> Self {
                    self.answer(#answer)
                }
            }
        }
        ResponseShape::Enum { name, variants } => {
            let id = ident(name);
            let arms = op.success.responses.iter().zip(variants).map(|(r, v)| {
                let v = ident(v);
                let status = proc_macro2::Literal::u16_unsuffixed(status_of(r.status, 200));
                let answer = answer(&r.body, &quote!(#status), quote!(value));
                match r.body {
                    ResponseBody::Empty => quote!(super::#id::#v => #answer,),
                    _ => quote!(super::#id::#v(value) => #answer,),
                }
            });
            quote! {
                /// Answers with this success value, with the status of its variant.
                pub fn responds(self, value: super::#id) -> Self {
                    let answer = match value { #(#arms)* };
                    self.answer(answer)
                }
            }
        }
    })
}

fn fails(op: &Operation) -> Option<TokenStream> {
    match &op.errors.shape {
        ResponseShape::Single(ResponseBody::Json(t)) => {
            let ty = type_tokens(t, Scope::Sibling);
            Some(quote! {
                /// Answers with this documented error body and status.
                pub fn fails(self, status: u16, body: #ty) -> Self {
                    self.answer(Answer::json(status, &body))
                }
            })
        }
        ResponseShape::Single(_) => None,
        ResponseShape::Enum { name, variants } => {
            let id = ident(name);
            let arms = op.errors.responses.iter().zip(variants).map(|(r, v)| {
                let v = ident(v);
                let answer = answer(&r.body, &quote!(status), quote!(value));
                match r.body {
                    ResponseBody::Empty => quote!(super::#id::#v => #answer,),
                    _ => quote!(super::#id::#v(value) => #answer,),
                }
            });
            Some(quote! {
                /// Answers with this documented error (its body) and status.
                pub fn fails(self, status: u16, body: super::#id) -> Self {
                    let answer = match body { #(#arms)* };
                    self.answer(answer)
                }
            })
        }
    }
}

fn pages(
    op: &Operation,
    pagination: &Pagination,
    page: &TypeRef,
    types: &TypeIndex,
) -> TokenStream {
    let ty = type_tokens(page, Scope::Sibling);
    let status = success_status(op);
    let style = format_ident!(
        "{}",
        match pagination.style {
            PageStyle::Cursor => "Cursor",
            PageStyle::Offset => "Offset",
            PageStyle::Page => "Number",
            PageStyle::NextUrl => "BodyUrl",
            PageStyle::Link => "LinkHeader",
        }
    );
    let items = wire_path(page, &pagination.items, types);
    let next = wire_path(page, &pagination.next, types);
    let has_more = wire_path(page, &pagination.has_more, types);
    let next_is_string = pagination.next_is_string;
    let doc = lines_to_attrs(&[
        format!(
            "Answers with these pages, one per call, so that [`Client::{}`](crate::Client::{}) walks them all: each but the last is made to name the next one (a cursor, URL or `Link` where it has none; `has_more`), and an empty page follows for offsets and page numbers.",
            pagination.method_name, pagination.method_name
        ),
    ]);
    quote! {
        #doc
        pub fn pages(self, pages: impl IntoIterator<Item = #ty>) -> Self {
            const RULE: PageRule = PageRule {
                style: PageLink::#style,
                items: &[#(#items),*],
                next: &[#(#next),*],
                next_is_string: #next_is_string,
                has_more: &[#(#has_more),*],
            };
            self.answer_pages(#status, RULE, pages)
        }
    }
}

/// The wire names of the fields along `steps` from the page type.
fn wire_path(page: &TypeRef, steps: &[FieldStep], types: &TypeIndex) -> Vec<String> {
    let mut here = Some(page.clone());
    steps
        .iter()
        .map(|step| {
            let field = here
                .take()
                .and_then(|t| struct_of(&t, types))
                .and_then(|s| s.into_iter().find(|f| f.rust_name == step.rust_name));
            match field {
                Some(f) => {
                    here = Some(f.ty.clone());
                    f.wire_name.clone()
                }
                None => step.rust_name.clone(),
            }
        })
        .collect()
}

/// The fields of the struct a type reference names (through options, boxes, aliases).
fn struct_of<'a>(ty: &TypeRef, types: &TypeIndex<'a>) -> Option<Vec<&'a crate::model::Field>> {
    let mut ty = ty.clone();
    for _ in 0..16 {
        match ty {
            TypeRef::Option(inner) | TypeRef::Box(inner) => ty = *inner,
            TypeRef::Named(name) => {
                let def = types.get(name.as_str())?;
                match &def.kind {
                    TypeKind::Struct(s) => return Some(s.fields.iter().collect()),
                    TypeKind::Alias(t) | TypeKind::Newtype(t) => ty = t.clone(),
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names kept free for the runtime are the runtime's methods.
    #[test]
    fn reserved_names_are_the_runtimes() {
        let file = syn::parse_file(include_str!("../../runtime/src/mock.rs"))
            .expect("the runtime's mock.rs parses");
        let mut server = BTreeSet::new();
        let mut mock = BTreeSet::new();
        for item in file.items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let self_ty = quote::ToTokens::to_token_stream(&block.self_ty).to_string();
            let into = match self_ty.as_str() {
                "MockServer" => &mut server,
                "Mock < O >" => &mut mock,
                _ => continue,
            };
            for inner in &block.items {
                if let syn::ImplItem::Fn(f) = inner {
                    into.insert(f.sig.ident.to_string());
                }
            }
        }
        for name in server {
            assert!(
                SERVER_METHODS.contains(&name.as_str()),
                "MockServer::{name} not reserved"
            );
        }
        for name in mock {
            assert!(
                MOCK_METHODS.contains(&name.as_str()),
                "Mock::{name} not reserved"
            );
        }
    }

    #[test]
    fn unique_names() {
        let mut used: BTreeSet<String> = ["body".to_string()].into();
        assert_eq!(unique("body".into(), &mut used, "_param"), "body_param");
        assert_eq!(unique("body".into(), &mut used, "_param"), "body_param2");
        assert_eq!(unique("limit".into(), &mut used, "_param"), "limit");
    }
}
