//! `gallra import`: the two Inera seeds against their hand-written policies, our own Inera-style
//! and Danish Appendix A–C documents as text, Markdown and docx, and bad input. Every written
//! folder must pass `gallra policies check` (the binary) as written.

pub mod bomb;
mod docx;
mod escape;
mod layouts;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use gallra::policy::spec::ServiceFile;

use docx::write_docx;

const GALLRA: &str = env!("CARGO_BIN_EXE_gallra");

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/import")
        .join(name)
}

/// The seed documents (copies of /work/shared/seeds, the documents the project started from).
fn seed(name: &str) -> PathBuf {
    fixture(&format!("seeds/{name}"))
}

fn import(files: &[&Path], out: &Path, extra: &[&str]) -> Output {
    Command::new(GALLRA)
        .arg("import")
        .args(files)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("gallra import runs")
}

fn check(dir: &Path) {
    let out = Command::new(GALLRA)
        .args(["policies", "check"])
        .arg(dir)
        .output()
        .expect("gallra policies check runs");
    assert!(
        out.status.success(),
        "policies check failed on the drafts:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn service(path: &Path) -> ServiceFile {
    toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn hand_written(name: &str) -> ServiceFile {
    service(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("policies")
            .join(name),
    )
}

/// Every category and data type, the rules' periods and the reviews of the hand-written file are
/// in the draft.
fn assert_holds(draft: &ServiceFile, hand: &ServiceFile) {
    for s in &hand.subjects {
        let d = draft
            .subjects
            .iter()
            .find(|d| d.category.get_ref() == s.category.get_ref())
            .unwrap_or_else(|| panic!("category {} missing", s.category.get_ref()));
        for t in s.data.get_ref() {
            assert!(
                d.data.get_ref().iter().any(|x| x.get_ref() == t.get_ref()),
                "{}: data type {} missing",
                s.category.get_ref(),
                t.get_ref()
            );
        }
    }
    for r in &hand.retention {
        assert!(
            draft
                .retention
                .iter()
                .any(|d| d.keep_for.get_ref() == r.keep_for.get_ref()),
            "no rule keeping data {}",
            r.keep_for.get_ref()
        );
    }
    assert_eq!(draft.reviews.len(), hand.reviews.len(), "reviews");
    for p in &hand.sub_processors {
        assert!(draft
            .sub_processors
            .iter()
            .any(|d| d.name == p.name || p.name.ends_with(&d.name)));
    }
    assert_eq!(
        draft.processing.duration.kind,
        hand.processing.duration.kind
    );
}

/// The instruction with this source enforces a rule of the given kind.
fn enforced(draft: &ServiceFile, source: &str, kind: &str) -> String {
    let i = draft
        .instructions
        .iter()
        .find(|i| i.source == source)
        .unwrap_or_else(|| panic!("no instruction {source}"));
    let by = i.enforced_by.as_ref().expect("enforced").get_ref().clone();
    let (k, id) = by.split_once(':').unwrap();
    assert_eq!(k, kind);
    id.to_string()
}

#[test]
fn inera_seeds_import_to_drafts_holding_every_fact_of_the_hand_written_files() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (
        seed("002_38b2448d49f7f0f4.txt"),
        seed("003_d2109dbed5a95728.txt"),
    );
    let out = import(&[&a, &b], dir.path(), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    check(dir.path());

    let mote = service(&dir.path().join("digitalt-mote.toml"));
    assert_holds(&mote, &hand_written("digitalt-mote.toml"));
    let rule = enforced(&mote, "6.2 p.4", "retention");
    let rule = mote
        .retention
        .iter()
        .find(|r| r.id.get_ref() == &rule)
        .unwrap();
    assert_eq!(rule.keep_for.get_ref(), "7d");
    assert_eq!(rule.datasource.get_ref(), "todo-digitalt-mote");
    assert_eq!(mote.service.source.section.as_deref(), Some("6"));
    assert_eq!(
        mote.service.source.file.as_deref(),
        Some("002_38b2448d49f7f0f4.txt")
    );

    let klient = service(&dir.path().join("e-klient.toml"));
    assert_holds(&klient, &hand_written("e-klient.toml"));
    let review = enforced(&klient, "6.2", "review");
    assert!(klient.reviews.iter().any(|r| r.id.get_ref() == &review));

    // The report: each phrase with path:line, the match beside it.
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains(&format!("{}:157: 6.2 p.4", a.display())),
        "{report}"
    );
    assert!(report.contains("\"Identifikationsnummer (personnummer)\" → national-id-number"));
    assert!(report.contains("health (Art. 9), financial"), "{report}");
    let draft = std::fs::read_to_string(dir.path().join("digitalt-mote.toml")).unwrap();
    assert!(
        draft.contains("\"national-id-number\",  # line 132: Identifikationsnummer (personnummer)")
    );
}

#[test]
fn inera_style_variations_import_with_unmatched_phrases_kept_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (
        fixture("inera-journalkopia.txt"),
        fixture("inera-tidbok.md"),
    );
    let out = import(&[&a, &b], dir.path(), &["--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    check(dir.path());

    // No numbers, bold headings, "Personuppgiftsbehandlings förhållanden", data for all categories.
    let j = service(&dir.path().join("journalkopia.toml"));
    let cats: Vec<&str> = j
        .subjects
        .iter()
        .map(|s| s.category.get_ref().as_str())
        .collect();
    assert_eq!(cats, ["residents", "relatives"]);
    for s in &j.subjects {
        let data: Vec<&str> = s
            .data
            .get_ref()
            .iter()
            .map(|d| d.get_ref().as_str())
            .collect();
        assert_eq!(
            data,
            [
                "name",
                "national-id-number",
                "contact-email",
                "phone-number",
                "health"
            ]
        );
    }
    let rule = enforced(&j, "6.2 p.1", "retention");
    assert!(j
        .retention
        .iter()
        .any(|r| r.id.get_ref() == &rule && r.keep_for.get_ref() == "90d"));
    let review = enforced(&j, "6.2 p.2", "review");
    assert!(j
        .reviews
        .iter()
        .any(|r| r.id.get_ref() == &review && r.schedule.get_ref() == "quarterly"));
    assert!(j
        .instructions
        .iter()
        .any(|i| i.source == "6.2 p.3" && i.manual.is_some()));
    // The customer's own undertaking after section 6 is not an instruction.
    assert_eq!(j.instructions.len(), 3);
    let text = std::fs::read_to_string(dir.path().join("journalkopia.toml")).unwrap();
    assert!(text.contains("# NOT MATCHED (line 56): \"Skostorlek\""));

    // Numbered Markdown headings, one-word heading, nested bullets per category, periods in words.
    let t = service(&dir.path().join("tidbok.toml"));
    let staff = t
        .subjects
        .iter()
        .find(|s| s.category.get_ref() == "customer-staff")
        .unwrap();
    let data: Vec<&str> = staff
        .data
        .get_ref()
        .iter()
        .map(|d| d.get_ref().as_str())
        .collect();
    assert_eq!(data, ["hsa-id", "name", "job-title"]);
    let periods: Vec<&str> = t
        .retention
        .iter()
        .map(|r| r.keep_for.get_ref().as_str())
        .collect();
    assert_eq!(periods, ["2y", "6mo"]);
    assert_eq!(t.reviews[0].schedule.get_ref(), "yearly");
    assert_eq!(
        t.processing.duration.kind,
        gallra::policy::spec::DurationKind::ContractTerm
    );

    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let unmatched = &json[0]["report"]["unmatched"];
    assert!(unmatched
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["phrase"] == "Skostorlek" && e["line"] == 56));
}

fn assert_danish(draft: &ServiceFile) {
    let cats: Vec<&str> = draft
        .subjects
        .iter()
        .map(|s| s.category.get_ref().as_str())
        .collect();
    assert_eq!(cats, ["customer-staff", "employees"]);
    let data: Vec<&str> = draft.subjects[0]
        .data
        .get_ref()
        .iter()
        .map(|d| d.get_ref().as_str())
        .collect();
    assert_eq!(
        data,
        [
            "name",
            "postal-address",
            "national-id-number",
            "salary",
            "health",
            "trade-union-membership"
        ]
    );
    let names: Vec<&str> = draft
        .sub_processors
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["Driftscenter A/S", "Printhuset ApS"]);
    assert_eq!(
        draft
            .processing
            .none
            .iter()
            .map(|x| x.get_ref().as_str())
            .collect::<Vec<_>>(),
        ["transfers"]
    );
    assert_eq!(draft.security_measures.len(), 2);
    let periods: Vec<&str> = draft
        .retention
        .iter()
        .map(|r| r.keep_for.get_ref().as_str())
        .collect();
    assert_eq!(periods, ["24mo", "12mo"]);
    assert!(draft
        .retention
        .iter()
        .all(|r| r.timezone.get_ref() == "Europe/Copenhagen"));
    enforced(draft, "C.4 p.1", "retention");
    enforced(draft, "C.7", "review");
    assert_eq!(draft.service.processor.get_ref(), "lonservice-aps");
    assert_eq!(draft.service.source.section.as_deref(), Some("Bilag A–C"));
}

#[test]
fn danish_appendices_import_from_markdown_and_docx_alike() {
    let md = fixture("dk-loenportal.md");
    let dir = tempfile::tempdir().unwrap();
    let out = import(&[&md], dir.path(), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    check(dir.path());
    assert_danish(&service(&dir.path().join("lonportalen.toml")));

    // The same document as a .docx with Word heading styles, list numbering and a table; its
    // headings carry no numbers (Word numbers them itself), so they are read by their words.
    let docs = tempfile::tempdir().unwrap();
    let docx = docs.path().join("dk-loenportal.docx");
    write_docx(&std::fs::read_to_string(&md).unwrap(), &docx, true);
    let dir = tempfile::tempdir().unwrap();
    let out = import(&[&docx], dir.path(), &["--format", "dk-scc"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    check(dir.path());
    assert_danish(&service(&dir.path().join("lonportalen.toml")));
}

#[test]
fn inera_documents_import_from_docx() {
    let docs = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (name, strip) in [("inera-tidbok.md", true), ("inera-journalkopia.txt", false)] {
        let path = docs
            .path()
            .join(name.replace(".md", ".docx").replace(".txt", ".docx"));
        write_docx(
            &std::fs::read_to_string(fixture(name)).unwrap(),
            &path,
            strip,
        );
        paths.push(path);
    }
    let mote = docs.path().join("digitalt-mote.docx");
    write_docx(
        &std::fs::read_to_string(seed("002_38b2448d49f7f0f4.txt")).unwrap(),
        &mote,
        false,
    );
    paths.push(mote);
    let dir = tempfile::tempdir().unwrap();
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let out = import(&refs, dir.path(), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    check(dir.path());
    let t = service(&dir.path().join("tidbok.toml"));
    assert_eq!(t.retention[0].keep_for.get_ref(), "2y");
    let m = service(&dir.path().join("digitalt-mote.toml"));
    assert_holds(&m, &hand_written("digitalt-mote.toml"));
}

#[test]
fn bad_input_is_an_error_naming_the_file_and_writes_nothing_for_it() {
    let docs = tempfile::tempdir().unwrap();
    let encrypted = docs.path().join("encrypted.docx");
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend_from_slice(&[0; 504]);
    std::fs::write(&encrypted, ole).unwrap();
    let broken = docs.path().join("broken.docx");
    std::fs::write(&broken, b"PK\x03\x04 not really a zip").unwrap();
    let missing = docs.path().join("missing.txt");
    let no_section = fixture("no-section.txt");
    let good = fixture("inera-tidbok.md");
    let dir = tempfile::tempdir().unwrap();
    let out = import(
        &[&encrypted, &broken, &missing, &no_section, &good],
        dir.path(),
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    for (file, says) in [
        (&encrypted, "encrypted"),
        (&broken, "not a readable .docx"),
        (&missing, "cannot read the file"),
        (&no_section, "no recognisable section 6"),
    ] {
        let line = err
            .lines()
            .find(|l| l.starts_with(&file.display().to_string()))
            .unwrap_or_else(|| panic!("no error for {}: {err}", file.display()));
        assert!(
            line.contains(says) && line.contains("no draft written"),
            "{line}"
        );
    }
    // Only the good document's draft (and the entries it needs) was written.
    let mut written: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(
        written,
        ["datasources.toml", "organisations.toml", "tidbok.toml"]
    );
    check(dir.path());
}
