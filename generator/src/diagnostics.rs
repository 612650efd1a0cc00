//! Errors that stop generation and warnings that do not.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in a spec file something is: the JSON pointer, and the line and column when
/// the source format lets us find them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub pointer: String,
    pub line_col: Option<(usize, usize)>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        match self.line_col {
            // A syntax error has a line but no pointer: the document never parsed.
            Some((line, col)) if self.pointer.is_empty() => write!(f, "line {line}, column {col}"),
            Some((line, col)) => write!(f, "line {line}, column {col} ({pointer})"),
            None => write!(f, "{pointer}"),
        }
    }
}

/// A failure that stops generation. It always names the file, and the place in it when
/// the failure is about the spec's content.
#[derive(Debug)]
pub struct Error {
    pub file: PathBuf,
    pub location: Option<Location>,
    pub message: String,
}

impl Error {
    pub fn new(file: &Path, location: Option<Location>, message: impl Into<String>) -> Self {
        Error {
            file: file.to_path_buf(),
            location,
            message: message.into(),
        }
    }

    pub fn io(file: &Path, err: &std::io::Error) -> Self {
        Error::new(file, None, err.to_string())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(at) => write!(f, "{}: {}: {}", self.file.display(), at, self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for Error {}

/// Something in the spec that the generated code cannot express exactly. Generation
/// goes on with the nearest honest type; the warning says where and what was lost.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// JSON pointer into the spec.
    pub pointer: String,
    /// A short stable class name (for counting), e.g. `multiple-types`.
    pub class: &'static str,
    pub message: String,
}

impl Warning {
    pub fn new(
        pointer: impl Into<String>,
        class: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Warning {
            pointer: pointer.into(),
            class,
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]: {}", self.pointer, self.class, self.message)
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub fn pointer_push(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(pointer_push("/paths", "/pets/{id}"), "/paths/~1pets~1{id}");
        assert_eq!(pointer_push("", "a~b"), "/a~0b");
    }

    #[test]
    fn error_names_file_line_and_pointer() {
        let err = Error::new(
            Path::new("spec/x.yaml"),
            Some(Location {
                pointer: "/paths".into(),
                line_col: Some((3, 5)),
            }),
            "boom",
        );
        assert_eq!(
            err.to_string(),
            "spec/x.yaml: line 3, column 5 (/paths): boom"
        );
    }
}
