# A file over the size limit is refused with one line, before it is parsed.
#   -DFSRACE=path -DOUT=file
string(REPEAT " " 1048576 mib)
file(WRITE ${OUT} "{")
foreach(i RANGE 4)
  file(APPEND ${OUT} "${mib}")
endforeach()
file(APPEND ${OUT} "}")
execute_process(COMMAND ${FSRACE} check ${OUT} RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 2 OR NOT err MATCHES "/: file is larger than [0-9]+ bytes \\(expected a smaller document")
  message(FATAL_ERROR "exit ${rc}: ${err}")
endif()
