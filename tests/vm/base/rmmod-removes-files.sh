#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# rmmod removes every file the module created: the entries under /proc,
# /proc/sys, /sys/kernel/debug and /sys/module after load, minus those before
# load, must all be gone after rmmod; and insmod works again afterwards.
# Leaves the module loaded.
KO=/lib/modules/pagefault_stats.ko
T=/tmp/rmmod-files

snapshot()
{
	{
		find /proc -maxdepth 1 ! -name '[0-9]*'
		find /proc/sys /sys/module
		find /sys/kernel/debug -path /sys/kernel/debug/tracing -prune -o -print
	} 2>/dev/null | sort
}

loaded()
{
	grep -q '^pagefault_stats ' /proc/modules
}

fail()
{
	echo "$*"
	loaded || insmod $KO
	exit 1
}

mkdir -p $T
loaded || insmod $KO || fail "cannot load the module"
rmmod pagefault_stats || fail "rmmod failed"
snapshot >$T/before
insmod $KO || fail "insmod after rmmod failed"
snapshot >$T/loaded
rmmod pagefault_stats || fail "second rmmod failed"
snapshot >$T/after
insmod $KO || fail "insmod after the second rmmod failed"

diff $T/before $T/loaded | sed -n 's/^+\([^+]\)/\1/p' >$T/created
echo "the module created $(wc -l <$T/created) entries:"
grep -v '^/sys/module/' $T/created | sed 's/^/  /'
grep -qx /proc/pagefault_stats $T/created ||
	fail "/proc/pagefault_stats was not among them"
if ! diff $T/before $T/after >$T/left; then
	echo "after rmmod these differ from before insmod:"
	cat $T/left
	fail "rmmod left files behind"
fi
[ -e /proc/pagefault_stats ] || fail "insmod did not recreate /proc/pagefault_stats"
echo "rmmod removed all of them; insmod again works"
