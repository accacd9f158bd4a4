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
# 2. generic/441 scaling: fsrace check specs/generic-441.json over fds =
#    1, 2, 4, 8, 10, 16, 32 on 1 and 2 threads: states, median seconds,
#    bytes/state.
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
echo "generic/441 (specs/generic-441.json, mode simple), fsrace check --set fds=N, medians of $RUNS runs:"
printf '  %4s %10s %12s %14s %14s %12s\n' fds states transitions "s (1 thread)" "s (2 threads)" bytes/state
for fds in 1 2 4 8 10 16 32; do
  for threads in 1 2; do
    : > "$work/g$threads"
    for i in $(seq "$RUNS"); do
      /usr/bin/time -f "rss_kib %M" -o "$work/g_time" "$BUILD_DIR/cli/fsrace" check specs/generic-441.json \
        --set "fds=$fds" --threads "$threads" --format json > "$work/g.json" || [ $? = 1 ]
      python3 - "$work/g.json" "$work/g_time" >> "$work/g$threads" <<'EOF'
import json, sys
stats = json.load(open(sys.argv[1]))["stats"]
rss = int(open(sys.argv[2]).read().split()[1])
print(stats["states"], stats["transitions"], stats["seconds"], rss * 1024 / stats["states"])
EOF
    done
  done
  printf '  %4s %10s %12s %14s %14s %12s\n' "$fds" "$(awk 'NR==1{print $1}' "$work/g1")" "$(awk 'NR==1{print $2}' "$work/g1")" \
    "$(awk '{print $3}' "$work/g1" | median)" "$(awk '{print $3}' "$work/g2" | median)" \
    "$(awk '{printf "%.0f\n", $4}' "$work/g1" | median)"
done
