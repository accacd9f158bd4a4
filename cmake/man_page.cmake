# Run at build time (cli/CMakeLists.txt): writes OUT, the man page fsrace.1,
# with help2man from the built binary.
#   cmake -DFSRACE=binary -DHELP2MAN=help2man -DSTATIC=cli/man/fsrace.h2m -DOUT=fsrace.1 -P man_page.cmake
# One page, as `man fsrace` is what a user types: help2man makes NAME and
# OPTIONS of `fsrace --help`; this script adds the SYNOPSIS of every
# subcommand and a section each from its own --help (OUT.h2m); STATIC the
# description, exit status, files and the rest. So the page says what the
# binary does, never what it did when someone last edited a page.

# Text as roff: backslashes and dashes escaped, no line taken as a request.
function(roff_escape text out)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  string(REGEX REPLACE "^([.'])" "\\\\&\\1" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# An item's tag ("-o,--output TEXT REQUIRED", "spec TEXT REQUIRED"): the
# names bold (an argument's italic), the type as printed.
function(roff_tag tag out)
  string(REGEX MATCH "^[^ ]+" names "${tag}")
  string(LENGTH "${names}" length)
  string(SUBSTRING "${tag}" ${length} -1 rest)
  roff_escape("${rest}" rest)
  string(REPLACE "," ";" names "${names}")
  set(marked "")
  foreach(name IN LISTS names)
    roff_escape("${name}" escaped)
    if(name MATCHES "^-")
      list(APPEND marked "\\fB${escaped}\\fR")
    else()
      list(APPEND marked "\\fI${escaped}\\fR")
    endif()
  endforeach()
  list(JOIN marked ", " marked)
  set(${out} "${marked}${rest}" PARENT_SCOPE)
endfunction()

# `fsrace SUBCOMMAND --help`; fails the build if it does not run.
function(subcommand_help subcommand out)
  execute_process(COMMAND "${FSRACE}" ${subcommand} --help RESULT_VARIABLE status OUTPUT_VARIABLE text ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${FSRACE} ${subcommand} --help: exit ${status}\n${err}")
  endif()
  # --threads names the cores of the machine it runs on ("here 2"): not the reader's.
  string(REGEX REPLACE ", here [0-9]+;" ";" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# The usage line of `help` as a SYNOPSIS entry: the command bold, the rest italic.
function(usage_synopsis help subcommand out)
  if(NOT help MATCHES "\nUsage: [^ \n]+ ${subcommand} ([^\n]*)")
    message(FATAL_ERROR "fsrace ${subcommand} --help has no usage line:\n${help}")
  endif()
  roff_escape("${CMAKE_MATCH_1}" rest)
  string(REGEX REPLACE "([A-Za-z][A-Za-z_]*)" "\\\\fI\\1\\\\fR" rest "${rest}")
  # One line: help2man would read a line that is only "[...]" as a section.
  set(${out} "\\fBfsrace ${subcommand}\\fR ${rest}\n" PARENT_SCOPE)
endfunction()

# The section of one subcommand: what it does, then each argument and option.
function(subcommand_section help subcommand out)
  string(TOUPPER "${subcommand}" upper)
  # One list element a line: what CMake's lists read as separators or
  # brackets is kept aside, and put back line by line.
  string(ASCII 1 semicolon)
  string(ASCII 2 open)
  string(ASCII 3 close)
  string(REPLACE ";" "${semicolon}" help "${help}")
  string(REPLACE "[" "${open}" help "${help}")
  string(REPLACE "]" "${close}" help "${help}")
  string(REPLACE "\n" ";" lines "${help}")
  set(roff "[FSRACE ${upper}]\n")
  set(first TRUE)
  foreach(line IN LISTS lines)
    string(REPLACE "${semicolon}" ";" line "${line}")
    string(REPLACE "${open}" "[" line "${line}")
    string(REPLACE "${close}" "]" line "${line}")
    if(first)  # what the subcommand does
      roff_escape("${line}" summary)
      string(APPEND roff "${summary}.\n")
      set(first FALSE)
      continue()
    endif()
    if(line MATCHES "^Usage: " OR line STREQUAL "")
      continue()
    endif()
    if(line STREQUAL "Positionals:")
      string(APPEND roff ".SS Arguments\n")
    elseif(line STREQUAL "Options:")
      string(APPEND roff ".SS Options\n")
    elseif(line MATCHES "^  ([^ ]+( [^ ]+)*)  +([^ ].*)$")  # tag, description
      roff_tag("${CMAKE_MATCH_1}" tag)
      roff_escape("${CMAKE_MATCH_3}" text)
      string(APPEND roff ".TP\n${tag}\n${text}\n")
    elseif(line MATCHES "^          +([^ ].*)$")  # the description of a tag too long to share its line
      roff_escape("${CMAKE_MATCH_1}" text)
      string(APPEND roff "${text}\n")
    elseif(line MATCHES "^  ([^ ].*)$")  # such a tag
      roff_tag("${CMAKE_MATCH_1}" tag)
      string(APPEND roff ".TP\n${tag}\n")
    else()
      message(FATAL_ERROR "fsrace ${subcommand} --help: a line this script does not know how to read:\n${line}")
    endif()
  endforeach()
  set(${out} "${roff}\n" PARENT_SCOPE)
endfunction()

execute_process(COMMAND "${FSRACE}" --help RESULT_VARIABLE status OUTPUT_VARIABLE main_help)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${FSRACE} --help: exit ${status}")
endif()
string(REGEX MATCH "\nSubcommands:\n.*" listed "${main_help}")
string(REGEX MATCHALL "\n  [a-z][a-z-]*" subcommands "${listed}")
list(TRANSFORM subcommands STRIP)
if(NOT subcommands)
  message(FATAL_ERROR "${FSRACE} --help lists no subcommands:\n${main_help}")
endif()

# No hyphenation from here on: most words are options, files and kernel names.
set(synopsis "[SYNOPSIS]\n.nh\n")
set(sections "")
foreach(subcommand IN LISTS subcommands)
  subcommand_help(${subcommand} help)
  usage_synopsis("${help}" ${subcommand} entry)
  subcommand_section("${help}" ${subcommand} section)
  string(APPEND synopsis "${entry}.br\n")
  string(APPEND sections "${section}")
endforeach()
string(APPEND synopsis "\\fBfsrace\\fR \\-\\-help | \\-\\-version\n\n")

file(WRITE "${OUT}.h2m" "${synopsis}${sections}")
# The generated sections first: help2man keeps the order it reads them in.
# The version alone: the commit --version adds would change the page with
# every commit, and crowds the footer.
execute_process(COMMAND "${FSRACE}" --version RESULT_VARIABLE status OUTPUT_VARIABLE version_line)
if(NOT status EQUAL 0 OR NOT version_line MATCHES "^fsrace ([^ \n]+)")
  message(FATAL_ERROR "${FSRACE} --version: exit ${status}, \"${version_line}\" (expected fsrace VERSION ...)")
endif()
execute_process(COMMAND "${HELP2MAN}" --no-info "--version-string=${CMAKE_MATCH_1}" "--name=a model checker for filesystem error-reporting races"
                        "--include=${OUT}.h2m" "--include=${STATIC}" "--output=${OUT}" "${FSRACE}"
                RESULT_VARIABLE status ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "help2man: exit ${status}\n${err}")
endif()
