#!/usr/bin/env bash
# Every kind of document fsrace writes validates against its schema in
# docs/schema/ with a standard validator (python3-jsonschema's command, which
# ./scripts/dev test installs), resolving $ref as plain relative URIs: each
# schema's $id is its file name. And two runs of the same command write the
# same JSON outside `timing`.
# usage: tests/documents_schema.sh FSRACE (from the source root)
F=$1
source "$(dirname "$0")/script_lib.sh"

python=$(python_with_jsonschema) || { echo "$python"; exit 1; }
base="file://$PWD/docs/schema/"
validate() {  # SCHEMA FILE...: every file conforms
  local schema=$1
  shift
  local args=()
  for f in "$@"; do args+=(-i "$f"); done
  if ! out=$("$python" -W ignore -m jsonschema --base-uri "$base" "${args[@]}" "docs/schema/$schema.schema.json" 2>&1); then
    fail "$schema: $(printf "%s" "$out" | tail -3 | cut -c1-400)"
  fi
}

# Results: every spec, an incomplete run, --smallest, and a run under a fix.
results=()
for spec in specs/*.json tests/reductions/*.json; do
  out="$work/result-$(basename "$spec")"
  "$F" check "$spec" --format json > "$out"
  [ $? -le 1 ] || fail "check $spec did not run to a result"
  results+=("$out")
done
"$F" check specs/generic-441.json --max-states 100 --format json > "$work/incomplete.json"
"$F" check specs/generic-441.json --set fds=2 --smallest --format json > "$work/smallest.json"
"$F" check specs/generic-441.json --set fds=2 --fix recheck_journal_error_before_triggers --format json > "$work/fixed.json"
validate result "${results[@]}" "$work/incomplete.json" "$work/smallest.json" "$work/fixed.json"

# Counterexamples written on their own, with their provenance.
"$F" check specs/generic-441.json --set fds=2 --write-counterexamples "$work/ce" > /dev/null
validate counterexample "$work"/ce/*.json counterexamples/*/*.json

"$F" verify specs/generic-441.json --set fds=3 --format json > "$work/verify.json"
validate verify "$work/verify.json"
# Sweeps: complete, with a fix set the model refuses, and stopped at a limit.
"$F" sweep specs/generic-441.json --set fds=2 --rate reclaim --points 3 --fix recheck_journal_error_before_triggers \
  --format json > "$work/sweep.json"
"$F" sweep specs/generic-441.json --set fds=2 --set reclaim_before_switch=false --rate reclaim --points 2 \
  --fix settle_before_table_switch --measure 'reopen_fsync[0]=0' --format json > "$work/sweep-skipped.json"
"$F" sweep specs/generic-441.json --rate reclaim --points 2 --max-states 100 --format json > "$work/sweep-stopped.json"
validate sweep "$work/sweep.json" "$work/sweep-skipped.json" "$work/sweep-stopped.json"
"$F" list --format json > "$work/list.json"
"$F" list --spec specs/generic-441.json --format json > "$work/list-spec.json"
validate list "$work/list.json" "$work/list-spec.json"
"$F" check specs/generic-441.json --set fds=2 --cross-check --format json > "$work/cross.json"
"$F" check specs/generic-441.json --cross-check-set fds=2 --format json > "$work/cross-set.json"
validate cross_check "$work/cross.json" "$work/cross-set.json"

# Simulations, with their traces, and those traces written on their own.
"$F" simulate specs/generic-441.json --set fds=2 --runs 500 --format json --write-counterexamples "$work/sim-ce" > "$work/simulation.json"
"$F" simulate specs/vfs-errseq-generic-441.json --runs 200 --format json > "$work/simulation-vfs.json"
validate simulation "$work/simulation.json" "$work/simulation-vfs.json"
validate counterexample "$work"/sim-ce/*.json

# The validator does judge: a document without its provenance is refused.
"$python" -c 'import json, sys; d = json.load(open(sys.argv[1])); del d["provenance"]; json.dump(d, open(sys.argv[2], "w"))' \
  "$work/verify.json" "$work/broken.json"
if "$python" -W ignore -m jsonschema --base-uri "$base" -i "$work/broken.json" docs/schema/verify.schema.json > /dev/null 2>&1; then
  fail "the validator accepted a verify document without its provenance"
fi

# Twice the same command: the same JSON outside `timing`.
untimed() { "$python" -c 'import json, sys; d = json.load(open(sys.argv[1])); d.pop("timing", None); print(json.dumps(d, indent=2, sort_keys=True))' "$1"; }
twice() {  # NAME ARGS...
  local name=$1
  shift
  "$F" "$@" > "$work/$name.1"
  "$F" "$@" > "$work/$name.2"
  cmp -s <(untimed "$work/$name.1") <(untimed "$work/$name.2") || fail "two runs of fsrace $* differ outside timing"
  cmp -s "$work/$name.1" "$work/$name.2" && fail "two runs of fsrace $* are identical even in timing: is it measured?"
}
twice check check specs/generic-441.json --format json
twice verify verify specs/generic-441.json --set fds=3 --format json
twice sweep sweep specs/generic-441.json --set fds=2 --rate reclaim --points 3 --format json
twice simulate simulate specs/generic-441.json --set fds=2 --runs 2000 --format json
twice cross check specs/generic-441.json --set fds=2 --cross-check --format json
[ $status -eq 0 ] && echo "ok: every document conforms to its schema (${python}), and runs repeat outside timing"
exit $status
