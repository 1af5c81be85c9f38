#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The trace event examples of docs/module.md ("Trying the events"), run
# exactly as written (tests/host checks that the doc quotes EXAMPLES below),
# with ./prog the event tests' workload (ev_workload).  What each prints must
# be the module's row of that ./prog: majors, retries, SIGSEGVs and EFAULTs
# exactly; minor faults up to those ./prog took between the consumer's fork
# and its exec, before the consumer turns the event on for it.

EXAMPLES=$(cat <<'END'
# the events of one command, counted
perf stat -e 'pagefault_stats:*' -- ./prog
# each fault of a command, recorded; then counted by result
perf record -e pagefault_stats:fault -- ./prog
perf script | grep -o 'result=[a-z]*' | sort | uniq -c
# the same with trace-cmd (-F: only the command)
trace-cmd record -e pagefault_stats -F ./prog
trace-cmd report | grep -o 'result=[a-z]*' | sort | uniq -c
# with bpftrace: the command's faults by result
bpftrace -e 'tracepoint:pagefault_stats:fault /pid == cpid/ { @[args->result] = count(); }' -c ./prog
END
)

# minor faults ./prog may take before a consumer enables the event for it:
# measured 20 to 40 (copy-on-write of the consumer's pages in its forked child)
PRE_EXEC_MAX=200
PROCS=/sys/kernel/debug/pagefault_stats/procs
FAILED=0
N=0

fail()
{
	echo "FAIL: $*"
	FAILED=$((FAILED + 1))
}

# need TOOL: the guest tools' word on TOOL (scripts/guest-tools.sh)
need()
{
	grep -q "^$1 ok " /tests/guest-tools 2>/dev/null && return 0
	fail "$(grep "^$1 " /tests/guest-tools 2>/dev/null || echo "$1: no /tests/guest-tools in this VM")"
	return 1
}

# col NAME: the column NAME of ./prog's row (pid and start_time from ev-info)
col()
{
	awk -v info="$(cat ev-info)" -v want="$1" '
		BEGIN {
			n = split(info, w, " ")
			for (i = 1; i <= n; i++) { split(w[i], kv, "="); f[kv[1]] = kv[2] }
		}
		$1 == "pid" { for (i = 1; i <= NF; i++) h[$i] = i; next }
		h["pid"] && $1 == f["pid"] && $h["start_time"] == f["start_time"] {
			print $h[want]; found = 1
		}
		END { if (!found) print "none" }' $PROCS
}

# expect WHAT GOT WANT
expect()
{
	if [ "$2" = "$3" ]; then
		echo "ok:   $1 = $2"
	else
		fail "$1 = $2, want $3 (the module's row of ./prog)"
	fi
}

# expect_minor GOT: within PRE_EXEC_MAX below the row's minor
expect_minor()
{
	want=$(col minor)
	if [ "$1" -le "$want" ] && [ $((want - $1)) -le $PRE_EXEC_MAX ]; then
		echo "ok:   minor = $1 (row $want: $((want - $1)) before the exec)"
	else
		fail "minor = $1, want the row's $want less at most $PRE_EXEC_MAX"
	fi
}

# by_result OUT: "RESULT COUNT" lines from uniq -c or bpftrace map output
by_result()
{
	sed -n 's/^ *\([0-9]*\) result=\([a-z]*\)$/\2 \1/p; s/^@\[\([a-z]*\)\]: \([0-9]*\)$/\1 \2/p' "$1"
}

# result_count RESULT: its count in ./counts, 0 if absent
result_count()
{
	awk -v r="$1" '$1 == r { print $2; f = 1 } END { if (!f) print 0 }' counts
}

# stat_count EVENT OUT: perf stat's count of pagefault_stats:EVENT
stat_count()
{
	awk -v e="pagefault_stats:$1" '$2 == e { gsub(",", "", $1); print $1 }' "$2"
}

# check_results OUT: the counts by result against the row
check_results()
{
	by_result "$1" >counts
	expect_minor "$(result_count minor)"
	for r in major retry sigbus oom; do
		expect $r "$(result_count $r)" "$(col $r)"
	done
}

# check_stat OUT: perf stat's counts of the two events against the row
check_stat()
{
	invalid=$(($(col segv_maperr) + $(col segv_accerr) + $(col segv_pkuerr) + $(col efault)))
	expect "invalid events" "$(stat_count invalid "$1")" "$invalid"
	faults=$(($(col minor) + $(col major) + $(col retry) + $(col oom) + $(col sigbus) +
		$(col hwpoison) + $(col segv_mm)))
	got=$(stat_count fault "$1")
	if [ -n "$got" ] && [ "$got" -le "$faults" ] && [ $((faults - got)) -le $PRE_EXEC_MAX ]; then
		echo "ok:   fault events = $got (row $faults: $((faults - got)) before the exec)"
	else
		fail "fault events = $got, want the row's $faults less at most $PRE_EXEC_MAX"
	fi
}

# run_example LINE: run it as written; check what it printed
run_example()
{
	N=$((N + 1))
	echo "\$ $1"
	case $1 in
	'perf stat'*|*record*|bpftrace*) rm -f ev-info ;;
	esac
	sh -c "$1" </dev/null >out.$N 2>&1
	rc=$?
	sed 's/^/  /' out.$N
	if [ $rc -ne 0 ]; then
		! grep -q "'linux/types.h' file not found" out.$N ||
			echo "bpftrace 0.17 wants kernel headers for tracepoint arguments on this kernel (5.10), and the VM has none"
		fail "exit status $rc"
		return
	fi
	case $1 in
	'perf stat'*) check_stat out.$N ;;
	'perf record'*|'trace-cmd record'*) [ -s ev-info ] || fail "./prog did not finish" ;;
	'perf script'*|'trace-cmd report'*) check_results out.$N ;;
	bpftrace*) [ -s ev-info ] || fail "./prog did not finish"; check_results out.$N ;;
	esac
}

main()
{
	dir=/tmp/ev-examples
	rm -rf $dir && mkdir -p $dir && cd $dir || exit 1
	ln -s /tests/bin/ev_workload prog
	for t in perf trace-cmd bpftrace; do
		need $t || { echo "the examples need all three tools"; exit 1; }
	done
	echo "$EXAMPLES" | grep -v '^#' | while IFS= read -r line; do
		run_example "$line"
		echo $FAILED >failed
	done
	FAILED=$(cat failed 2>/dev/null || echo 1)
	[ "$FAILED" -eq 0 ] || { echo "$FAILED failed"; exit 1; }
	echo "every example ran and printed the module's counts"
}

main
