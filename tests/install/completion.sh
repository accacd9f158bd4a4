#!/usr/bin/env bash
# The bash completion (cli/completion/fsrace.bash) as bash calls it: the
# words on the line in COMP_WORDS, the cursor's in COMP_CWORD, the answer in
# COMPREPLY. The first word is the fsrace under test, which the script asks.
#   bash tests/install/completion.sh FSRACE   (from the source folder)
set -uo pipefail
fsrace=$1
source cli/completion/fsrace.bash
failures=0
complete -p fsrace | grep -q -- '-F _fsrace' || { echo "FAIL: sourcing does not register _fsrace for fsrace" >&2; failures=1; }

# expect "WANT" CWORD WORD...: COMPREPLY, space-separated, is WANT.
expect() {
  local want=$1 cword=$2
  shift 2
  COMP_WORDS=("$fsrace" "$@")
  COMP_CWORD=$cword
  COMPREPLY=()
  _fsrace
  local got="${COMPREPLY[*]}"
  if [[ $got != "$want" ]]; then
    echo "FAIL: fsrace $* (word $cword)" >&2
    echo "  expected: $want" >&2
    echo "  got:      $got" >&2
    failures=$((failures + 1))
  fi
}
# The last word is the one being completed.
at_end() { expect "$1" $(($# - 1)) "${@:2}"; }

spec=specs/generic-441.json
at_end "check verify report sweep replay simulate list" ""
at_end "check" ch
at_end "-h --help --version" -
# Options are each subcommand's own, --format's values too.
at_end "--smallest" check $spec --sm
at_end "--runs" simulate $spec --ru
at_end "--strict" replay counterexamples/generic-441/test_passes.json --st
at_end "text mail json mermaid dot html" check $spec --format ""
at_end "text json" verify $spec --format ""
at_end "mail mermaid" check $spec --format = m
# --fix: the spec's fixes, the ones it defines too, wherever the spec is on the line.
at_end "recheck_journal_error_before_triggers" check $spec --fix rech
expect "recheck_journal_error_before_triggers" 3 check --fix rech $spec
at_end "fsync_fails_at_entry_once_shut_down" check $spec --set fds=2 --fix fsync_fails_at
at_end "fsync_fails_at_entry_once_shut_down" simulate $spec --runs 10 --fix fsync_fails_at
at_end "settle_after_table_switch" replay counterexamples/generic-441/test_passes.json --spec $spec --fix settle_a
# Without a spec (or one that does not load), every model's fixes, which
# do not include a spec's own.
at_end "fsync_fails_once_shut_down" verify --fix fsync_fails_
at_end "fsync_fails_once_shut_down" check tests/bad-input/does-not-exist.json --fix fsync_fails_
# --property: the spec's properties, its conditions too.
at_end "reopen_fsync_never_erofs reopen_fsync_returns_0 reopen_fsync_returns_eio" check $spec --property reopen_
at_end "fsync_after_shutdown_consistent" verify $spec --require fsync_after_sh
at_end "fds=" check $spec --set fd
at_end "split_reclaim=" check $spec --cross-check-set spl
# --rate: the spec's actors and steps as KEY=; --scheduler: its named schedulers.
at_end "journal_reclaim= journal_reclaim_key_cache=" check $spec --rate journal_recl
at_end "reclaim_tenth" verify $spec --scheduler ""
at_end "vfs-as-eio vfs-errseq" list --model vfs
# sweep --rate: an actor or step; check --rate: the same as KEY=; --measure: test_fails or a property.
at_end "reclaim" sweep $spec --rate recl
at_end "reclaim=" check $spec --rate recl
at_end "reopen_fsync_never_erofs reopen_fsync_returns_0 reopen_fsync_returns_eio" sweep $spec --rate reclaim --measure reopen_
at_end "test_fails test_passes" sweep $spec --measure test_
# Files: a spec is a *.json file (or a folder on the way to one).
at_end "specs/generic-441-settle-reclaim-behind.json specs/generic-441-settle.json" check specs/generic-441-se
at_end "" check $spec --max-states ""

if ((failures > 0)); then
  echo "$failures completion(s) differ" >&2
  exit 1
fi
echo "completion: every case as expected"
