#!/usr/bin/env bash
# A walk-through of `ihr demo --epj` in tmux at 120x36: the journal (EPJ) hands over a FHIR
# launch bundle for the demo patient (synthetic: a recent eGFR, metformin, type 2 diabetes),
# the secretary orders a CT thorax with contrast, the eGFR question is answered from the
# journal and marked so, and she only confirms; the order goes back to the journal as a FHIR
# transaction Bundle (the demo's epj-retur folder). Each screen is captured into one transcript.
# Usage: bash bench/walkthrough_epj_tmux.sh [OUT]   (default tests/tui/walkthrough/epj.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-tests/tui/walkthrough/epj.txt}
SESSION=ihr-walk-epj-$$
DATA=$(mktemp -d -t ihr-walk-epj-XXXX)
mkdir -p "$(dirname "$OUT")"
: > "$OUT"

snap() {  # snap "what was done"
  sleep "${2:-1.2}"
  { echo "=== $1"; tmux capture-pane -p -t "$SESSION"; echo; } >> "$OUT"
}
keys() { tmux send-keys -t "$SESSION" "$@"; sleep 0.25; }  # a person: a beat between key groups

tmux new-session -d -s "$SESSION" -x 120 -y 36 "TERM=xterm-256color uv run ihr demo --epj --data-dir $DATA; echo 'ihr avsluttet'; sleep 30"
trap 'tmux kill-session -t "$SESSION" 2>/dev/null || true' EXIT
sleep 12
{ echo "=== the launch bundle ihr demo --epj wrote and read ($DATA/epj-oppstart.json, $(stat -c %a "$DATA/epj-oppstart.json")): resources"
  uv run python -c "import json,sys; b=json.load(open(sys.argv[1])); print(', '.join(e['resource']['resourceType'] for e in b['entry']))" "$DATA/epj-oppstart.json"
  echo; } >> "$OUT"
snap "ihr demo --epj: the patient, the requester and the office from the FHIR launch bundle" 0
keys -l "ct thorax"; keys Enter; snap "'ct thorax' + Enter: CT thorax med kontrast into the basket"
keys F4;                  snap "F4: the guided questions: eGFR and its date answered from the journal, marked 'fra journalen, dd.mm.åååå'"
keys -l "Lungeemboli?";   snap "the problem statement typed (the one thing the journal cannot know)"
keys Tab; keys Tab; keys Tab; keys Tab; keys -l "j"; snap "Tab past the journal's answers (confirmed as they are) to the modality statement: j"
keys F5;                  snap "F5: the review shows the eGFR and its date 'fra journalen'"
keys F6;                  snap "F6: saved; the order handed back to the journal" 2
keys F9;                  snap "F9: sent; handed back again" 2
keys F10;                 snap "F10: the worklist" 2
keys Enter;               snap "Enter: the order detail marks the answers from the journal too" 2
keys C-q;                 snap "Ctrl+Q: quit; the demo names the folder the journal reads" 3
{ echo "=== what the journal got back ($DATA/epj-retur), read with fhir.resources"
  for f in "$DATA"/epj-retur/*.json; do
    uv run python -c "
import sys
from ihr.epj.returned import read_returned
r = read_returned(open(sys.argv[1], 'rb').read())
print(f'{sys.argv[1].rsplit(\"/\", 1)[-1]}: order {r.order_id}, requisitions {sorted(r.requisition_numbers)}, '
      + ', '.join(f'{i.code} {i.status} -> HER {i.performer_her_id}' for i in r.items))
" "$f"
  done; } >> "$OUT"
tmux kill-session -t "$SESSION" 2>/dev/null || true
echo "transcript: $OUT"
