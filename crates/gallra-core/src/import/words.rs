//! Numbers written in words or digits (Swedish, Danish, English), the periods instructions state
//! ("sju (7) dagar", "12 måneder") and the review intervals they name ("kvartalsvis", "årligen").

/// A period an instruction states, with the words it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedPeriod {
    /// In the policy format: `7d`, `2w`, `12mo`, `1y`.
    pub keep_for: String,
    pub words: String,
}

#[rustfmt::skip]
const UNITS: &[(&str, u32)] = &[
    ("noll", 0), ("nul", 0), ("zero", 0),
    ("en", 1), ("ett", 1), ("et", 1), ("one", 1),
    ("två", 2), ("to", 2), ("two", 2),
    ("tre", 3), ("three", 3),
    ("fyra", 4), ("fire", 4), ("four", 4),
    ("fem", 5), ("five", 5),
    ("sex", 6), ("seks", 6), ("six", 6),
    ("sju", 7), ("syv", 7), ("seven", 7),
    ("åtta", 8), ("otte", 8), ("eight", 8),
    ("nio", 9), ("ni", 9), ("nine", 9),
    ("tio", 10), ("ti", 10), ("ten", 10),
    ("elva", 11), ("elleve", 11), ("eleven", 11),
    ("tolv", 12), ("twelve", 12),
    ("tretton", 13), ("tretten", 13), ("thirteen", 13),
    ("fjorton", 14), ("fjorten", 14), ("fourteen", 14),
    ("femton", 15), ("femten", 15), ("fifteen", 15),
    ("sexton", 16), ("seksten", 16), ("sixteen", 16),
    ("sjutton", 17), ("sytten", 17), ("seventeen", 17),
    ("arton", 18), ("aderton", 18), ("atten", 18), ("eighteen", 18),
    ("nitton", 19), ("nitten", 19), ("nineteen", 19),
];

#[rustfmt::skip]
const TENS: &[(&str, u32)] = &[
    ("tjugo", 20), ("tyve", 20), ("twenty", 20),
    ("trettio", 30), ("tredive", 30), ("thirty", 30),
    ("fyrtio", 40), ("fyrre", 40), ("forty", 40),
    ("femtio", 50), ("halvtreds", 50), ("fifty", 50),
    ("sextio", 60), ("tres", 60), ("sixty", 60),
    ("sjuttio", 70), ("halvfjerds", 70), ("seventy", 70),
    ("åttio", 80), ("firs", 80), ("eighty", 80),
    ("nittio", 90), ("halvfems", 90), ("ninety", 90),
    ("hundra", 100), ("hundrede", 100), ("hundred", 100), ("etthundra", 100), ("ethundrede", 100),
];

fn lookup(table: &[(&str, u32)], w: &str) -> Option<u32> {
    table.iter().find(|(k, _)| *k == w).map(|(_, n)| *n)
}

/// A number in digits or words: "7", "sju", "nittio", "tjugofyra", "fireogtyve", "twenty-four".
pub fn number(word: &str) -> Option<u32> {
    let w = word.trim().to_lowercase();
    if !w.is_empty() && w.chars().all(|c| c.is_ascii_digit()) {
        return w.parse().ok();
    }
    if let Some(n) = lookup(UNITS, &w).or_else(|| lookup(TENS, &w)) {
        return Some(n);
    }
    // English "twenty-four"; Danish "fireogtyve" (units og tens); Swedish "tjugofyra" (tens units).
    if let Some((a, b)) = w.split_once('-') {
        return Some(lookup(TENS, a)? + lookup(UNITS, b)?);
    }
    if let Some((a, b)) = w.split_once("og") {
        if let (Some(u), Some(t)) = (lookup(UNITS, a), lookup(TENS, b)) {
            return Some(t + u);
        }
    }
    TENS.iter().find_map(|(t, n)| {
        w.strip_prefix(t)
            .and_then(|rest| lookup(UNITS, rest))
            .map(|u| n + u)
    })
}

/// The policy-format unit of a unit word: d, w, mo or y.
fn unit(word: &str) -> Option<&'static str> {
    let w = word.to_lowercase();
    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
    Some(match w {
        "dag" | "dagar" | "dagarna" | "dage" | "dagen" | "dages" | "dygn" | "døgn" | "day"
        | "days" => "d",
        "vecka" | "veckor" | "veckan" | "uge" | "uger" | "ugers" | "week" | "weeks" => "w",
        "månad" | "månader" | "månaders" | "måned" | "måneder" | "måneders" | "month"
        | "months" => "mo",
        "år" | "års" | "året" | "year" | "years" => "y",
        _ => return None,
    })
}

/// The words of a text, lower-case, each with the byte range it stands on.
fn words_of(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    let mut start = None;
    let split = |c: char| c.is_whitespace() || c == '/' || c == ',';
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (start, split(c)) {
            (None, false) => start = Some(i),
            (Some(s), true) => {
                let raw = &text[s..i];
                let trimmed = raw.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '-');
                let from = s + raw.len() - trimmed.len();
                let w = trimmed.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '-');
                if !w.is_empty() {
                    out.push((from..from + w.len(), w.to_lowercase()));
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The first period the text states: a number (digits, words, or both as in "sju (7)")
/// followed by a unit.
pub fn period(text: &str) -> Option<StatedPeriod> {
    periods(text).into_iter().next().map(|(p, _)| p)
}

/// Every period the text states, in order, each with the byte range of its words ("fem (5) år
/// …, og adgangslogs … i 6 måneder" states two). A zero period ends the search.
pub fn periods(text: &str) -> Vec<(StatedPeriod, std::ops::Range<usize>)> {
    let words = words_of(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let Some(n) = number(&words[i].1) else {
            i += 1;
            continue;
        };
        // "sju (7) dagar": the digits repeat the words.
        let mut j = i + 1;
        if words.get(j).and_then(|x| number(&x.1)) == Some(n) {
            j += 1;
        }
        match words.get(j).and_then(|x| unit(&x.1)) {
            Some(_) if n == 0 => break,
            Some(u) => {
                let said: Vec<&str> = words[i..=j].iter().map(|w| w.1.as_str()).collect();
                out.push((
                    StatedPeriod {
                        keep_for: format!("{n}{u}"),
                        words: said.join(" "),
                    },
                    words[i].0.start..words[j].0.end,
                ));
                i = j + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// The text split so that each part states one of its periods: each cut falls at the last clause
/// boundary (". ", "; ", ", og", " och ", …) between one period and the next.
pub fn split_at_periods(text: &str) -> Vec<(String, StatedPeriod)> {
    let found = periods(text);
    let mut out = Vec::new();
    let mut from = 0;
    for (k, (p, range)) in found.iter().enumerate() {
        let to = match found.get(k + 1) {
            Some((_, next)) => cut(text, range.end, next.start),
            None => (text.len(), text.len()),
        };
        let part = text[from..to.0].trim().trim_end_matches([',', ';']).trim();
        out.push((part.to_string(), p.clone()));
        from = to.1;
    }
    out
}

/// Where to cut between two periods: (end of the first part, start of the next), at the
/// strongest boundary in `text[a..b]`, the conjunction after it dropped.
fn cut(text: &str, a: usize, b: usize) -> (usize, usize) {
    const BOUNDARIES: &[&[&str]] = &[
        &[". ", "; "],
        &[
            ", og ", ", och ", ", and ", ", samt ", ", mens ", ", medan ", ", while ",
        ],
        &[" og ", " och ", " and ", " samt "],
        &[", "],
    ];
    let window = &text[a..b];
    for group in BOUNDARIES {
        let last = group
            .iter()
            .filter_map(|sep| window.rfind(sep).map(|i| (i, sep.len())))
            .max();
        if let Some((i, len)) = last {
            return (a + i, a + i + len);
        }
    }
    (b, b)
}

/// A review interval the text names, as a schedule shorthand, and whether the source only says
/// "continuously" (then `monthly` is the draft's proposal, not the source's).
pub fn schedule(text: &str) -> Option<(&'static str, bool)> {
    let t = text.to_lowercase();
    let has = |xs: &[&str]| xs.iter().any(|x| t.contains(x));
    if has(&["kvartal", "quarter"]) {
        Some(("quarterly", false))
    } else if has(&[
        "årlig",
        "årsvis",
        "varje år",
        "hvert år",
        "en gång per år",
        "once a year",
        "annual",
        "yearly",
    ]) {
        Some(("yearly", false))
    } else if has(&[
        "månadsvis",
        "månatlig",
        "varje månad",
        "månedlig",
        "hver måned",
        "monthly",
        "every month",
    ]) {
        Some(("monthly", false))
    } else if has(&[
        "veckovis",
        "varje vecka",
        "ugentlig",
        "hver uge",
        "weekly",
        "every week",
    ]) {
        Some(("weekly", false))
    } else if has(&[
        "dagligen",
        "varje dag",
        "daglig",
        "hver dag",
        "daily",
        "every day",
    ]) {
        Some(("daily", false))
    } else if has(&[
        "löpande",
        "løbende",
        "regelbundet",
        "regelmæssig",
        "continuous",
        "regularly",
    ]) {
        Some(("monthly", true))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_words_and_digits() {
        assert_eq!(number("sju"), Some(7));
        assert_eq!(number("nittio"), Some(90));
        assert_eq!(number("Syv"), Some(7));
        assert_eq!(number("tjugofyra"), Some(24));
        assert_eq!(number("fireogtyve"), Some(24));
        assert_eq!(number("twenty-four"), Some(24));
        assert_eq!(number("30"), Some(30));
        assert_eq!(number("dagar"), None);
    }

    #[test]
    fn periods_in_three_languages() {
        let p = |t: &str| period(t).map(|p| p.keep_for);
        assert_eq!(
            p("Gallra uppgifter sju (7) dagar efter registreringsdatumet.").as_deref(),
            Some("7d")
        );
        assert_eq!(p("raderas efter nittio (90) dagar").as_deref(), Some("90d"));
        assert_eq!(p("slettes efter 12 måneder").as_deref(), Some("12mo"));
        assert_eq!(
            p("Logfiler opbevares i 24 måneder.").as_deref(),
            Some("24mo")
        );
        assert_eq!(p("deleted after two weeks").as_deref(), Some("2w"));
        assert_eq!(p("sparas i fem år").as_deref(), Some("5y"));
        assert_eq!(p("slettes efter fireogtyve timer"), None);
        assert_eq!(p("Tills vidare."), None);
    }

    #[test]
    fn a_sentence_of_two_periods_splits_between_them() {
        let parts = split_at_periods("Vagtplaner opbevares i fem (5) år efter kalenderårets udgang, og adgangslogs opbevares i 6 måneder, hvorefter de slettes.");
        let got: Vec<(&str, &str)> = parts
            .iter()
            .map(|(t, p)| (t.as_str(), p.keep_for.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "Vagtplaner opbevares i fem (5) år efter kalenderårets udgang",
                    "5y"
                ),
                (
                    "adgangslogs opbevares i 6 måneder, hvorefter de slettes.",
                    "6mo"
                )
            ]
        );
        assert_eq!(split_at_periods("Gallra efter 7 dagar.").len(), 1);
    }

    #[test]
    fn schedule_words() {
        assert_eq!(schedule("granskas kvartalsvis"), Some(("quarterly", false)));
        assert_eq!(schedule("gennemgås årligt"), Some(("yearly", false)));
        assert_eq!(
            schedule("Löpande granska och rensa"),
            Some(("monthly", true))
        );
        assert_eq!(schedule("reviewed every month"), Some(("monthly", false)));
        assert_eq!(schedule("Lagra namn"), None);
    }
}
