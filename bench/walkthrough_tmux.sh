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
keys() { tmux send-keys -t "$SESSION" "$@"; }

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
keys Enter; sleep 0.5; keys Down Down Enter; snap "gravid: Nei (Select with Enter, arrows, Enter)"
keys Tab; keys -l "Langvarig hoste"; snap "Tab to the problemstilling, typed"
keys F5;                  snap "F5: review"
keys F6;                  snap "F6: saved (requisition numbers and specimen ids allocated)" 2
keys F7;                  snap "F7: labels printed to the file spool" 2
keys F8;                  snap "F8: collection dialog (now, who)"
keys Enter;               snap "Enter: collection registered" 2
keys F9;                  snap "F9: sent" 2
keys C-q;                 snap "Ctrl+Q: quit; the demo names the label spool" 3
echo "transcript: $OUT"
echo "labels: $(ls "$DATA"/etiketter/*.zpl 2>/dev/null | wc -l) .zpl file(s) in $DATA/etiketter"
