# fsrace check --format dot, then Graphviz must accept the output.
#   -DFSRACE=path -DDOT=path -DSPEC=file -DOUT=file -DWORKDIR=dir
execute_process(COMMAND ${FSRACE} check ${SPEC} --set fds=2 --format dot
                WORKING_DIRECTORY ${WORKDIR} OUTPUT_FILE ${OUT} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fsrace exited ${rc}: ${err}")
endif()
execute_process(COMMAND ${DOT} -Tsvg ${OUT} -o ${OUT}.svg RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "dot rejected the output (exit ${rc}): ${err}")
endif()
