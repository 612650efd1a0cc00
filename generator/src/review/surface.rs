//! Auth schemes (the `ClientBuilder` credential methods), the default server and the
//! crate's cargo features.

use std::collections::BTreeMap;

use super::changes::{Area, Changes, Class, Where};
use super::pointer_push;
use crate::model::{Api, AuthKind, AuthScheme};

pub(super) fn compare(old: &Api, new: &Api, out: &mut Changes) {
    auth(old, new, out);
    let (os, ns) = (old.servers.first(), new.servers.first());
    if os.map(|s| &s.url) != ns.map(|s| &s.url) {
        let url = |s: Option<&crate::model::Server>| {
            s.map(|s| format!("`{}`", s.url))
                .unwrap_or_else(|| "none".to_string())
        };
        out.push(
            Class::WireOnly,
            Area::Servers,
            "default-server-changed",
            "ClientBuilder::base_url",
            format!("default base URL is {} (was {})", url(ns), url(os)),
            &Where {
                old: os.map(|_| "/servers/0"),
                new: ns.map(|_| "/servers/0"),
            },
        );
    }
    for f in &old.features {
        if !new.features.contains(f) {
            out.push(
                Class::Breaking,
                Area::Features,
                "feature-removed",
                format!("feature `{f}`"),
                "removed: manifests that enable it no longer resolve",
                &Where {
                    old: Some("/tags"),
                    new: None,
                },
            );
        }
    }
    for f in &new.features {
        if !old.features.contains(f) {
            out.push(
                Class::NonBreaking,
                Area::Features,
                "feature-added",
                format!("feature `{f}`"),
                "new feature (on by default)",
                &Where {
                    old: None,
                    new: Some("/tags"),
                },
            );
        }
    }
}

fn auth(old: &Api, new: &Api, out: &mut Changes) {
    let by_key = |api: &Api| -> BTreeMap<String, AuthScheme> {
        api.auth
            .iter()
            .map(|a| (a.key.clone(), a.clone()))
            .collect()
    };
    let (oa, na) = (by_key(old), by_key(new));
    let ptr = |key: &str| pointer_push("/components/securitySchemes", key);
    for (key, a) in &oa {
        let op = ptr(key);
        match na.get(key) {
            None => out.push(
                Class::Breaking,
                Area::Auth,
                "auth-removed",
                format!("ClientBuilder::{}", a.rust_name),
                format!("security scheme `{key}` removed with its builder method"),
                &Where {
                    old: Some(&op),
                    new: None,
                },
            ),
            Some(b) => {
                let at = Where {
                    old: Some(&op),
                    new: Some(&op),
                };
                let basic = |k: &AuthKind| matches!(k, AuthKind::Basic);
                if a.rust_name != b.rust_name || basic(&a.kind) != basic(&b.kind) {
                    out.push(
                        Class::Breaking,
                        Area::Auth,
                        "auth-method-changed",
                        format!("ClientBuilder::{}", a.rust_name),
                        format!(
                            "credentials now set with `ClientBuilder::{}` ({})",
                            b.rust_name,
                            kind(&b.kind)
                        ),
                        &at,
                    );
                } else if a.kind != b.kind {
                    out.push(
                        Class::WireOnly,
                        Area::Auth,
                        "auth-kind-changed",
                        format!("ClientBuilder::{}", b.rust_name),
                        format!(
                            "credential sent as {} (was {})",
                            kind(&b.kind),
                            kind(&a.kind)
                        ),
                        &at,
                    );
                }
            }
        }
    }
    for (key, b) in &na {
        if !oa.contains_key(key) {
            out.push(
                Class::NonBreaking,
                Area::Auth,
                "auth-added",
                format!("ClientBuilder::{}", b.rust_name),
                format!("new security scheme `{key}` ({})", kind(&b.kind)),
                &Where {
                    old: None,
                    new: Some(&ptr(key)),
                },
            );
        }
    }
}

fn kind(k: &AuthKind) -> String {
    match k {
        AuthKind::Bearer => "a bearer token".to_string(),
        AuthKind::Basic => "HTTP basic".to_string(),
        AuthKind::ApiKey { location, name } => {
            let place = format!("{location:?}").to_lowercase();
            format!("an API key in {place} `{name}`")
        }
    }
}
