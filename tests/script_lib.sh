# Shared by the suite's shell tests (source it): a scratch folder removed on
# exit, FAIL lines that set the exit status, and the python that has
# jsonschema (Debian's first: ./scripts/dev test installs python3-jsonschema;
# FSRACE_PYTHON picks another).
set -uo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }
python_with_jsonschema() {
  local candidate
  for candidate in ${FSRACE_PYTHON:-} /usr/bin/python3 python3; do
    if "$candidate" -c 'import jsonschema' 2> /dev/null; then echo "$candidate"; return 0; fi
  done
  echo "FAIL: no python3 with jsonschema (./scripts/dev test installs python3-jsonschema)"
  return 1
}
