//! A binary that compiles the client as a private module and uses one call of it: the
//! rest of the client is unused here, and must not warn.

#![deny(warnings)]

mod petstore {
    include!(concat!(env!("OUT_DIR"), "/petstore/lib.rs"));
}

fn main() {
    let base = std::env::args()
        .nth(1)
        .unwrap_or_else(|| petstore::DEFAULT_BASE_URL.to_string());
    match petstore::Client::builder().base_url(base).build() {
        Ok(client) => println!("client for {}", client.base_url()),
        Err(e) => eprintln!("{e}"),
    }
}
