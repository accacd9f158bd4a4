#!/usr/bin/env bash
# `cmake --install` into a fresh prefix, and what a user then has: the binary
# runs, `man fsrace` renders with a section per subcommand and the exit
# status, the bash completion completes with the installed binary, the
# schemas and the docs are the source's.
#   bash tests/install/install.sh CMAKE BUILD_DIR MAN   (from the source folder; MAN: 1 if help2man was found)
set -uo pipefail
cmake=$1 build=$2 man_expected=$3
prefix=$build/install-test
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

rm -rf "$prefix"
if ! "$cmake" --install "$build" --prefix "$prefix" >"$build/install-test.log" 2>&1; then
  cat "$build/install-test.log" >&2
  echo "FAIL: cmake --install $build --prefix $prefix" >&2
  exit 1
fi

fsrace=$prefix/bin/fsrace
"$fsrace" --version | grep -Eq '^fsrace [0-9]+\.[0-9]+\.[0-9]+ ' || fail "$fsrace --version does not say fsrace VERSION"
mapfile -t subcommands < <("$fsrace" --help | sed -n '/^Subcommands:/,$s/^  \([a-z][a-z-]*\) .*/\1/p')
[[ "${subcommands[*]}" == "check verify report sweep replay simulate list" ]] || fail "fsrace --help lists the subcommands '${subcommands[*]}'"

page=$prefix/share/man/man1/fsrace.1
if [[ $man_expected != 1 ]]; then
  echo "note: help2man was not found when configuring: the man page is not checked (./scripts/dev test installs it)"
  [[ ! -e $page ]] || fail "$page is installed, though help2man was not found"
elif [[ ! -s $page ]]; then
  fail "$page is not installed"
else
  grep -q '^\.TH FSRACE "1"' "$page" || fail "$page has no .TH FSRACE \"1\""
  # groff reads it without a warning, and this is what man shows.
  warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1) || fail "groff cannot render $page"
  [[ -z $warnings ]] || fail "groff warns on $page: $warnings"
  text=$(MANWIDTH=80 MANPAGER=cat man -l "$page" 2>/dev/null || groff -man -Tutf8 -P -cbou "$page")
  for heading in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" FILES EXAMPLES "SEE ALSO"; do
    grep -q "^$heading\$" <<<"$text" || fail "the man page has no $heading section"
  done
  for subcommand in "${subcommands[@]}"; do
    upper=${subcommand^^}
    grep -q "^FSRACE $upper\$" <<<"$text" || fail "the man page has no section FSRACE $upper"
    grep -Eq "^ +fsrace $subcommand \[OPTIONS\]" <<<"$text" || fail "the man page's SYNOPSIS has no fsrace $subcommand"
    # Every option the subcommand's --help lists is in its section.
    section=$(sed -n "/^FSRACE $upper\$/,/^[A-Z]/p" <<<"$text")
    while read -r option; do
      grep -Eq -- "^ *(-[a-z], )?$option\b" <<<"$section" || fail "the man page's FSRACE $upper has no $option"
    done < <("$fsrace" "$subcommand" --help | grep -Eo '^  (-[a-z],)?--[a-z-]+' | sed 's/.*,//; s/^ *//')
  done
  for status in 0 1 2 3; do
    sed -n '/^EXIT STATUS$/,/^[A-Z]/p' <<<"$text" | grep -Eq "^ +$status +[a-z]" || fail "EXIT STATUS does not say what $status is"
  done
  grep -q 'here [0-9]' <<<"$text" && fail "the man page names the build machine's core count"
fi

completion=$prefix/share/bash-completion/completions/fsrace
if [[ ! -s $completion ]]; then
  fail "$completion is not installed"
else
  got=$(bash -c 'source "$1"; COMP_WORDS=("$2" check specs/generic-441.json --fix rech); COMP_CWORD=4; _fsrace; echo "${COMPREPLY[*]}"' \
    _ "$completion" "$fsrace")
  [[ $got == recheck_journal_error_before_triggers ]] || fail "the installed completion of --fix rech gives '$got'"
fi

for schema in docs/schema/*.json; do
  cmp -s "$schema" "$prefix/share/fsrace/schema/${schema##*/}" || fail "share/fsrace/schema/${schema##*/} is not $schema"
done
for doc in README.md docs/*.md docs/examples/report.png docs/examples/generic-441-fds2/test_passes.json; do
  installed=$prefix/share/doc/fsrace/${doc#docs/}
  cmp -s "$doc" "$installed" || fail "${installed#"$prefix"/} is not $doc"
done
[[ ! -e $prefix/share/doc/fsrace/schema ]] || fail "the schemas are in share/doc/fsrace too"

if ((failures > 0)); then
  echo "$failures failures; the installed tree is in $prefix" >&2
  exit 1
fi
rm -rf "$prefix"
echo "install: binary, man page, completion, schemas and docs in place"
