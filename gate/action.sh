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
node --import tsx gate/cli.ts ${args[@]+"${args[@]}"} "$@"
node --import tsx gate/github.ts "$GATE_REPORT"
