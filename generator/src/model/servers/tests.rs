use std::path::Path;

use crate::model::{Api, Server, ServerUrlPart};

const FIXTURE: &str = include_str!("../../../../tests/fixtures/servers.yaml");

fn model(yaml: &str) -> Api {
    let doc = crate::load::load_str(Path::new("t.yaml"), yaml).expect("loads");
    crate::model::build(&doc)
}

/// A document with these `servers` (YAML flow or block text after `servers:`).
fn with_servers(servers: &str) -> String {
    format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\nservers:\n{servers}\npaths: {{}}\n")
}

fn names(api: &Api) -> Vec<&str> {
    api.servers.iter().map(|s| s.rust_name.as_str()).collect()
}

fn template(server: &Server) -> String {
    server
        .parts
        .iter()
        .map(|p| match p {
            ServerUrlPart::Literal(t) => t.clone(),
            ServerUrlPart::Variable(i) => format!("<{}>", server.variables[*i].rust_name),
        })
        .collect()
}

#[test]
fn region_and_tenant_variables_give_typed_choices() {
    let api = model(FIXTURE);
    assert_eq!(names(&api), ["Regional", "Sandbox", "SelfHosted"]);
    let regional = &api.servers[0];
    assert_eq!(regional.url, "https://eu.api.example.com/public");
    assert_eq!(
        template(regional),
        "https://<region>.api.example.com/<tenant>"
    );
    let region = &regional.variables[0];
    let values = region.values.as_ref().expect("region lists its values");
    assert_eq!(values.type_name, "Region");
    assert_eq!(
        values.variants,
        [
            ("Eu".to_string(), "eu".to_string()),
            ("Us".to_string(), "us".to_string()),
            ("ApSoutheast".to_string(), "ap-southeast".to_string())
        ]
    );
    assert_eq!(values.default, "Eu");
    assert!(region.in_authority);
    let tenant = &regional.variables[1];
    assert_eq!(
        (tenant.rust_name.as_str(), tenant.default.as_str()),
        ("tenant", "public")
    );
    assert!(tenant.values.is_none(), "a free string");
    assert!(!tenant.in_authority, "in the path");
    let hosted = &api.servers[2];
    assert_eq!(hosted.url, "https://localhost:8443/api");
    assert!(!hosted.variables[0].in_authority, "the scheme");
    assert!(hosted.variables[1].in_authority, "the host");
    assert!(api.warnings.is_empty(), "{:?}", api.warnings);

    // What the client gets: an enum of servers with typed fields, their URLs, a
    // builder method.
    let files = crate::emit::emit(&api, "servers.yaml", Some("servers_fixture")).expect("emits");
    let client = &files
        .iter()
        .find(|f| f.name == "client.rs")
        .expect("client.rs")
        .contents;
    for expected in [
        "pub mod servers {",
        "        Regional {\n            /// `region` (default `eu`)\n            ///\n            /// Where the data is kept.\n            region: Region,",
        "            tenant: String,\n        },",
        "        Sandbox,",
        "        SelfHosted {\n            /// `scheme` (default `https`)\n            scheme: Scheme,",
        "            Server::Regional {\n                region: Region::Eu,\n                tenant: \"public\".to_string(),\n            }",
        "pub enum Region {",
        "        #[default]\n        Eu,",
        "Region::ApSoutheast => \"ap-southeast\",",
        "runtime::server_variable(tenant, \"public\", false).as_str()",
        "runtime::server_variable(host, \"localhost:8443\", true).as_str()",
        "Server::Sandbox => \"https://sandbox.example.com/v1\".to_string(),",
        "pub fn server(self, server: servers::Server) -> Self {",
        ".server(Server::Regional { region: Region::ApSoutheast, tenant: \"my-tenant\".into() })",
    ] {
        assert!(client.contains(expected), "client.rs lacks {expected:?}:\n{client}");
    }
}

#[test]
fn servers_are_named_from_short_descriptions_else_from_their_host() {
    let api = model(&with_servers(
        "  - {url: 'https://api.example.com/v1', description: 'Production server'}\n\
         \x20 - {url: 'https://api.example.com/v1', description: 'The one most customers use, in the EU.'}\n\
         \x20 - {url: 'https://api.example.com/v2'}\n\
         \x20 - {url: 'http://api.example.com/v2'}\n\
         \x20 - {url: 'http://api.example.com/v2'}\n\
         \x20 - {url: 'https://sandbox.api.example.co.uk'}\n\
         \x20 - {url: 'http://127.0.0.1:8080/api/v3'}\n\
         \x20 - {url: '/relative'}\n\
         \x20 - {url: 'https://{region}.example.com'}",
    ));
    assert_eq!(
        names(&api),
        [
            "Production",
            // The description is a sentence: the host names it.
            "Example",
            // Taken: the path, then the scheme, then a number tell it apart.
            "ExampleV2",
            "ExampleV2Http",
            "Example2",
            "SandboxExampleCo",
            "ApiV3",
            "Relative",
            // The host is a variable and `example`: its last label is the domain.
            "Example3",
        ]
    );
}

#[test]
fn no_default_url_keeps_a_brace() {
    // OpenAPI requires a default; a variable the URL uses but does not declare, a list
    // without the default, numbers for strings and a stray brace are repaired with a
    // warning each.
    let api = model(&with_servers(
        "  - url: 'https://{tenant}.example.com:{port}/{version}/{undeclared}/x}'\n\
         \x20   variables:\n\
         \x20     tenant: {description: 'no default'}\n\
         \x20     port: {enum: [8443, 443]}\n\
         \x20     version: {enum: [v1, v2], default: v3}",
    ));
    let server = &api.servers[0];
    assert_eq!(
        server.url,
        "https://tenant.example.com:8443/v3/undeclared/x%7D"
    );
    assert!(!server.url.contains(['{', '}']));
    let port = server.variables[1]
        .values
        .as_ref()
        .expect("port lists values");
    assert_eq!(port.variants[0], ("V8443".to_string(), "8443".to_string()));
    let version = server.variables[2]
        .values
        .as_ref()
        .expect("version lists values");
    assert_eq!(version.default, "V3", "the default joins the values");
    let warnings: Vec<&str> = api.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(warnings.len(), 5, "{warnings:#?}");
    for part in [
        "`tenant` has no string `default`",
        "`port` has no string `default`",
        "`v3` is not one of",
        "`undeclared`",
        "percent-encoded",
    ] {
        assert!(
            warnings.iter().any(|w| w.contains(part)),
            "no warning with {part:?}: {warnings:#?}"
        );
    }
    for corpus_url in [
        "{scheme}://developer.uspto.gov/ds-api",
        "https://{a}{b}.example.com/{c}",
    ] {
        let api = model(&with_servers(&format!("  - url: '{corpus_url}'")));
        assert!(!api.servers[0].url.contains('{'), "{}", api.servers[0].url);
    }
}

#[test]
fn variables_of_the_same_name_share_an_enum_only_when_they_list_the_same_values() {
    let api = model(&with_servers(
        "  - url: 'https://{region}.a.example.com'\n\
         \x20   variables: {region: {enum: [eu, us], default: eu}}\n\
         \x20 - url: 'https://{region}.b.example.com'\n\
         \x20   variables: {region: {enum: [eu, us], default: eu}}\n\
         \x20 - url: 'https://{region}.c.example.com'\n\
         \x20   variables: {region: {enum: [eu, ap], default: ap}}",
    ));
    let types: Vec<&str> = api
        .servers
        .iter()
        .map(|s| {
            s.variables[0]
                .values
                .as_ref()
                .map(|v| v.type_name.as_str())
                .unwrap_or("")
        })
        .collect();
    assert_eq!(types, ["Region", "Region", "CExampleRegion"]);
}
