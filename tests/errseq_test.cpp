#include <doctest/doctest.h>

#include <cerrno>

#include "model/common/errseq.hpp"

namespace fsrace::model {

TEST_SUITE("errseq") {
  TEST_CASE("a file opened before an error sees it once, then no more") {
    errseq_t mapping = 0;
    errseq_t file = errseqSample(mapping);
    mapping = errseqSet(mapping, EIO);
    auto first = errseqCheckAndAdvance(mapping, file);
    CHECK(first.err == EIO);
    CHECK((first.current & kErrseqSeen) != 0);
    auto second = errseqCheckAndAdvance(first.current, first.since);
    CHECK(second.err == 0);
  }

  TEST_CASE("sampling an unseen error returns 0 so the opener still sees it") {
    errseq_t mapping = errseqSet(0, EIO);
    CHECK(errseqSample(mapping) == 0);
    CHECK(errseqCheckAndAdvance(mapping, errseqSample(mapping)).err == EIO);
  }

  TEST_CASE("sampling a seen error returns it, so a later opener does not see it") {
    errseq_t mapping = errseqCheckAndAdvance(errseqSet(0, EIO), 0).current;
    errseq_t file = errseqSample(mapping);
    CHECK(file == mapping);
    CHECK(errseqCheckAndAdvance(mapping, file).err == 0);
  }

  TEST_CASE("the counter moves only when the previous error had been seen") {
    errseq_t once = errseqSet(0, EIO);
    CHECK(errseqSet(once, EIO) == once);  // unseen: same value, no new event
    errseq_t seen = errseqCheckAndAdvance(once, 0).current;
    errseq_t again = errseqSet(seen, EIO);
    CHECK(again != seen);
    CHECK((again & kErrseqSeen) == 0);
    CHECK(again / kErrseqCtrInc == 1);
  }

  TEST_CASE("a new error after a reported one is reported again") {
    errseq_t file = 0;
    auto first = errseqCheckAndAdvance(errseqSet(0, EIO), file);
    auto next = errseqCheckAndAdvance(errseqSet(first.current, EIO), first.since);
    CHECK(next.err == EIO);
  }
}

}  // namespace fsrace::model
