//! A download as both edges answer it (the API's and the web interface's exports).

/// A download as both edges answer it: its type, and an attachment with its name.
pub fn attachment(d: crate::export::Download) -> axum::response::Response {
    use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
    use axum::response::IntoResponse;
    let disposition = format!("attachment; filename=\"{}\"", d.file_name);
    (
        [
            (CONTENT_TYPE, d.content_type.to_owned()),
            (CONTENT_DISPOSITION, disposition),
        ],
        d.bytes,
    )
        .into_response()
}
