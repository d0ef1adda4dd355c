## Ramme
skip-to-content = Spring til indholdet
nav-main = Hovedmenu
nav-language = Sprog
nav-overview = Overblik
nav-register = Fortegnelse
nav-retention = Sletning
nav-reviews = Gennemgange
nav-evidence = Dokumentation
nav-exports = Eksport
sign-out = Log ud
role-admin = administrator
role-dpo = databeskyttelsesrådgiver
role-reviewer = gennemgår
role-auditor = revisor
role-operator = driftsansvarlig

## Log ind
login-title = Log ind i gallra
login-intro = Indsæt din API-token. Serveren holder en session for denne browser; selve tokenen gemmes ikke i den.
login-token = API-token
login-submit = Log ind
login-bad-token = Den token er ikke gyldig eller er tilbagekaldt.
login-too-many = For mange forkerte tokens fra denne adresse. Vent lidt, og prøv igen.
login-link-used = Dette login-link er brugt eller udløbet. Bed om et nyt.

## Fejl
error-title = Noget gik galt
error-forbidden = Din rolle må ikke gøre dette.
error-csrf = Formularen er udløbet eller kom ikke fra dette websted. Genindlæs siden og prøv igen.
error-internal = Der opstod en intern fejl. Den er logget.
error-unavailable = Lageret svarer ikke lige nu; prøv igen om lidt.
error-no-service = Der er ingen tjeneste »{ $x }«.

## Overblik
overview-title = Overblik over overholdelse
overview-register = Fortegnelse
overview-services = Tjenester
overview-rules = Sletteregler
overview-awaiting = Kørsler der venter på godkendelse
overview-failed = Mislykkede kørsler
overview-checkpoint = Seneste signerede kontrolpunkt: { $count } poster
evidence-empty = Dokumentationsloggen er tom.
log-verifies = Loggen kan verificeres
log-broken = Loggen kan ikke verificeres:
log-not-checked = Loggen er ikke verificeret, siden serveren startede.
enforcement-enforced = Håndhæves
enforcement-manual = Manuel
enforcement-none = Håndhæves ikke
enforcement-none-warning = Håndhæves ikke: ingen regel, gennemgang eller ansvarlig udfører dette
enforced-by-rule = sletteregel { $x }
enforced-by-review = gennemgang { $x }
breach-compliant = Overholdt
breach-in-breach = Overtrådt
breach-unchecked = Ikke kontrolleret
status-open = Åben
overview-open = Åbne
status-overdue = Forsinket
overview-overdue = Forsinkede
status-closing = Lukkes
overview-closing = Lukkes
status-closed = Lukket
overview-closed = Lukkede
next-run = næste kørsel

## Fortegnelse
register-title = Fortegnelse over behandlinger
register-search = Søg i fortegnelsen
register-count = { $n ->
    [one] { $count } tjeneste
   *[other] { $count } tjenester
}
filter-text = Fritekst
filter-data-type = Personoplysninger
filter-subject = Registrerede
filter-controller = Dataansvarlig
filter-sub-processor = Underdatabehandler eller system
filter-country = Overførsel til land
filter-special = Kun særlige kategorier (art. 9/10)
filter-as-of = Fortegnelsen pr. dato
as-of-notice = Oplysningerne, som de stod { $x }.
as-of-now = Vis dem, som de står nu
filter-any = Alle
filter-apply = Søg
filter-clear = Ryd
pager = Sider
pager-prev = Forrige side
pager-next = Næste side
col-service = Tjeneste
col-data-types = Personoplysninger
col-subjects = Registrerede
col-version = Version
col-source = Kilde
col-instruction = Instruks
col-enforcement = Håndhævelse
col-schedule = Plan
col-last = Seneste kørsel eller gennemgang
col-when = Hvornår
col-author = Forfatter
col-reason = Begrundelse
col-hash = Indholds-hash
badge-special = særlig kategori
badge-art9 = Art. 9 særlig kategori
badge-art10 = Art. 10 strafbare forhold
badge-may-contain = kan indeholde særlige kategorier
badge-sensitive = fortrolig
instructions-title = Instrukser og deres håndhævelse

## Tjeneste
service-retired = Tjenesten er udfaset: oplysningerne nedenfor er dens sidste version.
service-retired-short = udfaset
service-processing = Behandling
service-subjects = Registrerede og personoplysninger
service-parties = Parter, overførsler og sikkerhed
service-instructions = Dokumenterede instrukser
service-versions = Versioner
field-source = Kilde
field-section = afsnit
field-subject-matter = Genstand
field-duration = Varighed
field-nature = Behandlingens karakter
field-purposes = Formål
field-processor = Databehandler
field-controllers = Dataansvarlige og kategorier af behandling
field-representative = Repræsentant
field-dpo = Databeskyttelsesrådgiver
field-sub-processors = Underdatabehandlere og systemer
field-transfers = Overførsler til tredjelande
field-security = Tekniske og organisatoriske sikkerhedsforanstaltninger
open-stated = Angivet
open-none = Ingen, ifølge kilden
open-not-stated = Ikke angivet i kilden
duration-until-further-notice = Indtil videre
duration-contract-term = I aftalens løbetid
duration-until-date = Til en dato
safeguard-adequacy = afgørelse om tilstrækkeligt beskyttelsesniveau
safeguard-scc = standardkontraktbestemmelser
safeguard-bcr = bindende virksomhedsregler
safeguard-derogation = undtagelse (art. 49)
safeguard-other = anden garanti
diff-from = Sammenlign version
diff-to = med version
diff-compare = Sammenlign
diff-title = Ændringer fra version

## Udfald
outcome-running = I gang
outcome-succeeded = Lykkedes
outcome-postcondition-failed = Efterkontrollen mislykkedes
outcome-failed = Mislykkedes
outcome-dry-run = Prøvekørsel
outcome-awaiting-approval = Venter på godkendelse
outcome-interrupted = Afbrudt

## Typer af personoplysninger
dt-name = Navn
dt-national-id-number = CPR-nummer (personnummer)
dt-hsa-id = HSA-id
dt-username = Brugernavn
dt-session-id = Sessions-id
dt-contact-email = E-mailadresse
dt-phone-number = Telefonnummer
dt-postal-address = Postadresse
dt-job-title = Stilling eller rolle
dt-workplace = Arbejdsgiver eller arbejdsplads
dt-credentials = Adgangskoder og loginoplysninger
dt-access-rights = Adgangsrettigheder
dt-ip-address = IP-adresse
dt-device-id = Enheds- eller arbejdsstationsidentitet
dt-log-data = Logdata (aktivitets-, adgangs- og revisionslogge)
dt-audio-video = Lyd og billede
dt-meeting-content = Mødeindhold (billede, lyd, chat), der kan indeholde særlige kategorier
dt-email-content = E-mailindhold, der kan indeholde særlige kategorier
dt-file-content = Filer og dokumenter, der kan indeholde særlige kategorier
dt-free-text = Fritekst, der kan indeholde særlige kategorier
dt-web-content = Offentliggjort webindhold
dt-financial = Økonomiske forhold
dt-salary = Løn
dt-health = Helbredsoplysninger
dt-trade-union-membership = Fagforeningsmæssigt tilhørsforhold
dt-political-opinion = Politisk overbevisning
dt-religious-belief = Religiøs eller filosofisk overbevisning
dt-ethnic-origin = Race eller etnisk oprindelse
dt-sex-life = Seksuelle forhold eller seksuel orientering
dt-genetic = Genetiske data
dt-biometric = Biometriske data til identifikation
dt-criminal-offence = Strafbare forhold

## Registrerede
subj-residents = Borgere
subj-patients = Patienter
subj-relatives = Pårørende
subj-children = Børn
subj-employees = Medarbejdere
subj-elected-officials = Folkevalgte
subj-contractors = Konsulenter og eksterne
subj-customer-staff = Kundens medarbejdere
subj-supplier-staff = Leverandørers medarbejdere
subj-end-users = Tjenestens slutbrugere
subj-administrators = Administratorer
subj-contact-persons = Kontaktpersoner
subj-email-correspondents = Personer, der korresponderer med kunden
subj-website-visitors = Besøgende på webstedet

## Behandlinger (art. 4, nr. 2)
op-collection = indsamling
op-recording = registrering
op-organisation = systematisering
op-structuring = strukturering
op-storage = opbevaring
op-adaptation = tilpasning
op-alteration = ændring
op-retrieval = genfinding
op-consultation = søgning
op-use = brug
op-disclosure = videregivelse ved transmission
op-transmission = overførsel
op-dissemination = formidling
op-making-available = overladelse
op-alignment = sammenstilling
op-combination = samkøring
op-restriction = begrænsning
op-erasure = sletning
op-destruction = tilintetgørelse

## Sletning
retention-title = Sletning
retention-all-runs = Alle kørsler
runs-title = Sletningskørsler
runs-count = { $n ->
    [one] { $count } kørsel
   *[other] { $count } kørsler
}
rows-over-age = { $n ->
    [one] { $count } række over opbevaringsperioden
   *[other] { $count } rækker over opbevaringsperioden
}
col-rule = Regel
col-keep-for = Opbevares
col-next-run = Næste kørsel
col-last-outcome = Seneste udfald
col-breach = Kontrol af overtrædelser
col-outcome = Udfald
col-run = Kørsel
col-affected = Slettede eller anonymiserede rækker
col-hold = Tilbageholdelse
col-keys = Nøgler
col-placed = Oprettet
col-state = Tilstand
never-run = aldrig kørt
oldest-record = ældste post
run-late = kørt efterfølgende
run-trigger = Udløst af
run-attempt = forsøg
run-started = Startet
run-finished = Færdig
run-rule-hash = Reglens version (hash)
run-approved-by = Godkendt af
run-cutoff = Grænse
run-table-rows = Rækker i tabellen
run-matched = Rækker over opbevaringsperioden
run-held = Under tilbageholdelse
run-would-affect = Rækker der ville blive slettet eller anonymiseret
run-digest = SHA-256 over de berørte nøgler
run-postcondition = Efterkontrol
postcondition-holds = opfyldt: intet over perioden er tilbage uden for tilbageholdelser
not-counted-interrupted = ikke talt: kørslen blev afbrudt (dens gennemførte portioner er talt nedenfor)
not-checked-interrupted = ikke kontrolleret: kørslen blev afbrudt
not-counted-held-interrupted = ikke talt: kørslen blev afbrudt
run-batches = Omgange
run-longest-batch = længste
run-duration = Varighed
run-evidence = Dokumentation
approve-title = Godkend kørslen
approve-intro = En grænse stoppede kørslen, før noget blev ændret. Godkender du den, kører den nu forbi grænsen; din begrundelse gemmes på kørslen og dens hash i dokumentationsloggen.
approve-submit = Godkend og kør
approve-reason-required = En godkendelse kræver en begrundelse.
field-reason = Begrundelse
rule-source = Datakilde og tabel
rule-guards = Grænser
dry-run-submit = Prøvekør (ændrer intet)
holds-title = Retlige tilbageholdelser
hold-whole-rule = hele reglen
hold-active = gælder
hold-lifted = ophævet
hold-lift = Ophæv tilbageholdelsen
hold-place = Opret en retlig tilbageholdelse
hold-keys = Nøgler der tilbageholdes (én pr. linje; tomt tilbageholder hele reglen)
hold-keys-help = Tilbageholdte rækker springes over af hver kørsel, indtil tilbageholdelsen ophæves.
hold-reason-required = En tilbageholdelse kræver en begrundelse.

## Gennemgange
reviews-title = Gennemgangskampagner
reviews-none = Ingen kampagner matcher.
col-campaign = Kampagne
col-policy = Politik
col-kind = Type
col-due = Frist
col-progress = Besluttede
col-account = Konto
col-role = Rolle
col-last-activity = Seneste aktivitet
col-change = Ændring siden sidste kampagne
col-decision = Beslutning
review-opened = Åbnet
review-items = Poster
review-select = Vælg
review-undecided = ikke besluttet
review-decide-selected = Beslut om de valgte poster
review-justification = Begrundelse
review-justification-help = Behold og tilbagekald kræver en begrundelse, fx det arbejdsbetingede behov for adgang.
review-apply = Anvend på de valgte poster
review-close = Luk kampagnen
review-close-approve = Godkend tilbagekaldelser ud over politikkens grænse
review-select-items = Vælg mindst én post.
review-choose-decision = Vælg behold, tilbagekald eller usikker.
review-justification-required = Behold og tilbagekald kræver en begrundelse.
review-done-decided = Beslutningerne er gemt.
review-done-closed = Kampagnen er lukket, og dens dokumentation er skrevet.
decision-keep = Behold
decision-revoke = Tilbagekald
decision-unsure = Usikker

## Dokumentation
evidence-title = Dokumentationslog
evidence-intro = Hver ændring af fortegnelsen og hver kørsel, tilbageholdelse, godkendelse og lukket gennemgang er en post i en Merkle-log, der kun kan vokse. Enhver med verifikationsnøglen kan kontrollere det signerede kontrolpunkt og hver posts inklusionsbevis uden at stole på denne server.
evidence-checkpoint = Seneste signerede kontrolpunkt
evidence-key = Verifikationsnøgle
evidence-entries = Poster
evidence-count = { $n ->
    [one] { $count } post
   *[other] { $count } poster
}
evidence-newer = Nyere poster
evidence-older = Ældre poster
evidence-entry = Post
evidence-records = Posten vedrører
evidence-canonical = Kanoniske bytes
evidence-pretty = Indrykket
evidence-proof = Inklusionsbevis
evidence-leaf-hash = Bladhash
evidence-proof-holds = Beviset stemmer med kontrolpunktets rod
evidence-proof-fails = Beviset stemmer ikke med kontrolpunktets rod
evidence-proof-size = træ med { $count } poster
evidence-proof-how = Kontrollér selv: fold revisionsstien (RFC 9162 §2.1.3.2) fra bladhashen; det samme bevis findes på
evidence-not-signed = Intet signeret kontrolpunkt omfatter posten endnu; det næste gør.
col-index = Indeks
col-records = Vedrører
kind-register-version = Version af fortegnelsen
kind-token-created = Token oprettet
kind-token-revoked = Token tilbagekaldt
kind-retention-run = Sletningskørsel
kind-run-approved = Kørsel godkendt
kind-hold-placed = Tilbageholdelse oprettet
kind-hold-lifted = Tilbageholdelse ophævet
kind-review-closed = Gennemgang lukket
kind-key-replaced = Nøgle udskiftet

## Eksport
exports-title = Eksport
exports-register = Fortegnelsen
exports-register-intro = Fortegnelsen, som den så ud på en dato: databehandlerens fortegnelse efter art. 30, stk. 2, som CSV, en side til udskrift, JSON med alle felter eller Fides-systemer (fideslang).
exports-format = Format
exports-csv = CSV (fortegnelse efter art. 30, stk. 2)
exports-html = Side til udskrift (HTML)
exports-as-of = Pr. dato
exports-lang = Overskrifter
exports-excel = Til regneark (semikolon, UTF-8 med BOM)
exports-download = Hent
exports-bundle = Revisionspakke
exports-bundle-intro = Dokumentationen for en periode med fortegnelsen, kørslerne og gennemgangene i en zip-fil, som en tilsynsmyndighed verificerer offline med verifikationsnøglen.
exports-from = Fra
exports-to = Til
exports-download-bundle = Hent revisionspakken

# Import (/import)
nav-import = Import
import-title = Importér et dokument
import-intro = Upload en tjenestebeskrivelse (Inera, afsnit 6) eller Datatilsynets standardkontraktbestemmelser (bilag A–C) som .txt, .md eller .docx. Du får et udkast til en politikfil, der består kontrollen, og en rapport over hvad der blev fundet, matchet og overladt til et menneske. Intet anvendes: udkastet lægges i policies/ som en gennemgået ændring.
import-file = Dokument (.txt, .md, .docx; højst 10 MB)
import-format = Layout
import-format-auto = Genkend det
import-format-inera = Ineras tjenestebeskrivelse (afsnit 6)
import-format-dk = Standardkontraktbestemmelser (bilag A–C)
import-processor = Databehandlerens id (valgfrit)
import-submit = Importér
import-not-applied = Udkastet er ikke anvendt. Download det, gennemgå det og læg det i policies/ som en gennemgået ændring.
import-draft = Udkast
import-download = Download TOML-filen
import-support = Poster som udkastet kræver i organisations.toml og datasources.toml
import-report = Rapport
import-col-what = Hvad
import-col-line = Kildelinje
import-col-section = Afsnit
import-col-phrase = Formulering
import-col-result = Blev til
import-found = Fundet
import-matched = Matchet
import-unmatched = Ikke matchet (bevaret som kommentar)
import-left = Overladt til et menneske
