//! Local references: which component a `$ref` names, and following chains of
//! references (`$ref` to a `$ref`) to the item at their end.

use indexmap::IndexMap;
use openapiv3::ReferenceOr;

pub const SCHEMAS: &str = "#/components/schemas/";
pub const PARAMETERS: &str = "#/components/parameters/";
pub const REQUEST_BODIES: &str = "#/components/requestBodies/";
pub const RESPONSES: &str = "#/components/responses/";

/// More hops than this is a loop (`A → B → A`), reported as unresolved.
const MAX_HOPS: usize = 64;

/// The component key a local reference names under `prefix`, decoded as a JSON pointer
/// token inside a URI fragment: percent-decoding first (`a%20b`), then `~1` and `~0`.
pub fn component_key(reference: &str, prefix: &str) -> Option<String> {
    let token = reference.strip_prefix(prefix)?;
    if token.contains('/') {
        // A pointer into a component (`#/components/schemas/A/properties/b`).
        return None;
    }
    Some(unescape_token(&percent_decode(token)))
}

/// `~1` is `/` and `~0` is `~` (RFC 6901), in that order.
pub fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// `%XX` sequences decoded; text that is not valid percent-encoded UTF-8 is kept as is.
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// The item at the end of a chain of references into `map` (components of one kind,
/// named by `prefix`). `None` when a link does not resolve or the chain loops.
pub fn follow<'a, T>(
    map: Option<&'a IndexMap<String, ReferenceOr<T>>>,
    prefix: &str,
    reference: &str,
) -> Option<&'a T> {
    let map = map?;
    let mut reference = reference;
    for _ in 0..MAX_HOPS {
        match map.get(&component_key(reference, prefix)?)? {
            ReferenceOr::Item(item) => return Some(item),
            ReferenceOr::Reference { reference: next } => reference = next,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_percent_and_tilde_decoded() {
        assert_eq!(
            component_key("#/components/schemas/a%20b", SCHEMAS).as_deref(),
            Some("a b")
        );
        assert_eq!(
            component_key("#/components/schemas/a~1b~0c", SCHEMAS).as_deref(),
            Some("a/b~c")
        );
        assert_eq!(
            component_key("#/components/schemas/%7E1", SCHEMAS).as_deref(),
            Some("/")
        );
        assert_eq!(
            component_key("#/components/schemas/100%", SCHEMAS).as_deref(),
            Some("100%")
        );
        assert_eq!(
            component_key("#/components/schemas/%zz%e2", SCHEMAS).as_deref(),
            Some("%zz%e2")
        );
        assert_eq!(
            component_key("#/components/schemas/%C3%A9", SCHEMAS).as_deref(),
            Some("é")
        );
        assert_eq!(component_key("#/components/responses/a", SCHEMAS), None);
        assert_eq!(
            component_key("#/components/schemas/a/properties/b", SCHEMAS),
            None
        );
    }

    #[test]
    fn chains_are_followed_and_loops_end() {
        let mut map: IndexMap<String, ReferenceOr<u8>> = IndexMap::new();
        let r = |to: &str| ReferenceOr::Reference {
            reference: format!("{PARAMETERS}{to}"),
        };
        map.insert("a".into(), r("b"));
        map.insert("b".into(), r("c%20d"));
        map.insert("c d".into(), ReferenceOr::Item(7));
        map.insert("x".into(), r("y"));
        map.insert("y".into(), r("x"));
        assert_eq!(
            follow(Some(&map), PARAMETERS, &format!("{PARAMETERS}a")),
            Some(&7)
        );
        assert_eq!(
            follow(Some(&map), PARAMETERS, &format!("{PARAMETERS}x")),
            None
        );
        assert_eq!(
            follow(Some(&map), PARAMETERS, &format!("{PARAMETERS}nope")),
            None
        );
    }
}
