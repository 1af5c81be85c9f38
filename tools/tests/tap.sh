# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# TAP 13 for the shell tests (cli.sh, completion.sh), sourced:
#   ok STATUS NAME     "ok N - NAME" when STATUS is 0, else "not ok"; a
#                      failure shows the first lines of $TAP_ERR, if set
#   skip NAME REASON   "ok N - NAME # SKIP REASON"
#   tap_end            the plan and the totals; non-zero on any failure
#                      (a script's last command: its exit status)
n=0
failed=0

ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
		if [ -n "${TAP_ERR:-}" ] && [ -s "$TAP_ERR" ]; then
			sed 's/^/# stderr: /' "$TAP_ERR" | head -5
		fi
	fi
}

skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

tap_end() {
	echo "1..$n"
	echo "# $((n - failed)) passed, $failed failed"
	[ "$failed" -eq 0 ]
}
