//! Cargo features per tag: each operation belongs to the features of its tags, and each
//! type to the features of the operations that use it, so a user can compile only the
//! part of a large API they call.

use std::collections::{BTreeSet, HashMap};

use heck::ToKebabCase;

use super::{Operation, ResponseBody, ResponseShape, TypeDef, TypeRef};

/// The feature that gates types no operation uses (spare schemas; webhook payloads are
/// used, by the webhook event enum).
pub const MODELS_FEATURE: &str = "unused-types";

/// The feature that compiles the webhook event enum, the types only it uses, and the
/// verifier (received webhooks are not needed to call the API).
pub const WEBHOOKS_FEATURE: &str = "webhooks";

/// The features a generated crate declares off by default (every tag is on).
pub const OPT_IN: [&str; 2] = [MODELS_FEATURE, WEBHOOKS_FEATURE];

/// The feature that gives every type both serde traits, not only the one its direction
/// needs (see [`Wire`](super::Wire)).
pub const FULL_SERDE_FEATURE: &str = "full-serde";

/// Assigns features to operations and types; returns every feature, sorted.
///
/// `received` are the types the webhook event enum names: used, by the `webhooks`
/// feature.
pub fn assign(
    operations: &mut [Operation],
    types: &mut [TypeDef],
    tags_of: &[Vec<String>],
    received: &[&TypeRef],
) -> Vec<String> {
    let mut all = BTreeSet::new();
    for (op, tags) in operations.iter_mut().zip(tags_of) {
        op.features = tags
            .iter()
            .map(|t| feature_name(t))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        all.extend(op.features.iter().cloned());
    }
    let index: HashMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    // For each type: the features that need it, or None once an ungated operation does.
    let mut needed: Vec<Option<BTreeSet<String>>> = vec![Some(BTreeSet::new()); types.len()];
    let mut reached = vec![false; types.len()];
    let webhooks = vec![WEBHOOKS_FEATURE.to_string()];
    if !received.is_empty() {
        all.insert(WEBHOOKS_FEATURE.to_string());
    }
    let roots = operations
        .iter()
        .map(|op| (operation_types(op), &op.features))
        .chain(std::iter::once((received.to_vec(), &webhooks)));
    for (root_types, op_features) in roots {
        let mut stack: Vec<usize> = Vec::new();
        for ty in root_types {
            ty.visit_names(&mut |n| stack.extend(index.get(n).copied()));
        }
        let mut seen = vec![false; types.len()];
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            reached[i] = true;
            match (&mut needed[i], op_features.is_empty()) {
                (slot @ Some(_), true) => *slot = None,
                (Some(set), false) => set.extend(op_features.iter().cloned()),
                (None, _) => {}
            }
            for ty in types[i].kind.references() {
                ty.visit_names(&mut |n| stack.extend(index.get(n).copied()));
            }
        }
    }
    let mut models_used = false;
    for (i, def) in types.iter_mut().enumerate() {
        def.features = if !reached[i] {
            models_used = true;
            vec![MODELS_FEATURE.to_string()]
        } else {
            needed[i]
                .take()
                .map(|s| s.into_iter().collect())
                .unwrap_or_default()
        };
    }
    if models_used {
        all.insert(MODELS_FEATURE.to_string());
    }
    all.into_iter().collect()
}

/// `Code Scanning` → `code-scanning`.
fn feature_name(tag: &str) -> String {
    let words: String = tag
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let name = words.to_kebab_case();
    if name.is_empty()
        || [
            "default",
            MODELS_FEATURE,
            WEBHOOKS_FEATURE,
            FULL_SERDE_FEATURE,
            "mock",
            "tracing",
        ]
        .contains(&name.as_str())
    {
        format!("tag-{name}")
    } else {
        name
    }
}

/// The types an operation names: parameters, body, responses, page items and events.
pub fn operation_types(op: &Operation) -> Vec<&TypeRef> {
    let mut out: Vec<&TypeRef> = op.params.iter().map(|p| &p.ty).collect();
    out.extend(op.body.iter().map(|b| &b.ty));
    out.extend(received_types(op));
    out
}

/// The types an operation receives: success and error bodies, page items and events.
pub fn received_types(op: &Operation) -> Vec<&TypeRef> {
    let mut out: Vec<&TypeRef> = Vec::new();
    for set in [&op.success, &op.errors] {
        for r in &set.responses {
            if let ResponseBody::Json(t) = &r.body {
                out.push(t);
            }
        }
        if let ResponseShape::Single(ResponseBody::Json(t)) = &set.shape {
            out.push(t);
        }
    }
    // The item types of pages and event streams are named by the methods themselves:
    // the page type may name an identical type instead (see `dedup`).
    out.extend(op.pagination.iter().map(|p| &p.item_type));
    out.extend(op.events.iter().map(|e| &e.item));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_names() {
        assert_eq!(feature_name("Code Scanning"), "code-scanning");
        assert_eq!(feature_name("pets"), "pets");
        assert_eq!(feature_name("default"), "tag-default");
        // The crate's own features keep their names: a tag of that name gets a prefix.
        assert_eq!(feature_name("Webhooks"), "tag-webhooks");
        assert_eq!(feature_name("mock"), "tag-mock");
    }
}
