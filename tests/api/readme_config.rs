//! The README's configuration table and the variables the code reads are the same set: a
//! variable added to the code without a row, or a row the code no longer reads, fails here.

use std::collections::BTreeSet;
use std::path::Path;

/// Variables a test sets to steer the binary (`crates/gallra-core/src/pause.rs`): not configuration.
const TEST_HOOKS: [&str; 3] = ["GALLRA_TEST_PAUSE", "GALLRA_TEST_RESUME", "GALLRA_PAUSED"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `GALLRA_…` names in string literals of every `.rs` file under `dir`.
fn read_by_code(dir: &Path, into: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            read_by_code(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            for (at, _) in text.match_indices("\"GALLRA_") {
                let name: String = text[at + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_uppercase() || *c == '_')
                    .collect();
                // `format!("GALLRA_DATASOURCE_{}", …)`: the README's `GALLRA_DATASOURCE_<NAME>`.
                let name = match name.strip_suffix('_') {
                    Some(prefix) => format!("{prefix}_<NAME>"),
                    None => name,
                };
                into.insert(name);
            }
        }
    }
}

/// The first cell of each row of the README's configuration table.
fn in_readme() -> BTreeSet<String> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let table = readme
        .split("\n## ")
        .find(|section| section.starts_with("Configuration"))
        .expect("README.md has a Configuration section");
    table
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .filter(|v| v.starts_with("GALLRA_"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_readme_configuration_table_lists_exactly_the_variables_gallra_reads() {
    let mut code = BTreeSet::new();
    read_by_code(&root().join("src"), &mut code);
    read_by_code(&root().join("crates"), &mut code);
    for hook in TEST_HOOKS {
        code.remove(hook);
    }
    let readme = in_readme();
    let undocumented: Vec<_> = code.difference(&readme).collect();
    let unread: Vec<_> = readme.difference(&code).collect();
    assert!(
        undocumented.is_empty() && unread.is_empty(),
        "read but not in the README's table: {undocumented:?}; in the table but never read: {unread:?}"
    );
    assert!(readme.len() >= 15, "{readme:?}");
}
