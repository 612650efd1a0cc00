//! Security schemes.

use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityScheme};

use super::naming::{field_name, Namespace};
use super::{AuthKind, AuthScheme, OAuthFlow, OAuthFlows, ParamLocation};
use crate::diagnostics::{pointer_push, Warning};

pub fn build(api: &OpenAPI, warnings: &mut Vec<Warning>) -> Vec<AuthScheme> {
    let mut auth = Vec::new();
    let mut names = Namespace::new();
    // A scheme's builder method never takes a name `ClientBuilder` has already: it is
    // numbered instead (`timeout` becomes `timeout_2`).
    for taken in crate::embedded::reserved_builder_methods() {
        names.reserve(taken);
    }
    if let Some(components) = &api.components {
        for (key, scheme) in &components.security_schemes {
            let at = pointer_push("/components/securitySchemes", key);
            let ReferenceOr::Item(scheme) = scheme else {
                warnings.push(Warning::new(
                    at,
                    "unsupported-ref",
                    "a referenced security scheme is not supported; skipped",
                ));
                continue;
            };
            let (kind, description) = match scheme {
                SecurityScheme::HTTP {
                    scheme,
                    description,
                    ..
                } => match scheme.to_ascii_lowercase().as_str() {
                    "bearer" => (AuthKind::Bearer, description),
                    "basic" => (AuthKind::Basic, description),
                    other => {
                        warnings.push(Warning::new(at, "unsupported-auth", format!("HTTP auth scheme `{other}` is not supported; set the header yourself")));
                        continue;
                    }
                },
                SecurityScheme::APIKey {
                    location,
                    name,
                    description,
                    ..
                } => (
                    AuthKind::ApiKey {
                        location: match location {
                            APIKeyLocation::Query => ParamLocation::Query,
                            APIKeyLocation::Header => ParamLocation::Header,
                            APIKeyLocation::Cookie => ParamLocation::Cookie,
                        },
                        name: name.clone(),
                    },
                    description,
                ),
                // The client takes the access token; obtaining it is the caller's business.
                SecurityScheme::OAuth2 { description, .. }
                | SecurityScheme::OpenIDConnect { description, .. } => {
                    (AuthKind::Bearer, description)
                }
            };
            let rust_name = names.claim(&field_name(key));
            let base = rust_name.trim_start_matches("r#").to_string();
            let source_method =
                (kind != AuthKind::Basic).then(|| names.claim(&format!("{base}_source")));
            let oauth = match scheme {
                SecurityScheme::OAuth2 { flows, .. } => {
                    oauth_flows(flows, &required_scopes(api, key), &base, &mut names)
                }
                _ => OAuthFlows::default(),
            };
            auth.push(AuthScheme {
                key: key.clone(),
                rust_name,
                kind,
                description: description.clone(),
                source_method,
                oauth,
            });
        }
    }
    auth
}

/// The scopes the spec's security requirements (global and per operation) ask of
/// scheme `key`, in order of first appearance: what a token for every operation needs.
fn required_scopes(api: &OpenAPI, key: &str) -> Vec<String> {
    let operations = api
        .paths
        .iter()
        .filter_map(|(_, item)| item.as_item())
        .flat_map(|item| item.iter().map(|(_, op)| op));
    let requirements = api
        .security
        .iter()
        .flatten()
        .chain(operations.filter_map(|op| op.security.as_ref()).flatten());
    let mut scopes: Vec<String> = Vec::new();
    for scope in requirements.filter_map(|r| r.get(key)).flatten() {
        if !scopes.contains(scope) {
            scopes.push(scope.clone());
        }
    }
    scopes
}

/// The flows of an `oauth2` scheme the client runs itself, with their builder
/// methods; the client-credentials flow asks for the `required` scopes (those the flow
/// lists). A token URL that is not absolute (3.1 allows one relative to the server) is
/// left out: the user can still pass an `OAuth2` to the scheme's source method.
fn oauth_flows(
    flows: &openapiv3::OAuth2Flows,
    required: &[String],
    base: &str,
    names: &mut Namespace,
) -> OAuthFlows {
    let absolute = |url: &str| url.starts_with("https://") || url.starts_with("http://");
    let scopes = |map: &indexmap::IndexMap<String, String>| {
        required
            .iter()
            .filter(|s| map.contains_key(*s))
            .cloned()
            .collect::<Vec<_>>()
    };
    let client_credentials = flows
        .client_credentials
        .as_ref()
        .filter(|f| absolute(&f.token_url))
        .map(|f| OAuthFlow {
            token_url: f.token_url.clone(),
            scopes: scopes(&f.scopes),
            method: names.claim(&format!("{base}_client_credentials")),
        });
    let code = flows
        .authorization_code
        .as_ref()
        .map(|f| (f.refresh_url.as_ref().unwrap_or(&f.token_url), &f.scopes));
    let password = flows
        .password
        .as_ref()
        .map(|f| (f.refresh_url.as_ref().unwrap_or(&f.token_url), &f.scopes));
    let refresh_token = code
        .into_iter()
        .chain(password)
        .find(|(url, _)| absolute(url))
        // A refresh asks for no scope: it keeps the grant's (RFC 6749 §6).
        .map(|(url, _)| OAuthFlow {
            token_url: url.clone(),
            scopes: Vec::new(),
            method: names.claim(&format!("{base}_refresh_token")),
        });
    OAuthFlows {
        client_credentials,
        refresh_token,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn scheme_methods_never_take_builder_methods() {
        let mut schemes = String::new();
        for key in [
            "base_url",
            "timeout",
            "user_agent",
            "build",
            "Timeout",
            "bearer",
        ] {
            schemes.push_str(&format!("    {key}: {{type: http, scheme: bearer}}\n"));
        }
        let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  securitySchemes:\n{schemes}");
        let doc = crate::load::load_str(std::path::Path::new("t.yaml"), &text).expect("loads");
        let api = crate::model::build(&doc);
        let names: Vec<&str> = api.auth.iter().map(|a| a.rust_name.as_str()).collect();
        assert_eq!(
            names,
            [
                "base_url_2",
                "timeout_2",
                "user_agent_2",
                "build_2",
                "timeout_3",
                "bearer"
            ]
        );
    }
}
