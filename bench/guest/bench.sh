#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark's guest side (busybox sh), run by the test VM's /init as a
# list entry.  Prints "BENCH ..." lines (pfs-bench), "BENCHSTAT ..." (the
# module's own figures after a run), "BENCHRUN cfg= rep= status=" per run and
# a final "BENCHDONE failed=N"; exits non-zero if any configuration failed
# to run.  Never judges performance: bench/report.py does that on the host.
#
#   bench.sh icount REPS ROUNDS SEGVS FORKS SCALE_ROUNDS READS LEVELS CONFIGS \
#	PROFILE_ROUNDS [WORKLOADS REFAULT_ROUNDS REFAULT_PAGES]
#	configurations x workloads, alternating, REPS times; then the scale
#	test for base and pfs: anon faults with LEVELS (comma-separated, e.g.
#	10,1000,10000; "-" for none) processes in the table, then reading
#	the table.
#	CONFIGS is comma-separated, or "all".  PROFILE_ROUNDS > 0 adds a
#	perf profile (cpu-clock samples = instruction samples under icount)
#	of the anon workload under pfs and under the empty kretprobe.
#	WORKLOADS is comma-separated: suite (anon, file, segv, fork, with
#	the scale test and the profile) and refault (REFAULT_PAGES pages of
#	a file on an ext4 on zram evicted and brought back REFAULT_ROUNDS
#	times, under the configurations in REFAULT_CONFIGS); default both.
#   bench.sh smp REPS ROUNDS
#	1 and 2 anon workers at once, for base, pfs and kretprobe.

# the guest tools' libraries: x86_64-linux-gnu, or aarch64-linux-gnu on arm64
TRIPLET=$(uname -m)-linux-gnu
export LD_LIBRARY_PATH="/lib/$TRIPLET:/usr/lib/$TRIPLET"
MOD=/lib/modules/pagefault_stats.ko
REF=/bench/pfs_bench_ref.ko
DBG=/sys/kernel/debug/pagefault_stats
FILE=/mnt/disk/data64m
FAILED=0
# pfs-trace records the module's events here, as pfstat trace does
TRACEFS=/sys/kernel/tracing
EVBUF=$TRACEFS/instances/pfs-bench
# The refault workload's file: an ext4 image bench/run made, on a zram disk
# (a RAM disk whose reads complete in the reader's own context, so that
# under icount a refault costs instructions, not waits on the virtio disk),
# mounted read-only: nothing writes it back, no journal runs.
REFAULT_IMG=/bench/refault.img.gz
REFAULT_MNT=/mnt/refault
REFAULT_FILE=$REFAULT_MNT/data32m
CGROUP=/sys/fs/cgroup

ALL_CONFIGS="base pfs pfs-trace pfs-perf pfs-all pfs-filtered-out kretprobe kprobe bpftrace perf"
# the refault workload's: the module's modes, the fault path's floor (the
# mmap variant faults) and the empty kprobe on workingset_refault
REFAULT_CONFIGS="base pfs pfs-light kretprobe kprobe-refault kprobe-refault-sites"
REFAULT_ALL="base pfs kretprobe kprobe-refault kprobe-refault-sites"
# where the kernel has fprobe: also pagefault_stats' fprobe mode (its
# default is the kretprobe), and the empty fprobe
if grep -q ' register_fprobe$' /proc/kallsyms; then
	ALL_CONFIGS="base pfs pfs-trace pfs-perf pfs-fprobe pfs-all pfs-filtered-out kretprobe fprobe kprobe bpftrace perf"
	REFAULT_CONFIGS="base pfs pfs-fprobe pfs-light kretprobe kprobe-refault kprobe-refault-sites"
	REFAULT_ALL="base pfs pfs-fprobe kretprobe kprobe-refault kprobe-refault-sites"
fi

# x86-64: pagefault_stats' mode=direct, the empty direct trampoline of the
# reference and an empty BPF fexit (bpftrace kretfunc) on handle_mm_fault
if [ "$(uname -m)" = x86_64 ]; then
	ALL_CONFIGS="$ALL_CONFIGS pfs-direct direct fexit"
fi

fail()
{
	echo "BENCHFAIL $*"
	FAILED=$((FAILED + 1))
}

# The module's trace events recorded into a tracefs instance of our own
# (overwrite mode, nobody reading: the cost of the ring buffer's writer).
trace_on()
{
	[ -d $TRACEFS/instances ] || mount -t tracefs nodev $TRACEFS || return 1
	mkdir $EVBUF || return 1
	echo 1 >$EVBUF/events/pagefault_stats/enable
}

trace_off()
{
	echo 0 >$EVBUF/events/pagefault_stats/enable
	echo "BENCHSTAT cfg=pfs-trace rep=$1" \
		"$(awk '$1 == "entries:" { e += $2 } $1 == "overrun:" { o += $2 }
			END { printf "events_in_buffer=%d overrun=%d", e, o }' $EVBUF/per_cpu/cpu*/stats)"
	rmdir $EVBUF
}

# kprobes: the kprobes in the kernel where refaults are counted, as
# sym+0xoff/FLAGS, comma-separated; FLAGS OPTIMIZED (a jump), FTRACE
# (ftrace's call at a function's first byte) or int3
kprobes()
{
	awk '
		$2 == "k" && $3 ~ /^(workingset_refault|isolate_folios)[+]/ {
			f = ""
			for (i = 4; i <= NF; i++)
				if ($i ~ /^\[/) { gsub(/[][]/, "", $i); f = f (f ? "+" : "") $i }
			s = s (s ? "," : "") $3 "/" (f ? f : "int3")
		}
		END { print s }' /sys/kernel/debug/kprobes/list 2>/dev/null
}

# The filters' cgroups: pfs-bench runs in BENCH_CG under pfs-all (this shell
# moves in, its children follow), and BENCH_CG_NONE holds no process.
BENCH_CG=$CGROUP/pfs-bench
BENCH_CG_NONE=$CGROUP/pfs-bench-none

cg_enter()
{
	grep -q "^[^ ]* $CGROUP cgroup2 " /proc/mounts ||
		mount -t cgroup2 cgroup2 $CGROUP || return 1
	mkdir -p "$1" && echo $$ >"$1"/cgroup.procs
}

cg_leave()
{
	echo $$ >$CGROUP/cgroup.procs
}

# setup CFG: load what configuration CFG measures
setup()
{
	unset PFS_BENCH_PID_FILTER
	case $1 in
	base|bpftrace|perf|fexit) return 0 ;;
	pfs|pfs-perf) insmod $MOD ${2:-} ;;
	pfs-trace) insmod $MOD ${2:-} && trace_on ;;
	pfs-fprobe) insmod $MOD mode=fprobe ${2:-} ;;
	pfs-light) insmod $MOD mode=light ${2:-} ;;
	pfs-direct)
		insmod $MOD mode=direct ${2:-} || return 1
		grep -q '^mode direct$' /proc/pagefault_stats || {
			echo "mode=direct fell back: $(grep '^direct_reason' $DBG/status)"
			return 1
		}
		;;
	pfs-all)
		insmod $MOD || return 1
		cg_enter $BENCH_CG || return 1
		echo /pfs-bench >$DBG/cgroup_filter || return 1
		echo pfs-bench >$DBG/comm_filter || return 1
		# pfs-bench writes pid_filter itself: 15 absent pids, then its own
		export PFS_BENCH_PID_FILTER=1
		;;
	pfs-filtered-out)
		# pfs-bench is outside the filter: no row, the totals only
		insmod $MOD || return 1
		cg_enter $BENCH_CG_NONE && cg_leave || return 1
		echo /pfs-bench-none >$DBG/cgroup_filter || return 1
		;;
	kretprobe) insmod $REF probe=kretprobe ;;
	kprobe) insmod $REF probe=kprobe ;;
	fprobe) insmod $REF probe=fprobe ;;
	direct) insmod $REF probe=direct ;;
	kprobe-refault) insmod $REF probe=refault ;;
	kprobe-refault-sites)
		[ -n "$REFAULT_SITES" ] || {
			echo "pagefault_stats put no kprobe in workingset_refault"
			return 1
		}
		insmod $REF probe=sites sites="$REFAULT_SITES"
		;;
	*) echo "unknown configuration $1"; return 1 ;;
	esac
}

teardown()
{
	unset PFS_BENCH_PID_FILTER
	case $1 in
	pfs-trace) trace_off "$2" ;;
	pfs-all) cg_leave ;;
	esac
	case $1 in
	pfs|pfs-trace|pfs-perf|pfs-fprobe|pfs-light|pfs-direct|pfs-all|pfs-filtered-out)
		echo "BENCHSTAT cfg=$1 rep=$2${RUN_WL:+ wl=$RUN_WL}" \
			"$(awk '/^(mode|minor|major|nmissed|dropped|evicted|procs|segv_maperr|refault_[a-z]+) / { printf "%s=%s ", $1, $2 }' /proc/pagefault_stats)" \
			"$(awk '$1 ~ /^(clock|probe_refault|refault_sites|nmissed_refault)$/ { printf "%s=%s ", $1, $2 }' $DBG/status)" \
			"kprobes=$(kprobes)"
		rmmod pagefault_stats ;;
	kretprobe|kprobe|fprobe|direct|kprobe-refault|kprobe-refault-sites)
		[ "$1" != kprobe-refault-sites ] || echo "BENCHSTAT cfg=$1 rep=$2 kprobes=$(kprobes)"
		rmmod pfs_bench_ref ;;
	esac
}

# run CFG REP CMD...: CMD under configuration CFG
run()
{
	cfg=$1
	rep=$2
	shift 2
	if ! setup "$cfg"; then
		fail "cfg=$cfg rep=$rep setup"
		teardown "$cfg" "$rep" 2>/dev/null
		return 1
	fi
	rc=0
	case $cfg in
	bpftrace)
		bpftrace -o /tmp/bpftrace.out -c "$*" /bench/pfs.bt || rc=$?
		grep -q '^@minor' /tmp/bpftrace.out || {
			echo "bpftrace printed no @minor map:"
			head -n 20 /tmp/bpftrace.out
			rc=1
		}
		;;
	fexit)
		# an empty BPF fexit program: a BPF trampoline on handle_mm_fault
		bpftrace -o /tmp/fexit.out -c "$*" -e 'kretfunc:handle_mm_fault { }' || rc=$?
		grep -q '^Attaching 1 probe' /tmp/fexit.out || {
			echo "bpftrace did not attach kretfunc:handle_mm_fault:"
			head -n 20 /tmp/fexit.out
			rc=1
		}
		;;
	pfs-perf)
		perf stat -a -e 'pagefault_stats:*' -x, -o /tmp/perf.out -- "$@" || rc=$?
		echo "BENCHSTAT cfg=pfs-perf rep=$rep" \
			"$(awk -F, '/pagefault_stats:/ { sub(/.*:/, "", $3); printf "%s_events=%s ", $3, $1 }' /tmp/perf.out)"
		;;
	perf)
		perf stat -a -e page-faults -x, -o /tmp/perf.out -- "$@" || rc=$?
		echo "BENCHSTAT cfg=perf rep=$rep" \
			"$(awk -F, '/page-faults/ { printf "page-faults=%s", $1 }' /tmp/perf.out)"
		;;
	*)
		"$@" || rc=$?
		;;
	esac
	teardown "$cfg" "$rep" || rc=1
	if [ $rc -ne 0 ]; then
		fail "cfg=$cfg rep=$rep${RUN_WL:+ wl=$RUN_WL} exit $rc"
		echo "BENCHRUN cfg=$cfg rep=$rep${RUN_WL:+ wl=$RUN_WL} status=fail"
		return 1
	fi
	echo "BENCHRUN cfg=$cfg rep=$rep${RUN_WL:+ wl=$RUN_WL} status=ok"
}

info()
{
	echo "BENCHINFO kernel=$(uname -r) cpus=$(nproc)" \
		"mem_mib=$(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo)" \
		"thp=$(sed 's/.*\[\(.*\)\].*/\1/' /sys/kernel/mm/transparent_hugepage/enabled)" \
		"fault_around_bytes=$(cat /sys/kernel/debug/fault_around_bytes 2>/dev/null || echo -)" \
		"lru_gen=$(cat /sys/kernel/mm/lru_gen/enabled 2>/dev/null || echo -)" \
		"cmdline=$(tr ' ' '+' </proc/cmdline)"
}

# available CFG: whether the tool behind CFG is in the VM
available()
{
	case $1 in
	bpftrace|fexit) bpftrace --version >/dev/null 2>&1 ;;
	perf|pfs-perf) perf --version >/dev/null 2>&1 ;;
	*) return 0 ;;
	esac
}

# The pfs_proc slab cache's figures, for memory per tracked process.
slab()
{
	d=/sys/kernel/slab/pfs_proc
	if [ -d $d ]; then
		echo "BENCHMEM tag=$1 cache=$(basename "$(readlink -f $d)")" \
			"object_size=$(cat $d/object_size) slab_size=$(cat $d/slab_size)" \
			"objs_per_slab=$(cat $d/objs_per_slab) order=$(cat $d/order)" \
			"slabs=$(cut -d' ' -f1 $d/slabs) objects=$(cut -d' ' -f1 $d/objects)" \
			"procs=$(awk '$1 == "procs" { print $2 }' /proc/pagefault_stats 2>/dev/null)" \
			"$(awk '/^(Slab|SUnreclaim|VmallocUsed):/ { printf "%s_kib=%s ", $1, $2 }' /proc/meminfo | tr -d :)"
	else
		echo "BENCHMEM tag=$1 cache=absent"
	fi
}

# scale CFG REP ROUNDS READS LEVELS: per-fault cost with LEVELS processes
# in the table (exited ones stay until max_procs), then the time to read it.
scale()
{
	cfg=$1
	rep=$2
	if ! setup "$cfg" max_procs=16384; then
		fail "cfg=$cfg rep=$rep scale setup"
		return 1
	fi
	rc=0
	[ "$cfg" = base ] || slab "rep$rep-loaded"
	have=0
	for want in $(echo "$5" | tr , ' '); do
		pfs-bench spawn $((want - have)) || rc=$?
		have=$want
		[ "$cfg" = base ] || echo "BENCHSTAT cfg=$cfg rep=$rep tracked=$want" \
			"procs=$(awk '$1 == "procs" { print $2 }' /proc/pagefault_stats)"
		pfs-bench anon "$cfg" "$rep" "$3" "anon@$want" || rc=$?
	done
	if [ "$cfg" != base ]; then
		slab "rep$rep-$have"
		pfs-bench readfile "$cfg" "$rep" /proc/pagefault_stats "$4" || rc=$?
		[ "$rep" != 1 ] || ! available perf || prof_read || rc=$?
	fi
	teardown "$cfg" "$rep" || rc=1
	if [ $rc -ne 0 ]; then
		fail "cfg=$cfg rep=$rep scale exit $rc"
		echo "BENCHRUN cfg=$cfg-scale rep=$rep status=fail"
		return 1
	fi
	echo "BENCHRUN cfg=$cfg-scale rep=$rep status=ok"
}

# listed LIST WORD: whether comma- or space-separated LIST holds WORD
listed()
{
	case " $(echo "$1" | tr , ' ') " in
	*" $2 "*) return 0 ;;
	esac
	return 1
}

# The refault workload's setting: a memory controller in cgroup v2 for
# pfs-bench to make its cgroup under, and its file on a zram disk of its own.
refault_setup()
{
	grep -q "^[^ ]* $CGROUP cgroup2 " /proc/mounts ||
		mount -t cgroup2 cgroup2 $CGROUP || return 1
	grep -qw memory $CGROUP/cgroup.controllers || {
		echo "no memory controller in cgroup v2"
		return 1
	}
	echo +memory >$CGROUP/cgroup.subtree_control || return 1
	id=$(cat /sys/class/zram-control/hot_add) || return 1
	echo 64M >/sys/block/zram"$id"/disksize || return 1
	zcat $REFAULT_IMG >/dev/zram"$id" || return 1
	mkdir -p $REFAULT_MNT
	mount -t ext4 -o ro /dev/zram"$id" $REFAULT_MNT || return 1
	# the image's blocks as written, in the block device's page cache
	sync
	echo 1 >/proc/sys/vm/drop_caches
	# where pagefault_stats counts refaults, for kprobe-refault-sites
	REFAULT_SITES=
	if insmod $MOD; then
		REFAULT_SITES=$(kprobes | sed 's|/[^,]*||g')
		rmmod pagefault_stats
	fi
	echo "BENCHSTAT cfg=refault rep=0 sites=${REFAULT_SITES:--}"
}

# refault_runs REPS ROUNDS PAGES CONFIGS
refault_runs()
{
	if ! refault_setup; then
		fail "cfg=refault rep=0 setup"
		echo "BENCHRUN cfg=refault rep=0 wl=refault status=fail"
		return 1
	fi
	# warm-up: code, slab caches, the file's inode; not reported
	pfs-bench refault warmup 0 1 $REFAULT_FILE "$3" >/dev/null ||
		fail "cfg=warmup rep=0 wl=refault exit $?"
	RUN_WL=refault
	rep=1
	while [ $rep -le "$1" ]; do
		for c in $4; do
			run "$c" "$rep" pfs-bench refault "$c" "$rep" "$2" $REFAULT_FILE "$3"
		done
		rep=$((rep + 1))
	done
	unset RUN_WL
}

icount_mode()
{
	reps=$1 rounds=$2 segvs=$3 forks=$4 srounds=$5 reads=$6 levels=$7 configs=$8
	profrounds=${9:-0} workloads=${10:-suite,refault} rrounds=${11:-4} rpages=${12:-4096}
	if [ "$configs" = all ]; then
		configs=$ALL_CONFIGS
		rconfigs=$REFAULT_ALL
	else
		configs=$(echo "$configs" | tr , ' ')
		rconfigs=
		for c in $configs; do
			! listed "$REFAULT_CONFIGS" "$c" || rconfigs="$rconfigs $c"
		done
	fi
	run_configs=
	for c in $configs; do
		if [ "$c" = kprobe-refault ]; then
			continue	# the refault workload's only
		elif available "$c"; then
			run_configs="$run_configs $c"
		else
			fail "cfg=$c rep=0 not available in the VM:" \
				"$($c --version 2>&1 | head -n 2 | tr '\n' ' ')"
			echo "BENCHRUN cfg=$c rep=0 status=unavailable"
		fi
	done
	listed "$workloads" suite || { run_configs='' levels=- profrounds=0; }
	# warm-up: page cache, code, slab caches; not reported
	[ -z "$run_configs" ] ||
		pfs-bench suite warmup 0 "$rounds" "$segvs" "$forks" $FILE >/dev/null ||
		fail "cfg=warmup rep=0 exit $?"
	rep=1
	while [ -n "$run_configs" ] && [ $rep -le "$reps" ]; do
		for c in $run_configs; do
			run "$c" $rep pfs-bench suite "$c" $rep "$rounds" "$segvs" "$forks" $FILE
		done
		rep=$((rep + 1))
	done
	if listed "$workloads" refault && [ -n "$rconfigs" ]; then
		refault_runs "$reps" "$rrounds" "$rpages" "$rconfigs"
	fi
	rep=1
	while [ "$levels" != - ] && [ $rep -le "$reps" ]; do
		for c in base pfs; do
			scale $c $rep "$srounds" "$reads" "$levels"
		done
		rep=$((rep + 1))
	done
	if [ "$profrounds" -gt 0 ] && available perf; then
		for c in pfs kretprobe; do
			profile $c "$profrounds"
		done
	fi
}

# Where reading the table's 10,000 rows spends its instructions.
prof_read()
{
	perf record -q -a -e cpu-clock -F 20000 -o /tmp/perf.data -- \
		pfs-bench readfile readproc 0 /proc/pagefault_stats 3 >/dev/null 2>/tmp/perf-record.log || {
		cat /tmp/perf-record.log
		return 1
	}
	perf_top readproc
}

# perf_top CFG: /tmp/perf.data by symbol, as BENCHPROF lines
perf_top()
{
	perf report -i /tmp/perf.data --stdio --sort sym --percent-limit 0.2 2>/dev/null |
		awk -v c="$1" '/%/ && !/^#/ { printf "BENCHPROF cfg=%s pct=%s sym=%s\n", c, $1, $NF }'
	rm -f /tmp/perf.data
}

# profile CFG ROUNDS: where the anon workload's instructions go, by symbol.
# perf's cpu-clock timer runs on guest time, which under icount counts
# instructions: each sample stands for the same number of instructions.
profile()
{
	if ! setup "$1"; then
		fail "cfg=$1 profile setup"
		return 1
	fi
	rc=0
	perf record -q -a -e cpu-clock -F 20000 -o /tmp/perf.data -- \
		pfs-bench anon "$1" 0 "$2" anon >/dev/null 2>/tmp/perf-record.log || rc=$?
	[ $rc -eq 0 ] || cat /tmp/perf-record.log
	perf_top "$1"
	teardown "$1" prof || rc=1
	if [ $rc -ne 0 ]; then
		fail "cfg=$1 profile exit $rc"
		echo "BENCHRUN cfg=$1-profile rep=1 status=fail"
		return 1
	fi
	echo "BENCHRUN cfg=$1-profile rep=1 status=ok"
}

smp_mode()
{
	reps=$1 rounds=$2
	pfs-bench smp warmup 0 2 "$rounds" >/dev/null || fail "cfg=warmup rep=0 exit $?"
	rep=1
	while [ $rep -le "$reps" ]; do
		for c in base pfs kretprobe; do
			run "$c" $rep sh -c "pfs-bench smp $c $rep 1 $rounds && pfs-bench smp $c $rep 2 $rounds"
		done
		rep=$((rep + 1))
	done
}

main()
{
	mode=$1
	shift
	# /init loaded the module for its 'load' test: start from no probes
	rmmod pagefault_stats 2>/dev/null
	info
	case $mode in
	icount) icount_mode "$@" ;;
	smp) smp_mode "$@" ;;
	*) fail "unknown mode $mode" ;;
	esac
	echo "BENCHDONE failed=$FAILED"
	[ $FAILED -eq 0 ]
}

main "$@"
