//! Typed mocks for the tests of code that calls this client (cargo feature `mock`, off
//! by default): a [`MockServer`] on 127.0.0.1 that hands out the real [`Client`]
//! pointed at itself, and one typed expectation builder per operation, a [`Mock`].
//!
//! See [`MockServer`] for an example.
//!
//! Every request goes to the expectation it matches (method, path template, and every
//! matcher given); when several match, the one with the most matchers wins, then the
//! first made. An expectation answers its calls with its answers in the order given, the
//! last one again for every further call. A request that matches nothing is answered
//! `404` with an explanation and reported, with the closest expectation and why it
//! differs, by [`MockServer::verify`] and when the server is dropped.
//!
//! The server runs on a thread of its own with its own Tokio runtime, so it works under
//! any test runtime (`#[tokio::test]` of either flavour) and outside one.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::{self, Debug, Write as _};
use std::marker::PhantomData;
use std::net::SocketAddr;
use std::ops::{Bound, RangeBounds};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::client_core::{Client, ClientBuilder};

/// A mock of the API on a loopback port, for tests. Start it, make expectations with
/// its operation methods, and call it through [`client`](Self::client) or a client of
/// your own from [`builder`](Self::builder).
///
/// When it is dropped (at the end of a test), it panics if an expectation was called a
/// number of times other than its [`expect`](Mock::expect) said, or if a request
/// matched no expectation; [`verify`](Self::verify) checks the same earlier.
///
/// ```no_run
/// use __crate__::mock::MockServer;
///
/// let mock = MockServer::start();
/// // Each operation of the client has a method here, with typed matchers and answers:
/// // mock.some_operation().some_param("value").responds(answer).expect(1);
/// let client = mock.client(); // the real client: encoding, auth, retries, hooks
/// # let _ = client;
/// // Dropping `mock` checks every `expect`, and that no request went unmatched.
/// ```
pub struct MockServer {
    url: String,
    state: Arc<Mutex<State>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer").field("url", &self.url).finish()
    }
}

/// What the server knows: the expectations and the requests that matched none.
#[derive(Default)]
struct State {
    expectations: Vec<Expectation>,
    unmatched: Vec<Unmatched>,
}

struct Expectation {
    operation: &'static str,
    method: &'static str,
    template: &'static str,
    matchers: Vec<Matcher>,
    answers: Vec<Answer>,
    /// The wait given by [`Mock::delay`], for the answers added after it.
    delay: Duration,
    calls: usize,
    expected: Option<(Bound<usize>, Bound<usize>)>,
}

/// One condition on a request: which part it looks at, for the report, and the test.
struct Matcher {
    part: &'static str,
    description: String,
    test: Test,
}

/// A matcher's test of a request and the path parameters it captured.
type Test = Box<dyn Fn(&Request, &Captures) -> bool + Send>;

/// The path parameters a template captured, still percent-encoded.
type Captures = BTreeMap<String, String>;

/// A request as the server read it.
#[derive(Debug, Clone)]
struct Request {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Bytes,
}

struct Unmatched {
    request: Request,
    closest: Option<String>,
}

/// One answer of an expectation.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Option<Bytes>,
    delay: Duration,
}

impl Answer {
    /// A status with no body.
    pub(crate) fn status(status: u16) -> Self {
        Answer {
            status,
            headers: Vec::new(),
            body: Some(Bytes::new()),
            delay: Duration::ZERO,
        }
    }

    /// A status and a body of this content type.
    pub(crate) fn bytes(status: u16, content_type: &str, body: impl Into<Bytes>) -> Self {
        Answer {
            headers: vec![("content-type".into(), content_type.into())],
            body: Some(body.into()),
            ..Answer::status(status)
        }
    }

    /// A status and a value as its JSON body.
    pub(crate) fn json<T: Serialize + ?Sized>(status: u16, value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Answer::bytes(status, "application/json", body),
            Err(e) => panic!("the mock's answer does not serialise as JSON: {e}"),
        }
    }

    /// A status and a text body.
    pub(crate) fn text(status: u16, body: impl Into<String>) -> Self {
        Answer::bytes(status, "text/plain; charset=utf-8", body.into())
    }

    /// No answer at all: the connection is closed with a reset (TCP RST).
    fn reset() -> Self {
        Answer {
            body: None,
            ..Answer::status(0)
        }
    }

    /// Server-sent events, one per item, each item's JSON as its data.
    pub(crate) fn events<T: Serialize>(items: impl IntoIterator<Item = T>) -> Self {
        let mut body = String::new();
        for item in items {
            match serde_json::to_string(&item) {
                Ok(data) => {
                    let _ = write!(body, "data: {data}\n\n");
                }
                Err(e) => panic!("the mock's event does not serialise as JSON: {e}"),
            }
        }
        Answer::bytes(200, "text/event-stream", body)
    }
}

/// How a paginated operation's pages name the next one, for [`Mock::pages`]: fields by
/// their wire names, from the page's body.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PageRule {
    pub(crate) style: PageLink,
    /// The page body's path to its items (empty: the body is the array).
    pub(crate) items: &'static [&'static str],
    /// The path to the next cursor or URL.
    pub(crate) next: &'static [&'static str],
    /// Whether the cursor is a string (else a number).
    pub(crate) next_is_string: bool,
    /// The path to a boolean "there are more pages".
    pub(crate) has_more: &'static [&'static str],
}

/// How the client finds the next page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageLink {
    Cursor,
    Offset,
    Number,
    BodyUrl,
    LinkHeader,
}

/// How many times an expectation must be called, for [`Mock::expect`]: a number, or a
/// range (`1..`, `..=3`, `2..5`).
#[derive(Debug, Clone, Copy)]
pub struct Times(Bound<usize>, Bound<usize>);

impl From<usize> for Times {
    fn from(n: usize) -> Self {
        Times(Bound::Included(n), Bound::Included(n))
    }
}

macro_rules! times_from_range {
    ($($range:ty),*) => {$(
        impl From<$range> for Times {
            fn from(range: $range) -> Self {
                Times(range.start_bound().cloned(), range.end_bound().cloned())
            }
        }
    )*};
}
times_from_range!(
    std::ops::Range<usize>,
    std::ops::RangeFrom<usize>,
    std::ops::RangeInclusive<usize>,
    std::ops::RangeTo<usize>,
    std::ops::RangeToInclusive<usize>
);

impl MockServer {
    /// Starts a server on a free port of 127.0.0.1.
    ///
    /// # Panics
    /// If no port or thread can be had, which leaves the test nothing to do.
    pub fn start() -> MockServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .unwrap_or_else(|e| panic!("the mock server cannot listen on 127.0.0.1: {e}"));
        let address = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("the mock server has no address: {e}"));
        let state = Arc::new(Mutex::new(State::default()));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let shared = state.clone();
        let thread = std::thread::Builder::new()
            .name(format!("mock-server-{}", address.port()))
            .spawn(move || serve(listener, shared, stopped))
            .unwrap_or_else(|e| panic!("the mock server's thread cannot start: {e}"));
        MockServer {
            url: format!("http://{address}"),
            state,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// The server's base URL (`http://127.0.0.1:port`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A client builder for this server, with every default: add credentials, a retry
    /// policy, hooks, ... as for the real API.
    pub fn builder(&self) -> ClientBuilder {
        ClientBuilder::for_base_url(&self.url)
    }

    /// A client for this server, with every default (the same retry policy as for the
    /// real API, so retried answers are waited for as there).
    ///
    /// # Panics
    /// If the HTTP client cannot be built (no TLS provider), which a test cannot go on
    /// without.
    pub fn client(&self) -> Client {
        self.builder()
            .build()
            .unwrap_or_else(|e| panic!("the client for the mock server cannot be built: {e}"))
    }

    /// Checks now what dropping the server checks: every [`expect`](Mock::expect) held
    /// and every request matched an expectation.
    ///
    /// # Panics
    /// With a message listing every failed expectation and every request that matched
    /// nothing, with the closest expectation and why it differs.
    pub fn verify(&self) {
        if let Some(report) = self.report() {
            panic!("{report}");
        }
    }

    /// How many requests matched no expectation so far.
    pub fn unmatched_requests(&self) -> usize {
        lock(&self.state).unmatched.len()
    }

    /// The failures, as a message; `None` when all is well.
    fn report(&self) -> Option<String> {
        let state = lock(&self.state);
        let mut out = String::new();
        for e in &state.expectations {
            if let Some((lo, hi)) = e.expected {
                if !(lo, hi).contains(&e.calls) {
                    let _ = writeln!(
                        out,
                        "- {} expected to be called {}, called {} time(s): {}",
                        e.operation,
                        describe_times(lo, hi),
                        e.calls,
                        e.describe()
                    );
                }
            }
        }
        for u in &state.unmatched {
            let _ = writeln!(out, "- a request matched no expectation: {}", u.request);
            match &u.closest {
                Some(closest) => {
                    let _ = writeln!(out, "  closest: {closest}");
                }
                None => {
                    let _ = writeln!(out, "  (no expectation was made)");
                }
            }
        }
        (!out.is_empty()).then(|| format!("the mock server's expectations failed:\n{out}"))
    }

    /// A new expectation for one operation; the generated operation methods call it.
    pub(crate) fn operation<O>(
        &self,
        operation: &'static str,
        method: &'static str,
        template: &'static str,
    ) -> Mock<O> {
        let mut state = lock(&self.state);
        state.expectations.push(Expectation {
            operation,
            method,
            template,
            matchers: Vec::new(),
            answers: Vec::new(),
            delay: Duration::ZERO,
            calls: 0,
            expected: None,
        });
        Mock {
            state: self.state.clone(),
            index: state.expectations.len() - 1,
            operation: PhantomData,
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        if !std::thread::panicking() {
            self.verify();
        }
    }
}

fn describe_times(lo: Bound<usize>, hi: Bound<usize>) -> String {
    match (lo, hi) {
        (Bound::Included(a), Bound::Included(b)) if a == b => format!("{a} time(s)"),
        (lo, hi) => {
            let lo = match lo {
                Bound::Included(a) => format!("at least {a}"),
                Bound::Excluded(a) => format!("more than {a}"),
                Bound::Unbounded => String::new(),
            };
            let hi = match hi {
                Bound::Included(b) => format!("at most {b}"),
                Bound::Excluded(b) => format!("fewer than {b}"),
                Bound::Unbounded => String::new(),
            };
            match (lo.is_empty(), hi.is_empty()) {
                (false, false) => format!("{lo} and {hi} times"),
                (false, true) => format!("{lo} time(s)"),
                (true, false) => format!("{hi} time(s)"),
                (true, true) => "any number of times".into(),
            }
        }
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // A panic while the lock was held (a predicate of the test's own) leaves the state
    // as it was: keep going, so the report can still be given.
    state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)?;
        for (i, (k, v)) in self.query.iter().enumerate() {
            write!(f, "{}{k}={v}", if i == 0 { '?' } else { '&' })?;
        }
        if !self.body.is_empty() {
            let body = String::from_utf8_lossy(&self.body);
            let mut shown: String = body.chars().take(200).collect();
            if shown.len() < body.len() {
                shown.push('…');
            }
            write!(f, " with body {shown}")?;
        }
        Ok(())
    }
}

impl Expectation {
    fn describe(&self) -> String {
        let mut out = format!("{} {}", self.method, self.template);
        for m in &self.matchers {
            let _ = write!(out, ", {} {}", m.part, m.description);
        }
        out
    }

    /// Why the request is not for this expectation: empty when it matches.
    fn differences(&self, request: &Request) -> (usize, Vec<String>) {
        let mut why = Vec::new();
        let mut score = 0;
        if !request.method.eq_ignore_ascii_case(self.method) {
            score += 100;
            why.push(format!("method: {} is not {}", request.method, self.method));
        }
        let Some(captures) = match_template(self.template, &request.path) else {
            score += 1000;
            why.push(format!("path: {} is not {}", request.path, self.template));
            return (score, why);
        };
        for m in &self.matchers {
            if !(m.test)(request, &captures) {
                score += 1;
                why.push(format!("{}: not {}", m.part, m.description));
            }
        }
        (score, why)
    }
}

/// The parameters of `template` (`/pets/{id}`) in `path`, or `None` if it does not fit.
/// A parameter takes one or more characters other than `/`.
fn match_template(template: &str, path: &str) -> Option<Captures> {
    #[derive(Debug)]
    enum Piece<'a> {
        Text(&'a str),
        Param(&'a str),
    }
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map(|c| open + c)?;
        if open > 0 {
            pieces.push(Piece::Text(&rest[..open]));
        }
        pieces.push(Piece::Param(&rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest));
    }
    fn go(pieces: &[Piece<'_>], path: &str, out: &mut Captures) -> bool {
        match pieces.split_first() {
            None => path.is_empty() || path == "/",
            Some((Piece::Text(t), rest)) => path.strip_prefix(t).is_some_and(|p| go(rest, p, out)),
            Some((Piece::Param(name), rest)) => {
                let limit = path.find('/').unwrap_or(path.len());
                // Longest first, so `{name}.json` leaves `.json` to the text after it.
                for end in (1..=limit).rev() {
                    if !path.is_char_boundary(end) {
                        continue;
                    }
                    if go(rest, &path[end..], out) {
                        out.insert(name.to_string(), path[..end].to_string());
                        return true;
                    }
                }
                false
            }
        }
    }
    let mut captures = Captures::new();
    go(&pieces, path, &mut captures).then_some(captures)
}

/// Percent-decoding, as the client encodes (`+` stays `+` in paths).
fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// A wire value (or the values of a repeated parameter) read as the typed value: a
/// string, or, for numbers, booleans and lists, its JSON reading; lists also from
/// comma-separated text.
fn read_typed<T: DeserializeOwned>(values: &[String]) -> Option<T> {
    fn scalar(text: &str) -> serde_json::Value {
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => v,
            _ => serde_json::Value::String(text.to_string()),
        }
    }
    if let [one] = values {
        if let Ok(v) = serde_json::from_value(serde_json::Value::String(one.clone())) {
            return Some(v);
        }
        if let Ok(v) = serde_json::from_value(scalar(one)) {
            return Some(v);
        }
        let split: Vec<serde_json::Value> = one.split(',').map(scalar).collect();
        return serde_json::from_value(serde_json::Value::Array(split)).ok();
    }
    let all: Vec<serde_json::Value> = values.iter().map(|v| scalar(v)).collect();
    serde_json::from_value(serde_json::Value::Array(all)).ok()
}

/// The typed builder of one expectation for operation `O`, made by the operation's
/// method on [`MockServer`]. Every method adds to the expectation as it is called
/// (nothing to mount): matchers narrow which requests it takes, answers are given to
/// its calls in order (the last one repeats).
pub struct Mock<O> {
    state: Arc<Mutex<State>>,
    index: usize,
    operation: PhantomData<fn() -> O>,
}

impl<O> Debug for Mock<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        match state.expectations.get(self.index) {
            Some(e) => write!(f, "Mock({})", e.describe()),
            None => f.write_str("Mock"),
        }
    }
}

impl<O> Mock<O> {
    fn edit(&self, change: impl FnOnce(&mut Expectation)) {
        let mut state = lock(&self.state);
        if let Some(e) = state.expectations.get_mut(self.index) {
            change(e);
        }
    }

    fn matcher(
        self,
        part: &'static str,
        description: String,
        test: impl Fn(&Request, &Captures) -> bool + Send + 'static,
    ) -> Self {
        self.edit(|e| {
            e.matchers.push(Matcher {
                part,
                description,
                test: Box::new(test),
            })
        });
        self
    }

    /// Adds an answer, after the ones before it.
    pub(crate) fn answer(self, mut answer: Answer) -> Self {
        self.edit(|e| {
            answer.delay += e.delay;
            e.answers.push(answer);
        });
        self
    }

    /// How many times this expectation must be called by the end of the test (checked
    /// by [`MockServer::verify`] and when the server is dropped): `1`, `0`, `2..`,
    /// `..=3`, ...
    pub fn expect(self, times: impl Into<Times>) -> Self {
        let Times(lo, hi) = times.into();
        self.edit(|e| e.expected = Some((lo, hi)));
        self
    }

    /// How many requests this expectation has answered so far.
    pub fn calls(&self) -> usize {
        let state = lock(&self.state);
        state.expectations.get(self.index).map_or(0, |e| e.calls)
    }

    /// The answers given after this wait `wait` before answering (to test timeouts).
    pub fn delay(self, wait: Duration) -> Self {
        self.edit(|e| e.delay = wait);
        self
    }

    /// An answer with this status and no body: `503` to test retries, or an error the
    /// spec does not document.
    pub fn responds_status(self, status: u16) -> Self {
        self.answer(Answer::status(status))
    }

    /// An answer with this status, content type and body as given.
    pub fn responds_raw(self, status: u16, content_type: &str, body: impl Into<Bytes>) -> Self {
        self.answer(Answer::bytes(status, content_type, body))
    }

    /// An answer with a header added to the last answer given (`Retry-After`, say).
    pub fn with_header(self, name: &str, value: &str) -> Self {
        let header = (name.to_ascii_lowercase(), value.to_string());
        self.edit(|e| {
            if let Some(last) = e.answers.last_mut() {
                last.headers.push(header);
            }
        });
        self
    }

    /// No answer: the connection is reset (TCP RST) once the request is read, as a
    /// crashed server or a dropped connection does.
    pub fn resets_connection(self) -> Self {
        self.answer(Answer::reset())
    }

    /// Matches a path parameter, as its typed value.
    pub(crate) fn match_path<T>(self, name: &'static str, expected: T) -> Self
    where
        T: DeserializeOwned + PartialEq + Debug + Send + 'static,
    {
        let description = format!("`{name}` = {expected:?}");
        self.matcher("path parameter", description, move |_, captures| {
            captures
                .get(name)
                .and_then(|raw| read_typed::<T>(&[decode(raw)]))
                .is_some_and(|v| v == expected)
        })
    }

    /// Matches a path parameter with a predicate on its typed value.
    pub(crate) fn match_path_with<T: DeserializeOwned>(
        self,
        name: &'static str,
        test: impl Fn(&T) -> bool + Send + 'static,
    ) -> Self {
        let description = format!("`{name}` matching the predicate");
        self.matcher("path parameter", description, move |_, captures| {
            captures
                .get(name)
                .and_then(|raw| read_typed::<T>(&[decode(raw)]))
                .is_some_and(|v| test(&v))
        })
    }

    /// Matches a query parameter, as its typed value.
    pub(crate) fn match_query<T>(self, name: &'static str, expected: T) -> Self
    where
        T: DeserializeOwned + PartialEq + Debug + Send + 'static,
    {
        let description = format!("`{name}` = {expected:?}");
        self.matcher("query parameter", description, move |request, _| {
            query_values(request, name)
                .and_then(|values| read_typed::<T>(&values))
                .is_some_and(|v| v == expected)
        })
    }

    /// Matches a query parameter with a predicate on its typed value.
    pub(crate) fn match_query_with<T: DeserializeOwned>(
        self,
        name: &'static str,
        test: impl Fn(&T) -> bool + Send + 'static,
    ) -> Self {
        let description = format!("`{name}` matching the predicate");
        self.matcher("query parameter", description, move |request, _| {
            query_values(request, name)
                .and_then(|values| read_typed::<T>(&values))
                .is_some_and(|v| test(&v))
        })
    }

    /// Matches a header, as its typed value.
    pub(crate) fn match_header<T>(self, name: &'static str, expected: T) -> Self
    where
        T: DeserializeOwned + PartialEq + Debug + Send + 'static,
    {
        let description = format!("`{name}` = {expected:?}");
        self.matcher("header", description, move |request, _| {
            header_values(request, name)
                .and_then(|values| read_typed::<T>(&values))
                .is_some_and(|v| v == expected)
        })
    }

    /// Matches a header with a predicate on its typed value.
    pub(crate) fn match_header_with<T: DeserializeOwned>(
        self,
        name: &'static str,
        test: impl Fn(&T) -> bool + Send + 'static,
    ) -> Self {
        let description = format!("`{name}` matching the predicate");
        self.matcher("header", description, move |request, _| {
            header_values(request, name)
                .and_then(|values| read_typed::<T>(&values))
                .is_some_and(|v| test(&v))
        })
    }

    /// Matches a JSON body equal to this value (compared as JSON, so field order and
    /// absent-versus-default do not matter beyond what serialisation gives).
    pub(crate) fn match_body<T: Serialize + Debug>(self, expected: &T) -> Self {
        let value = serde_json::to_value(expected)
            .unwrap_or_else(|e| panic!("the expected body does not serialise as JSON: {e}"));
        let description = format!("body = {value}");
        self.matcher("body", description, move |request, _| {
            serde_json::from_slice::<serde_json::Value>(&request.body).is_ok_and(|b| b == value)
        })
    }

    /// Matches a JSON body with a predicate on its typed value.
    pub(crate) fn match_body_with<T: DeserializeOwned>(self, test: impl Fn(&T) -> bool + Send + 'static) -> Self {
        self.matcher("body", "matching the predicate".into(), move |request, _| {
            serde_json::from_slice::<T>(&request.body).is_ok_and(|b| test(&b))
        })
    }

    /// Matches a text body.
    pub(crate) fn match_text_body(self, expected: String) -> Self {
        let description = format!("body = {expected:?}");
        self.matcher("body", description, move |request, _| {
            request.body == expected.as_bytes()
        })
    }

    /// Matches a JSON body whose `field` is this boolean (the `stream` flag that
    /// chooses between a JSON answer and events).
    pub(crate) fn match_body_flag(self, field: &'static str, value: bool) -> Self {
        let description = format!("`{field}` = {value}");
        self.matcher("body", description, move |request, _| {
            serde_json::from_slice::<serde_json::Value>(&request.body)
                .is_ok_and(|b| b.get(field) == Some(&serde_json::Value::Bool(value)))
        })
    }

    /// Answers with pages, one per call, each made to name the next as the client reads
    /// it (`rule`): cursors `2`, `3`, ... (or `page-2`, ...) where a page has none, the
    /// next URL in the body or a `Link` header, `has_more` set; for offsets and page
    /// numbers an empty page after the last, which ends the list.
    pub(crate) fn answer_pages<T: Serialize>(
        mut self,
        status: u16,
        rule: PageRule,
        pages: impl IntoIterator<Item = T>,
    ) -> Self {
        let mut pages: Vec<serde_json::Value> = pages
            .into_iter()
            .map(|p| serde_json::to_value(&p).unwrap_or_else(|e| panic!("the mock's page does not serialise: {e}")))
            .collect();
        if matches!(rule.style, PageLink::Offset | PageLink::Number) {
            if let Some(last) = pages.last() {
                let mut empty = last.clone();
                if let Some(items) = at(&mut empty, rule.items) {
                    *items = serde_json::Value::Array(Vec::new());
                }
                pages.push(empty);
            }
        }
        let count = pages.len();
        for (i, mut page) in pages.into_iter().enumerate() {
            let last = i + 1 == count;
            let mut link = None;
            let next_url = format!("?mock_page={}", i + 2);
            match rule.style {
                PageLink::Cursor if !last => {
                    let cursor = if rule.next_is_string {
                        serde_json::Value::String(format!("page-{}", i + 2))
                    } else {
                        serde_json::Value::from(i + 2)
                    };
                    fill(&mut page, rule.next, cursor);
                }
                PageLink::BodyUrl if !last => {
                    fill(&mut page, rule.next, serde_json::Value::String(next_url));
                }
                PageLink::LinkHeader if !last => {
                    link = Some(format!("<{next_url}>; rel=\"next\""));
                }
                _ => {}
            }
            if !rule.has_more.is_empty() {
                if let Some(more) = at(&mut page, rule.has_more) {
                    *more = serde_json::Value::Bool(!last);
                }
            }
            let mut answer = Answer::json(status, &page);
            if let Some(link) = link {
                answer.headers.push(("link".into(), link));
            }
            self = self.answer(answer);
        }
        self
    }
}

/// The value at a path of object fields, made if absent (`None` if a step is not an
/// object).
fn at<'a>(value: &'a mut serde_json::Value, path: &[&str]) -> Option<&'a mut serde_json::Value> {
    let mut here = value;
    for step in path {
        if here.is_null() {
            *here = serde_json::Value::Object(Default::default());
        }
        here = here
            .as_object_mut()?
            .entry(step.to_string())
            .or_insert(serde_json::Value::Null);
    }
    Some(here)
}

/// Sets the value at `path` unless the page has one already.
fn fill(page: &mut serde_json::Value, path: &[&str], value: serde_json::Value) {
    if path.is_empty() {
        return;
    }
    if let Some(slot) = at(page, path) {
        if slot.is_null() || slot.as_str() == Some("") {
            *slot = value;
        }
    }
}

fn query_values(request: &Request, name: &str) -> Option<Vec<String>> {
    let values: Vec<String> = request
        .query
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect();
    (!values.is_empty()).then_some(values)
}

fn header_values(request: &Request, name: &str) -> Option<Vec<String>> {
    let values: Vec<String> = request
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
        .collect();
    (!values.is_empty()).then_some(values)
}

/// What the server does with a request: the answer of the expectation it matches (and
/// its call counted), or the 404 of an unmatched one (and the request recorded).
fn route(state: &Mutex<State>, request: Request) -> Answer {
    let mut state = lock(state);
    let mut best: Option<(usize, usize)> = None; // (index, matchers)
    let mut closest: Option<(usize, usize, Vec<String>)> = None; // (score, index, why)
    for (i, e) in state.expectations.iter().enumerate() {
        let (score, why) = e.differences(&request);
        if score == 0 {
            let better = match best {
                Some((_, n)) => e.matchers.len() > n,
                None => true,
            };
            if better {
                best = Some((i, e.matchers.len()));
            }
        } else {
            let closer = match &closest {
                Some((s, _, _)) => score < *s,
                None => true,
            };
            if closer {
                closest = Some((score, i, why));
            }
        }
    }
    if let Some((i, _)) = best {
        let e = &mut state.expectations[i];
        let answer = e.answers.get(e.calls).or(e.answers.last()).cloned().unwrap_or_else(|| {
            Answer::text(
                500,
                format!(
                    "the mock expectation for {} has no answer: give it one (responds, fails, ...)",
                    e.operation
                ),
            )
        });
        e.calls += 1;
        return answer;
    }
    let closest = closest.map(|(_, i, why)| {
        let e = &state.expectations[i];
        format!("{} ({})", e.describe(), why.join("; "))
    });
    let message = format!(
        "no mock expectation matches {request}{}",
        closest.as_ref().map(|c| format!("\nclosest: {c}")).unwrap_or_default()
    );
    state.unmatched.push(Unmatched { request, closest });
    Answer::text(404, message)
}

/// The server's thread: accepts connections until told to stop.
fn serve(listener: std::net::TcpListener, state: Arc<Mutex<State>>, stopped: tokio::sync::oneshot::Receiver<()>) {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => panic!("the mock server's runtime cannot start: {e}"),
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::from_std(listener) {
            Ok(listener) => listener,
            Err(e) => panic!("the mock server cannot listen: {e}"),
        };
        tokio::spawn(async move {
            while let Ok((stream, peer)) = listener.accept().await {
                tokio::spawn(connection(stream, peer, state.clone()));
            }
        });
        let _ = stopped.await;
    });
}

/// Serves one connection (HTTP/1.1, keep-alive) until the client closes it or an answer
/// resets it.
async fn connection(stream: tokio::net::TcpStream, _peer: SocketAddr, state: Arc<Mutex<State>>) {
    let _ = stream.set_nodelay(true);
    // A handle on the same socket, to set a zero linger time before a reset.
    let socket = match stream.into_std().and_then(|s| Ok((s.try_clone()?, s))) {
        Ok((twin, s)) => match tokio::net::TcpStream::from_std(s) {
            Ok(stream) => (Arc::new(twin), stream),
            Err(_) => return,
        },
        Err(_) => return,
    };
    let (twin, stream) = socket;
    let service = hyper::service::service_fn(move |request| {
        let state = state.clone();
        let twin = twin.clone();
        async move {
            let request = read(request).await;
            let answer = route(&state, request);
            if !answer.delay.is_zero() {
                tokio::time::sleep(answer.delay).await;
            }
            let Some(body) = answer.body else {
                let _ = socket2::SockRef::from(&*twin).set_linger(Some(Duration::ZERO));
                return Err(Reset);
            };
            let mut response = hyper::Response::new(Full::new(body));
            *response.status_mut() = hyper::StatusCode::from_u16(answer.status).unwrap_or(hyper::StatusCode::OK);
            for (name, value) in answer.headers {
                if let (Ok(name), Ok(value)) = (
                    hyper::header::HeaderName::from_bytes(name.as_bytes()),
                    hyper::header::HeaderValue::from_str(&value),
                ) {
                    response.headers_mut().append(name, value);
                }
            }
            Ok::<_, Reset>(response)
        }
    });
    let io = hyper_util::rt::TokioIo::new(stream);
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(io, service)
        .await;
}

/// The error that makes hyper drop a connection unanswered (closed with a reset, its
/// linger time being zero).
#[derive(Debug)]
struct Reset;

impl fmt::Display for Reset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection reset by the mock")
    }
}

impl std::error::Error for Reset {}

/// Reads a request whole.
async fn read(request: hyper::Request<hyper::body::Incoming>) -> Request {
    let (head, body) = request.into_parts();
    let body = body.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    let query = head
        .uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    let headers = head
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    Request {
        method: head.method.as_str().to_string(),
        path: head.uri.path().to_string(),
        query,
        headers,
        body,
    }
}
