//! Credentials: what the user gave for each security scheme, and how a scheme puts its
//! credential on a request. The generated client names its schemes (one
//! [`Scheme`] constant and one `ClientBuilder` method each) and says which sets of
//! schemes each operation accepts; applying them is done here.

// Which schemes and placements a client uses depends on its spec.
#![allow(dead_code)]

use std::fmt;

use reqwest::header::{HeaderName, HeaderValue};

use super::client_core::Client;
use super::credential_source::{defer, CredentialSource, SharedSource};
use super::error::Error;
use super::runtime::{sensitive_header, Parts};

/// A secret (token, password, key) that never shows in `Debug` output.
#[derive(Clone)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// A security scheme of the spec: its name in the client and where its credential goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scheme {
    /// The scheme's builder method, which also keys its credential.
    pub name: &'static str,
    pub placement: Placement,
}

/// Where a scheme sends its credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placement {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// HTTP basic authentication.
    Basic,
    /// An API key in this header.
    Header(&'static str),
    /// An API key in this query parameter.
    Query(&'static str),
    /// An API key in this cookie.
    Cookie(&'static str),
}

/// One configured credential; `Debug` shows no secret.
#[derive(Clone, Debug)]
pub(crate) enum Credential {
    /// A token or API key.
    Secret(Secret),
    /// A user name and password.
    Basic(String, Secret),
    /// Fetched before each attempt (see `credential_source.rs`).
    Source(SharedSource),
}

impl Credential {
    /// A token or API key.
    pub(crate) fn secret(value: impl Into<String>) -> Self {
        Credential::Secret(Secret::new(value))
    }

    /// A user name and password.
    pub(crate) fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        Credential::Basic(username.into(), Secret::new(password))
    }

    /// A credential fetched before each attempt.
    pub(crate) fn source(source: impl CredentialSource) -> Self {
        Credential::Source(SharedSource(std::sync::Arc::new(source)))
    }
}

/// The credentials configured on a client, by scheme; `Debug` shows which schemes have
/// one, and user names, never a secret.
#[derive(Clone, Default)]
pub(crate) struct Credentials(Vec<Entry>);

/// One scheme's credential, with the header it sends when it goes in a header.
#[derive(Clone)]
struct Entry {
    scheme: Scheme,
    credential: Credential,
    /// The header of a token or key sent in a header, made once when it is set (not on
    /// every call), or why it cannot be sent, which each call reports.
    header: Option<Result<(HeaderName, HeaderValue), String>>,
}

impl Entry {
    fn new(scheme: Scheme, credential: Credential) -> Self {
        let header = match (scheme.placement, &credential) {
            (Placement::Bearer, Credential::Secret(token)) => {
                Some(sensitive_header("authorization", &format!("Bearer {}", token.expose())))
            }
            (Placement::Header(name), Credential::Secret(key)) => Some(sensitive_header(name, key.expose())),
            _ => None,
        };
        Entry {
            scheme,
            credential,
            header,
        }
    }

    /// Puts the credential where its scheme says.
    fn put<E>(&self, parts: &mut Parts) -> Result<(), Error<E>> {
        match (&self.header, self.scheme.placement, &self.credential) {
            (Some(Ok((name, value))), _, _) => parts.header_value(name.clone(), value.clone()),
            (Some(Err(message)), _, _) => return Err(Error::InvalidRequest(message.clone())),
            (None, Placement::Basic, Credential::Basic(user, password)) => parts.basic_auth(user, password),
            (None, Placement::Query(name), Credential::Secret(key)) => parts.secret_query(name, key),
            (None, Placement::Cookie(name), Credential::Secret(key)) => parts.secret_cookie(name, key),
            (None, placement, Credential::Source(source)) => {
                let deferred = defer(placement, source);
                if !deferred {
                    return Err(Error::InvalidRequest(
                        "internal error: a credential source outside a call".to_string(),
                    ));
                }
            }
            // The builder method of a scheme sets the one kind its placement takes.
            _ => {}
        }
        Ok(())
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|entry| (entry.scheme.name, &entry.credential)))
            .finish()
    }
}

impl Credentials {
    /// Sets the credential of `scheme`, replacing one set before.
    pub(crate) fn set(&mut self, scheme: &Scheme, credential: Credential) {
        let entry = Entry::new(*scheme, credential);
        match self.0.iter_mut().find(|e| e.scheme.name == scheme.name) {
            Some(slot) => *slot = entry,
            None => self.0.push(entry),
        }
    }

    fn get(&self, scheme: &Scheme) -> Option<&Entry> {
        self.0.iter().find(|e| e.scheme.name == scheme.name)
    }

    /// Applies the first of the accepted sets of schemes whose credentials are all
    /// configured; with none, the request goes out without credentials.
    pub(crate) fn apply<E>(&self, parts: &mut Parts, accepted: &[&[Scheme]]) -> Result<(), Error<E>> {
        let chosen = accepted
            .iter()
            .find(|set| !set.is_empty() && set.iter().all(|s| self.get(s).is_some()));
        for scheme in chosen.map(|set| set.iter()).into_iter().flatten() {
            if let Some(entry) = self.get(scheme) {
                entry.put(parts)?;
            }
        }
        Ok(())
    }

    /// Applies every configured credential: for an endpoint the spec does not describe,
    /// whose schemes are not known.
    pub(crate) fn apply_all<E>(&self, parts: &mut Parts) -> Result<(), Error<E>> {
        for entry in &self.0 {
            entry.put(parts)?;
        }
        Ok(())
    }
}

impl Client {
    /// Applies the first accepted set of credentials that is configured (see
    /// [`Credentials::apply`]).
    pub(crate) fn authorize<E>(&self, parts: &mut Parts, accepted: &[&[Scheme]]) -> Result<(), Error<E>> {
        self.credentials.apply(parts, accepted)
    }
}
