#!/usr/bin/env bash
# fsrace and SPIN side by side, in one run, on the same machine.
#
#   bench/run.sh            # RUNS=5 by default; results on stdout
#
# 1. The throughput grid (8 counters mod 8: 16,777,216 states): fsrace on 1
#    and 2 threads, SPIN (Debian's spin, its fastest exhaustive safety
#    search: depth-first, no claim, a 2^25-slot hash table). Per tool the
#    median over RUNS runs of distinct states/s and of bytes/state (peak RSS
#    from GNU time / states), and the ratios.
# 2. generic/441, fsrace and SPIN: specs/generic-441.json against its Promela
#    transcription bench/generic441.pml (one d_step per model step), over
#    fds = 1, 2, 4, 8, 10, 16, 32: both state counts (they must be equal; the
#    script fails if not), fsrace's seconds on 1 and 2 threads, SPIN's
#    seconds, states/s on one core and the ratio, bytes/state.
# 3. Scaling with processes = 1, 2, 3 (one fd each, one file, then one file
#    each) and the reductions: states and median seconds without reductions,
#    with --symmetry, --por and both, on the spec's own properties and on
#    tests/reductions/two-files-outcomes.json's outcome properties.
# docs/bench.md quotes a run of this script, with the machine it ran on.
# Needs: spin, gcc, GNU time (Debian: spin, time); builds fsrace if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
BUILD_DIR=${FSRACE_BUILD_DIR:-build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in spin gcc /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install spin gcc time)" >&2; exit 2; }
done
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" --target grid_bench fsrace >/dev/null

cp bench/grid.pml "$work/"
(cd "$work" && spin -a grid.pml && gcc -O3 -DSAFETY -DNOFAIR -DMEMLIM=20000 -o pan pan.c)

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(lscpu | awk -F: '/Model name/{gsub(/^ +/, "", $2); print $2; exit}')"
echo "spin: $(spin -V | head -1)"
echo "runs: $RUNS, alternating tools within each run"

for i in $(seq "$RUNS"); do
  for threads in 1 2; do
    /usr/bin/time -f "rss_kib %M" -o "$work/fs_time" "$BUILD_DIR/bench/grid_bench" "$threads" > "$work/fs_out"
    states=$(awk '/^states /{print $2}' "$work/fs_out")
    secs=$(awk '/^seconds /{print $2}' "$work/fs_out")
    rss=$(awk '/^rss_kib /{print $2}' "$work/fs_time")
    echo "$states $secs $rss" >> "$work/fsrace$threads.runs"
  done
  (cd "$work" && /usr/bin/time -f "rss_kib %M" -o spin_time ./pan -m20000000 -w25 > spin_out 2>&1)
  sstates=$(awk '/states, stored/{print $1; exit}' "$work/spin_out")
  ssecs=$(awk '/elapsed time/{print $4; exit}' "$work/spin_out")
  srss=$(awk '/^rss_kib /{print $2}' "$work/spin_time")
  echo "$sstates $ssecs $srss" >> "$work/spin.runs"
done

rate() { awk '{printf "%.0f\n", $1 / $2}' "$1" | median; }
bytes() { awk '{printf "%.2f\n", $3 * 1024 / $1}' "$1" | median; }
fs1=$(rate "$work/fsrace1.runs"); fs2=$(rate "$work/fsrace2.runs"); sp=$(rate "$work/spin.runs")
echo
echo "grid (8 counters mod 8), medians of $RUNS runs:"
printf '  %-18s %10s %16s %12s\n' tool states states/s bytes/state
printf '  %-18s %10s %16s %12s\n' "fsrace, 1 thread" "$(awk 'NR==1{print $1}' "$work/fsrace1.runs")" "$fs1" "$(bytes "$work/fsrace1.runs")"
printf '  %-18s %10s %16s %12s\n' "fsrace, 2 threads" "$(awk 'NR==1{print $1}' "$work/fsrace2.runs")" "$fs2" "$(bytes "$work/fsrace2.runs")"
printf '  %-18s %10s %16s %12s\n' "spin" "$(awk 'NR==1{print $1}' "$work/spin.runs")" "$sp" "$(bytes "$work/spin.runs")"
awk -v a="$fs1" -v b="$fs2" -v s="$sp" 'BEGIN {
  printf "  fsrace 1 thread / spin: %.2fx states/s\n", a / s
  printf "  fsrace 2 threads / 1 thread: %.2fx\n", b / a }'
echo "  raw runs (states seconds peak_rss_kib):"
for f in fsrace1 fsrace2 spin; do sed "s/^/    $f /" "$work/$f.runs"; done

echo
echo "generic/441: fsrace and SPIN (bench/generic441.pml) exploring the same model, medians of $RUNS runs."
echo "fsrace runs bench/generic-441-explore.json (no property: SPIN checks none either); 'spec 1t s' is"
echo "specs/generic-441.json with its 13 properties, outcomes and traces (the explorer's seconds):"
printf '  %4s %9s %9s %10s %9s %9s %9s %11s %11s %7s %10s %7s %7s\n' fds states spin_st transitions "1t s" "2t s" "spin s" \
  "fsrace st/s" "spin st/s" ratio "spec 1t s" "fs B/st" "sp B/st"
cp bench/generic441.pml "$work/"
fsrun() {  # fsrace check with extra args; prints: states transitions seconds rss_kib
  /usr/bin/time -f "rss_kib %M" -o "$work/g_time" "$BUILD_DIR/cli/fsrace" check "$@" --format json > "$work/g.json" || [ $? = 1 ]
  python3 - "$work/g.json" "$work/g_time" <<'EOF2'
import json, sys
result = json.load(open(sys.argv[1]))
stats = result["stats"]
words = open(sys.argv[2]).read().split()
rss = int(words[words.index("rss_kib") + 1])  # GNU time puts "Command exited with non-zero status 1" first
print(stats["states"], stats["transitions"], result["timing"]["seconds"], rss)
EOF2
}
for fds in 1 2 4 8 10 16 32; do
  w=$(awk -v n="$fds" 'BEGIN { w = 14; while (2 ^ w < 40000 * n * n) w++; print w }')
  (cd "$work" && spin -DN="$fds" -a generic441.pml >/dev/null && gcc -O3 -DSAFETY -DNOFAIR -DMEMLIM=20000 -w -o pan441 pan.c)
  : > "$work/g1"; : > "$work/g2"; : > "$work/gs"; : > "$work/gf"
  for i in $(seq "$RUNS"); do
    fsrun bench/generic-441-explore.json --set "fds=$fds" --threads 1 >> "$work/g1"
    fsrun bench/generic-441-explore.json --set "fds=$fds" --threads 2 >> "$work/g2"
    fsrun specs/generic-441.json --set "fds=$fds" --threads 1 >> "$work/gf"
    (cd "$work" && /usr/bin/time -f "rss_kib %M" -o spin_time ./pan441 -m100000 -w"$w" > spin_out 2>&1)
    echo "$(awk '/states, stored/{print $1; exit}' "$work/spin_out") $(awk '/elapsed time/{print $4; exit}' "$work/spin_out") $(awk '/^rss_kib /{print $2}' "$work/spin_time")" >> "$work/gs"
  done
  states=$(awk 'NR==1{print $1}' "$work/g1"); sstates=$(awk 'NR==1{print $1}' "$work/gs")
  [ "$states" = "$sstates" ] || { echo "bench: fds=$fds: fsrace stores $states states, SPIN $sstates" >&2; exit 1; }
  t1=$(awk '{print $3}' "$work/g1" | median); t2=$(awk '{print $3}' "$work/g2" | median)
  ts=$(awk '{print $2}' "$work/gs" | median); tf=$(awk '{print $3}' "$work/gf" | median)
  r1=$(awk '{printf "%.0f\n", $1 / $3}' "$work/g1" | median); rs=$(awk '{printf "%.0f\n", $1 / ($2 > 0 ? $2 : 0.001)}' "$work/gs" | median)
  b1=$(awk '{printf "%.0f\n", $4 * 1024 / $1}' "$work/g1" | median); bs=$(awk '{printf "%.0f\n", $3 * 1024 / $1}' "$work/gs" | median)
  printf '  %4s %9s %9s %10s %9.4f %9.4f %9.3f %11s %11s %7s %10.4f %7s %7s\n' "$fds" "$states" "$sstates" \
    "$(awk 'NR==1{print $2}' "$work/g1")" "$t1" "$t2" "$ts" "$r1" "$rs" "$(awk -v a="$r1" -v b="$rs" 'BEGIN { printf "%.2fx", a / b }')" \
    "$tf" "$b1" "$bs"
done
echo "  (SPIN prints its elapsed time to 1/100 s at best: below 0.1 s its states/s is coarse)"
echo "  (B/st: peak RSS / states, so small runs are dominated by the fixed cost of each program)"

echo
echo "scaling with processes and reductions (fds=1 per process), median seconds of $RUNS runs:"
printf '  %-44s %-24s %12s %10s\n' scenario reductions states seconds
scale() {  # label, then fsrace check arguments without reduction flags
  local label=$1; shift
  for red in none --symmetry --por "--symmetry --por"; do
    local flags=(); [ "$red" = none ] || flags=($red)
    : > "$work/sc"
    for i in $(seq "$RUNS"); do fsrun "$@" "${flags[@]}" >> "$work/sc"; done
    printf '  %-44s %-24s %12s %10s\n' "$label" "$red" "$(awk 'NR==1{print $1}' "$work/sc")" "$(awk '{print $3}' "$work/sc" | median)"
  done
}
for procs in 1 2 3; do
  scale "generic-441, $procs process(es), one file" specs/generic-441.json --set fds=1 --set "processes=$procs"
done
scale "generic-441, 2 processes, a file each" specs/generic-441.json --set fds=1 --set processes=2 --set inodes=2
scale "outcomes only, 2 processes, a file each" tests/reductions/two-files-outcomes.json
scale "outcomes only, 3 processes, one file" tests/reductions/two-files-outcomes.json --set processes=3 --set inodes=1
