//! The part of `client.rs` before the operations: imports, the default server, the
//! security schemes and their builder methods, `Client::builder`.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::docs::{lines_to_attrs, own_lines_to_attrs};
use super::super::tokens::ident;
use crate::embedded::{CLIENT_IMPORTS, CLIENT_REQWEST_IMPORTS};
use crate::model::{
    Api, AuthKind, AuthScheme, ParamLocation, PathPart, Primitive, ResponseBody, ResponseShape,
    TypeRef,
};

/// What of the client depends on the spec, before the operations: the imports of
/// `client.rs`, the default server, a builder method per security scheme and the
/// schemes themselves. The `Client` and `ClientBuilder` are the runtime's
/// (`client_core.rs`). The operation methods ([`operation_method`]) follow in the
/// `impl Client` this ends with, then each operation's types ([`operation_types`]).
pub fn prelude(api: &Api) -> TokenStream {
    let base_url = api
        .servers
        .first()
        .map(|s| s.url.trim_end_matches('/').to_string())
        .unwrap_or_default();
    let base_doc = if base_url.is_empty() {
        "The spec names no server: set one with [`ClientBuilder::base_url`].".to_string()
    } else {
        "The first server the spec names.".to_string()
    };
    let base_doc = lines_to_attrs(&[base_doc]);
    let builder_example = own_lines_to_attrs(&client_example(api));
    let schemes = schemes_module(&api.auth);
    let servers = super::servers::servers(&api.servers);
    let builder_auth = (!api.auth.is_empty()).then(|| {
        let methods = api.auth.iter().map(builder_method);
        quote! {
            impl ClientBuilder {
                #(#methods)*
            }
        }
    });
    // A spec without operations (webhooks only), or a build with none of the tag features
    // on, leaves the HTTP client unused.
    let no_ops = api.operations.is_empty() || !api.features.is_empty();
    let no_ops_allow_imports = no_ops.then(|| quote!(#[allow(unused_imports)]));
    let imports = client_imports();
    let reqwest_imports: Vec<TokenStream> = CLIENT_REQWEST_IMPORTS
        .iter()
        .map(|n| {
            let n = ident(n);
            quote!(#no_ops_allow_imports use reqwest::#n;)
        })
        .collect();
    quote! {
        //! The client's operations, and what of the client depends on the spec: its
        //! default server and a builder method per security scheme.
        // Each operation is `#[inline]`: compiled to machine code in the crate that calls
        // it (with the decoding of its answer), not here for every operation of the API.
        #![allow(deprecated)]
        #![allow(clippy::too_many_arguments, clippy::large_enum_variant, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
        // A status with its own response comes before the range (`2XX`) that holds it.
        #![allow(clippy::match_overlapping_arm)]
        // Names come from the spec: `ABC`, a parameter called `foo` or `1` (`_1`) are the
        // spec's choice.
        #![allow(clippy::upper_case_acronyms, clippy::disallowed_names)]
        #![allow(clippy::just_underscores_and_digits)]
        // So do nested types: an inline map of maps of objects is the spec's shape.
        #![allow(clippy::type_complexity)]

        #(#reqwest_imports)*

        #imports
        #[allow(unused_imports)]
        use super::auth;
        #[allow(unused_imports)]
        use super::call;
        #[allow(unused_imports)]
        use super::pages;
        #no_ops_allow_imports
        use super::runtime;
        #[allow(unused_imports)]
        use super::types;

        #base_doc
        pub const DEFAULT_BASE_URL: &str = #base_url;

        impl Default for ClientBuilder {
            fn default() -> Self {
                ClientBuilder::for_base_url(DEFAULT_BASE_URL)
            }
        }

        #servers

        #builder_auth
        #schemes

        impl Client {
            /// Starts configuring a client for [`DEFAULT_BASE_URL`].
            #builder_example
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }
        }
    }
}

/// The `use` items of [`CLIENT_IMPORTS`]. The client core is used by every client (its
/// `Default`); the other names only by some.
pub(super) fn client_imports() -> TokenStream {
    CLIENT_IMPORTS
        .iter()
        .map(|(module, names)| {
            let allow = (*module != "client_core").then(|| quote!(#[allow(unused_imports)]));
            let module = ident(module);
            let names = names.iter().map(|n| ident(n));
            quote! {
                #allow
                use super::#module::{#(#names),*};
            }
        })
        .collect()
}

/// A doc example for [`Client`], built on the first operation that takes only string
/// path arguments (none: no example). The crate is named `__crate__` (see
/// `emit::examples`).
pub(super) fn client_example(api: &Api) -> Vec<String> {
    let Some(op) = api.operations.iter().find(|op| {
        op.alternative_of.is_none()
            && op.features.is_empty()
            && !op.deprecated
            // The example binds the value: one that is `()` says nothing.
            && op.success.shape != ResponseShape::Single(ResponseBody::Empty)
            && op.params_struct.is_none()
            && op.body.is_none()
            && op.params.iter().all(|p| {
                p.location == ParamLocation::Path && p.ty == TypeRef::Prim(Primitive::String)
            })
    }) else {
        return Vec::new();
    };
    let args: Vec<String> = op
        .path_parts
        .iter()
        .filter_map(|part| match part {
            // The Rust name, not the wire name: no spec text reaches the example.
            PathPart::Param(i) => Some(format!("\"my-{}\"", op.params[*i].rust_name)),
            PathPart::Literal(_) => None,
        })
        .collect();
    let call = format!("client.{}({})", op.method_name, args.join(", "));
    let mut lines = vec![
        String::new(),
        "```no_run".to_string(),
        "use std::time::Duration;".to_string(),
        String::new(),
        "# async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_string(),
        "let client = __crate__::Client::builder()".to_string(),
    ];
    if api.servers.is_empty() {
        lines.push("    .base_url(\"https://api.example.com\")".to_string());
    }
    if let Some(scheme) = api.auth.first() {
        lines.push(match scheme.kind {
            AuthKind::Basic => format!("    .{}(\"user\", \"password\")", scheme.rust_name),
            _ => format!("    .{}(\"my-secret\")", scheme.rust_name),
        });
    }
    lines.push("    .build()?;".to_string());
    lines.push(String::new());
    lines.push("// The decoded value; failed attempts are retried as the policy says.".to_string());
    lines.push(format!("let value = {call}.await?;"));
    lines.push(String::new());
    lines.push(
        "// Options for this call only, and the response metadata with the value.".to_string(),
    );
    lines.push(format!("let response = {call}"));
    lines.push("    .timeout(Duration::from_secs(5))".to_string());
    lines.push("    .header(\"x-trace-id\", \"trace-1\")".to_string());
    lines.push("    .with_response()".to_string());
    lines.push("    .await?;".to_string());
    lines.push("println!(".to_string());
    lines.push("    \"HTTP {}, request id {:?}, {} attempt(s)\",".to_string());
    lines.push("    response.status(),".to_string());
    lines.push("    response.request_id(),".to_string());
    lines.push("    response.attempts(),".to_string());
    lines.push(");".to_string());
    lines.push("# let _ = value;".to_string());
    lines.push("# Ok(())".to_string());
    lines.push("# }".to_string());
    lines.push("```".to_string());
    lines
}

/// The constant that names a scheme in `client.rs` (`schemes::BEARER_AUTH`).
pub(super) fn scheme_const(scheme: &AuthScheme) -> proc_macro2::Ident {
    ident(&scheme.rust_name.trim_start_matches("r#").to_uppercase())
}

/// `mod schemes`: one [`auth::Scheme`] per security scheme of the spec, saying where
/// its credential goes; operations list the sets they accept.
pub(super) fn schemes_module(auth: &[AuthScheme]) -> TokenStream {
    if auth.is_empty() {
        return quote!();
    }
    let consts = auth.iter().map(|s| {
        let name = scheme_const(s);
        let key = s.rust_name.trim_start_matches("r#");
        let placement = match &s.kind {
            AuthKind::Bearer => quote!(Placement::Bearer),
            AuthKind::Basic => quote!(Placement::Basic),
            AuthKind::ApiKey { location, name } => match location {
                ParamLocation::Query => quote!(Placement::Query(#name)),
                ParamLocation::Cookie => quote!(Placement::Cookie(#name)),
                _ => quote!(Placement::Header(#name)),
            },
        };
        quote! {
            pub(super) const #name: Scheme = Scheme { name: #key, placement: #placement };
        }
    });
    quote! {
        /// The security schemes of the spec, for operations to say what they accept.
        mod schemes {
            use super::auth::{Placement, Scheme};

            #(#consts)*
        }
    }
}

pub(super) fn builder_method(s: &AuthScheme) -> TokenStream {
    let name = ident(&s.rust_name);
    let scheme = scheme_const(s);
    let mut lines: Vec<String> = Vec::new();
    lines.push(match &s.kind {
        AuthKind::Bearer => format!(
            "Credential for the `{}` scheme: sent as `Authorization: Bearer <token>`.",
            s.key
        ),
        AuthKind::Basic => format!(
            "Credential for the `{}` scheme: HTTP basic authentication.",
            s.key
        ),
        AuthKind::ApiKey { location, name } => {
            let place = match location {
                ParamLocation::Header => "header",
                ParamLocation::Query => "query parameter",
                _ => "cookie",
            };
            format!(
                "Credential for the `{}` scheme: sent in the `{name}` {place}.",
                s.key
            )
        }
    });
    if let Some(d) = &s.description {
        lines.push(String::new());
        lines.extend(super::super::docs::spec_lines(d));
    }
    let docs = lines_to_attrs(&lines);
    let sources = super::credentials::source_methods(s, &scheme);
    let fixed = match s.kind {
        AuthKind::Basic => quote! {
            #docs
            pub fn #name(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
                self.credentials.set(&schemes::#scheme, auth::Credential::basic(username, password));
                self
            }
        },
        _ => quote! {
            #docs
            pub fn #name(mut self, secret: impl Into<String>) -> Self {
                self.credentials.set(&schemes::#scheme, auth::Credential::secret(secret));
                self
            }
        },
    };
    quote!(#fixed #sources)
}
