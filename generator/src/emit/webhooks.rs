//! The webhook event enum, appended to `types.rs` for a spec with webhooks or
//! callbacks: one variant per payload, `Unknown` for the rest, and the functions that
//! turn a received request into one of them (checked by the runtime's
//! `WebhookVerifier` first).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{lines_to_attrs, own_lines_to_attrs};
use super::tokens::{ident, type_tokens, Scope};
use crate::model::{WebhookEvent, WebhookSignature, Webhooks};

/// The enum and its `impl`, each behind `cfg` (the `webhooks` feature, when the crate
/// has it).
pub fn event_enum(hooks: &Webhooks, cfg: &TokenStream) -> TokenStream {
    let name = ident(&hooks.enum_name);
    // The generator's own text (its example is a doctest where the crate is named).
    let docs = own_lines_to_attrs(&enum_docs(hooks));
    let variants = hooks.events.iter().map(|e| {
        let variant = ident(&e.variant);
        let docs = lines_to_attrs(&variant_docs(e, hooks.discriminator.as_deref()));
        match &e.payload {
            Some(ty) => {
                let ty = type_tokens(ty, Scope::Types);
                quote!(#docs #variant(#ty),)
            }
            None => quote!(#docs #variant,),
        }
    });
    let all_names: Vec<&str> = hooks
        .events
        .iter()
        .flat_map(|e| e.names.iter().map(String::as_str))
        .collect();
    let count = proc_macro2::Literal::usize_unsuffixed(all_names.len());
    let named_arms = hooks.events.iter().map(|e| {
        let variant = ident(&e.variant);
        let names = &e.names;
        match &e.payload {
            Some(_) => quote! {
                #(#names)|* => super::webhooks::decode_webhook(name, body).map(Self::#variant),
            },
            None => quote!(#(#names)|* => Ok(Self::#variant),),
        }
    });
    let name_arms = hooks.events.iter().map(|e| {
        let variant = ident(&e.variant);
        let first = &e.names[0];
        match &e.payload {
            Some(_) => quote!(Self::#variant(_) => Some(#first),),
            None => quote!(Self::#variant => Some(#first),),
        }
    });
    let by_body = hooks.discriminator.as_ref().map(|property| {
        let arms = hooks.events.iter().filter_map(|e| {
            let variant = ident(&e.variant);
            let tag = e.tag.as_ref()?;
            let first = &e.names[0];
            Some(quote! {
                Some(#tag) => serde_json::from_value(value)
                    .map(Self::#variant)
                    .map_err(|source| super::WebhookError::Decode { event: #first.to_string(), source }),
            })
        });
        let doc = format!(
            " Decodes a body by its `{property}` property: a value the spec does not list gives [`Self::Unknown`]. The signature is not checked: see [`Self::from_request`]."
        );
        quote! {
            #[doc = #doc]
            pub fn from_json(body: &[u8]) -> Result<Self, super::WebhookError> {
                let value: serde_json::Value = super::webhooks::decode_webhook("body", body)?;
                let tag = value.get(#property).and_then(serde_json::Value::as_str);
                match tag {
                    #(#arms)*
                    _ => Ok(Self::Unknown(value)),
                }
            }

            /// Checks the request with `verifier` (signature, timestamp, size), then decodes its body with [`Self::from_json`].
            pub fn from_request<H: super::WebhookHeaders + ?Sized>(
                verifier: &super::WebhookVerifier,
                headers: &H,
                body: &[u8],
            ) -> Result<Self, super::WebhookError> {
                verifier.verify(headers, body)?;
                Self::from_json(body)
            }
        }
    });
    let declared = hooks.signature.as_ref().map(|scheme| {
        let (doc, build) = match scheme {
            WebhookSignature::Standard => (
                " A verifier for the signature scheme the spec declares (`x-webhook-signature`): Standard Webhooks, with the endpoint's secret (`whsec_...`).".to_string(),
                quote!(super::WebhookVerifier::standard(secret)),
            ),
            WebhookSignature::HmacSha256 { header, prefix } => (
                format!(" A verifier for the signature scheme the spec declares (`x-webhook-signature`): an HMAC-SHA256 of the body in `{header}` (`{prefix}<hex>`), with the webhook's secret."),
                quote!(Ok(super::WebhookVerifier::hmac_sha256(#header, #prefix, secret))),
            ),
        };
        quote! {
            #[doc = #doc]
            pub fn verifier(secret: &str) -> Result<super::WebhookVerifier, super::WebhookError> {
                #build
            }
        }
    });
    quote! {
        #cfg
        #docs
        #[derive(Debug, Clone, PartialEq)]
        // A webhook the spec adds later is a new variant, not a break: match with a `_` arm.
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// An event this version of the client does not know (a name or a type the spec does not list), kept as JSON.
            Unknown(serde_json::Value),
        }

        #cfg
        impl #name {
            /// The names of the webhooks and callbacks, as the spec writes them: what [`Self::from_named`] knows.
            pub const NAMES: [&'static str; #count] = [#(#all_names),*];

            /// Decodes the body of the webhook (or callback) called `name` in the spec: a name it does not list gives [`Self::Unknown`]. The signature is not checked: see [`Self::from_named_request`].
            pub fn from_named(name: &str, body: &[u8]) -> Result<Self, super::WebhookError> {
                match name {
                    #(#named_arms)*
                    _ => super::webhooks::decode_webhook(name, body).map(Self::Unknown),
                }
            }

            /// Checks the request with `verifier` (signature, timestamp, size), then decodes its body with [`Self::from_named`].
            pub fn from_named_request<H: super::WebhookHeaders + ?Sized>(
                name: &str,
                verifier: &super::WebhookVerifier,
                headers: &H,
                body: &[u8],
            ) -> Result<Self, super::WebhookError> {
                verifier.verify(headers, body)?;
                Self::from_named(name, body)
            }

            #by_body

            #declared

            /// The spec's name for this event (the first, when several webhooks send it); `None` for [`Self::Unknown`].
            pub fn name(&self) -> Option<&'static str> {
                match self {
                    #(#name_arms)*
                    Self::Unknown(_) => None,
                }
            }
        }
    }
}

fn enum_docs(hooks: &Webhooks) -> Vec<String> {
    let name = &hooks.enum_name;
    let mut lines = vec![
        "The requests the API sends to you (its webhooks and callbacks), decoded: one variant per payload, and [`Self::Unknown`] for anything else. `#[non_exhaustive]`, like every enum here: a webhook the spec adds later is a new variant, not a compile error.".to_string(),
        String::new(),
    ];
    let call = match &hooks.discriminator {
        Some(property) => {
            lines.push(format!(
                "A body says which event it is by its `{property}` property ([`Self::from_request`], [`Self::from_json`]); [`Self::from_named_request`] takes the name from your route instead."
            ));
            format!("{name}::from_request(&verifier, &headers, &body)?")
        }
        None => {
            lines.push(
                "The payloads do not say which event they are, so your route does: [`Self::from_named_request`] with the webhook's name (one of [`Self::NAMES`]).".to_string(),
            );
            let first = &hooks.events[0].names[0];
            format!("{name}::from_named_request({first:?}, &verifier, &headers, &body)?")
        }
    };
    lines.extend([
        String::new(),
        "Check the signature first: [`WebhookVerifier`](super::WebhookVerifier) verifies Standard Webhooks (`webhook-signature`) or an HMAC header such as GitHub's `X-Hub-Signature-256`, with a timestamp tolerance and a body size cap.".to_string(),
        String::new(),
        "```no_run".to_string(),
        format!("use __crate__::{{types::{name}, WebhookVerifier}};"),
        String::new(),
        "# fn handle(headers: __crate__::reqwest::header::HeaderMap, body: Vec<u8>) -> Result<(), __crate__::WebhookError> {".to_string(),
        "let verifier = WebhookVerifier::standard(\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\")?;".to_string(),
        format!("match {call} {{"),
        format!("    {name}::Unknown(json) => println!(\"not in the spec: {{json}}\"),"),
        "    event => println!(\"{:?}\", event.name()),".to_string(),
        "}".to_string(),
        "# Ok(())".to_string(),
        "# }".to_string(),
        "```".to_string(),
    ]);
    lines
}

fn variant_docs(event: &WebhookEvent, discriminator: Option<&str>) -> Vec<String> {
    let kind = if event.callback {
        "Callback"
    } else {
        "Webhook"
    };
    let names: Vec<String> = event.names.iter().map(|n| format!("`{n}`")).collect();
    let mut head = format!("{kind} {}", names.join(", "));
    if let (Some(property), Some(tag)) = (discriminator, &event.tag) {
        head.push_str(&format!(" (`{property}`: `{tag}`)"));
    }
    head.push('.');
    let mut lines = vec![head];
    let described = super::docs::doc_lines(&event.docs);
    if !described.is_empty() {
        lines.push(String::new());
        lines.extend(described);
    }
    lines
}
