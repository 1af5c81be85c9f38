#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The probe on handle_mm_fault really fires: a workload that writes to 4096
# freshly mapped anonymous pages takes at least 4096 minor faults, so the
# global "minor" value of /proc/pagefault_stats (docs/format.md, global
# block) must grow by at least 4096 across it.
PAGES=1024
ROUNDS=4
WANT=$((PAGES * ROUNDS))

# The value of global key $1: "<key> <value>" lines up to the first blank line.
global()
{
	awk -v key="$1" 'NR == 1 { next } NF == 0 { exit }
		$1 == key { print $2; found = 1; exit }
		END { if (!found) exit 1 }' /proc/pagefault_stats
}

before=$(global minor) || {
	echo "no global key 'minor' in /proc/pagefault_stats:"
	head -n 12 /proc/pagefault_stats
	exit 1
}
fault-storm -p $PAGES -n $ROUNDS || exit 1
after=$(global minor)
delta=$((after - before))
echo "global minor: $before -> $after (+$delta), want at least +$WANT"
[ "$delta" -ge $WANT ]
