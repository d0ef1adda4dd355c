//! The built-in vocabularies the register speaks: personal-data types, data-subject
//! categories and Art. 4(2) operations. Policies use these ids so searches work across services.

use serde::Serialize;

/// Whether a data type is a special category (Art. 9), criminal-offence data (Art. 10),
/// or free content that may carry either.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Special {
    None,
    Art9,
    Art10,
    MayContain,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Serialize)]
pub struct DataType {
    pub id: &'static str,
    pub label_en: &'static str,
    pub label_sv: &'static str,
    pub special: Special,
    /// "Integritetskänslig": not Art. 9, but handled with the same care (economy, salary …).
    pub sensitive: bool,
    /// The fideslang data category this type maps to, for export.
    pub fideslang: &'static str,
}

impl DataType {
    /// True when the type is, or may contain, Art. 9/10 data.
    pub fn is_special(&self) -> bool {
        self.special != Special::None
    }
}

const fn dt(
    id: &'static str,
    label_en: &'static str,
    label_sv: &'static str,
    special: Special,
    sensitive: bool,
    fideslang: &'static str,
) -> DataType {
    DataType {
        id,
        label_en,
        label_sv,
        special,
        sensitive,
        fideslang,
    }
}

use Special::{Art10, Art9, MayContain, None as Plain};

// One row per type reads as a table; rustfmt would spread each over eight lines.
#[rustfmt::skip]
pub const DATA_TYPES: &[DataType] = &[
    dt("name", "Name", "Namn", Plain, false, "user.name"),
    dt(
        "national-id-number",
        "National identity number (personnummer, CPR)",
        "Personnummer",
        Plain,
        true,
        "user.government_id.national_identification_number",
    ),
    dt(
        "hsa-id",
        "HSA-id (health-care directory identity)",
        "HSA-id",
        Plain,
        false,
        "user.unique_id",
    ),
    dt("username", "Username", "Användarnamn", Plain, false, "user.account.username"),
    dt("session-id", "Session id", "Sessions-id", Plain, false, "user.unique_id.pseudonymous"),
    dt("contact-email", "E-mail address", "E-postadress", Plain, false, "user.contact.email"),
    dt("phone-number", "Telephone number", "Telefonnummer", Plain, false, "user.contact.phone_number"),
    dt("postal-address", "Postal address", "Postadress", Plain, false, "user.contact.address"),
    dt("job-title", "Job title or role", "Befattning eller roll", Plain, false, "user.job_title"),
    dt("workplace", "Employer or workplace", "Arbetsgivare eller arbetsplats", Plain, false, "user.workplace"),
    dt("credentials", "Passwords and authentication credentials", "Lösenord och inloggningsuppgifter", Plain, false, "user.authorization.credentials"),
    dt("access-rights", "Access rights and permissions", "Behörigheter", Plain, false, "user.authorization"),
    dt("ip-address", "IP address", "IP-adress", Plain, false, "user.device.ip_address"),
    dt("device-id", "Device or workstation identifier", "Enhets- eller datoridentitet", Plain, false, "user.device.device_id"),
    dt(
        "log-data",
        "Log data (activity, access and audit logs)",
        "Loggdata",
        Plain,
        false,
        "user.behavior",
    ),
    dt("audio-video", "Audio and video", "Ljud och bild", Plain, false, "user.content.private"),
    dt("meeting-content", "Meeting content: video, audio and chat that may hold special categories", "Mötesinnehåll som kan innehålla känsliga personuppgifter", MayContain, true, "user.content.private"),
    dt("email-content", "E-mail content that may hold special categories", "E-postinnehåll som kan innehålla känsliga personuppgifter", MayContain, true, "user.content.private"),
    dt("file-content", "Files and documents that may hold special categories", "Filer och dokument som kan innehålla känsliga personuppgifter", MayContain, true, "user.content.private"),
    dt("free-text", "Free text that may hold special categories", "Fritext som kan innehålla känsliga personuppgifter", MayContain, true, "user.content.private"),
    dt("web-content", "Published web content", "Publicerat webbinnehåll", Plain, false, "user.content.public"),
    dt(
        "financial",
        "Financial circumstances (economy)",
        "Ekonomiska förhållanden",
        Plain,
        true,
        "user.financial",
    ),
    dt("salary", "Salary", "Lön", Plain, true, "user.financial"),
    dt("health", "Health data", "Uppgifter om hälsa", Art9, true, "user.health_and_medical"),
    // fideslang 3.1.4 has no key for trade-union membership: it is carried as its parent
    // `user.demographic` (beside political opinion and religious belief), and the fideslang
    // export names the gallra type in each declaration's `meta`.
    dt("trade-union-membership", "Trade-union membership", "Facklig tillhörighet", Art9, true, "user.demographic"),
    dt("political-opinion", "Political opinions", "Politiska åsikter", Art9, true, "user.demographic.political_opinion"),
    dt("religious-belief", "Religious or philosophical beliefs", "Religiös eller filosofisk övertygelse", Art9, true, "user.demographic.religious_belief"),
    dt("ethnic-origin", "Racial or ethnic origin", "Etniskt ursprung", Art9, true, "user.demographic.race_ethnicity"),
    dt("sex-life", "Sex life or sexual orientation", "Sexualliv eller sexuell läggning", Art9, true, "user.demographic.sexual_orientation"),
    dt("genetic", "Genetic data", "Genetiska uppgifter", Art9, true, "user.health_and_medical.genetic"),
    dt("biometric", "Biometric data for identification", "Biometriska uppgifter", Art9, true, "user.biometric"),
    dt("criminal-offence", "Criminal convictions and offences", "Lagöverträdelser", Art10, true, "user.criminal_history"),
];

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SubjectCategory {
    pub id: &'static str,
    pub label_en: &'static str,
    pub label_sv: &'static str,
    /// The fideslang data subject closest to this category, for export (fideslang's default
    /// taxonomy has no child, resident or administrator: the nearest role stands in).
    pub fideslang: &'static str,
}

const fn sc(
    id: &'static str,
    label_en: &'static str,
    label_sv: &'static str,
    fideslang: &'static str,
) -> SubjectCategory {
    SubjectCategory {
        id,
        label_en,
        label_sv,
        fideslang,
    }
}

// One row per category reads as a table.
#[rustfmt::skip]
pub const SUBJECT_CATEGORIES: &[SubjectCategory] = &[
    sc("residents", "Residents", "Invånare", "citizen_voter"),
    sc("patients", "Patients", "Patienter", "patient"),
    sc("relatives", "Relatives", "Anhöriga", "next_of_kin"),
    sc("children", "Children", "Barn", "customer"),
    sc("employees", "Employees", "Medarbetare", "employee"),
    sc("elected-officials", "Elected officials", "Förtroendevalda", "citizen_voter"),
    sc("contractors", "Contractors and consultants", "Uppdragstagare och konsulter", "consultant"),
    sc("customer-staff", "The customer's staff", "Kundens medarbetare", "employee"),
    sc("supplier-staff", "Suppliers' staff", "Leverantörers medarbetare", "supplier_vendor"),
    sc("end-users", "End users of the service", "Tjänstens användare", "customer"),
    sc("administrators", "Administrators", "Administratörer", "employee"),
    sc("contact-persons", "Contact persons", "Kontaktpersoner", "customer"),
    sc("email-correspondents", "People who correspond with the customer", "Korrespondenter", "customer"),
    sc("website-visitors", "Website visitors", "Webbplatsbesökare", "visitor"),
];

/// Art. 4(2) processing operations.
pub const OPERATIONS: &[&str] = &[
    "collection",
    "recording",
    "organisation",
    "structuring",
    "storage",
    "adaptation",
    "alteration",
    "retrieval",
    "consultation",
    "use",
    "disclosure",
    "transmission",
    "dissemination",
    "making-available",
    "alignment",
    "combination",
    "restriction",
    "erasure",
    "destruction",
];

pub fn data_type(id: &str) -> Option<&'static DataType> {
    DATA_TYPES.iter().find(|d| d.id == id)
}

pub fn subject_category(id: &str) -> Option<&'static SubjectCategory> {
    SUBJECT_CATEGORIES.iter().find(|s| s.id == id)
}

pub fn is_operation(id: &str) -> bool {
    OPERATIONS.contains(&id)
}

/// The known ids closest to `unknown`, best first, for "did you mean" hints.
pub fn nearest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), k))
        .filter(|(score, _)| *score > 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(3).map(|(_, k)| k).collect()
}

/// Everyday names people write for a data type, mapped to its id for "did you mean" hints.
pub fn alias(word: &str) -> Option<&'static str> {
    Some(match word.to_lowercase().as_str() {
        "personnummer" | "cpr" | "cpr-nummer" | "ssn" | "personal-number" => "national-id-number",
        "email" | "e-mail" | "e-post" | "epost" => "contact-email",
        "phone" | "telefon" | "telefonnummer" => "phone-number",
        "address" | "adress" => "postal-address",
        "video" | "audio" | "ljud-och-bild" => "audio-video",
        "hälsa" | "halsa" | "health-data" => "health",
        "login" | "user-name" | "anvandarnamn" => "username",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique() {
        let mut ids: Vec<_> = DATA_TYPES.iter().map(|d| d.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), DATA_TYPES.len());
    }

    #[test]
    fn nearest_suggests_a_close_id() {
        let hint = nearest("personnummer-id", DATA_TYPES.iter().map(|d| d.id));
        assert!(!hint.is_empty());
        assert_eq!(
            nearest("national-id-numbr", DATA_TYPES.iter().map(|d| d.id))[0],
            "national-id-number"
        );
    }

    /// fideslang 3.1.4's default taxonomy holds these keys (`fideslang.default_taxonomy`);
    /// the export test checks the same against the package itself.
    const FIDESLANG_CATEGORIES: &[&str] = &[
        "user.name",
        "user.government_id.national_identification_number",
        "user.unique_id",
        "user.unique_id.pseudonymous",
        "user.account.username",
        "user.contact.email",
        "user.contact.phone_number",
        "user.contact.address",
        "user.job_title",
        "user.workplace",
        "user.authorization",
        "user.authorization.credentials",
        "user.device.ip_address",
        "user.device.device_id",
        "user.behavior",
        "user.content.private",
        "user.content.public",
        "user.financial",
        "user.health_and_medical",
        "user.health_and_medical.genetic",
        "user.demographic",
        "user.demographic.political_opinion",
        "user.demographic.religious_belief",
        "user.demographic.race_ethnicity",
        "user.demographic.sexual_orientation",
        "user.biometric",
        "user.criminal_history",
    ];

    const FIDESLANG_SUBJECTS: &[&str] = &[
        "anonymous_user",
        "citizen_voter",
        "commuter",
        "consultant",
        "customer",
        "employee",
        "job_applicant",
        "next_of_kin",
        "passenger",
        "patient",
        "prospect",
        "shareholder",
        "supplier_vendor",
        "trainee",
        "visitor",
    ];

    #[test]
    fn every_fideslang_key_is_in_the_default_taxonomy() {
        for d in DATA_TYPES {
            assert!(
                FIDESLANG_CATEGORIES.contains(&d.fideslang),
                "{}: `{}` is not a fideslang 3.1.4 data category",
                d.id,
                d.fideslang
            );
        }
        for s in SUBJECT_CATEGORIES {
            assert!(
                FIDESLANG_SUBJECTS.contains(&s.fideslang),
                "{}: `{}` is not a fideslang 3.1.4 data subject",
                s.id,
                s.fideslang
            );
        }
    }
}
