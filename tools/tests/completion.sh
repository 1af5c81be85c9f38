#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# completion/pfstat, the bash completion of pfstat: sources bash-completion
# and the script, completes command lines the way bash would (COMP_WORDS,
# COMP_CWORD, COMP_LINE, COMP_POINT, then _pfstat) and checks COMPREPLY;
# the values it offers are run through pfstat itself, its options compared
# with main.c's table and --help. TAP 13 output. Without bash-completion
# (Debian package bash-completion) the test is skipped, as cli.sh skips
# promtool.
#
# usage: completion.sh PFSTAT TOOLS_DIR

P=$1
D=$2
S=$D/completion/pfstat
F=$D/tests/fixtures
BC=${BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}
# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"

echo "TAP version 13"

bash -n "$S"
ok $? "bash -n completion/pfstat"
if command -v shellcheck >/dev/null 2>&1; then
	shellcheck -x -P SCRIPTDIR -s bash "$S" "$0" | sed 's/^/# /'
	ok "${PIPESTATUS[0]}" "shellcheck completion/pfstat tests/completion.sh"
else
	skip "shellcheck" "no shellcheck"
fi
if [ ! -r "$BC" ]; then
	skip "completion" "no $BC (Debian package bash-completion)"
	tap_end
	exit
fi

T=$(mktemp -d)
kids=()
cleanup() {
	local k
	for k in "${kids[@]}"; do
		kill "$k" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT

# shellcheck source=/dev/null
. "$BC"
# shellcheck source=/dev/null
. "$S"
# Outside readline compopt fails; note what was asked instead.
compopts=
compopt() { local IFS=' '; compopts+=" $*"; }
# A command with a completion of its own, for what run hands on.
complete -W 'alpha beta' pfs_fake_cmd

# comp LINE: complete LINE at its end, or where "|" marks the cursor.
# Words are split as readline does with COMP_WORDBREAKS: at blanks, and
# "=" and ":" are words of their own.
comp() {
	local line=$1 point k c w='' ws=0
	local -a starts=() ends=()

	if [[ $line == *"|"* ]]; then
		point=${line%%|*}
		point=${#point}
		line=${line/|/}
	else
		point=${#line}
	fi
	COMP_LINE=$line
	COMP_POINT=$point
	COMP_WORDS=()
	for ((k = 0; k <= ${#line}; k++)); do
		c=${line:k:1}
		if [[ $c == \\ ]]; then
			[[ $w ]] || ws=$k
			w+=${line:k:2}
			((k++))
		elif [[ -z $c || $c == [[:blank:]=:] ]]; then
			if [[ $w ]]; then
				COMP_WORDS+=("$w") starts+=("$ws") ends+=("$k")
				w=
			fi
			[[ $c == [=:] ]] && COMP_WORDS+=("$c") starts+=("$k") ends+=($((k + 1)))
		else
			[[ $w ]] || ws=$k
			w+=$c
		fi
	done
	COMP_CWORD=-1
	for ((k = 0; k < ${#COMP_WORDS[@]}; k++)); do
		((starts[k] <= point && point <= ends[k])) && COMP_CWORD=$k
	done
	if ((COMP_CWORD < 0)); then
		# the cursor on a blank: an empty word there
		for ((k = 0; k < ${#COMP_WORDS[@]} && ends[k] < point; k++)); do :; done
		COMP_WORDS=("${COMP_WORDS[@]:0:k}" "" "${COMP_WORDS[@]:k}")
		COMP_CWORD=$k
	fi
	COMPREPLY=()
	compopts=
	_pfstat pfstat "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>"$T/err"
	[ -s "$T/err" ] && sed 's/^/# stderr: /' "$T/err"
	got=("${COMPREPLY[@]}")
}

# in WORD: whether the last completion offered WORD
in_got() {
	local g
	for g in "${got[@]}"; do
		[[ $g == "$1" ]] && return 0
	done
	return 1
}

show_got() {
	echo "# got (${#got[@]}): ${got[*]:0:40}"
}

# has LINE WORD...: the completion of LINE offers every WORD
has() {
	local line=$1 x r=0
	shift
	comp "$line"
	for x in "$@"; do
		in_got "$x" || { echo "# missing: $x"; r=1; }
	done
	[ $r -eq 0 ] || show_got
	ok $r "'$line' offers $*"
}

# lacks LINE WORD...: it offers none of them (and is not empty)
lacks() {
	local line=$1 x r=0
	shift
	comp "$line"
	[ ${#got[@]} -gt 0 ] || { echo "# nothing offered"; r=1; }
	for x in "$@"; do
		in_got "$x" && { echo "# offered: $x"; r=1; }
	done
	[ $r -eq 0 ] || show_got
	ok $r "'$line' does not offer $*"
}

# is LINE WORD...: exactly these (in any order)
is() {
	local line=$1 r=0 want have
	shift
	comp "$line"
	want=$(printf '%s\n' "$@" | sort -u)
	have=$(printf '%s\n' "${got[@]}" | sort -u)
	[ "$want" = "$have" ] && [ ${#got[@]} -eq $# ] || r=1
	[ $r -eq 0 ] || show_got
	ok $r "'$line' offers exactly: ${*:-nothing}"
}

none() {
	local line=$1
	comp "$line"
	[ ${#got[@]} -eq 0 ]
	r=$?
	[ $r -eq 0 ] || show_got
	ok $r "'$line' offers nothing"
}

# Command words, before and after options
is "pfstat " run trace where hist plot reset
is "pfstat r" run reset
is "pfstat p" plot
is "pfstat -p 1 --data=x.csv p" plot
is "pfstat -o json r" run reset
is "pfstat -ojson r" run reset
is "pfstat --output=json r" run reset
is "pfstat -lx --sort major t" trace
is "pfstat -- r" run reset
none "pfstat hist "
none "pfstat reset foo "
none "pfstat frobnicate -"
comp "pfstat "
r=0
for v in "${got[@]}"; do
	"$P" "$v" --help >/dev/null 2>"$T/err" ||
		{ echo "# pfstat $v --help: $(head -1 "$T/err")"; r=1; }
done
ok $r "pfstat takes every command word offered (${#got[@]})"

# Options
is "pfstat --ou" --output --output-file
is "pfstat --by" --by
has "pfstat -" -p -c -s -n -o -O -l -x -r -i -C -a -h -V
has "pfstat --" --by --interval --count --all --proc-file --debugfs-dir
lacks "pfstat --" --major --errors --duration --buffer-kb --where --width
has "pfstat trace --" --major --errors --duration --buffer-kb --count --pid --comm
lacks "pfstat trace --" --interval --by --where --width --all
has "pfstat -p 1 where --" --interval --major --errors --duration --buffer-kb
lacks "pfstat where --" --count --by --where --width
has "pfstat run --" --where --output --output-file
lacks "pfstat run --" --interval --count --by --major --duration --width
has "pfstat run --where --" --major --errors --duration --buffer-kb
has "pfstat --where run --" --major --errors --duration --buffer-kb
has "pfstat run --wh --" --major
lacks "pfstat run --where --" --interval --count --by
has "pfstat hist --" --width --output --debugfs-dir
lacks "pfstat hist --" --interval --by --major
is "pfstat reset -" --debugfs-dir -h --help -V --version
# the command word after the cursor decides
has "pfstat --ma| trace" --major
lacks "pfstat --| hist" --major --by --interval

# Option values
is "pfstat -o " text json csv prometheus
is "pfstat --output j" json
is "pfstat --output=j" json
is "pfstat --so=ti" time
none "pfstat --outp=c"
is "pfstat trace -o " text json
is "pfstat where -o " text json csv
is "pfstat run --where -o " text json csv
is "pfstat run -o " text json csv prometheus
is "pfstat --by c" comm cgroup
is "pfstat --by=p" parent
is "pfstat -s +maj" +major
is "pfstat -s -mi" -minor
is "pfstat --sort thr" thrash thrash_ns
is "pfstat -s segv_" segv_maperr segv_accerr segv_pkuerr segv_mm
mapfile -t cols < <(sed -n '/^const char \*const pfs_col_names/,/^};/s/^.*= "\([a-z_]*\)",$/\1/p' "$D/pfstat/parse.c")
[ ${#cols[@]} -ge 20 ] || echo "# parse.c: ${#cols[@]} column names?"
has "pfstat -s " "${cols[@]}" total invalid time thrash pid comm
comp "pfstat -s "
r=0
for v in "${got[@]}" "+${got[0]}" "-${got[1]}"; do
	"$P" -s "$v" -o csv --proc-file "$F/proc_refault.txt" >/dev/null 2>"$T/err" ||
		{ echo "# pfstat -s $v: $(head -1 "$T/err")"; r=1; }
done
ok $r "pfstat takes every -s value offered (${#got[@]})"
comp "pfstat -o "
r=0
for v in "${got[@]}"; do
	"$P" -o "$v" --proc-file "$F/proc_basic.txt" >/dev/null 2>"$T/err" ||
		{ echo "# pfstat -o $v: $(head -1 "$T/err")"; r=1; }
done
ok $r "pfstat takes every -o value offered"
comp "pfstat --by "
r=0
mkdir -p "$T/nocg"
for v in "${got[@]}"; do
	PFSTAT_CGROUP_ROOT="$T/nocg" "$P" --by "$v" --proc-file "$F/proc_cgroup.txt" >/dev/null 2>"$T/err" ||
		{ echo "# pfstat --by $v: $(head -1 "$T/err")"; r=1; }
done
[ ${#got[@]} -eq 3 ] || r=1
ok $r "pfstat takes every --by value offered"

has "pfstat -p $$" $$
has "pfstat --pid 1,$$" "1,$$"
has "pfstat trace --pid=$$" $$
comp "pfstat -p 1,"
r=0
for v in "${got[@]}"; do
	[[ $v == 1,+([0-9]) ]] || { echo "# not 1,PID: $v"; r=1; }
done
in_got "1,1" && in_got "1,$$" || r=1
[ $r -eq 0 ] || show_got
ok $r "'pfstat -p 1,' offers 1,PID for the processes in /proc"

# command names: this shell's, and of two processes named to be awkward
has "pfstat -c $(cat /proc/$$/comm)" "$(cat /proc/$$/comm)"
for name in "pfc a b" "pfc:c"; do
	cp "$(command -v sleep)" "$T/$name"
	"$T/$name" 60 &
	kids+=($!)
	for _ in $(seq 50); do
		[ "$(cat /proc/$!/comm 2>/dev/null)" = "$name" ] && break
		sleep 0.1
	done
done
is 'pfstat -c pfc\ a' 'pfc\ a\ b'
is 'pfstat --comm pfc:' c
has "pfstat trace -c pf" 'pfc\ a\ b' 'pfc:c'

# files and directories
mkdir -p "$T/fs/dir" "$T/pf/sub"
: >"$T/fs/file"
for f in a.png b.SVG c.svg.txt d.csv e.jpg; do
	: >"$T/pf/$f"
done
is "pfstat -O $T/fs/fi" "$T/fs/file"
is "pfstat --output-file=$T/fs/d" "$T/fs/dir"
is "pfstat --proc-file $T/fs/f" "$T/fs/file"
has "pfstat -O /tm" /tmp
[[ $compopts == *"-o filenames"* ]]
ok $? "-O: file names (compopt -o filenames)"
is "pfstat --debugfs-dir $T/fs/" "$T/fs/dir"
is "pfstat --debugfs-dir=$T/fs/" "$T/fs/dir"
# pictures: .png and .svg (either case) and directories; --data: .csv
is "pfstat plot map -O $T/pf/" "$T/pf/a.png" "$T/pf/b.SVG" "$T/pf/sub"
is "pfstat plot --output-file=$T/pf/" "$T/pf/a.png" "$T/pf/b.SVG" "$T/pf/sub"
is "pfstat -O $T/pf/| plot hist" "$T/pf/a.png" "$T/pf/b.SVG" "$T/pf/sub"
is "pfstat run --plot $T/pf/" "$T/pf/a.png" "$T/pf/b.SVG" "$T/pf/sub"
is "pfstat run --plot=$T/pf/a" "$T/pf/a.png"
[[ $compopts == *"-o filenames"* ]]
ok $? "--plot: file names (compopt -o filenames)"
is "pfstat plot rates --data $T/pf/" "$T/pf/d.csv" "$T/pf/sub"
is "pfstat run --plot x.png --data=$T/pf/" "$T/pf/d.csv" "$T/pf/sub"
# -O is any file where it is not a picture's
is "pfstat -O $T/pf/" "$T/pf/"{a.png,b.SVG,c.svg.txt,d.csv,e.jpg,sub}
is "pfstat run --plot x.png -O $T/pf/" "$T/pf/"{a.png,b.SVG,c.svg.txt,d.csv,e.jpg,sub}

# numbers: nothing
for o in -i --interval -C --count -n --top -w --width --duration --buffer-kb; do
	none "pfstat trace $o "
done
none "pfstat -n1 --top=1 -i "

# run: the command and its arguments complete as the command's
has "pfstat run ec" echo
has "pfstat run -- ec" echo
has "pfstat -o json run --where ec" echo
has "pfstat run -p 1 ec" echo
is "pfstat run pfs_fake_cmd " alpha beta
is "pfstat run -- pfs_fake_cmd a" alpha
is "pfstat run -o json -O $T/x pfs_fake_cmd -o " alpha beta
is "pfstat --output=json --proc-file=$T/x run --where -- pfs_fake_cmd b" beta
is "pfstat -- run -- pfs_fake_cmd b" beta
is "pfstat run pfs_fake_cmd -- " alpha beta
is "pfstat run --wh" --where

# plot: the picture, then the picture's options
is "pfstat plot " map hist rates
is "pfstat plot r" rates
is "pfstat -O x.png plot -- h" hist
is "pfstat plot -r --debugfs-dir=$T/x h" hist
is "pfstat -- plot -- m" map
is "pfstat plot h| -O x.png" hist
none "pfstat plot map "
none "pfstat plot pie -"
none "pfstat plot map -- -"
comp "pfstat plot "
r=0
for v in "${got[@]}"; do
	"$P" plot "$v" --help >/dev/null 2>"$T/err" ||
		{ echo "# pfstat plot $v --help: $(head -1 "$T/err")"; r=1; }
done
"$P" plot pfs_nosuch --help >/dev/null 2>&1 && r=1
ok $r "pfstat takes every picture offered (${#got[@]}), and no other"
has "pfstat plot map -" -p --pid -i --interval --major --errors --duration --buffer-kb -O --output-file --data
lacks "pfstat plot map -" -C --count -c --comm -o --output -w --width --where --plot --by --all
has "pfstat plot hist -" -O --output-file --data --debugfs-dir
lacks "pfstat plot hist -" -i --interval -C --count -o --output -w --width --major --duration --plot
has "pfstat plot rates -" -i --interval -C --count -n --top -p -c -x -O --data
lacks "pfstat plot rates -" -o --output --major --errors --duration --buffer-kb --where --plot --by
# before the picture: what every picture takes; a picture after the
# cursor decides
has "pfstat plot -" -p -O --data --debugfs-dir
lacks "pfstat plot -" -i -C -c --major -o --plot
has "pfstat plot --ma| map" --major
lacks "pfstat plot -| hist" -i --major
has "pfstat -| plot rates" -C -c
none "pfstat plot hist -o "
is "pfstat plot map -O=x.png --bu" --buffer-kb
# run --plot: run --where's options, and --data
has "pfstat run -" --plot --where
lacks "pfstat run -" --data --major
has "pfstat run --plot $T/x.png --" --major --errors --duration --buffer-kb --data
has "pfstat run --pl=$T/x.png --" --major --data
has "pfstat --plot x.svg run --" --major --data
lacks "pfstat run --where --" --data
lacks "pfstat --" --plot --data
lacks "pfstat trace --" --plot --data
lacks "pfstat where --" --plot --data
lacks "pfstat hist --" --plot --data
is "pfstat run --plot x.png -o " text json csv
has "pfstat run --plot $T/x.png ec" echo
is "pfstat run --plot=$T/x.png -- pfs_fake_cmd a" alpha
is "pfstat run --plot $T/x.png --data $T/x.csv pfs_fake_cmd " alpha beta

# Every option offered for a picture and for run --plot is one pfstat
# takes there: plot map up to the process (no root needed), run --plot up
# to its picture's name (a .gif, refused before the command runs), plot
# hist and rates through, on fixtures.
optval() {	# a value pfstat takes for option $1, none for a flag
	case $1 in
		-p | --pid) echo 2147483 ;;
		-c | --comm) echo pfs_nosuch ;;
		-s | --sort) echo total ;;
		-n | --top | -C | --count | -w | --width) echo 1 ;;
		-i | --interval | --duration) echo 0.05 ;;
		--buffer-kb) echo 64 ;;
		-o | --output) echo text ;;
		-O | --output-file) echo "$T/o.png" ;;
		--plot) echo "$T/o.gif" ;;
		--data) echo "$T/o.csv" ;;
		--proc-file) echo "$F/proc_basic.txt" ;;
		--debugfs-dir) echo "$T/pdbg" ;;
	esac
}
# takes LINE STATUS TEXT ARGS...: for every option LINE offers, pfstat
# ARGS with the option and its value in place of the word "@" exits
# STATUS, TEXT in its stderr (-h, -V: 0). ARGS' "-p PID" is left out for
# -p and --pid (pids add up).
takes() {
	local line=$1 st=$2 text=$3 o v k rc want r=0
	local -a args cmd
	shift 3
	args=("$@")
	comp "$line"
	[ ${#got[@]} -gt 0 ] || r=1
	for o in "${got[@]}"; do
		v=$(optval "$o")
		cmd=()
		for ((k = 0; k < ${#args[@]}; k++)); do
			if [[ ${args[k]} == @ ]]; then
				cmd+=("$o" ${v:+"$v"})
			elif [[ ${args[k]} == -p && $o == @(-p|--pid) ]]; then
				((k++))
			else
				cmd+=("${args[k]}")
			fi
		done
		want=$st
		[[ $o == @(-h|--help|-V|--version) ]] && want=0
		"$P" "${cmd[@]}" >/dev/null 2>"$T/err"
		rc=$?
		if [ $rc -ne "$want" ] || { [ "$want" -ne 0 ] && ! grep -q -- "$text" "$T/err"; }; then
			echo "# pfstat ${cmd[*]}: exit $rc: $(head -1 "$T/err")"
			r=1
		fi
	done
	ok $r "pfstat takes every option '$line' offers (${#got[@]}) in: pfstat ${args[*]}"
}
mkdir -p "$T/pdbg"
cp "$F/hist_basic.txt" "$T/pdbg/hist"
cp "$F/procs_debugfs.txt" "$T/pdbg/procs"
nopid="no running process with pid 2147483"
takes "pfstat plot map -" 2 "$nopid" plot map @ -p 2147483 -O "$T/m.png"
takes "pfstat plot -" 2 "$nopid" plot @ map -p 2147483 -O "$T/m.png"
takes "pfstat plot hist -" 0 "" plot hist @ --debugfs-dir "$T/pdbg" -O "$T/h.png"
takes "pfstat plot -" 0 "" plot @ hist --debugfs-dir "$T/pdbg" -O "$T/h.png"
takes "pfstat plot rates -" 0 "" plot rates @ -i 0.05 -C 1 --proc-file "$F/proc_basic.txt" --debugfs-dir "$T/pdbg" -O "$T/r.png"
takes "pfstat run --plot x.png -" 2 "not a picture name" run --plot "$T/x.gif" @ -- touch "$T/ran"
[ ! -e "$T/ran" ]
ok $? "run --plot x.gif: the command did not run"

# Every option main.c's table and optstring have: offered for some
# command, and the word after it taken as its argument or not
mapfile -t long_arg < <(sed -n 's/^\t{ "\([a-z-]*\)", required_argument,.*/--\1/p' "$D/pfstat/main.c")
mapfile -t long_noarg < <(sed -n 's/^\t{ "\([a-z-]*\)", no_argument,.*/--\1/p' "$D/pfstat/main.c")
optstring=$(sed -n 's/.*getopt_long(argc, argv, "+\([^"]*\)".*/\1/p' "$D/pfstat/main.c")
[ ${#long_arg[@]} -ge 10 ] && [ ${#long_noarg[@]} -ge 10 ] && [ ${#optstring} -ge 10 ]
ok $? "main.c: ${#long_arg[@]}+${#long_noarg[@]} long options, optstring $optstring"
offered=()
for l in "pfstat -" "pfstat run --where -" "pfstat trace -" "pfstat where -" "pfstat hist -" \
	"pfstat plot map -" "pfstat plot rates -" "pfstat run --plot x.png -"; do
	comp "$l"
	offered+=("${got[@]}")
done
want=$(printf '%s\n' "${long_arg[@]}" "${long_noarg[@]}" | sort)
have=$(printf '%s\n' "${offered[@]}" | grep '^--' | sort -u)
[ "$want" = "$have" ]
ok $? "the long options offered are main.c's"
[ "$want" = "$("$P" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)" ]
ok $? "the long options offered are those of pfstat --help"
want=$(printf '%s\n' "$optstring" | tr -d : | fold -w1 | sed 's/^/-/' | sort)
have=$(printf '%s\n' "${offered[@]}" | grep '^-[^-]' | sort -u)
[ "$want" = "$have" ]
ok $? "the short options offered are main.c's optstring's"
r=0
for o in "${long_arg[@]}"; do
	comp "pfstat $o 1 r"
	[ "${got[*]}" = "run reset" ] || { echo "# $o: ${got[*]}"; r=1; }
done
for o in "${long_noarg[@]}"; do
	comp "pfstat $o r"
	[ "${got[*]}" = "run reset" ] || { echo "# $o: ${got[*]}"; r=1; }
done
for ((k = 0; k < ${#optstring}; k++)); do
	c=${optstring:k:1}
	[ "$c" = : ] && continue
	if [ "${optstring:k+1:1}" = : ]; then
		comp "pfstat -$c 1 r"
	else
		comp "pfstat -$c r"
	fi
	[ "${got[*]}" = "run reset" ] || { echo "# -$c: ${got[*]}"; r=1; }
done
ok $r "every option takes the next word as its argument as getopt does"

tap_end
