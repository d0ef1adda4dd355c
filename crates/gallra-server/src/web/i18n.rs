//! The interface's languages (Swedish, Danish, English): Fluent messages, and dates and numbers
//! in each locale's form. The register's own text is never translated: it keeps its source's
//! language and is marked with it.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Sv,
    Da,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Sv, Lang::Da, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::Da => "da",
            Lang::En => "en",
        }
    }

    /// The language's own name, as a switch shows it.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Sv => "Svenska",
            Lang::Da => "Dansk",
            Lang::En => "English",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The first of sv, da, en an `Accept-Language` header asks for (by weight), else English.
    /// Norwegian asks for Danish or Swedish before English: both read it.
    pub fn negotiate(accept: &str) -> Lang {
        let mut asked: Vec<(f32, Lang)> = accept
            .split(',')
            .filter_map(|part| {
                let mut it = part.trim().split(';');
                let tag = it.next()?.trim().to_ascii_lowercase();
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse().ok()))
                    .unwrap_or(1.0);
                let primary = tag.split('-').next()?;
                let lang = match primary {
                    "nb" | "nn" | "no" => Lang::Da,
                    p => Lang::parse(p)?,
                };
                Some((q, lang))
            })
            .collect();
        asked.sort_by(|a, b| b.0.total_cmp(&a.0));
        asked.first().map_or(Lang::En, |a| a.1)
    }

    fn source(self) -> &'static str {
        match self {
            Lang::Sv => include_str!("../../../../locales/sv.ftl"),
            Lang::Da => include_str!("../../../../locales/da.ftl"),
            Lang::En => include_str!("../../../../locales/en.ftl"),
        }
    }
}

/// An instant, however many references deep a template holds it.
pub trait At {
    fn at(&self) -> DateTime<Utc>;
}

impl At for DateTime<Utc> {
    fn at(&self) -> DateTime<Utc> {
        *self
    }
}

impl<T: At + ?Sized> At for &T {
    fn at(&self) -> DateTime<Utc> {
        (**self).at()
    }
}

/// A count, however many references deep a template holds it.
pub trait Count {
    fn count(&self) -> u64;
}

impl Count for u64 {
    fn count(&self) -> u64 {
        *self
    }
}

impl<T: Count + ?Sized> Count for &T {
    fn count(&self) -> u64 {
        (**self).count()
    }
}

type Bundle = FluentBundle<FluentResource>;

static BUNDLES: LazyLock<[Bundle; 3]> = LazyLock::new(|| Lang::ALL.map(bundle));

fn bundle(lang: Lang) -> Bundle {
    let id = lang
        .code()
        .parse()
        .expect("sv, da and en are language tags");
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around arguments: the pages are HTML, not bidirectional text.
    b.set_use_isolating(false);
    let res = FluentResource::try_new(lang.source().to_owned()).unwrap_or_else(|(res, errors)| {
        tracing::error!(
            lang = lang.code(),
            errors = errors.len(),
            "locale file has errors"
        );
        res
    });
    if let Err(errors) = b.add_resource(res) {
        tracing::error!(
            lang = lang.code(),
            errors = errors.len(),
            "locale messages overlap"
        );
    }
    b
}

/// The messages of one language, for one page.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Self {
        Tr { lang }
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    fn bundle(&self) -> &'static Bundle {
        &BUNDLES[Lang::ALL.iter().position(|l| *l == self.lang).unwrap_or(2)]
    }

    /// The message `id`; its id itself if the locale lacks it (a test checks none does).
    pub fn t(&self, id: impl AsRef<str>) -> String {
        self.format(id.as_ref(), None)
    }

    /// The message `id` with one numeric argument `n` (plurals).
    pub fn n(&self, id: &str, n: impl Count) -> String {
        let n = n.count();
        let mut args = FluentArgs::new();
        args.set("n", FluentValue::from(n));
        args.set("count", self.num(n));
        self.format(id, Some(&args))
    }

    /// The message `id` with one text argument `x`.
    pub fn x(&self, id: &str, x: impl AsRef<str>) -> String {
        let x = x.as_ref();
        let mut args = FluentArgs::new();
        args.set("x", x.to_owned());
        self.format(id, Some(&args))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        let b = self.bundle();
        let Some(pattern) = b.get_message(id).and_then(|m| m.value()) else {
            return id.to_owned();
        };
        let mut errors = Vec::new();
        b.format_pattern(pattern, args, &mut errors).into_owned()
    }

    /// Whether the locale has message `id`.
    pub fn has(&self, id: &str) -> bool {
        self.bundle().has_message(id)
    }

    /// A count with the locale's grouping: 12 345 (sv), 12.345 (da), 12,345 (en).
    pub fn num(&self, n: impl Count) -> String {
        let n = n.count();
        let sep = match self.lang {
            Lang::Sv => '\u{a0}',
            Lang::Da => '.',
            Lang::En => ',',
        };
        let digits = n.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    }

    /// An instant in the locale's form, in `tz` (the register's zone: Europe/Stockholm).
    pub fn date_time(&self, at: impl At) -> String {
        let local = at.at().with_timezone(&chrono_tz::Europe::Stockholm);
        let fmt = match self.lang {
            Lang::Sv => "%Y-%m-%d %H:%M",
            Lang::Da => "%d.%m.%Y %H.%M",
            Lang::En => "%-d %b %Y %H:%M",
        };
        local.format(fmt).to_string()
    }

    /// A date alone, in the locale's form.
    pub fn date(&self, at: impl At) -> String {
        let local = at.at().with_timezone(&chrono_tz::Europe::Stockholm);
        let fmt = match self.lang {
            Lang::Sv => "%Y-%m-%d",
            Lang::Da => "%d.%m.%Y",
            Lang::En => "%-d %b %Y",
        };
        local.format(fmt).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_heaviest_known_language() {
        assert_eq!(Lang::negotiate("sv-SE,sv;q=0.9,en;q=0.8"), Lang::Sv);
        assert_eq!(Lang::negotiate("de-DE, da;q=0.7, en;q=0.9"), Lang::En);
        assert_eq!(Lang::negotiate("nb-NO"), Lang::Da);
        assert_eq!(Lang::negotiate("fr"), Lang::En);
        assert_eq!(Lang::negotiate(""), Lang::En);
    }

    #[test]
    fn numbers_and_dates_take_the_locales_form() {
        assert_eq!(Tr::new(Lang::Sv).num(1234567), "1\u{a0}234\u{a0}567");
        assert_eq!(Tr::new(Lang::Da).num(1234), "1.234");
        assert_eq!(Tr::new(Lang::En).num(999), "999");
        let at: DateTime<Utc> = "2026-03-01T12:30:00Z".parse().unwrap();
        assert_eq!(Tr::new(Lang::Sv).date_time(at), "2026-03-01 13:30");
        assert_eq!(Tr::new(Lang::Da).date(at), "01.03.2026");
    }

    #[test]
    fn every_language_has_every_message_of_the_english() {
        let en = Lang::En.source();
        for lang in [Lang::Sv, Lang::Da] {
            let tr = Tr::new(lang);
            for line in en.lines() {
                let Some((id, _)) = line.split_once(" =") else {
                    continue;
                };
                if id.starts_with(char::is_alphabetic) && !id.contains(' ') {
                    assert!(tr.has(id), "{} lacks `{id}`", lang.code());
                }
            }
        }
    }
}

#[cfg(test)]
mod used {
    use super::*;

    /// Every message a template or page asks for by name exists in English (and so, by the
    /// test above, in every language).
    #[test]
    fn every_message_the_pages_name_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        for dir in ["../../templates", "src/web", "src/web/pages"] {
            for e in std::fs::read_dir(root.join(dir)).unwrap() {
                let p = e.unwrap().path();
                if p.is_file() {
                    texts.push(std::fs::read_to_string(p).unwrap());
                }
            }
        }
        let en = Tr::new(Lang::En);
        for text in texts {
            for call in [".t(\"", ".n(\"", ".x(\""] {
                for part in text.split(call).skip(1) {
                    let id = part.split('"').next().unwrap();
                    assert!(en.has(id), "no message `{id}`");
                }
            }
        }
    }
}
