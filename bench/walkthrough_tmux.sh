#!/usr/bin/env bash
# A walk-through of `ihr demo` in tmux, as a person at the desk would do it, at 120x36
# (256 colours) and again at 80x24 (16 colours, TEXTUAL_COLOR_SYSTEM=standard): keys go in with
# send-keys, a paste with paste-buffer -p (bracketed, as a terminal pastes), and each screen is
# captured with capture-pane into one transcript per size.
#
# The walk: three services (P-CRP, S-hCG, Rtg thorax), groups, the guided questions (a choice by
# its letter; a clinical date typed as a future date, as 1.12.26 and as "i går", each with the
# date it was understood as; a problem statement of two lines; the modality statement; a comment
# of three lines pasted; clinical information of two lines typed: Enter breaks the line, Tab moves
# on), the review, Ctrl+L (the lab chosen), F6 save, F8 before the labels are printed (asks J/N),
# F7 print, F8 collect, F9 send, the worklist and the order detail; then what the lab got (the
# text fields of the sent messages, read from the sandbox's store). The 80x24 transcript goes on
# with --no-context: a fødselsnummer typed as a scanner would, a comment of three lines pasted, and
# the basket with its comment back after a restart.
#
# Waits: every step waits for the screen to change and settle, or for a named text, with a
# generous bound (the machine may be loaded); no fixed sleeps between steps.
# Usage: bash bench/walkthrough_tmux.sh [OUTDIR]   (default tests/tui/walkthrough; writes
#        transcript.txt for 120x36 and transcript-80x24.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
OUTDIR=${1:-tests/tui/walkthrough}
mkdir -p "$OUTDIR"
BOUND=${WALK_BOUND:-120}   # seconds any one wait may take before the walk gives up
SESSION=""
OUT=""
SESSIONS=()
cleanup() { for s in "${SESSIONS[@]}"; do tmux kill-session -t "$s" 2>/dev/null || true; done; }
trap cleanup EXIT

cap() { tmux capture-pane -p -t "$SESSION"; }
capc() { tmux capture-pane -e -p -t "$SESSION"; }  # with colours: a focus move shows here
fail() { { echo "=== WALK STOPPED: $1"; cap; } >> "$OUT"; echo "walk stopped: $1 (see $OUT)" >&2; exit 1; }

# settle: wait until two captures 0.4 s apart are the same (the screen has stopped changing)
settle() {
  local prev now end=$((SECONDS + BOUND))
  prev=$(cap)
  while :; do
    sleep 0.4; now=$(cap)
    [[ "$now" == "$prev" ]] && return 0
    prev=$now
    ((SECONDS < end)) || fail "the screen did not settle"
  done
}
# wait_for TEXT: wait until TEXT (fixed string) is on the screen, then until it settles
wait_for() {
  local end=$((SECONDS + BOUND))
  until cap | grep -qF -- "$1"; do
    ((SECONDS < end)) || fail "'$1' did not appear within ${BOUND}s"
    sleep 0.3
  done
  settle
}
# wait_gone TEXT: wait until TEXT is no longer on the screen
wait_gone() {
  local end=$((SECONDS + BOUND))
  while cap | grep -qF -- "$1"; do
    ((SECONDS < end)) || fail "'$1' stayed on the screen for ${BOUND}s"
    sleep 0.3
  done
  settle
}
# keys ARGS...: send keys, then wait until the screen has changed (text or colours: Tab moves
# only the focus) and its text has settled
keys() {
  local before end=$((SECONDS + BOUND))
  before=$(capc)
  tmux send-keys -t "$SESSION" "$@"
  until [[ "$(capc)" != "$before" ]]; do
    ((SECONDS < end)) || fail "nothing changed on the screen after: $*"
    sleep 0.2
  done
  settle
}
# paste TEXT: a bracketed paste (tmux paste-buffer -p; newlines go in as a terminal sends them)
paste() {
  local before end=$((SECONDS + BOUND))
  before=$(cap)
  printf '%s' "$1" | tmux load-buffer -b "walk-$$" -
  tmux paste-buffer -p -d -b "walk-$$" -t "$SESSION"
  until [[ "$(cap)" != "$before" ]]; do
    ((SECONDS < end)) || fail "nothing changed on the screen after the paste"
    sleep 0.2
  done
  settle
}
snap() { { echo "=== $1"; cap; echo; } >> "$OUT"; }  # snap "what was done"
start() {  # start NAME W H ENV ARGS: ihr demo in a new tmux session
  SESSION=$1; SESSIONS+=("$1")
  tmux new-session -d -s "$SESSION" -x "$2" -y "$3" \
    "$4 uv run ihr demo $5; echo 'ihr avsluttet'; sleep 60"
}

# what the lab got: the text fields of every message the sandbox received, line breaks shown as ⏎
lab_got() {  # lab_got DATA
  echo "=== what the lab got: the free-text fields of the sent messages (sandbox store; line break = ⏎)"
  uv run python - "$1/sandkasse.sqlite3" <<'PY'
import json, sqlite3, sys
import xml.etree.ElementTree as ET
db = sqlite3.connect(sys.argv[1])
for (body,) in db.execute("SELECT json FROM messages ORDER BY seq"):
    m = json.loads(body)
    fields = []
    for el in ET.fromstring(m["xml"]).iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag in ("ReqComment", "Description", "TextResultValue"):
            # a line break the secretary typed travels as an XHTML <br/> (or a newline): shown as ⏎
            lines = [el.text or ""] + [c.tail or "" for c in el]
            fields.append(f"  {tag}: " + "⏎".join(x.strip().replace("\n", "⏎") for x in lines))
    if fields:
        print(f"{m['msg_type']} ({m['direction']}):")
        print("\n".join(fields))
PY
  echo
}

walk() {  # walk W H ENV OUTFILE
  local W=$1 H=$2 ENV=$3 DATA
  OUT=$4; : > "$OUT"
  DATA=$(mktemp -d -t ihr-walk-XXXX)
  start "ihr-walk-${W}x${H}-$$" "$W" "$H" "$ENV" "--data-dir $DATA"
  wait_for "Rekvirent:"; wait_gone "Henter katalogen"; wait_for "treff"
  snap "${W}x${H}: ihr demo: the demo patient and requester from the EPJ context, catalog loaded"
  keys -l "crp";            snap "typed 'crp' in the search field"
  keys Enter; wait_for "1 analyse"; snap "Enter: P-CRP into the basket"
  keys -l "hcg"; keys Enter; wait_for "2 analyser"; snap "'hcg' + Enter: S-hCG into the basket"
  keys -l "rtg thorax"; keys Enter; wait_for "Rtg thorax lagt i kurven"
  snap "'rtg thorax' + Enter: a radiology referral, a second requisition"
  keys F6;                  snap "F6: groups"
  keys Escape;              snap "Esc: back"
  keys F4; wait_for "påkrevd"; snap "F4: the guided questions, with what is missing"
  keys -l "n";              snap "gravid: Nei (the letter n answers the choice)"
  keys Tab; keys -l "1.1.30"; snap "Tab to the date field (first day of last menstruation), '1.1.30' typed: a date in the future"
  keys C-u; keys -l "1.12.26"; wait_for "Forstått"; snap "Ctrl+U clears it; '1.12.26' typed: 'Forstått: …' under the field"
  keys C-u; keys -l "i går"; wait_for "(i går)"; snap "Ctrl+U; 'i går' typed: understood as yesterday's date"
  keys Tab; keys -l "Langvarig hoste"; keys Enter; keys -l "Rtg for 2 år siden var normal"
  snap "Tab to the problemstilling: two lines typed (Enter breaks the line)"
  keys Tab; keys -l "j";    snap "Tab to the modality statement (asked on every imaging referral): j answers Ja"
  keys Tab
  paste $'Hoste i 3 uker.\nCRP 45 hos oss 01.12.\nAllergi: penicillin'
  snap "Tab to the comment; three lines pasted (bracketed paste): all three kept"
  keys Tab; keys -l "Feber til 39 siste uke."; keys Enter; keys -l "Bruker metformin 500 mg x 2."
  snap "Tab to Kliniske opplysninger: two lines typed"
  keys F5; wait_for "F9  Send"; snap "F5: review: the answers, the comment and the clinical information, every line"
  keys PageDown;            snap "PageDown: the rest of the review"
  if ((H < 30)); then keys PageDown; snap "PageDown again: the tubes"; fi
  keys PageUp
  keys C-l; wait_for "Velg laboratorium"; snap "Ctrl+L: the lab for the lab requisition, nearest in the office's region first"
  keys Down;                snap "Down: the second lab highlighted"
  keys Enter; wait_gone "Velg laboratorium"; snap "Enter: the requisition goes to the chosen lab"
  keys F6; wait_for "Lagret:"; snap "F6: saved (requisition numbers and specimen ids allocated)"
  keys F8; wait_for "(J)"; snap "F8 before the labels are printed: asks J/N"
  keys -l "n"; wait_gone "(J)"; snap "N: collection not registered, the screen says to print first"
  keys F7; wait_for "skrevet ut på"; snap "F7: labels printed to the file spool"
  keys F8; wait_for "Tatt av"; snap "F8: collection dialog (tubes, time, who)"
  keys Enter; wait_for "registrert for"; snap "Enter: collection registered"
  keys F9; wait_for "Sendt:"; snap "F9: sent"
  keys F10; wait_for "Enter"; snap "F10: the worklist"
  keys Enter; wait_for "Svar og kommentar"; snap "Enter: the order detail: the texts as stored"
  keys PageDown;            snap "PageDown: the rest of the order detail"
  if ((H < 30)); then keys PageDown; snap "PageDown again: the timeline and the messages"; fi
  keys C-q; wait_for "ihr avsluttet"; snap "Ctrl+Q: quit; the demo names the label spool"
  echo "=== labels: $(find "$DATA"/etiketter -name '*.zpl' 2>/dev/null | wc -l) .zpl file(s) in the demo's etiketter folder" >> "$OUT"
  lab_got "$DATA" >> "$OUT"
  tmux kill-session -t "$SESSION" 2>/dev/null || true
}

walk 120 36 "TERM=xterm-256color" "$OUTDIR/transcript.txt"
echo "transcript: $OUTDIR/transcript.txt"
walk 80 24 "TERM=xterm TEXTUAL_COLOR_SYSTEM=standard" "$OUTDIR/transcript-80x24.txt"

# Then at 80x24, 16 colours, no patient context: a fødselsnummer typed as a scanner would (fast,
# then Enter) opens the patient; a comment of three lines is pasted; the basket is left unsent
# and is back, with the comment whole, after a restart.
DATA2=$(mktemp -d -t ihr-walk16-XXXX)
FNR=$(uv run python -c "from sandbox.seed.people import DEMO_PATIENT_ID; print(DEMO_PATIENT_ID)")
start "ihr-walk16-$$" 80 24 "TERM=xterm TEXTUAL_COLOR_SYSTEM=standard" "--no-context --data-dir $DATA2"
wait_for "Fødselsnummer eller navn"
snap "80x24, 16 colours: ihr demo --no-context opens on the patient search"
keys -l "12345678901"; keys Enter; wait_for "Kontrollsifrene"; snap "a wrong fødselsnummer typed + Enter: the Norwegian message"
keys C-u; tmux send-keys -t "$SESSION" -l "$FNR"; keys Enter; wait_for "Kurv"; wait_gone "Henter katalogen"
snap "Ctrl+U, the demo patient's fødselsnummer typed fast + Enter: the order builder"
keys -l "crp"; keys Enter; wait_for "1 analyse"; snap "crp + Enter"
keys F4; wait_for "Kliniske opplysninger"; snap "F4: P-CRP asks nothing; the form's first field has the focus"
paste $'Hoste i 3 uker.\nCRP 45 hos oss 01.12.\nAllergi: penicillin'
snap "three lines pasted (bracketed) into the focused field"
keys F5; wait_for "F9"; snap "F5: review at 80x24"
tmux capture-pane -e -p -t "$SESSION" > "$DATA2/pane-ansi.txt"
wide=$(grep -c -E $'\e\\[[0-9;]*(38|48);[25];' "$DATA2/pane-ansi.txt" || true)
echo "=== 16-colour check: lines with 256-colour or truecolour SGR codes on the 80x24 screen: ${wide}" >> "$OUT"
keys C-q; wait_for "(J)"; snap "Ctrl+Q with an unsent basket: the quit dialog promises it comes back"
tmux send-keys -t "$SESSION" j; wait_for "ihr avsluttet"
tmux kill-session -t "$SESSION" 2>/dev/null || true

# The same demo folder again, as the next morning: the basket and its texts are back.
start "ihr-walk-again-$$" 80 24 "TERM=xterm TEXTUAL_COLOR_SYSTEM=standard" "--no-context --data-dir $DATA2"
wait_for "Fødselsnummer eller navn"
tmux send-keys -t "$SESSION" -l "$FNR"; keys Enter; wait_for "1 analyse"; wait_gone "Henter katalogen"
snap "ihr demo started again, the same patient opened: the basket is back"
keys F5; wait_for "F9"; snap "F5: the review: the pasted comment is back, all three lines"
keys C-q; wait_for "(J)"; tmux send-keys -t "$SESSION" j; wait_for "ihr avsluttet"
echo "transcript: $OUTDIR/transcript-80x24.txt"
