#!/usr/bin/env bash
# The composite action's gate step (action.yml), runnable as it is on any machine: runs the gate, then
# writes the job summary, the annotations and the step outputs (verdict, exit-code) from gate.json.
# The step itself always succeeds; the action's last step exits with the gate's code.
set -uo pipefail
workspace="${GITHUB_WORKSPACE:-$PWD}"
cd "$(dirname "$0")/.."
if [ -n "${SITE_DIR:-}" ] && [ "${SITE_DIR#/}" = "$SITE_DIR" ]; then export SITE_DIR="$workspace/$SITE_DIR"; fi
export GATE_REPORT="${GATE_REPORT:-$PWD/gate-report/gate.json}"
args=()
if [ -n "${GATE_SHARD:-}" ]; then args+=(--shard "$GATE_SHARD"); export GATE_BLOB=1; fi
# Cancelling a job interrupts this shell (GitHub: SIGINT, then SIGTERM), which would wait for node and
# swallow it: hand it on to the gate, which stops its checks and reports a harness fault, and wait for
# the gate to end (a signal cuts `wait` short) before writing the summary. No report from an earlier
# run may stand in for this one's.
rm -f "$GATE_REPORT"
gate=
trap '[ -n "$gate" ] && kill -INT "$gate" 2>/dev/null' INT TERM
node --import tsx gate/cli.ts ${args[@]+"${args[@]}"} "$@" &
gate=$!
while kill -0 "$gate" 2>/dev/null; do wait "$gate"; done
trap - INT TERM
node --import tsx gate/github.ts "$GATE_REPORT"
