//! How the corpus clients put parameters and bodies on the wire, checked byte for byte
//! on the recording loopback server of the root package's tests.

#[path = "../../support/mod.rs"]
mod support;
// Webhooks received by an axum server on loopback (a module here, not a test binary of its own).
mod webhooks;

use prism_tests::{keeper, openai_subset, petstore_expanded, swagger_petstore};
use support::{Reply, Server};

#[tokio::test]
async fn query_arrays_are_form_exploded_and_encoded() {
    let server = Server::start(Reply::json(200, "[]"));
    let client = petstore_expanded::Client::builder()
        .base_url(&server.base_url)
        .build()
        .expect("client");
    let params = petstore_expanded::FindPetsParams::new()
        .tags(vec!["cat".into(), "small dog".into(), "a&b=c".into()])
        .limit(10);
    let pets = client.find_pets(&params).await.expect("ok");
    assert!(pets.is_empty());
    let request = &server.requests()[0];
    assert_eq!(
        request.request_line,
        "GET /v1/pets?tags=cat&tags=small+dog&tags=a%26b%3Dc&limit=10 HTTP/1.1"
    );
    assert_eq!(request.header("accept"), Some("application/json"));
}

#[tokio::test]
async fn absent_optional_parameters_send_nothing() {
    let server = Server::start(Reply::json(200, "[]"));
    let client = petstore_expanded::Client::builder()
        .base_url(&server.base_url)
        .build()
        .expect("client");
    client.find_pets(&Default::default()).await.expect("ok");
    assert_eq!(server.requests()[0].target(), "/v1/pets");
}

#[tokio::test]
async fn header_parameters_and_documented_error_bodies() {
    let server = Server::start(Reply::json(
        500,
        r#"{"message":"no","request_id":"r1","error_code":"E"}"#,
    ));
    let client = keeper::Client::builder()
        .base_url(&server.base_url)
        .build()
        .expect("client");
    let params = keeper::PingParams::new("Bearer keeper-token");
    let err = client.ping(&params).await.expect_err("500");
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some("Bearer keeper-token")
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
}

#[tokio::test]
async fn form_bodies_are_urlencoded_field_by_field() {
    let server = Server::start(Reply::json(200, r#"{"username":"theUser"}"#));
    let client = swagger_petstore::Client::builder()
        .base_url(&server.base_url)
        .api_key("special-key")
        .build()
        .expect("client");
    let user = swagger_petstore::types::User::new()
        .id(10)
        .username("the user")
        .email("john@email.com")
        .user_status(1);
    client.create_user_form(Some(&user)).await.expect("ok");
    let request = &server.requests()[0];
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    // In declaration order (the client's serde_json keeps object order); absent fields
    // are left out.
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "id=10&username=the+user&email=john%40email.com&userStatus=1"
    );
}

#[tokio::test]
async fn api_key_and_oauth_credentials_go_where_the_schemes_say() {
    let server = Server::start(Reply::json(
        200,
        r#"{"id":1,"name":"doggie","photoUrls":[]}"#,
    ));
    let client = swagger_petstore::Client::builder()
        .base_url(&server.base_url)
        .api_key("special-key")
        .petstore_auth("oauth-token")
        .build()
        .expect("client");
    // getPetById accepts api_key or petstore_auth: the first configured set is used.
    client.get_pet_by_id(1).await.expect("ok");
    let request = &server.requests()[0];
    assert_eq!(request.header("api_key"), Some("special-key"));
    assert_eq!(request.header("authorization"), None);
    let debug = format!("{client:?}");
    assert!(
        !debug.contains("special-key") && !debug.contains("oauth-token"),
        "{debug}"
    );
}

#[tokio::test]
async fn multipart_bodies_send_files_as_file_parts_and_the_rest_as_text() {
    let server = Server::start(Reply::json(200, r#"{"created":1,"data":[]}"#));
    let client = openai_subset::Client::builder()
        .base_url(&server.base_url)
        .build()
        .expect("client");
    let body =
        openai_subset::types::CreateImageEditRequest::new(b"PNGDATA".to_vec(), "a cat in a hat")
            .n(2);
    client.create_image_edit(&body).await.expect("ok");
    let request = &server.requests()[0];
    let content_type = request
        .header("content-type")
        .expect("content type")
        .to_string();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("multipart");
    let text = String::from_utf8_lossy(&request.body);
    assert!(text.contains(&format!("--{boundary}")), "{text}");
    assert!(
        text.contains("Content-Disposition: form-data; name=\"image\"; filename=\"image\"\r\n"),
        "{text}"
    );
    assert!(text.contains("PNGDATA"), "{text}");
    assert!(
        text.contains("Content-Disposition: form-data; name=\"prompt\"\r\n\r\na cat in a hat\r\n"),
        "{text}"
    );
    assert!(
        text.contains("Content-Disposition: form-data; name=\"n\"\r\n\r\n2\r\n"),
        "{text}"
    );
    assert!(
        !text.contains("name=\"mask\""),
        "absent file sends no part: {text}"
    );
}

#[tokio::test]
async fn servers_are_chosen_by_name_and_typed_variables() {
    use prism_tests::servers_fixture::servers::{Region, Scheme, Server};
    use prism_tests::servers_fixture::{Client, DEFAULT_BASE_URL};

    // The base URL each choice gives.
    assert_eq!(Server::default().url(), DEFAULT_BASE_URL);
    assert_eq!(DEFAULT_BASE_URL, "https://eu.api.example.com/public");
    let cases = [
        (
            Server::Regional {
                region: Region::Us,
                tenant: "acme".into(),
            },
            "https://us.api.example.com/acme",
        ),
        (
            Server::Regional {
                region: Region::ApSoutheast,
                tenant: "public".into(),
            },
            "https://ap-southeast.api.example.com/public",
        ),
        // A tenant cannot add a path segment, a query, a fragment or a user.
        (
            Server::Regional {
                region: Region::Eu,
                tenant: "a/b?c=d#e@f g".into(),
            },
            "https://eu.api.example.com/a%2Fb%3Fc%3Dd%23e%40f%20g",
        ),
        (Server::Sandbox, "https://sandbox.example.com/v1"),
        (
            Server::SelfHosted {
                scheme: Scheme::Http,
                host: "10.0.0.7:8080".into(),
            },
            "http://10.0.0.7:8080/api",
        ),
        // In the host, `:` stays (a port); `/` and `@` do not.
        (
            Server::SelfHosted {
                scheme: Scheme::Https,
                host: "evil.example/x@y".into(),
            },
            "https://evil.example%2Fx%40y/api",
        ),
    ];
    for (server, url) in cases {
        assert_eq!(server.url(), url, "{server:?}");
        let client = Client::builder().server(server).build().expect("client");
        assert_eq!(client.base_url(), url);
    }
    assert_eq!(Region::default(), Region::Eu);
    assert_eq!(Region::ApSoutheast.to_string(), "ap-southeast");

    // One call on loopback through a server chosen this way.
    let server = support::Server::start(support::Reply::json(200, r#"{"path":"/api/whoami"}"#));
    // `http://127.0.0.1:<port>/v1`: the host and port.
    let host = server.base_url["http://".len()..]
        .split('/')
        .next()
        .expect("host")
        .to_string();
    let client = Client::builder()
        .server(Server::SelfHosted {
            scheme: Scheme::Http,
            host,
        })
        .build()
        .expect("client");
    let answer = client.whoami().await.expect("the call succeeds");
    assert_eq!(answer.path.as_deref(), Some("/api/whoami"));
    assert_eq!(
        server.requests()[0].request_line,
        "GET /api/whoami HTTP/1.1"
    );
}
