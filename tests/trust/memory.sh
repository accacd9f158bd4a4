#!/usr/bin/env bash
# Class 9: without --max-memory, a run too big for the memory it may use
# stops as incomplete (exit 3) with its partial results, before the kernel
# would refuse it memory or kill it. The limit here is an address-space
# limit (ulimit -v), which the default limit is derived from like
# MemAvailable and the cgroup's memory.max.
source "$(dirname "$0")/lib.sh"
F=$1
# 38 million states of 228 bytes: about 8.6 GB, far more than 800 MB.
bash -c "ulimit -v 800000; exec \"$F\" check specs/generic-441.json --set processes=2 --set fds=4 --width 200 --json \"$work/r.json\"" \
  >"$work/stdout" 2>"$work/stderr"
rc=$?
check "exit 3 (got $rc)" test $rc -eq 3
check "the partial results say max_memory" grep -q '"stopped_by": "max_memory"' "$work/r.json"
check "the JSON says where the limit came from" grep -q '"memory_limit_from": "3/4 of the [0-9]* MiB available, per RLIMIT_AS"' "$work/r.json"
check "stderr says the run stopped at the memory limit" grep -q 'stopped at the memory limit of [0-9]* MiB' "$work/stderr"
check "the text says INCOMPLETE" grep -q 'INCOMPLETE (stopped by max_memory' "$work/stdout"
finish
