#!/usr/bin/env bash
# The composite action's gate step (action.yml): the installed package's CLI, from the workspace, so the
# site folder and gate-report/ are the workspace's. On GitHub Actions the CLI itself writes the job
# summary, the annotations and the step outputs (verdict, exit-code), whatever the run's end. `exec`
# makes the gate the step's process: cancelling the job interrupts the gate itself, which reports a
# harness fault, never a verdict.
set -euo pipefail
cd "${GITHUB_WORKSPACE:-$PWD}"
args=()
if [ -n "${MERGE:-}" ]; then args+=(--merge "$MERGE"); fi
if [ -n "${GATE_SHARD:-}" ]; then args+=(--shard "$GATE_SHARD"); fi
exec node "${ATTRIBUTION_GATE:?is set by the install step of action.yml to the installed attribution-gate}" ${args[@]+"${args[@]}"} "$@"
