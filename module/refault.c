// SPDX-License-Identifier: GPL-2.0
/*
 * The refault probes: pages the kernel counts as refaulted, activated on
 * refault and restored, charged to the task that brings them back.
 *
 * When an evicted page comes back (page-cache insert, swap-in) and its
 * shadow entry is found, workingset_refault() (mm/workingset.c) decides
 * whether it was part of the working set, by refault distance on the
 * classic LRU or by generation on the multi-gen LRU (lru_gen_refault(),
 * inlined into it), and counts each decision with a call
 *
 *	mod_lruvec_state(lruvec, WORKINGSET_{REFAULT,ACTIVATE,RESTORE}_BASE + type, nr)
 *
 * (__mod_lruvec_state() on 5.10, mod_lruvec_state() on 6.1 .. 7.2): what
 * /proc/vmstat's workingset_* counters and memory.stat's show. When such a
 * page counts at all, and when it activates, differs between kernels and
 * between the two LRUs; rather than copy those rules, the module probes the
 * counting calls themselves. At load it finds every call in
 * workingset_refault() to a counting function (arch.h decodes the call) and
 * puts a kprobe on it; the handler reads the call's item and page count
 * from the argument registers. So the counts equal vmstat's by
 * construction, on either LRU and every kernel, a large folio counting all
 * its pages; and nothing reads the folio or the shadow entry, whose types
 * changed (a struct page * before 5.16).
 *
 * 6.1's multi-gen LRU also counts workingset_activate in reclaim, for the
 * pages it protects (sort_folio(), inlined into isolate_folios()); the
 * counting calls there are probed the same way and charged to the
 * reclaiming task. Other calls the probed functions make to a counting
 * function (PGREFILL and such in isolate_folios()) are seen and ignored.
 *
 * Only the refault path (and, with the multi-gen LRU, a reclaim batch) pays:
 * nothing here runs on a fault that brings no evicted page back.
 */
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/mmzone.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "arch.h"
#include "charge.h"
#include "filter.h"
#include "refault.h"
#include "unregister.h"

/* Where the kernel counts refaults: functions whose counting calls are probed. */
static const struct {
	const char *name;
	bool required;		/* refault counting is off without it */
} pfs_refault_fns[] = {
	{ "workingset_refault",	true },
	{ "isolate_folios",	false },	/* 6.1+; counts on 6.1's multi-gen LRU */
};

/* The functions that count a node_stat_item (exact names: no clones). */
static const char * const pfs_refault_callees[] = {
	"mod_lruvec_state",
	"__mod_lruvec_state",
};

#define PFS_REFAULT_MAX_SITES	24
#define PFS_REFAULT_MAX_FN	(64 * 1024)	/* bytes of a function scanned */

static struct kprobe pfs_refault_kp[PFS_REFAULT_MAX_SITES];
static unsigned int pfs_refault_sites;	/* counting calls probed, either way */

/*
 * A counting call the kernel will not let a kprobe sit on (arm64 refuses
 * any instruction up to 32 after an LSE CAS, which its atomic-sequence
 * check takes for a load-exclusive) is seen at its callee's entry instead,
 * by the return address (arch.h): a kprobe on the callee, one for every
 * such call to it, which pays on every call of that function, not only on
 * refaults. Where the architecture cannot tell the return address at entry
 * (pfs_call_return() gives 0), such a call fails the attach.
 */
#define PFS_REFAULT_MAX_INDIRECT	8

static struct kprobe pfs_refault_entry_kp[ARRAY_SIZE(pfs_refault_callees)];
static unsigned long pfs_refault_ret[PFS_REFAULT_MAX_INDIRECT];
static unsigned int pfs_refault_ret_nr;

/* every kprobe registered, sites and entries, for unregistering */
static struct kprobe *pfs_refault_kps[PFS_REFAULT_MAX_SITES +
				      ARRAY_SIZE(pfs_refault_callees)];
static unsigned int pfs_refault_nr;
static unsigned int pfs_refault_entries;
static bool pfs_refault_on;

/*
 * A counting call: charge the pages of a workingset item to current. At
 * the call instruction the arguments are in their registers: (lruvec,
 * item, nr), item and nr 32-bit (the upper halves of the registers are
 * undefined).
 */
static int pfs_refault_pre(struct kprobe *kp, struct pt_regs *regs)
{
	unsigned int item = regs_get_kernel_argument(regs, 1);
	int nr = regs_get_kernel_argument(regs, 2);
	enum pfs_ctr c;

	switch (item) {
	case WORKINGSET_REFAULT_ANON:
		c = PFS_REFAULT_ANON;
		break;
	case WORKINGSET_REFAULT_FILE:
		c = PFS_REFAULT_FILE;
		break;
	case WORKINGSET_ACTIVATE_ANON:
	case WORKINGSET_ACTIVATE_FILE:
		c = PFS_REFAULT_ACTIVE;
		break;
	case WORKINGSET_RESTORE_ANON:
	case WORKINGSET_RESTORE_FILE:
		c = PFS_REFAULT_RESTORE;
		break;
	default:
		return 0;
	}
	/* a kprobe handler runs with preemption off: an RCU-sched section */
	if (nr > 0 && !pfs_paused())
		pfs_count_current(c, nr);
	return 0;
}

NOKPROBE_SYMBOL(pfs_refault_pre);

/* A counting function is entered: from one of the calls it stands in for? */
static int pfs_refault_entry_pre(struct kprobe *kp, struct pt_regs *regs)
{
	unsigned long ret = pfs_entry_return_address(regs);
	unsigned int i;

	for (i = 0; i < pfs_refault_ret_nr; i++) {
		if (pfs_refault_ret[i] == ret)
			return pfs_refault_pre(kp, regs);
	}
	return 0;
}

NOKPROBE_SYMBOL(pfs_refault_entry_pre);

/*
 * sprint_symbol()'s "name+0xoff/0xsize[ [module]]": the name's length, the
 * offset and the size. False if @buf is not of that form (an address with
 * no symbol is printed as a bare number).
 */
static bool pfs_sym_parse(const char *buf, size_t *len, unsigned long *off,
			  unsigned long *size)
{
	const char *plus = strrchr(buf, '+');

	if (!plus || sscanf(plus, "+%lx/%lx", off, size) != 2)
		return false;
	*len = plus - buf;
	return true;
}

/* Which counting function @addr is the first byte of, or -1 for none. */
static int pfs_callee(unsigned long addr)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long off, size;
	size_t len, i;

	sprint_symbol(buf, addr);
	if (!pfs_sym_parse(buf, &len, &off, &size) || off)
		return -1;
	for (i = 0; i < ARRAY_SIZE(pfs_refault_callees); i++) {
		if (len == strlen(pfs_refault_callees[i]) &&
		    !strncmp(buf, pfs_refault_callees[i], len))
			return i;
	}
	return -1;
}

/*
 * Where function @name starts and how long it is, from a kprobe placed on
 * it for the lookup and removed (the kernel exports no lookup by name). The
 * kprobe is allocated, not on the stack: should the kernel keep it
 * (unregister.c), it stays, a small leak rather than a dangling pointer.
 */
static int pfs_fn_extent(const char *name, unsigned long *start,
			 unsigned long *size)
{
	struct kprobe *kp = kzalloc(sizeof(*kp), GFP_KERNEL);
	char buf[KSYM_SYMBOL_LEN];
	unsigned long addr, off;
	size_t len;
	int ret;

	if (!kp)
		return -ENOMEM;
	kp->symbol_name = name;
	ret = register_kprobe(kp);
	if (ret) {
		kfree(kp);
		return ret;
	}
	addr = (unsigned long)kp->addr;
	if (!pfs_unregister_kprobes(&kp, 1))
		return -EBUSY;
	kfree(kp);
	sprint_symbol(buf, addr);
	if (!pfs_sym_parse(buf, &len, &off, size) || off > addr ||
	    len != strlen(name) || strncmp(buf, name, len))
		return -ENOENT;
	*start = addr - off;
	return 0;
}

/*
 * The call at @addr, to counting function @callee (at @target), returning
 * to @ret (0: not to be told at the callee), cannot be probed: probe the
 * callee's entry for it instead.
 */
static int pfs_site_add_indirect(int callee, unsigned long target,
				 unsigned long ret)
{
	struct kprobe *kp = &pfs_refault_entry_kp[callee];
	int err;

	if (!ret)
		return -EINVAL;
	if (pfs_refault_ret_nr == PFS_REFAULT_MAX_INDIRECT)
		return -E2BIG;
	pfs_refault_ret[pfs_refault_ret_nr++] = ret;
	if (kp->addr)
		return 0;	/* its entry is probed already */
	kp->addr = (kprobe_opcode_t *)target;
	kp->pre_handler = pfs_refault_entry_pre;
	err = register_kprobe(kp);
	if (err) {
		kp->addr = NULL;
		return err;
	}
	pfs_refault_kps[pfs_refault_nr++] = kp;
	pfs_refault_entries++;
	return 0;
}

static int pfs_site_add(unsigned long addr, int callee, unsigned long target,
			unsigned long ret_addr)
{
	struct kprobe *kp;
	int ret;

	if (pfs_refault_sites == PFS_REFAULT_MAX_SITES)
		return -E2BIG;
	kp = &pfs_refault_kp[pfs_refault_sites];
	memset(kp, 0, sizeof(*kp));
	kp->addr = (kprobe_opcode_t *)addr;
	kp->pre_handler = pfs_refault_pre;
	ret = register_kprobe(kp);
	if (ret == -EILSEQ)
		return 0;	/* the bytes were not an instruction's start */
	if (ret == -EINVAL)
		ret = pfs_site_add_indirect(callee, target, ret_addr);
	else if (!ret)
		pfs_refault_kps[pfs_refault_nr++] = kp;
	if (ret)
		return ret;
	pfs_refault_sites++;
	return 0;
}

/*
 * Probe every counting call of function @name. The number of sites added,
 * or an error: -ENOENT where the kernel has no such function.
 */
static int pfs_fn_attach(const char *name)
{
	unsigned long start, size, off, target;
	unsigned int before = pfs_refault_sites;
	int ret, callee;
	u8 *code;

	ret = pfs_fn_extent(name, &start, &size);
	if (ret)
		return ret;
	if (size < PFS_CALL_INSN_LEN || size > PFS_REFAULT_MAX_FN)
		return -E2BIG;
	code = kmalloc(size, GFP_KERNEL);
	if (!code)
		return -ENOMEM;
	ret = copy_from_kernel_nofault(code, (void *)start, size);
	for (off = 0; !ret && off + PFS_CALL_INSN_LEN <= size;
	     off += PFS_INSN_ALIGN) {
		target = pfs_call_target(code + off, start + off);
		callee = target ? pfs_callee(target) : -1;
		if (callee >= 0)
			ret = pfs_site_add(start + off, callee, target,
					   pfs_call_return(code + off, start + off));
	}
	kfree(code);
	return ret ? ret : pfs_refault_sites - before;
}

/* Remove every site: one wait for running handlers, not one per site. */
void pfs_refault_detach(void)
{
	BUILD_BUG_ON(ARRAY_SIZE(pfs_refault_kps) > PFS_UNREGISTER_MAX);
	if (pfs_refault_nr)
		pfs_unregister_kprobes(pfs_refault_kps, pfs_refault_nr);
	pfs_refault_nr = 0;
	pfs_refault_sites = 0;
	pfs_refault_entries = 0;
	pfs_refault_ret_nr = 0;
	pfs_refault_on = false;
}

/*
 * Probe the counting calls. Without every one of them the counts would not
 * be the kernel's: on any failure none is kept, and the module loads
 * without refault counting.
 */
void pfs_refault_attach(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(pfs_refault_fns); i++) {
		ret = pfs_fn_attach(pfs_refault_fns[i].name);
		if (ret == -ENOENT && !pfs_refault_fns[i].required)
			continue;
		if (ret == 0 && pfs_refault_fns[i].required)
			ret = -ENOENT;	/* the function counts nothing we know */
		if (ret < 0) {
			pr_warn("cannot probe the workingset counting calls in %s() (%d): refaults (refault_*) are not counted\n",
				pfs_refault_fns[i].name, ret);
			pfs_refault_detach();
			return;
		}
	}
	pfs_refault_on = true;
}

u64 pfs_refault_nmissed(void)
{
	return pfs_kprobes_nmissed(pfs_refault_kps, pfs_refault_nr);
}

void pfs_refault_show_status(struct seq_file *m)
{
	seq_printf(m, "probe_refault %s\n", pfs_refault_on ? "attached" : "off");
	seq_printf(m, "refault_sites %u\n", pfs_refault_sites);
	seq_printf(m, "nmissed_refault %llu\n", pfs_refault_nmissed());
	seq_printf(m, "refault_entry_probes %u\n", pfs_refault_entries);
}
