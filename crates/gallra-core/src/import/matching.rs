//! A document's wording matched to the built-in vocabulary: personal-data types, data-subject
//! categories and Art. 4(2) operations. Each match keeps the words it came from; nothing is guessed.

use crate::register::vocabulary;

/// (words, id) pairs, most specific first: a match blanks out its words so that a shorter
/// pattern inside it ("adress" in "e-postadress") does not match again. A pattern starting with
/// `^` must start a word.
#[rustfmt::skip]
const DATA_WORDS: &[(&str, &str)] = &[
    ("e-postinnehåll", "email-content"), ("indholdet af e-mail", "email-content"), ("e-mailindhold", "email-content"), ("content of e-mail", "email-content"),
    ("e-postadress", "contact-email"), ("e-mailadresse", "contact-email"), ("mailadresse", "contact-email"), ("e-post", "contact-email"), ("e-mail", "contact-email"), ("^email", "contact-email"), ("^epost", "contact-email"),
    ("ip-adress", "ip-address"), ("ip address", "ip-address"),
    ("personnummer", "national-id-number"), ("cpr", "national-id-number"), ("personal identity number", "national-id-number"), ("national id", "national-id-number"),
    ("hsa-id", "hsa-id"), ("hsa id", "hsa-id"), ("^hsaid", "hsa-id"),
    ("användarnamn", "username"), ("brugernavn", "username"), ("username", "username"), ("user name", "username"), ("bruger-id", "username"), ("användar-id", "username"),
    ("sessions-id", "session-id"), ("session-id", "session-id"), ("session id", "session-id"), ("sessionsid", "session-id"),
    ("förnamn", "name"), ("efternamn", "name"), ("fornavn", "name"), ("efternavn", "name"), ("^namn", "name"), ("^navn", "name"), ("^name", "name"),
    ("telefon", "phone-number"), ("mobilnummer", "phone-number"), ("phone", "phone-number"),
    ("postadress", "postal-address"), ("^adress", "postal-address"), ("postal address", "postal-address"),
    ("befattning", "job-title"), ("stillingsbetegnelse", "job-title"), ("^titel", "job-title"), ("job title", "job-title"),
    ("arbetsgivare", "workplace"), ("arbetsplats", "workplace"), ("arbejdsgiver", "workplace"), ("arbejdssted", "workplace"), ("employer", "workplace"),
    ("lösenord", "credentials"), ("adgangskode", "credentials"), ("password", "credentials"),
    ("behörighet", "access-rights"), ("rettighed", "access-rights"), ("access right", "access-rights"), ("permission", "access-rights"),
    ("^logg", "log-data"), ("^log", "log-data"),
    ("enhets-id", "device-id"), ("dator-id", "device-id"), ("device", "device-id"), ("workstation", "device-id"),
    ("ljud och bild", "audio-video"), ("lyd og billede", "audio-video"), ("audio", "audio-video"), ("^video", "audio-video"), ("^ljud", "audio-video"),
    ("innehållet i det digitala mötet", "meeting-content"), ("innehållet i digitala mötet", "meeting-content"), ("mötesinnehåll", "meeting-content"), ("mødeindhold", "meeting-content"), ("meeting content", "meeting-content"),
    ("^fritext", "free-text"), ("^fritekst", "free-text"), ("free text", "free-text"),
    ("^filer", "file-content"), ("^dokument", "file-content"), ("^files", "file-content"),
    ("webbinnehåll", "web-content"), ("webindhold", "web-content"), ("web content", "web-content"),
    ("hälsa", "health"), ("helbred", "health"), ("helbreds", "health"), ("helse", "health"), ("health", "health"),
    ("ekonomi", "financial"), ("økonomi", "financial"), ("financial", "financial"),
    ("^lön", "salary"), ("^løn", "salary"), ("salary", "salary"),
    ("facklig", "trade-union-membership"), ("fagforening", "trade-union-membership"), ("fagligt tilhørsforhold", "trade-union-membership"), ("trade union", "trade-union-membership"),
    ("politisk", "political-opinion"), ("political", "political-opinion"),
    ("religi", "religious-belief"), ("etnisk", "ethnic-origin"), ("ethnic", "ethnic-origin"),
    ("sexuell", "sex-life"), ("seksuel", "sex-life"), ("sexual", "sex-life"),
    ("genetisk", "genetic"), ("genetic", "genetic"), ("biometri", "biometric"),
    ("lagöverträdelse", "criminal-offence"), ("strafbare", "criminal-offence"), ("criminal", "criminal-offence"),
];

#[rustfmt::skip]
const SUBJECT_WORDS: &[(&str, &str)] = &[
    ("invånare", "residents"), ("borgere", "residents"), ("resident", "residents"), ("citizen", "residents"),
    ("patient", "patients"), ("anhörig", "relatives"), ("pårørende", "relatives"), ("relatives", "relatives"),
    ("^barn", "children"), ("^børn", "children"), ("^elever", "children"), ("children", "children"),
    ("förtroendevald", "elected-officials"), ("folkevalgt", "elected-officials"), ("elected", "elected-officials"),
    ("uppdragstagare", "contractors"), ("konsulent", "contractors"), ("konsult", "contractors"), ("contractor", "contractors"),
    ("leverantör", "supplier-staff"), ("leverandør", "supplier-staff"), ("supplier", "supplier-staff"),
    ("administratör", "administrators"), ("administrator", "administrators"),
    ("kontaktperson", "contact-persons"), ("contact person", "contact-persons"),
    ("besökare", "website-visitors"), ("besøgende", "website-visitors"), ("visitor", "website-visitors"),
    ("korrespondent", "email-correspondents"),
    ("användare", "end-users"), ("brugere", "end-users"), ("users", "end-users"),
    ("vårdpersonal", "employees"), ("sundhedspersonale", "employees"), ("medarbetare", "employees"), ("anställd", "employees"), ("medarbejder", "employees"), ("ansatte", "employees"), ("employee", "employees"), ("staff", "employees"),
];

#[rustfmt::skip]
const OPERATION_WORDS: &[(&str, &str)] = &[
    // Masks: words that start like an operation but name none (an empty id is never reported).
    ("registreringsdatum", ""), ("registrerade", ""), ("registrerede", ""), ("registreret", ""), ("brugeradgang", ""),
    ("^insaml", "collection"), ("^indsaml", "collection"), ("^samla in", "collection"), ("collect", "collection"),
    ("^registrer", "recording"), ("spelas in", "recording"), ("^optag", "recording"), ("^record", "recording"),
    ("^organiser", "organisation"), ("^strukturer", "structuring"), ("^structur", "structuring"),
    ("^lagr", "storage"), ("^opbevar", "storage"), ("^stored", "storage"), ("^storage", "storage"), ("^sparas", "storage"),
    ("^anpass", "adaptation"), ("^tilpas", "adaptation"), ("^adapt", "adaptation"),
    ("^uppdater", "alteration"), ("^komplettera", "alteration"), ("^ändr", "alteration"), ("^opdater", "alteration"), ("^ændr", "alteration"), ("^alter", "alteration"), ("^updat", "alteration"),
    ("^hämta", "retrieval"), ("^fremsøg", "retrieval"), ("^retriev", "retrieval"),
    ("^slå op", "consultation"), ("^konsulter", "consultation"), ("^consult", "consultation"),
    ("^används", "use"), ("^använd", "use"), ("^anvend", "use"), ("^bruges", "use"), ("^benyttes", "use"), ("^used", "use"),
    ("^lämna ut", "disclosure"), ("^lämnas ut", "disclosure"), ("^videregiv", "disclosure"), ("^disclos", "disclosure"),
    ("^överför", "transmission"), ("^overfør", "transmission"), ("^transmi", "transmission"), ("^skicka", "transmission"), ("^sende", "transmission"),
    ("^sprid", "dissemination"), ("^spred", "dissemination"), ("^dissemin", "dissemination"),
    ("^delas", "making-available"), ("^deles", "making-available"), ("^tillgängliggör", "making-available"), ("tilgængelig", "making-available"), ("making available", "making-available"),
    ("^samkör", "alignment"), ("^samkør", "alignment"), ("^align", "alignment"),
    ("^sammanför", "combination"), ("^kombiner", "combination"), ("^samkøre", "combination"), ("^combin", "combination"),
    ("^begräns", "restriction"), ("^begræns", "restriction"), ("^restrict", "restriction"),
    ("^gallr", "erasure"), ("^radera", "erasure"), ("^rensa", "erasure"), ("^slet", "erasure"), ("^delet", "erasure"), ("^erase", "erasure"), ("^erasure", "erasure"),
    ("^förstör", "destruction"), ("^destru", "destruction"), ("^tilintetgør", "destruction"),
];

/// The ids a phrase names, in the order of the table, each once, with the words matched.
fn find(table: &[(&'static str, &'static str)], phrase: &str) -> Vec<(&'static str, String)> {
    // Word writes hyphens of its own ("HSA‑id" with a non-breaking one) and hides soft ones
    // inside words ("person\u{ad}nummer"): both read as the plain word.
    let mut text: Vec<char> = phrase
        .to_lowercase()
        .chars()
        .filter(|c| *c != '\u{ad}')
        .map(|c| match c {
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2212}' => '-',
            c => c,
        })
        .collect();
    let mut found: Vec<(&'static str, String)> = Vec::new();
    for (pattern, id) in table {
        let (word_start, pattern) = match pattern.strip_prefix('^') {
            Some(p) => (true, p),
            None => (false, *pattern),
        };
        let pat: Vec<char> = pattern.chars().collect();
        let mut i = 0;
        while i + pat.len() <= text.len() {
            let starts = i == 0 || !text[i - 1].is_alphanumeric();
            if text[i..i + pat.len()] == pat[..] && (!word_start || starts) {
                if !id.is_empty() && !found.iter().any(|(f, _)| f == id) {
                    found.push((id, pattern.to_string()));
                }
                for c in &mut text[i..i + pat.len()] {
                    *c = ' ';
                }
                i += pat.len();
            } else {
                i += 1;
            }
        }
    }
    found
}

/// Personal-data types a phrase names ("Identifikationsnummer (personnummer)" → national-id-number).
pub fn data_types(phrase: &str) -> Vec<&'static str> {
    let ids: Vec<_> = find(DATA_WORDS, phrase)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    debug_assert!(ids.iter().all(|id| vocabulary::data_type(id).is_some()));
    ids
}

/// Data-subject categories a category label names. Staff "hos Kunden" / "hos kunden" are the
/// customer's staff, not the processor's employees.
pub fn subject_categories(label: &str) -> Vec<&'static str> {
    let lower = label.to_lowercase();
    let customer = [
        "hos kunden",
        "kundens medarbe",
        "customer's staff",
        "hos den dataansvarlige",
    ]
    .iter()
    .any(|w| lower.contains(w));
    let mut ids: Vec<&'static str> = find(SUBJECT_WORDS, label)
        .into_iter()
        .map(|(id, _)| {
            if customer && id == "employees" {
                "customer-staff"
            } else {
                id
            }
        })
        .collect();
    ids.dedup();
    debug_assert!(ids
        .iter()
        .all(|id| vocabulary::subject_category(id).is_some()));
    ids
}

/// Art. 4(2) operations a text names, each with the words it was read from.
pub fn operations(text: &str) -> Vec<(&'static str, String)> {
    let found = find(OPERATION_WORDS, text);
    debug_assert!(found.iter().all(|(id, _)| vocabulary::is_operation(id)));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_types_from_the_seeds_wording() {
        assert_eq!(
            data_types("Identifikationsuppgift (förnamn och efternamn)"),
            ["name"]
        );
        assert_eq!(
            data_types("Identifikationsnummer (personnummer eller HSA-id)"),
            ["national-id-number", "hsa-id"]
        );
        assert_eq!(
            data_types("Kontaktuppgifter (e-postadress)"),
            ["contact-email"]
        );
        assert_eq!(data_types("CPR-nummer"), ["national-id-number"]);
        assert_eq!(data_types("Oplysninger om helbred"), ["health"]);
        assert_eq!(
            data_types("Telefonnummer og adresse"),
            ["phone-number", "postal-address"]
        );
        assert_eq!(
            data_types("Ostrukturerade personuppgifter inklusive känsliga personuppgifter (t.ex. uppgifter om enskilds hälsa) och andra integritetskänsliga uppgifter (t.ex. uppgifter om enskilds ekonomi) via innehållet i det digitala mötet, i videosamtal och chatt"),
            ["audio-video", "meeting-content", "health", "financial"]
        );
        assert!(data_types("Uppgifter om skostorlek").is_empty());
    }

    #[test]
    fn categories_and_operations() {
        assert_eq!(
            subject_categories("Medarbetare och förtroendevalda i kommuner"),
            ["elected-officials", "employees"]
        );
        assert_eq!(
            subject_categories(
                "Medarbetare och uppdragstagare hos Kunden och Kundens leverantörer"
            ),
            ["contractors", "supplier-staff", "customer-staff"]
        );
        assert_eq!(subject_categories("Borgere"), ["residents"]);
        let ops: Vec<_> = operations("Uppgifterna registreras och lagras; kan delas internt")
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(ops, ["recording", "storage", "making-available"]);
    }
}
