# Run at build time (cli/CMakeLists.txt): writes OUT, the fsrace version and
# the git commit of SOURCE_DIR (with "-dirty" when the tree has changes), so a
# document says which fsrace made it. configure_file rewrites OUT only when
# its text changes: a build without a new commit recompiles nothing.
find_package(Git QUIET)
set(FSRACE_COMMIT "")
set(FSRACE_DIRTY "false")
if(GIT_FOUND AND EXISTS "${SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE_DIR}" rev-parse HEAD
                  OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE status ERROR_QUIET)
  if(NOT status EQUAL 0)
    # A checkout git will not read (another user's: "dubious ownership"):
    # say so, rather than documents looking like a tarball's.
    message(WARNING "fsrace: ${SOURCE_DIR} is a git checkout, but git rev-parse failed; documents will name no commit")
  else()
    set(FSRACE_COMMIT "${commit}")
    # Build trees inside the checkout are not changes to the source.
    execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE_DIR}" status --porcelain --untracked-files=no
                    OUTPUT_VARIABLE changes RESULT_VARIABLE status ERROR_QUIET)
    if(status EQUAL 0 AND NOT changes STREQUAL "")
      set(FSRACE_DIRTY "true")
    endif()
  endif()
endif()
configure_file("${SOURCE_DIR}/cli/build_info.hpp.in" "${OUT}" @ONLY)
