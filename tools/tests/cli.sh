#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pfstat's command line on fixture files: exit codes, one-line errors,
# every output format, watch, run, hist, reset. TAP 13 output.
#
# usage: cli.sh PFSTAT FIXTURES_DIR

P=$1
F=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# shellcheck disable=SC2034 # read by tap.sh
TAP_ERR=$T/err
# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"
have_python=0
command -v python3 >/dev/null 2>&1 && have_python=1

# expect STATUS NAME CMD...: run, compare the exit status
expect() {
	want=$1 name=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	[ "$got" -eq "$want" ]
	r=$?
	[ $r -ne 0 ] && echo "# $name: exit $got, want $want"
	ok $r "$name"
}

json_ok() {	# each line of $1 (or the whole file) is a JSON document
	if [ $have_python -eq 0 ]; then
		skip "$2" "no python3"
		return
	fi
	python3 - "$1" "$3" <<'PY'
import json, sys
data = open(sys.argv[1], encoding="utf-8", errors="strict").read()
if sys.argv[2] == "lines":
    lines = data.splitlines()
    assert lines, "no lines"
    for l in lines:
        json.loads(l)
else:
    json.loads(data)
PY
	ok $? "$2"
}

echo "TAP version 13"

expect 0 "--version exits 0" "$P" --version
grep -q "format 1" "$T/out"; ok $? "--version names format 1"
expect 0 "--help exits 0" "$P" --help
grep -q "pfstat run" "$T/out"; ok $? "--help shows run"
expect 1 "unknown option is a usage error" "$P" --bogus
expect 1 "unknown sort column is a usage error" "$P" -s nonsense --proc-file "$F/proc_basic.txt"
expect 1 "-C without -i is a usage error" "$P" -C 3 --proc-file "$F/proc_basic.txt"
expect 1 "unknown format is a usage error" "$P" -o xml --proc-file "$F/proc_basic.txt"
expect 1 "unknown command is a usage error" "$P" frobnicate
expect 1 "run without a command is a usage error" "$P" run
expect 1 "prometheus with -i is a usage error" "$P" -o prometheus -i 1 --proc-file "$F/proc_basic.txt"
expect 2 "missing proc file exits 2" "$P" --proc-file "$T/none"
[ "$(wc -l <"$T/err")" -eq 1 ] && grep -q "$T/none" "$T/err"
ok $? "missing proc file: one line naming the file"

for f in "$F"/bad_*.txt; do
	b=$(basename "$f")
	case $b in bad_hist_*) continue ;; esac
	expect 2 "$b refused with exit 2" "$P" --proc-file "$f"
	[ "$(wc -l <"$T/err")" -eq 1 ] && grep -Eq "^pfstat: $f(:[0-9]+)?: " "$T/err"
	ok $? "$b: one line naming file and line"
	[ -s "$T/out" ]; [ $? -ne 0 ]; ok $? "$b: nothing on stdout"
done
grep -q "format version 2, this pfstat reads version 1" "$T/err" 2>/dev/null
"$P" --proc-file "$F/bad_version.txt" 2>"$T/err"
grep -q "format version 2, this pfstat reads version 1" "$T/err"
ok $? "unknown version: error names both versions"

for f in "$F"/proc_*.txt "$F"/procs_*.txt; do
	b=$(basename "$f")
	for o in text json csv prometheus; do
		expect 0 "$b -o $o" "$P" --proc-file "$f" -o "$o"
	done
	"$P" --proc-file "$f" -o json >"$T/j" 2>"$T/err"
	json_ok "$T/j" "$b: JSON parses (strict UTF-8)"
done

"$P" --proc-file "$F/proc_basic.txt" -n 2 -s major >"$T/out"
[ "$(grep -c alive "$T/out")" -eq 2 ] && grep -q "(8 processes)" "$T/out"
ok $? "-n 2 shows two rows, totals over eight"
"$P" --proc-file "$F/proc_basic.txt" -p 1234 -o csv >"$T/out"
[ "$(wc -l <"$T/out")" -eq 3 ]; ok $? "-p 1234 selects both processes that had pid 1234"
"$P" --proc-file "$F/proc_basic.txt" --exited -o csv >"$T/out"
[ "$(grep -c ',exited,' "$T/out")" -eq 3 ] && ! grep -q ',alive,' "$T/out"
ok $? "--exited selects the three exited processes"
"$P" --proc-file "$F/proc_comm_escapes.txt" >"$T/out"
! grep -q "$(printf '\033')" "$T/out"; ok $? "no raw ESC from a hostile comm reaches the terminal"

"$P" --proc-file "$F/proc_basic.txt" -o prometheus -O "$T/pf.prom" >"$T/out"
[ -s "$T/pf.prom" ] && [ ! -s "$T/out" ] && ! ls "$T"/pf.prom.tmp.* >/dev/null 2>&1
ok $? "-O writes the file atomically, nothing on stdout"
(umask 077 && "$P" --proc-file "$F/proc_basic.txt" -o prometheus -O "$T/pf.prom")
[ "$(stat -c %a "$T/pf.prom")" = 644 ]
ok $? "-O: the file is 0644 under umask 077 (node_exporter's user reads it)"
printf 'old\n' >"$T/pf.prom"
exec 3<"$T/pf.prom"
"$P" --proc-file "$F/proc_basic.txt" -o prometheus -O "$T/pf.prom"
[ "$(cat <&3)" = old ] && grep -q '^pagefault_stats_' "$T/pf.prom"
ok $? "-O replaces the file by rename: a reader of the old one still reads it whole"
exec 3<&-
mkdir "$T/isdir"
expect 2 "-O onto a directory: the rename fails, exit 2" \
	"$P" --proc-file "$F/proc_basic.txt" -o prometheus -O "$T/isdir"
[ "$(wc -l <"$T/err")" -eq 1 ] && grep -q "cannot rename" "$T/err" &&
	[ -d "$T/isdir" ] && ! ls "$T"/isdir.tmp.* >/dev/null 2>&1
ok $? "-O, rename failed: one line, the target untouched, no temporary file left"
expect 2 "-O into a missing directory exits 2" \
	"$P" --proc-file "$F/proc_basic.txt" -o prometheus -O "$T/nodir/pf.prom"
[ "$(wc -l <"$T/err")" -eq 1 ] && grep -q "$T/nodir/pf.prom.tmp" "$T/err"
ok $? "-O into a missing directory: one line naming the file"

# watch on a static file: deltas are zero, so no active processes
"$P" --proc-file "$F/proc_basic.txt" -i 0.05 -C 3 -o json >"$T/w" 2>"$T/err"
ok $? "watch -C 3 exits 0"
[ "$(wc -l <"$T/w")" -eq 3 ]; ok $? "watch -C 3 -o json: three lines"
json_ok "$T/w" "watch NDJSON: every line a document" lines
"$P" --proc-file "$F/proc_basic.txt" -i 0.05 -C 2 -a -o csv >"$T/w"
[ "$(grep -c '^[0-9.]*,[12],' "$T/w")" -eq 16 ]; ok $? "watch -a -o csv: 8 rows per interval"
"$P" --proc-file "$F/proc_basic.txt" -i 0.1 -o json >"$T/w" 2>"$T/err" &
wpid=$!
sleep 0.55
kill -INT $wpid
wait $wpid
ok $? "watch ends with exit 0 on SIGINT"
json_ok "$T/w" "watch interrupted: only whole JSON lines" lines

mkdir -p "$T/dbg"
cp "$F/hist_basic.txt" "$T/dbg/hist"
expect 0 "hist from a debugfs dir" "$P" hist --debugfs-dir "$T/dbg" -w 20
grep -q "minor: 6199 calls" "$T/out"; ok $? "hist text: calls per kind"
"$P" hist --debugfs-dir "$T/dbg" -o json >"$T/j"
json_ok "$T/j" "hist JSON parses"
cp "$F/bad_hist_bucket.txt" "$T/dbg/hist"
expect 2 "hist refuses a malformed hist" "$P" hist --debugfs-dir "$T/dbg"
expect 2 "hist without debugfs dir exits 2" "$P" hist --debugfs-dir "$T/nodir"
: >"$T/dbg/reset"
expect 0 "reset writes the control file" "$P" reset --debugfs-dir "$T/dbg"
[ "$(cat "$T/dbg/reset")" = "1" ]; ok $? "reset wrote 1"
expect 2 "reset without the module exits 2" "$P" reset --debugfs-dir "$T/nodir"
if [ "$(id -u)" -ne 0 ]; then
	chmod 0444 "$T/dbg/reset"
	expect 2 "reset without permission exits 2" "$P" reset --debugfs-dir "$T/dbg"
	grep -q "permission denied" "$T/err"; ok $? "reset: says permission denied"
else
	skip "reset without permission exits 2" "running as root"
fi

# run: a fixture has no row for the command, but status and rusage come through
expect 0 "run true: exit 0" "$P" run --proc-file "$F/proc_basic.txt" --debugfs-dir "$T/nodir" -- true
expect 3 "run: the command's exit status" "$P" run --proc-file "$F/proc_basic.txt" --debugfs-dir "$T/nodir" -- sh -c 'exit 3'
expect 137 "run: 128+9 when killed by SIGKILL" "$P" run --proc-file "$F/proc_basic.txt" --debugfs-dir "$T/nodir" -- sh -c 'kill -9 $$'
expect 127 "run: 127 for a command not found" "$P" run --proc-file "$F/proc_basic.txt" -- "$T/no-such-command"
expect 2 "run: exit 2 before running when the module is missing" "$P" run --proc-file "$T/none" -- touch "$T/ran"
[ ! -e "$T/ran" ]; ok $? "run: the command did not run without the module"
"$P" run -o json -O "$T/run.json" --proc-file "$F/proc_basic.txt" --debugfs-dir "$T/nodir" -- sh -c 'echo hi' >"$T/out" 2>"$T/err"
[ "$(cat "$T/out")" = "hi" ]; ok $? "run: the command's stdout is its own"
json_ok "$T/run.json" "run -o json parses"
if [ $have_python -eq 1 ]; then
	python3 - "$T/run.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["command"] == ["sh", "-c", "echo hi"]
assert d["exit"]["code"] == 0 and d["exit"]["status"] == 0
assert d["rusage"]["minflt"] > 0
assert d["kernel"]["self"]["minflt"] > 0
assert d["start_time"] > 0
PY
	ok $? "run JSON: command, exit, rusage and the zombie's /proc stat"
fi

# run finds its row by (pid, start_time) and sums descendants by ppid:
# the command writes the table itself, with its own pid and start time.
H="pid comm state minor major retry segv_maperr segv_accerr segv_pkuerr sigbus oom efault hwpoison segv_mm remote fault_ns start_time ppid"
printf 'pagefault_stats 1\nnmissed 0\n\n%s\n' "$H" >"$T/live"
cat >"$T/fake.sh" <<EOS
st=\$(awk '{print \$22}' /proc/\$\$/stat)
{
printf 'pagefault_stats 1\\nnmissed 0\\ndropped 0\\n\\n%s\\n' "$H"
echo "\$\$ fake exited 100 2 0 1 0 0 0 0 0 0 0 0 5000 \$st 1"
echo "99999 kid exited 40 1 0 0 0 0 0 0 0 0 0 0 700 \$st \$\$"
echo "99998 grandkid exited 7 0 0 0 0 0 0 0 0 0 0 0 30 \$st 99999"
echo "99997 daemon alive 5 0 0 0 0 0 0 0 0 0 0 0 1 \$st 99999"
echo "99996 older exited 1000 0 0 0 0 0 0 0 0 0 0 0 1 0 \$\$"
} >"$T/live"
EOS
"$P" run -o json -O "$T/run2.json" --proc-file "$T/live" --debugfs-dir "$T/nodir" -- sh "$T/fake.sh" 2>"$T/err"
ok $? "run with a row for the command"
if [ $have_python -eq 1 ]; then
	python3 - "$T/run2.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["self"]["comm"] == "fake" and d["self"]["minor"] == 100, d["self"]
assert d["self"]["invalid"] == 1
w = d["with_children"]
# fake + kid + grandkid; the running daemon is listed but not summed,
# the older process (start_time 0) is not a descendant
assert w["minor"] == 147 and w["major"] == 3 and w["processes"] == 3, w
assert w["fault_ns"] == 5730, w
assert d["descendants_alive"] == 1
assert sorted(p["pid"] for p in d["descendants"]) == [99997, 99998, 99999]
PY
	ok $? "run JSON: self row by (pid, start_time), descendants summed by ppid"
fi
"$P" run --proc-file "$T/live" --debugfs-dir "$T/nodir" -- sh "$T/fake.sh" 2>"$T/out"
grep -Eq "minor faults +100 +[0-9]+ +147" "$T/out"; ok $? "run text: minor self and with children"
grep -q "needs root" "$T/out"; ok $? "run text: causes need root without debugfs"

# issue 11: the refault columns and thrash time
R="$F/proc_refault.txt"
"$P" --proc-file "$R" >"$T/out"
grep -q " FLT-TIME THRASH COMMAND$" "$T/out" && grep -Eq " 37800 lab-5$" "$T/out" &&
	grep -q "64100 refaults, 38000 thrash$" "$T/out"
ok $? "table: THRASH (refault_active) before COMMAND, refaults on the module line"
"$P" --proc-file "$F/proc_basic.txt" >"$T/out"
! grep -q "THRASH\|refault" "$T/out"; ok $? "table of an older module: no THRASH column"
"$P" --proc-file "$R" -l >"$T/out"
grep -q " REFAULT-ANON REFAULT-FILE REFAULT-ACTIVE REFAULT-RESTORE THRASH-NS COMMAND$" "$T/out" &&
	grep -Eq " 7\.25s lab-5$" "$T/out" && grep -Eq " - systemd$" "$T/out" &&
	grep -q "kernel.task_delayacct=1" "$T/out"
ok $? "-l: the refault columns, THRASH-NS in units, '-' when unknown, and why"
"$P" --proc-file "$R" -s thrash -o csv >"$T/out"
sed -n 2p "$T/out" | grep -q "^2001,lab-5,"; ok $? "-s thrash: the most working-set refaults first"
"$P" --proc-file "$R" -o csv >"$T/out"
head -1 "$T/out" | grep -q ",ppid,invalid,refault_anon,refault_file,refault_active,refault_restore,thrash_ns$(printf '\r')$" &&
	grep -q "^1,systemd,.*,0,12,3,0,$(printf '\r')$" "$T/out"
ok $? "csv: the refault columns last, an empty thrash_ns when unknown"
"$P" --proc-file "$R" -o prometheus >"$T/out"
[ "$(grep -c '^pagefault_stats_thrash_seconds_total{' "$T/out")" -eq 2 ] &&
	grep -q '^pagefault_stats_refault_pages_total{pid="2002",comm="cat",start_time="9100",kind="file"} 22787$' "$T/out" &&
	grep -q '^pagefault_stats_all_refault_active_pages_total 38000$' "$T/out" &&
	grep -q '^# TYPE pagefault_stats_refault_restore_pages_total counter$' "$T/out"
ok $? "prometheus: refault families, thrash series only where known"
if [ $have_python -eq 1 ]; then
	"$P" --proc-file "$R" -o json >"$T/j"
	python3 - "$T/j" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
p = {x["pid"]: x for x in d["processes"]}
assert p[1]["thrash_ns"] is None and p[1]["refault_active"] == 3, p[1]
assert p[2001]["thrash_ns"] == 7250000000 and p[2001]["refault_restore"] == 8800
assert d["total"]["thrash_ns"] == 7253400000 and d["total"]["refault_active"] == 38000
assert d["module"]["refault_file"] == 23100
PY
	ok $? "json: refault fields, thrash_ns null when unknown, totals of the known"
fi

# watch across a change of the file: interval 2 sees lab-5 refault 1000 more
cp "$R" "$T/live-refault"
"$P" --proc-file "$T/live-refault" -i 0.6 -C 2 -o csv >"$T/w" 2>"$T/err" &
wpid=$!
sleep 0.9
sed 's/^2001 lab-5 \(.*\) 37800 8800 7250000000$/2001 lab-5 \1 38800 8800 7850000000/' "$R" >"$T/live-refault.new"
mv "$T/live-refault.new" "$T/live-refault"
wait $wpid
ok $? "watch a changing file exits 0"
head -1 "$T/w" | grep -q ",minor_per_s,major_per_s,refault_anon,refault_file,refault_active,refault_restore,thrash_ns,refault_anon_per_s,refault_file_per_s,refault_active_per_s,refault_restore_per_s,thrash_ns_per_s$(printf '\r')$" &&
	grep -Eq "^[0-9.]+,2,[0-9.]+,2001,lab-5,.*,0,0,1000,0,600000000,0\.000,0\.000,[0-9]+\.[0-9]+,0\.000,[0-9]+\.[0-9]+$(printf '\r')$" "$T/w"
ok $? "watch csv: refault deltas and their rates at the end"

# run with the refault columns: the command's row, a child without thrash time
H2="$H refault_anon refault_file refault_active refault_restore thrash_ns"
cat >"$T/fake2.sh" <<EOS
st=\$(awk '{print \$22}' /proc/\$\$/stat)
{
printf 'pagefault_stats 1\\nnmissed 0\\ndropped 0\\nrefault_active 12\\n\\n%s\\n' "$H2"
echo "\$\$ fake exited 100 2 0 1 0 0 0 0 0 0 0 0 5000 \$st 1 10 20 5 2 3000000"
echo "99999 kid exited 40 1 0 0 0 0 0 0 0 0 0 0 700 \$st \$\$ 1 2 3 1 -"
} >"$T/live"
EOS
"$P" run --proc-file "$T/live" --debugfs-dir "$T/nodir" -- sh "$T/fake2.sh" 2>"$T/out"
grep -Eq "working set \(thrash\) +5 +8$" "$T/out" && grep -Eq "time thrashing +3\.0ms +3\.0ms$" "$T/out" &&
	grep -q "leaves out 1 process" "$T/out"
ok $? "run text: refaulted pages and time thrashing, self and with children"
"$P" run -o json -O "$T/run3.json" --proc-file "$T/live" --debugfs-dir "$T/nodir" -- sh "$T/fake2.sh" 2>"$T/err"
if [ $have_python -eq 1 ]; then
	python3 - "$T/run3.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["self"]["refault_active"] == 5 and d["self"]["thrash_ns"] == 3000000, d["self"]
assert d["descendants"][0]["thrash_ns"] is None
assert d["with_children"]["refault_file"] == 22 and d["with_children"]["thrash_ns"] == 3000000
PY
	ok $? "run JSON: refault fields, null thrash_ns of the child"
fi

# issue 12: --by comm|cgroup|parent
C="$F/proc_cgroup.txt"
expect 1 "--by of an unknown key is a usage error" "$P" --by uid --proc-file "$C"
grep -q "^pfstat: --by: not comm, cgroup or parent: 'uid'$" "$T/err"; ok $? "--by uid: says which keys there are"
expect 1 "--by with run is a usage error" "$P" run --by comm -- true
expect 1 "-o prometheus --by parent is a usage error" "$P" -o prometheus --by parent --proc-file "$C"
expect 2 "--by cgroup of a module without the cgroup column exits 2" "$P" --by cgroup --proc-file "$F/proc_refault.txt"
[ "$(wc -l <"$T/err")" -eq 1 ] && grep -q "proc_refault.txt: grouping by cgroup needs a pagefault_stats module with the cgroup column" "$T/err" &&
	[ ! -s "$T/out" ]
ok $? "--by cgroup without the column: one line, nothing on stdout"
expect 0 "--by comm of a module without the cgroup column" "$P" --by comm --proc-file "$F/proc_basic.txt"
expect 0 "--by parent of a module without the cgroup column" "$P" --by parent --proc-file "$F/proc_basic.txt"
mkdir -p "$T/nocg"
for f in "$F"/proc_*.txt "$F"/procs_*.txt; do
	b=$(basename "$f")
	for by in comm parent cgroup; do
		[ $by = cgroup ] && ! head -40 "$f" | grep -q "^pid .* cgroup$(printf '\r')\?$" && continue
		for o in text json csv; do
			PFSTAT_CGROUP_ROOT="$T/nocg" "$P" --proc-file "$f" --by $by -o $o >"$T/out" 2>"$T/err"
			ok $? "$b --by $by -o $o"
		done
		PFSTAT_CGROUP_ROOT="$T/nocg" "$P" --proc-file "$f" --by $by -o json >"$T/j" 2>"$T/err"
		json_ok "$T/j" "$b --by $by: JSON parses"
	done
done
"$P" --proc-file "$C" --by comm -o csv >"$T/out"
grep -q "^cc1,3,2,345233,8,2,1,0,0,0,0,0,0,0,0,40041237,1,0,0,0,0,$(printf '\r')$" "$T/out"
ok $? "--by comm csv: the three cc1 summed, thrash_ns unknown"
"$P" --proc-file "$C" --by parent >"$T/out"
grep -Eq "^ 1300 exited +3 +1 +343k .* make$" "$T/out" && grep -Eq "^ 1300 alive +2 +2 +2210 .* make$" "$T/out" &&
	grep -Eq "^ +1 alive +10 +7 " "$T/out" && grep -q "(11 process trees, 11 processes)" "$T/out"
ok $? "--by parent: the exited make keeps its children, the later make its own"
"$P" --proc-file "$C" --by parent -c make -o json >"$T/j"
if [ $have_python -eq 1 ]; then
	python3 - "$T/j" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["group_by"] == "parent" and "processes" not in d
g = {(x["pid"], x["start_time"]): x for x in d["groups"]}
assert g[(1300, 6000)]["procs"] == 3 and g[(1300, 6000)]["minor"] == 190 + 342233 + 1000
assert g[(1300, 9500)]["procs"] == 2
assert d["total"]["processes"] == 5 and d["total"]["groups"] == 2
PY
	ok $? "--by parent -c make: the makes head groups with their children"
fi
# a fake cgroup2 tree: ids are the inode numbers of its directories
CG="$T/cg"
mkdir -p "$CG/sys.slice/foo.service" "$CG/gone"
printf 'some avg10=2.50 avg60=1.00 avg300=0.10 total=1500000\nfull avg10=1.25 avg60=0.50 avg300=0.05 total=700000\n' \
	>"$CG/sys.slice/foo.service/memory.pressure"
i_root=$(stat -c %i "$CG") i_foo=$(stat -c %i "$CG/sys.slice/foo.service") i_gone=$(stat -c %i "$CG/gone")
rmdir "$CG/gone"
sed -e "/^[0-9]/s/ 1$/ $i_root/" -e "/^[0-9]/s/ 2100$/ $i_foo/" -e "/^[0-9]/s/ 3000$/ $i_foo/" \
	-e "/^[0-9]/s/ 4000$/ $i_gone/" "$C" >"$T/cgfix"
PFSTAT_CGROUP_ROOT="$CG" "$P" --proc-file "$T/cgfix" --by cgroup >"$T/out" 2>"$T/err"
ok $? "--by cgroup on a fake tree exits 0"
grep -Eq "^ +7 +5 +.* 2\.50% +1\.25% /sys\.slice/foo\.service$" "$T/out" && grep -Eq " - +- #$i_gone$" "$T/out" &&
	grep -Eq " - +- /$" "$T/out" && grep -q "(total: 3 cgroups)" "$T/out"
ok $? "--by cgroup: paths, memory pressure, a removed cgroup as #ID"
PFSTAT_CGROUP_ROOT="$CG" "$P" --proc-file "$T/cgfix" --by cgroup -o prometheus >"$T/out"
grep -q "^pagefault_stats_cgroup_faults_total{cgroup=\"/sys.slice/foo.service\",type=\"minor\"} 352645$" "$T/out" &&
	grep -q "^pagefault_stats_cgroup_memory_pressure_seconds_total{cgroup=\"/sys.slice/foo.service\",kind=\"full\"} 0.700000$" "$T/out" &&
	! grep -q 'pid="' "$T/out"
ok $? "prometheus --by cgroup: series by cgroup path, PSI in seconds, no pid label"
"$P" --proc-file "$C" --by comm -o prometheus >"$T/out"
grep -q '^pagefault_stats_comm_faults_total{comm="cc1",type="minor"} 345233$' "$T/out" &&
	grep -q '^pagefault_stats_comm_processes_alive{comm="cc1"} 2$' "$T/out" && ! grep -q 'pid="' "$T/out"
ok $? "prometheus --by comm: series by comm"
PFSTAT_CGROUP_ROOT="$CG" "$P" --proc-file "$T/cgfix" --by cgroup -i 0.05 -C 2 -a -o csv >"$T/w" 2>"$T/err"
[ $? -eq 0 ] && [ "$(grep -c '^[0-9.]*,[12],[0-9.]*,/sys.slice/foo.service,7,5,' "$T/w")" -eq 2 ]
ok $? "watch --by cgroup -o csv: a row per cgroup per interval"

# promtool check metrics: every prometheus output pfstat writes, clean
if command -v promtool >/dev/null 2>&1; then
	for f in "$F"/proc_*.txt "$F"/procs_*.txt; do
		b=$(basename "$f")
		for by in pid comm cgroup; do
			[ $by = cgroup ] && ! head -40 "$f" | grep -q "^pid .* cgroup$(printf '\r')\?$" && continue
			a=; [ $by = pid ] || a="--by $by"
			# shellcheck disable=SC2086
			PFSTAT_CGROUP_ROOT="$CG" "$P" --proc-file "$f" -o prometheus $a >"$T/prom" 2>"$T/err" &&
				promtool check metrics <"$T/prom" >"$T/lint" 2>&1 && [ ! -s "$T/lint" ]
			r=$?
			[ $r -ne 0 ] && sed 's/^/# promtool: /' "$T/lint" | head -5
			ok $r "promtool check metrics: $b ${a:---by pid}"
		done
	done
	PFSTAT_CGROUP_ROOT="$CG" "$P" --proc-file "$T/cgfix" -o prometheus --by cgroup >"$T/prom" &&
		promtool check metrics <"$T/prom" >"$T/lint" 2>&1 && [ ! -s "$T/lint" ]
	ok $? "promtool check metrics: --by cgroup with memory pressure"
	cp "$F/hist_basic.txt" "$T/dbg/hist"
	"$P" hist --debugfs-dir "$T/dbg" -o prometheus >"$T/prom" &&
		promtool check metrics <"$T/prom" >"$T/lint" 2>&1 && [ ! -s "$T/lint" ]
	ok $? "promtool check metrics: hist"
else
	skip "promtool check metrics" "no promtool (Debian package prometheus)"
fi

# trace and where: what is refused before tracefs is touched
"$P" --help >"$T/out"
grep -q "pfstat trace" "$T/out" && grep -q "pfstat where" "$T/out" && grep -q -- "--buffer-kb" "$T/out"
ok $? "--help shows trace, where and --buffer-kb"
expect 1 "where without -p is a usage error" "$P" where
expect 1 "where with two pids is a usage error" "$P" where -p 1,2
expect 1 "where -C is a usage error" "$P" where -p 1 -C 3
expect 1 "trace -i is a usage error" "$P" trace -i 1
expect 1 "trace -o csv is a usage error" "$P" trace -o csv
expect 1 "--major without trace is a usage error" "$P" --major --proc-file "$F/proc_basic.txt"
expect 1 "--where without run is a usage error" "$P" trace --where
expect 1 "--buffer-kb 0 is a usage error" "$P" trace --buffer-kb 0
expect 1 "--duration 0 is a usage error" "$P" trace --duration 0
expect 2 "trace -p of no process exits 2" "$P" trace -p 2147483
[ "$(wc -l <"$T/err")" -eq 1 ] && grep -q "no process with pid 2147483" "$T/err"
ok $? "trace -p of no process: one line naming the pid"
expect 2 "where -p of no process exits 2" "$P" where -p 2147483 -i 1

# plot: pictures from fixtures, their data, and what is refused
one_line() {	# $1: the stderr of the last expect has one line matching $2
	[ "$(wc -l <"$T/err")" -eq 1 ] && grep -q -- "$1" "$T/err"
}
png_ok() {	# $1 is a PNG of width $2: signature and IHDR
	[ "$(od -An -tx1 -N8 "$1" | tr -d ' \n')" = "89504e470d0a1a0a" ] &&
		[ "$(od -An -tu1 -j16 -N4 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4}')" -eq "$2" ] &&
		[ "$(wc -c <"$1")" -gt 8000 ]
}
mkdir -p "$T/pdbg"
cp "$F/hist_basic.txt" "$T/pdbg/hist"
expect 0 "plot hist from a debugfs dir" "$P" plot hist --debugfs-dir "$T/pdbg" -O "$T/h.png" --data "$T/h.csv"
png_ok "$T/h.png" 1000; ok $? "plot hist: a 1000-pixel-wide PNG"
"$P" hist --debugfs-dir "$T/pdbg" -o csv >"$T/hist.csv"
cmp -s "$T/h.csv" "$T/hist.csv"; ok $? "plot hist --data is hist -o csv"
expect 0 "plot hist to SVG" "$P" plot --debugfs-dir "$T/pdbg" hist -O "$T/H.SVG"
head -c 5 "$T/H.SVG" | grep -q '<?xml' && grep -q '</svg>' "$T/H.SVG"; ok $? "plot hist: an SVG document"
expect 2 "plot hist of a malformed hist exits 2" sh -c "cp '$F/bad_hist_bucket.txt' '$T/pdbg/hist'; '$P' plot hist --debugfs-dir '$T/pdbg' -O '$T/bad.png'"
[ ! -e "$T/bad.png" ]; ok $? "plot hist of a malformed hist writes no picture"
expect 2 "plot to .jpg exits 2" "$P" plot hist --debugfs-dir "$T/pdbg" -O "$T/h.jpg"
one_line "not a picture name"; ok $? "plot to .jpg: one line"
expect 2 "plot to stdout exits 2" "$P" plot hist -O -
one_line "goes to a file"; ok $? "plot -O -: one line"
expect 2 "plot without -O exits 2" "$P" plot hist
expect 2 "run --plot to .gif exits 2 before running" "$P" run --plot "$T/x.gif" -- touch "$T/ran"
[ ! -e "$T/ran" ]; ok $? "run --plot x.gif: the command did not run"
expect 0 "plot rates from a proc file" "$P" plot rates -i 0.05 -C 3 -n 2 --proc-file "$F/proc_basic.txt" -O "$T/r.png" --data "$T/r.csv"
png_ok "$T/r.png" 1100; ok $? "plot rates: a 1100-pixel-wide PNG"
[ "$(head -1 "$T/r.csv")" = "$(printf 'time_s,interval_s,pid,comm,minor,major,invalid,refault\r')" ]
ok $? "plot rates --data: its header"
[ "$(wc -l <"$T/r.csv")" -eq 1 ]; ok $? "plot rates of an unchanging table: no process drawn"
expect 2 "plot rates without the module exits 2" "$P" plot rates -i 0.05 -C 1 --proc-file "$T/none" -O "$T/r.png"
expect 1 "plot without a picture is a usage error" "$P" plot
expect 1 "plot of an unknown picture is a usage error" "$P" plot pie -O "$T/p.png"
expect 1 "plot -o json is a usage error" "$P" plot hist -o json -O "$T/p.png"
expect 1 "plot rates without -i is a usage error" "$P" plot rates -O "$T/p.png"
expect 1 "plot hist -i is a usage error" "$P" plot hist -i 1 -O "$T/p.png"
expect 1 "plot map -C is a usage error" "$P" plot map -p 1 -C 2 -O "$T/p.png"
expect 1 "plot hist --major is a usage error" "$P" plot hist --major -O "$T/p.png"
expect 1 "plot map without -p is a usage error" "$P" plot map -O "$T/p.png"
expect 2 "plot map of no process exits 2" "$P" plot map -p 2147483 -O "$T/p.png"
one_line "no running process with pid 2147483"; ok $? "plot map of no process: one line naming the pid"
expect 1 "--plot without run is a usage error" "$P" trace --plot "$T/p.png"
expect 1 "--data without plot is a usage error" "$P" --data "$T/d.csv" --proc-file "$F/proc_basic.txt"
expect 1 "run --data without --plot is a usage error" "$P" run --data "$T/d.csv" -- true

tap_end
