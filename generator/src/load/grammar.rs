//! Which kind of OpenAPI object sits where: enough of the grammar of OpenAPI 3.x and
//! Swagger 2.0 to know what a `$ref` at a given place points to, and where a bundled
//! copy of that object belongs (`#/components/schemas`, `#/definitions`, ...).
//!
//! Only places that may hold a reference are described; everything else (examples,
//! defaults, extensions) is data, and a `$ref` key in it is left alone.

/// A kind of object in an OpenAPI document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Root,
    Components,
    PathItem,
    Operation,
    Parameter,
    Header,
    RequestBody,
    Response,
    MediaType,
    Encoding,
    Example,
    Link,
    Callback,
    SecurityScheme,
    Schema,
}

/// What the value under a key of an object of some kind holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Child {
    /// One object of this kind (for schemas: or a list of them, as `items` may be).
    One(Kind),
    /// A map of names to objects of this kind.
    Map(Kind),
    /// A list of objects of this kind.
    List(Kind),
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The kind of the value under `key` in an object of kind `kind`; `None` for data.
/// `v2` selects the Swagger 2.0 grammar.
pub fn child(kind: Kind, key: &str, v2: bool) -> Option<Child> {
    use Child::{List, Map, One};
    use Kind::*;
    Some(match (kind, key) {
        (Root, "paths" | "webhooks") => Map(PathItem),
        (Root, "components") if !v2 => One(Components),
        (Root, "definitions") if v2 => Map(Schema),
        (Root, "parameters") if v2 => Map(Parameter),
        (Root, "responses") if v2 => Map(Response),
        (Components, "schemas") => Map(Schema),
        (Components, "responses") => Map(Response),
        (Components, "parameters") => Map(Parameter),
        (Components, "examples") => Map(Example),
        (Components, "requestBodies") => Map(RequestBody),
        (Components, "headers") => Map(Header),
        (Components, "securitySchemes") => Map(SecurityScheme),
        (Components, "links") => Map(Link),
        (Components, "callbacks") => Map(Callback),
        (Components, "pathItems") => Map(PathItem),
        (PathItem, "parameters") => List(Parameter),
        (PathItem, method) if METHODS.contains(&method) => One(Operation),
        (Operation, "parameters") => List(Parameter),
        (Operation, "requestBody") => One(RequestBody),
        (Operation, "responses") => Map(Response),
        (Operation, "callbacks") => Map(Callback),
        (Parameter | Header, "schema") => One(Schema),
        (Parameter | Header, "content") => Map(MediaType),
        (Parameter | Header, "examples") => Map(Example),
        (RequestBody, "content") => Map(MediaType),
        (Response, "headers") => Map(Header),
        (Response, "content") => Map(MediaType),
        (Response, "links") => Map(Link),
        (Response, "schema") if v2 => One(Schema),
        (MediaType, "schema") => One(Schema),
        (MediaType, "examples") => Map(Example),
        (MediaType, "encoding") => Map(Encoding),
        (Encoding, "headers") => Map(Header),
        (Callback, expression) if !expression.starts_with("x-") => One(PathItem),
        (
            Schema,
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas",
        ) => Map(Schema),
        (Schema, "allOf" | "anyOf" | "oneOf" | "prefixItems") => List(Schema),
        (
            Schema,
            "items"
            | "not"
            | "additionalProperties"
            | "additionalItems"
            | "contains"
            | "if"
            | "then"
            | "else"
            | "propertyNames"
            | "unevaluatedItems"
            | "unevaluatedProperties"
            | "contentSchema",
        ) => One(Schema),
        _ => return None,
    })
}

/// Where objects of this kind are kept by name: the path of the container from the
/// root. `None` for kinds that have no such place, which a bundle writes inline.
pub fn container(kind: Kind, v2: bool) -> Option<&'static [&'static str]> {
    use Kind::*;
    if v2 {
        return match kind {
            Schema => Some(&["definitions"]),
            Parameter => Some(&["parameters"]),
            Response => Some(&["responses"]),
            _ => None,
        };
    }
    match kind {
        Schema => Some(&["components", "schemas"]),
        Parameter => Some(&["components", "parameters"]),
        Header => Some(&["components", "headers"]),
        RequestBody => Some(&["components", "requestBodies"]),
        Response => Some(&["components", "responses"]),
        Example => Some(&["components", "examples"]),
        Link => Some(&["components", "links"]),
        Callback => Some(&["components", "callbacks"]),
        SecurityScheme => Some(&["components", "securitySchemes"]),
        _ => None,
    }
}

/// Every container of named objects, with the kind it holds.
pub fn containers(v2: bool) -> Vec<(Kind, &'static [&'static str])> {
    use Kind::*;
    [
        Schema,
        Parameter,
        Header,
        RequestBody,
        Response,
        Example,
        Link,
        Callback,
        SecurityScheme,
    ]
    .into_iter()
    .filter_map(|k| container(k, v2).map(|c| (k, c)))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_in_data_are_not_followed() {
        assert_eq!(child(Kind::Schema, "example", false), None);
        assert_eq!(child(Kind::Schema, "default", false), None);
        assert_eq!(child(Kind::MediaType, "example", false), None);
        assert_eq!(
            child(Kind::Schema, "items", false),
            Some(Child::One(Kind::Schema))
        );
    }

    #[test]
    fn swagger_2_keeps_schemas_in_definitions() {
        assert_eq!(container(Kind::Schema, true), Some(&["definitions"][..]));
        assert_eq!(
            child(Kind::Root, "definitions", true),
            Some(Child::Map(Kind::Schema))
        );
        assert_eq!(child(Kind::Root, "definitions", false), None);
        assert_eq!(container(Kind::PathItem, false), None);
    }
}
