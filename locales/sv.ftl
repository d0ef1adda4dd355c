## Ram
skip-to-content = Hoppa till innehållet
nav-main = Huvudmeny
nav-language = Språk
nav-overview = Översikt
nav-register = Register
nav-retention = Gallring
nav-reviews = Granskningar
nav-evidence = Bevis
nav-exports = Export
sign-out = Logga ut
role-admin = administratör
role-dpo = dataskyddsombud
role-reviewer = granskare
role-auditor = revisor
role-operator = drifttekniker

## Inloggning
login-title = Logga in i gallra
login-intro = Klistra in din API-token. Servern håller en session för den här webbläsaren; själva token sparas inte i den.
login-token = API-token
login-submit = Logga in
login-bad-token = Den token är inte giltig eller har återkallats.
login-link-used = Inloggningslänken har redan använts eller har gått ut. Be om en ny.

## Fel
error-title = Något gick fel
error-forbidden = Din roll får inte göra detta.
error-csrf = Formuläret har gått ut eller kom inte från den här webbplatsen. Ladda om sidan och försök igen.
error-internal = Ett internt fel inträffade. Det har loggats.
error-no-service = Det finns ingen tjänst ”{ $x }”.

## Översikt
overview-title = Översikt över efterlevnaden
overview-register = Register
overview-services = Tjänster
overview-rules = Gallringsregler
overview-awaiting = Körningar som väntar på godkännande
overview-failed = Misslyckade körningar
overview-checkpoint = Senast signerade kontrollpunkt: { $count } poster
evidence-empty = Bevisloggen är tom.
log-verifies = Loggen verifieras
log-broken = Loggen verifieras inte:
log-not-checked = Loggen har inte verifierats sedan servern startade.
enforcement-enforced = Verkställs
enforcement-manual = Manuell
enforcement-none = Verkställs inte
enforcement-none-warning = Verkställs inte: ingen regel, granskning eller ansvarig utför detta
enforced-by-rule = gallringsregel { $x }
enforced-by-review = granskning { $x }
breach-compliant = Följs
breach-in-breach = Överträds
breach-unchecked = Ej kontrollerad
status-open = Öppna
status-overdue = Försenade
status-closing = Stängs
status-closed = Stängda
next-run = nästa körning

## Register
register-title = Register över behandlingar
register-search = Sök i registret
register-count = { $n ->
    [one] { $count } tjänst
   *[other] { $count } tjänster
}
filter-text = Fritext
filter-data-type = Personuppgifter
filter-subject = Registrerade
filter-controller = Personuppgiftsansvarig
filter-sub-processor = Underbiträde eller system
filter-country = Överföring till land
filter-special = Endast särskilda kategorier (art. 9/10)
filter-any = Alla
filter-apply = Sök
filter-clear = Rensa
pager = Sidor
pager-prev = Föregående sida
pager-next = Nästa sida
col-service = Tjänst
col-data-types = Personuppgifter
col-subjects = Registrerade
col-version = Version
col-source = Källa
col-instruction = Instruktion
col-enforcement = Verkställighet
col-schedule = Schema
col-last = Senaste körning eller kampanj
col-when = När
col-author = Författare
col-reason = Skäl
col-hash = Innehållshash
badge-special = särskild kategori
badge-art9 = Art. 9 särskild kategori
badge-art10 = Art. 10 lagöverträdelser
badge-may-contain = kan innehålla särskilda kategorier
badge-sensitive = integritetskänslig
instructions-title = Instruktioner och hur de verkställs

## Tjänst
service-retired = Tjänsten är avvecklad: uppgifterna nedan är dess sista version.
service-retired-short = avvecklad
service-processing = Behandling
service-subjects = Registrerade och personuppgifter
service-parties = Parter, överföringar och säkerhet
service-instructions = Dokumenterade instruktioner
service-versions = Versioner
field-source = Källa
field-section = avsnitt
field-subject-matter = Föremål
field-duration = Varaktighet
field-nature = Behandlingens art
field-purposes = Ändamål
field-processor = Personuppgiftsbiträde
field-controllers = Personuppgiftsansvariga och kategorier av behandling
field-representative = Företrädare
field-dpo = Dataskyddsombud
field-sub-processors = Underbiträden och system
field-transfers = Överföringar till tredjeland
field-security = Tekniska och organisatoriska säkerhetsåtgärder
open-stated = Angivet
open-none = Inga, enligt källan
open-not-stated = Anges inte i källan
duration-until-further-notice = Tills vidare
duration-contract-term = Under avtalets löptid
duration-until-date = Till ett datum
safeguard-adequacy = beslut om adekvat skyddsnivå
safeguard-scc = standardavtalsklausuler
safeguard-bcr = bindande företagsbestämmelser
safeguard-derogation = undantag (art. 49)
safeguard-other = annan skyddsåtgärd
diff-from = Jämför version
diff-to = med version
diff-compare = Jämför
diff-title = Ändringar från version

## Utfall
outcome-running = Pågår
outcome-succeeded = Lyckades
outcome-postcondition-failed = Efterkontrollen misslyckades
outcome-failed = Misslyckades
outcome-dry-run = Provkörning
outcome-awaiting-approval = Väntar på godkännande

## Personuppgiftstyper
dt-name = Namn
dt-national-id-number = Personnummer
dt-hsa-id = HSA-id
dt-username = Användarnamn
dt-session-id = Sessions-id
dt-contact-email = E-postadress
dt-phone-number = Telefonnummer
dt-postal-address = Postadress
dt-job-title = Titel eller roll
dt-workplace = Arbetsgivare eller arbetsplats
dt-credentials = Lösenord och inloggningsuppgifter
dt-access-rights = Behörigheter
dt-ip-address = IP-adress
dt-device-id = Enhets- eller arbetsplatsidentitet
dt-log-data = Loggdata (aktivitets-, åtkomst- och granskningsloggar)
dt-audio-video = Ljud och bild
dt-meeting-content = Mötesinnehåll (bild, ljud, chatt) som kan innehålla särskilda kategorier
dt-email-content = E-postinnehåll som kan innehålla särskilda kategorier
dt-file-content = Filer och dokument som kan innehålla särskilda kategorier
dt-free-text = Fritext som kan innehålla särskilda kategorier
dt-web-content = Publicerat webbinnehåll
dt-financial = Ekonomiska förhållanden
dt-salary = Lön
dt-health = Uppgifter om hälsa
dt-trade-union-membership = Medlemskap i fackförening
dt-political-opinion = Politiska åsikter
dt-religious-belief = Religiös eller filosofisk övertygelse
dt-ethnic-origin = Etniskt ursprung
dt-sex-life = Sexualliv eller sexuell läggning
dt-genetic = Genetiska uppgifter
dt-biometric = Biometriska uppgifter för identifiering
dt-criminal-offence = Lagöverträdelser

## Registrerade
subj-residents = Invånare
subj-patients = Patienter
subj-relatives = Anhöriga
subj-children = Barn
subj-employees = Anställda
subj-elected-officials = Förtroendevalda
subj-contractors = Konsulter och uppdragstagare
subj-customer-staff = Kundens personal
subj-supplier-staff = Leverantörers personal
subj-end-users = Tjänstens slutanvändare
subj-administrators = Administratörer
subj-contact-persons = Kontaktpersoner
subj-email-correspondents = Personer som korresponderar med kunden
subj-website-visitors = Besökare på webbplatsen

## Behandlingar (art. 4.2)
op-collection = insamling
op-recording = registrering
op-organisation = organisering
op-structuring = strukturering
op-storage = lagring
op-adaptation = bearbetning
op-alteration = ändring
op-retrieval = framtagning
op-consultation = läsning
op-use = användning
op-disclosure = utlämning genom överföring
op-transmission = överföring
op-dissemination = spridning
op-making-available = tillhandahållande
op-alignment = justering
op-combination = sammanförande
op-restriction = begränsning
op-erasure = radering
op-destruction = förstöring
