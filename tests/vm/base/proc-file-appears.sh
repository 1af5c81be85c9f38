#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# With the module loaded, /proc/pagefault_stats exists, is readable, and its
# first line names the format and its version: "pagefault_stats 1"
# (docs/format.md, rule 1).
F=/proc/pagefault_stats

[ -r $F ] || { echo "$F missing or unreadable"; exit 1; }
first=$(head -n 1 $F)
if [ "$first" != "pagefault_stats 1" ]; then
	echo "first line of $F is '$first', want 'pagefault_stats 1'"
	exit 1
fi
mode=$(stat -c %a $F)
if [ "$mode" != 444 ]; then
	echo "$F has mode $mode, want 444"
	exit 1
fi
echo "first line: $first, mode $mode"
