# Progress reports change nothing but stderr: `fsrace ARGS --format json`
# with and without --progress writes the same result, byte for byte, but
# for the timings (every "seconds" and "states_per_second" value), and the
# progress run's last line of stderr is its totals. Give ARGS a --max-memory:
# the default limit follows the memory available, which changes by the run.
#   -DFSRACE=path -DARGS="a|b|c" -DEXPECT=N -DWORKDIR=dir -DOUT=prefix (of the two results, kept for a diff)
string(REPLACE "|" ";" args "${ARGS}")
foreach(mode quiet progress)
  set(extra "")
  if(mode STREQUAL "progress")
    set(extra --progress)
  endif()
  execute_process(COMMAND ${FSRACE} ${args} --format json ${extra}
                  WORKING_DIRECTORY ${WORKDIR}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL EXPECT)
    message(FATAL_ERROR "fsrace ${ARGS} ${extra}: exit ${rc}, expected ${EXPECT}\nstderr:\n${err}")
  endif()
  string(REGEX REPLACE "\"(seconds|states_per_second)\": [-+.0-9eE]+" "\"\\1\": TIMING" ${mode} "${out}")
  set(${mode}_err "${err}")
endforeach()
if(NOT quiet STREQUAL progress)
  file(WRITE ${OUT}-quiet.json "${quiet}")
  file(WRITE ${OUT}-progress.json "${progress}")
  message(FATAL_ERROR "the result differs with --progress (timings aside): diff ${OUT}-quiet.json ${OUT}-progress.json")
endif()
if(NOT quiet_err STREQUAL "")
  message(FATAL_ERROR "stderr without --progress is not empty:\n${quiet_err}")
endif()
string(STRIP "${progress_err}" stripped)
string(REGEX REPLACE "^.*\n" "" last "${stripped}")
if(NOT last MATCHES "^fsrace: complete: .* [0-9,]+ terminal states, [0-9]+ outcomes$")
  message(FATAL_ERROR "the last line of stderr with --progress is not the totals:\n${progress_err}")
endif()
