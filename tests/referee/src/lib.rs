//! A real server framework as the referee of the generated client: an axum server
//! (`server`) whose OpenAPI 3.1 description utoipa produces (`api`), and the client
//! generated from that description at build time (`client`).

pub mod api;
pub mod server;

include!(concat!(env!("OUT_DIR"), "/client_module.rs"));

/// The description utoipa produced, from which `client` was generated.
pub const DESCRIPTION: &str = include_str!(concat!(env!("OUT_DIR"), "/referee.json"));
