//! Node tools the tests run (Prism, Redocly), installed from the npm registry at the
//! versions a committed `package-lock.json` pins, into a folder under `target/` that
//! later runs reuse. Include it with `#[path = "…/support/npm.rs"] mod npm;`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A pinned npm package and the script the tests run from it.
pub struct Pinned<'a> {
    /// Package name, e.g. `@redocly/cli`.
    pub package: &'a str,
    pub version: &'a str,
    /// The script inside the package, e.g. `bin/cli.js`.
    pub entry: &'a str,
    /// The folder holding the committed `package.json` and `package-lock.json`.
    pub pins: &'a Path,
    /// Who needs it, for the message when Node.js is missing.
    pub needed_by: &'a str,
}

/// The package's entry script under `dir`, installed with `npm ci` unless that version
/// is there already. Panics with what to do when Node.js or npm is missing or fails.
pub fn install(pinned: &Pinned, dir: &Path) -> PathBuf {
    let Pinned {
        package,
        version,
        entry,
        pins,
        needed_by,
    } = pinned;
    let package_dir = dir.join("node_modules").join(package);
    let entry = package_dir.join(entry);
    let installed = std::fs::read_to_string(package_dir.join("package.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|pkg| pkg["version"].as_str().map(str::to_string));
    if entry.exists() && installed.as_deref() == Some(*version) {
        return entry;
    }
    for tool in ["node", "npm"] {
        let found = Command::new(tool)
            .arg("--version")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        assert!(
            found,
            "{needed_by} need Node.js and npm (`{tool}` was not found) to install {package} \
             {version}: install Node.js 18 or newer with npm (Debian: `apt-get install nodejs npm`), \
             then run the tests again"
        );
    }
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    for file in ["package.json", "package-lock.json"] {
        std::fs::copy(pins.join(file), dir.join(file))
            .unwrap_or_else(|e| panic!("copy {file}: {e}"));
    }
    let out = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
        .current_dir(dir)
        .output()
        .expect("npm runs");
    assert!(
        out.status.success(),
        "installing {package} {version} with npm failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        entry.exists(),
        "npm finished but {} is missing",
        entry.display()
    );
    entry
}
