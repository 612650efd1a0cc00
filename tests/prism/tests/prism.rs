//! The generated clients against Prism, an independent mock server that validates every
//! request against the spec (`--errors` turns a validation failure into an error answer)
//! and answers with example or random schema-valid responses (`--dynamic`).
//!
//! A failure prints the operation, the request (its arguments) and the response body,
//! plus the end of Prism's log, which says what it received and why it objected.

use std::fmt::Debug;
use std::future::IntoFuture;

use prism_tests::prism::{corpus_spec, repo_root, Mode, Prism};

/// Panics with everything needed to diagnose a failed call from CI's log alone.
fn expect_ok<T, E: Debug>(
    prism: &Prism,
    operation: &str,
    request: &dyn Debug,
    result: Result<T, E>,
) -> T {
    match result {
        Ok(value) => value,
        Err(e) => panic!(
            "operation `{operation}` failed\nrequest: {request:#?}\nerror (status and body): {e:?}\n--- Prism log (last 40 lines) ---\n{}",
            prism.log_tail(40)
        ),
    }
}

// ---------------------------------------------------------------- the default spec

mod txcloud_identity {
    use super::*;
    use txcloud::{types::Verification, Client, Error};

    fn spec() -> std::path::PathBuf {
        repo_root().join("spec/txcloud-identity.yaml")
    }

    fn client(prism: &Prism, token: Option<&str>) -> Client {
        let builder = Client::builder().base_url(&prism.base_url);
        let builder = match token {
            Some(t) => builder.bearer_auth(t),
            None => builder,
        };
        builder.build().expect("client builds")
    }

    #[tokio::test]
    async fn with_a_token_the_call_succeeds_and_decodes() {
        let prism = Prism::start(&spec(), Mode::Static);
        let client = client(&prism, Some("sk_test_token"));
        let v = expect_ok(
            &prism,
            "complete_session",
            &"ses_123",
            client.complete_session("ses_123").await,
        );
        // Static mode answers with the spec's examples.
        assert_eq!(v.id, "ver_a1b2c3d4e5f6");
        assert_eq!(v.risk_score, Some(500));
    }

    #[tokio::test]
    async fn without_a_token_prisms_401_surfaces_with_status_and_body() {
        let prism = Prism::start(&spec(), Mode::Static);
        let err = client(&prism, None)
            .complete_session("ses_123")
            .await
            .expect_err("401");
        let Error::Status(answer) = &err else {
            panic!("expected a status error, got {err:?}")
        };
        assert_eq!(answer.status.as_u16(), 401, "{err}");
        let body: serde_json::Value =
            serde_json::from_slice(&answer.body).expect("Prism answers problem+json");
        assert_eq!(body["status"], 401, "{body}");
        assert!(err.to_string().contains("401"), "{err}");
    }

    #[tokio::test]
    async fn hostile_ids_pass_validation_as_one_path_segment() {
        let prism = Prism::start(&spec(), Mode::Static);
        let client = client(&prism, Some("sk_test_token"));
        let ids = [
            "ses_123",
            "../admin",
            "a/b?c#d",
            "%2F",
            "with space",
            "Ōsaka-東京",
            "a;b=c&d+e",
            "...",
            "~tilde",
        ];
        for id in ids {
            expect_ok(
                &prism,
                "complete_session",
                &id,
                client.complete_session(id).await,
            );
        }
        let log = prism.log_text();
        assert_eq!(
            log.matches("The request passed the validation rules")
                .count(),
            ids.len(),
            "{log}"
        );
    }

    /// JSON equality where numbers compare by value (`123` equals `123.0`: the spec's
    /// `number` fields are `f64`) and RFC 3339 date-times by instant and offset (`Z`
    /// equals `+00:00`; a fraction written with more digits is the same time).
    fn same_json(a: &serde_json::Value, b: &serde_json::Value) -> bool {
        use serde_json::Value::*;
        match (a, b) {
            (Number(x), Number(y)) => x.as_f64() == y.as_f64(),
            (String(x), String(y)) => {
                x == y
                    || matches!(
                        (chrono::DateTime::parse_from_rfc3339(x), chrono::DateTime::parse_from_rfc3339(y)),
                        (Ok(p), Ok(q)) if p == q && p.offset() == q.offset()
                    )
            }
            (Array(x), Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_json(p, q))
            }
            (Object(x), Object(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
            }
            _ => a == b,
        }
    }

    #[tokio::test]
    async fn five_hundred_dynamic_responses_decode_and_reencode_unchanged() {
        let prism = Prism::start(&spec(), Mode::Dynamic);
        let client = client(&prism, Some("sk_test_token"));
        // A plain reqwest 0.13 client with only the client's features (no TLS provider
        // of its own) needs one installed, as the README says.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let raw = reqwest::Client::new();
        let url = format!("{}/identity/sessions/ses_123/complete", prism.base_url);
        let mut decoded = 0;
        for _ in 0..500 {
            // Through the client: the response must decode.
            expect_ok(
                &prism,
                "complete_session",
                &"ses_123",
                client.complete_session("ses_123").await,
            );
            // The same kind of response taken raw: decode, re-encode, compare.
            let body = raw
                .post(&url)
                .bearer_auth("sk_test_token")
                .send()
                .await
                .expect("Prism answers")
                .bytes()
                .await
                .expect("body");
            let received: serde_json::Value =
                serde_json::from_slice(&body).expect("Prism sends JSON");
            let typed: Verification = serde_json::from_slice(&body).unwrap_or_else(|e| {
                panic!(
                    "does not decode: {e}\nbody: {}",
                    String::from_utf8_lossy(&body)
                )
            });
            let reencoded = serde_json::to_value(&typed).expect("encodes");
            assert!(
                same_json(&received, &reencoded),
                "re-encoding changed the document\nreceived:  {received}\nreencoded: {reencoded}"
            );
            decoded += 2;
        }
        println!(
            "txcloud-identity: {decoded} dynamic responses decoded (500 re-encoded and compared)"
        );
        assert_eq!(decoded, 1000);
    }
}

// ---------------------------------------------------------------- the corpus specs

/// One pass over a spec's operations against one Prism: every call is made `times`
/// times and must succeed; the counts end up in a summary line.
struct Run<'p> {
    prism: &'p Prism,
    times: usize,
    methods: usize,
    requests: usize,
    /// Requests Prism had validated before this pass.
    validated_before: usize,
}

/// Requests Prism has accepted so far.
fn validated(prism: &Prism) -> usize {
    prism
        .log_text()
        .matches("The request passed the validation rules")
        .count()
}

impl<'p> Run<'p> {
    /// Static mode: each call once. Dynamic mode: 50 random responses per call.
    fn new(prism: &'p Prism, mode: Mode) -> Self {
        let times = match mode {
            Mode::Static => 1,
            Mode::Dynamic => 50,
        };
        Run {
            prism,
            times,
            methods: 0,
            requests: 0,
            validated_before: validated(prism),
        }
    }

    async fn call<T, E: Debug, F: IntoFuture<Output = Result<T, E>>>(
        &mut self,
        operation: &str,
        request: &dyn Debug,
        mut send: impl FnMut() -> F,
    ) {
        self.methods += 1;
        for _ in 0..self.times {
            self.requests += 1;
            expect_ok(self.prism, operation, request, send().await);
        }
    }

    /// Prints the counts, and checks that Prism accepted every request.
    fn report(&self, spec: &str) {
        let validated = validated(self.prism) - self.validated_before;
        let decoded = if self.times > 1 { self.requests } else { 0 };
        println!(
            "{spec}: {} methods called, {} requests, {validated} validated by Prism, {decoded} dynamic responses decoded",
            self.methods, self.requests
        );
        assert_eq!(validated, self.requests, "Prism must accept every request");
    }
}

/// The test of a corpus spec: one Prism, static responses first (every request
/// accepted), then dynamic ones (every random response decodes), asked for with
/// `Prefer: dynamic=true` (one Prism start, about 6 s, instead of two).
macro_rules! both_modes {
    ($every_operation:ident) => {
        #[tokio::test]
        async fn every_operation_is_accepted_and_dynamic_responses_decode() {
            let prism = Prism::start(&spec(), Mode::Static);
            $every_operation(&prism, Mode::Static).await;
            $every_operation(&prism, Mode::Dynamic).await;
        }
    };
}

mod petstore_expanded {
    use super::*;
    use prism_tests::petstore_expanded::{types, Client, FindPetsParams, RequestOptions};

    fn spec() -> std::path::PathBuf {
        corpus_spec("oai-petstore-expanded-3.0.json")
    }

    async fn every_operation(prism: &Prism, mode: Mode) {
        let client = Client::builder()
            .base_url(&prism.base_url)
            .default_options(RequestOptions::new().header("Prefer", mode.prefer()))
            .build()
            .expect("client");
        let mut run = Run::new(prism, mode);
        let params = FindPetsParams::new()
            .tags(vec!["cat".into(), "small dog".into()])
            .limit(10);
        run.call("findPets", &params, || client.find_pets(&params))
            .await;
        let new_pet = types::NewPet::new("Rex").tag("dog");
        run.call("addPet", &new_pet, || client.add_pet(&new_pet))
            .await;
        run.call("find pet by id", &42, || client.find_pet_by_id(42))
            .await;
        run.call("deletePet", &42, || client.delete_pet(42)).await;
        run.report("oai-petstore-expanded-3.0.json");
    }

    both_modes!(every_operation);
}

mod swagger_petstore {
    use super::*;
    use prism_tests::swagger_petstore::{
        types, Client, DeletePetParams, FindPetsByStatusParams, FindPetsByTagsParams,
        LoginUserParams, RequestOptions, UpdatePetWithFormParams, UploadFileParams,
    };

    fn pet() -> types::Pet {
        types::Pet::new("doggie", vec!["https://example.com/dog.png".into()])
            .id(10)
            .category(types::Category::new().id(1).name("Dogs"))
            .tags(vec![types::Tag::new().id(1).name("friendly")])
            .status(types::PetStatus::Available)
    }

    fn order() -> types::Order {
        types::Order::new()
            .id(10)
            .pet_id(198772)
            .quantity(7)
            .ship_date(chrono::DateTime::parse_from_rfc3339("2024-05-01T10:00:00Z").expect("date"))
            .status(types::OrderStatus::Approved)
            .complete(true)
    }

    fn user() -> types::User {
        types::User::new()
            .id(10)
            .username("theUser")
            .first_name("John")
            .last_name("James")
            .email("john@email.com")
            .password("12345")
            .phone("12345")
            .user_status(1)
    }

    fn spec() -> std::path::PathBuf {
        corpus_spec("swagger-petstore-3.0.yaml")
    }

    async fn every_operation(prism: &Prism, mode: Mode) {
        let client = Client::builder()
            .base_url(&prism.base_url)
            .default_options(RequestOptions::new().header("Prefer", mode.prefer()))
            .petstore_auth("oauth-access-token")
            .api_key("special-key")
            .build()
            .expect("client");
        let mut run = Run::new(prism, mode);
        let pet = pet();
        // `update_pet_form`/`add_pet_form` are not called: Prism 5.16 reads every
        // urlencoded field as a plain string unless the spec declares an `encoding`, so
        // no encoding of `Pet` (its `photoUrls` is a required array) can pass its
        // validation. The form methods of `Order` and `User` (scalar fields) are called.
        run.call("updatePet", &pet, || client.update_pet(&pet))
            .await;
        run.call("addPet", &pet, || client.add_pet(&pet)).await;
        let by_status = FindPetsByStatusParams::new().status(types::FindPetsByStatusStatus::Sold);
        run.call("findPetsByStatus", &by_status, || {
            client.find_pets_by_status(&by_status)
        })
        .await;
        let by_tags = FindPetsByTagsParams::new().tags(vec!["tag1".into(), "tag 2".into()]);
        run.call("findPetsByTags", &by_tags, || {
            client.find_pets_by_tags(&by_tags)
        })
        .await;
        run.call("getPetById", &10, || client.get_pet_by_id(10))
            .await;
        let form = UpdatePetWithFormParams::new().name("doggie").status("sold");
        run.call("updatePetWithForm", &form, || {
            client.update_pet_with_form(10, &form)
        })
        .await;
        let delete = DeletePetParams::new().api_key("special-key");
        run.call("deletePet", &delete, || client.delete_pet(10, &delete))
            .await;
        let upload = UploadFileParams::new().additional_metadata("a photo");
        run.call("uploadFile", &upload, || {
            client.upload_file(10, &upload, b"\x89PNG fake image bytes".to_vec())
        })
        .await;
        run.call("getInventory", &(), || client.get_inventory())
            .await;
        let order = order();
        run.call("placeOrder", &order, || client.place_order(Some(&order)))
            .await;
        run.call("placeOrder (form)", &order, || {
            client.place_order_form(Some(&order))
        })
        .await;
        run.call("getOrderById", &5, || client.get_order_by_id(5))
            .await;
        run.call("deleteOrder", &5, || client.delete_order(5)).await;
        let user = user();
        run.call("createUser", &user, || client.create_user(Some(&user)))
            .await;
        run.call("createUser (form)", &user, || {
            client.create_user_form(Some(&user))
        })
        .await;
        let users = vec![user.clone()];
        run.call("createUsersWithListInput", &users, || {
            client.create_users_with_list_input(Some(&users))
        })
        .await;
        let login = LoginUserParams::new().username("theUser").password("12345");
        run.call("loginUser", &login, || client.login_user(&login))
            .await;
        run.call("logoutUser", &(), || client.logout_user()).await;
        run.call("getUserByName", &"theUser", || {
            client.get_user_by_name("theUser")
        })
        .await;
        run.call("updateUser", &user, || {
            client.update_user("theUser", Some(&user))
        })
        .await;
        run.call("updateUser (form)", &user, || {
            client.update_user_form("theUser", Some(&user))
        })
        .await;
        run.call("deleteUser", &"theUser", || client.delete_user("theUser"))
            .await;
        run.report("swagger-petstore-3.0.yaml");
    }

    both_modes!(every_operation);
}

mod keeper {
    use super::*;
    use prism_tests::keeper::{
        types, Client, EnrolParams, GlobalJobsParams, PingParams, ReportFinishParams,
        ReportOutputParams, ReportStartParams, RequestOptions,
    };

    fn time() -> chrono::DateTime<chrono::FixedOffset> {
        chrono::DateTime::parse_from_rfc3339("2024-05-01T10:00:00Z").expect("date")
    }

    fn report_id() -> types::ReportId {
        types::ReportId::new(
            "host-1",
            "job-1",
            4242u64,
            time(),
            "6b9a8a43-1a2b-4c5d-8e9f-0a1b2c3d4e5f",
        )
    }

    fn spec() -> std::path::PathBuf {
        corpus_spec("progenitor-keeper.json")
    }

    async fn every_operation(prism: &Prism, mode: Mode) {
        let client = Client::builder()
            .base_url(&prism.base_url)
            .default_options(RequestOptions::new().header("Prefer", mode.prefer()))
            .build()
            .expect("client");
        let mut run = Run::new(prism, mode);
        let auth = || "Bearer keeper-token".to_string();
        let enrol = (
            EnrolParams::new(auth()),
            types::EnrolBody::new("host-1", "k"),
        );
        run.call("enrol", &enrol, || client.enrol(&enrol.0, &enrol.1))
            .await;
        let jobs = GlobalJobsParams::new(auth());
        run.call("global_jobs", &jobs, || client.global_jobs(&jobs))
            .await;
        let ping = PingParams::new(auth());
        run.call("ping", &ping, || client.ping(&ping)).await;
        let finish = (
            ReportFinishParams::new(auth()),
            types::ReportFinishBody::new(1200, time(), 0, report_id()),
        );
        run.call("report_finish", &finish, || {
            client.report_finish(&finish.0, &finish.1)
        })
        .await;
        let output = (
            ReportOutputParams::new(auth()),
            types::ReportOutputBody::new(
                report_id(),
                types::OutputRecord::new("hello", "stdout", time()),
            ),
        );
        run.call("report_output", &output, || {
            client.report_output(&output.0, &output.1)
        })
        .await;
        let start = (
            ReportStartParams::new(auth()),
            types::ReportStartBody::new(report_id(), "backup.sh", time()),
        );
        run.call("report_start", &start, || {
            client.report_start(&start.0, &start.1)
        })
        .await;
        run.report("progenitor-keeper.json");
    }

    both_modes!(every_operation);
}

mod museum {
    use super::*;
    use prism_tests::museum::{
        types, Client, GetMuseumHoursParams, ListSpecialEventsParams, RequestOptions,
    };

    fn date(s: &str) -> chrono::NaiveDate {
        s.parse().expect("date")
    }

    fn event() -> types::SpecialEvent {
        types::SpecialEvent::new(
            "Pirate Coding Workshop",
            "Computer Room",
            "Captain Blackbeard shares his love of the C...language.",
            vec![date("2023-10-29"), date("2023-10-30")],
            25.0,
        )
    }

    fn spec() -> std::path::PathBuf {
        corpus_spec("redocly-museum-3.1.yaml")
    }

    async fn every_operation(prism: &Prism, mode: Mode) {
        let client = Client::builder()
            .base_url(&prism.base_url)
            .default_options(RequestOptions::new().header("Prefer", mode.prefer()))
            .museum_placeholder_auth("museum-user", "museum-password")
            .build()
            .expect("client");
        let mut run = Run::new(prism, mode);
        let hours = GetMuseumHoursParams::new()
            .start_date(date("2023-02-23"))
            .page(2)
            .limit(15);
        run.call("getMuseumHours", &hours, || client.get_museum_hours(&hours))
            .await;
        let list = ListSpecialEventsParams::new()
            .start_date(date("2023-02-23"))
            .end_date(date("2023-04-18"))
            .page(2)
            .limit(15);
        run.call("listSpecialEvents", &list, || {
            client.list_special_events(&list)
        })
        .await;
        let event = event();
        run.call("createSpecialEvent", &event, || {
            client.create_special_event(&event)
        })
        .await;
        let id = "dad4bce8-f5cb-4078-a211-995864315e39";
        run.call("getSpecialEvent", &id, || client.get_special_event(id))
            .await;
        let fields = types::SpecialEventFields::new()
            .price(15.0)
            .location("On the beach");
        run.call("updateSpecialEvent", &fields, || {
            client.update_special_event(id, &fields)
        })
        .await;
        run.call("deleteSpecialEvent", &id, || {
            client.delete_special_event(id)
        })
        .await;
        let tickets = types::BuyMuseumTickets::new(date("2023-09-07"), types::TicketType::General)
            .email("todd@example.com");
        run.call("buyMuseumTickets", &tickets, || {
            client.buy_museum_tickets(&tickets)
        })
        .await;
        let ticket = "a54a57ca-36f8-421b-a6b4-2e8f26858a4c";
        run.call("getTicketCode", &ticket, || client.get_ticket_code(ticket))
            .await;
        run.report("redocly-museum-3.1.yaml");
    }

    both_modes!(every_operation);
}
