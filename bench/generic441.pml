/*
 * fsrace's bcachefs-2023 model of generic/441 (specs/generic-441.json: simple
 * mode, one process, no fix, background writeback, reclaim before the switch),
 * transcribed by hand to Promela for the benchmark: the same variables, the
 * same guards and effects, one d_step per model step, so SPIN stores exactly
 * the states fsrace does (bench/run.sh compares the counts for every N).
 *
 *   spin -DN=10 -a generic441.pml
 *
 * Every step of model/bcachefs_model.cpp is one option of the loop below; a
 * variable the one-process model keeps but that is a function of the others
 * (ei_update_lock, the btree write lock) is left out, as it adds no state.
 * The loop stops when the program has finished: fsrace does not expand
 * terminal states either.
 */
#ifndef N
#define N 10
#endif

/* fsync-err -s on N fds: ops 0..8N+1 (see the spec) */
#define NOPS        (8 * N + 2)
#define REOPEN0     (5 * N + 2)
#define IS_OPENC(p) ((p) < N)
#define IS_WRITE(p) (((p) >= N && (p) < 2 * N) || ((p) > 3 * N && (p) <= 4 * N))
#define IS_FSYNC(p) (((p) >= 2 * N && (p) < 3 * N) || ((p) > 4 * N && (p) <= 5 * N) || ((p) >= REOPEN0 && ((p) - REOPEN0) % 3 == 2))
#define IS_SWITCH(p) ((p) == 3 * N || (p) == 5 * N + 1)
#define IS_CLOSE(p) ((p) >= REOPEN0 && ((p) - REOPEN0) % 3 == 0)
#define IS_REOPEN(p) ((p) >= REOPEN0 && ((p) - REOPEN0) % 3 == 1)
#define FD(p)       ((p) < 3 * N -> (p) % N : ((p) <= 5 * N -> ((p) - 3 * N - 1) % N : ((p) - REOPEN0) / 3))
/* result slot of an fsync op, and what the test expects: 1 success, 2 error */
#define SLOT(p)     ((p) < 3 * N -> (p) - 2 * N : ((p) <= 5 * N -> (p) - 4 * N - 1 + N : 2 * N + ((p) - REOPEN0) / 3))
#define EXPECT(p)   ((p) > 4 * N && (p) <= 5 * N -> 2 : 1)

/* errno values as the model uses them */
#define EIO   5
#define EROFS 30
/* errseq_t in 16 bits: 6-bit errno, SEEN, 9-bit counter (model/errseq.hpp) */
#define ERRMASK 63
#define SEEN    64
#define CTRINC  128

/* FsyncStep */
#define S_WAIT      0
#define S_SYNCMETA  1
#define S_GETRW     2
#define S_LOCK      3
#define S_RESGET    4
#define S_TRIGGERS  6
#define S_INSERT    7
#define S_UNLOCK    8
#define S_FIND      11
#define S_FLUSH     12
#define S_FLUSHWAIT 13
/* FatalStep */
#define F_NONE 0
#define F_ERO  1
#define F_HALT 2
#define F_ERRSEQ 3

/* the test process */
unsigned pc : 9;
unsigned failed_op : 9;
unsigned step : 4;
byte ret_wb;
byte ret_meta;
byte flush_seq;
byte res_seq;
byte key_seq;
/* the inode */
unsigned wb_err : 16;
byte bi_journal_seq;
bit i_dirty_sync;
bit pages_dirty;
bit wb_in_flight;
bit wb_io_failed;
short f_wb_err[N];        /* errseq_t: the values stay below 2^15 */
byte fd_flags[N];
byte results[3 * N];      /* Ret: 0 not run, 1 ok, 2 EIO, 3 EROFS */
/* the journal */
byte cur_seq = 1;
bit entry_open;
bit entry_dirty;
bit res_held;
bit write_in_flight;
byte write_seq;
bit write_failed;
byte flushed_seq_ondisk = 1;
byte err_seq;
bit halted;
unsigned journal_fatal : 2;
unsigned dirty_pins : 2;
unsigned reclaim_fatal : 2;
bit emergency_ro;
bit ro_work_queued;
bit writes_killed;
bit table;              /* 1: the error table */
unsigned seen : 2;      /* 1 an I/O hit the error table, 2 a commit failed with EROFS */
bit error_table_loaded;

#define REFUSED (writes_killed || halted)
#define OPEN_ENTRY if :: !entry_open -> cur_seq++; entry_open = 1; entry_dirty = 0 :: else -> skip fi
#define COMMIT_ATOMIC OPEN_ENTRY; bi_journal_seq = cur_seq; entry_dirty = 1; if :: dirty_pins < 3 -> dirty_pins++ :: else -> skip fi
#define FAIL_AT_PC failed_op = pc + 1; pc = NOPS
/* bch2_fsync's result: ret_wb ?: ret_meta ?: flush error, checked as fsync-err does */
#define FINISH_FSYNC(ferr) \
	err = (ret_wb != 0 -> ret_wb : (ret_meta != 0 -> ret_meta : ferr)); \
	results[SLOT(pc)] = (err == 0 -> 1 : (err == EROFS -> 3 : 2)); \
	step = 0; ret_wb = 0; ret_meta = 0; flush_seq = 0; res_seq = 0; key_seq = 0; \
	if :: (EXPECT(pc) == 1) == (err == 0) -> pc++ :: else -> FAIL_AT_PC fi
#define FINISH_COMMIT(e) \
	ret_meta = e; if :: e == EROFS -> seen = seen | 2 :: else -> skip fi; step = S_FIND

/* scratch for one step, not part of the state (hidden) */
hidden byte err;
hidden byte fd;

active proctype model()
{
end:	do
	/* --- the test process --- */
	:: d_step { pc < NOPS && IS_OPENC(pc) ->
		fd = FD(pc); f_wb_err[fd] = (wb_err & SEEN -> wb_err : 0); fd_flags[fd] = (fd_flags[fd] & 240) | 1;
		if :: REFUSED -> FAIL_AT_PC :: else -> COMMIT_ATOMIC; pc++ fi }
	:: d_step { pc < NOPS && IS_REOPEN(pc) ->
		fd = FD(pc); f_wb_err[fd] = (wb_err & SEEN -> wb_err : 0); fd_flags[fd] = (fd_flags[fd] & 240) | 1; pc++ }
	:: d_step { pc < NOPS && IS_WRITE(pc) -> pages_dirty = 1; i_dirty_sync = 1; pc++ }
	:: d_step { pc < NOPS && IS_SWITCH(pc) ->
		table = (pc == 3 * N -> 1 : 0); if :: pc == 3 * N -> error_table_loaded = 1 :: else -> skip fi; pc++ }
	:: d_step { pc < NOPS && IS_CLOSE(pc) ->
		fd = FD(pc); fd_flags[fd] = 128 | (((fd_flags[fd] >> 1) & 7) << 4); f_wb_err[fd] = 0; pc++ }
	/* fsync, file_write_and_wait_range: errseq_check_and_advance */
	:: d_step { pc < NOPS && IS_FSYNC(pc) && step == S_WAIT && !pages_dirty && !wb_in_flight ->
		fd = FD(pc);
		if
		:: wb_err == f_wb_err[fd] -> ret_wb = 0
		:: else -> wb_err = wb_err | SEEN; f_wb_err[fd] = wb_err; ret_wb = wb_err & ERRMASK;
			if :: ((fd_flags[fd] >> 1) & 7) < 7 -> fd_flags[fd] = fd_flags[fd] + 2 :: else -> skip fi
		fi;
		step = S_SYNCMETA }
	:: d_step { pc < NOPS && IS_FSYNC(pc) && step == S_SYNCMETA ->
		if :: i_dirty_sync -> i_dirty_sync = 0; step = S_GETRW :: else -> step = S_FIND fi }
	:: d_step { pc < NOPS && IS_FSYNC(pc) && step == S_GETRW ->
		if :: writes_killed -> FINISH_COMMIT(EROFS) :: else -> step = S_LOCK fi }
	:: d_step { pc < NOPS && IS_FSYNC(pc) && step == S_LOCK -> step = S_RESGET }
	:: d_step { pc < NOPS && IS_FSYNC(pc) && step == S_RESGET ->
		if :: halted -> FINISH_COMMIT(EROFS)
		:: else -> OPEN_ENTRY; res_held = 1; res_seq = cur_seq; step = S_TRIGGERS fi }
	:: d_step { pc < NOPS && IS_FSYNC(pc) && step == S_TRIGGERS -> key_seq = res_seq; step = S_INSERT }
	:: d_step { pc < NOPS && IS_FSYNC(pc) && step == S_INSERT ->
		bi_journal_seq = key_seq;
		if :: entry_open && cur_seq == res_seq -> entry_dirty = 1 :: else -> skip fi;
		if :: dirty_pins < 3 -> dirty_pins++ :: else -> skip fi;
		step = S_UNLOCK }
	:: d_step { pc < NOPS && IS_FSYNC(pc) && step == S_UNLOCK ->
		res_held = 0; res_seq = 0; key_seq = 0; FINISH_COMMIT(0) }
	:: d_step { pc < NOPS && IS_FSYNC(pc) && step == S_FIND -> flush_seq = bi_journal_seq; step = S_FLUSH }
	:: d_step { pc < NOPS && IS_FSYNC(pc) && step == S_FLUSH ->
		if :: flush_seq <= flushed_seq_ondisk -> FINISH_FSYNC(0) :: else -> step = S_FLUSHWAIT fi }
	:: d_step { pc < NOPS && IS_FSYNC(pc) && step == S_FLUSHWAIT &&
	            ((err_seq != 0 && flush_seq >= err_seq) || flush_seq <= flushed_seq_ondisk) ->
		FINISH_FSYNC((err_seq != 0 && flush_seq >= err_seq -> EIO : 0)) }
	/* --- writeback --- */
	:: d_step { pc < NOPS && pages_dirty && !wb_in_flight ->
		pages_dirty = 0; wb_in_flight = 1; wb_io_failed = table; if :: table -> seen = seen | 1 :: else -> skip fi }
	:: d_step { pc < NOPS && wb_in_flight ->
		if
		:: wb_io_failed || REFUSED ->  /* errseq_set(EIO): bump the counter if the old value was seen */
			wb_err = (wb_err & SEEN -> ((wb_err & ~(ERRMASK | SEEN)) | EIO) + CTRINC : (wb_err & ~(ERRMASK | SEEN)) | EIO)
		:: else -> COMMIT_ATOMIC
		fi;
		wb_in_flight = 0; wb_io_failed = 0 }
	/* --- journal writes --- */
	:: d_step { pc < NOPS && journal_fatal == F_NONE && entry_open && entry_dirty && !res_held && !write_in_flight && !halted ->
		entry_open = 0; entry_dirty = 0; write_in_flight = 1; write_seq = cur_seq; write_failed = table;
		if :: table -> seen = seen | 1 :: else -> skip fi }
	:: d_step { pc < NOPS && journal_fatal == F_NONE && write_in_flight ->
		if :: write_failed -> journal_fatal = F_ERO
		:: else -> flushed_seq_ondisk = write_seq; write_in_flight = 0; write_seq = 0 fi }
	:: d_step { pc < NOPS && journal_fatal == F_ERO -> emergency_ro = 1; journal_fatal = F_HALT }
	:: d_step { pc < NOPS && journal_fatal == F_HALT ->
		if :: !halted -> halted = 1; entry_open = 0; entry_dirty = 0; if :: err_seq == 0 -> err_seq = cur_seq :: else -> skip fi
		:: else -> skip fi;
		if :: !writes_killed -> ro_work_queued = 1 :: else -> skip fi;
		journal_fatal = F_ERRSEQ }
	:: d_step { pc < NOPS && journal_fatal == F_ERRSEQ ->
		if :: err_seq == 0 || write_seq < err_seq -> err_seq = write_seq :: else -> skip fi;
		write_in_flight = 0; write_seq = 0; write_failed = 0; journal_fatal = F_NONE }
	/* --- journal reclaim --- */
	:: d_step { pc < NOPS && reclaim_fatal == F_NONE && dirty_pins > 0 && !halted ->
		if :: table -> seen = seen | 1; reclaim_fatal = F_ERO :: else -> dirty_pins-- fi }
	:: d_step { pc < NOPS && reclaim_fatal == F_ERO -> emergency_ro = 1; reclaim_fatal = F_HALT }
	:: d_step { pc < NOPS && reclaim_fatal == F_HALT ->
		if :: !halted -> halted = 1; entry_open = 0; entry_dirty = 0; if :: err_seq == 0 -> err_seq = cur_seq :: else -> skip fi
		:: else -> skip fi;
		if :: !writes_killed -> ro_work_queued = 1 :: else -> skip fi;
		reclaim_fatal = F_NONE }
	/* --- the read-only work --- */
	:: d_step { pc < NOPS && ro_work_queued -> writes_killed = 1; ro_work_queued = 0 }
	od
}
