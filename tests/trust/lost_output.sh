#!/usr/bin/env bash
# Class 4: a write that fails is an error (exit 2, the system's reason),
# never a silent success; files are replaced whole or not at all; an output
# that is also an input is refused.
source "$(dirname "$0")/lib.sh"
F=$(realpath "$1")
spec=specs/generic-441.json
small=(--set fds=1)
trace=counterexamples/generic-441/test_passes.json
# stdout on a full disk, and closed, for every command.
expect 2 '^fsrace: error: stdout: cannot write: No space left on device$' sh -c "exec \"$F\" check $spec ${small[*]} >/dev/full"
expect 2 '^fsrace: error: stdout: cannot write: No space left on device$' sh -c "exec \"$F\" list >/dev/full"
expect 2 '^fsrace: error: stdout: cannot write: No space left on device$' sh -c "exec \"$F\" replay $trace >/dev/full"
expect 2 '^fsrace: error: stdout: cannot write: No space left on device$' \
  sh -c "exec \"$F\" verify $spec ${small[*]} --fix settle_after_table_switch >/dev/full"
expect 2 '^fsrace: error: stdout: cannot write: Bad file descriptor$' sh -c "exec \"$F\" check $spec ${small[*]} >&-"
expect 2 '^fsrace: error: stdout: cannot write: Bad file descriptor$' sh -c "exec \"$F\" replay $trace >&-"
# A reader that goes away: EPIPE is reported, not a silent death by SIGPIPE.
"$F" check $spec --format json 2>"$work/pipe.err" | head -c1 >/dev/null
rc=${PIPESTATUS[0]}
check "a closed pipe: exit 2 (got $rc)" test "$rc" -eq 2
check "a closed pipe: the reason on stderr" grep -q '^fsrace: error: stdout: cannot write: Broken pipe$' "$work/pipe.err"
# --json to this process's own stdout (/dev/stdout) appends to the shell's
# redirection, never replaces the file behind it.
echo first-line >"$work/log"
expect 0 '' sh -c "exec \"$F\" check $spec ${small[*]} --format json --json /dev/stdout >>\"$work/log\""
check "/dev/stdout: the earlier line is kept" grep -qx first-line "$work/log"
check "/dev/stdout: the result is appended twice (stdout and --json)" test "$(grep -c '"format": "fsrace.result/1"' "$work/log")" -eq 2
# A link planted inside the counterexample folder does not lead outside it.
mkdir -p "$work/cex" "$work/outside"
echo victim >"$work/outside/victim"
ln -s ../outside/victim "$work/cex/test_passes.json"
expect 0 '' "$F" check $spec "${small[@]}" --write-counterexamples "$work/cex"
check "the file outside is untouched" grep -qx victim "$work/outside/victim"
check "the link was replaced by the file" test ! -L "$work/cex/test_passes.json"
# --json naming a counterexample file of the same run.
expect 2 '^fsrace: error: --json .*test_passes.json: is also the counterexample file' \
  "$F" check $spec "${small[@]}" --write-counterexamples "$work/cex" --json "$work/cex/test_passes.json"
# A name under /dev (what the shell opened, 3>>log) is appended to in place.
echo first-line >"$work/log3"
expect 0 '' sh -c "exec \"$F\" check $spec ${small[*]} --json /dev/fd/3 3>>\"$work/log3\" >/dev/null"
check "/dev/fd/3: the earlier line is kept" grep -qx first-line "$work/log3"
check "/dev/fd/3: the result is appended" grep -q '"format": "fsrace.result/1"' "$work/log3"
# A regular file reached through /proc (or on /dev/shm) is a file like any
# other: replaced whole, never appended to.
echo '{"old": 1}' >"$work/through-proc.json"
expect 0 '' sh -c "cd \"$work\" && exec \"$F\" check \"$PWD/$spec\" ${small[*]} --json /proc/self/cwd/through-proc.json >/dev/null"
check "through /proc: one valid document, the old content gone" python3 -c "import json; json.load(open('$work/through-proc.json'))['format']"
# An output folder that does not exist is refused before the run, not after.
expect 2 '^fsrace: error: --json .*/no-such-folder/r.json: its folder .* does not exist' "$F" check $spec "${small[@]}" --json "$work/no-such-folder/r.json"
# A link to a closed stdout leads nowhere: refused, and the link is left as it was.
ln -s /proc/self/fd/1 "$work/mystdout"
expect 2 'mystdout: is a link to nothing' sh -c "exec \"$F\" check $spec ${small[*]} --json \"$work/mystdout\" >&-"
check "the link is still a link" test -L "$work/mystdout"
# A FIFO without a reader is an error, not a wait; one planted in the
# counterexample folder is replaced.
mkfifo "$work/fifo"
expect 2 'fifo: cannot write: a FIFO with no reader' timeout 10 "$F" check $spec "${small[@]}" --json "$work/fifo"
mkdir -p "$work/cex-fifo"
mkfifo "$work/cex-fifo/test_passes.json"
expect 0 '' timeout 10 "$F" check $spec "${small[@]}" --write-counterexamples "$work/cex-fifo"
check "the planted FIFO was replaced by the file" test -f "$work/cex-fifo/test_passes.json"
# A --json link that leads to a counterexample file of the same run.
mkdir -p "$work/cex-link"
ln -s "$work/cex-link/test_passes.json" "$work/jlink"
expect 2 'jlink: is also the counterexample file' "$F" check $spec "${small[@]}" --write-counterexamples "$work/cex-link" --json "$work/jlink"
check "the counterexample file holds the counterexample" grep -q '"format": "fsrace.counterexample/1"' "$work/cex-link/test_passes.json"
# --json to a device is written in place (not replaced by a file).
expect 2 '^fsrace: error: /dev/full: cannot write: No space left on device$' "$F" check $spec "${small[@]}" --json /dev/full
check "/dev/full is still a character device" test -c /dev/full
# A file size limit (ulimit -f, in 512-byte blocks): the write fails with
# EFBIG and the previous file is left as it was.
echo previous >"$work/out.json"
expect 2 'out.json: cannot write: File too large \(the previous file, if any, is unchanged\)$' \
  bash -c "ulimit -f 8; exec \"$F\" check $spec ${small[*]} --json \"$work/out.json\""
check "the previous --json file is intact after a failed write" grep -qx previous "$work/out.json"
check "no temporary file is left behind" test "$(ls -A "$work" | grep -c fsrace-)" -eq 0
# A read-only folder, as an unprivileged user (root ignores the mode bits).
# The binary and the spec are copied where that user can reach them: the
# checkout may sit under a folder only root can enter.
mkdir -p "$work/ro"
chmod 555 "$work/ro"
cp "$F" "$work/fsrace"
cp $spec "$work/spec.json"
chmod 755 "$work/fsrace"
chmod 644 "$work/spec.json"
as_user=()
[ "$(id -u)" -eq 0 ] && as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
expect 2 'ro/out.json: cannot write: Permission denied' "${as_user[@]}" "$work/fsrace" check "$work/spec.json" "${small[@]}" --json "$work/ro/out.json"
expect 2 'ro/cex: cannot create the folder: Permission denied' "${as_user[@]}" "$work/fsrace" check "$work/spec.json" "${small[@]}" \
  --write-counterexamples "$work/ro/cex"
# An output path that is an input: the spec, a spec it extends, through a link.
cp $spec "$work/base.json"
echo '{"format": "fsrace.spec/1", "extends": "base.json", "name": "child"}' >"$work/child.json"
cp "$work/base.json" "$work/base.before"
expect 2 '^fsrace: error: --json .*base.json: is the input .*base.json' "$F" check "$work/base.json" "${small[@]}" --json "$work/base.json"
expect 2 '^fsrace: error: --json .*base.json: is the input .*base.json' "$F" check "$work/child.json" "${small[@]}" --json "$work/base.json"
ln -s base.json "$work/link.json"
expect 2 'is the input' "$F" check "$work/base.json" "${small[@]}" --json "$work/link.json"
expect 2 'is the input' "$F" verify "$work/base.json" "${small[@]}" --fix settle_after_table_switch --json "$work/link.json"
check "the spec is untouched" cmp -s "$work/base.json" "$work/base.before"
# A successful write replaces the file whole, keeps its mode, and leaves a link a link.
echo old >"$work/target.json"
chmod 640 "$work/target.json"
ln -s target.json "$work/out-link.json"
expect 0 '' "$F" check $spec "${small[@]}" --json "$work/out-link.json"
check "the link is still a link" test -L "$work/out-link.json"
check "its target holds the result" grep -q '"format": "fsrace.result/1"' "$work/target.json"
check "its target keeps mode 640" test "$(stat -c %a "$work/target.json")" = 640
finish
