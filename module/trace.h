/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's trace events (docs/format.md, "Trace events"):
 *
 *   pagefault_stats:fault    one per counted handle_mm_fault() call, at its
 *                            return, with the counters' classification
 *   pagefault_stats:invalid  one per counted invalid fault (SIGSEGV, EFAULT)
 *
 * Every field is a scalar or a fixed char array, so the tracefs format file
 * is all a consumer needs (no BTF for an out-of-tree module). Field names
 * and meanings are a contract: add, never rename or reorder.
 *
 * Defined with TRACE_EVENT (a bare DECLARE_TRACE makes no trace event from
 * 6.16 on, ac01fa73f530). trace.c creates them; probes.c emits them.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM pagefault_stats

/* Read once: the names the events' char fields carry (trace.c). */
#ifndef PFS_TRACE_NAMES_H
#define PFS_TRACE_NAMES_H

#include "pfs.h"

/* What a fault event's result field says: one name per class. */
enum pfs_result {
	PFS_RESULT_MINOR,
	PFS_RESULT_MAJOR,
	PFS_RESULT_RETRY,
	PFS_RESULT_OOM,
	PFS_RESULT_SIGBUS,
	PFS_RESULT_HWPOISON,
	PFS_RESULT_SEGV,
	PFS_RESULT_ERROR,	/* VM_FAULT_ERROR with none of the above */
	PFS_RESULT_NR,
};

#define PFS_TRACE_RESULT_LEN	10	/* "hwpoison" and its NUL, rounded */
#define PFS_TRACE_CAUSE_LEN	6	/* "shmem" */
#define PFS_TRACE_KIND_LEN	12	/* "segv_pkuerr" */

extern const char pfs_trace_results[PFS_RESULT_NR][PFS_TRACE_RESULT_LEN];
/* by enum pfs_cause */
extern const char pfs_trace_causes[][PFS_TRACE_CAUSE_LEN];
/* by counter: the names of PFS_SEGV_MAPERR .. PFS_EFAULT, as the counters' */
extern const char pfs_trace_kinds[PFS_NR_PROC_CTRS][PFS_TRACE_KIND_LEN];

#endif /* PFS_TRACE_NAMES_H */

/* Read again by <trace/define_trace.h>: the events themselves. */
#if !defined(PFS_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define PFS_TRACE_H

#include <linux/sched.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

TRACE_EVENT(fault,
	    TP_PROTO(unsigned long address, unsigned int flags,
		     unsigned int ret, unsigned int result, unsigned int cause,
		     u64 ns, unsigned int dev, unsigned long ino,
		     unsigned long pgoff),
	    TP_ARGS(address, flags, ret, result, cause, ns, dev, ino, pgoff),
	    TP_STRUCT__entry(__field(int, tgid)
			     __field(int, pid)
			     __field(unsigned long, address)
			     __field(unsigned int, flags)
			     __field(unsigned int, ret)
			     __array(char, result, PFS_TRACE_RESULT_LEN)
			     __array(char, cause, PFS_TRACE_CAUSE_LEN)
			     __field(u64, ns)
			     __field(unsigned int, dev)
			     __field(unsigned long, ino)
			     __field(unsigned long, pgoff)),
	    TP_fast_assign(__entry->tgid = current->tgid;
			   __entry->pid = current->pid;
			   __entry->address = address;
			   __entry->flags = flags;
			   __entry->ret = ret;
			   memcpy(__entry->result, pfs_trace_results[result],
				  PFS_TRACE_RESULT_LEN);
			   memcpy(__entry->cause, pfs_trace_causes[cause],
				  PFS_TRACE_CAUSE_LEN);
			   __entry->ns = ns;
			   __entry->dev = dev;
			   __entry->ino = ino;
			   __entry->pgoff = pgoff;),
	    TP_printk("tgid=%d pid=%d address=0x%lx flags=0x%x result=%s cause=%s ns=%llu dev=%u:%u ino=%lu pgoff=%lu",
		      __entry->tgid, __entry->pid, __entry->address,
		      __entry->flags, __entry->result, __entry->cause,
		      __entry->ns, __entry->dev >> 20, __entry->dev & 0xfffff,
		      __entry->ino, __entry->pgoff)
);

TRACE_EVENT(invalid,
	    TP_PROTO(unsigned long address, unsigned long ip,
		     unsigned long error_code, unsigned int kind, bool user),
	    TP_ARGS(address, ip, error_code, kind, user),
	    TP_STRUCT__entry(__field(int, tgid)
			     __field(int, pid)
			     __field(unsigned long, address)
			     __field(unsigned long, ip)
			     __field(unsigned long, error_code)
			     __array(char, kind, PFS_TRACE_KIND_LEN)
			     __field(unsigned char, user)),
	    TP_fast_assign(__entry->tgid = current->tgid;
			   __entry->pid = current->pid;
			   __entry->address = address;
			   __entry->ip = ip;
			   __entry->error_code = error_code;
			   memcpy(__entry->kind, pfs_trace_kinds[kind],
				  PFS_TRACE_KIND_LEN);
			   __entry->user = user;),
	    TP_printk("tgid=%d pid=%d address=0x%lx ip=0x%lx kind=%s mode=%s error_code=0x%lx",
		      __entry->tgid, __entry->pid, __entry->address,
		      __entry->ip, __entry->kind,
		      __entry->user ? "user" : "kernel", __entry->error_code)
);

#endif /* PFS_TRACE_H */

/* Out of tree: define_trace.h finds this file through -I$(src) (Kbuild). */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
