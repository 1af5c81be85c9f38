#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo of 'make demo': run fault-demo with the module loaded, then show
# what the module recorded (and pfstat's view, when pfstat is installed).
show()
{
	echo
	echo "\$ $*"
	"$@"
}

# Start from an empty table when the module offers it (debugfs "reset").
RESET=/sys/kernel/debug/pagefault_stats/reset
[ -w $RESET ] && echo 1 >$RESET

echo "\$ fault-demo"
fault-demo || echo "(a step of fault-demo did not behave as described)"
show cat /proc/pagefault_stats
if [ -x /tests/bin/pfstat ]; then
	show pfstat
fi
exit 0
