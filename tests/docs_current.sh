#!/usr/bin/env bash
# docs/examples/ is what the tool prints now: scripts/render-examples run
# into a temporary folder (pictures skipped) gives the same files, the text's
# timing line and the build that wrote the documents aside (their spec
# digests are compared); and the mail trace quoted in docs/formats.md is the
# tool's. usage: tests/docs_current.sh FSRACE (from the source root)
set -uo pipefail
F=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
FSRACE=$F FSRACE_EXAMPLES_TEXT_ONLY=1 scripts/render-examples "$work/examples" || { echo "FAIL: render-examples"; exit 1; }
status=0
# A text's timing line, and a document's provenance (the build that wrote it), aside.
untimed() {
  case $1 in
    *.json) python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for key in ("fsrace", "commit", "dirty"):  # the build; the spec digests are compared
    d.get("provenance", {}).pop(key, None)
print(json.dumps(d, indent=2, sort_keys=True))' "$1" ;;
    *) grep -v '^explored \|states/s' "$1" ;;
  esac
}
for f in "$work"/examples/*.txt "$work"/examples/*.mmd "$work"/examples/*.dot "$work"/examples/generic-441-fds2/*.json; do
  rel=${f#"$work/examples/"}
  if ! diff -q <(untimed "$f") <(untimed "docs/examples/$rel") > /dev/null; then
    echo "FAIL: docs/examples/$rel is not what the tool prints now (run scripts/render-examples and review the diff)"
    diff <(untimed "docs/examples/$rel") <(untimed "$f") | head -10
    status=1
  fi
done
# The block docs/formats.md quotes between its mail markers is in the mail text.
quoted=$(sed -n '/^<!-- mail trace: begin -->$/,/^<!-- mail trace: end -->$/p' docs/formats.md | sed '1,2d;$d' | sed '$d')
if [ -z "$quoted" ]; then
  echo "FAIL: docs/formats.md has no mail trace between its markers"
  status=1
elif ! python3 -c 'import sys; sys.exit(0 if open(sys.argv[1]).read() in open(sys.argv[2]).read() else 1)' \
       <(printf '%s\n' "$quoted") "$work/examples/generic-441-mail.txt"; then
  echo "FAIL: the mail trace docs/formats.md quotes is not the tool's (copy it from docs/examples/generic-441-mail.txt)"
  status=1
fi
[ $status = 0 ] && echo "ok: docs/examples and the quoted mail trace are current"
exit $status
