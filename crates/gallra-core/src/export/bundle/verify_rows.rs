//! The bundle's tables against the entries they cite: every row of the register, versions,
//! runs and reviews files (JSON and CSV) agrees with its entry on what the entry commits to,
//! and every such entry of the period has its row.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::error::{bad, BundleError};
use super::manifest::Span;
use super::rows::{cell, Spec, REGISTER, TABLES};
use crate::export::formula::defuse;

/// One row: column → text, as a CSV cell would hold it.
type Row = BTreeMap<String, String>;

/// Where rows come from, and so how an entry's value reads in them.
#[derive(Clone, Copy)]
enum Form {
    Json,
    /// Formula starts escaped, as every CSV gallra writes has them: the entry's value is
    /// compared escaped the same way, so a cell is matched exactly (an unescaped `=…` where the
    /// writer would have escaped it is a change, and is caught).
    Csv,
}
use Form::{Csv, Json};

impl Form {
    fn expect(self, v: &Value) -> String {
        match self {
            Json => cell(v),
            Csv => defuse(&cell(v)).into_owned(),
        }
    }
}

/// Rows checked, per file.
pub fn verify_tables(
    files: &BTreeMap<String, Vec<u8>>,
    entries: &BTreeMap<u64, &[u8]>,
    span: Option<Span>,
) -> Result<usize, BundleError> {
    let parsed = parse_entries(entries)?;
    let mut checked = 0;
    let register = register_json_rows(required(files, "register/register.json")?)?;
    checked += check_rows(
        "register/register.json",
        &register,
        &REGISTER,
        &parsed,
        Json,
    )?;
    if let Some(csv) = files.get("register/register.csv") {
        checked += check_rows(
            "register/register.csv",
            &csv_rows("register/register.csv", csv)?,
            &REGISTER,
            &parsed,
            Csv,
        )?;
    }
    for (stem, spec) in TABLES {
        let json_name = format!("{stem}.json");
        let json = json_rows(&json_name, required(files, &json_name)?)?;
        // The writer puts no row in the tables of a period without entries: rows there would
        // be entries hidden by calling the period empty.
        if span.is_none() && !json.is_empty() {
            return bad(format!(
                "{json_name}: {} rows, but the manifest says the period holds no entry",
                json.len()
            ));
        }
        checked += check_rows(&json_name, &json, spec, &parsed, Json)?;
        complete(&json_name, &json, spec, &parsed, span, Json)?;
        let csv_name = format!("{stem}.csv");
        let csv = csv_rows(&csv_name, required(files, &csv_name)?)?;
        checked += check_rows(&csv_name, &csv, spec, &parsed, Csv)?;
        complete(&csv_name, &csv, spec, &parsed, span, Csv)?;
    }
    Ok(checked)
}

fn required<'a>(files: &'a BTreeMap<String, Vec<u8>>, name: &str) -> Result<&'a [u8], BundleError> {
    files
        .get(name)
        .map(Vec::as_slice)
        .ok_or_else(|| BundleError::Bad(format!("{name} is missing")))
}

fn parse_entries(entries: &BTreeMap<u64, &[u8]>) -> Result<BTreeMap<u64, Value>, BundleError> {
    entries
        .iter()
        .map(|(i, e)| match serde_json::from_slice::<Value>(e) {
            Ok(v @ Value::Object(_)) => Ok((*i, v)),
            _ => bad(format!("entry {i}: not a JSON object")),
        })
        .collect()
}

fn json_rows(name: &str, bytes: &[u8]) -> Result<Vec<Row>, BundleError> {
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| BundleError::Bad(format!("{name}: not JSON: {e}")))?;
    let Value::Array(items) = v else {
        return bad(format!("{name}: not a JSON array of rows"));
    };
    items
        .iter()
        .enumerate()
        .map(|(k, item)| object_row(name, k, item))
        .collect()
}

fn object_row(name: &str, k: usize, item: &Value) -> Result<Row, BundleError> {
    let Value::Object(map) = item else {
        return bad(format!("{name} row {}: not an object", k + 1));
    };
    Ok(map.iter().map(|(c, v)| (c.clone(), cell(v))).collect())
}

/// `register.json`'s services, their `id` read as `service_id` (the CSV's column).
fn register_json_rows(bytes: &[u8]) -> Result<Vec<Row>, BundleError> {
    let name = "register/register.json";
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| BundleError::Bad(format!("{name}: not JSON: {e}")))?;
    if v["format"] != "gallra-register/1" {
        return bad(format!("{name}: format is not gallra-register/1"));
    }
    let Some(services) = v["services"].as_array() else {
        return bad(format!("{name}: no services list"));
    };
    let mut rows = Vec::with_capacity(services.len());
    for (k, s) in services.iter().enumerate() {
        let mut row = object_row(name, k, s)?;
        if let Some(id) = row.remove("id") {
            row.insert("service_id".into(), id);
        }
        rows.push(row);
    }
    Ok(rows)
}

/// A CSV with a header row; `;` or `,` separated, with or without a UTF-8 BOM (spreadsheets).
fn csv_rows(name: &str, bytes: &[u8]) -> Result<Vec<Row>, BundleError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let semi =
        head.iter().filter(|b| **b == b';').count() > head.iter().filter(|b| **b == b',').count();
    let mut r = csv::ReaderBuilder::new()
        .delimiter(if semi { b';' } else { b',' })
        .from_reader(bytes);
    let header = r
        .headers()
        .map_err(|e| BundleError::Bad(format!("{name}: unreadable header: {e}")))?
        .clone();
    let mut rows = Vec::new();
    for (k, rec) in r.records().enumerate() {
        let rec =
            rec.map_err(|e| BundleError::Bad(format!("{name} row {}: unreadable: {e}", k + 1)))?;
        rows.push(
            header
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect(),
        );
    }
    Ok(rows)
}

/// Each row against the entry it cites.
fn check_rows(
    name: &str,
    rows: &[Row],
    spec: &Spec,
    entries: &BTreeMap<u64, Value>,
    form: Form,
) -> Result<usize, BundleError> {
    for (k, row) in rows.iter().enumerate() {
        let at = format!("{name} row {}", k + 1);
        let index: u64 = row
            .get("evidence_index")
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| BundleError::Bad(format!("{at}: no evidence_index")))?;
        let Some(entry) = entries.get(&index) else {
            return bad(format!(
                "{at}: cites entry {index}, which the bundle does not hold"
            ));
        };
        if entry["kind"] != spec.kind {
            return bad(format!(
                "{at}: cites entry {index}, a {} entry, not {}",
                cell(&entry["kind"]),
                spec.kind
            ));
        }
        for (field, want) in spec.fixed {
            if entry[*field] != *want {
                return bad(format!("{at}: entry {index} is not about a {want}"));
            }
        }
        for (column, field) in spec.fields {
            let got = row.get(*column).map(String::as_str).unwrap_or_default();
            let want = form.expect(&entry[*field]);
            if !same(got, &want, spec.instants.contains(column)) {
                return bad(format!(
                    "{at}: {column} is {got:?}, but entry {index} says {want:?}"
                ));
            }
        }
    }
    Ok(rows.len())
}

fn same(got: &str, want: &str, instant: bool) -> bool {
    if got == want {
        return true;
    }
    let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).ok();
    instant && t(got).is_some() && t(got) == t(want)
}

/// Every entry of the spec's kind in the period has a row (a row removed is caught).
fn complete(
    name: &str,
    rows: &[Row],
    spec: &Spec,
    entries: &BTreeMap<u64, Value>,
    span: Option<Span>,
    form: Form,
) -> Result<(), BundleError> {
    let Some(Span { first, last }) = span else {
        return Ok(());
    };
    let column = |f: &'static str| {
        spec.fields
            .iter()
            .find(|(_, e)| *e == f)
            .map_or(f, |(c, _)| *c)
    };
    let have: BTreeSet<Vec<String>> = rows
        .iter()
        .map(|r| {
            spec.identity
                .iter()
                .map(|f| r.get(column(f)).cloned().unwrap_or_default())
                .collect()
        })
        .collect();
    for (i, e) in entries.range(first..=last) {
        if e["kind"] != spec.kind {
            continue;
        }
        let id: Vec<String> = spec.identity.iter().map(|f| form.expect(&e[*f])).collect();
        if !have.contains(&id) {
            return bad(format!(
                "{name}: no row for entry {i} ({} {})",
                spec.kind,
                id.join(" ")
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries() -> BTreeMap<u64, Value> {
        let e = r#"{"at":"2026-11-23T09:00:00Z","content_hash":"ab","entry":"service","key":"digitalt-mote","kind":"register_version","retired":false,"schema":1,"version":2}"#;
        BTreeMap::from([(7, serde_json::from_str(e).unwrap())])
    }

    #[test]
    fn a_spreadsheet_csv_with_bom_and_semicolons_is_read_by_its_header() {
        let csv = "\u{feff}name;service_id;version;content_hash;evidence_index\r\nDigitalt möte;digitalt-mote;2;ab;7\r\n";
        let rows = csv_rows("register/register.csv", csv.as_bytes()).unwrap();
        assert_eq!(
            check_rows("register/register.csv", &rows, &REGISTER, &entries(), Csv).unwrap(),
            1
        );
        let changed = csv.replace(";2;ab;", ";3;ab;");
        let rows = csv_rows("register/register.csv", changed.as_bytes()).unwrap();
        let e = check_rows("register/register.csv", &rows, &REGISTER, &entries(), Csv).unwrap_err();
        assert_eq!(
            e.to_string(),
            "register/register.csv row 1: version is \"3\", but entry 7 says \"2\""
        );
    }

    #[test]
    fn a_row_citing_another_kind_or_a_missing_entry_is_named() {
        let rows = csv_rows("runs.csv", b"evidence_index,run_id\n7,1\n8,2\n").unwrap();
        let runs = &super::super::rows::RUNS;
        let e = check_rows("runs.csv", &rows, runs, &entries(), Csv).unwrap_err();
        assert_eq!(
            e.to_string(),
            "runs.csv row 1: cites entry 7, a register_version entry, not retention_run"
        );
        let e = check_rows(
            "runs.csv",
            &rows[1..],
            &super::super::rows::RUNS,
            &entries(),
            Csv,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "runs.csv row 1: cites entry 8, which the bundle does not hold"
        );
    }

    #[test]
    fn csv_cells_are_compared_escaped_as_the_writer_escapes_them() {
        let e = r#"{"content_hash":"=ab","entry":"service","key":"-svc","kind":"register_version","version":2}"#;
        let entries = BTreeMap::from([(7, serde_json::from_str(e).unwrap())]);
        let name = "register/register.csv";
        let escaped = "service_id,version,content_hash,evidence_index\n'-svc,2,'=ab,7\n";
        let rows = csv_rows(name, escaped.as_bytes()).unwrap();
        assert_eq!(
            check_rows(name, &rows, &REGISTER, &entries, Csv).unwrap(),
            1
        );
        let bare = escaped.replace('\'', "");
        let rows = csv_rows(name, bare.as_bytes()).unwrap();
        let e = check_rows(name, &rows, &REGISTER, &entries, Csv).unwrap_err();
        assert_eq!(
            e.to_string(),
            "register/register.csv row 1: service_id is \"-svc\", but entry 7 says \"'-svc\""
        );
        // JSON holds the value itself.
        assert_eq!(
            check_rows(name, &rows, &REGISTER, &entries, Json).unwrap(),
            1
        );
    }
}
