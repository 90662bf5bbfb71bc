#!/usr/bin/env bash
# A walk-through of `ihr demo` in tmux at 120x36, as a person at the desk would do it:
# keys go in with send-keys, each screen is captured with capture-pane into one transcript.
# Usage: bash bench/walkthrough_tmux.sh [OUT]   (default tests/tui/walkthrough/transcript.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-tests/tui/walkthrough/transcript.txt}
SESSION=ihr-walk-$$
DATA=$(mktemp -d -t ihr-walk-XXXX)
mkdir -p "$(dirname "$OUT")"
: > "$OUT"

snap() {  # snap "what was done"
  sleep "${2:-1.2}"
  { echo "=== $1"; tmux capture-pane -p -t "$SESSION"; echo; } >> "$OUT"
}
keys() { tmux send-keys -t "$SESSION" "$@"; sleep 0.25; }  # a person: a beat between key groups

tmux new-session -d -s "$SESSION" -x 120 -y 36 "TERM=xterm-256color uv run ihr demo --data-dir $DATA; echo 'ihr avsluttet'; sleep 30"
trap 'tmux kill-session -t "$SESSION" 2>/dev/null || true' EXIT
sleep 6
snap "ihr demo: the demo patient and requester from the EPJ context, catalog loaded" 0
keys -l "crp";            snap "typed 'crp' in the search field"
keys Enter;               snap "Enter: P-CRP into the basket"
keys -l "hcg"; keys Enter; snap "'hcg' + Enter: S-hCG into the basket"
keys -l "rtg thorax"; keys Enter; snap "'rtg thorax' + Enter: a radiology referral, a second requisition"
keys F6;                  snap "F6: groups"
keys Escape;              snap "Esc: back"
keys F4;                  snap "F4: the guided questions, with what is missing"
keys -l "n";              snap "gravid: Nei (the letter n answers the choice)"
keys Tab; keys -l "i går"; snap "Tab to the date field, 'i går' typed: the Norwegian validation message"
keys C-u; keys Tab; keys -l "Langvarig hoste"; snap "Ctrl+U clears it; Tab to the problemstilling, typed"
keys Tab; keys -l "j";    snap "Tab to the modality statement (asked on every imaging referral): j answers Ja"
keys F5;                  snap "F5: review"
keys F6;                  snap "F6: saved (requisition numbers and specimen ids allocated)" 2
keys F7;                  snap "F7: labels printed to the file spool" 2
keys F8;                  snap "F8: collection dialog (now, who)"
keys Enter;               snap "Enter: collection registered" 2
keys F9;                  snap "F9: sent" 2
keys C-q;                 snap "Ctrl+Q: quit; the demo names the label spool" 3
echo "labels: $(ls "$DATA"/etiketter/*.zpl 2>/dev/null | wc -l) .zpl file(s) in $DATA/etiketter"
tmux kill-session -t "$SESSION" 2>/dev/null || true

# Second pass: 80x24, 16 colours (TEXTUAL_COLOR_SYSTEM=standard), no patient context:
# a fødselsnummer typed as a scanner would (fast, then Enter) opens the patient.
SESSION=ihr-walk16-$$
DATA2=$(mktemp -d -t ihr-walk16-XXXX)
tmux new-session -d -s "$SESSION" -x 80 -y 24 "TERM=xterm TEXTUAL_COLOR_SYSTEM=standard uv run ihr demo --no-context --data-dir $DATA2; sleep 30"
sleep 6
snap "80x24, 16 colours: ihr demo --no-context opens on the patient search" 0
FNR=$(uv run python -c "from sandbox.seed.people import DEMO_PATIENT_ID; print(DEMO_PATIENT_ID)")
keys -l "12345678901"; keys Enter; snap "a wrong fødselsnummer typed + Enter: the Norwegian message"
keys C-u; keys -l "$FNR"; keys Enter; snap "the demo patient's fødselsnummer + Enter: the order builder"
keys -l "crp"; keys Enter; snap "crp + Enter"
keys F5; snap "F5: review at 80x24"
tmux capture-pane -e -p -t "$SESSION" > "$DATA2/pane-ansi.txt"
wide=$(grep -c -E $'\e\\[[0-9;]*(38|48);[25];' "$DATA2/pane-ansi.txt" || true)
echo "=== 16-colour check: lines with 256-colour or truecolour SGR codes on the 80x24 screen: ${wide}" >> "$OUT"
keys C-q; snap "Ctrl+Q with an unsent basket: the quit dialog promises it comes back" 1
keys j; sleep 2
tmux kill-session -t "$SESSION" 2>/dev/null || true

# Third pass: the same demo folder again, as the next morning: the basket is back.
SESSION=ihr-walk-again-$$
tmux new-session -d -s "$SESSION" -x 80 -y 24 "TERM=xterm TEXTUAL_COLOR_SYSTEM=standard uv run ihr demo --no-context --data-dir $DATA2; sleep 30"
sleep 6
keys -l "$FNR"; keys Enter; snap "ihr demo started again, the same patient opened: the basket and the answers are back" 2
keys C-q; sleep 1; keys j; sleep 2
echo "transcript: $OUT"
