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
login-too-many = För många felaktiga token från den här adressen. Vänta en stund och försök igen.
login-link-used = Inloggningslänken har redan använts eller har gått ut. Be om en ny.

## Fel
error-title = Något gick fel
error-forbidden = Din roll får inte göra detta.
error-csrf = Formuläret har gått ut eller kom inte från den här webbplatsen. Ladda om sidan och försök igen.
error-internal = Ett internt fel inträffade. Det har loggats.
error-unavailable = Lagret svarar inte just nu; försök igen om en stund.
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
status-open = Öppen
overview-open = Öppna
status-overdue = Försenad
overview-overdue = Försenade
status-closing = Stängs
overview-closing = Stängs
status-closed = Stängd
overview-closed = Stängda
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
filter-as-of = Registret per datum
as-of-notice = Uppgifterna som de stod { $x }.
as-of-now = Visa dem som de står nu
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
outcome-interrupted = Avbruten

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

## Gallring
retention-title = Gallring
retention-all-runs = Alla körningar
runs-title = Gallringskörningar
runs-count = { $n ->
    [one] { $count } körning
   *[other] { $count } körningar
}
rows-over-age = { $n ->
    [one] { $count } rad över gallringsfristen
   *[other] { $count } rader över gallringsfristen
}
col-rule = Regel
col-keep-for = Bevaras
col-next-run = Nästa körning
col-last-outcome = Senaste utfall
col-breach = Kontroll av överträdelser
col-outcome = Utfall
col-run = Körning
col-affected = Raderade eller anonymiserade rader
col-hold = Spärr
col-keys = Nycklar
col-placed = Lagd
col-state = Läge
never-run = aldrig körd
oldest-record = äldsta post
run-late = körd i efterhand
run-trigger = Utlöst av
run-attempt = försök
run-started = Startad
run-finished = Klar
run-rule-hash = Regelns version (hash)
run-approved-by = Godkänd av
run-cutoff = Gräns
run-table-rows = Rader i tabellen
run-matched = Rader över gallringsfristen
run-held = Under bevarandespärr
run-would-affect = Rader som skulle raderas eller anonymiseras
run-digest = SHA-256 över berörda nycklar
run-postcondition = Efterkontroll
postcondition-holds = uppfylld: inget över fristen finns kvar utanför spärrar
not-counted-interrupted = inte räknade: körningen avbröts (dess genomförda omgångar räknas nedan)
not-checked-interrupted = inte kontrollerad: körningen avbröts
not-counted-held-interrupted = inte räknade: körningen avbröts
run-batches = Omgångar
run-longest-batch = längsta
run-duration = Tid
run-evidence = Bevis
approve-title = Godkänn körningen
approve-intro = En spärrgräns stoppade körningen innan något ändrades. Godkänner du den körs den nu, förbi gränsen; ditt skäl sparas på körningen och dess hash i bevisloggen.
approve-submit = Godkänn och kör
approve-reason-required = Ett godkännande kräver ett skäl.
field-reason = Skäl
rule-source = Datakälla och tabell
rule-guards = Spärrgränser
dry-run-submit = Provkör (ändrar inget)
holds-title = Bevarandespärrar
hold-whole-rule = hela regeln
hold-active = gäller
hold-lifted = hävd
hold-lift = Häv spärren
hold-place = Lägg en bevarandespärr
hold-keys = Nycklar att spärra (en per rad; tomt spärrar hela regeln)
hold-keys-help = Spärrade rader hoppas över av varje körning tills spärren hävs.
hold-reason-required = En bevarandespärr kräver ett skäl.

## Granskningar
reviews-title = Granskningskampanjer
reviews-none = Inga kampanjer matchar.
col-campaign = Kampanj
col-policy = Policy
col-kind = Typ
col-due = Förfaller
col-progress = Beslutade
col-account = Konto
col-role = Roll
col-last-activity = Senaste aktivitet
col-change = Ändring sedan förra kampanjen
col-decision = Beslut
review-opened = Öppnad
review-items = Poster
review-select = Välj
review-undecided = ej beslutad
review-decide-selected = Besluta om valda poster
review-justification = Motivering
review-justification-help = Behåll och återkalla kräver en motivering, till exempel det arbetsrelaterade behovet av åtkomst.
review-apply = Tillämpa på valda poster
review-close = Stäng kampanjen
review-close-approve = Godkänn återkallelser utöver policyns spärrgräns
review-select-items = Välj minst en post.
review-choose-decision = Välj behåll, återkalla eller osäker.
review-justification-required = Behåll och återkalla kräver en motivering.
review-done-decided = Besluten är sparade.
review-done-closed = Kampanjen är stängd och dess bevis skrivet.
decision-keep = Behåll
decision-revoke = Återkalla
decision-unsure = Osäker

## Bevis
evidence-title = Bevislogg
evidence-intro = Varje ändring i registret och varje körning, spärr, godkännande och stängd granskning är en post i en Merkle-logg som bara kan växa. Den som har verifieringsnyckeln kan kontrollera den signerade kontrollpunkten och varje posts inklusionsbevis utan att lita på den här servern.
evidence-checkpoint = Senast signerade kontrollpunkt
evidence-key = Verifieringsnyckel
evidence-entries = Poster
evidence-count = { $n ->
    [one] { $count } post
   *[other] { $count } poster
}
evidence-newer = Nyare poster
evidence-older = Äldre poster
evidence-entry = Post
evidence-records = Posten gäller
evidence-canonical = Kanoniska byte
evidence-pretty = Indraget
evidence-proof = Inklusionsbevis
evidence-leaf-hash = Lövhash
evidence-proof-holds = Beviset stämmer mot kontrollpunktens rot
evidence-proof-fails = Beviset stämmer inte mot kontrollpunktens rot
evidence-proof-size = träd med { $count } poster
evidence-proof-how = Kontrollera själv: vik granskningsvägen (RFC 9162 §2.1.3.2) från lövhashen; samma bevis finns på
evidence-not-signed = Ingen signerad kontrollpunkt omfattar posten ännu; nästa gör det.
col-index = Index
col-records = Gäller
kind-register-version = Registerversion
kind-token-created = Token skapad
kind-token-revoked = Token återkallad
kind-retention-run = Gallringskörning
kind-run-approved = Körning godkänd
kind-hold-placed = Bevarandespärr lagd
kind-hold-lifted = Bevarandespärr hävd
kind-review-closed = Granskning stängd
kind-key-replaced = Nyckel ersatt

## Export
exports-title = Export
exports-register = Registret
exports-register-intro = Registret som det såg ut ett visst datum: personuppgiftsbiträdets register enligt art. 30.2 som CSV, en utskriftsvänlig sida, JSON med alla fält eller Fides-system (fideslang).
exports-format = Format
exports-csv = CSV (register enligt art. 30.2)
exports-html = Utskriftsvänlig sida (HTML)
exports-as-of = Per datum
exports-lang = Rubriker
exports-excel = För kalkylprogram (semikolon, UTF-8 med BOM)
exports-download = Ladda ner
exports-bundle = Granskningspaket
exports-bundle-intro = Bevisen för en period, med registret, körningarna och granskningarna, i en zip-fil som en tillsynsmyndighet verifierar offline med verifieringsnyckeln.
exports-from = Från
exports-to = Till
exports-download-bundle = Ladda ner granskningspaketet

# Import (/import)
nav-import = Import
import-title = Importera ett dokument
import-intro = Ladda upp en tjänstebeskrivning (Inera, avsnitt 6) eller danska standardavtalsklausuler (bilaga A–C) som .txt, .md eller .docx. Du får ett utkast till policyfil som klarar kontrollen och en rapport över vad som hittades, matchades och lämnas åt en människa. Inget tillämpas: utkastet läggs i policies/ som en granskad ändring.
import-file = Dokument (.txt, .md, .docx; högst 10 MB)
import-format = Layout
import-format-auto = Känn igen den
import-format-inera = Ineras tjänstebeskrivning (avsnitt 6)
import-format-dk = Danska standardavtalsklausuler (bilaga A–C)
import-processor = Personuppgiftsbiträdets id (valfritt)
import-submit = Importera
import-not-applied = Utkastet är inte tillämpat. Ladda ner det, granska det och lägg det i policies/ som en granskad ändring.
import-draft = Utkast
import-download = Ladda ner TOML-filen
import-support = Poster som utkastet behöver i organisations.toml och datasources.toml
import-report = Rapport
import-col-what = Vad
import-col-line = Källrad
import-col-section = Avsnitt
import-col-phrase = Formulering
import-col-result = Blev
import-found = Hittat
import-matched = Matchat
import-unmatched = Ej matchat (kvar som kommentar)
import-left = Lämnas åt en människa
