## Frame
skip-to-content = Skip to content
nav-main = Main
nav-language = Language
nav-overview = Overview
nav-register = Register
nav-retention = Retention
nav-reviews = Reviews
nav-evidence = Evidence
nav-exports = Exports
sign-out = Sign out
role-admin = administrator
role-dpo = data protection officer
role-reviewer = reviewer
role-auditor = auditor
role-operator = operator

## Sign-in
login-title = Sign in to gallra
login-intro = Paste your API token. The server keeps a session for this browser; the token itself is not stored in it.
login-token = API token
login-submit = Sign in
login-bad-token = That token is not valid or has been revoked.
login-too-many = Too many wrong tokens from this address. Wait a moment and try again.
login-link-used = This sign-in link has been used or has expired. Ask for a new one.

## Errors
error-title = Something went wrong
error-forbidden = Your role may not do this.
error-csrf = The form has expired or did not come from this site. Reload the page and try again.
error-internal = An internal error occurred. It has been logged.
error-unavailable = The store is unavailable; try again shortly.
error-no-service = There is no service “{ $x }”.

## Overview
overview-title = Compliance overview
overview-register = Register
overview-services = Services
overview-rules = Retention rules
overview-awaiting = Runs awaiting approval
overview-failed = Failed runs
overview-checkpoint = Latest signed checkpoint: { $count } entries
evidence-empty = The evidence log is empty.
log-verifies = The log verifies
log-broken = The log does not verify:
log-not-checked = The log has not been verified since the server started.
enforcement-enforced = Enforced
enforcement-manual = Manual
enforcement-none = Not enforced
enforcement-none-warning = Not enforced: no rule, review or owner carries this out
enforced-by-rule = retention rule { $x }
enforced-by-review = review { $x }
breach-compliant = Compliant
breach-in-breach = In breach
breach-unchecked = Not checked
status-open = Open
overview-open = Open
status-overdue = Overdue
overview-overdue = Overdue
status-closing = Closing
overview-closing = Closing
status-closed = Closed
overview-closed = Closed
next-run = next run

## Register
register-title = Register of processing
register-search = Search the register
register-count = { $n ->
    [one] { $count } service
   *[other] { $count } services
}
filter-text = Free text
filter-data-type = Personal data
filter-subject = Data subjects
filter-controller = Controller
filter-sub-processor = Sub-processor or system
filter-country = Transfer to country
filter-special = Special categories only (Art. 9/10)
filter-as-of = Register as of
as-of-notice = The record as it stood on { $x }.
as-of-now = See it as it stands now
filter-any = All
filter-apply = Search
filter-clear = Clear
pager = Pages
pager-prev = Previous page
pager-next = Next page
col-service = Service
col-data-types = Personal data
col-subjects = Data subjects
col-version = Version
col-source = Source
col-instruction = Instruction
col-enforcement = Enforcement
col-schedule = Schedule
col-last = Last run or campaign
col-when = When
col-author = Author
col-reason = Reason
col-hash = Content hash
badge-special = special category
badge-art9 = Art. 9 special category
badge-art10 = Art. 10 criminal offences
badge-may-contain = may contain special categories
badge-sensitive = sensitive
instructions-title = Instructions and their enforcement

## Service
service-retired = This service is retired: the record below is its last version.
service-retired-short = retired
service-processing = Processing
service-subjects = Data subjects and personal data
service-parties = Parties, transfers and security
service-instructions = Documented instructions
service-versions = Versions
field-source = Source
field-section = section
field-subject-matter = Subject matter
field-duration = Duration
field-nature = Nature of the processing
field-purposes = Purposes
field-processor = Processor
field-controllers = Controllers and categories of processing
field-representative = Representative
field-dpo = Data protection officer
field-sub-processors = Sub-processors and systems
field-transfers = Transfers to third countries
field-security = Technical and organisational security measures
open-stated = Stated
open-none = None, as the source states
open-not-stated = Not stated in the source
duration-until-further-notice = Until further notice
duration-contract-term = For the term of the contract
duration-until-date = Until a date
safeguard-adequacy = adequacy decision
safeguard-scc = standard contractual clauses
safeguard-bcr = binding corporate rules
safeguard-derogation = derogation (Art. 49)
safeguard-other = other safeguard
diff-from = Compare version
diff-to = with version
diff-compare = Compare
diff-title = Changes from version

## Run outcomes
outcome-running = Running
outcome-succeeded = Succeeded
outcome-postcondition-failed = Post-condition failed
outcome-failed = Failed
outcome-dry-run = Dry run
outcome-awaiting-approval = Awaiting approval
outcome-interrupted = Interrupted

## Personal-data types
dt-name = Name
dt-national-id-number = National identity number (personnummer, CPR)
dt-hsa-id = HSA-id (health-care directory identity)
dt-username = Username
dt-session-id = Session id
dt-contact-email = E-mail address
dt-phone-number = Telephone number
dt-postal-address = Postal address
dt-job-title = Job title or role
dt-workplace = Employer or workplace
dt-credentials = Passwords and authentication credentials
dt-access-rights = Access rights and permissions
dt-ip-address = IP address
dt-device-id = Device or workstation identifier
dt-log-data = Log data (activity, access and audit logs)
dt-audio-video = Audio and video
dt-meeting-content = Meeting content (video, audio, chat) that may hold special categories
dt-email-content = E-mail content that may hold special categories
dt-file-content = Files and documents that may hold special categories
dt-free-text = Free text that may hold special categories
dt-web-content = Published web content
dt-financial = Financial circumstances
dt-salary = Salary
dt-health = Health data
dt-trade-union-membership = Trade-union membership
dt-political-opinion = Political opinions
dt-religious-belief = Religious or philosophical beliefs
dt-ethnic-origin = Racial or ethnic origin
dt-sex-life = Sex life or sexual orientation
dt-genetic = Genetic data
dt-biometric = Biometric data for identification
dt-criminal-offence = Criminal convictions and offences

## Categories of data subjects
subj-residents = Residents
subj-patients = Patients
subj-relatives = Relatives
subj-children = Children
subj-employees = Employees
subj-elected-officials = Elected officials
subj-contractors = Contractors and consultants
subj-customer-staff = The customer's staff
subj-supplier-staff = Suppliers' staff
subj-end-users = End users of the service
subj-administrators = Administrators
subj-contact-persons = Contact persons
subj-email-correspondents = People who correspond with the customer
subj-website-visitors = Website visitors

## Processing operations (Art. 4(2))
op-collection = collection
op-recording = recording
op-organisation = organisation
op-structuring = structuring
op-storage = storage
op-adaptation = adaptation
op-alteration = alteration
op-retrieval = retrieval
op-consultation = consultation
op-use = use
op-disclosure = disclosure by transmission
op-transmission = transmission
op-dissemination = dissemination
op-making-available = making available
op-alignment = alignment
op-combination = combination
op-restriction = restriction
op-erasure = erasure
op-destruction = destruction

## Retention
retention-title = Retention
retention-all-runs = All runs
runs-title = Retention runs
runs-count = { $n ->
    [one] { $count } run
   *[other] { $count } runs
}
rows-over-age = { $n ->
    [one] { $count } row over age
   *[other] { $count } rows over age
}
col-rule = Rule
col-keep-for = Keep for
col-next-run = Next run
col-last-outcome = Last outcome
col-breach = Breach check
col-outcome = Outcome
col-run = Run
col-affected = Rows deleted or anonymized
col-hold = Hold
col-keys = Keys
col-placed = Placed
col-state = State
never-run = never run
oldest-record = oldest record
run-late = caught up late
run-trigger = Trigger
run-attempt = attempt
run-started = Started
run-finished = Finished
run-rule-hash = Rule version (hash)
run-approved-by = Approved by
run-cutoff = Cutoff
run-table-rows = Rows in the table
run-matched = Rows over age
run-held = Under legal hold
run-would-affect = Rows it would delete or anonymize
run-digest = SHA-256 of the affected keys
run-postcondition = Post-condition
postcondition-holds = holds: nothing over age remains outside holds
not-counted-interrupted = not counted: the run was interrupted (its committed batches are counted below)
not-checked-interrupted = not checked: the run was interrupted
not-counted-held-interrupted = not counted: the run was interrupted
run-batches = Batches
run-longest-batch = longest
run-duration = Duration
run-evidence = Evidence
approve-title = Approve this run
approve-intro = A guard stopped this run before it changed anything. Approving runs it now, past its guard; your reason is kept on the run and its hash in the evidence log.
approve-submit = Approve and run
approve-reason-required = An approval needs a reason.
field-reason = Reason
rule-source = Datasource and table
rule-guards = Guards
dry-run-submit = Dry run (changes nothing)
holds-title = Legal holds
hold-whole-rule = the whole rule
hold-active = active
hold-lifted = lifted
hold-lift = Lift hold
hold-place = Place a legal hold
hold-keys = Keys to hold (one a line; empty holds the whole rule)
hold-keys-help = Held rows are skipped by every run until the hold is lifted.
hold-reason-required = A legal hold needs a reason.

## Reviews
reviews-title = Review campaigns
reviews-none = No campaigns match.
col-campaign = Campaign
col-policy = Policy
col-kind = Kind
col-due = Due
col-progress = Decided
col-account = Account
col-role = Role
col-last-activity = Last activity
col-change = Change since the last campaign
col-decision = Decision
review-opened = Opened
review-items = Items
review-select = Select
review-undecided = not decided
review-decide-selected = Decide the selected items
review-justification = Justification
review-justification-help = Keep and revoke need a justification, such as the work-related need for access.
review-apply = Apply to the selected items
review-close = Close the campaign
review-close-approve = Approve revocations beyond the policy's guard
review-select-items = Select at least one item.
review-choose-decision = Choose keep, revoke or unsure.
review-justification-required = Keep and revoke need a justification.
review-done-decided = The decisions are saved.
review-done-closed = The campaign is closed and its evidence written.
decision-keep = Keep
decision-revoke = Revoke
decision-unsure = Unsure

## Evidence
evidence-title = Evidence log
evidence-intro = Every change to the register and every run, hold, approval and review closing is an entry in an append-only Merkle log. Anyone with the verifier key can check the signed checkpoint and each entry's inclusion proof without trusting this server.
evidence-checkpoint = Latest signed checkpoint
evidence-key = Verifier key
evidence-entries = Entries
evidence-count = { $n ->
    [one] { $count } entry
   *[other] { $count } entries
}
evidence-newer = Newer entries
evidence-older = Older entries
evidence-entry = Entry
evidence-records = This entry records
evidence-canonical = Canonical bytes
evidence-pretty = Indented
evidence-proof = Inclusion proof
evidence-leaf-hash = Leaf hash
evidence-proof-holds = The proof checks against the checkpoint's root
evidence-proof-fails = The proof does not check against the checkpoint's root
evidence-proof-size = tree of { $count } entries
evidence-proof-how = Check it yourself: fold the audit path (RFC 9162 §2.1.3.2) from the leaf hash; the same proof is served at
evidence-not-signed = No signed checkpoint covers this entry yet; the next one will.
col-index = Index
col-records = Records
kind-register-version = Register version
kind-token-created = Token created
kind-token-revoked = Token revoked
kind-retention-run = Retention run
kind-run-approved = Run approved
kind-hold-placed = Legal hold placed
kind-hold-lifted = Legal hold lifted
kind-review-closed = Review closed
kind-key-replaced = Key replaced

## Exports
exports-title = Exports
exports-register = The register
exports-register-intro = The register as it stood on a date: the processor's record of Art. 30(2) as CSV, a printable page, JSON with every field, or Fides systems (fideslang).
exports-format = Format
exports-csv = CSV (Art. 30(2) record)
exports-html = Printable page (HTML)
exports-as-of = As of
exports-lang = Labels
exports-excel = For spreadsheets (semicolons, UTF-8 with BOM)
exports-download = Download
exports-bundle = Audit bundle
exports-bundle-intro = The evidence of a period, with the register, runs and reviews, in a zip an authority verifies offline with the verifier key.
exports-from = From
exports-to = To
exports-download-bundle = Download the audit bundle

# Import (/import)
nav-import = Import
import-title = Import a document
import-intro = Upload a service description (Inera, section 6) or Danish standard contractual clauses (Appendices A–C) as .txt, .md or .docx. You get a draft policy file that passes the check and a report of what was found, matched and left for a person. Nothing is applied: the draft goes into policies/ as a reviewed change.
import-file = Document (.txt, .md, .docx; at most 10 MB)
import-format = Layout
import-format-auto = Recognise it
import-format-inera = Inera service description (section 6)
import-format-dk = Danish standard contractual clauses (Appendices A–C)
import-processor = Processor id (optional)
import-submit = Import
import-not-applied = This draft is not applied. Download it, review it and add it to policies/ as a reviewed change.
import-draft = Draft
import-download = Download the TOML
import-support = Entries the draft needs in organisations.toml and datasources.toml
import-report = Report
import-col-what = What
import-col-line = Source line
import-col-section = Section
import-col-phrase = Phrase
import-col-result = Became
import-found = Found
import-matched = Matched
import-unmatched = Not matched (kept as a comment)
import-left = Left for a person
