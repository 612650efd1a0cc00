//! The intermediate representation of the client: plain data that the model stage
//! fills in and the emit and review stages read. Every decision (names, types,
//! presence, derives) is recorded here, so the later stages only print it.

use crate::diagnostics::Warning;

/// The whole client.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub servers: Vec<Server>,
    pub auth: Vec<AuthScheme>,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    pub warnings: Vec<Warning>,
    /// Cargo features: one per tag with [`Options::tag_features`](super::Options::tag_features), and `unused-types`
    /// when some type is gated behind it.
    pub features: Vec<String>,
    /// How users build each struct that goes into a request, and each operation's
    /// parameters struct, by name (decided by [`construction`](super::construction)).
    pub constructions: std::collections::BTreeMap<String, Construction>,
    /// The types a request may contain (see [`usage::request_types`](super::usage::request_types)):
    /// the ones users build, so the ones that get `From` conversions.
    pub request_types: std::collections::BTreeSet<String>,
    /// The event enum over the webhooks and callbacks, if the spec has any.
    pub webhooks: Option<Webhooks>,
}

/// Documentation gathered for one item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Other facts worth a line each: range, format, default, read-only...
    pub notes: Vec<String>,
    pub example: Option<serde_json::Value>,
}

impl Docs {
    pub fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.description.is_none()
            && self.notes.is_empty()
            && self.example.is_none()
    }
}

/// A server of the spec: a variant of the client's `servers::Server` enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// URL with each variable replaced by its default.
    pub url: String,
    pub description: Option<String>,
    /// The variant's name (from a short description, else from the host).
    pub rust_name: String,
    /// The URL template, literal text and variables in order; no literal holds `{` or `}`.
    pub parts: Vec<ServerUrlPart>,
    /// The variables the URL uses, in order of first use.
    pub variables: Vec<ServerVariable>,
}

/// A piece of a server URL template.
#[derive(Debug, Clone, PartialEq)]
pub enum ServerUrlPart {
    Literal(String),
    /// An index into [`Server::variables`].
    Variable(usize),
}

/// A variable of a server URL: a field of the server's variant.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    pub wire_name: String,
    /// snake_case field name.
    pub rust_name: String,
    pub default: String,
    pub description: Option<String>,
    /// In the host and port (a `:` is kept there), not the scheme or the path.
    pub in_authority: bool,
    /// The spec lists the values: an enum of them (else the field is a `String`).
    pub values: Option<ServerValues>,
}

/// The enum of a server variable's listed values. Two variables with the same name,
/// values and default share one enum.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerValues {
    pub type_name: String,
    /// The variable's name in the spec (the first one's, for a shared enum).
    pub wire_name: String,
    /// Variant name and value, in the spec's order.
    pub variants: Vec<(String, String)>,
    /// The variant of the default value.
    pub default: String,
}

/// How a credential is attached to a request.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthScheme {
    /// The key in `components.securitySchemes`.
    pub key: String,
    /// snake_case name for the builder method and the credential field.
    pub rust_name: String,
    pub kind: AuthKind,
    pub description: Option<String>,
    /// The builder method that takes a credential source (`<rust_name>_source`); none
    /// for basic authentication.
    pub source_method: Option<String>,
    /// The OAuth 2.0 flows the client can run itself (an `oauth2` scheme).
    pub oauth: OAuthFlows,
}

/// The OAuth 2.0 flows of a scheme that the runtime's `OAuth2` runs: each with its
/// builder method.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OAuthFlows {
    /// The client-credentials grant.
    pub client_credentials: Option<OAuthFlow>,
    /// The refresh-token grant, at the refresh URL (or token URL) of the
    /// authorization-code or password flow.
    pub refresh_token: Option<OAuthFlow>,
}

/// One flow: its token endpoint, the scopes to ask for (those the spec's operations
/// require), and its builder method.
#[derive(Debug, Clone, PartialEq)]
pub struct OAuthFlow {
    /// An absolute URL.
    pub token_url: String,
    pub scopes: Vec<String>,
    pub method: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AuthKind {
    /// `Authorization: Bearer <token>` (http bearer, oauth2, openIdConnect).
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// An API key in a header, query parameter or cookie.
    ApiKey {
        location: ParamLocation,
        name: String,
    },
}

/// One named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub docs: Docs,
    pub deprecated: bool,
    /// JSON pointer of the schema this type comes from.
    pub pointer: String,
    pub kind: TypeKind,
    /// Cargo features that compile this type (any of them); empty: always compiled.
    pub features: Vec<String>,
    /// Emitted `#[non_exhaustive]`, so that the spec may add fields or variants without
    /// breaking users (decided by [`usage`](super::usage)).
    pub non_exhaustive: bool,
    /// Which ways its values cross the wire, and so which serde traits it implements
    /// without the `full-serde` feature (decided by [`usage`](super::usage)).
    pub wire: Wire,
}

/// Which ways the values of a type cross the wire. A type is compiled with the serde
/// traits its direction needs: `Serialize` to send it, `Deserialize` to receive it. The
/// other one costs compile time for every user, so it waits behind the `full-serde`
/// cargo feature (which the `mock` feature turns on: mocks encode answers and decode
/// requests).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Wire {
    /// In a request only.
    Sent,
    /// In a response or a webhook only.
    Received,
    /// Both ways, or neither (a type no operation uses implements both, for the user's
    /// own use).
    #[default]
    Both,
}

impl Wire {
    /// The serde traits (`Serialize`, `Deserialize`) the type always implements, and the
    /// one it implements only with the `full-serde` feature.
    pub fn serde_traits(self) -> (&'static [&'static str], Option<&'static str>) {
        match self {
            Wire::Both => (&["Serialize", "Deserialize"], None),
            Wire::Sent => (&["Serialize"], Some("Deserialize")),
            Wire::Received => (&["Deserialize"], Some("Serialize")),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(StructDef),
    Enum(EnumDef),
    Union(UnionDef),
    /// `pub type Name = Target;`
    Alias(TypeRef),
    /// `pub struct Name(pub Target);`, for a recursive alias that Rust cannot express.
    Newtype(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    pub fields: Vec<Field>,
    /// Values of `additionalProperties` beside the declared fields, kept in a map.
    pub additional: Option<AdditionalMap>,
}

/// Above this many fields a struct's `Deserialize` is generated by hand rather than
/// derived. `serde`'s derive opens a nested scope per field (twice in `visit_map`), and
/// rustc 1.95 overflows its default stack writing the debug info of that nest in a
/// debug build (measured: 1,457 fields build, 1,465 do not; `cargo check` passes).
pub const WIDE_STRUCT_FIELDS: usize = 512;

impl StructDef {
    /// Whether the struct's `Deserialize` is written by hand (a field-index lookup and
    /// a loop over the object): when it has more than [`WIDE_STRUCT_FIELDS`] fields and
    /// none is flattened (a flattened field needs `serde`'s buffering).
    pub fn decodes_by_hand(&self) -> bool {
        self.fields.len() > WIDE_STRUCT_FIELDS && !self.fields.iter().any(|f| f.flatten)
    }

    /// Whether the struct derives `Default`: when no field is required (then a struct
    /// literal may end in `..Default::default()`). Emission and review both ask here.
    pub fn derives_default(&self) -> bool {
        self.fields.iter().all(|f| f.presence != Presence::Required)
    }
}

/// The map field that keeps the values of `additionalProperties`.
#[derive(Debug, Clone, PartialEq)]
pub struct AdditionalMap {
    /// The field's name, which no declared field takes (`additional_properties`).
    pub rust_name: String,
    /// The type of each value.
    pub value: TypeRef,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire_name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub presence: Presence,
    pub docs: Docs,
    pub deprecated: bool,
    /// Serialised into the enclosing object (`#[serde(flatten)]`), not under its name.
    pub flatten: bool,
}

/// How a field appears on the wire; it decides the Rust type wrapper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Always present, never null: `T`.
    Required,
    /// Always present, may be null: `Option<T>`, `null` written for `None`.
    RequiredNullable,
    /// May be absent, never null: `Option<T>`, omitted for `None`.
    Optional,
    /// May be absent or null: `Option<Option<T>>`, so both survive a round trip.
    OptionalNullable,
}

/// A closed set of values with a fallback that keeps unknown ones.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    pub repr: EnumRepr,
    pub variants: Vec<EnumVariant>,
    /// Name of the variant that carries values the spec does not list.
    pub unknown_variant: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    String,
    Integer,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub rust_name: String,
    /// The wire value: a string, or an integer for [`EnumRepr::Integer`].
    pub value: serde_json::Value,
    pub docs: Docs,
}

/// `oneOf` / `anyOf`.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionDef {
    pub tagging: Tagging,
    pub variants: Vec<UnionVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Tagging {
    /// Tried in order; the first that decodes wins.
    Untagged,
    /// Chosen by the value of a property (`discriminator`); an unknown tag is kept as
    /// a JSON value in the variant named `unknown_variant`.
    Property {
        property: String,
        unknown_variant: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    /// Discriminator values that select this variant.
    pub tags: Vec<String>,
    pub docs: Docs,
}

/// A Rust type, by structure.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    Named(String),
    Prim(Primitive),
    Vec(Box<TypeRef>),
    /// A JSON object with arbitrary keys: `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    Option(Box<TypeRef>),
    Box(Box<TypeRef>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Primitive {
    String,
    Bool,
    I32,
    I64,
    U32,
    U64,
    /// Every JSON number that is not an integer (`float` too: an f32 would not
    /// round-trip the server's value).
    F64,
    /// `format: date`.
    Date,
    /// `format: date-time`.
    DateTime,
    /// Raw bytes: a binary body or a file part.
    Bytes,
    /// Bytes written as base64 text in JSON (`format: byte`, `contentEncoding: base64`).
    Base64,
    /// Any JSON value.
    Json,
    /// A free-form JSON object.
    JsonObject,
}

impl TypeKind {
    /// The type references a definition holds: fields (and the map of extra
    /// properties), union variants, the target of an alias or newtype.
    pub fn references(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| &f.ty)
                .chain(s.additional.as_ref().map(|a| &a.value))
                .collect(),
            TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(t) | TypeKind::Newtype(t) => vec![t],
            TypeKind::Enum(_) => Vec::new(),
        }
    }
}

impl TypeRef {
    /// Calls `f` with every type name this reference holds.
    pub fn visit_names(&self, f: &mut impl FnMut(&str)) {
        match self {
            TypeRef::Named(n) => f(n),
            TypeRef::Prim(_) => {}
            TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Option(i) | TypeRef::Box(i) => {
                i.visit_names(f)
            }
        }
    }

    pub fn named(name: &str) -> Self {
        TypeRef::Named(name.to_string())
    }
    pub fn option(self) -> Self {
        match self {
            TypeRef::Option(_) => self,
            other => TypeRef::Option(Box::new(other)),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The spec's `operationId` (the method name where it has none), for tracing and
    /// hooks.
    pub operation_id: String,
    /// snake_case method name.
    pub method_name: String,
    /// Upper-case HTTP method.
    pub http_method: String,
    /// The path template as written, e.g. `/identity/sessions/{id}/complete`.
    pub path: String,
    pub path_parts: Vec<PathPart>,
    pub docs: Docs,
    pub deprecated: bool,
    pub pointer: String,
    /// Parameters in spec order; path parameters become method arguments, the others
    /// fields of the `params_struct`.
    pub params: Vec<Param>,
    /// Name of the struct that holds the query, header and cookie parameters.
    pub params_struct: Option<String>,
    pub body: Option<RequestBody>,
    pub success: ResponseSet,
    pub errors: ResponseSet,
    /// Alternatives, each a list of `AuthScheme::key`s used together. Empty: no auth.
    pub security: Vec<Vec<String>>,
    /// For an operation whose body has several media types: the method this one is an
    /// alternative of (same parameters and responses, another body encoding).
    pub alternative_of: Option<String>,
    /// The wire name of a header parameter that carries an idempotency key
    /// (`Idempotency-Key`): the client generates one when the caller gives none, and
    /// sends the same key on every attempt.
    pub idempotency_header: Option<String>,
    /// A pagination extension of the operation (`x-dropshot-pagination`, …): its name
    /// and value, read by [`pagination`](super::pagination).
    pub pagination_hint: Option<(String, serde_json::Value)>,
    /// How the operation's pages follow one another, when it is paginated.
    pub pagination: Option<Pagination>,
    /// The spec's tags.
    pub tags: Vec<String>,
    /// Cargo features that compile this method (any of them); empty: always compiled.
    pub features: Vec<String>,
    /// The `text/event-stream` answer the spec documents for a success, if any.
    pub events: Option<Events>,
    /// This method answers with the event stream (`events`) rather than a decoded
    /// body: the `_stream` twin of a method, or the only method of an operation that
    /// answers with events alone.
    pub streams: bool,
}

/// A success answered as server-sent events.
#[derive(Debug, Clone, PartialEq)]
pub struct Events {
    /// The schema of the stream: the type of each event's data.
    pub item: TypeRef,
    /// The request body has a boolean `stream` property that chooses the answer: the
    /// streaming method sends `true`, the other `false`.
    pub stream_flag: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathPart {
    Literal(String),
    /// Index into `Operation::params`.
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    Simple,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    Label,
    Matrix,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub wire_name: String,
    pub rust_name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub style: ParamStyle,
    pub explode: bool,
    pub docs: Docs,
    pub deprecated: bool,
    /// JSON pointer of the parameter (of the operation where the path template alone
    /// declares it).
    pub pointer: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub content_type: String,
    pub kind: BodyKind,
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Docs,
    /// For `multipart/*` bodies of a struct type: how each field becomes a part.
    pub parts: Vec<MultipartPart>,
}

/// One field of a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct MultipartPart {
    pub wire_name: String,
    pub rust_name: String,
    /// File content (`format: binary`, or an array of it) rather than text.
    pub file: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Form,
    Multipart,
    Binary,
    Text,
}

/// Which statuses a response entry covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    Code(u16),
    /// `4XX`: the first digit.
    Range(u16),
    Default,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    /// No content declared (or none we can type): the raw bytes are kept.
    Empty,
    Json(TypeRef),
    Text,
    Binary,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: StatusMatch,
    pub body: ResponseBody,
    pub description: String,
    /// Declares a `Link` header (RFC 8288 pagination, as GitHub does).
    pub link_header: bool,
}

/// How a paginated operation's pages follow one another (see [`pagination`](super::pagination)).
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Where the rule comes from, for docs and reports (`x-dropshot-pagination`, …).
    pub source: String,
    pub style: PageStyle,
    /// The `*_stream` method's name.
    pub method_name: String,
    /// Index into `Operation::params` of the parameter that carries the cursor, offset
    /// or page number (none for the URL styles).
    pub param: Option<usize>,
    /// Parameters sent with the first page only (dropshot's page token stands for them).
    pub first_page_only: Vec<usize>,
    /// From the page body to its items; empty: the body is the array.
    pub items: Vec<FieldStep>,
    pub item_type: TypeRef,
    /// From the page body to the next cursor or URL.
    pub next: Vec<FieldStep>,
    /// Whether the leaf of `next` is a string (otherwise a number, sent as text).
    pub next_is_string: bool,
    /// From the page body to a boolean "there are more pages".
    pub has_more: Vec<FieldStep>,
}

/// One field access on the way into a page body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldStep {
    pub rust_name: String,
    /// How many `Option`s wrap the field's Rust type (0 to 2).
    pub options: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageStyle {
    /// The page names a cursor that the next request sends in a parameter.
    Cursor,
    /// A parameter counts items: the next offset is this one plus the items received.
    Offset,
    /// A parameter counts pages: the next is this one plus one.
    Page,
    /// The page names the URL of the next page in its body.
    NextUrl,
    /// The `Link: <…>; rel="next"` response header names the next page.
    Link,
}

/// The success or the error responses of an operation and how they surface in Rust.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseSet {
    pub responses: Vec<Response>,
    pub shape: ResponseShape,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseShape {
    /// Every response has the same body: the method returns it directly.
    Single(ResponseBody),
    /// Different bodies: an enum with one variant per response, named here.
    Enum { name: String, variants: Vec<String> },
}

/// How one struct (or an operation's parameters struct) is built.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Construction {
    /// The constructor's arguments: field (or parameter) indexes, in order.
    pub args: Vec<usize>,
    /// Fields the constructor fills with the one value their type allows.
    pub filled: Vec<Filled>,
    /// One per optional field.
    pub setters: Vec<Setter>,
}

/// A field the constructor fills in: `enum_name::variant`.
#[derive(Debug, Clone, PartialEq)]
pub struct Filled {
    pub field: usize,
    pub enum_name: String,
    pub variant: String,
}

/// The setter of an optional field.
#[derive(Debug, Clone, PartialEq)]
pub struct Setter {
    pub field: usize,
    /// Sets the value.
    pub name: String,
    /// Sends JSON `null` instead, for a field that may be absent or null.
    pub null_name: Option<String>,
}

/// The requests the API sends to the user (3.1 `webhooks` and callbacks), as one enum
/// of events (see [`webhooks`](super::webhooks)).
#[derive(Debug, Clone, PartialEq)]
pub struct Webhooks {
    /// The enum's name (`WebhookEvent`, numbered when a spec type has it).
    pub enum_name: String,
    /// The property of the body whose constant value tells the events apart (`type`),
    /// when every payload has one with a value of its own.
    pub discriminator: Option<String>,
    pub events: Vec<WebhookEvent>,
    /// How the API signs them, as the spec declares it (`x-webhook-signature`).
    pub signature: Option<WebhookSignature>,
}

/// A signature scheme declared by the root's `x-webhook-signature` extension.
#[derive(Debug, Clone, PartialEq)]
pub enum WebhookSignature {
    /// `{scheme: standard-webhooks}`.
    Standard,
    /// `{scheme: hmac-sha256, header: X-Hub-Signature-256, prefix: "sha256="}`.
    HmacSha256 { header: String, prefix: String },
}

/// One variant of the event enum: one payload type, or one webhook without a body.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEvent {
    pub variant: String,
    /// The webhooks (keys) and callbacks (names) that send it, in spec order.
    pub names: Vec<String>,
    /// The discriminator's value for it.
    pub tag: Option<String>,
    /// `None`: the request has no body.
    pub payload: Option<TypeRef>,
    pub docs: Docs,
    pub callback: bool,
}
