#!/usr/bin/env bash
# docs/schema/spec.schema.json and the loader agree on every spec file of the
# suite: a standard validator (python3-jsonschema's command, which
# ./scripts/dev test installs; FSRACE_PYTHON picks another python) and
# fsrace accept every spec in specs/, tests/, bench/ and the examples of
# docs/spec.md, and refuse every spec in tests/bad-input/, but for those
# listed below, which need more than one file can show.
# usage: tests/spec_schema.sh FSRACE (from the source root)
F=$1
source "$(dirname "$0")/script_lib.sh"

python=$(python_with_jsonschema) || { echo "$python"; exit 1; }
base="file://$PWD/docs/schema/"
judge() { "$python" -W ignore -m jsonschema --base-uri "$base" -i "$1" docs/schema/spec.schema.json 2>&1; }
# The loader's verdict: 2 is a refusal; a run is kept to one state.
loads() { "$F" check "$1" --max-states 1 > /dev/null 2> "$work/loader.err"; [ $? -ne 2 ]; }

# Refused by the loader for what one file cannot show a schema: each with why.
declare -A beyond_schema=(
  [closed-fd]="whether an fd is open at an operation depends on the operations before it"
  [open-twice]="whether an fd is open at an operation depends on the operations before it"
  [duplicate-label]="labels must differ once loops and repeats have expanded them"
  [duplicate-property]="uniqueItems compares whole properties, not their names"
  [duplicate-key]="a validator sees the parsed document, in which one of the two keys is gone"
  [condition-unknown-result]="the lines a program prints come from its own messages, fds and the model's errnos"
  [property-does-not-apply]="whether the program has an fsync after the switch back is a matter of its operations"
  [more-files-than-processes]="a limit on two parameters together (inodes <= processes)"
  [too-many-fds-over-processes]="a limit on two parameters together (fds * processes <= 32)"
  [quiesce-with-reclaim-behind]="a fix that contradicts a parameter, which may come from another file or --fix"
  [unknown-fix]="a fix may be one the spec, or a spec it extends, defines"
  [upstream-code-as-fix]="a fix may be one the spec, or a spec it extends, defines"
  [race-unknown-property]="race names a property, which must be one of the spec's (or its base's)"
  [extends-missing]="the spec it extends is another file"
  [extends-self]="the spec it extends is another file"
  [scheduler-unknown-step]="a rate's key is an actor or a step of the spec's model"
)
# Not JSON a validator can read: its parser refuses them before any schema.
declare -A not_json=(
  [binary]="not UTF-8"
  [empty]="no JSON value"
  [truncated]="cut short"
  [trailing-garbage]="text after the value"
  [trailing-nul]="a NUL byte and text after the value"
  [number-overflow]="malformed (a fuzzer's finding)"
  [deep-nesting]="50,000 nested arrays: Python's parser gives up (RecursionError)"
)

for stem in "${!beyond_schema[@]}" "${!not_json[@]}"; do
  [ -f "tests/bad-input/$stem.json" ] || fail "tests/bad-input/$stem.json is listed here but does not exist"
done

# Every invalid spec: refused by the loader (exit 2), and by the schema unless listed.
for f in tests/bad-input/*.json; do
  stem=$(basename "$f" .json)
  case $stem in trace-*) continue ;; esac  # counterexamples for replay, not specs
  loads "$f" && fail "$f: fsrace accepts it"
  out=$(judge "$f" | tr -d '\0') && verdict=accepted || verdict=refused
  if [ -n "${not_json[$stem]:-}" ]; then
    [ $verdict = refused ] || fail "$f: the validator reads it as JSON (${not_json[$stem]})"
  elif [ -n "${beyond_schema[$stem]:-}" ]; then
    [ $verdict = accepted ] || fail "$f is listed as beyond the schema (${beyond_schema[$stem]}), but the schema refuses it: drop it from the list
$(printf '%s' "$out" | head -3)"
  elif [ $verdict = accepted ]; then
    fail "$f: fsrace refuses it ($(cat "$work/loader.err")), the schema accepts it"
  elif printf '%s' "$out" | grep -q 'Failed to parse\|Traceback'; then
    fail "$f: the validator could not read it, so the schema said nothing: $(printf '%s' "$out" | tail -1)"
  fi
done

# Every valid spec of the suite: accepted by both. The examples of
# docs/spec.md sit beside copies of specs/, which they may extend.
mkdir -p "$work/doc"
cp specs/*.json "$work/doc/"
"$python" - "$work/doc" << 'EOF' || fail "could not read the examples of docs/spec.md"
import json, re, sys
text = open("docs/spec.md").read()
n = 0
for block in re.findall(r"```json\n(.*?)```", text, re.S):
    if '"format": "fsrace.spec/1"' in block:
        n += 1
        open(f"{sys.argv[1]}/doc-example-{n}.json", "w").write(block)
sys.exit(0 if n else 1)
EOF
# Specs of the suite the loader refuses today, each with why; the test fails
# once it accepts one, so that the note goes with the fix.
declare -A known_refused=()
valid=()
for f in specs/*.json bench/*.json $(find tests -name '*.json' -not -path 'tests/bad-input/*') "$work"/doc/doc-example-*.json; do
  grep -q '"format": *"fsrace.spec/1"' "$f" && valid+=("$f")
done
[ ${#valid[@]} -ge 10 ] || fail "only ${#valid[@]} specs found"
for f in "${valid[@]}"; do
  if [ -n "${known_refused[$f]:-}" ]; then
    loads "$f" && fail "$f: fsrace accepts it now: drop it from known_refused"
    echo "note: $f: fsrace refuses it: ${known_refused[$f]}"
  else
    loads "$f" || fail "$f: fsrace refuses it: $(cat "$work/loader.err")"
  fi
  out=$(judge "$f") || fail "$f: the schema refuses it: $(printf '%s' "$out" | head -3)"
done
[ $status -eq 0 ] && echo "ok: the schema and fsrace agree on ${#valid[@]} specs of the suite (${#known_refused[@]} known refused) and every invalid one (${python})"
exit $status
