//! Documents in the official layouts, in their own wording and with the variations real ones
//! have (long clause titles, a body on its title's line, clauses out of order, nested lists, two
//! periods in one paragraph), each as text or Markdown and as a .docx built from it.

use std::path::PathBuf;

use gallra::policy::spec::{DurationKind, ServiceFile};

use super::docx::write_docx;
use super::{check, enforced, fixture, import as run_import, service};

/// The draft of one fixture, imported as written and as a .docx of the same text.
fn drafts(name: &str, id: &str) -> Vec<(String, ServiceFile)> {
    let docs = tempfile::tempdir().unwrap();
    let source = fixture(name);
    let docx: PathBuf = docs.path().join(format!("{name}.docx"));
    write_docx(&std::fs::read_to_string(&source).unwrap(), &docx, false);
    [source, docx]
        .iter()
        .map(|path: &PathBuf| {
            let dir = tempfile::tempdir().unwrap();
            let out = run_import(&[path.as_path()], dir.path(), &[]);
            assert!(
                out.status.success(),
                "{}: {}",
                path.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            check(dir.path());
            (
                path.display().to_string(),
                service(&dir.path().join(format!("{id}.toml"))),
            )
        })
        .collect()
}

fn categories(d: &ServiceFile) -> Vec<(&str, Vec<&str>)> {
    d.subjects
        .iter()
        .map(|s| {
            (
                s.category.get_ref().as_str(),
                s.data
                    .get_ref()
                    .iter()
                    .map(|x| x.get_ref().as_str())
                    .collect(),
            )
        })
        .collect()
}

fn periods(d: &ServiceFile) -> Vec<&str> {
    d.retention
        .iter()
        .map(|r| r.keep_for.get_ref().as_str())
        .collect()
}

/// The instructions with this source, with the kind of rule enforcing each ("manual" if none).
fn by_source<'a>(d: &'a ServiceFile, source: &str) -> Vec<(&'a str, String)> {
    d.instructions
        .iter()
        .filter(|i| i.source == source)
        .map(|i| {
            let kind = i.enforced_by.as_ref().map_or("manual".to_string(), |b| {
                b.get_ref().split(':').next().unwrap().to_string()
            });
            (i.text.as_str(), kind)
        })
        .collect()
}

#[test]
fn danish_clauses_in_the_templates_own_wording_read_duration_periods_and_nested_types() {
    for (file, d) in drafts("dk-scc-official.txt", "vagtplan-online") {
        // A.5's long title ends "Behandlingen har følgende varighed:"; the duration is below it.
        assert_eq!(
            d.processing.duration.kind,
            DurationKind::ContractTerm,
            "{file}"
        );
        assert_eq!(
            d.processing.duration.text.as_deref(),
            Some("Behandlingen er ikke tidsbegrænset og varer, indtil Hovedaftalen mellem parterne ophører.")
        );
        // …and is no category of data subjects.
        assert_eq!(
            categories(&d),
            [
                (
                    "customer-staff",
                    vec![
                        "name",
                        "username",
                        "phone-number",
                        "health",
                        "national-id-number"
                    ]
                ),
                (
                    "contractors",
                    vec![
                        "name",
                        "username",
                        "phone-number",
                        "health",
                        "national-id-number"
                    ]
                ),
            ],
            "{file}"
        );
        // C.4: one sentence, two periods (the plans', the logs'): two instructions, two rules.
        assert_eq!(periods(&d), ["5y", "6mo"], "{file}");
        let c4 = by_source(&d, "C.4 p.1");
        assert_eq!(c4.len(), 2, "{file}: {c4:?}");
        assert!(c4[0]
            .0
            .starts_with("Vagtplaner og fraværsoplysninger opbevares i fem (5) år"));
        assert!(c4[1].0.starts_with("adgangslogs opbevares i 6 måneder"));
        assert!(c4.iter().all(|(_, k)| k == "retention"));
        assert_eq!(by_source(&d, "C.4 p.2")[0].1, "manual");
        enforced(&d, "C.7", "review");
        assert_eq!(d.reviews[0].schedule.get_ref(), "quarterly");
        assert_eq!(
            d.sub_processors
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>(),
            ["Hostinghuset A/S"]
        );
        assert_eq!(d.security_measures.len(), 2, "{file}");
        assert_eq!(d.service.processor.get_ref(), "vagtdata-aps");
        assert!(d.processing.none.iter().any(|x| x.get_ref() == "transfers"));
    }
}

#[test]
fn danish_clauses_with_bodies_on_their_title_lines_out_of_order_read_alike() {
    for (file, d) in drafts("dk-scc-variant.md", "kantinekort") {
        assert_eq!(
            d.processing.purposes.get_ref(),
            &["At administrere kantinekort og betaling i kantinen."],
            "{file}"
        );
        assert_eq!(
            d.processing.duration.kind,
            DurationKind::UntilDate,
            "{file}"
        );
        assert_eq!(d.processing.duration.until.as_deref(), Some("2027-12-31"));
        // A.4 before A.3; a type named alone two levels down ("Brugernavn").
        assert_eq!(
            categories(&d),
            [("customer-staff", vec!["name", "username", "contact-email"])],
            "{file}"
        );
        assert_eq!(periods(&d), ["13mo", "30d"], "{file}");
        assert_eq!(by_source(&d, "C.4").len(), 2, "{file}");
        assert_eq!(
            by_source(&d, "C.1")[0].0,
            "Databehandleren driver kantinekortsystemet."
        );
        enforced(&d, "C.7", "review");
        assert_eq!(d.reviews[0].schedule.get_ref(), "yearly");
        assert!(d.processing.none.iter().any(|x| x.get_ref() == "transfers"));
        assert!(d
            .processing
            .none
            .iter()
            .any(|x| x.get_ref() == "sub_processors"));
    }
}

#[test]
fn inera_section_six_in_its_own_wording_and_varied_reads_alike() {
    for (file, d) in drafts("inera-official.txt", "vardkontakt") {
        assert_eq!(d.processing.duration.kind, DurationKind::UntilFurtherNotice);
        assert_eq!(
            categories(&d),
            [
                ("residents", vec!["name", "national-id-number", "free-text"]),
                ("customer-staff", vec!["hsa-id", "job-title"]),
            ],
            "{file}"
        );
        assert_eq!(periods(&d), ["12mo", "2y"], "{file}");
        let p2 = by_source(&d, "6.2 p.2");
        assert_eq!(p2.len(), 2, "{file}: {p2:?}");
        assert!(
            p2[1].0.starts_with("loggar över åtkomst efter två (2) år"),
            "{p2:?}"
        );
        assert_eq!(by_source(&d, "6.2 p.1")[0].1, "manual");
        enforced(&d, "6.2 p.3", "review");
    }
    for (file, d) in drafts("inera-variant.md", "provsvar") {
        assert_eq!(d.processing.duration.kind, DurationKind::ContractTerm);
        // 6.1.6 before 6.1.5; "HSA-id" alone under "Identitet", two levels down.
        assert_eq!(
            categories(&d),
            [
                ("residents", vec!["national-id-number", "health"]),
                ("customer-staff", vec!["hsa-id", "name"]),
            ],
            "{file}"
        );
        assert_eq!(periods(&d), ["90d", "2y"], "{file}");
        enforced(&d, "6.2 p.2", "review");
    }
}
