//! A draft policy file rendered from a document's facts, the document's wording kept in its text
//! fields and each vocabulary match beside the phrase it came from; checked as `policies check` does.

use std::fmt::Write;

use serde::Serialize;

use super::report::{Entry, Report};
use super::{instructions, processing, subjects, Facts, ImportError, Imported, Options};
use crate::policy::ident::check_id;
use crate::policy::source::SourceFile;

/// An `organisations.toml` or `datasources.toml` entry a draft needs, as TOML.
#[derive(Debug, Clone, Serialize)]
pub struct Support {
    pub id: String,
    pub toml: String,
}

pub use super::phrase_text::slug;
pub use super::toml_text::{comment, q};

/// The draft for one document, validated with the organisation and datasource it names.
pub fn build(f: &Facts, file_name: &str, opts: &Options) -> Result<Imported, ImportError> {
    let name = f
        .name
        .clone()
        .filter(|n| !n.text.is_empty())
        .ok_or_else(|| {
            ImportError::Incomplete(
                "no service name: the first line should name the service".into(),
            )
        })?;
    let id = slug(&name.text, 64);
    let (org_id, org_name) = match (&opts.processor, &f.processor) {
        (Some(p), Some((id, name))) if p == id => (p.clone(), name.clone()),
        (Some(p), _) => (p.clone(), p.clone()),
        (None, Some((id, name))) => (id.clone(), name.clone()),
        (None, None) => (
            "processor".to_string(),
            "The processor (name not stated)".to_string(),
        ),
    };
    check_id(&org_id).map_err(|e| ImportError::Incomplete(format!("--processor: {e}")))?;
    let mut rep = Report {
        file: file_name.to_string(),
        layout: f.layout.to_string(),
        service: id.clone(),
        draft: format!("{id}.toml"),
        ..Default::default()
    };
    rep.found.push(Entry::new(
        "title",
        name.line,
        &name.text,
        format!("service `{id}`"),
    ));
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# DRAFT written by `gallra import` from {} ({} layout, section {}).",
        comment(file_name),
        f.layout,
        comment(&f.section)
    );
    let _ = writeln!(t, "# Review every line against the source before it goes into policies/; TODO marks what a person fills in.\n");
    let _ = writeln!(t, "[service]\nid = {}\nname = {}\nprocessor = {}  # TODO: check against organisations.toml\nlanguage = {}", q(&id), q(&name.text), q(&org_id), q(f.language));
    let _ = writeln!(
        t,
        "source = {{ document = {}, section = {}, file = {} }}\n",
        q(&f.document),
        q(&f.section),
        q(file_name)
    );
    processing::render(f, &mut t, &mut rep)?;
    subjects::render(f, &mut t, &mut rep)?;
    systems(f, &mut t, &mut rep);
    security(f, &mut t);
    let (rules, has_rules) = instructions::render(f, &id, &org_id, &mut rep);
    t.push_str(&rules);
    let organisation = Support {
        id: org_id.clone(),
        toml: format!("\n# DRAFT placeholder from `gallra import` ({}): check it, or use the entry already in your organisations.toml.\n[[organisations]]\nid = {}\nname = {}\nroles = [\"processor\"]\nnote = \"DRAFT placeholder written by gallra import.\"\n", comment(file_name), q(&org_id), q(&org_name)),
    };
    let datasource = has_rules.then(|| {
        let ds = instructions::datasource_id(&id);
        Support {
            toml: format!("\n# DRAFT placeholder from `gallra import` ({}): the database holding {id}'s data. TODO: set its kind; its URL comes from GALLRA_DATASOURCE_<ID>.\n[[datasources]]\nid = {}\nkind = \"sqlite\"\ndescription = {}\n", comment(file_name), q(&ds), q(&format!("DRAFT placeholder for {}: a person names the real datasource.", name.text))),
            id: ds,
        }
    });
    validate(&t, &organisation, datasource.as_ref(), &id)?;
    Ok(Imported {
        service_id: id.clone(),
        file_name: format!("{id}.toml"),
        toml: t,
        organisation,
        datasource,
        report: rep,
    })
}

fn systems(f: &Facts, t: &mut String, rep: &mut Report) {
    for s in &f.systems {
        let kind = if s.sub_processor {
            "sub-processor"
        } else {
            "system"
        };
        rep.found.push(Entry::new(
            "sub-processors",
            s.name.line,
            &s.name.text,
            format!("[[sub_processors]] kind = \"{kind}\""),
        ));
        let _ = write!(
            t,
            "\n# line {}{}\n[[sub_processors]]\nname = {}\nkind = {}\n",
            s.name.line,
            s.cvr
                .as_ref()
                .map(|c| format!(", CVR {}", comment(c)))
                .unwrap_or_default(),
            q(&s.name.text),
            q(kind)
        );
        if let Some(p) = &s.purpose {
            let _ = writeln!(t, "purpose = {}", q(p));
        }
        if let Some(l) = &s.location {
            let _ = writeln!(t, "location = {}", q(l));
        }
    }
}

fn security(f: &Facts, t: &mut String) {
    for p in &f.security {
        let _ = write!(
            t,
            "\n# line {}\n[[security_measures]]\ntext = {}\nsource = \"C.2\"\n",
            p.line,
            q(&p.text)
        );
    }
}

/// The same validation `gallra policies check` runs, on the draft with its organisation and
/// datasource.
fn validate(toml: &str, org: &Support, ds: Option<&Support>, id: &str) -> Result<(), ImportError> {
    let files = vec![
        SourceFile::new(
            "organisations.toml".into(),
            "organisations.toml".into(),
            org.toml.clone(),
        ),
        SourceFile::new(
            "datasources.toml".into(),
            "datasources.toml".into(),
            ds.map(|d| d.toml.clone()).unwrap_or_default(),
        ),
        SourceFile::new(format!("{id}.toml"), format!("{id}.toml"), toml.to_string()),
    ];
    crate::policy::load::parse(files).map(|_| ()).map_err(|e| {
        ImportError::Invalid(
            e.0.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}
