#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kmemleak for the debug lane (issue 13):
#   debug_kmemleak baseline   scan, and set aside what the kernel's boot
#                             left (before any test ran)
#   debug_kmemleak check      unload the module, scan twice: the report must
#                             be empty; loads the module again
# The report goes to $PFS_TEST_OUT/kmemleak.txt too.
KL=/sys/kernel/debug/kmemleak
KO=/lib/modules/pagefault_stats.ko

[ -w $KL ] || { echo "no $KL: the kernel has no CONFIG_DEBUG_KMEMLEAK"; exit 1; }
mkdir -p "${PFS_TEST_OUT:-/tmp}"
out=${PFS_TEST_OUT:-/tmp}/kmemleak.txt

scan()
{
	echo scan >$KL || { echo "kmemleak scan failed"; exit 1; }
}

case $1 in
baseline)
	scan
	cat $KL >"$out"
	n=$(grep -c '^unreferenced object' "$out")
	echo "clear" >$KL || { echo "kmemleak clear failed"; exit 1; }
	echo "$n suspects from the boot, before any test: set aside (in $out)"
	;;
check)
	i=0
	while grep -q '^pagefault_stats ' /proc/modules && ! rmmod pagefault_stats 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 300 ] || { echo "cannot unload the module"; exit 1; }
		sleep 0.1
	done
	# kmemleak reports nothing younger than 5 s
	sleep 6
	scan
	sleep 1
	scan
	cat $KL >"$out"
	insmod $KO || echo "cannot load the module again"
	if [ -s "$out" ]; then
		echo "kmemleak suspects these, after the lane and the module's unload:"
		cat "$out"
		exit 1
	fi
	echo "two kmemleak scans after the lane and the module's unload: nothing suspected"
	;;
*)
	echo "usage: debug_kmemleak baseline|check"
	exit 2
	;;
esac
