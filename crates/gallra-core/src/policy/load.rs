//! Reading a policy folder (or the embedded default) into a validated `PolicySet`.

use std::path::Path;

use include_dir::{include_dir, Dir};

pub use super::set::{Located, PolicySet};
use super::source::{PolicyError, PolicyErrors, SourceFile};
use super::spec::{DatasourcesFile, OrganisationsFile, ServiceFile};
use super::validate;

/// The seed policies compiled into the binary, so `gallra demo` runs from any folder.
static EMBEDDED: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../policies");

/// Read every `*.toml` directly under `dir`, in name order, then parse and validate the set.
pub fn load_dir(dir: &Path) -> Result<PolicySet, PolicyErrors> {
    let folder_error = |message: String| {
        PolicyErrors(vec![PolicyError {
            path: dir.display().to_string(),
            line: 1,
            column: 1,
            message,
        }])
    };
    let entries = std::fs::read_dir(dir)
        .map_err(|e| folder_error(format!("cannot read policy folder: {e}")))?;
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut files = Vec::with_capacity(paths.len());
    let mut errors = Vec::new();
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match std::fs::read_to_string(&path) {
            Ok(text) => files.push(SourceFile::new(path.display().to_string(), name, text)),
            Err(e) => errors.push(PolicyError {
                path: path.display().to_string(),
                line: 1,
                column: 1,
                message: format!("cannot read file: {e}"),
            }),
        }
    }
    if files.is_empty() && errors.is_empty() {
        return Err(folder_error(
            "no policy files (*.toml) in this folder".into(),
        ));
    }
    let set = parse(files);
    match (set, errors.is_empty()) {
        (Ok(set), true) => Ok(set),
        (Ok(_), false) => Err(PolicyErrors(errors)),
        (Err(PolicyErrors(more)), _) => {
            errors.extend(more);
            Err(PolicyErrors(errors))
        }
    }
}

/// The policies embedded at build time (the seed services).
pub fn load_embedded() -> Result<PolicySet, PolicyErrors> {
    let mut files: Vec<SourceFile> = EMBEDDED
        .files()
        .filter(|f| f.path().extension().is_some_and(|x| x == "toml"))
        .filter_map(|f| {
            let name = f.path().file_name()?.to_string_lossy().into_owned();
            let text = f.contents_utf8()?.to_owned();
            Some(SourceFile::new(format!("policies/{name}"), name, text))
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    parse(files)
}

/// Write the embedded policies into `dir` (for `gallra demo`), so users can edit and re-apply.
pub fn write_embedded(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for f in EMBEDDED.files() {
        std::fs::write(dir.join(f.path()), f.contents())?;
    }
    Ok(())
}

/// Parse each file by its role (organisations, datasources or a service), then validate.
pub fn parse(files: Vec<SourceFile>) -> Result<PolicySet, PolicyErrors> {
    let mut set = PolicySet {
        files,
        ..Default::default()
    };
    let mut errors = Vec::new();
    for (index, file) in set.files.iter().enumerate() {
        let result = match file.name.as_str() {
            "organisations.toml" => toml::from_str::<OrganisationsFile>(&file.text).map(|f| {
                set.organisations.extend(
                    f.organisations
                        .into_iter()
                        .map(|item| Located { file: index, item }),
                )
            }),
            "datasources.toml" => toml::from_str::<DatasourcesFile>(&file.text).map(|f| {
                set.datasources.extend(
                    f.datasources
                        .into_iter()
                        .map(|item| Located { file: index, item }),
                )
            }),
            _ => toml::from_str::<ServiceFile>(&file.text)
                .map(|item| set.services.push(Located { file: index, item })),
        };
        if let Err(e) = result {
            errors.push(file.error(
                e.span().unwrap_or(0..0),
                e.message().trim().replace('\n', " "),
            ));
        }
    }
    // Cross-file checks on a partly parsed set would only echo the parse errors.
    if errors.is_empty() {
        errors.extend(validate::check(&set));
    }
    if errors.is_empty() {
        Ok(set)
    } else {
        Err(PolicyErrors(errors))
    }
}
