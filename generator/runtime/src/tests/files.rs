//! Unit tests of `files.rs`.

use crate::files::{guess_type, Base64};

#[test]
fn base64_round_trips_and_reads_both_alphabets() {
    for (bytes, text) in [
        (&b""[..], ""),
        (b"f", "Zg=="),
        (b"fo", "Zm8="),
        (b"foo", "Zm9v"),
        (b"foob", "Zm9vYg=="),
        (b"\xfb\xff\xfe", "+//+"),
    ] {
        assert_eq!(Base64(bytes.to_vec()).encode(), text);
        assert_eq!(Base64::decode(text).as_deref(), Ok(bytes));
    }
    assert_eq!(Base64::decode("-__-").map(|b| b.0), Ok(b"\xfb\xff\xfe".to_vec()));
    assert_eq!(Base64::decode("Zm9vYg").map(|b| b.0), Ok(b"foob".to_vec()));
    assert!(Base64::decode("Zm9v!").is_err());
    assert!(Base64::decode("Z").is_err());
    assert!(Base64::decode("Zg==Zg").is_err());
    let json: Base64 = serde_json::from_str("\"aGk=\"").expect("decodes");
    assert_eq!(json.0, b"hi");
    assert_eq!(serde_json::to_string(&json).expect("encodes"), "\"aGk=\"");
}

#[test]
fn content_types_from_file_names() {
    assert_eq!(guess_type("a.PNG"), "image/png");
    assert_eq!(guess_type("speech.mp3"), "audio/mpeg");
    assert_eq!(guess_type("noext"), "application/octet-stream");
}
