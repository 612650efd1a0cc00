//! The builder methods of a scheme beyond its fixed credential: a credential source
//! (any scheme but basic authentication), and for an `oauth2` scheme the flows the
//! runtime's `OAuth2` runs (client credentials, refresh token) with the token URL and
//! scopes of the spec.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::docs::{lines_to_attrs, own_lines_to_attrs};
use super::super::tokens::ident;
use crate::model::{AuthScheme, OAuthFlow};

/// Where doc links of `client.rs` reach the crate's exports (`CredentialSource`,
/// `OAuth2`): its parent, the crate root (or the module a crate includes it in).
const ROOT: &str = "super";

/// The extra builder methods of `s` (none for basic authentication); `scheme` is its
/// constant in `mod schemes`.
pub(super) fn source_methods(s: &AuthScheme, scheme: &proc_macro2::Ident) -> TokenStream {
    let base = s.rust_name.trim_start_matches("r#");
    let source = s.source_method.as_ref().map(|method| {
        let name = ident(method);
        let docs = lines_to_attrs(&[format!(
            "A credential for the `{}` scheme that the client fetches itself before each attempt \
             (an OAuth 2.0 token, a key from a vault, a cloud identity), sent where \
             [`{base}`](ClientBuilder::{base}) sends a fixed one. See [`CredentialSource`]({ROOT}::CredentialSource); \
             [`OAuth2`]({ROOT}::OAuth2) is one.",
            s.key
        )]);
        let example = own_lines_to_attrs(&source_example(method));
        quote! {
            #docs
            #example
            pub fn #name(mut self, source: impl super::credential_source::CredentialSource) -> Self {
                self.credentials.set(&schemes::#scheme, auth::Credential::source(source));
                self
            }
        }
    });
    let client_credentials = s.oauth.client_credentials.as_ref().map(|flow| {
        let name = ident(&flow.method);
        let mut lines = vec![format!(
            "Tokens for the `{}` scheme from the OAuth 2.0 client-credentials flow of the spec, \
             fetched, cached and refreshed by the client (see [`OAuth2`]({ROOT}::OAuth2)).",
            s.key
        )];
        lines.extend(flow_lines(flow, s));
        let docs = lines_to_attrs(&lines);
        let example = own_lines_to_attrs(&flow_example(
            &flow.method,
            "\"my-client-id\", \"my-client-secret\"",
        ));
        let (url, scopes) = (&flow.token_url, &flow.scopes);
        let scopes = (!scopes.is_empty()).then(|| quote!(.scopes([#(#scopes),*])));
        quote! {
            #docs
            #example
            pub fn #name(mut self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
                let source = super::oauth::OAuth2::client_credentials(#url, client_id, client_secret) #scopes;
                self.credentials.set(&schemes::#scheme, auth::Credential::source(source));
                self
            }
        }
    });
    let refresh_token = s.oauth.refresh_token.as_ref().map(|flow| {
        let name = ident(&flow.method);
        let mut lines = vec![format!(
            "Tokens for the `{}` scheme from a refresh token the user obtained before (the \
             OAuth 2.0 flow of the spec), fetched, cached and refreshed by the client, for a \
             public client (no secret; a confidential client passes \
             `OAuth2::refresh_token(…).client_secret(…)` to the source method). See [`OAuth2`]({ROOT}::OAuth2).",
            s.key
        )];
        lines.extend(flow_lines(flow, s));
        let docs = lines_to_attrs(&lines);
        let example = own_lines_to_attrs(&flow_example(
            &flow.method,
            "\"my-client-id\", \"my-refresh-token\"",
        ));
        let url = &flow.token_url;
        quote! {
            #docs
            #example
            pub fn #name(mut self, client_id: impl Into<String>, refresh_token: impl Into<String>) -> Self {
                let source = super::oauth::OAuth2::refresh_token(#url, client_id, refresh_token);
                self.credentials.set(&schemes::#scheme, auth::Credential::source(source));
                self
            }
        }
    });
    quote!(#source #client_credentials #refresh_token)
}

/// The token URL and scopes of a flow, and how to change what the method sets.
fn flow_lines(flow: &OAuthFlow, s: &AuthScheme) -> Vec<String> {
    let mut lines = vec![String::new(), format!("Token URL: `{}`.", flow.token_url)];
    if !flow.scopes.is_empty() {
        let scopes: Vec<String> = flow.scopes.iter().map(|s| format!("`{s}`")).collect();
        lines.push(format!(
            "Scopes asked for (those the spec's operations require): {}.",
            scopes.join(", ")
        ));
    }
    if let Some(source) = &s.source_method {
        lines.push(String::new());
        lines.push(format!(
            "For other scopes, a refresh margin or another HTTP client, pass an \
             [`OAuth2`]({ROOT}::OAuth2) to [`{source}`](ClientBuilder::{source}) instead."
        ));
    }
    lines
}

/// A doc example that configures a client with `method(args)`.
fn flow_example(method: &str, args: &str) -> Vec<String> {
    vec![
        String::new(),
        "```no_run".to_string(),
        "# fn example() -> Result<(), __crate__::Error> {".to_string(),
        "let client = __crate__::Client::builder()".to_string(),
        format!("    .{method}({args})"),
        "    .build()?;".to_string(),
        "# let _ = client;".to_string(),
        "# Ok(())".to_string(),
        "# }".to_string(),
        "```".to_string(),
    ]
}

/// A doc example of a credential source: a token from a vault, fetched before each
/// attempt.
fn source_example(method: &str) -> Vec<String> {
    [
        "",
        "```no_run",
        "use __crate__::{BoxError, CredentialFuture, CredentialSource};",
        "",
        "/// A token that another part of the program keeps fresh (a vault lease, a",
        "/// cloud identity).",
        "struct Vault(std::sync::Arc<std::sync::RwLock<String>>);",
        "",
        "impl CredentialSource for Vault {",
        "    fn credential(&self) -> CredentialFuture<'_> {",
        "        Box::pin(async move {",
        "            let token = self.0.read().map_err(|_| \"the vault lock is poisoned\")?;",
        "            Ok::<_, BoxError>(token.clone())",
        "        })",
        "    }",
        "}",
        "",
        "# fn example(vault: Vault) -> Result<(), __crate__::Error> {",
        "let client = __crate__::Client::builder()",
        "    .METHOD(vault)",
        "    .build()?;",
        "# let _ = client;",
        "# Ok(())",
        "# }",
        "```",
    ]
    .iter()
    .map(|l| l.replace("METHOD", method))
    .collect()
}
