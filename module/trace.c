// SPDX-License-Identifier: GPL-2.0
/*
 * The trace events (trace.h): created here, emitted by probes.c. This file
 * also holds the names the events' char fields carry.
 */
#define CREATE_TRACE_POINTS
#include "trace.h"

const char pfs_trace_results[PFS_RESULT_NR][PFS_TRACE_RESULT_LEN] = {
	[PFS_RESULT_MINOR]	= "minor",
	[PFS_RESULT_MAJOR]	= "major",
	[PFS_RESULT_RETRY]	= "retry",
	[PFS_RESULT_OOM]	= "oom",
	[PFS_RESULT_SIGBUS]	= "sigbus",
	[PFS_RESULT_HWPOISON]	= "hwpoison",
	[PFS_RESULT_SEGV]	= "segv",
	[PFS_RESULT_ERROR]	= "error",
};

const char pfs_trace_causes[][PFS_TRACE_CAUSE_LEN] = {
	[PFS_CAUSE_ANON]	= "anon",
	[PFS_CAUSE_FILE]	= "file",
	[PFS_CAUSE_SHMEM]	= "shmem",
};

const char pfs_trace_kinds[PFS_NR_PROC_CTRS][PFS_TRACE_KIND_LEN] = {
	[PFS_SEGV_MAPERR]	= "segv_maperr",
	[PFS_SEGV_ACCERR]	= "segv_accerr",
	[PFS_SEGV_PKUERR]	= "segv_pkuerr",
	[PFS_EFAULT]		= "efault",
};
