//! Unit tests of `auth.rs`: which accepted set of schemes a request gets, where each
//! credential goes, and that no secret shows in `Debug` output.

use super::http;
use crate::auth::{Credential, Credentials, Placement, Scheme, Secret};
use crate::error::Error;
use crate::runtime::Parts;

const BEARER: Scheme = Scheme {
    name: "bearer_auth",
    placement: Placement::Bearer,
};
const BASIC: Scheme = Scheme {
    name: "basic_auth",
    placement: Placement::Basic,
};
const HEADER_KEY: Scheme = Scheme {
    name: "header_key",
    placement: Placement::Header("x-api-key"),
};
const QUERY_KEY: Scheme = Scheme {
    name: "query_key",
    placement: Placement::Query("api_key"),
};
const COOKIE_KEY: Scheme = Scheme {
    name: "cookie_key",
    placement: Placement::Cookie("session"),
};

/// What the request carries after `credentials` are applied for `accepted`:
/// `(authorization, x-api-key, query, cookie)`.
fn applied(
    credentials: &Credentials,
    accepted: &[&[Scheme]],
) -> (Option<String>, Option<String>, Option<String>, Option<String>) {
    let mut parts = Parts::default();
    let result: Result<(), Error> = credentials.apply(&mut parts, accepted);
    result.expect("the credentials apply");
    let client = http().build().expect("client");
    let request = parts
        .apply(client.get("http://127.0.0.1/x"))
        .build()
        .expect("the request builds");
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .map(|v| v.to_str().expect("text").to_string())
    };
    (
        header("authorization"),
        header("x-api-key"),
        request.url().query().map(str::to_string),
        header("cookie"),
    )
}

fn configured(entries: &[(&Scheme, Credential)]) -> Credentials {
    let mut credentials = Credentials::default();
    for (scheme, credential) in entries {
        credentials.set(scheme, credential.clone());
    }
    credentials
}

#[test]
fn each_placement_puts_its_credential_where_it_goes() {
    let all = configured(&[
        (&BEARER, Credential::secret("tok")),
        (&BASIC, Credential::basic("al", "pw")),
        (&HEADER_KEY, Credential::secret("hk")),
        (&QUERY_KEY, Credential::secret("q k")),
        (&COOKIE_KEY, Credential::secret("c;k")),
    ]);
    assert_eq!(
        applied(&all, &[&[BEARER]]),
        (Some("Bearer tok".into()), None, None, None)
    );
    assert_eq!(
        applied(&all, &[&[BASIC]]),
        (Some("Basic YWw6cHc=".into()), None, None, None)
    );
    assert_eq!(applied(&all, &[&[HEADER_KEY]]), (None, Some("hk".into()), None, None));
    assert_eq!(
        applied(&all, &[&[QUERY_KEY]]),
        (None, None, Some("api_key=q+k".into()), None)
    );
    assert_eq!(
        applied(&all, &[&[COOKIE_KEY]]),
        (None, None, None, Some("session=c%3Bk".into()))
    );
    assert_eq!(
        applied(&all, &[&[HEADER_KEY, QUERY_KEY, COOKIE_KEY]]),
        (
            None,
            Some("hk".into()),
            Some("api_key=q+k".into()),
            Some("session=c%3Bk".into())
        ),
        "a set of several schemes applies them all"
    );
}

#[test]
fn the_first_accepted_set_whose_credentials_are_all_configured_wins() {
    let some = configured(&[
        (&HEADER_KEY, Credential::secret("hk")),
        (&BASIC, Credential::basic("al", "pw")),
    ]);
    // The bearer set lacks its token; the pair lacks its query key; the header key is next.
    let accepted: &[&[Scheme]] = &[&[BEARER], &[HEADER_KEY, QUERY_KEY], &[HEADER_KEY], &[BASIC]];
    assert_eq!(applied(&some, accepted), (None, Some("hk".into()), None, None));
    let accepted: &[&[Scheme]] = &[&[BASIC], &[HEADER_KEY]];
    assert_eq!(
        applied(&some, accepted),
        (Some("Basic YWw6cHc=".into()), None, None, None),
        "order decides"
    );
    let accepted: &[&[Scheme]] = &[&[BEARER], &[QUERY_KEY]];
    assert_eq!(
        applied(&some, accepted),
        (None, None, None, None),
        "no set configured: no credentials"
    );
}

#[test]
fn an_empty_set_is_not_chosen_and_no_sets_send_nothing() {
    let some = configured(&[(&BEARER, Credential::secret("tok"))]);
    // `security: [{}, {bearer: []}]`: optional auth; the configured token is still sent.
    let accepted: &[&[Scheme]] = &[&[], &[BEARER]];
    assert_eq!(applied(&some, accepted), (Some("Bearer tok".into()), None, None, None));
    assert_eq!(
        applied(&some, &[]),
        (None, None, None, None),
        "an operation without security"
    );
    assert_eq!(
        applied(&Credentials::default(), &[&[BEARER]]),
        (None, None, None, None),
        "nothing configured"
    );
}

#[test]
fn setting_a_scheme_again_replaces_its_credential() {
    let mut credentials = Credentials::default();
    credentials.set(&BEARER, Credential::secret("old"));
    credentials.set(&BEARER, Credential::secret("new"));
    assert_eq!(applied(&credentials, &[&[BEARER]]).0.as_deref(), Some("Bearer new"));
    let debug = format!("{credentials:?}");
    assert_eq!(debug.matches("bearer_auth").count(), 1, "one entry: {debug}");
}

#[test]
fn a_credential_of_the_wrong_kind_is_not_sent() {
    // Builder methods never do this; if one did, nothing half-formed goes out.
    let wrong = configured(&[
        (&BEARER, Credential::basic("al", "pw")),
        (&BASIC, Credential::secret("tok")),
    ]);
    assert_eq!(applied(&wrong, &[&[BEARER, BASIC]]), (None, None, None, None));
}

#[test]
fn a_bearer_token_that_cannot_be_a_header_is_an_error() {
    let bad = configured(&[(&BEARER, Credential::secret("tok\nen"))]);
    let result: Result<(), Error> = bad.apply(&mut Parts::default(), &[&[BEARER]]);
    match result {
        Err(Error::InvalidRequest(message)) => {
            assert!(!message.contains("tok"), "the message shows the token: {message}")
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

#[test]
fn debug_output_shows_scheme_names_and_no_secret() {
    let all = configured(&[
        (&BEARER, Credential::secret("tok-secret")),
        (&BASIC, Credential::basic("al", "pw-secret")),
        (&QUERY_KEY, Credential::secret("key-secret")),
    ]);
    let debug = format!("{all:?} {:?} {:#?}", Secret::new("raw-secret"), all);
    for secret in ["tok-secret", "pw-secret", "key-secret", "raw-secret"] {
        assert!(!debug.contains(secret), "Debug shows {secret}: {debug}");
    }
    for name in ["bearer_auth", "basic_auth", "query_key"] {
        assert!(debug.contains(name), "Debug names {name}: {debug}");
    }
}
