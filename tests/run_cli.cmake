# Runs the fsrace command and checks its exact exit status, and optionally
# that stderr is one line matching a pattern (or that its last line does,
# or that no line does) and stdout matches another.
#   -DFSRACE=path -DARGS="a|b|c" -DEXPECT=N [-DSTDERR_MATCH=regex] [-DSTDERR_LAST_LINE_MATCH=regex]
#   [-DSTDERR_NOT_MATCH=regex] [-DSTDOUT_MATCH=regex] [-DSTDOUT_NOT_MATCH=regex]
#   [-DSTDOUT_MAX_WIDTH=columns] [-DWORKDIR=dir]
string(REPLACE "|" ";" args "${ARGS}")
execute_process(COMMAND ${FSRACE} ${args}
                WORKING_DIRECTORY ${WORKDIR}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL EXPECT)
  message(FATAL_ERROR "fsrace ${ARGS}: exit ${rc}, expected ${EXPECT}\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(DEFINED STDERR_MATCH)
  string(STRIP "${err}" stripped)
  if(stripped MATCHES "\n")
    message(FATAL_ERROR "stderr is more than one line:\n${err}")
  endif()
  if(NOT stripped MATCHES "${STDERR_MATCH}")
    message(FATAL_ERROR "stderr does not match '${STDERR_MATCH}':\n${err}")
  endif()
endif()
if(DEFINED STDERR_LAST_LINE_MATCH)
  string(STRIP "${err}" stripped)
  string(REGEX REPLACE "^.*\n" "" last "${stripped}")
  if(NOT last MATCHES "${STDERR_LAST_LINE_MATCH}")
    message(FATAL_ERROR "the last line of stderr does not match '${STDERR_LAST_LINE_MATCH}':\n${err}")
  endif()
endif()
if(DEFINED STDERR_NOT_MATCH AND err MATCHES "${STDERR_NOT_MATCH}")
  message(FATAL_ERROR "stderr matches '${STDERR_NOT_MATCH}', which it must not:\n${err}")
endif()
if(DEFINED STDOUT_MATCH AND NOT out MATCHES "${STDOUT_MATCH}")
  message(FATAL_ERROR "stdout does not match '${STDOUT_MATCH}':\n${out}")
endif()
if(DEFINED STDOUT_NOT_MATCH AND out MATCHES "${STDOUT_NOT_MATCH}")
  message(FATAL_ERROR "stdout matches '${STDOUT_NOT_MATCH}', which it must not:\n${out}")
endif()
if(DEFINED STDOUT_MAX_WIDTH)
  # One list element per line: the list separator and brackets (which
  # would group elements) replaced by characters of the same width.
  string(REPLACE ";" "," flat "${out}")
  string(REPLACE "[" "(" flat "${flat}")
  string(REPLACE "]" ")" flat "${flat}")
  string(REPLACE "\n" ";" lines "${flat}")
  foreach(line IN LISTS lines)
    string(LENGTH "${line}" columns)
    if(columns GREATER STDOUT_MAX_WIDTH)
      message(FATAL_ERROR "a line of stdout is ${columns} columns, more than ${STDOUT_MAX_WIDTH}:\n${line}")
    endif()
  endforeach()
endif()
