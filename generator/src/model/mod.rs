//! Stage 2, model: the parsed document to an intermediate representation of the client
//! to generate. It holds no tokens; every decision about names, types, references,
//! `allOf` merging and cycle breaking is made here, so emission is mechanical.

mod claims;
pub mod construction;
mod cycles;
mod dedup;
pub mod features;
mod ir;
mod links;
pub mod naming;
mod operations;
pub mod pagination;
mod refs;
mod schemas;
mod security;
mod servers;
pub mod usage;
pub mod webhooks;

use crate::load::Document;

pub use ir::*;

/// Choices that change the model.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Gate every operation behind a cargo feature per tag, and every type behind the
    /// features of the operations that use it.
    pub tag_features: bool,
    /// Pagination the user declares for operations the spec does not mark.
    pub pagination: Vec<pagination::Rule>,
    /// Put the types no operation uses behind the `unused-types` cargo feature (always
    /// so with `tag_features`).
    pub unused_types_feature: bool,
}

/// Builds the model at most this often to settle the names: each pass after the first
/// settles the names made from names the pass before changed (an inline type of a
/// schema whose name was contested), so this is the depth of such chains. The names
/// are unique after any pass.
const MAX_NAMING_PASSES: usize = 6;

/// Builds the model of a loaded document with default options.
pub fn build(doc: &Document) -> Api {
    build_with(doc, &Options::default())
}

/// Builds the model of a loaded document.
pub fn build_with(doc: &Document, options: &Options) -> Api {
    let mut warnings = doc.warnings.clone();
    let api = &doc.api;
    // Names are claimed by the items that want them; who wins a contested name is known
    // once every claim is: build again with the plan of the claims until every name is
    // the planned one (see `claims`).
    let (mut type_plan, mut method_plan) = Default::default();
    let mut pass = 0;
    let (types, mut operations, incoming, event_enum) = loop {
        pass += 1;
        let mut types = schemas::TypeBuilder::new(api, type_plan);
        types.components();
        let (operations, methods) = operations::build(api, &mut types, method_plan);
        // Webhook payloads and their event enum claim names like everything else.
        let incoming = operations::webhooks::collect(api, &mut types);
        let event_enum =
            (!incoming.is_empty()).then(|| types.claim_name("WebhookEvent", "/webhooks"));
        let (types_planned, types_final) = types.settle();
        let (methods_planned, methods_final) = methods.settle();
        if (types_final && methods_final) || pass == MAX_NAMING_PASSES {
            break (types, operations, incoming, event_enum);
        }
        (type_plan, method_plan) = (types_planned, methods_planned);
    };
    let received: Vec<TypeRef> = incoming.iter().filter_map(|i| i.payload.clone()).collect();
    let (mut defs, type_warnings, mut type_names) = types.finish();
    warnings.extend(type_warnings);
    cycles::break_cycles(&mut defs);
    pagination::assign(&mut operations, &defs, &options.pagination, &mut warnings);
    let uses = operations
        .iter()
        .flat_map(features::operation_types)
        .chain(&received);
    dedup::merge_identical(&mut defs, uses, &mut type_names);
    let received_refs: Vec<&TypeRef> = received.iter().collect();
    let features = if options.tag_features {
        let tags: Vec<Vec<String>> = operations.iter().map(|op| op.tags.clone()).collect();
        features::assign(&mut operations, &mut defs, &tags, &received_refs)
    } else if options.unused_types_feature {
        let untagged = vec![Vec::new(); operations.len()];
        features::assign(&mut operations, &mut defs, &untagged, &received_refs)
    } else {
        Vec::new()
    };
    usage::mark_non_exhaustive(&mut defs);
    let request_types = usage::request_types(&defs, &operations);
    let response_types = usage::response_types(&defs, &operations, &received);
    usage::mark_wire(&mut defs, &request_types, &response_types);
    let constructions = construction::decide(&defs, &operations, &request_types);
    let signature = webhooks::signature(&api.extensions, &mut warnings);
    let webhooks = event_enum.and_then(|name| webhooks::assemble(incoming, name, &defs, signature));
    let servers = servers::build(api, &mut warnings);
    let auth = security::build(api, &mut warnings);
    let mut built = Api {
        title: api.info.title.clone(),
        version: api.info.version.clone(),
        description: api.info.description.clone(),
        servers,
        auth,
        types: defs,
        operations,
        warnings,
        features,
        constructions,
        request_types,
        webhooks,
    };
    links::absolutize(
        &mut built,
        api.external_docs.as_ref().map(|d| d.url.as_str()),
    );
    built
}
