// The test program the model's test process runs: a flat list of system calls
// with the results the real test expects. specs/ builds it from a spec file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fsrace::model {

enum class OpKind : std::uint8_t { Open, Write, Fsync, SwitchTable, Close, Settle };
enum class Expect : std::uint8_t { Any, Success, Error };
enum class DmTable : std::uint8_t { Working, Error };

struct Op {
  OpKind kind = OpKind::Open;
  std::uint8_t fd = 0;
  bool commits_inode = false;        // Open: O_CREAT or O_TRUNC (bch2_create / bch2_setattr commit the inode)
  DmTable table = DmTable::Working;  // SwitchTable
  Expect expect = Expect::Any;       // Fsync
  std::string label;                 // Fsync: outcome field name, e.g. "reopen_fsync[0]"
  std::string failure;               // printed when the expectation fails ("%m" -> strerror)
  std::uint8_t result_slot = 0;      // Fsync: index of its result among the process's fsyncs
};

// Every test process runs `ops` on its own `fds` fds; process p's file is
// inode p % inodes. Table switches and settles are barriers: the lowest
// process still running takes them once all running processes reach them.
struct Program {
  std::uint8_t fds = 0;        // per process
  std::uint8_t processes = 1;
  std::uint8_t inodes = 1;
  std::uint8_t rounds = 1;     // times the spec's "repeat" block was expanded
  std::vector<Op> ops;
  std::string passed = "Test passed!";
};

}  // namespace fsrace::model
