//! What rendering an item gives the formatter, in a module of its own so that the
//! item renderers and the formatting driver share it without using each other.

use proc_macro2::TokenStream;

/// An item ready to be formatted: tokens for prettyplease, or text already in its
/// format (kept for shapes so simple that the text is certain; see `types::type_item`).
pub enum Rendered {
    Tokens(TokenStream),
    Text(String),
}
