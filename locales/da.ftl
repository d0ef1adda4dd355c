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
login-link-used = Dette login-link er brugt eller udløbet. Bed om et nyt.

## Fejl
error-title = Noget gik galt
error-forbidden = Din rolle må ikke gøre dette.
error-csrf = Formularen er udløbet eller kom ikke fra dette websted. Genindlæs siden og prøv igen.
error-internal = Der opstod en intern fejl. Den er logget.
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
status-open = Åbne
status-overdue = Forsinkede
status-closing = Lukkes
status-closed = Lukkede
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
