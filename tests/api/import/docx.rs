//! Building .docx files in tests: from Markdown-ish text, or from paragraphs' raw runs.

use std::io::Write;
use std::path::Path;

/// A minimal .docx from Markdown-ish text: `#` headings as Heading styles (numbers stripped when
/// `strip_numbers`, as Word's own numbering leaves them out of the text), bullets as numbered
/// list paragraphs at their level, `|` rows as a table, everything else as plain paragraphs.
pub fn write_docx(source: &str, path: &Path, strip_numbers: bool) {
    let mut body = String::new();
    let mut table: Vec<Vec<String>> = Vec::new();
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let flush = |table: &mut Vec<Vec<String>>, body: &mut String| {
        if table.is_empty() {
            return;
        }
        body.push_str("<w:tbl>");
        for row in table.drain(..) {
            body.push_str("<w:tr>");
            for cell in row {
                body.push_str(&format!(
                    "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>",
                    esc(&cell)
                ));
            }
            body.push_str("</w:tr>");
        }
        body.push_str("</w:tbl>");
    };
    for raw in source.lines() {
        let t = raw.trim();
        if t.starts_with('|') {
            if !t.contains("---") {
                table.push(
                    t.trim_matches('|')
                        .split('|')
                        .map(|c| c.trim().to_string())
                        .collect(),
                );
            }
            continue;
        }
        flush(&mut table, &mut body);
        if t.is_empty() {
            continue;
        }
        let indent = (raw.len() - raw.trim_start().len()) / 2;
        let para = |props: &str, text: &str| {
            format!("<w:p><w:pPr>{props}</w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>", esc(text))
        };
        if let Some(rest) = t.strip_prefix('#') {
            let level = 1 + rest.chars().take_while(|c| *c == '#').count();
            let mut text = rest.trim_start_matches('#').trim();
            if strip_numbers {
                let first = text.split_whitespace().next().unwrap_or("");
                if first.chars().any(|c| c.is_ascii_digit())
                    && first.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
                {
                    text = text[first.len()..].trim();
                }
            }
            body.push_str(&para(
                &format!("<w:pStyle w:val=\"Heading{level}\"/>"),
                text,
            ));
        } else if let Some(rest) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
            body.push_str(&para(&format!("<w:pStyle w:val=\"ListParagraph\"/><w:numPr><w:ilvl w:val=\"{indent}\"/><w:numId w:val=\"1\"/></w:numPr>"), rest));
        } else {
            body.push_str(&para("", t));
        }
    }
    flush(&mut table, &mut body);
    write_body(&body, path);
}

/// A .docx whose body is `body` (WordprocessingML paragraphs and tables).
pub fn write_body(body: &str, path: &Path) {
    let document = format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}<w:sectPr/></w:body></w:document>");
    write_parts(path, document.as_bytes(), |_| {});
}

/// A docx zip with `document` as word/document.xml; `more` may add entries after it.
pub fn write_parts(
    path: &Path,
    document: &[u8],
    more: impl FnOnce(&mut zip::ZipWriter<std::fs::File>),
) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default();
    let parts: [(&str, &[u8]); 3] = [
        ("[Content_Types].xml", b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"),
        ("_rels/.rels", b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>"),
        ("word/document.xml", document),
    ];
    for (name, bytes) in parts {
        zip.start_file(name, opts).unwrap();
        zip.write_all(bytes).unwrap();
    }
    more(&mut zip);
    zip.finish().unwrap();
}

/// A deflate bomb: a docx whose word/document.xml is `size` bytes of one repeated byte, written
/// in chunks (it compresses about a thousandfold).
pub fn write_bomb(path: &Path, size: u64) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(size > u32::MAX as u64);
    zip.start_file("word/document.xml", opts).unwrap();
    let chunk = vec![b' '; 1 << 20];
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        zip.write_all(&chunk[..n]).unwrap();
        left -= n as u64;
    }
    zip.finish().unwrap();
}
