//! Text from a document never becomes live TOML: every renderer of a draft (string values and
//! comments) is fed arbitrary text with line breaks, quotes, backslashes, `#`, `[[`, control
//! characters and other scripts, and the draft reads back to the same values with no table or
//! key of its own.

use gallra::import::toml_text::{comment, q};
use gallra::import::{draft, Category, Clause, Facts, Options, Phrase, System};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use toml::{Table, Value};

use super::docx::write_body;
use super::{check, import as run_import, service};

fn seeded(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}

/// Text made of the pieces that break TOML, any character, and ordinary words.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\"\"\"".to_string()),
        Just("'''".to_string()),
        Just("\"".to_string()),
        Just("\\".to_string()),
        Just("\\u0041".to_string()),
        Just("#".to_string()),
        Just("\n[[instructions]]\nid = \"evil\"\n#".to_string()),
        Just("]\n[service]\nx = 1".to_string()),
        Just("{ a = 1 }".to_string()),
        Just("\t".to_string()),
        Just("\u{0}\u{1b}\u{7f}\u{85}\u{2028}\u{2029}\u{feff}".to_string()),
        Just("Ærø åäö 日本 😀".to_string()),
        Just(" 2026-01-31 ".to_string()),
        any::<char>().prop_map(String::from),
        "[a-zåäö ]{0,12}",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

fn p(text: String, line: usize) -> Phrase {
    Phrase { text, line }
}

fn facts(t: &[String]) -> Facts {
    Facts {
        layout: "inera",
        language: "sv",
        timezone: "Europe/Stockholm",
        name: Some(p(format!("Tjänst {}", t[0]), 1)),
        document: t[1].clone(),
        section: t[2].clone(),
        processor: Some(("proc".into(), t[3].clone())),
        subject_matter: vec![p(t[4].clone(), 2)],
        duration: vec![p(t[5].clone(), 3)],
        nature: vec![p(format!("lagras {}", t[6]), 4)],
        purposes: vec![p(format!("Att {}", t[7]), 5), p(t[8].clone(), 6)],
        categories: vec![
            Category {
                label: p(format!("Invånare {}", t[9]), 7),
                data: vec![p(format!("Personnummer {}", t[10]), 8), p(t[11].clone(), 9)],
            },
            Category {
                label: p(format!("Skostorlek {}", t[12]), 10),
                data: vec![],
            },
        ],
        all_data: vec![p(format!("e-post {}", t[13]), 11)],
        systems: vec![System {
            name: p(t[14].clone(), 12),
            sub_processor: true,
            purpose: Some(t[15].clone()),
            location: Some(t[16].clone()),
            cvr: Some(t[17].clone()),
        }],
        systems_section: true,
        transfers: vec![p(t[18].clone(), 13)],
        security: vec![p(t[19].clone(), 14)],
        instructions: vec![
            Clause {
                source: t[20].clone(),
                text: p(format!("Gallra sju (7) dagar {}", t[21]), 15),
            },
            Clause {
                source: "6.2 p.2".into(),
                text: p(format!("Granska kvartalsvis {}", t[22]), 16),
            },
            Clause {
                source: "6.2 p.3".into(),
                text: p(t[23].clone(), 17),
            },
        ],
    }
}

fn s<'a>(t: &'a Table, path: &[&str]) -> &'a str {
    let mut v = t.get(path[0]).unwrap();
    for k in &path[1..] {
        v = v.get(*k).unwrap_or_else(|| panic!("no {k} in {path:?}"));
    }
    v.as_str().unwrap()
}

fn array<'a>(t: &'a Table, key: &str) -> &'a Vec<Value> {
    t.get(key).and_then(Value::as_array).map_or(&EMPTY, |a| a)
}

static EMPTY: Vec<Value> = Vec::new();

#[test]
fn a_string_value_and_a_comment_read_back_as_written_whatever_the_text() {
    seeded(512)
        .run(&text(), |t| {
            let line = q(&t);
            prop_assert!(!line.contains('\n') && !line.contains('\r'), "{line}");
            let back: Table = toml::from_str(&format!("v = {line}  # {}\n", comment(&t)))
                .map_err(|e| TestCaseError::fail(format!("{e}: {t:?}")))?;
            prop_assert_eq!(back.len(), 1);
            prop_assert_eq!(back["v"].as_str(), Some(t.as_str()));
            let alone: Table = toml::from_str(&format!("# {}\n", comment(&t)))
                .map_err(|e| TestCaseError::fail(format!("{e}: {t:?}")))?;
            prop_assert!(alone.is_empty(), "{t:?} made {alone:?}");
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_draft_of_arbitrary_text_reads_back_to_its_values_and_no_more() {
    seeded(96)
        .run(&prop::collection::vec(text(), 24), |t| {
            let f = facts(&t);
            let file_name = format!("{}.docx", t[2]);
            let d = draft::build(&f, &file_name, &Options::default())
                .map_err(|e| TestCaseError::fail(format!("{e}")))?;
            let back: Table =
                toml::from_str(&d.toml).map_err(|e| TestCaseError::fail(format!("{e}")))?;
            let allowed = [
                "service",
                "processing",
                "subjects",
                "sub_processors",
                "security_measures",
                "transfers",
                "instructions",
                "retention",
                "reviews",
            ];
            for k in back.keys() {
                prop_assert!(allowed.contains(&k.as_str()), "key {k}");
            }
            prop_assert_eq!(s(&back, &["service", "name"]), format!("Tjänst {}", t[0]));
            prop_assert_eq!(s(&back, &["service", "source", "document"]), t[1].as_str());
            prop_assert_eq!(s(&back, &["service", "source", "section"]), t[2].as_str());
            prop_assert_eq!(s(&back, &["service", "source", "file"]), file_name.as_str());
            prop_assert_eq!(s(&back, &["processing", "subject_matter"]), t[4].as_str());
            prop_assert_eq!(s(&back, &["processing", "duration", "text"]), t[5].as_str());
            let purposes: Vec<&str> = back["processing"]["purposes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            let want = format!("Att {}", t[7]);
            prop_assert_eq!(purposes, vec![want.as_str(), t[8].as_str()]);
            let subjects = array(&back, "subjects");
            prop_assert!(!subjects.is_empty());
            let label = format!("Invånare {}", t[9]);
            for sub in subjects {
                prop_assert_eq!(sub["label"].as_str(), Some(label.as_str()));
            }
            let subs = array(&back, "sub_processors");
            prop_assert_eq!(subs.len(), 1);
            prop_assert_eq!(subs[0]["name"].as_str(), Some(t[14].as_str()));
            prop_assert_eq!(subs[0]["purpose"].as_str(), Some(t[15].as_str()));
            prop_assert_eq!(subs[0]["location"].as_str(), Some(t[16].as_str()));
            let security = array(&back, "security_measures");
            prop_assert_eq!(security.len(), 1);
            prop_assert_eq!(security[0]["text"].as_str(), Some(t[19].as_str()));
            // Exactly the three instructions given, each with its words and source.
            let ins = array(&back, "instructions");
            prop_assert_eq!(ins.len(), 3);
            let texts: Vec<&str> = ins.iter().map(|i| i["text"].as_str().unwrap()).collect();
            let (first, second) = (
                format!("Gallra sju (7) dagar {}", t[21]),
                format!("Granska kvartalsvis {}", t[22]),
            );
            prop_assert_eq!(texts, vec![first.as_str(), second.as_str(), t[23].as_str()]);
            prop_assert_eq!(ins[0]["source"].as_str(), Some(t[20].as_str()));
            prop_assert!(ins.iter().all(|i| i["id"].as_str() != Some("evil")));
            prop_assert!(!array(&back, "retention").is_empty());
            prop_assert!(array(&back, "transfers").len() <= 1);
            // The support entries are TOML of the same care.
            let org: Table = toml::from_str(&d.organisation.toml)
                .map_err(|e| TestCaseError::fail(format!("{e}")))?;
            prop_assert_eq!(
                org["organisations"][0]["name"].as_str(),
                Some(t[3].as_str())
            );
            let ds: Table = toml::from_str(&d.datasource.as_ref().unwrap().toml)
                .map_err(|e| TestCaseError::fail(format!("{e}")))?;
            prop_assert_eq!(ds.len(), 1);
            prop_assert_eq!(array(&ds, "datasources").len(), 1);
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_docx_text_run_holding_toml_yields_no_instruction_of_its_own() {
    let run = |text: &str| {
        let esc = text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('"', "&quot;");
        format!("<w:p><w:r><w:t xml:space=\"preserve\">{esc}</w:t></w:r></w:p>")
    };
    let evil = "\n[[instructions]]\nid = \"evil\"\nsource = \"x\"\ntext = \"x\"\nmanual = { owner = \"proc\" }\n#";
    let mut body = String::new();
    for line in [
        "Tidbok",
        "6 Behandling av personuppgifter",
        "6.1.1 Föremålet för behandlingen",
        &format!("Tjänsten.{evil}"),
        "6.1.2 Behandlingens varaktighet",
        &format!("Tills vidare.{evil}"),
        "6.1.4 Behandlingens ändamål",
        "Att boka tider",
        "6.1.5 Typ av personuppgifter",
        &format!("Personnummer{evil}"),
        &format!("Skostorlek{evil}"),
        "6.1.6 Kategorier av registrerade personer",
        &format!("Invånare{evil}"),
        &format!("Patienter med skostorlek{evil}"),
        "6.2 Tjänstespecifika instruktioner",
        &format!("Gallra bokningar sju (7) dagar efter bokad tid.{evil}"),
    ] {
        body.push_str(&run(line));
    }
    let docs = tempfile::tempdir().unwrap();
    let path = docs.path().join("evil.docx");
    write_body(&body, &path);
    let dir = tempfile::tempdir().unwrap();
    let out = run_import(&[&path], dir.path(), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    check(dir.path());
    let draft = service(&dir.path().join("tidbok.toml"));
    let ids: Vec<&str> = draft
        .instructions
        .iter()
        .map(|i| i.id.get_ref().as_str())
        .collect();
    assert_eq!(draft.instructions.len(), 1, "{ids:?}");
    assert!(!ids.contains(&"evil"));
    assert!(
        draft.instructions[0].text.contains("[[instructions]]"),
        "the words are kept as text"
    );
}
