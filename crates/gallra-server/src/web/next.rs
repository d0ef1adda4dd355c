//! Where a person is sent back to after signing in or switching language: a path of this site,
//! never another origin, and never text that cannot be a `Location` header.

use axum::http::uri::PathAndQuery;

/// The longest path kept to come back to; a longer one is `/`.
const MAX: usize = 2048;

/// `next` if it is a same-origin relative reference — it begins with one `/`, holds only
/// visible ASCII (no control character, space, or non-ASCII a browser might drop or fold into
/// `/`), no backslash (read as `/` by browsers), and parses as a path and query — else `/`.
/// `/\t/evil.example` is refused: browsers drop the tab and read `//evil.example`.
pub fn local_path(next: Option<&str>) -> String {
    next.filter(|n| is_local(n)).unwrap_or("/").to_owned()
}

fn is_local(n: &str) -> bool {
    let visible = n.bytes().all(|b| (0x21..=0x7e).contains(&b) && b != b'\\');
    visible
        && n.len() <= MAX
        && n.starts_with('/')
        && !n.starts_with("//")
        && n.parse::<PathAndQuery>()
            .is_ok_and(|p| p.path().starts_with('/') && !p.path().starts_with("//"))
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_paths_of_this_site_are_kept() {
        for ok in [
            "/",
            "/services?q=a%20b",
            "/reviews/3#items",
            "/services/digitalt-mote",
        ] {
            assert_eq!(local_path(Some(ok)), ok);
        }
        for bad in [
            "/\t/evil.example",
            "/\n",
            "/\r",
            "/\0",
            "/\u{7f}",
            "/ /evil.example",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example/",
            "evil.example",
            "/\u{3000}/evil.example",
            "/ä",
            "",
        ] {
            assert_eq!(local_path(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(local_path(None), "/");
        assert_eq!(local_path(Some(&format!("/{}", "a".repeat(3000)))), "/");
    }
}
