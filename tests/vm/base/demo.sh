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

echo "\$ fault-demo"
fault-demo || echo "(a step of fault-demo did not behave as described)"
show cat /proc/pagefault_stats
if command -v pfstat >/dev/null; then
	show pfstat
fi
exit 0
