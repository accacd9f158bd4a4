# Helpers for the trust tests: each runs the real fsrace against a real
# hostile environment (a FIFO, /dev/full, a read-only folder, a signal).
# Usage in a test: source lib.sh; FSRACE=path; expect CODE REGEX -- ARGS...
set -u
failures=0
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT

# expect CODE STDERR_REGEX CMD...: the command exits CODE and its stderr is
# one line matching STDERR_REGEX (empty: anything).
expect() {
  local code=$1 pattern=$2
  shift 2
  "$@" >"$work/stdout" 2>"$work/stderr"
  local rc=$?
  local lines
  lines=$(wc -l <"$work/stderr")
  if [ "$rc" -ne "$code" ]; then
    echo "FAIL: $*: exit $rc, expected $code"; cat "$work/stderr"; failures=$((failures + 1)); return
  fi
  if [ -n "$pattern" ] && { [ "$lines" -ne 1 ] || ! grep -Eq "$pattern" "$work/stderr"; }; then
    echo "FAIL: $*: stderr is not one line matching '$pattern':"; cat "$work/stderr"; failures=$((failures + 1)); return
  fi
  echo "ok: $*"
}

check() {  # check DESCRIPTION CONDITION...
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); return 1; fi
}

finish() {
  if [ "$failures" -ne 0 ]; then echo "$failures failures"; exit 1; fi
  echo "all passed"
}
