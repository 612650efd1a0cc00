//! Text to a JSON value, YAML or JSON chosen by content.

use crate::diagnostics::Location;

pub struct ParseError {
    pub location: Option<Location>,
    pub message: String,
}

/// JSON when the first non-blank character opens an object, YAML otherwise (YAML is a
/// superset of JSON, but the JSON parser is faster and reports JSON positions).
pub fn parse(text: &str) -> Result<serde_json::Value, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| ParseError {
            location: Some(Location {
                pointer: String::new(),
                line_col: Some((e.line(), e.column())),
            }),
            message: format!("invalid JSON: {e}"),
        })
    } else {
        serde_yaml::from_str(text).map_err(|e| ParseError {
            location: e.location().map(|l| Location {
                pointer: String::new(),
                line_col: Some((l.line(), l.column())),
            }),
            message: format!("invalid YAML: {e}"),
        })
    }
}
