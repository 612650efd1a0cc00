//! Rust names for spec names: types, fields, variants and methods. Every function here
//! returns a valid identifier for any input, and [`Namespace`] makes names unique.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

use super::{EnumRepr, Primitive, Tagging, TypeKind, TypeRef};

/// Words that cannot be identifiers even as raw identifiers (`r#self` is invalid).
const NOT_RAW: [&str; 5] = ["self", "Self", "super", "crate", "extern"];

const KEYWORDS: [&str; 51] = [
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// Type and variant names the generated modules use unqualified; a schema or a variant
/// may not take them.
const RESERVED_TYPES: [&str; 14] = [
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Self",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
];

/// The other names of the standard prelude (and `Display`): a named schema type may
/// not take them either, since the types module and the runtime macros expanded in it
/// name them unqualified. Variants live in their enum's namespace and may.
const PRELUDE_TYPES: [&str; 28] = [
    "AsMut",
    "AsRef",
    "Copy",
    "Display",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Hash",
    "Into",
    "IntoIterator",
    "Iterator",
    "Ord",
    "PartialOrd",
    "Send",
    "Sized",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
];

/// The name of a schema's type: [`type_name`], with the suffix `Model` when that is a
/// name of the standard prelude (`From` → `FromModel`).
pub fn schema_type_name(raw: &str, fallback: &str) -> String {
    let mut name = type_name(raw, fallback);
    if PRELUDE_TYPES.contains(&name.as_str()) {
        name.push_str("Model");
    }
    name
}

pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Keeps ASCII letters and digits, turning everything else into word breaks, so heck
/// sees `DateSent<` as `DateSent` and `api.v2010.call` as three words.
fn words(raw: &str) -> String {
    // Comparison suffixes carry meaning (`DateSent<` is "sent before"): keep them as words.
    let raw = raw
        .replace("<=", " lte ")
        .replace(">=", " gte ")
        .replace('<', " lt ")
        .replace('>', " gt ");
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `UpperCamelCase` type or variant name. `fallback` is used when nothing of `raw`
/// survives (an empty string, or only punctuation).
pub fn type_name(raw: &str, fallback: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = fallback.to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Model");
    }
    name
}

/// `snake_case` name for a field, parameter or method. Keywords become raw identifiers
/// (`r#type`), except the few that cannot, which get a trailing underscore.
pub fn field_name(raw: &str) -> String {
    let mut name = words(raw).to_snake_case();
    if name.is_empty() {
        name = "value".to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// The identifier text to give to `syn`/`quote` for a field name from [`field_name`].
pub fn ident_text(name: &str) -> String {
    if is_keyword(name) && !NOT_RAW.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_string()
    }
}

/// Longest generated name. Inline types are named from where they appear, so their
/// names grow with nesting depth; rustdoc writes one file per type (`struct.Name.html`)
/// and file names are limited to 255 bytes.
pub const MAX_NAME_LEN: usize = 100;
/// How much of a too-long name is kept before its hash.
const KEPT_PREFIX: usize = 80;

/// A name longer than [`MAX_NAME_LEN`] becomes its first 80 characters followed by a
/// 16-hex-digit FNV-1a hash of the whole name (after a `_` in a snake_case name): short
/// enough for any file system, stable across runs, and distinct for distinct names.
pub fn cap_length(name: &str) -> String {
    if name.len() <= MAX_NAME_LEN {
        return name.to_string();
    }
    let hash = fnv(name);
    let prefix: String = name.chars().take(KEPT_PREFIX).collect();
    let snake = !name.chars().any(|c| c.is_ascii_uppercase());
    let separator = if snake && !prefix.ends_with('_') {
        "_"
    } else {
        ""
    };
    format!("{prefix}{separator}{hash:016x}")
}

/// FNV-1a, 64 bits: a hash that is the same on every run and every platform.
fn fnv(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// `wanted` told apart by a hash of `id`, the identity of the item that wants it
/// (`Error` → `Error7C1D`, `get_pet` → `get_pet_7c1d`): four hex digits, more when those
/// are `taken`. The result depends on nothing but the two, so it does not move when
/// other items come and go (unlike a counter).
pub fn suffixed(wanted: &str, id: &str, taken: impl Fn(&str) -> bool) -> String {
    let hex = format!("{:016x}", fnv(id));
    let snake = wanted
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    let with = |digits: &str| {
        let name = if !snake {
            format!("{wanted}{}", digits.to_ascii_uppercase())
        } else if wanted.ends_with('_') {
            format!("{wanted}{digits}")
        } else {
            format!("{wanted}_{digits}")
        };
        cap_length(&name)
    };
    for len in [4, 6, 8, 12, 16] {
        let name = with(&hex[..len]);
        if !taken(&name) {
            return name;
        }
    }
    (2u32..)
        .map(|i| with(&format!("{hex}{i}")))
        .find(|name| !taken(name))
        .unwrap_or_default()
}

/// A set of names in one scope. `claim` returns the name itself when it is free and a
/// numbered variant (`Name2`, `name_2`) when it is not: for names local to one item
/// (fields, variants), which a new item elsewhere cannot shift. Names of the whole
/// client are claimed through [`super::claims::Claims`], or [`Namespace::claim_for`].
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: HashSet<String>,
}

impl Namespace {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_string());
    }

    /// The name itself when it is free, otherwise [`suffixed`] by `id`: for a name
    /// made after every other (a shared shape's, a stream method's), which never takes
    /// a name from an item of the spec.
    pub fn claim_for(&mut self, name: &str, id: &str) -> String {
        let capped = cap_length(name);
        let name = if self.taken.contains(&capped) {
            suffixed(&capped, id, |n| self.taken.contains(n))
        } else {
            capped
        };
        self.taken.insert(name.clone());
        name
    }

    pub fn claim(&mut self, name: &str) -> String {
        let capped = cap_length(name);
        let name = capped.as_str();
        if self.taken.insert(name.to_string()) {
            return name.to_string();
        }
        let snake = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
        (2..)
            .map(|i| {
                // `self_` numbers as `self_2`, not `self__2` (not snake case).
                if snake && !name.ends_with('_') {
                    format!("{name}_{i}")
                } else {
                    format!("{name}{i}")
                }
            })
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or_default()
    }
}

/// Longest name made from a shape ([`union_shape_name`], [`enum_shape_name`]).
const MAX_SHAPE_NAME_LEN: usize = 32;

/// A name that says what an untagged union of primitives (or lists or maps of them) is:
/// `StringOrInteger`, `StringOrStringList`. For a type that several unrelated schemas
/// share, the name of its shape reads better than the name of any one of them. `None`
/// for other unions, one of fewer than two or more than three variants, or two variants
/// that read alike (`i32` and `i64` are both `Integer`).
pub fn union_shape_name(kind: &TypeKind) -> Option<String> {
    let TypeKind::Union(u) = kind else {
        return None;
    };
    if u.tagging != Tagging::Untagged {
        return None;
    }
    let words = u
        .variants
        .iter()
        .map(|v| ref_word(&v.ty))
        .collect::<Option<Vec<_>>>()?;
    joined_with_or(words)
}

/// A name made of the values of a string enum of two or three one-word values:
/// `OpenOrClosed`, `PublicOrPrivateOrInternal`. `None` for longer lists, values of
/// several words (`PR_TITLE`), or a long result.
pub fn enum_shape_name(kind: &TypeKind) -> Option<String> {
    let TypeKind::Enum(e) = kind else {
        return None;
    };
    if e.repr != EnumRepr::String {
        return None;
    }
    let words = e
        .variants
        .iter()
        .map(|v| {
            let value = v.value.as_str()?;
            let one_word = value.starts_with(|c: char| c.is_ascii_alphabetic())
                && value.chars().all(|c| c.is_ascii_alphanumeric())
                && camel_words(&type_name(value, "")).len() == 1;
            one_word.then(|| type_name(value, ""))
        })
        .collect::<Option<Vec<_>>>()?;
    joined_with_or(words)
}

fn joined_with_or(words: Vec<String>) -> Option<String> {
    let distinct: HashSet<&String> = words.iter().collect();
    if !(2..=3).contains(&words.len()) || distinct.len() != words.len() {
        return None;
    }
    let name = words.join("Or");
    (name.len() <= MAX_SHAPE_NAME_LEN).then_some(name)
}

/// `String`, `Integer`, `StringList`, `NumberMap`; `None` for a named type, an option or
/// any JSON value.
fn ref_word(ty: &TypeRef) -> Option<String> {
    Some(match ty {
        TypeRef::Prim(p) => prim_word(*p)?.to_string(),
        TypeRef::Vec(inner) => format!("{}List", prim_word(prim(inner)?)?),
        TypeRef::Map(inner) => format!("{}Map", prim_word(prim(inner)?)?),
        _ => return None,
    })
}

fn prim(ty: &TypeRef) -> Option<Primitive> {
    match ty {
        TypeRef::Prim(p) => Some(*p),
        _ => None,
    }
}

fn prim_word(p: Primitive) -> Option<&'static str> {
    Some(match p {
        Primitive::String => "String",
        Primitive::Bool => "Boolean",
        Primitive::I32 | Primitive::I64 | Primitive::U32 | Primitive::U64 => "Integer",
        Primitive::F64 => "Number",
        Primitive::Date => "Date",
        Primitive::DateTime => "DateTime",
        Primitive::Bytes => "Bytes",
        Primitive::Base64 => "Base64",
        Primitive::JsonObject => "Object",
        Primitive::Json => return None,
    })
}

/// Words that say where a schema is written, not what it is: a common name made of the
/// users' last words does not start with them (`BodyTitle` is no name for a title).
const PLACE_WORDS: [&str; 13] = [
    "Body", "Item", "Items", "Request", "Response", "Query", "Params", "Model", "List", "Get",
    "Create", "Update", "Delete",
];

/// Words that join others: a name does not start with them.
const CONNECTIVES: [&str; 10] = [
    "Of", "And", "Or", "With", "By", "For", "To", "In", "On", "At",
];

/// The words that all `names` end with (`ReposGetPullRequestCreationPolicy` and
/// `MinimalRepositoryPullRequestCreationPolicy` → `PullRequestCreationPolicy`), less
/// leading words of place ([`PLACE_WORDS`]), when at least two words that are not of
/// place remain: what the users of a shared type call it. One word (`Type`, `Action`,
/// `ErrorsItem`) is too vague to be the name of one type among many, and a suffix that
/// starts with a joining word ([`CONNECTIVES`]) is the tail of a phrase. `None` when the names share fewer words.
pub fn common_suffix<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut names = names.into_iter();
    let first = camel_words(names.next()?);
    let mut shared = first.len();
    for name in names {
        let words = camel_words(name);
        let same = first
            .iter()
            .rev()
            .zip(words.iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        shared = shared.min(same);
    }
    let mut suffix = &first[first.len() - shared..];
    while suffix.first().is_some_and(|w| PLACE_WORDS.contains(w)) {
        suffix = &suffix[1..];
    }
    let meaningful = suffix.iter().filter(|w| !PLACE_WORDS.contains(w)).count();
    // `OfAndNullableProp` (from `AnyOf…` and `OneOf…`) is the end of a phrase, no name.
    if meaningful < 2 || suffix.first().is_some_and(|w| CONNECTIVES.contains(w)) {
        return None;
    }
    Some(suffix.concat())
}

/// The words of an `UpperCamelCase` name: a new word at each capital after a small letter
/// or a digit (`Response503Errors` → `Response503`, `Errors`).
fn camel_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    for (i, c) in name.char_indices() {
        if c.is_ascii_uppercase()
            && prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
        {
            words.push(&name[start..i]);
            start = i;
        }
        prev = Some(c);
    }
    if start < name.len() {
        words.push(&name[start..]);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(
            type_name("api.v2010.account.call", "T"),
            "ApiV2010AccountCall"
        );
        assert_eq!(type_name("1024x1024", "T"), "V1024x1024");
        assert_eq!(type_name("", "Empty"), "Empty");
        assert_eq!(type_name("&", "Value3"), "Value3");
        assert_eq!(type_name("default", "T"), "DefaultModel");
        assert_eq!(schema_type_name("From", "T"), "FromModel");
        assert_eq!(schema_type_name("iterator", "T"), "IteratorModel");
        assert_eq!(schema_type_name("Option", "T"), "OptionModel");
        // A variant may be called `Eq`: it lives in its enum.
        assert_eq!(type_name("eq", "T"), "Eq");
        assert_eq!(
            type_name("identity.verification", "T"),
            "IdentityVerification"
        );
    }

    #[test]
    fn field_names() {
        assert_eq!(field_name("type"), "type");
        assert_eq!(ident_text(&field_name("type")), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("DateSent<"), "date_sent_lt");
        assert_eq!(field_name("StartTime>="), "start_time_gte");
        assert_eq!(field_name("PARAMETER-COOKIE"), "parameter_cookie");
        assert_eq!(field_name("2fa"), "_2fa");
        assert_eq!(field_name("$"), "value");
        assert_eq!(field_name("createdAt"), "created_at");
    }

    #[test]
    fn long_names_are_capped_stable_and_distinct() {
        let a = "Nested".repeat(40);
        let b = format!("{}X", "Nested".repeat(40));
        let mut ns = Namespace::new();
        let (ca, cb) = (ns.claim(&a), ns.claim(&b));
        assert!(
            ca.len() <= MAX_NAME_LEN && cb.len() <= MAX_NAME_LEN,
            "{ca} {cb}"
        );
        assert_ne!(ca, cb);
        assert_eq!(ca, cap_length(&a));
        assert!(ca.starts_with("NestedNested"));
        let snake = cap_length(&"very_long_field".repeat(20));
        assert!(snake.len() <= MAX_NAME_LEN);
        assert!(snake
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'));
        assert_eq!(cap_length("Short"), "Short");
    }

    #[test]
    fn numbered_names_stay_snake_case() {
        let mut ns = Namespace::new();
        ns.reserve("self_");
        assert_eq!(ns.claim(&field_name("self")), "self_2");
        assert_eq!(ns.claim(&field_name("Self")), "self_3");
    }

    #[test]
    fn namespace_numbers_collisions() {
        let mut ns = Namespace::new();
        assert_eq!(ns.claim("Pet"), "Pet");
        assert_eq!(ns.claim("Pet"), "Pet2");
        assert_eq!(ns.claim("pet_id"), "pet_id");
        assert_eq!(ns.claim("pet_id"), "pet_id_2");
    }

    fn union_of(types: &[TypeRef]) -> TypeKind {
        TypeKind::Union(super::super::UnionDef {
            tagging: Tagging::Untagged,
            variants: types
                .iter()
                .enumerate()
                .map(|(i, ty)| super::super::UnionVariant {
                    rust_name: format!("V{i}"),
                    ty: ty.clone(),
                    tags: Vec::new(),
                    docs: Default::default(),
                })
                .collect(),
        })
    }

    fn string_enum(values: &[&str]) -> TypeKind {
        TypeKind::Enum(super::super::EnumDef {
            repr: EnumRepr::String,
            variants: values
                .iter()
                .map(|v| super::super::EnumVariant {
                    rust_name: type_name(v, "V"),
                    value: serde_json::json!(v),
                    docs: Default::default(),
                })
                .collect(),
            unknown_variant: "Unknown".into(),
        })
    }

    #[test]
    fn shape_names_of_primitive_unions() {
        let p = TypeRef::Prim;
        let list = |t| TypeRef::Vec(Box::new(p(t)));
        let name = |types: &[TypeRef]| union_shape_name(&union_of(types));
        assert_eq!(
            name(&[p(Primitive::String), p(Primitive::I64)]).as_deref(),
            Some("StringOrInteger")
        );
        assert_eq!(
            name(&[p(Primitive::String), list(Primitive::String)]).as_deref(),
            Some("StringOrStringList")
        );
        assert_eq!(
            name(&[
                p(Primitive::Bool),
                p(Primitive::F64),
                p(Primitive::JsonObject)
            ])
            .as_deref(),
            Some("BooleanOrNumberOrObject")
        );
        // Alike words, a named variant, any JSON value, one variant: no shape name.
        assert_eq!(name(&[p(Primitive::I32), p(Primitive::I64)]), None);
        assert_eq!(name(&[p(Primitive::String), TypeRef::named("Pet")]), None);
        assert_eq!(name(&[p(Primitive::String), p(Primitive::Json)]), None);
        assert_eq!(name(&[p(Primitive::String)]), None);
    }

    #[test]
    fn shape_names_of_short_string_enums() {
        let name = |values: &[&str]| enum_shape_name(&string_enum(values));
        assert_eq!(name(&["open", "closed"]).as_deref(), Some("OpenOrClosed"));
        assert_eq!(
            name(&["public", "private", "internal"]).as_deref(),
            Some("PublicOrPrivateOrInternal")
        );
        assert_eq!(name(&["created"]), None, "one value");
        assert_eq!(name(&["a", "b", "c", "d"]), None, "four values");
        assert_eq!(name(&["PR_TITLE", "COMMIT_OR_PR_TITLE"]), None);
        assert_eq!(name(&["1", "2"]), None);
        assert_eq!(
            name(&["administration", "organization", "enterprise"]),
            None,
            "long"
        );
    }

    #[test]
    fn common_suffixes_of_names() {
        assert_eq!(
            common_suffix([
                "ForkEventForkeePullRequestCreationPolicy",
                "MinimalRepositoryPullRequestCreationPolicy",
            ])
            .as_deref(),
            Some("PullRequestCreationPolicy")
        );
        // Words of place are dropped; one word left is too vague.
        assert_eq!(
            common_suffix(["IssuesCreateBodyTitle", "PullsUpdateBodyTitle"]),
            None
        );
        assert_eq!(
            common_suffix(["WebhookStarCreatedAction", "WebhookForkCreatedAction"]).as_deref(),
            Some("CreatedAction")
        );
        assert_eq!(common_suffix(["ErrorsItem", "XErrorsItem"]), None);
        assert_eq!(
            common_suffix([
                "CompositionWithAnyOfAndNullableProp",
                "CompositionWithOneOfAndNullableProp"
            ]),
            None
        );
        assert_eq!(common_suffix(["Alpha", "Beta"]), None);
        assert_eq!(camel_words("Response503Errors"), ["Response503", "Errors"]);
    }
}
