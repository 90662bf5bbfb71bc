"""Every text the secretary sees, in Norwegian bokmål.

Code and identifiers are English; what appears on screen lives here so it can be read,
reviewed and corrected in one place. Functions take values for the texts that hold them.
No Textual here.
"""

from __future__ import annotations

APP_TITLE = "IHR"
APP_SUBTITLE = "Rekvirering"

# ---- bindings (footer labels) ------------------------------------------------------
KEY_HELP = "Hjelp"
KEY_QUIT = "Avslutt"
KEY_PATIENT = "Pasient"
KEY_ORDER = "Bestilling"
KEY_QUESTIONS = "Spørsmål"
KEY_REVIEW = "Fullfør"
KEY_GROUPS = "Grupper"
KEY_DISCIPLINE = "Fagområde"
KEY_PRIORITY = "Haster"
KEY_REMOVE = "Fjern"
KEY_SAVE_GROUP = "Ny gruppe"
KEY_SAVE = "Lagre"
KEY_PRINT = "Skriv ut"
KEY_COLLECT = "Prøvetatt"
KEY_SEND = "Send"
KEY_BACK = "Tilbake"
KEY_PALETTE = "Kommandoer"
KEY_SEARCH = "Søk"
KEY_BASKET = "Kurv"
KEY_OPEN = "Åpne"
KEY_CANCEL = "Avbryt"
KEY_YES = "Ja"
KEY_NO = "Nei"
KEY_EDIT = "Endre"
KEY_DELETE = "Slett"
KEY_PICK = "Velg"
KEY_NEW_ORDER = "Ny bestilling"

# ---- command palette ---------------------------------------------------------------
PALETTE_PLACEHOLDER = "Søk etter kommandoer …"
PALETTE_NO_MATCHES = "Ingen treff"
CMD_HELP = ("Hjelp", "Lynguide og taster")
CMD_PATIENT = ("Bytt pasient", "Søk opp en annen pasient")
CMD_ORDER = ("Bestilling", "Velg analyser og undersøkelser")
CMD_QUESTIONS = ("Veiledende spørsmål", "Svar på spørsmålene til bestillingen")
CMD_REVIEW = ("Fullfør", "Se over, lagre, skriv ut etiketter og send")
CMD_GROUPS = ("Grupper", "Legg en lagret gruppe i kurven")
CMD_PRIORITY = ("Haster / normal", "Bytt prioritet på bestillingen")
CMD_SAVE = ("Lagre bestillingen", "Send bestillingen til IHR-tjenesten")
CMD_PRINT = ("Skriv ut etiketter", "Én etikett per prøverør")
CMD_COLLECT = ("Registrer prøvetaking", "Tidspunkt og hvem som tok prøven")
CMD_SEND = ("Send til laboratoriet", "Send rekvisisjonene")
CMD_NEW_ORDER = ("Ny bestilling", "Tøm kurven og start på nytt for samme pasient")
CMD_QUIT = ("Avslutt", "Lukk programmet")

# ---- banner -----------------------------------------------------------------------
BANNER_NO_PATIENT = "Ingen pasient valgt – skann eller skriv fødselsnummer"
SEX = {"M": "mann", "K": "kvinne"}


def banner_patient(name: str, pid: str, age: int, sex: str) -> str:
    return f"{name}  {pid}  {age} år  {SEX.get(sex, sex)}"


def banner_requester(name: str, hpr: str) -> str:
    return f"Rekvirent: {name} (HPR {hpr})"


BANNER_NO_REQUESTER = "Rekvirent: ikke valgt (Ctrl+R)"
KEY_REQUESTER = "Rekvirent"
REQUESTER_TITLE = "Velg rekvirent"
REQUESTER_LABEL = "Rekvirentens navn eller HPR-nummer"
REQUESTER_BAD = "Et HPR-nummer har 6 til 9 siffer."
REQUESTER_NAME_NONE = "Ingen av kontorets leger har det navnet. Skriv HPR-nummeret."
REQUESTER_OFFICE = "Eller velg en av kontorets leger (↑/↓):"
REQUESTER_LOADING = "Henter kontorets leger …"
REQUESTER_NONE = "Kontoret har ingen registrerte leger."
REQUESTER_NOT_FOUND = "Fant ingen rekvirent med dette HPR-nummeret."
CMD_REQUESTER = ("Bytt rekvirent", "Velg legen bestillingen gjelder (HPR-nummer)")


def requester_chosen(name: str) -> str:
    return f"Rekvirent: {name}."


def outbox_resent(n: int) -> str:
    return f"{counted(n, 'bestilling', 'bestillinger')} fra utboksen er nå lagret i IHR."


def outbox_waiting(n: int) -> str:
    return f"{counted(n, 'bestilling', 'bestillinger')} venter i utboksen på kontakt med IHR."
BANNER_URGENT = "HASTER"
BANNER_CACHE = "Katalog fra hurtiglager"


def banner_cache(reason: str | None) -> str:
    return f"{BANNER_CACHE}: {reason}" if reason else BANNER_CACHE


# ---- patient search ---------------------------------------------------------------
PATIENT_TITLE = "Finn pasient"
PATIENT_PLACEHOLDER = "Fødselsnummer eller navn (skann eller skriv, Enter)"
PATIENT_HINT = "Skann pasientens fødselsnummer, eller skriv navn og trykk Enter."
PATIENT_COL_ID = "Fødselsnummer"
PATIENT_COL_NAME = "Navn"
PATIENT_COL_AGE = "Alder"
PATIENT_COL_SEX = "Kjønn"
PATIENT_SEARCHING = "Søker …"
PATIENT_NONE = "Ingen pasienter funnet."
PATIENT_NOT_FOUND = "Fant ingen pasient med dette fødselsnummeret."


def patient_found(n: int) -> str:
    return "Én pasient funnet." if n == 1 else f"{n} pasienter funnet."


# ---- order builder ----------------------------------------------------------------
ORDER_TITLE = "Bestilling"
SEARCH_PLACEHOLDER = "Søk analyse eller undersøkelse (navn, kode, forkortelse)"
COL_CODE = "Kode"
COL_NAME = "Navn"
COL_DISCIPLINE = "Fagområde"
COL_DISCIPLINE_SHORT = "Fag"
COL_LAB = "Laboratorium"
DISCIPLINE_ALL = "Alle fagområder"
DISCIPLINES = {
    "klinisk_kjemi": "Klinisk kjemi",
    "mikrobiologi": "Mikrobiologi",
    "patologi": "Patologi",
    "radiologi": "Radiologi",
}
DISCIPLINES_SHORT = {
    "klinisk_kjemi": "KK",
    "mikrobiologi": "Mikro",
    "patologi": "Pato",
    "radiologi": "Rtg",
}
BASKET_TITLE = "Kurv"
BASKET_EMPTY = "Kurven er tom. Søk og trykk Enter, eller velg en gruppe (F6)."
SUPPORT_TITLE = "Rekvireringsstøtte"
SUPPORT_NONE = "Marker en analyse for å se prøvetakingsinformasjon."
SUPPORT_MATERIAL = "Materiale"
SUPPORT_CONTAINER = "Rør"
SUPPORT_VOLUME = "Volum"
SUPPORT_PREPARATION = "Forbered."
SUPPORT_STABILITY = "Holdbar"
SUPPORT_HANDLING = "Håndter."
SUPPORT_NOTES = "Merknad"
SUPPORT_IMAGING = "Bildediagnostikk: ingen prøve. Henvisningen må ha en problemstilling."
SUPPORT_INTERVAL = "Intervall"
TEMPERATURE = {"romtemperatur": "romtemperatur", "kjøl": "kjøl", "frys": "frys"}
LIGHT_PROTECTED = "lysbeskyttes"


def stability(hours: float, temperature: str) -> str:
    if hours >= 48 and hours % 24 == 0:
        return f"{int(hours // 24)} døgn i {temperature}"
    return f"{hours:g} timer i {temperature}"


def centrifuge_within(minutes: int) -> str:
    return f"sentrifugeres innen {minutes} min"


def interval_days(days: int) -> str:
    return f"{days} dager"


def search_count(shown: int, total: int) -> str:
    if shown == total:
        return f"{total} treff"
    return f"{shown} av {total} treff"


def added(name: str) -> str:
    return f"{name} lagt i kurven."


def already_in_basket(name: str) -> str:
    return f"{name} ligger allerede i kurven."


def removed(name: str) -> str:
    return f"{name} fjernet fra kurven."


def duplicate_notice(warning: str) -> str:
    return f"Obs: {warning}. Lagt i kurven likevel."


def refusal(name: str, reason: str) -> str:
    return f"{name}: {reason}"


def requisition_heading(kind: str, lab: str) -> str:
    return f"{'Henvisning' if kind == 'henvisning' else 'Rekvisisjon'} – {lab}"


PRIORITY = {"normal": "Normal", "haster": "Haster"}


def priority_now(p: str) -> str:
    return f"Prioritet: {PRIORITY.get(p, p)}"


BASKET_PENDING = "Sjekkes når katalogen er lastet"


def basket_summary(analyses: int, requisitions: int, examinations: int = 0, referrals: int = 0) -> str:
    """"2 analyser, 1 rekvisisjon"; "1 undersøkelse, 1 henvisning" for imaging; both kinds:
    "2 analyser, 1 undersøkelse" (the basket's headings name the requisitions and referrals;
    one line at 80 columns)."""
    if analyses and examinations:
        return f"{counted(analyses, 'analyse', 'analyser')}, {counted(examinations, 'undersøkelse', 'undersøkelser')}"
    if examinations:
        return f"{counted(examinations, 'undersøkelse', 'undersøkelser')}, {counted(referrals, 'henvisning', 'henvisninger')}"
    return f"{counted(analyses, 'analyse', 'analyser')}, {counted(requisitions, 'rekvisisjon', 'rekvisisjoner')}"


# ---- groups -----------------------------------------------------------------------
GROUPS_TITLE = "Grupper"
GROUPS_FILTER = "Skriv for å finne en gruppe"
GROUPS_HINT = "Enter legger gruppen i kurven. Ctrl+E endrer, Ctrl+D sletter egne grupper."
GROUPS_NONE = "Ingen grupper ennå. Lag en fra kurven med Ctrl+N."
GROUPS_NO_MATCH = "Ingen grupper passer til det du har skrevet."
GROUP_OFFICE = "kontoret"
GROUP_PERSONAL = "egen"
GROUP_NAME_TITLE = "Ny gruppe fra kurven"
GROUP_RENAME_TITLE = "Endre gruppe"
GROUP_NAME_PLACEHOLDER = "Navn på gruppen"
GROUP_NAME_REQUIRED = "Gruppen må ha et navn."
GROUP_SCOPE_PERSONAL = "Bare for meg"
GROUP_NOT_OWN = "Du kan bare endre eller slette dine egne grupper."
GROUP_DELETE_CONFIRM = "Slette gruppen?"
GROUP_BASKET_EMPTY = "Kurven er tom – legg analyser i den først."


def group_replace(n: int) -> str:
    return f"Bytt analysene med kurven ({n})"


def group_added(name: str, n: int) -> str:
    return f"Gruppen «{name}» lagt i kurven ({counted(n, 'analyse', 'analyser')})."


def group_saved(name: str) -> str:
    return f"Gruppen «{name}» er lagret."


def group_deleted(name: str) -> str:
    return f"Gruppen «{name}» er slettet."


def group_row(name: str, n: int, scope: str) -> str:
    return f"{name}  ({counted(n, 'analyse', 'analyser')}, {scope})"


# ---- questions --------------------------------------------------------------------
QUESTIONS_TITLE = "Veiledende spørsmål"
QUESTIONS_NONE = "Bestillingen har ingen spørsmål. Trykk F5 for å fullføre."
#: F4 on a basket without guided questions: the first of the requisition's fields has focus.
QUESTIONS_NONE_FIELDS = "Ingen veiledende spørsmål – markøren står i opplysningene til rekvisisjonen. F5 fullfør."
QUESTIONS_EMPTY_BASKET = "Kurven er tom. Gå tilbake til bestillingen (F3)."
QUESTIONS_REQUIRED_MARK = " *"
QUESTIONS_MISSING = "Dette mangler før bestillingen kan lagres:"
QUESTIONS_ALL_GOOD = "Alle påkrevde spørsmål er besvart."
QUESTIONS_LEGEND = "* = påkrevd"
YES = "Ja"
NO = "Nei"
SELECT_PROMPT = "Velg …"
PROBLEMSTILLING = "Problemstilling (klinisk spørsmål)"
PROBLEMSTILLING_REQUIRED = "Henvisning til bildediagnostikk må ha en problemstilling."
COMMENT = "Kommentar til laboratoriet"
COMMENT_IMAGING = "Kommentar til røntgenavdelingen"
COMMENT_BOTH = "Kommentar til laboratoriet og røntgenavdelingen"


def comment_label(lab: bool, imaging: bool) -> str:
    """The comment field's name: who reads it (an imaging referral is not for a laboratory)."""
    if imaging:
        return COMMENT_BOTH if lab else COMMENT_IMAGING
    return COMMENT


def asked_by(names: list[str]) -> str:
    return "Gjelder: " + ", ".join(names)


def missing_answer(text: str) -> str:
    return f"Mangler svar: {text}"


# the order's other fields, below the guided questions
ORDER_FIELDS = "Opplysninger til rekvisisjonen"
MODALITY_QUESTION = "Kan radiologen endre modalitet eller supplere undersøkelsen ved behov?"
MODALITY_REQUIRED = "Svar på om radiologen kan endre modalitet eller supplere undersøkelsen."
MODALITY_ANSWER = {True: "Ja (tillatelse)", False: "Nei (reservasjon)"}
CLINICAL_INFO = "Kliniske opplysninger"
DIAGNOSIS_CODE = "Diagnose, ICPC-2-kode"
DIAGNOSIS_TEXT = "Diagnosetekst"
DIAGNOSIS_BAD_CODE = "ICPC-2-koden er én bokstav og to sifre, f.eks. L03."
DIAGNOSIS_TEXT_REQUIRED = "Skriv diagnoseteksten til ICPC-2-koden."
DIAGNOSIS_CODE_REQUIRED = "Skriv ICPC-2-koden til diagnoseteksten."
PAYMENT = "Betaling"
COPY_OTHER = "Kopi til annen lege (navn eller HPR-nummer)"
COPY_LOOKING = "Slår opp …"
OPTIONAL = "valgfri"
CLINICAL_INFO_HINT = "valgfri: symptomer, funn, medisiner"
DIAGNOSIS_CODE_HINT = "valgfri: kode (L03) eller ord (kne)"
#: The diagnosis is optional, its text is not once there is a code.
DIAGNOSIS_TEXT_HINT = "med ICPC-2-kode: påkrevd"
TEXT_BOX_HINT = "Enter: ny linje · Tab: neste felt"
KEY_USE_OFFERED = "Bruk tidligere svar"


def offered_answer(text: str, typed: bool) -> str:
    """Under a question asked afresh: its old answer, offered, not used."""
    shown = " ".join(text.split())
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    return f"Tidligere svar: «{shown}» – ikke brukt. " + ("Ctrl+G bruker det." if typed else "Velg på nytt.")


DATE_HINT = "dd.mm.åååå, i dag, i går"
DATETIME_HINT = "dd.mm.åååå tt:mm, i går 22:00"


def icpc2_hits(hits: list[str]) -> str:
    return "ICPC-2: " + " · ".join(hits) + "  (Enter velger den første)"


def icpc2_none(typed: str) -> str:
    return f"Ingen ICPC-2-kode for «{typed}»."
COPY_OTHER_HINT = "valgfri; flere med komma mellom"


def copy_to_gp(name: str) -> str:
    return f"Kopi til fastlegen, {name}?"


def copy_bad_hpr(hpr: str) -> str:
    return f"Kopimottaker «{hpr}»: et HPR-nummer har 6 til 9 siffer."


def copy_name_short(name: str) -> str:
    return f"Kopi til «{name}»: skriv minst 3 bokstaver av navnet, eller HPR-nummeret."


def copy_name_looking(name: str) -> str:
    return f"Kopi til «{name}»: slår opp i adresseregisteret …"


def copy_name_unknown(name: str) -> str:
    return f"Fant ingen lege «{name}» i adresseregisteret."


def copy_name_many(name: str, doctors: list[str]) -> str:
    return f"Flere leger heter «{name}»: {', '.join(doctors)}. Skriv hele navnet eller HPR-nummeret."


def copy_unknown(hpr: str) -> str:
    return f"Fant ingen lege med HPR-nummer {hpr}."


def copy_names(names: list[str]) -> str:
    return "Kopi til: " + ", ".join(names)


def answer_unusable(label: str, problem: str) -> str:
    return f"{label}: {problem}"


# answers from the journal (EPJ), on the questions screen, the review and the order detail
def from_journal(day: str | None) -> str:
    """The mark of an answer taken from the journal: "fra journalen, 16.11.2026"."""
    return f"fra journalen, {day}" if day else "fra journalen"


def journal_not_used(value: str, day: str | None, problem: str) -> str:
    """A value the journal holds that the question cannot use (too old, out of bounds)."""
    when = f" fra {day}" if day else ""
    return f"I journalen: {value}{when} – {problem}"


def journal_changed(value: str, day: str | None) -> str:
    """The secretary changed an answer the journal gave."""
    when = f" ({day})" if day else ""
    return f"Endret – journalen sier {value}{when}"


def journal_offered(value: str, day: str | None) -> str:
    """A value the journal holds for a question that was not filled (it did not apply then)."""
    when = f" ({day})" if day else ""
    return f"I journalen: {value}{when}"


def journal_conditions(items: list[str]) -> str:
    """The journal's diagnoses, offered in the empty diagnosis code field."""
    return "journalen: " + ", ".join(items)


# ---- review -----------------------------------------------------------------------
REVIEW_TITLE = "Fullfør bestillingen"
REVIEW_REQUISITIONS = "Rekvisisjoner"
REVIEW_ANSWERS = "Svar"
REVIEW_NO_ANSWERS = "Ingen svar."
REVIEW_TUBES = "Prøverør i tapperekkefølge"
REVIEW_NO_TUBES = "Ingen prøverør (bare henvisninger)."
REVIEW_REQUESTER = "Rekvirent"
REVIEW_PRIORITY = "Prioritet"
REVIEW_STEPS = "Steg"
REVIEW_PREVIEW = "Forhåndsvisning av etikett"
TUBE_COLS = ("Nr", "Kork", "Rør", "Materiale", "Analyser", "Prøve-ID")


def counted(n: int, one: str, many: str) -> str:
    """"1 etikett", "2 etiketter": the number with the word in the right number."""
    return f"{n} {one if n == 1 else many}"


def tube_count(tubes: int, labels: int) -> str:
    return f"{tubes} rør, {counted(labels, 'etikett', 'etiketter')}"


STEP_SAVE = "Lagre"
STEP_PRINT = "Skriv ut etiketter"
STEP_COLLECT = "Registrer prøvetaking"
STEP_SEND = "Send"
#: By `tui.draft.Step` value, in the order the review shows them.
STEP_NAMES = {"save": STEP_SAVE, "print": STEP_PRINT, "collect": STEP_COLLECT, "send": STEP_SEND}
STEP_PENDING = "ikke gjort"
STEP_RUNNING = "pågår …"
STEP_FAILED = "feilet"
STEP_DONE = "ferdig"


def saved(numbers: list[str], specimens: int, *, referrals: bool = False) -> str:
    """`referrals`: imaging referrals (henvisninger) only, which have no specimens to name."""
    nr = ", ".join(numbers)
    if referrals:
        what = "henvisning" if len(numbers) == 1 else "henvisningene"
    else:
        what = "rekvisisjon" if len(numbers) == 1 else "rekvisisjonene"
    ids = f" {counted(specimens, 'prøve-ID', 'prøve-ID-er')} tildelt." if specimens else ""
    return f"Lagret: {what} {nr}.{ids}"


def collected(n: int, when: str, who: str) -> str:
    return f"Prøvetaking registrert for {n} rør, {when}, tatt av {who}."


def sent(n: int) -> str:
    r = "rekvisisjon" if n == 1 else "rekvisisjoner"
    return f"Sendt: {n} {r}."


def failed(step: str, message: str) -> str:
    return f"{step} feilet: {message} Trykk tasten på nytt for å prøve igjen."


SAVE_FIRST = "Lagre bestillingen først (F5)."
NOTHING_TO_SAVE = "Kurven er tom."
ALREADY_SAVED = "Bestillingen er allerede lagret."


def saved_elsewhere(hhmm: str, saved_text: str) -> str:
    """F6 on a draft that another session (or a lost answer) had saved already."""
    return f"Kladden var allerede lagret kl. {hhmm}, trolig i en annen økt: samme bestilling, ikke lagret to ganger. " \
        + saved_text
ALREADY_SENT = "Bestillingen er allerede sendt."
PRINT_FIRST_WARNING = "Etikettene er ikke skrevet ut ennå."
OUTBOX_KEPT = "Bestillingen ligger i utboksen og prøves igjen med samme nøkkel."
NO_PRINTER = "Ingen skriver er satt opp."
SAVING = "Lagrer …"
PRINTING = "Skriver ut …"
COLLECTING = "Registrerer …"
SENDING = "Sender …"
REVIEW_PAYMENT = "Betaling"
REVIEW_COPY = "Kopi til"
REVIEW_DIAGNOSIS = "Diagnose"
REVIEW_MODALITY = "Endre modalitet"

# ---- the performing lab (Ctrl+L on the review; ihr.rules.routing) ------------------------
KEY_CHOOSE_LAB = "Laboratorium"
LAB_TITLE = "Velg laboratorium for rekvisisjonen"
LAB_REQUISITION = "Rekvisisjon"
LAB_HINT = "↑/↓ og Enter velger. Nærmeste i kontorets helseregion står først."
LAB_REASON = "Utenfor kontorets helseregion – grunn *"
LAB_REASON_DETAIL = "Utdyping (valgfri)"
LAB_REASON_REQUIRED = "Laboratoriet ligger utenfor kontorets helseregion: velg grunnen (f/b), så Enter."
LAB_NO_REQUISITION = "Legg noe i kurven først."
LAB_NO_OTHER = "Ingen andre laboratorier utfører dette."


def lab_option(name: str, region: str, km: float | None, outside: bool, missing: list[str], current: bool) -> str:
    """One lab in the list: "OUS Radiologi – Helse Sør-Øst, 2 km (nå)"."""
    text = f"{name} – {region}"
    if km is not None:
        text += f", {km:.0f} km"
    if outside:
        text += " (utenfor regionen)"
    if missing:
        text += " – utfører ikke " + ", ".join(missing)
    return text + (" (nå)" if current else "")


def lab_chosen(name: str, stayed: list[str]) -> str:
    text = f"Rekvisisjonen går til {name}."
    if stayed:
        text += " Egen rekvisisjon for det laboratoriet ikke utfører: " + ", ".join(stayed) + "."
    return text


def region_reason_line(text: str) -> str:
    return f"  Utenfor helseregionen: {text}"


# ---- collection dialog -------------------------------------------------------------
COLLECT_TITLE = "Registrer prøvetaking"
COLLECT_TIME = "Tidspunkt (DD.MM.ÅÅÅÅ TT:MM)"
COLLECT_BY = "Tatt av"
COLLECT_BAD_TIME = "Skriv tidspunktet som DD.MM.ÅÅÅÅ TT:MM."
COLLECT_FUTURE = "Tidspunktet kan ikke være fram i tid."
COLLECT_WHO_REQUIRED = "Skriv hvem som tok prøven."
COLLECT_OK = "Registrer"
# F8 before the labels are printed: asked first (tubes without labels are mixed up)
COLLECT_UNPRINTED = "Etikettene er ikke skrevet ut ennå. Registrere prøvetaking av rør uten etiketter?"
COLLECT_UNCONFIRMED = "Etikettene er ikke bekreftet skrevet ut. Registrere prøvetaking likevel?"
COLLECT_PRINT_FAILED = "Utskriften av etikettene feilet – rørene har ikke etiketter. Registrere prøvetaking likevel?"
COLLECT_PRINT_FIRST = "Prøvetaking er ikke registrert. Skriv ut etikettene først (F7)."

# ---- confirm dialogs ----------------------------------------------------------------
CONFIRM_CHANGE_PATIENT = "Bestillingen er ikke sendt. Bytte pasient og forkaste kurven og svarene?"
CONFIRM_QUIT = "Bestillingen er ikke sendt. Avslutte nå? Kurven og svarene tas vare på og kommer tilbake neste gang pasienten åpnes."
CONFIRM_NEW_ORDER = "Tømme kurven og svarene og starte en ny bestilling?"


def typed_ahead_set_aside(keys: str) -> str:
    """Keys typed before a J/N question was read: not taken as the answer."""
    shown = f" «{keys}»" if keys.strip() else ""
    return f"Tastet før spørsmålet ble lest, satt til side{shown}. Svar nå med en av tastene under."

# ---- help -------------------------------------------------------------------------
HELP_TITLE = "Hjelp – lynguide"
HELP_TEXT = """\
[b]Slik bestiller du[/b]
1. Pasienten kommer fra journalen, ellers skann eller skriv fnr.
2. Søk, velg med piltastene, Enter legger analysen i kurven.
   F6 legger en hel gruppe i kurven.
3. F4: svar på de veiledende spørsmålene (* er påkrevd).
   Valg: skriv forbokstaven (j/n), eller ←/→. Tab til neste.
4. F5: se over. F6 lagre, F7 etiketter, F8 prøvetatt, F9 send.

[b]Overalt[/b]
F1 hjelp · F2 pasient · F3 bestilling · F4 spørsmål · F5 fullfør
F10 arbeidsliste · Ctrl+P kommandoer · Ctrl+Q avslutt · Esc lukk

[b]Ny bestilling[/b]
F6 grupper · F7 fagområde · F8 haster · F9 fjern fra kurven
Ctrl+N ny gruppe av kurven · Tab til kurven og tilbake
Grupper: Enter velg · Ctrl+E endre · Ctrl+D slett (egne)

[b]Fullfør[/b]
F6 lagre · F7 skriv ut · F8 prøvetatt · F9 send
Ctrl+N ny bestilling · Ctrl+R bytt rekvirent (HPR-nummer)
Ctrl+L velg laboratorium for en rekvisisjon (nærmeste i regionen
er valgt; utenfor regionen må grunnen oppgis)

[b]Arbeidsliste og sendte bestillinger[/b]
Enter åpne · F6 dagens/pasientens · F7 oppdater
F6 etikett på nytt · F7 etterrekvirer · F8 kanseller
F9 rett og send på nytt · Ctrl+X vis meldingen (XML)
Ctrl+T prøvetatt: rør som kommer senere (urin, avføring)

[b]Strekkodeleser[/b]
Et skannet fødselsnummer åpner pasienten, uansett hvor du står.
En skannet prøveetikett åpner utskrift av etikettene på nytt.

Ingenting du har skrevet går tapt om tjenesten ikke svarer:
trykk tasten igjen.
"""

# ---- errors and notices -----------------------------------------------------------
CATALOG_LOADING = "Henter katalogen …"
CATALOG_FAILED = "Fikk ikke hentet katalogen."
NO_CATALOG = "Katalogen er ikke lastet ennå."
NO_PATIENT = "Velg en pasient først (F2)."
NO_REQUESTER = "Ingen rekvirent er valgt."
OFFICE_MISSING = (
    "Kontorets HER-id mangler: sett office_her_id i innstillingene, IHR_OFFICE_HER_ID, "
    "eller --office (eller office i EPJ-filen)."
)
SCANNED_SPECIMEN = "Skannet prøveetikett"
ERROR_TITLE = "Feil"
WARNING_TITLE = "Advarsel"
NOTICE_TITLE = "Melding"
UNEXPECTED_ERROR = "Uventet feil. Arbeidet ditt er ikke tapt."


def start_failed(message: str, seconds: int) -> str:
    return f"{message} Prøver igjen om {seconds} s."


def step_error(step: str, message: str) -> str:
    return f"{step}: {message}"


def spool_named(path: str) -> str:
    return f"Etikettene ligger i {path}"


def demo_labels_kept(path: str) -> str:
    return f"Etikettene som var skrevet ut før, er beholdt i {path} (--fresh sletter dem ikke)."


def demo_returned(path: str) -> str:
    return f"Bestillingene levert tilbake til journalen (FHIR) ligger i {path}"


def demo_kept(path: str) -> str:
    return f"Demoen (sandkasse, kurv og svar) er lagret i {path}; «ihr demo --fresh» starter på nytt."


# ---- after the order: worklist, order detail, reprint, add-on, cancel ------------------
KEY_WORKLIST = "Arbeidsliste"
KEY_SCOPE = "Bytt liste"
KEY_REFRESH = "Oppdater"
KEY_REPRINT = "Etikett"
KEY_ADDON = "Etterrekvirer"
KEY_CANCEL_ORDER = "Kanseller"
KEY_CORRECT = "Rett og send"
KEY_XML = "XML"
KEY_NEXT_MESSAGE = "Neste"
KEY_ADD = "Legg til"
KEY_SERVICES = "Analyser"
CMD_WORKLIST = ("Arbeidsliste", "Dagens bestillinger og pasientens historikk")

STATUS_LABEL = {
    "utkast": "utkast",
    "lagret": "lagret",
    "sendt": "sendt",
    "transportkvittert": "transportkvittert",
    "akseptert": "akseptert",
    "avvist": "avvist",
    "delvis_avvist": "delvis avvist",
    "mottatt": "mottatt",
    "under_analyse": "under analyse",
    "svar_klart": "svar klart",
    "kansellert": "kansellert",
}
ITEM_STATUS_LABEL = {"bestilt": "bestilt", "utført": "utført", "kansellert": "kansellert"}


def status_label(status: str) -> str:
    return STATUS_LABEL.get(status, status)


WORKLIST_TITLE = "Arbeidsliste"
WORKLIST_TODAY = "Dagens bestillinger (alle pasienter ved kontoret)"
WORKLIST_COLS = ("Tid", "Rekv.nr.", "Pasient", "Analyser", "Rør", "Status")
KEY_WORK_FILTER = "Filter"
KEY_WORK_DAY = "Dag"
KEY_WORK_SEARCH = "Søk"
WORKLIST_SEARCH = "Søk på rekvisisjonsnr. eller prøve-ID (Ctrl+F)"


def worklist_day(day: str) -> str:
    return f"Bestillinger {day} (alle pasienter ved kontoret)"


def worklist_narrowed(work: str | None, typed: str) -> str:
    """What narrows the list, for the header: "filter: venter på prøve · søk: R0010"."""
    parts = ([f"filter: {work}"] if work else []) + ([f"søk: {typed}"] if typed else [])
    return " · ".join(parts)
WORKLIST_LOADING = "Henter bestillinger …"
WORKLIST_EMPTY_TODAY = "Ingen bestillinger i dag."
WORKLIST_EMPTY_HISTORY = "Pasienten har ingen bestillinger."
WORKLIST_NO_PATIENT = "Ingen pasient valgt – viser dagens bestillinger."


def worklist_history(name: str) -> str:
    return f"Historikk for {name}"


def worklist_count(n: int, rejected: int) -> str:
    text = "Én bestilling" if n == 1 else f"{n} bestillinger"
    if rejected:
        text += f", {rejected} avvist"
    return text + ". Enter åpner."


DETAIL_TITLE = "Bestilling"
DETAIL_LOADING = "Henter bestillingen …"
DETAIL_REJECTED = "AVVIST – laboratoriet tok ikke imot rekvisisjonen"
DETAIL_PARTLY = "DELVIS AVVIST – deler av bestillingen blir ikke utført"
DETAIL_CORRECT_HINT = "Rett opplysningene og send på nytt med F9."
DETAIL_REQUISITIONS = "Rekvisisjoner"
DETAIL_SPECIMENS = "Prøver"
DETAIL_ANSWERS = "Svar og kommentar"
DETAIL_TIMELINE = "Tidslinje"
DETAIL_MESSAGES = "Meldinger (KITH)"
DETAIL_NO_SPECIMENS = "Ingen prøver (bare henvisninger)."
DETAIL_NO_ANSWERS = "Ingen spørsmål besvart."
#: Beside "svar klart" in the order's header: the result itself is not shown here.
DETAIL_RESULT_IN_EPJ = "se svaret i journalen (EPJ)"
DETAIL_NO_EVENTS = "Ingen hendelser ennå."
DETAIL_NO_MESSAGES = "Ingen meldinger ennå – bestillingen er ikke sendt."
DETAIL_NOT_TAKEN = "ikke tatt"
DETAIL_COMMENT = "Kommentar"
DETAIL_ADDED_ON = "etterrekvirert"
DETAIL_XML_TITLE = "Rå XML"
DIRECTION = {"ut": "Sendt", "inn": "Mottatt"}


def detail_heading(number: str, created: str, status: str) -> str:
    return f"Bestilling {number} · {created} · {status}"


def detail_patient(name: str, pid: str) -> str:
    return f"Pasient: {name}  {pid}"


def apprec_error_line(code: str, text: str, details: str | None) -> str:
    return f"{code} {text}" + (f" – {details}" if details else "")


def specimen_line(specimen_id: str, container: str, material: str, taken: str) -> str:
    return f"{specimen_id}  {container}, {material}  ({taken})"


def taken_at(when: str, who: str | None) -> str:
    return f"tatt {when}" + (f" av {who}" if who else "")


def requisition_message_summary(kind: str, number: str | None, lab: str, items: int, *, added: int = 0,
                                cancelled: int = 0) -> str:
    """`kind`: the message type (8279); a radiology referral (REQ_RTG) is a henvisning.
    `items`: the services the message carries, `added` of them new (Tillegg), `cancelled`
    of them cancelled (Endring)."""
    imaging = kind == "REQ_RTG"
    what = "henvisning" if imaging else "rekvisisjon"
    n = f" {number}" if number else ""
    services = counted(items, "undersøkelse", "undersøkelser") if imaging else counted(items, "analyse", "analyser")
    notes = ([f"{added} lagt til"] if added else []) + ([f"{cancelled} kansellert"] if cancelled else [])
    return f"{what}{n} til {lab}, {services}" + (f" ({', '.join(notes)})" if notes else "")


def apprec_summary(status_text: str, original: str) -> str:
    return f"Applikasjonskvittering: {status_text} (svar på melding {original})"


def xml_of(i: int, n: int, what: str) -> str:
    return f"{DETAIL_XML_TITLE} {i} av {n}: {what}  (Ctrl+N neste, Ctrl+X lukker)"


MESSAGE_UNREADABLE = "Meldingen kunne ikke leses"

# reprint
REPRINT_TITLE = "Skriv ut etiketter på nytt"
REPRINT_LABELS = "Etiketter (mellomrom velger/fjerner)"
REPRINT_COPIES = "Antall kopier (1–5)"
REPRINT_REASON = "Grunn (påkrevd)"
REPRINT_REASONS = ("Etiketten falt av", "Skadet etikett", "Ekstra rør", "Annet")
REPRINT_OTHER = "Annet"
REPRINT_OTHER_PLACEHOLDER = "Skriv grunnen"
REPRINT_PREVIEW = "Forhåndsvisning"
REPRINT_OK = "Skriv ut"
REPRINT_NONE_SELECTED = "Velg minst én etikett."
REPRINT_BAD_COPIES = "Antall kopier må være et tall fra 1 til 5."
REPRINT_REASON_REQUIRED = "Velg eller skriv hvorfor etiketten skrives ut på nytt."
REPRINT_NO_SPECIMENS = "Bestillingen har ingen prøver å skrive ut etiketter for."
REPRINT_PRINTING = "Skriver ut …"


def reprinted(n: int, copies: int, reason: str) -> str:
    e = "etikett" if n == 1 else "etiketter"
    c = "" if copies == 1 else f" × {copies}"
    return f"{n} {e}{c} skrevet ut på nytt ({reason})."


SCAN_BAD = "Strekkoden er feil lest – skann på nytt"
SCAN_UNKNOWN = "Fant ingen bestilling med denne prøve-ID-en."
SCAN_LOOKING = "Slår opp skannet etikett …"

# add-on
ADDON_TITLE = "Etterrekvirering"
ADDON_SPECIMEN = "Prøve (piltaster velger)"
ADDON_SEARCH = "Søk analyse, Enter legger til"
ADDON_PICKED = "Valgt"
ADDON_NONE_PICKED = "Ingen analyser valgt ennå."
ADDON_OK = "Send etterrekvirering"
ADDON_PICK_SERVICE = "Velg minst én analyse."
ADDON_PICK_SPECIMEN = "Velg en prøve."
ADDON_SENDING = "Sender etterrekvireringen …"
ADDON_NO_SPECIMENS = "Bestillingen har ingen prøver å etterrekvirere på."
ADDON_NO_NEW_LABEL = "Ingen ny etikett trengs."
ADDON_NEW_LABEL = "Ny prøve trengs – skriv ut etikett med F6."


def addon_done(names: list[str], specimen_id: str) -> str:
    return f"Etterrekvirert {', '.join(names)} på prøve {specimen_id}."


def addon_removed(name: str) -> str:
    return f"{name} fjernet fra valget."


# cancel
CANCEL_TITLE = "Kanseller"
CANCEL_WHAT = "Hva skal kanselleres (mellomrom velger)"
CANCEL_REASON = "Grunn (påkrevd)"
CANCEL_REASON_PLACEHOLDER = "F.eks. «Pasienten møtte ikke»"
CANCEL_OK = "Kanseller"
CANCEL_NOTHING = "Velg minst én analyse eller rekvisisjon."
CANCEL_REASON_REQUIRED = "Skriv hvorfor det kanselleres."
CANCEL_NONE_OPEN = "Ingenting i bestillingen kan kanselleres lenger."
CANCEL_SENDING = "Kansellerer …"


def cancel_whole(kind: str, number: str, lab: str) -> str:
    return f"Hele {'henvisningen' if kind == 'henvisning' else 'rekvisisjonen'} {number} – {lab}"


def cancelled(n: int) -> str:
    return "Én analyse kansellert." if n == 1 else f"{n} analyser kansellert."


def cancel_sent(n: int) -> str:
    what = "én analyse" if n == 1 else f"{n} analyser"
    return f"Kansellering av {what} er sendt. Laboratoriet må bekrefte før det er kansellert."


ITEM_CANCEL_PENDING = "kansellering sendt – venter på laboratoriet"
#: A requisition message's ServType (Volven 7309), as the message list names it.
SERVICE_TYPE = {"N": "Ny", "A": "Tillegg", "C": "Kansellering", "M": "Endring"}


# correct and send again
CORRECT_TITLE = "Rett og send på nytt"
CORRECT_WHY = "Laboratoriet avviste fordi:"
CORRECT_PATIENT = "Pasientens fødselsnummer"
CORRECT_REQUESTER = "Rekvirentens HPR-nummer"
CORRECT_COMMENT = "Kommentar til laboratoriet"
CORRECT_OK = "Lagre og send"
CORRECT_BAD_HPR = "HPR-nummeret må være sifre."
CORRECT_NOT_REJECTED = "Bare en avvist bestilling kan rettes og sendes på nytt."
SEND_UNSENT_QUESTION = "Bestillingen er lagret, men ikke sendt til laboratoriet. Sende den nå?"
CORRECT_SENDING = "Lagrer rettingen og sender …"
CORRECT_DONE = "Rettet og sendt på nytt. Følg kvitteringene her."


# ---- draft autosave -------------------------------------------------------------------
def draft_restored(when: object, saved: bool = False) -> str:
    what = "lagret" if saved else "ulagret"
    return f"Gjenopprettet {what} bestilling fra {when:%d.%m.} kl. {when:%H:%M}"


def draft_dropped(codes: list[str]) -> str:
    return "Ikke lenger i katalogen, fjernet fra kurven: " + ", ".join(codes)


# ---- an unexpected error and a damaged local file (tui.crash) -----------------------------
LOCAL_FILE_TITLE = "Lokal datafil"


def crashed(report: object) -> str:
    return (
        "IHR stoppet på grunn av en uventet feil. Beklager!\n"
        "Utkast og usendte bestillinger lagres fortløpende på denne maskinen: start programmet på nytt.\n"
        f"En feilrapport uten personopplysninger er lagret i {report}. "
        "Gi den til den som drifter programmet hvis feilen kommer igjen."
    )


def crashed_no_report(reason: str) -> str:
    return (
        "IHR stoppet på grunn av en uventet feil. Beklager! Start programmet på nytt.\n"
        f"Feilrapporten kunne ikke lagres ({reason})."
    )


def group_stale(name: str) -> str:
    return (
        f"Gruppen «{name}» ble endret av noen andre mens du arbeidet, så endringen din er ikke lagret. "
        "Listen viser gruppen slik den er nå: gjør endringen på nytt."
    )


def outbox_quarantined(n: int, waiting: int) -> str:
    what = "1 usendt bestilling" if n == 1 else f"{n} usendte bestillinger"
    rest = f" {outbox_waiting(waiting)}" if waiting else ""
    return (
        f"{what} i utboksen kunne ikke leses og er lagt til side (ikke slettet). "
        f"Kontakt den som drifter programmet.{rest}"
    )

# ---- printing: the session's printer, the three outcomes, the print queue ------------------
STEP_UNCONFIRMED = "ikke bekreftet"
KEY_PRINT_ELSEWHERE = "Annen skriver"
KEY_PRINT_QUEUE = "Utskriftskø"
KEY_PAGE_DOWN = "Bla ned"
KEY_PAGE_UP = "Bla opp"
CMD_PRINT_QUEUE = ("Utskriftskø", "Etiketter som ikke er skrevet ut: prøv igjen, annen skriver, bekreft")


def print_target(printer: str, why: str) -> str:
    return f"Skriver: {printer} (valgt ut fra {why}) · Ctrl+O annen skriver · Ctrl+U utskriftskø"


def print_ok(n: int, printer: str) -> str:
    return f"{n} {'etikett' if n == 1 else 'etiketter'} skrevet ut på {printer}."


def print_confirmed(n: int, printer: str) -> str:
    return f"Bekreftet: {n} {'etikett' if n == 1 else 'etiketter'} skrevet ut på {printer}."


def print_failed_kept(message: str, again_key: str) -> str:
    return (f"Ikke skrevet ut: {message.rstrip('.')}. Etikettene ligger i utskriftskøen: "
            f"{again_key} prøver igjen, Ctrl+O sender dem til en annen skriver.")


def print_unconfirmed(printer: str) -> str:
    return f"Sendt til {printer}, men utskriften er ikke bekreftet. Kom etikettene ut?"


def print_unconfirmed_kept(printer: str, again_key: str) -> str:
    return (f"Sendt til {printer}, ikke bekreftet. Jobben ligger i utskriftskøen: {again_key} "
            f"spør igjen om etikettene kom ut.")



# did the labels come out?
PRINTED_TITLE = "Kom etikettene ut?"
PRINTED_YES = "Ja, de kom ut"
PRINTED_AGAIN = "Nei, skriv ut igjen"
PRINTED_OTHER = "Annen skriver"
PRINTED_LATER = "Senere"
PRINTED_HINT = ("J: etikettene kom ut (skrevet ut).  N: skriv ut igjen på samme skriver.  "
                "A: send dem til en annen skriver.  Esc: avgjør senere; jobben ligger i utskriftskøen.")

# choose a printer for one job
PRINTER_TITLE = "Velg skriver for denne jobben"
PRINTER_HINT = "↑/↓ og Enter velger. Tab: skriv en annen skriveradresse og trykk Enter."
PRINTER_ADDRESS = "tcp://vert:9100, cups://kø, file://mappe eller terminal:"
PRINTER_THIS_SESSION = "denne arbeidsstasjonen"


def printer_option(name: str, where: str | None) -> str:
    return f"{name}  ({where})" if where else name


# the print queue
QUEUE_TITLE = "Utskriftskø – etiketter som ikke er skrevet ut"
QUEUE_EMPTY = "Ingen etiketter venter. Alt som er sendt, er skrevet ut."
QUEUE_LOADING = "Leser utskriftskøen …"
QUEUE_STATES = {"waiting": "venter", "unconfirmed": "ikke bekreftet"}
QUEUE_RETRY = "Prøv igjen"
QUEUE_REDIRECT = "Annen skriver"
QUEUE_CONFIRM = "Kom ut"
QUEUE_DROP = "Fjern"
QUEUE_CLOSE = "Lukk"
QUEUE_ONLY_UNCONFIRMED = "Bare en jobb som er sendt uten bekreftelse kan bekreftes. Prøv igjen i stedet (F6)."
QUEUE_CONFIRM_DROP = "Fjerne jobben fra utskriftskøen uten å skrive den ut? Etikettene kan skrives ut på nytt fra bestillingen."
QUEUE_DROPPED = "Jobben er fjernet fra utskriftskøen."


def queue_row(job_id: int, labels: int, copies: int, state: str, printer: str, when: str, why: str | None) -> str:
    what = f"{labels} {'etikett' if labels == 1 else 'etiketter'}" + (f" × {copies}" if copies > 1 else "")
    return f"#{job_id}  {when}  {what}  {state}  – {printer}" + (f"\n     {why}" if why else "")


def print_queue_waiting(n: int) -> str:
    jobs = "én utskriftsjobb" if n == 1 else f"{n} utskriftsjobber"
    return f"Etiketter er ikke skrevet ut: {jobs} i utskriftskøen (Ctrl+U, eller Ctrl+P Utskriftskø)."


def print_done_in_queue(n: int, printer: str) -> str:
    return f"{n} {'etikett' if n == 1 else 'etiketter'} skrevet ut på {printer} (fra utskriftskøen)."


# ---- tubes: one numbering, collection per tube, the print guard (issue 11) -------------------
def tube_name(number: int, count: int) -> str:
    """'Rør 2/5': the number every screen and label gives a tube (`ihr.rules.tubes.numbered`)."""
    return f"Rør {number}/{count}"


COLLECT_TUBES = "Rør som er tatt nå (mellomrom velger/fjerner, ↑/↓ flytter)"
COLLECT_NONE_CHOSEN = "Velg minst ett rør som er tatt."
COLLECT_ALL_TAKEN = "Alle rørene er registrert som tatt."
COLLECT_NO_TUBES = "Bestillingen har ingen prøverør."
KEY_COLLECT_LATER = "Prøvetatt"
DETAIL_COLLECT_HINT = "Ctrl+T registrerer prøvetakingen av rør som ikke er tatt, når de kommer."
STEP_PARTIAL = "delvis prøvetatt"


def collected_some(n: int, when: str, who: str, missing: list[str]) -> str:
    """After a collection: what was registered, and what is still missing (if anything)."""
    done = f"Prøvetaking registrert for {n} rør, {when}, tatt av {who}."
    return f"{done} {partly_collected(missing)}" if missing else done


def partly_collected(missing: list[str]) -> str:
    return f"Delvis prøvetatt – mangler {', '.join(missing)}."


def sent_with_open_tubes(sent_text: str, missing: list[str]) -> str:
    """Sending with tubes not yet taken is allowed (they come later), but said."""
    return (f"{sent_text} Ikke tatt ennå: {', '.join(missing)}. Laboratoriet får røret senere; "
            "registrer tidspunktet i bestillingen (F10, Enter, Ctrl+T) når det kommer.")


def open_tube(tube: str, container: str) -> str:
    return f"{tube} ({container})"


def tube_taken(when: str, who: str | None) -> str:
    return f"tatt {when}" + (f" av {who}" if who else "")


def printed_before(when: str) -> str:
    """The print step of an order whose labels the print journal has as printed."""
    return f"Skrevet ut {when} (ifølge utskriftsjournalen)."


def print_again_question(when: str) -> str:
    return f"Etikettene er skrevet ut {when}. Skrive ut på nytt?"
