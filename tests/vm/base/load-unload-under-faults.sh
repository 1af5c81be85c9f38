#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# 20 insmod/rmmod cycles while two fault-heavy processes run: every load and
# unload succeeds, the proc file comes and goes with the module, both workers
# survive (a probe gone wrong would kill them), and the kernel logs nothing
# bad.  Leaves the module loaded.
KO=/lib/modules/pagefault_stats.ko
CYCLES=20
BAD=/tests/bad-kernel-lines	# tests/vm/bad-kernel-lines, copied by the runner

loaded()
{
	grep -q '^pagefault_stats ' /proc/modules
}

fail()
{
	echo "cycle $i: $*"
	kill $w1 $w2 2>/dev/null
	loaded || insmod $KO
	exit 1
}

i=0
loaded || insmod $KO || fail "cannot load the module"
dmesg_start=$(dmesg | wc -l)
fault-storm -p 256 -n 0 &
w1=$!
fault-storm -p 256 -n 0 &
w2=$!
sleep 1
for i in $(seq 1 $CYCLES); do
	rmmod pagefault_stats || fail "rmmod failed"
	[ ! -e /proc/pagefault_stats ] || fail "/proc/pagefault_stats still there after rmmod"
	insmod $KO || fail "insmod failed"
	[ -e /proc/pagefault_stats ] || fail "/proc/pagefault_stats missing after insmod"
	head -n 1 /proc/pagefault_stats >/dev/null || fail "cannot read /proc/pagefault_stats"
done
kill -0 $w1 && kill -0 $w2 || fail "a fault-storm worker died during the cycles"
kill $w1 $w2
if dmesg | tail -n +"$((dmesg_start + 1))" | grep -E -f $BAD; then
	fail "the kernel logged the lines above during the cycles"
fi
echo "$CYCLES insmod/rmmod cycles under two fault-storm workers: clean"
