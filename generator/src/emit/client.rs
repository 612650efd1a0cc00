//! `client.rs`: the `Client`, its builder, and one async method per operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, lines_to_attrs, own_lines_to_attrs};
use super::tokens::{cfg_attr, ident, type_tokens, Scope};
use crate::model::naming::type_name;
use crate::model::{
    Api, AuthKind, AuthScheme, BodyKind, FieldStep, MultipartPart, Operation, PageStyle,
    Pagination, Param, ParamLocation, ParamStyle, PathPart, Primitive, Response, ResponseBody,
    ResponseSet, ResponseShape, StatusMatch, TypeRef,
};

/// Everything in `client.rs` but the operations: the client, its builder and
/// credentials. The operation methods ([`operation_method`]) follow in an `impl Client`
/// of their own, then each operation's types ([`operation_types`]).
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
    let client_doc = lines_to_attrs(&super::docs::spec_lines(&format!(
        "Client for {} (version {}).",
        api.title, api.version
    )));
    let client_example = own_lines_to_attrs(&client_example(api));
    let scheme_enum = scheme_enum(&api.auth);
    let credentials = credentials(&api.auth);
    let builder_auth = api.auth.iter().map(builder_method);
    // Unused when no operation requires credentials (or none is compiled).
    let auth_unused =
        !api.features.is_empty() || api.operations.iter().all(|op| op.security.is_empty());
    let authorize = authorize(&api.auth, auth_unused);
    // A spec without operations (webhooks only), or a build with none of the tag features
    // on, leaves the HTTP client unused.
    let no_ops = api.operations.is_empty() || !api.features.is_empty();
    let no_ops_allow = no_ops.then(|| quote!(#[allow(dead_code)]));
    let no_ops_allow_imports = no_ops.then(|| quote!(#[allow(unused_imports)]));
    quote! {
        //! The client and its operations.
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

        use std::sync::Arc;
        use std::time::Duration;

        #no_ops_allow_imports
        use reqwest::Method;

        #[allow(unused_imports)]
        use super::call::{self, Call};
        #[allow(unused_imports)]
        use super::pages::{self, Pages, Paginator};
        #[allow(unused_imports)]
        use super::error::{Error, Undocumented};
        use super::options::{Attempt, BoxError, Hook, Hooks, RequestHook, RequestOptions, RetryPolicy};
        #no_ops_allow_imports
        use super::runtime;
        use super::tls;
        #[allow(unused_imports)]
        use super::types;

        #base_doc
        pub const DEFAULT_BASE_URL: &str = #base_url;

        /// The time one attempt may take unless [`ClientBuilder::timeout`] says otherwise.
        pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

        /// The time connecting may take unless [`ClientBuilder::connect_timeout`] says
        /// otherwise.
        pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

        #client_doc
        ///
        /// Each method returns a [`Call`]: `.await` it for the decoded value, or set
        /// options for that call first (`.timeout(…)`, `.header(…)`,
        /// `.idempotency_key(…)`, `.max_retries(…)`) and `.with_response()` for the
        /// status, headers and request id beside the value. Failed attempts are retried
        /// as [`RetryPolicy`] describes.
        ///
        /// Cheap to clone: clones share one connection pool.
        #client_example
        #[derive(Clone)]
        #no_ops_allow
        pub struct Client {
            base_url: String,
            credentials: Credentials,
            transport: Arc<call::Transport>,
        }

        impl std::fmt::Debug for Client {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Client")
                    .field("base_url", &self.base_url)
                    .field("credentials", &self.credentials)
                    .field("timeout", &self.transport.timeout)
                    .field("retry_policy", &self.transport.policy)
                    .field("default_options", &self.transport.defaults)
                    .finish()
            }
        }

        #credentials
        #scheme_enum

        /// Configures a [`Client`].
        ///
        /// Defaults: the first server of the spec, a timeout of 60 s per attempt
        /// ([`DEFAULT_TIMEOUT`]) and 10 s to connect ([`DEFAULT_CONNECT_TIMEOUT`]),
        /// [`RetryPolicy::default`] (at most 2 retries, exponential backoff from 0.5 s
        /// with jitter, `Retry-After` honoured up to 60 s, POST and PATCH resent only
        /// when the server cannot have processed them unless they carry an idempotency
        /// key), no hooks.
        #[derive(Debug)]
        pub struct ClientBuilder {
            base_url: String,
            credentials: Credentials,
            timeout: Option<Duration>,
            connect_timeout: Option<Duration>,
            user_agent: Option<String>,
            http: Option<reqwest::Client>,
            retry_policy: RetryPolicy,
            idempotency_header: Option<String>,
            hooks: Hooks,
            defaults: RequestOptions,
        }

        impl Default for ClientBuilder {
            fn default() -> Self {
                ClientBuilder {
                    base_url: DEFAULT_BASE_URL.to_string(),
                    credentials: Credentials::default(),
                    timeout: Some(DEFAULT_TIMEOUT),
                    connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
                    user_agent: None,
                    http: None,
                    retry_policy: RetryPolicy::default(),
                    idempotency_header: None,
                    hooks: Hooks::default(),
                    defaults: RequestOptions::default(),
                }
            }
        }

        impl ClientBuilder {
            /// The server to talk to, e.g. `https://api.example.com/v1`; a trailing `/` is ignored.
            pub fn base_url(mut self, url: impl Into<String>) -> Self {
                self.base_url = url.into().trim_end_matches('/').to_string();
                self
            }

            #(#builder_auth)*

            /// The time one attempt may take, from connecting to the end of the body
            /// (default [`DEFAULT_TIMEOUT`]); `None` waits forever. Each retry gets the
            /// full time again. Streamed answers (events, downloads) are not cut after
            /// this time: it bounds each wait for data instead (the answer's head, then
            /// every chunk), unless the call sets a timeout of its own.
            pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
                self.timeout = timeout.into();
                self
            }

            /// The time connecting may take (default [`DEFAULT_CONNECT_TIMEOUT`]);
            /// `None` leaves it to the operating system.
            pub fn connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
                self.connect_timeout = timeout.into();
                self
            }

            /// The `User-Agent` header to send (default: the crate's name and version).
            pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
                self.user_agent = Some(user_agent.into());
                self
            }

            /// Uses this `reqwest` client (version 0.13, re-exported as
            /// [`reqwest`](crate::reqwest)): its connection and TLS settings, user agent
            /// and connect timeout apply instead of the ones set here. The per-attempt
            /// timeout, retries, options and hooks still apply.
            ///
            /// Without one, the client makes its own: rustls with the `ring` provider
            /// (or the process-wide provider the program installed), trusting the
            /// system's certificates, or Mozilla's roots where the system has none.
            pub fn http_client(mut self, http: reqwest::Client) -> Self {
                self.http = Some(http);
                self
            }

            /// At most this many retries after the first attempt (default 2; 0
            /// disables retries). Shorthand for a [`RetryPolicy`] with only that changed.
            pub fn max_retries(mut self, retries: u32) -> Self {
                self.retry_policy = self.retry_policy.max_retries(retries);
                self
            }

            /// How failed attempts are retried.
            pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
                self.retry_policy = policy;
                self
            }

            /// Sends an idempotency key in this header (e.g. `Idempotency-Key`) with
            /// every POST and PATCH, generated per call unless the call gives one, and
            /// the same on every attempt, so that those calls are retried like a PUT.
            /// Operations that declare such a header in the spec use it without this.
            pub fn idempotency_header(mut self, name: impl Into<String>) -> Self {
                self.idempotency_header = Some(name.into());
                self
            }

            /// Adds a hook that sees every attempt (to sign requests, add headers, or
            /// observe answers).
            pub fn hook(mut self, hook: impl Hook) -> Self {
                self.hooks.0.push(Arc::new(hook));
                self
            }

            /// Adds a hook that changes each request before it is sent (each retry
            /// too), e.g. to sign it.
            pub fn on_request<F>(self, change: F) -> Self
            where
                F: Fn(&mut reqwest::Request, &Attempt<'_>) -> Result<(), BoxError> + Send + Sync + 'static,
            {
                self.hook(RequestHook(change))
            }

            /// Options applied to every call (a call's own options win).
            pub fn default_options(mut self, options: RequestOptions) -> Self {
                self.defaults = options;
                self
            }

            /// Builds the client.
            pub fn build(self) -> Result<Client, Error> {
                if self.base_url.is_empty() {
                    return Err(Error::InvalidRequest("no base URL: the spec names no server, so set one with `base_url`".to_string()));
                }
                let idempotency_header = match &self.idempotency_header {
                    Some(name) => Some(reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                        Error::InvalidRequest(format!("`{name}` is not a valid header name"))
                    })?),
                    None => None,
                };
                let http = match self.http {
                    Some(http) => http,
                    None => {
                        let tls = tls::client_config()
                            .map_err(|e| Error::InvalidRequest(format!("TLS cannot be set up: {e}")))?;
                        let mut builder = reqwest::Client::builder()
                            .tls_backend_preconfigured(tls)
                            .user_agent(
                                self.user_agent.unwrap_or_else(|| concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_string()),
                            );
                        if let Some(timeout) = self.connect_timeout {
                            builder = builder.connect_timeout(timeout);
                        }
                        // Streamed answers are not bounded as a whole: each wait for
                        // data is.
                        if let Some(timeout) = self.timeout {
                            builder = builder.read_timeout(timeout);
                        }
                        builder.build()?
                    }
                };
                let transport = call::Transport {
                    http,
                    policy: self.retry_policy,
                    timeout: self.timeout,
                    idempotency_header,
                    hooks: self.hooks,
                    defaults: self.defaults,
                };
                Ok(Client { base_url: self.base_url, credentials: self.credentials, transport: Arc::new(transport) })
            }
        }

        impl Client {
            /// Starts configuring a client for [`DEFAULT_BASE_URL`].
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            /// The server this client talks to.
            pub fn base_url(&self) -> &str {
                &self.base_url
            }

            /// A client that shares this one's connections, credentials and hooks and
            /// applies `options` to every call (on top of the defaults it had; a
            /// call's own options still win). Cheap: nothing is copied but the options.
            pub fn with_options(&self, options: &RequestOptions) -> Client {
                let mut transport = call::Transport::clone(&self.transport);
                transport.defaults = transport.defaults.merged(options);
                Client { transport: Arc::new(transport), ..self.clone() }
            }

            #authorize
        }
    }
}

/// A doc example for [`Client`], built on the first operation that takes only string
/// path arguments (none: no example). The crate is named `__crate__` (see
/// `emit::examples`).
fn client_example(api: &Api) -> Vec<String> {
    let Some(op) = api.operations.iter().find(|op| {
        op.alternative_of.is_none()
            && op.features.is_empty()
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

fn scheme_variant(scheme: &AuthScheme) -> proc_macro2::Ident {
    ident(&type_name(&scheme.rust_name, "Scheme"))
}

fn scheme_enum(auth: &[AuthScheme]) -> TokenStream {
    if auth.is_empty() {
        return quote!();
    }
    let variants = auth.iter().map(scheme_variant);
    quote! {
        /// The security schemes of the spec, for operations to say what they accept.
        #[derive(Debug, Clone, Copy)]
        #[allow(dead_code)]
        enum Scheme {
            #(#variants,)*
        }
    }
}

fn credentials(auth: &[AuthScheme]) -> TokenStream {
    let fields = auth.iter().map(|s| {
        let name = ident(&s.rust_name);
        match s.kind {
            AuthKind::Basic => quote!(#name: Option<(String, runtime::Secret)>,),
            _ => quote!(#name: Option<runtime::Secret>,),
        }
    });
    quote! {
        /// Credentials, one per security scheme; never shown by `Debug`.
        #[derive(Clone, Default, Debug)]
        struct Credentials {
            #(#fields)*
        }
    }
}

fn builder_method(s: &AuthScheme) -> TokenStream {
    let name = ident(&s.rust_name);
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
        lines.extend(super::docs::spec_lines(d));
    }
    let docs = lines_to_attrs(&lines);
    match s.kind {
        AuthKind::Basic => quote! {
            #docs
            pub fn #name(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
                self.credentials.#name = Some((username.into(), runtime::Secret::new(password)));
                self
            }
        },
        _ => quote! {
            #docs
            pub fn #name(mut self, secret: impl Into<String>) -> Self {
                self.credentials.#name = Some(runtime::Secret::new(secret));
                self
            }
        },
    }
}

/// `Client::authorize`: applies the first accepted set of credentials that is configured.
fn authorize(auth: &[AuthScheme], gated: bool) -> TokenStream {
    if auth.is_empty() {
        return quote!();
    }
    let has = auth.iter().map(|s| {
        let v = scheme_variant(s);
        let f = ident(&s.rust_name);
        quote!(Scheme::#v => self.credentials.#f.is_some(),)
    });
    let apply = auth.iter().map(|s| {
        let v = scheme_variant(s);
        let f = ident(&s.rust_name);
        let action = match &s.kind {
            AuthKind::Bearer => quote! {
                if let Some(token) = &self.credentials.#f {
                    parts.secret_header("authorization", &format!("Bearer {}", token.expose()))?;
                }
            },
            AuthKind::Basic => quote! {
                if let Some((user, password)) = &self.credentials.#f {
                    parts.basic_auth(user, password);
                }
            },
            AuthKind::ApiKey { location, name } => match location {
                ParamLocation::Query => quote! {
                    if let Some(key) = &self.credentials.#f {
                        parts.secret_query(#name, key);
                    }
                },
                ParamLocation::Cookie => quote! {
                    if let Some(key) = &self.credentials.#f {
                        parts.secret_cookie(#name, key);
                    }
                },
                _ => quote! {
                    if let Some(key) = &self.credentials.#f {
                        parts.secret_header(#name, key.expose())?;
                    }
                },
            },
        };
        quote!(Scheme::#v => { #action })
    });
    // With tag features, a build may compile no operation that needs credentials.
    let allow = gated.then(|| quote!(#[allow(dead_code)]));
    quote! {
        #allow
        fn has_credentials(&self, scheme: Scheme) -> bool {
            match scheme {
                #(#has)*
            }
        }

        /// Applies the first of the accepted credential sets that is configured; with
        /// none configured the request goes out without credentials.
        #allow
        fn authorize<E>(&self, parts: &mut runtime::Parts, accepted: &[&[Scheme]]) -> Result<(), Error<E>> {
            let chosen = accepted
                .iter()
                .find(|set| !set.is_empty() && set.iter().all(|s| self.has_credentials(*s)));
            for scheme in chosen.map(|set| set.iter()).into_iter().flatten() {
                match scheme {
                    #(#apply)*
                }
            }
            Ok(())
        }
    }
}

/// Path parameters by value when they are small copies, by reference otherwise.
fn path_arg_type(ty: &TypeRef) -> TokenStream {
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

fn success_type(op: &Operation) -> TokenStream {
    match &op.success.shape {
        ResponseShape::Single(body) => body_type(body),
        ResponseShape::Enum { name, .. } => {
            let id = ident(name);
            quote!(#id)
        }
    }
}

/// The documented error body type, when there is one (`Error<E>`'s `E`).
fn error_param(op: &Operation) -> Option<TokenStream> {
    match &op.errors.shape {
        ResponseShape::Single(ResponseBody::Json(t)) => Some(type_tokens(t, Scope::Sibling)),
        ResponseShape::Single(_) => None,
        ResponseShape::Enum { name, .. } => {
            let id = ident(name);
            Some(quote!(#id))
        }
    }
}

fn body_type(body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Empty => quote!(()),
        ResponseBody::Json(t) => type_tokens(t, Scope::Sibling),
        ResponseBody::Text => quote!(String),
        ResponseBody::Binary => quote!(Vec<u8>),
    }
}

fn decode_body(body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Empty => quote!(()),
        ResponseBody::Json(_) => quote!(runtime::json(body)?),
        ResponseBody::Text => quote!(runtime::text(body)?),
        ResponseBody::Binary => quote!(body.to_vec()),
    }
}

/// Match patterns on `status.as_u16()`, most specific first.
fn status_pattern(status: StatusMatch) -> TokenStream {
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

fn ordered(set: &ResponseSet, variants: &[String]) -> Vec<(Response, String)> {
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

fn success_decoder(op: &Operation) -> TokenStream {
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

fn error_decoder(op: &Operation) -> TokenStream {
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

/// The enums and the params struct an operation needs beside its method.
pub fn operation_types(op: &Operation) -> TokenStream {
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
        let doc = lines_to_attrs(&[format!("Parameters of [`Client::{}`].", op.method_name)]);
        out.extend(quote! {
            #cfg
            #doc
            #[derive(Debug, Clone, PartialEq, #default)]
            pub struct #id {
                #(#fields)*
            }
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
                let doc = lines_to_attrs(&super::docs::spec_lines(&format!(
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

fn status_text(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => format!("HTTP {c}"),
        StatusMatch::Range(r) => format!("HTTP {r}xx"),
        StatusMatch::Default => "Any other status".to_string(),
    }
}

fn location_word(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

fn query_style(style: ParamStyle) -> TokenStream {
    match style {
        ParamStyle::SpaceDelimited => quote!(runtime::QueryStyle::SpaceDelimited),
        ParamStyle::PipeDelimited => quote!(runtime::QueryStyle::PipeDelimited),
        ParamStyle::DeepObject => quote!(runtime::QueryStyle::DeepObject),
        _ => quote!(runtime::QueryStyle::Form),
    }
}

pub fn operation_method(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.method_name);
    let mut doc_lines = super::docs::doc_lines(&op.docs);
    if !doc_lines.is_empty() {
        doc_lines.push(String::new());
    }
    doc_lines.push(format!("`{} {}`", op.http_method, op.path));
    let docs = lines_to_attrs(&doc_lines);
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
                    .map(scheme_variant);
                quote!(&[#(Scheme::#schemes),*])
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
        #deprecated
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

/// `*_stream`: the items of every page, through a [`Paginator`] whose fetch closure
/// turns each page request into a call of the operation's own method.
fn stream_method(op: &Operation, pagination: &Pagination) -> TokenStream {
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
                    owned.push(quote!(let #arg = #arg.clone();));
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
fn option_depth(ty: &TypeRef) -> usize {
    match ty {
        TypeRef::Option(inner) => 1 + option_depth(inner),
        _ => 0,
    }
}

fn strip_option(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Option(inner) => strip_option(inner),
        other => other,
    }
}

/// `page` walked by reference to an `Option<&leaf>`: plain field access while the
/// fields are required, `Option` combinators from the first optional one.
fn borrowed_path(steps: &[FieldStep]) -> TokenStream {
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
fn read_path(
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
fn moved_path(steps: &[FieldStep]) -> (TokenStream, bool) {
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

/// Builds a `multipart/form-data` body field by field: files as file parts, the rest
/// as text parts.
fn multipart_body(parts: &[MultipartPart], stream_flag: Option<bool>) -> TokenStream {
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
fn accept_type(success: &ResponseSet) -> Option<&'static str> {
    success
        .responses
        .iter()
        .any(|r| matches!(r.body, ResponseBody::Json(_)))
        .then_some("application/json")
}
