// errseq_t with the semantics of Linux lib/errseq.c, in 16 bits.
//
// The kernel's errseq_t is 32 bits: the error code in the low
// ilog2(MAX_ERRNO + 1) = 12 bits, then the SEEN flag, then a counter. The
// model keeps the same layout and the same rules in 16 bits: the error code in
// 6 bits (EIO = 5 and EROFS = 30 fit), SEEN in bit 6, a 9-bit counter above it
// that wraps as the kernel's 19-bit one does. Only the widths differ.
#pragma once

#include <cassert>
#include <cstdint>

namespace fsrace::model {

using errseq_t = std::uint16_t;

inline constexpr errseq_t kErrseqMaxErrno = 0x3f;
inline constexpr errseq_t kErrseqSeen = 0x40;
inline constexpr errseq_t kErrseqCtrInc = 0x80;

// errseq_set: store the error; bump the counter only if the old value had
// been seen, so a new error after a reported one is distinguishable.
constexpr errseq_t errseqSet(errseq_t old, int err) {
  assert(err > 0 && err <= kErrseqMaxErrno && "errseq_set: error out of range");
  auto next = static_cast<errseq_t>((old & ~(kErrseqMaxErrno | kErrseqSeen)) | static_cast<errseq_t>(err));
  if (old & kErrseqSeen) next = static_cast<errseq_t>(next + kErrseqCtrInc);
  return next;
}

// errseq_sample: the current value if it has been seen, else 0, so a file
// opened after an unseen error still gets to see it.
constexpr errseq_t errseqSample(errseq_t current) {
  return (current & kErrseqSeen) ? current : errseq_t{0};
}

struct ErrseqCheck {
  errseq_t current;  // the mapping's value afterwards (SEEN may be set)
  errseq_t since;    // the file's new sample
  int err;           // positive errno reported, or 0
};

// errseq_check_and_advance: if the value moved since the file's sample, mark
// it seen, advance the sample and report the error; otherwise report 0.
constexpr ErrseqCheck errseqCheckAndAdvance(errseq_t current, errseq_t since) {
  if (current == since) return {current, since, 0};
  auto seen = static_cast<errseq_t>(current | kErrseqSeen);
  return {seen, seen, static_cast<int>(seen & kErrseqMaxErrno)};
}

}  // namespace fsrace::model
