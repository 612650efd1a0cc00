//! `pub mod servers` of `client.rs`: an enum of the spec's servers whose variants hold
//! their URL variables (an enum of the listed values, or a string), and
//! `ClientBuilder::server`, which takes one.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::docs::{lines_to_attrs, own_lines_to_attrs, spec_lines};
use super::super::tokens::ident;
use crate::model::{Server, ServerUrlPart, ServerValues, ServerVariable};

/// The `servers` module and `ClientBuilder::server`; nothing when the spec names no server.
pub fn servers(servers: &[Server]) -> TokenStream {
    let Some(first) = servers.first() else {
        return quote!();
    };
    let mut enums: Vec<&ServerValues> = Vec::new();
    for values in servers
        .iter()
        .flat_map(|s| &s.variables)
        .filter_map(|v| v.values.as_ref())
    {
        if !enums.iter().any(|e| e.type_name == values.type_name) {
            enums.push(values);
        }
    }
    let value_enums = enums.iter().map(|e| value_enum(e));
    let variants = servers.iter().enumerate().map(|(i, s)| variant(s, i == 0));
    let arms = servers.iter().map(url_arm);
    // A first server without variables is the derived default (clippy asks for that).
    let (derive_default, default_impl) = if first.variables.is_empty() {
        (quote!(Default,), quote!())
    } else {
        let default = construct(first, default_value);
        let impl_ = quote! {
            impl Default for Server {
                fn default() -> Self {
                    #default
                }
            }
        };
        (quote!(), impl_)
    };
    let module_doc = own_lines_to_attrs(&module_doc(servers));
    let free = servers
        .iter()
        .flat_map(|s| &s.variables)
        .any(|v| v.values.is_none());
    // Only a free text value goes through the runtime (to be percent-encoded).
    let runtime = free.then(|| {
        quote!(
            use super::super::runtime;
        )
    });
    let url_doc = if free {
        quote! {
            /// The base URL of this server. The spec's own values (the listed ones and
            /// the defaults) go in as written; any other text is percent-encoded, so
            /// that it stays within its part of the URL (a `/` or `?` in a tenant name
            /// adds no path segment or query).
        }
    } else {
        quote!(#[doc = " The base URL of this server."])
    };
    quote! {
        #module_doc
        pub mod servers {
            #runtime

            /// A server of the spec, with the values of its URL variables; give it to
            /// [`ClientBuilder::server`](super::ClientBuilder::server).
            ///
            /// The default is the first, with the defaults of its variables: the URL of
            /// [`DEFAULT_BASE_URL`](super::DEFAULT_BASE_URL).
            #[derive(Debug, Clone, PartialEq, Eq, Hash, #derive_default)]
            pub enum Server {
                #(#variants)*
            }

            #default_impl

            impl Server {
                #url_doc
                pub fn url(&self) -> String {
                    match self {
                        #(#arms)*
                    }
                }
            }

            #(#value_enums)*
        }

        impl ClientBuilder {
            /// Talks to this server of the spec (by default the first, with the defaults
            /// of its variables). A URL the spec does not name: [`ClientBuilder::base_url`].
            pub fn server(self, server: servers::Server) -> Self {
                self.base_url(server.url())
            }
        }
    }
}

fn module_doc(servers: &[Server]) -> Vec<String> {
    let mut lines = vec![
        "The servers the spec names: `Server` has a variant per server, with a field per URL variable.".to_string(),
        String::new(),
        "```no_run".to_string(),
    ];
    // The example picks a server with variables if there is one, else the last.
    let chosen = servers
        .iter()
        .find(|s| !s.variables.is_empty())
        .or(servers.last());
    let Some(chosen) = chosen else {
        return Vec::new();
    };
    let mut imports = vec!["Server".to_string()];
    for v in &chosen.variables {
        if let Some(values) = &v.values {
            if !imports.contains(&values.type_name) {
                imports.push(values.type_name.clone());
            }
        }
    }
    let imports = if imports.len() == 1 {
        imports[0].clone()
    } else {
        format!("{{{}}}", imports.join(", "))
    };
    lines.push(format!("use __crate__::servers::{imports};"));
    lines.push(String::new());
    lines.push("# fn example() -> Result<(), __crate__::Error> {".to_string());
    lines.push("let client = __crate__::Client::builder()".to_string());
    let fields: Vec<String> = chosen
        .variables
        .iter()
        .map(|v| {
            let value = match &v.values {
                // The last value: most often not the default, so the example shows a choice.
                Some(values) => format!(
                    "{}::{}",
                    values.type_name,
                    values
                        .variants
                        .last()
                        .map(|(n, _)| n.as_str())
                        .unwrap_or_default()
                ),
                None => format!(
                    "{:?}.into()",
                    format!("my-{}", v.rust_name.trim_start_matches("r#"))
                ),
            };
            format!("{}: {value}", v.rust_name)
        })
        .collect();
    if fields.is_empty() {
        lines.push(format!("    .server(Server::{})", chosen.rust_name));
    } else {
        lines.push(format!(
            "    .server(Server::{} {{ {} }})",
            chosen.rust_name,
            fields.join(", ")
        ));
    }
    lines.push("    .build()?;".to_string());
    lines.push("# let _ = client;".to_string());
    lines.push("# Ok(())".to_string());
    lines.push("# }".to_string());
    lines.push("```".to_string());
    lines
}

fn variant(server: &Server, first: bool) -> TokenStream {
    let name = ident(&server.rust_name);
    let mut lines = spec_lines(&format!("`{}`", template_text(server)));
    if let Some(d) = &server.description {
        lines.push(String::new());
        lines.extend(spec_lines(d));
    }
    let docs = lines_to_attrs(&lines);
    if server.variables.is_empty() {
        let default = first.then(|| quote!(#[default]));
        return quote! { #docs #default #name, };
    }
    let fields = server.variables.iter().map(|v| {
        let field = ident(&v.rust_name);
        let ty = match &v.values {
            Some(values) => {
                let t = ident(&values.type_name);
                quote!(#t)
            }
            None => quote!(String),
        };
        let mut lines = spec_lines(&format!("`{}` (default `{}`)", v.wire_name, v.default));
        if let Some(d) = &v.description {
            lines.push(String::new());
            lines.extend(spec_lines(d));
        }
        let docs = lines_to_attrs(&lines);
        quote! { #docs #field: #ty, }
    });
    quote! { #docs #name { #(#fields)* }, }
}

/// The URL template as the spec writes it.
fn template_text(server: &Server) -> String {
    server
        .parts
        .iter()
        .map(|p| match p {
            ServerUrlPart::Literal(text) => text.clone(),
            ServerUrlPart::Variable(i) => format!("{{{}}}", server.variables[*i].wire_name),
        })
        .collect()
}

/// `Server::Name { field: value, .. }` with each field's value from `value`.
fn construct(server: &Server, value: impl Fn(&ServerVariable) -> TokenStream) -> TokenStream {
    let name = ident(&server.rust_name);
    if server.variables.is_empty() {
        return quote!(Server::#name);
    }
    let fields = server.variables.iter().map(|v| {
        let field = ident(&v.rust_name);
        let value = value(v);
        quote!(#field: #value)
    });
    quote!(Server::#name { #(#fields),* })
}

fn default_value(v: &ServerVariable) -> TokenStream {
    match &v.values {
        Some(values) => {
            let t = ident(&values.type_name);
            let variant = ident(&values.default);
            quote!(#t::#variant)
        }
        None => {
            let text = &v.default;
            quote!(#text.to_string())
        }
    }
}

fn url_arm(server: &Server) -> TokenStream {
    let name = ident(&server.rust_name);
    let fields = server.variables.iter().map(|v| ident(&v.rust_name));
    let pattern = if server.variables.is_empty() {
        quote!(Server::#name)
    } else {
        quote!(Server::#name { #(#fields),* })
    };
    let pieces: Vec<TokenStream> = server
        .parts
        .iter()
        .map(|p| match p {
            ServerUrlPart::Literal(text) => quote!(#text),
            ServerUrlPart::Variable(i) => {
                let v = &server.variables[*i];
                let field = ident(&v.rust_name);
                match &v.values {
                    Some(_) => quote!(#field.as_str()),
                    None => {
                        let default = &v.default;
                        let authority = v.in_authority;
                        quote!(runtime::server_variable(#field, #default, #authority).as_str())
                    }
                }
            }
        })
        .collect();
    let body = match pieces.as_slice() {
        [] => quote!(String::new()),
        [one] if server.variables.is_empty() => quote!(#one.to_string()),
        _ => quote!([#(#pieces),*].concat()),
    };
    quote! { #pattern => #body, }
}

fn value_enum(values: &ServerValues) -> TokenStream {
    let name = ident(&values.type_name);
    let variants = values.variants.iter().map(|(variant, value)| {
        let v = ident(variant);
        let docs = lines_to_attrs(&spec_lines(&format!("`{value}`")));
        let default = (*variant == values.default).then(|| quote!(#[default]));
        quote! { #docs #default #v, }
    });
    let arms = values.variants.iter().map(|(variant, value)| {
        let v = ident(variant);
        quote!(#name::#v => #value,)
    });
    let doc = lines_to_attrs(&[format!(
        "The values the spec lists for the server variable `{}`; the default is [`{}::{}`].",
        values.wire_name, values.type_name, values.default
    )]);
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// The value as it goes in the URL.
            pub fn as_str(&self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}
