//! `README.txt`: what each file is and how to verify the bundle, in Swedish and English.

use super::plan::Plan;

pub fn text(plan: &Plan) -> String {
    let (size, origin) = (plan.tree_size, &plan.origin);
    let span = super::manifest::span_text(plan.span);
    format!(
        "\
GALLRA – REVISIONSPAKET / AUDIT BUNDLE (gallra-audit-bundle/1)
Logg / log: {origin}   Poster / entries: {span}   Trädstorlek / tree size: {size}

== Svenska ==

Paketet innehåller registret över behandlingar, registrets versioner, gallringskörningar och
avslutade granskningar under perioden, och bevisen för dem ur gallras bevislogg (en RFC 6962
Merkle-logg). Varje rad i tabellerna anger `evidence_index`: numret på den post i loggen som
bevisar den. Posterna innehåller inga personuppgifter, bara id, antal och hashvärden.

Filer:
  manifest.json     format, version, logg, period, as_of, trädstorlek, första och sista post,
                    och SHA-256 och storlek för varje annan fil.
  manifest.sig      loggens nyckel signerar manifest.json, som C2SP signed note med texten
                    \"gallra-audit-bundle/1 {origin}\" och \"manifest.json <SHA-256> <storlek>\".
                    Så är varje fil signerad, även de som ingen post i loggen binder
                    (registrets utskrifter, fritext som skäl).
  checkpoint        en signerad kontrollpunkt (C2SP signed note): loggens namn, storlek, rothash.
  verifier-key      loggens publika nyckel. ENDAST FÖR BEKVÄMLIGHET: en nyckel tagen ur paketet
                    bevisar ingenting. Jämför den med nyckeln som publicerats på annat sätt
                    (personuppgiftsbiträdets webbplats, avtal, brev) och använd den.
  tile/entries/N    posterna i C2SP tlog-tiles-format: varje post som 2 byte längd (big endian)
                    och postens kanoniska JSON; 256 poster per fil, `.p/W` för en ofullständig.
  tile/L/N          hashplattor (höjd 8) som bevisar varje post mot kontrollpunkten, och inga fler.
  register/         registret vid periodens slut: register.json (alla fält), register.csv
                    (registret enligt art. 30.2), register.html (utskrift), fideslang.yaml (Fides).
  versions.*        registrets versioner under perioden: författare, skäl, innehållshash.
  runs.*            gallringskörningar: brytpunkt, antal, sammandrag av nycklarna, eftervillkor, utfall.
  reviews.*         avslutade granskningar: antal, typ, policyhash, HMAC över besluten.

Verifiera (utan att lita på servern):
  1. Med gallra:  gallra verify-bundle PAKET.zip --key 'NYCKEL'   (nyckeln eller en fil med den)
     Kontrollerar manifestets signatur, summor och storlekar, att ingen fil saknas eller
     tillkommit, kontrollpunktens signatur,
     varje post mot kontrollpunkten genom plattorna, och varje tabellrad mot sin post.
     Svarar med en rad `ok: …` (kod 0), eller namnger första felaktiga fil, rad eller post (kod 1).
  2. Med Go:s referenspaket (golang.org/x/mod/sumdb/note och sumdb/tlog), utan gallras kod:
     packa upp paketet; öppna `checkpoint` med note.Open och din nyckel (note.NewVerifier);
     öppna `manifest.sig` likadant och jämför med SHA-256 av manifest.json och varje fils summa;
     läs storlek N och rothash; läs plattorna med en tlog.TileReader som för en platta t läser
     filen t.Path() utan höjdsegmentet (\"tile/8/\" blir \"tile/\"); för varje post i i
     tile/entries: tlog.ProveRecord(N, i, tlog.TileHashReader(träd, läsare)) och
     tlog.CheckRecord(bevis, N, rot, i, tlog.RecordHash(post)).
  3. Kontrollera själv att raderna i CSV/JSON stämmer med posterna de anger (evidence_index).

== English ==

The bundle holds the register of processing, its versions, the retention runs and the closed
review campaigns of the period, and their proof from gallra's evidence log (an RFC 6962 Merkle
log). Every table row names its `evidence_index`: the log entry that proves it. Entries hold no
personal data: ids, counts and hashes only.

Files:
  manifest.json     format, version, origin, period, as_of, tree size, first and last entry of
                    the period, and every other file's SHA-256 and size.
  manifest.sig      the log's key signing manifest.json, as a C2SP signed note whose text is
                    \"gallra-audit-bundle/1 {origin}\" and \"manifest.json <SHA-256> <size>\".
                    So every file is signed, also those no log entry commits to (the
                    register's renderings, free text such as reasons).
  checkpoint        a signed checkpoint (C2SP signed note): the log's origin, size, root hash.
  verifier-key      the log's public key, FOR CONVENIENCE ONLY: a key taken from the bundle
                    proves nothing. Compare it with the key published out of band (the processor's
                    site, the contract, a letter) and use that one.
  tile/entries/N    the entries in C2SP tlog-tiles layout: each a big-endian uint16 length and
                    the entry's canonical JSON; 256 entries a file, `.p/W` for a partial one.
  tile/L/N          the hash tiles (height 8) that prove each entry against the checkpoint, and
                    no more.
  register/         the register at the period's end: register.json (every field),
                    register.csv (the record of Art. 30(2)), register.html (to print),
                    fideslang.yaml (Fides systems).
  versions.*        register versions of the period: author, reason, content hash.
  runs.*            retention runs: cutoff, counts, digest of the keys, post-condition, outcome.
  reviews.*         closed review campaigns: counts, kind, policy hash, HMAC over the decisions.

Verify (trusting no server):
  1. With gallra:  gallra verify-bundle BUNDLE.zip --key 'KEY'   (the key, or a file holding it)
     Checks the manifest's signature, every sum and size, that no file is missing or added,
     the checkpoint's signature, every entry
     against the checkpoint through the tiles, and every table row against its entry.
     Prints one line `ok: …` (exit 0), or names the first bad file, row or entry (exit 1).
  2. With Go's reference packages (golang.org/x/mod/sumdb/note and sumdb/tlog), none of gallra's
     code: unzip; open `checkpoint` with note.Open and your key (note.NewVerifier); open
     `manifest.sig` the same way and compare with manifest.json's SHA-256 and each file's
     sum; read size N and the root hash; serve tiles with a tlog.TileReader that reads, for tile t, the file
     t.Path() without its height segment (\"tile/8/\" becomes \"tile/\"); for each entry i in
     tile/entries: tlog.ProveRecord(N, i, tlog.TileHashReader(tree, reader)) and
     tlog.CheckRecord(proof, N, root, i, tlog.RecordHash(entry)).
  3. Check for yourself that the CSV/JSON rows agree with the entries they cite (evidence_index).
"
    )
}
