//! `client.rs`: what of the client depends on the spec (the default server, security
//! schemes), one method per operation, and each operation's types. The `Client` and
//! `ClientBuilder` themselves are the runtime's.

mod credentials;
mod examples;
mod methods;
mod op_types;
mod pagination;
mod prelude;
mod requests;
mod responses;
mod servers;

pub(crate) use examples::operation_example;
pub use methods::operation_method;
pub use op_types::operation_types;
pub use prelude::prelude;
