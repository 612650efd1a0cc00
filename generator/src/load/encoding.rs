//! Spec bytes to text, in a module of its own: the entry points read the root file
//! with it and the bundler every file a `$ref` pulls in.

/// Spec bytes to text: UTF-8 (with or without a byte-order mark), or UTF-16 with a
/// byte-order mark, as editors on Windows save it.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    let utf16 = |rest: &[u8], big_endian: bool| -> Result<String, String> {
        if rest.len() % 2 != 0 {
            return Err("invalid UTF-16 (with a byte-order mark): odd number of bytes".into());
        }
        let units = rest.chunks_exact(2).map(|pair| {
            if big_endian {
                u16::from_be_bytes([pair[0], pair[1]])
            } else {
                u16::from_le_bytes([pair[0], pair[1]])
            }
        });
        char::decode_utf16(units)
            .enumerate()
            .map(|(i, c)| {
                c.map_err(|_| {
                    format!(
                        "invalid UTF-16 (with a byte-order mark) at byte {}",
                        2 + 2 * i
                    )
                })
            })
            .collect()
    };
    match bytes {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, false),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, true),
        _ => String::from_utf8(bytes.to_vec()).map_err(|e| {
            format!(
                "the file is neither UTF-8 nor UTF-16 with a byte-order mark (invalid UTF-8 at byte {})",
                e.utf8_error().valid_up_to()
            )
        }),
    }
}
