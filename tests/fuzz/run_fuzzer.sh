#!/usr/bin/env bash
# Runs one libFuzzer target for ctest with a fixed seed, so that a finding in
# CI can be replayed here with the same command, and prints what matters when
# it fails: ctest keeps only the head of a long output, and libFuzzer's
# thousands of progress lines would push the finding itself out of it.
#   run_fuzzer.sh FUZZER ARTIFACT_DIR [libFuzzer arguments and corpus dirs]
set -uo pipefail
fuzzer=$1
artifacts=$2
shift 2
mkdir -p "$artifacts"
rm -f "$artifacts"/crash-* "$artifacts"/oom-* "$artifacts"/timeout-* "$artifacts"/leak-*  # earlier runs' findings
log="$artifacts/$(basename "$fuzzer").log"
"$fuzzer" -artifact_prefix="$artifacts/" "$@" >"$log" 2>&1
status=$?
if [ "$status" = 0 ]; then
  grep -E '^(stat::|Done )' "$log"
  exit 0
fi
echo "run_fuzzer: $(basename "$fuzzer") exited with status $status; the finding:"
# The report starts at the first sanitizer or libFuzzer error line.
awk '/^==[0-9]+==|deadly signal|^ERROR: libFuzzer|uncaught exception|terminate called/ {on = 1} on' "$log" | head -80
echo "run_fuzzer: last lines of $log:"
tail -15 "$log"
for unit in "$artifacts"/crash-* "$artifacts"/oom-* "$artifacts"/timeout-* "$artifacts"/leak-*; do
  [ -f "$unit" ] || continue
  echo "run_fuzzer: input $unit ($(stat -c %s "$unit") bytes), base64, first 4 KiB:"
  head -c 4096 "$unit" | base64 -w 100
done
exit 1
