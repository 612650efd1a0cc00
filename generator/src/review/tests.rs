//! One small old/new pair per kind of change.

use super::{compare, Bump, Class, Report};
use crate::load;
use crate::model::{build_with, Options};

const BASE: &str = r#"openapi: 3.0.3
info: {title: Pets, version: '1'}
servers: [{url: 'https://api.example.com'}]
components:
  securitySchemes:
    token: {type: http, scheme: bearer}
  schemas:
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: integer, format: int64}
        name: {type: string}
        kind: {$ref: '#/components/schemas/Kind'}
        tags: {type: array, items: {$ref: '#/components/schemas/Tag'}}
    NewPet:
      type: object
      required: [name]
      properties:
        name: {type: string}
    Kind: {type: string, enum: [cat, dog]}
    Tag: {type: object, properties: {name: {type: string}}}
    Animal:
      oneOf:
        - {$ref: '#/components/schemas/Pet'}
        - {type: string}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      tags: [pets]
      security: [{token: []}]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: verbose, in: query, schema: {type: boolean}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
  /pets:
    post:
      operationId: addPet
      tags: [pets]
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/NewPet'}}}}
      responses:
        '201': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
  /animals:
    get:
      operationId: listAnimals
      tags: [zoo]
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Animal'}}}}}
"#;

fn report_with(old: &str, new: &str, options: &Options) -> Report {
    let api = |text: &str, name: &str| {
        let doc = load::load_str(std::path::Path::new(name), text)
            .unwrap_or_else(|e| panic!("{name} does not load: {e}\n{text}"));
        build_with(&doc, options)
    };
    compare(&api(old, "old.yaml"), &api(new, "new.yaml"))
}

/// The report from [`BASE`] to BASE with `from` replaced by `to` (which must occur).
fn change(from: &str, to: &str) -> Report {
    assert!(BASE.contains(from), "{from:?} is not in the base spec");
    report_with(BASE, &BASE.replacen(from, to, 1), &Options::default())
}

/// The (class, kind, item) of every change.
fn found(report: &Report) -> Vec<(Class, &'static str, String)> {
    report
        .changes
        .iter()
        .map(|c| (c.class, c.kind, c.item.clone()))
        .collect()
}

#[track_caller]
fn assert_only(report: &Report, expected: &[(Class, &str, &str)]) {
    let got = found(report);
    let want: Vec<(Class, &str, String)> = expected
        .iter()
        .map(|(c, k, i)| (*c, *k, i.to_string()))
        .collect();
    let mut got_sorted = got.clone();
    got_sorted.sort();
    let mut want_sorted = want.clone();
    want_sorted.sort();
    assert_eq!(got_sorted, want_sorted, "\n{}", report.markdown());
}

use Class::{Breaking, NonBreaking, WireOnly};

#[test]
fn the_same_spec_changes_nothing() {
    let r = report_with(BASE, BASE, &Options::default());
    assert!(r.changes.is_empty(), "{}", r.markdown());
    assert_eq!(r.bump(), Bump::None);
    assert_eq!(
        r.summary(),
        "no change to the generated API: no version bump"
    );
}

#[test]
fn renamed_operation_is_a_renamed_method() {
    let r = change("operationId: addPet", "operationId: createPet");
    assert_only(&r, &[(Breaking, "method-renamed", "Client::add_pet")]);
    let c = &r.changes[0];
    assert!(c.detail.contains("Client::create_pet"), "{}", c.detail);
    assert_eq!(c.old_pointer.as_deref(), Some("#/paths/~1pets/post"));
    assert_eq!(c.new_pointer.as_deref(), Some("#/paths/~1pets/post"));
}

#[test]
fn removed_and_added_methods() {
    let r = change(
        "    post:\n      operationId: addPet",
        "    put:\n      operationId: putPet",
    );
    assert_only(
        &r,
        &[
            (Breaking, "method-removed", "Client::add_pet"),
            (NonBreaking, "method-added", "Client::put_pet"),
        ],
    );
    assert_eq!(r.changes[0].new_pointer, None);
    assert_eq!(r.bump(), Bump::Major);
}

#[test]
fn moved_endpoint_is_wire_only() {
    let r = change("  /pets/{id}:", "  /v2/pets/{id}:");
    assert_only(&r, &[(WireOnly, "endpoint-changed", "Client::get_pet")]);
    assert_eq!(r.bump(), Bump::Patch);
}

#[test]
fn new_required_parameter_is_breaking() {
    let r = change(
        "        - {name: verbose, in: query, schema: {type: boolean}}",
        "        - {name: verbose, in: query, schema: {type: boolean}}\n        - {name: limit, in: query, required: true, schema: {type: integer}}",
    );
    assert_only(
        &r,
        &[(Breaking, "param-added-required", "GetPetParams::limit")],
    );
    assert!(r.changes[0].detail.contains("`GetPetParams::new` takes it"));
}

#[test]
fn new_optional_parameter_is_a_new_setter() {
    let r = change(
        "        - {name: verbose, in: query, schema: {type: boolean}}",
        "        - {name: verbose, in: query, schema: {type: boolean}}\n        - {name: limit, in: query, schema: {type: integer}}",
    );
    assert_only(
        &r,
        &[(NonBreaking, "param-added-optional", "GetPetParams::limit")],
    );
    assert!(
        r.changes[0].detail.contains("`.limit(value)`"),
        "{}",
        r.changes[0].detail
    );
    assert_eq!(r.bump(), Bump::Minor);
}

#[test]
fn new_required_single_valued_parameter_is_filled_in_by_the_constructor() {
    let r = change(
        "        - {name: verbose, in: query, schema: {type: boolean}}",
        "        - {name: verbose, in: query, schema: {type: boolean}}\n        - {name: mode, in: query, required: true, schema: {type: string, enum: [fast]}}",
    );
    let got = found(&r);
    assert!(
        got.contains(&(
            NonBreaking,
            "param-added-required",
            "GetPetParams::mode".into()
        )),
        "{}",
        r.markdown()
    );
    assert!(!r.has_breaking(), "{}", r.markdown());
    // A second value: the constructor now takes the parameter.
    let one = BASE.replacen(
        "{name: verbose, in: query, schema: {type: boolean}}",
        "{name: verbose, in: query, required: true, schema: {$ref: '#/components/schemas/Kind'}}",
        1,
    );
    let r = report_with(
        &one.replacen("enum: [cat, dog]", "enum: [cat]", 1),
        &one,
        &Options::default(),
    );
    assert_only(
        &r,
        &[
            (
                Breaking,
                "param-constructor-changed",
                "GetPetParams::verbose",
            ),
            (NonBreaking, "variant-added", "types::Kind::Dog"),
        ],
    );
}

#[test]
fn first_query_parameter_adds_an_argument() {
    let r = report_with(
        &BASE.replacen(
            "        - {name: verbose, in: query, schema: {type: boolean}}\n",
            "",
            1,
        ),
        BASE,
        &Options::default(),
    );
    assert_only(&r, &[(Breaking, "params-struct-added", "Client::get_pet")]);
}

#[test]
fn parameter_made_required_removed_and_retyped() {
    let r = change(
        "{name: verbose, in: query, schema: {type: boolean}}",
        "{name: verbose, in: query, required: true, schema: {type: boolean}}",
    );
    assert_only(
        &r,
        &[(Breaking, "param-made-required", "GetPetParams::verbose")],
    );
    let r = change(
        "{name: verbose, in: query, schema: {type: boolean}}",
        "{name: verbose, in: query, schema: {type: string}}",
    );
    assert_only(&r, &[(Breaking, "param-retyped", "GetPetParams::verbose")]);
    let r = change(
        "{name: id, in: path, required: true, schema: {type: string}}",
        "{name: id, in: path, required: true, schema: {type: integer}}",
    );
    assert_only(&r, &[(Breaking, "arguments-changed", "Client::get_pet")]);
}

#[test]
fn parameter_wire_changes_are_wire_only() {
    let r = change("{name: verbose, in: query,", "{name: Verbose, in: query,");
    assert_only(
        &r,
        &[(WireOnly, "param-wire-renamed", "GetPetParams::verbose")],
    );
    // A header is written in the simple style, a query parameter in the form style.
    let r = change("{name: verbose, in: query,", "{name: verbose, in: header,");
    assert_only(
        &r,
        &[
            (WireOnly, "param-wire-renamed", "GetPetParams::verbose"),
            (WireOnly, "param-style-changed", "GetPetParams::verbose"),
        ],
    );
    assert_eq!(
        r.changes[0].old_pointer.as_deref(),
        Some("#/paths/~1pets~1{id}/get/parameters/1")
    );
}

#[test]
fn new_optional_field_is_not_breaking_in_a_response_or_a_request_struct() {
    let r = change(
        "        name: {type: string}\n        kind:",
        "        name: {type: string}\n        age: {type: integer}\n        kind:",
    );
    assert_only(&r, &[(NonBreaking, "field-added", "types::Pet::age")]);
    assert_eq!(r.bump(), Bump::Minor);
    // `NewPet` is a request body: built with `NewPet::new(name)` and setters.
    let r = change(
        NEW_PET_FIELDS,
        &format!("{NEW_PET_FIELDS}\n        age: {{type: integer}}"),
    );
    assert_only(&r, &[(NonBreaking, "field-added", "types::NewPet::age")]);
    assert!(
        r.changes[0].detail.contains("`.age(value)`"),
        "{}",
        r.changes[0].detail
    );
    assert_eq!(
        r.changes[0].new_pointer.as_deref(),
        Some("#/components/schemas/NewPet/properties/age")
    );
}

/// The fields of the request body `NewPet` in [`BASE`].
const NEW_PET_FIELDS: &str =
    "      required: [name]\n      properties:\n        name: {type: string}";

#[test]
fn new_required_field_breaks_the_constructor_of_a_request_struct_only() {
    let r = change(
        NEW_PET_FIELDS,
        "      required: [name, age]\n      properties:\n        name: {type: string}\n        age: {type: integer}",
    );
    assert_only(&r, &[(Breaking, "field-added", "types::NewPet::age")]);
    assert!(
        r.changes[0].detail.contains("`new` takes it"),
        "{}",
        r.changes[0].detail
    );
    // In a response struct users only read it.
    let r = change(
        "      required: [id]\n      properties:\n        id: {type: integer, format: int64}",
        "      required: [id, age]\n      properties:\n        id: {type: integer, format: int64}\n        age: {type: integer}",
    );
    assert_only(&r, &[(NonBreaking, "field-added", "types::Pet::age")]);
}

#[test]
fn new_required_single_valued_field_is_filled_in_by_the_constructor() {
    // A `const` (a one-value enum), reached through an alias.
    let single =
        "    Species: {$ref: '#/components/schemas/Dog'}\n    Dog: {type: string, const: dog}\n";
    let old = BASE.replacen("    Kind:", &format!("{single}    Kind:"), 1);
    let new = old.replacen(
        NEW_PET_FIELDS,
        "      required: [name, species]\n      properties:\n        name: {type: string}\n        species: {$ref: '#/components/schemas/Species'}",
        1,
    );
    let r = report_with(&old, &new, &Options::default());
    assert_only(
        &r,
        &[(NonBreaking, "field-added", "types::NewPet::species")],
    );
    assert!(
        r.changes[0].detail.contains("fills in"),
        "{}",
        r.changes[0].detail
    );
    // A second value: the constructor now takes the field.
    let two = new.replacen("const: dog}", "enum: [dog, cat]}", 1);
    let r = report_with(&new, &two, &Options::default());
    let got = found(&r);
    assert!(
        got.contains(&(
            Breaking,
            "field-constructor-changed",
            "types::NewPet::species".into()
        )),
        "{}",
        r.markdown()
    );
}

#[test]
fn a_field_that_becomes_required_or_optional_changes_the_constructor() {
    // `Option<String>` both times (required nullable vs optional): the same Rust type,
    // but the constructor's arguments change in a request struct.
    let nullable = |required: &str| {
        format!("      required: [{required}]\n      properties:\n        name: {{type: string}}\n        nick: {{type: string, nullable: true}}")
    };
    let old = BASE.replacen(NEW_PET_FIELDS, &nullable("name, nick"), 1);
    let new = BASE.replacen(NEW_PET_FIELDS, &nullable("name"), 1);
    let r = report_with(&old, &new, &Options::default());
    assert_only(
        &r,
        &[(Breaking, "field-presence-changed", "types::NewPet::nick")],
    );
    assert!(
        r.changes[0].detail.contains("`new` no longer takes it"),
        "{}",
        r.changes[0].detail
    );
    let r = report_with(&new, &old, &Options::default());
    assert_only(
        &r,
        &[(Breaking, "field-presence-changed", "types::NewPet::nick")],
    );
    // In a response struct the same Rust type is all that matters: on the wire only.
    let id = "\n      properties:\n        id: {type: integer, format: int64}";
    let pet_at = format!("      required: [id]{id}");
    let required_nullable =
        format!("      required: [id, nick]{id}\n        nick: {{type: string, nullable: true}}");
    let optional = format!("{pet_at}\n        nick: {{type: string}}");
    let r = report_with(
        &BASE.replacen(&pet_at, &required_nullable, 1),
        &BASE.replacen(&pet_at, &optional, 1),
        &Options::default(),
    );
    assert_only(
        &r,
        &[(WireOnly, "field-presence-changed", "types::Pet::nick")],
    );
    // Required to optional changes the type anyway.
    let r = change(
        NEW_PET_FIELDS,
        "      properties:\n        name: {type: string}",
    );
    let got = found(&r);
    assert!(
        got.contains(&(
            Breaking,
            "field-presence-changed",
            "types::NewPet::name".into()
        )),
        "{}",
        r.markdown()
    );
}

#[test]
fn removed_retyped_and_required_fields_are_breaking() {
    let r = change(
        "        name: {type: string}\n        kind:",
        "        kind:",
    );
    assert_only(&r, &[(Breaking, "field-removed", "types::Pet::name")]);
    assert_eq!(
        r.changes[0].old_pointer.as_deref(),
        Some("#/components/schemas/Pet/properties/name")
    );
    let r = change(
        "        name: {type: string}\n        kind:",
        "        name: {type: integer}\n        kind:",
    );
    assert_only(&r, &[(Breaking, "field-retyped", "types::Pet::name")]);
    let r = change("      required: [id]", "      required: [id, name]");
    assert_only(
        &r,
        &[(Breaking, "field-presence-changed", "types::Pet::name")],
    );
}

#[test]
fn a_required_field_in_an_all_optional_struct_removes_default() {
    let r = change(
        "    Tag: {type: object, properties: {name: {type: string}}}",
        "    Tag: {type: object, required: [name], properties: {name: {type: string}}}",
    );
    assert_only(
        &r,
        &[
            (Breaking, "field-presence-changed", "types::Tag::name"),
            (Breaking, "default-removed", "types::Tag"),
            // Now the shape of `NewPet`: defined once, `Tag` is an alias of it.
            (NonBreaking, "type-alias-target-changed", "types::Tag"),
        ],
    );
}

#[test]
fn field_wire_name_and_constraints_are_wire_only() {
    let r = change(
        "        name: {type: string}\n        kind:",
        "        Name: {type: string}\n        kind:",
    );
    assert_only(&r, &[(WireOnly, "field-wire-renamed", "types::Pet::name")]);
    let r = change(
        "        id: {type: integer, format: int64}",
        "        id: {type: integer, format: int64, minimum: 1}",
    );
    assert_only(
        &r,
        &[(WireOnly, "field-constraints-changed", "types::Pet::id")],
    );
    let r = change(
        "        name: {type: string}\n        kind:",
        "        name: {type: string, default: rex}\n        kind:",
    );
    assert_only(
        &r,
        &[(WireOnly, "field-constraints-changed", "types::Pet::name")],
    );
}

#[test]
fn enum_variants_added_and_removed() {
    let r = change("enum: [cat, dog]", "enum: [cat, dog, bird]");
    assert_only(&r, &[(NonBreaking, "variant-added", "types::Kind::Bird")]);
    let r = change("enum: [cat, dog]", "enum: [cat]");
    assert_only(&r, &[(Breaking, "variant-removed", "types::Kind::Dog")]);
}

#[test]
fn union_variants_added_and_removed() {
    let r = change(
        "        - {type: string}\n",
        "        - {type: string}\n        - {type: integer}\n",
    );
    let kinds = found(&r);
    assert!(
        kinds.iter().any(|(c, k, i)| *c == NonBreaking
            && *k == "variant-added"
            && i.starts_with("types::Animal::")),
        "{}",
        r.markdown()
    );
    assert!(!r.has_breaking(), "{}", r.markdown());
    let r = change("        - {type: string}\n", "");
    assert!(
        found(&r)
            .iter()
            .any(|(c, k, _)| *c == Breaking
                && (*k == "variant-removed" || *k == "type-kind-changed")),
        "{}",
        r.markdown()
    );
}

#[test]
fn types_added_and_removed() {
    let r = change(
        "    Kind: {type: string, enum: [cat, dog]}",
        "    Kind: {type: string, enum: [cat, dog]}\n    Owner: {type: object, properties: {login: {type: string}}}",
    );
    assert_only(&r, &[(NonBreaking, "type-added", "types::Owner")]);
    let with_owner = BASE.replacen(
        "    Kind: {type: string, enum: [cat, dog]}",
        "    Kind: {type: string, enum: [cat, dog]}\n    Owner: {type: object, properties: {login: {type: string}}}",
        1,
    );
    let r = report_with(&with_owner, BASE, &Options::default());
    assert_only(&r, &[(Breaking, "type-removed", "types::Owner")]);
}

#[test]
fn request_body_and_response_retyped() {
    let r = change(
        "requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/NewPet'}}}}",
        "requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}",
    );
    let kinds = found(&r);
    assert!(
        kinds.contains(&(Breaking, "body-retyped", "Client::add_pet".into())),
        "{}",
        r.markdown()
    );
    // NewPet is now in no request: its constructor and setters go; Pet gains them.
    assert!(
        kinds.contains(&(Breaking, "constructor-removed", "types::NewPet".into())),
        "{}",
        r.markdown()
    );
    assert!(
        kinds.contains(&(NonBreaking, "constructor-added", "types::Pet".into())),
        "{}",
        r.markdown()
    );
    let r = change(
        "'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}",
        "'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/NewPet'}}}}",
    );
    assert!(
        found(&r).contains(&(Breaking, "response-retyped", "Client::get_pet".into())),
        "{}",
        r.markdown()
    );
    let r = change(
        "requestBody: {required: true,",
        "requestBody: {required: false,",
    );
    assert_only(&r, &[(Breaking, "body-made-optional", "Client::add_pet")]);
    let r = change(
        "content: {application/json: {schema: {$ref: '#/components/schemas/NewPet'}}}}",
        "content: {application/merge-patch+json: {schema: {$ref: '#/components/schemas/NewPet'}}}}",
    );
    assert_only(
        &r,
        &[(WireOnly, "body-media-type-changed", "Client::add_pet")],
    );
}

#[test]
fn auth_and_server_changes() {
    let with_key = BASE.replacen(
        "    token: {type: http, scheme: bearer}",
        "    token: {type: http, scheme: bearer}\n    key: {type: apiKey, in: header, name: X-Key}",
        1,
    );
    let r = report_with(BASE, &with_key, &Options::default());
    assert_only(&r, &[(NonBreaking, "auth-added", "ClientBuilder::key")]);
    let r = report_with(&with_key, BASE, &Options::default());
    assert_only(&r, &[(Breaking, "auth-removed", "ClientBuilder::key")]);
    let r = change("security: [{token: []}]", "security: []");
    assert_only(
        &r,
        &[(WireOnly, "operation-security-changed", "Client::get_pet")],
    );
    let r = change("https://api.example.com", "https://api.example.org/v2");
    assert_only(
        &r,
        &[(
            WireOnly,
            "default-server-changed",
            "ClientBuilder::base_url",
        )],
    );
}

#[test]
fn tag_features_added_removed_and_moved() {
    let options = Options {
        tag_features: true,
        ..Options::default()
    };
    let new = BASE.replacen(
        "operationId: listAnimals\n      tags: [zoo]",
        "operationId: listAnimals\n      tags: [farm]",
        1,
    );
    let r = report_with(BASE, &new, &options);
    let kinds = found(&r);
    assert!(
        kinds.contains(&(Breaking, "feature-removed", "feature `zoo`".into())),
        "{}",
        r.markdown()
    );
    assert!(
        kinds.contains(&(NonBreaking, "feature-added", "feature `farm`".into())),
        "{}",
        r.markdown()
    );
    assert!(
        kinds.contains(&(
            Breaking,
            "method-feature-changed",
            "Client::list_animals".into()
        )),
        "{}",
        r.markdown()
    );
}

#[test]
fn renders_breaking_first_with_pointers_and_json() {
    let new = BASE
        .replacen("enum: [cat, dog]", "enum: [cat, dog, bird]", 1)
        .replacen(
            "        name: {type: string}\n        kind:",
            "        kind:",
            1,
        )
        .replacen("https://api.example.com", "https://api.example.org", 1);
    let r = report_with(BASE, &new, &Options::default());
    assert_eq!(
        r.summary(),
        "1 breaking, 1 non-breaking, 1 wire-only change(s): major version bump"
    );
    let md = r.markdown();
    let at = |s: &str| md.find(s).unwrap_or_else(|| panic!("{s:?} not in\n{md}"));
    assert!(at("## Breaking (1)") < at("## Non-breaking (1)"));
    assert!(at("## Non-breaking (1)") < at("## Wire-only (1)"));
    assert!(md.contains("- `types::Pet::name`: field `name` removed (old: `#/components/schemas/Pet/properties/name`, new: –)"), "{md}");
    let json = r.json();
    assert_eq!(json["summary"]["breaking"], 1);
    assert_eq!(json["summary"]["bump"], "major");
    assert_eq!(json["old"]["version"], "1");
    assert_eq!(json["changes"][0]["class"], "breaking");
    assert_eq!(json["changes"][0]["kind"], "field-removed");
    assert_eq!(json["changes"][0]["area"], "types");
    assert_eq!(json["changes"][0]["item"], "types::Pet::name");
    assert_eq!(json["changes"][0]["new_pointer"], serde_json::Value::Null);
}

#[test]
fn a_type_that_stops_being_an_alias_of_an_identical_one_is_compared_by_shape() {
    let copy = "    Tag: {type: object, properties: {name: {type: string}}}\n";
    let old = BASE.replacen(
        copy,
        &format!("{copy}    TagCopy: {{type: object, properties: {{name: {{type: string}}}}}}\n"),
        1,
    );
    let new = BASE.replacen(
        copy,
        &format!("{copy}    TagCopy: {{type: object, properties: {{name: {{type: string}}, color: {{type: string}}}}}}\n"),
        1,
    );
    let r = report_with(&old, &new, &Options::default());
    let got = found(&r);
    assert!(
        got.contains(&(
            NonBreaking,
            "type-alias-target-changed",
            "types::TagCopy".to_string()
        )),
        "{}",
        r.markdown()
    );
    assert!(
        got.iter().all(|(class, _, _)| *class != Breaking),
        "a response struct that gains a field, alias or not, breaks nothing:\n{}",
        r.markdown()
    );
    assert!(
        got.iter()
            .any(|(_, kind, item)| kind.contains("field") && item.contains("TagCopy")),
        "{}",
        r.markdown()
    );
}
