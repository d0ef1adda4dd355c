//! The environment variable that names a datasource's URL, read by the datasources and
//! listed by the settings.

/// The environment variable that holds a datasource's URL: `meetings` → `GALLRA_DATASOURCE_MEETINGS`.
pub fn datasource_env(id: &str) -> String {
    format!("GALLRA_DATASOURCE_{}", id.to_uppercase().replace('-', "_"))
}
