# bash completion for fsrace(1).
# Installed as share/bash-completion/completions/fsrace; without installing:
#   source cli/completion/fsrace.bash
#
# Everything offered comes from the fsrace being completed (the command as
# typed, else the one on PATH), so it cannot drift from the binary:
#   - subcommands, options and --format's values from `fsrace [SUBCOMMAND] --help`;
#   - names from `fsrace list --names KIND [--spec SPEC]`, a hidden option that
#     prints one name a line (KIND: models, fixes, properties, parameters, rates,
#     schedulers):
#     --fix, --property and --require offer the fixes and properties of the spec on the
#     command line (every model's if there is none, or it does not load),
#     --set and --cross-check-set its parameters as KEY=, --model the models;
#     sweep's --rate and report's --sweep the actors and steps a rate is for,
#     check's, verify's and report's --rate the same as KEY=, sweep's
#     --measure test_fails and the properties, --scheduler the spec's named
#     schedulers.
# Spec, trace and --json arguments complete as *.json files, -o as *.html, --svg as *.svg.
# Needs bash alone: no bash-completion helpers, jq or python.

# A word as typed, ~/ not yet expanded: the path it names.
_fsrace_path() {
  # shellcheck disable=SC2088 # the literal ~ of the word is what is matched
  if [[ $1 == "~/"* ]]; then printf '%s\n' "$HOME/${1#"~/"}"; else printf '%s\n' "$1"; fi
}

# The fsrace to ask: the command being completed if it runs, else PATH's.
_fsrace_command() {
  local command
  command=$(_fsrace_path "${COMP_WORDS[0]}")
  if ! command -v -- "$command" >/dev/null 2>&1; then command=fsrace; fi
  printf '%s\n' "$command"
}

# Reads `fsrace [SUBCOMMAND] --help` into _fsrace_options (every option),
# _fsrace_value_options (those that take a value), _fsrace_formats (the
# values --format accepts), _fsrace_subcommands and _fsrace_positional (1 if
# the subcommand takes a file argument).
_fsrace_read_help() {
  local command=$1 subcommand=$2 line section=""
  local option_re='^ +((-[a-zA-Z]),)?(--[a-z][a-z-]*)( ([A-Z]+)(:\{([^}]*)\})?[^ ]*)?( |$)'
  _fsrace_options=() _fsrace_value_options=() _fsrace_formats=() _fsrace_subcommands=() _fsrace_positional=0
  while IFS= read -r line; do
    case $line in
      Positionals:) _fsrace_positional=1 section=positionals; continue ;;
      Options:) section=options; continue ;;
      Subcommands:) section=subcommands; continue ;;
    esac
    if [[ $section == subcommands && $line =~ ^\ +([a-z][a-z-]*)(\ |$) ]]; then
      _fsrace_subcommands+=("${BASH_REMATCH[1]}")
    elif [[ $section == options && $line =~ $option_re ]]; then
      local short=${BASH_REMATCH[2]} long=${BASH_REMATCH[3]} type=${BASH_REMATCH[5]}
      _fsrace_options+=(${short:+"$short"} "$long")
      [[ -n $type ]] && _fsrace_value_options+=(${short:+"$short"} "$long")
      [[ $long == --format && -n ${BASH_REMATCH[7]} ]] && IFS=, read -ra _fsrace_formats <<<"${BASH_REMATCH[7]}"
    fi
  done < <("$command" ${subcommand:+"$subcommand"} --help 2>/dev/null)
}

_fsrace_takes_value() {
  local option
  for option in "${_fsrace_value_options[@]}"; do [[ $1 == "$option" ]] && return 0; done
  return 1
}

# The subcommand's file argument and --spec on the command line (not the
# word being completed), into _fsrace_file and _fsrace_spec_option. A word
# "=" is where bash split KEY=VALUE or --option=value.
_fsrace_scan() {
  local i=$1 word
  _fsrace_file="" _fsrace_spec_option=""
  while ((i < ${#COMP_WORDS[@]})); do
    word=${COMP_WORDS[i]}
    if ((i == COMP_CWORD)); then
      ((i += 1))
    elif [[ $word == "=" ]]; then
      ((i += 2))
    elif _fsrace_takes_value "$word"; then
      [[ $word == --spec ]] && ((i + 1 != COMP_CWORD)) && _fsrace_spec_option=${COMP_WORDS[i + 1]}
      if [[ ${COMP_WORDS[i + 1]:-} == "=" ]]; then ((i += 3)); else ((i += 2)); fi
    elif [[ $word == -* ]]; then
      ((i += 1))
    else
      [[ -z $_fsrace_file ]] && _fsrace_file=$word
      ((i += 1))
    fi
  done
}

# `fsrace list --names KIND` for the spec given, else for every model.
_fsrace_names() {
  local command=$1 kind=$2 spec names
  spec=$(_fsrace_path "$3")
  if [[ -n $spec && -r $spec ]] && names=$("$command" list --spec "$spec" --names "$kind" 2>/dev/null); then
    printf '%s\n' "$names"
    return
  fi
  "$command" list --names "$kind" 2>/dev/null
}

# COMPREPLY: the words of `$1` (one a line) that start with $cur.
_fsrace_reply() {
  local name
  COMPREPLY=()
  while IFS= read -r name; do
    if [[ -n $name && $name == "$cur"* ]]; then COMPREPLY+=("$name"); fi
  done <<<"$1"
}

# COMPREPLY: folders and the files matching the glob `$1`.
_fsrace_files() {
  compopt -o filenames 2>/dev/null
  mapfile -t COMPREPLY < <(compgen -d -- "$cur"; compgen -f -X "!$1" -- "$cur")
}

# The value of `option`; returns 1 if the option takes none.
_fsrace_complete_value() {
  local command=$1 subcommand=$2 option=$3 spec
  spec=$_fsrace_spec_option
  [[ $subcommand == check || $subcommand == simulate || $subcommand == verify || $subcommand == report || $subcommand == sweep ]] && spec=$_fsrace_file
  case $option in
    --fix) _fsrace_reply "$(_fsrace_names "$command" fixes "$spec")" ;;
    --property | --require) _fsrace_reply "$(_fsrace_names "$command" properties "$spec")" ;;
    --set | --cross-check-set)
      _fsrace_reply "$(_fsrace_names "$command" parameters "$spec")"
      compopt -o nospace 2>/dev/null ;;
    --scheduler) _fsrace_reply "$(_fsrace_names "$command" schedulers "$spec")" ;;
    --model) _fsrace_reply "$(_fsrace_names "$command" models "")" ;;
    --sweep) _fsrace_reply "$(_fsrace_names "$command" rates "$spec")" ;;
    --rate)
      if [[ $subcommand == sweep ]]; then
        _fsrace_reply "$(_fsrace_names "$command" rates "$spec")"
      else
        # shellcheck disable=SC2046 # names are plain words
        _fsrace_reply "$(printf '%s=\n' $(_fsrace_names "$command" rates "$spec"))"
        compopt -o nospace 2>/dev/null
      fi ;;
    --measure) _fsrace_reply "$(printf 'test_fails\n'; _fsrace_names "$command" properties "$spec")" ;;
    --svg) _fsrace_files '*.svg' ;;
    --format) _fsrace_reply "$(printf '%s\n' "${_fsrace_formats[@]}")" ;;
    --spec | --json) _fsrace_files '*.json' ;;
    -o | --output) _fsrace_files '*.html' ;;
    --write-counterexamples) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
    *) _fsrace_takes_value "$option" || return 1; COMPREPLY=() ;;
  esac
  return 0
}

_fsrace() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev="" command i subcommand="" at=0
  # What the helpers above fill in (dynamic scope: nothing is left behind).
  local -a _fsrace_options _fsrace_value_options _fsrace_formats _fsrace_subcommands
  local _fsrace_positional _fsrace_file _fsrace_spec_option
  ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
  command=$(_fsrace_command)
  for ((i = 1; i < COMP_CWORD; ++i)); do
    [[ ${COMP_WORDS[i]} != -* ]] && subcommand=${COMP_WORDS[i]} at=$i && break
  done
  _fsrace_read_help "$command" "$subcommand"
  if [[ -z $subcommand ]]; then
    if [[ $cur == -* ]]; then _fsrace_reply "$(printf '%s\n' "${_fsrace_options[@]}")"
    else _fsrace_reply "$(printf '%s\n' "${_fsrace_subcommands[@]}")"; fi
    return 0
  fi
  _fsrace_scan $((at + 1))
  # --option=value and KEY=VALUE: bash made "=" a word of its own.
  if [[ $prev == "=" ]] && ((COMP_CWORD >= 2)); then
    local before=${COMP_WORDS[COMP_CWORD - 2]}
    [[ $before == -* ]] && _fsrace_complete_value "$command" "$subcommand" "$before"
    return 0
  fi
  ((COMP_CWORD - 1 > at)) && _fsrace_complete_value "$command" "$subcommand" "$prev" && return 0
  if [[ $cur == -* || $_fsrace_positional == 0 || -n $_fsrace_file ]]; then
    _fsrace_reply "$(printf '%s\n' "${_fsrace_options[@]}")"
  else
    _fsrace_files '*.json'
  fi
  return 0
}

complete -F _fsrace fsrace
