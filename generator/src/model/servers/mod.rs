//! The spec's servers: a named variant each, and a typed field per URL variable (an enum
//! where the spec lists the values, a string otherwise). The loader has already given
//! every variable a default and declared every variable the URL uses (see
//! `load::lenient::servers`).

use std::collections::HashMap;

use openapiv3::OpenAPI;

use super::naming::{field_name, type_name, Namespace};
use super::{Server, ServerUrlPart, ServerValues, ServerVariable};
use crate::diagnostics::{pointer_push, Warning};

/// Words that name no server on their own: `api.example.com` is `Example`.
const GENERIC_LABELS: [&str; 2] = ["api", "www"];

/// Longest description (in words) that names its server: "EU production" does, a
/// sentence does not.
const MAX_NAME_WORDS: usize = 3;

pub fn build(api: &OpenAPI, warnings: &mut Vec<Warning>) -> Vec<Server> {
    let mut variants = Namespace::new();
    // `Server` is the enum itself; the value enums sit beside it.
    let mut types = Namespace::new();
    types.reserve("Server");
    let mut enums: HashMap<String, (Vec<String>, String)> = HashMap::new();
    let mut servers = Vec::new();
    for (index, s) in api.servers.iter().enumerate() {
        let at = pointer_push("/servers", &index.to_string());
        let parts = template(&s.url, &pointer_push(&at, "url"), warnings);
        let rust_name = variant_name(s.description.as_deref(), &parts, &mut variants);
        let mut fields = Namespace::new();
        let mut variables = Vec::new();
        let mut url = String::new();
        let mut authority = AuthorityTracker::default();
        let mut resolved = Vec::new();
        for part in &parts {
            match part {
                Part::Literal(text) => {
                    authority.literal(text);
                    url.push_str(text);
                    resolved.push(ServerUrlPart::Literal(text.clone()));
                }
                Part::Variable(name) => {
                    let declared = s.variables.as_ref().and_then(|v| v.get(name));
                    let default = declared.map(|v| v.default.clone()).unwrap_or_default();
                    url.push_str(&default);
                    let i = match variables
                        .iter()
                        .position(|v: &ServerVariable| &v.wire_name == name)
                    {
                        Some(i) => i,
                        None => {
                            let values = declared.filter(|v| !v.enumeration.is_empty()).map(|v| {
                                value_enum(
                                    name,
                                    &rust_name,
                                    &v.enumeration,
                                    &v.default,
                                    &mut types,
                                    &mut enums,
                                )
                            });
                            variables.push(ServerVariable {
                                wire_name: name.clone(),
                                rust_name: fields.claim(&field_name(name)),
                                default,
                                description: declared.and_then(|v| v.description.clone()),
                                in_authority: authority.in_authority(),
                                values,
                            });
                            variables.len() - 1
                        }
                    };
                    resolved.push(ServerUrlPart::Variable(i));
                }
            }
        }
        servers.push(Server {
            url,
            description: s.description.clone(),
            rust_name,
            parts: resolved,
            variables,
        });
    }
    servers
}

/// A piece of a URL template as written.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    Literal(String),
    Variable(String),
}

/// Splits `url` at its `{name}` placeholders. A brace that opens or closes no
/// placeholder is percent-encoded (with a warning), so no URL the client builds holds one.
fn template(url: &str, at: &str, warnings: &mut Vec<Warning>) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut stray = false;
    let mut rest = url;
    while let Some(c) = rest.chars().next() {
        let placeholder = (c == '{')
            .then(|| {
                rest[1..]
                    .find(['{', '}'])
                    .filter(|&end| rest[1 + end..].starts_with('}'))
            })
            .flatten()
            .filter(|&end| end > 0);
        if let Some(end) = placeholder {
            if !literal.is_empty() {
                parts.push(Part::Literal(std::mem::take(&mut literal)));
            }
            parts.push(Part::Variable(rest[1..1 + end].to_string()));
            rest = &rest[end + 2..];
            continue;
        }
        match c {
            '{' => {
                stray = true;
                literal.push_str("%7B");
            }
            '}' => {
                stray = true;
                literal.push_str("%7D");
            }
            c => literal.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    if !literal.is_empty() {
        parts.push(Part::Literal(literal));
    }
    if stray {
        warnings.push(Warning::new(
            at,
            "invalid-server",
            "a `{` or `}` of the server URL opens or closes no variable; it is percent-encoded",
        ));
    }
    parts
}

/// Follows a URL template, literal by literal, to tell whether the next variable sits in
/// the authority (host and port), or in the scheme or the path.
#[derive(Default)]
struct AuthorityTracker {
    seen: String,
}

impl AuthorityTracker {
    fn literal(&mut self, text: &str) {
        self.seen.push_str(text);
    }

    fn in_authority(&self) -> bool {
        match self.seen.find("://") {
            Some(start) => !self.seen[start + 3..].contains('/'),
            // Before `://`: the scheme. A URL without one is a path.
            None => false,
        }
    }
}

/// The variant name of a server: its description when that is a short name
/// ("Production", "EU sandbox"; a trailing "server" dropped), else its host without the
/// top-level domain and the generic labels; a name another server has gets its path,
/// then its scheme, then a number.
fn variant_name(description: Option<&str>, parts: &[Part], taken: &mut Namespace) -> String {
    if let Some(name) = description.and_then(description_name) {
        return taken.claim(&name);
    }
    let literal: String = parts
        .iter()
        .map(|p| match p {
            Part::Literal(text) => text.as_str(),
            // A variable names nothing: `{region}.api.example.com` is `Example`.
            Part::Variable(_) => "{}",
        })
        .collect();
    let (scheme, rest) = literal.split_once("://").unwrap_or(("", &literal));
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = host.split(':').next().unwrap_or_default();
    let mut labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    let numeric = labels.iter().all(|l| l.chars().all(|c| c.is_ascii_digit()));
    if numeric {
        labels.clear();
    } else if labels.len() > 1 {
        labels.pop();
    }
    labels.retain(|l| !l.contains("{}"));
    if labels.len() > 1 {
        labels.retain(|l| !GENERIC_LABELS.contains(&l.to_ascii_lowercase().as_str()));
    }
    let path_words: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && !s.contains("{}"))
        .collect();
    let host_name = type_name(&labels.join(" "), "");
    let path_name = type_name(&path_words.join(" "), "");
    // `https` is the rule: only another scheme tells servers apart.
    let scheme_name = if scheme.contains("{}") || scheme.eq_ignore_ascii_case("https") {
        String::new()
    } else {
        type_name(scheme, "")
    };
    let base = if host_name.is_empty() {
        if path_name.is_empty() {
            "Server".to_string()
        } else {
            path_name.clone()
        }
    } else {
        host_name.clone()
    };
    let candidates = [
        base.clone(),
        format!(
            "{base}{}",
            if host_name.is_empty() {
                ""
            } else {
                path_name.as_str()
            }
        ),
        format!(
            "{base}{}{scheme_name}",
            if host_name.is_empty() {
                ""
            } else {
                path_name.as_str()
            }
        ),
    ];
    for candidate in candidates {
        if !taken.is_taken(&candidate) {
            return taken.claim(&candidate);
        }
    }
    taken.claim(&base)
}

/// A description that reads as a name: at most three words of letters, digits, `-`
/// and `_`. "Production server" gives `Production`.
fn description_name(description: &str) -> Option<String> {
    let text = description.trim().trim_end_matches('.');
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty()
        || words.len() > MAX_NAME_WORDS
        || !text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c.is_whitespace() || c == '-' || c == '_')
    {
        return None;
    }
    let kept = match words.split_last() {
        Some((last, rest)) if !rest.is_empty() && last.eq_ignore_ascii_case("server") => rest,
        _ => &words[..],
    };
    let name = type_name(&kept.join(" "), "");
    (!name.is_empty()).then_some(name)
}

/// The enum of a variable's listed values, named after the variable (`Region`), or after
/// its server and the variable when another variable of that name lists other values.
fn value_enum(
    variable: &str,
    server: &str,
    values: &[String],
    default: &str,
    types: &mut Namespace,
    known: &mut HashMap<String, (Vec<String>, String)>,
) -> ServerValues {
    let wanted = type_name(variable, "Value");
    let same = |name: &str, known: &HashMap<String, (Vec<String>, String)>| {
        known
            .get(name)
            .is_some_and(|(v, d)| v.as_slice() == values && d == default)
    };
    let type_name_ = if same(&wanted, known) {
        wanted
    } else {
        let prefixed = format!("{server}{wanted}");
        if same(&prefixed, known) {
            prefixed
        } else {
            let name = if types.is_taken(&wanted) {
                types.claim(&prefixed)
            } else {
                types.claim(&wanted)
            };
            known.insert(name.clone(), (values.to_vec(), default.to_string()));
            name
        }
    };
    let mut names = Namespace::new();
    let variants: Vec<(String, String)> = values
        .iter()
        .map(|v| (names.claim(&type_name(v, "Value")), v.clone()))
        .collect();
    let default = variants
        .iter()
        .find(|(_, v)| v == default)
        .or(variants.first())
        .map(|(n, _)| n.clone())
        .unwrap_or_default();
    ServerValues {
        type_name: type_name_,
        wire_name: variable.to_string(),
        variants,
        default,
    }
}

#[cfg(test)]
mod tests;
