#!/usr/bin/env bash
# The HTML report in a real browser: Debian's chromium, headless, opens the
# report of specs/generic-441.json (with one fix, so the fix table is drawn
# too, and a sweep of reclaim's rate, so its picture is inline), and the page must render without a console error, with the lanes of
# every actor and both branches of the divergence in the DOM. The screenshot
# stays in the build folder (report.png) for a person to look at.
#   tests/report/browser.sh FSRACE BUILD_DIR     (run from the source root by ctest)
# A missing chromium is a failure, not a skip: ./scripts/dev test installs it.
set -euo pipefail
fsrace=$1
build=$2
report=$build/report.html

fail() {
  echo "report.browser: $*" >&2
  exit 1
}

browser=$(command -v chromium || true)
[ -n "$browser" ] || fail "chromium not found (expected Debian's chromium: ./scripts/dev test installs it, or apt-get install chromium)"

"$fsrace" report specs/generic-441.json --fix settle_after_table_switch --sweep reclaim --points 5 -o "$report" || fail "fsrace report exited with $?"

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# Root needs --no-sandbox; a fresh profile keeps runs apart. Console
# messages and uncaught errors go to stderr as ":CONSOLE" lines.
run() {
  timeout 60 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$profile" \
    --enable-logging=stderr --v=0 "$@" "file://$(realpath "$report")"
}
run --dump-dom >"$build/report-dom.html" 2>"$build/report-chromium.log" || fail "chromium --dump-dom failed (see $build/report-chromium.log)"
run --screenshot="$build/report.png" --window-size=1400,2000 >/dev/null 2>>"$build/report-chromium.log" ||
  fail "chromium --screenshot failed (see $build/report-chromium.log)"

dom=$build/report-dom.html
count() { grep -o -- "$1" "$dom" | wc -l; }
expect_at_least() {  # PATTERN N WHAT
  local n
  n=$(count "$1")
  [ "$n" -ge "$2" ] || fail "$3: found $n of $1 in $dom (expected at least $2)"
}

# The page's own hook counts errors, rejected promises and console.error calls.
grep -q 'data-console-errors="0"' "$dom" || fail "the page recorded console errors: $(grep -o 'data-console-errors="[0-9]*"' "$dom" || echo 'no hook ran')"
# The lanes script ran to its end, for one trace.
grep -q 'data-rendered="1"' "$dom" || fail "the lanes script did not finish (no data-rendered=\"1\" on <html>)"
if grep -E ':CONSOLE|Uncaught' "$build/report-chromium.log" >&2; then fail "chromium logged the console lines above"; fi

[ "$(count 'class="branch"')" -eq 2 ] || fail "expected both branches (2 of class=\"branch\"), found $(count 'class="branch"')"
expect_at_least '<svg class="lanes" data-branch="0"' 1 "this branch's lanes"
expect_at_least '<svg class="lanes" data-branch="1"' 1 "the other branch's lanes"
for actor in test writeback journal reclaim; do
  expect_at_least "class=\"lane\" data-actor=\"$actor\"" 2 "the $actor lane in both branches"
done
expect_at_least 'class="row step' 20 "step rows"
expect_at_least 'class="window"' 2 "the deciding window in both branches"
expect_at_least 'class="decision"' 2 "the decision line in both branches"
expect_at_least 'this branch → <code>reopen_fsync\[0\]=EIO</code>' 1 "where this branch ends"
expect_at_least 'the other branch → <code>reopen_fsync\[0\]=0</code>' 1 "where the other branch ends"
expect_at_least '<h2>State after step 87</h2>' 1 "the deciding state in the side panel"
expect_at_least 'class="seg pass"' 2 "passing end states in the bars"
expect_at_least '<svg xmlns="http://www.w3.org/2000/svg" class="sweep"' 1 "the sweep's picture"
[ "$(count 'class="sw-curve"')" -eq 2 ] || fail "expected the sweep's baseline and fix curves (2 of class=\"sw-curve\"), found $(count 'class="sw-curve"')"
[ -s "$build/report.png" ] || fail "no screenshot at $build/report.png"
echo "report.browser: ok ($report, screenshot $build/report.png)"
