//! Property tests over what reads input from outside: the policy parser and validator, the
//! review CSV upload, canonical JSON, the checkpoint note and the bundle reader. Whatever comes
//! in, no panic, and every rejection is an error with something to say.

use std::collections::BTreeMap;

use gallra::evidence::Keys;
use gallra::export::bundle::{self, manifest::FileSum, Files};
use gallra::policy::load::parse;
use gallra::policy::source::SourceFile;
use gallra::register::canonical::to_canonical;
use gallra::review::accounts::from_csv;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;

use crate::helpers::seed_policies;

/// A runner with a fixed seed: CI sees the same cases every run (a failure found once stays
/// found, and no run passes by luck).
fn seeded(config: Config) -> TestRunner {
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// The seed policies' texts, by file name.
fn seed_texts() -> BTreeMap<String, String> {
    std::fs::read_dir(seed_policies())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

fn parse_one(name: &str, text: String) -> Result<(), String> {
    let file = SourceFile::new(format!("policies/{name}"), name.to_owned(), text);
    match parse(vec![file]) {
        Ok(_) => Ok(()),
        Err(e) => {
            assert!(!e.0.is_empty(), "a rejection names its errors");
            let text = e.to_string();
            assert!(!text.trim().is_empty(), "a rejection says why");
            Err(text)
        }
    }
}

/// A text with some of its characters replaced, removed or duplicated, or cut short.
fn mutated(text: String) -> impl Strategy<Value = String> {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len().max(1);
    (
        prop::collection::vec((0..n, 0u8..4, any::<char>()), 1..8),
        0..=n,
    )
        .prop_map(move |(edits, cut)| {
            let mut c = chars.clone();
            for (at, op, ch) in edits {
                if c.is_empty() {
                    break;
                }
                let at = at % c.len();
                match op {
                    0 => c[at] = ch,
                    1 => {
                        c.remove(at);
                    }
                    2 => c.insert(at, ch),
                    _ => c.insert(at, c[at]),
                }
            }
            c.truncate(cut.max(c.len() / 2));
            c.into_iter().collect()
        })
}

#[test]
fn the_policy_parser_and_validator_reject_anything_with_a_reason() {
    let seeds = seed_texts();
    let mut runner = seeded(config(48));
    for name in [
        "organisations.toml",
        "datasources.toml",
        "digitalt-mote.toml",
    ] {
        runner
            .run(&".{0,400}", |text| {
                let _ = parse_one(name, text);
                Ok(())
            })
            .unwrap();
        runner
            .run(&mutated(seeds[name].clone()), |text| {
                let _ = parse_one(name, text);
                Ok(())
            })
            .unwrap();
    }
    // A whole folder with one service mutated: the validator sees the others too.
    let mut runner = seeded(config(24));
    runner
        .run(&mutated(seeds["medcom-vdx.toml"].clone()), |text| {
            let files = seeds
                .iter()
                .map(|(n, t)| {
                    let t = if n == "medcom-vdx.toml" {
                        text.clone()
                    } else {
                        t.clone()
                    };
                    SourceFile::new(format!("policies/{n}"), n.clone(), t)
                })
                .collect();
            if let Err(e) = parse(files) {
                assert!(!e.to_string().trim().is_empty());
            }
            Ok(())
        })
        .unwrap();
}

fn csv_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9@.]{0,12}",
        ".{0,12}",
        Just(String::new()),
        Just("\"".to_owned()),
        Just("2026-11-23".to_owned()),
        Just("2026-11-23T10:00:00Z".to_owned()),
    ]
}

#[test]
fn the_review_csv_reader_rejects_anything_with_a_reason() {
    let mut runner = seeded(config(256));
    runner
        .run(&".{0,300}", |text| {
            if let Err(e) = from_csv(&text) {
                prop_assert!(!e.trim().is_empty());
            }
            Ok(())
        })
        .unwrap();
    let header = prop_oneof![
        Just("key,display,role,last_activity".to_owned()),
        Just("key,display".to_owned()),
        Just("display,key".to_owned()),
        ".{0,30}",
    ];
    let rows = prop::collection::vec(prop::collection::vec(csv_cell(), 0..6), 0..8);
    runner
        .run(&(header, rows), |(header, rows)| {
            let mut text = header;
            for r in rows {
                text.push('\n');
                text.push_str(&r.join(","));
            }
            match from_csv(&text) {
                Ok(accounts) => {
                    for a in accounts {
                        prop_assert!(!a.key.is_empty());
                    }
                }
                Err(e) => prop_assert!(!e.trim().is_empty()),
            }
            Ok(())
        })
        .unwrap();
}

/// JSON values without floats: what the register's content is made of.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        ".{0,10}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((".{0,6}", inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

#[test]
fn canonical_json_is_one_string_per_value_and_reads_back() {
    let mut runner = seeded(config(256));
    runner
        .run(&json_value(), |v| {
            let c = to_canonical(&v).unwrap();
            let back: Value = serde_json::from_str(&c).unwrap();
            prop_assert_eq!(&back, &v);
            prop_assert_eq!(to_canonical(&back).unwrap(), c.clone());
            // An object's keys in order, at every depth.
            fn sorted(v: &Value) -> bool {
                match v {
                    Value::Object(m) => {
                        m.keys().zip(m.keys().skip(1)).all(|(a, b)| a < b) && m.values().all(sorted)
                    }
                    Value::Array(a) => a.iter().all(sorted),
                    _ => true,
                }
            }
            prop_assert!(sorted(&back));
            Ok(())
        })
        .unwrap();
    // Arbitrary text: read as JSON or refused, never a panic.
    runner
        .run(&".{0,200}", |text| {
            if let Ok(v) = serde_json::from_str::<Value>(&text) {
                let _ = to_canonical(&v).unwrap();
            }
            Ok(())
        })
        .unwrap();
}

fn bundle_error_says_why(e: &bundle::BundleError) -> Result<(), TestCaseError> {
    prop_assert!(!e.to_string().trim().is_empty());
    Ok(())
}

/// `files` with `path` set to `bytes` and the manifest's sum of it updated, as a forger would;
/// the manifest signed again with `keys` when given (a forger holding the log's key).
fn with_file(files: &Files, path: &str, bytes: Vec<u8>, keys: Option<&Keys>) -> Files {
    let mut files = files.clone();
    let mut m: Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    let sum = serde_json::to_value(FileSum::of(path, &bytes)).unwrap();
    for f in m["files"].as_array_mut().unwrap() {
        if f["path"] == path {
            *f = sum.clone();
        }
    }
    let json = serde_json::to_vec(&m).unwrap();
    if let Some(keys) = keys {
        let sig = bundle::sign_manifest(keys, &keys.origin, &json).unwrap();
        files.insert(bundle::manifest::SIGNATURE.into(), sig);
    }
    files.insert(path.to_owned(), bytes);
    files.insert("manifest.json".into(), json);
    files
}

#[test]
fn the_bundle_reader_and_checkpoint_parser_reject_anything_with_a_reason() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (app, _ds) = rt.block_on(crate::bundle::scenario());
    let zip = rt.block_on(crate::bundle::download(&app, ""));
    let key = app.keys.verifier_key.clone();
    let files = crate::bundle::unzip(&zip);
    bundle::verify(&files, &key).expect("the bundle verifies");

    // Arbitrary bytes are not a bundle.
    let mut runner = seeded(config(128));
    runner
        .run(&prop::collection::vec(any::<u8>(), 0..2048), |bytes| {
            match bundle::read_zip(std::io::Cursor::new(bytes)) {
                Ok(files) => {
                    if let Err(e) = bundle::verify(&files, &key) {
                        bundle_error_says_why(&e)?;
                    }
                }
                Err(e) => bundle_error_says_why(&e)?,
            }
            Ok(())
        })
        .unwrap();

    // The real bundle with bytes changed or cut: refused with a reason, or read back as it was.
    let n = zip.len();
    let edits = prop::collection::vec((0..n, any::<u8>()), 1..6);
    let mut runner = seeded(config(64));
    runner
        .run(&(edits, prop::option::of(0..n)), |(edits, cut)| {
            let mut z = zip.clone();
            for (at, b) in edits {
                z[at] = b;
            }
            if let Some(cut) = cut {
                z.truncate(cut);
            }
            match bundle::read_zip(std::io::Cursor::new(z)) {
                Ok(read) => match bundle::verify(&read, &key) {
                    Ok(_) => prop_assert!(read == files, "a changed bundle verified"),
                    Err(e) => bundle_error_says_why(&e)?,
                },
                Err(e) => bundle_error_says_why(&e)?,
            }
            Ok(())
        })
        .unwrap();

    // Any file changed, its sum updated but the manifest not signed again: always found, by
    // the manifest's signature — the register's renderings and the tables' free-text columns,
    // which no entry commits to, included.
    let all: Vec<String> = files
        .keys()
        .filter(|p| p.as_str() != "manifest.json" && p.as_str() != bundle::manifest::SIGNATURE)
        .cloned()
        .collect();
    let mut runner = seeded(config(64));
    runner
        .run(
            &(
                0..all.len(),
                prop::collection::vec(any::<u8>(), 1..64),
                any::<prop::sample::Index>(),
            ),
            |(which, junk, at)| {
                let path = &all[which];
                let mut bytes = files[path].clone();
                let at = at.index(bytes.len() + 1);
                bytes.splice(at..at, junk.iter().copied());
                let forged = with_file(&files, path, bytes, None);
                match bundle::verify(&forged, &key) {
                    Ok(_) => prop_assert!(false, "{path} changed and the bundle verified"),
                    Err(e) => bundle_error_says_why(&e)?,
                }
                Ok(())
            },
        )
        .unwrap();

    // A forger holding the log's key signs the manifest again. The evidence itself changed (an
    // entry bundle, a hash tile, the checkpoint), its sum updated: the change is still always
    // found, against the signed tree. The tables are checked against their entries only in the
    // columns the entries commit to (hashes, counts, digests, outcomes): a byte put into a
    // free-text column (a version's author or reason, a service's name) or JSON whitespace
    // changes nothing the log can prove, so with the key those files are only held to "no
    // panic, a reason" above.
    let paths: Vec<String> = files
        .keys()
        .filter(|p| p.starts_with("tile/") || p.as_str() == "checkpoint")
        .cloned()
        .collect();
    let mut runner = seeded(config(64));
    runner
        .run(
            &(
                0..paths.len(),
                prop::collection::vec(any::<u8>(), 0..64),
                any::<prop::sample::Index>(),
            ),
            |(which, junk, at)| {
                let path = &paths[which];
                let mut bytes = files[path].clone();
                let at = at.index(bytes.len() + 1);
                bytes.splice(at..at, junk.iter().copied());
                if bytes == files[path] {
                    return Ok(());
                }
                let forged = with_file(&files, path, bytes, Some(&app.keys));
                match bundle::verify(&forged, &key) {
                    Ok(_) => prop_assert!(false, "{path} changed and the bundle verified"),
                    Err(e) => bundle_error_says_why(&e)?,
                }
                Ok(())
            },
        )
        .unwrap();

    // Any file of the bundle a second time, anywhere, with any bytes: refused naming it,
    // before its copies could be told apart.
    let names: Vec<String> = files.keys().cloned().collect();
    let mut runner = seeded(config(32));
    runner
        .run(
            &(
                0..names.len(),
                0..=names.len(),
                prop::collection::vec(any::<u8>(), 0..64),
            ),
            |(which, at, junk)| {
                let mut entries = crate::bundle_archive::entries_of(&files);
                let twice = crate::bundle_archive::raw(&names[which], &junk);
                entries.insert(at, twice);
                match bundle::read_zip(std::io::Cursor::new(crate::bundle_archive::zip_of(
                    &entries,
                ))) {
                    Ok(_) => prop_assert!(false, "{} twice was read", names[which]),
                    Err(e) => prop_assert!(
                        e.to_string()
                            .starts_with(&format!("{}: appears twice", names[which])),
                        "{e}"
                    ),
                }
                Ok(())
            },
        )
        .unwrap();

    // The checkpoint note parser on arbitrary text and on the real note mutated.
    let note = String::from_utf8(files["checkpoint"].clone()).unwrap();
    let mut runner = seeded(config(128));
    let notes = prop_oneof![".{0,300}".boxed(), mutated(note.clone()).boxed()];
    runner
        .run(&notes, |text| {
            if text == note {
                return Ok(());
            }
            let forged = with_file(&files, "checkpoint", text.into_bytes(), Some(&app.keys));
            match bundle::verify(&forged, &key) {
                Ok(_) => prop_assert!(false, "a changed checkpoint verified"),
                Err(e) => bundle_error_says_why(&e)?,
            }
            Ok(())
        })
        .unwrap();
    drop(app);
    drop(rt);
}
