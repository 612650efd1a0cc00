//! Security schemes.

use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityScheme};

use super::naming::{field_name, Namespace};
use super::{AuthKind, AuthScheme, ParamLocation};
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
            auth.push(AuthScheme {
                key: key.clone(),
                rust_name: names.claim(&field_name(key)),
                kind,
                description: description.clone(),
            });
        }
    }
    auth
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
