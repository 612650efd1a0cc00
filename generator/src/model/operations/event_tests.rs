use std::path::Path;

use crate::model::{Primitive, TypeRef};

fn api(spec: &str) -> crate::model::Api {
    let doc = crate::load::load_str(Path::new("t.yaml"), spec).expect("loads");
    crate::model::build(&doc)
}

const SPEC: &str = r##"
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /chat:
    post:
      operationId: chat
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [prompt]
              properties:
                prompt: {type: string}
                stream: {type: [boolean, "null"]}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {text: {type: string}}}
            text/event-stream:
              schema: {$ref: "#/components/schemas/Chunk"}
  /ticks:
    get:
      operationId: ticks
      responses:
        "200":
          description: ok
          content:
            text/event-stream:
              schema: {type: string}
components:
  schemas:
    Chunk:
      type: object
      properties:
        delta: {type: string}
"##;

#[test]
fn json_or_events_gets_a_stream_twin_that_sets_the_flag() {
    let api = api(SPEC);
    let names: Vec<&str> = api
        .operations
        .iter()
        .map(|o| o.method_name.as_str())
        .collect();
    assert_eq!(names, ["chat", "chat_stream", "ticks"]);
    let chat = &api.operations[0];
    let twin = &api.operations[1];
    assert!(!chat.streams);
    assert!(twin.streams);
    assert_eq!(twin.alternative_of.as_deref(), Some("chat"));
    let events = twin.events.as_ref().expect("events");
    assert_eq!(events.item, TypeRef::named("Chunk"));
    assert!(events.stream_flag);
    assert_eq!(chat.events, twin.events);
}

#[test]
fn events_alone_make_the_method_itself_stream() {
    let api = api(SPEC);
    let ticks = &api.operations[2];
    assert!(ticks.streams);
    let events = ticks.events.as_ref().expect("events");
    assert_eq!(events.item, TypeRef::Prim(Primitive::String));
    assert!(!events.stream_flag, "no body, no flag");
}
