# ctest runs each doctest case by name, through CMake lists: a name with a
# ";" is cut there, matches no case, and "passes" having run nothing. This
# test fails on such a name (run: cmake -DTESTS=<fsrace_tests> -P this file).
execute_process(COMMAND ${TESTS} --list-test-cases --no-version OUTPUT_VARIABLE names RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${TESTS} --list-test-cases failed (${status})")
endif()
string(FIND "${names}" ";" at)
if(NOT at EQUAL -1)
  message(FATAL_ERROR "a test case name holds a \";\", which ctest would cut (so the case would never run); "
                      "see: ${TESTS} --list-test-cases | grep \";\"")
endif()
string(REGEX MATCHALL "\n" lines "${names}")
list(LENGTH lines count)
if(count LESS 100)
  message(FATAL_ERROR "only ${count} lines listed: expected every test case")
endif()
