#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the benchmark's console logs into latest.json and performance.md.

Reads the lines bench/guest/bench.sh and pfs-bench print (BENCH, BENCHSTAT,
BENCHMEM, BENCHRUN, BENCHFAIL, BENCHINFO, BENCHDONE), computes medians,
spreads, overheads against the no-probe baseline and the ratios the targets
of issue 6 are stated in, and says for each target whether it is met.
Never fails on performance: the exit status says only whether every
configuration ran.
"""
import argparse
import datetime
import json
import os
import re
import statistics
import sys

CONFIG_ORDER = ["base", "pfs", "pfs-trace", "pfs-perf", "pfs-fprobe", "pfs-light", "pfs-direct", "pfs-all",
                "pfs-filtered-out", "kretprobe", "fprobe", "direct", "fexit", "kprobe", "kprobe-refault", "kprobe-refault-sites", "bpftrace", "perf"]
CONFIG_DESC = {
    "base": "no probes (baseline)",
    "pfs": "pagefault_stats, default",
    "pfs-trace": "pagefault_stats, default, its trace events recorded into a tracefs instance (as pfstat trace)",
    "pfs-perf": "pagefault_stats, default, its trace events counted by perf stat -a -e 'pagefault_stats:*'",
    "pfs-all": "pagefault_stats, every option (pid_filter 16 pids, comm_filter, cgroup_filter; histograms)",
    "pfs-filtered-out": "pagefault_stats, a process the filters leave out (cgroup_filter elsewhere: totals only, decided each fault)",
    "pfs-fprobe": "pagefault_stats, mode=fprobe",
    "pfs-direct": "pagefault_stats, mode=direct",
    "pfs-light": "pagefault_stats, mode=light (no fault-path probe)",
    "kretprobe": "empty kretprobe on handle_mm_fault (entry + return handler)",
    "fprobe": "empty fprobe on handle_mm_fault (entry + exit handler)",
    "direct": "empty direct-call trampoline on handle_mm_fault (the reference's own, fexit style)",
    "fexit": "empty BPF fexit on handle_mm_fault (bpftrace kretfunc)",
    "kprobe": "empty kprobe on handle_mm_fault",
    "kprobe-refault": "empty kprobe on workingset_refault (one hit per refaulted folio)",
    "kprobe-refault-sites": "empty kprobes on pagefault_stats' refault sites (its counting calls in workingset_refault)",
    "bpftrace": "bpftrace: kprobe+kretprobe, per-pid minor/major map, latency hist",
    "perf": "perf stat -a -e page-faults",
}
WORKLOADS = {
    "anon": "anonymous minor fault (write 1 byte per page of a fresh 16 MiB mapping), ns per fault",
    "file": "file-backed minor fault (page-cache hit, 16 MiB ext4 file, MAP_SHARED read; fault-around maps up to 16 pages per fault), ns per fault",
    "segv": "invalid fault (SIGSEGV on an unmapped page, resumed with siglongjmp), ns per fault incl. signal delivery",
    "fork": "fork/exit churn (fork, child writes 1 page, _exit, waitpid), ns per process",
}
# The refault workload (issue 11): its own table, ns per refaulted page.
REFAULT_WORKLOADS = {
    "refault": "file refault brought back by a fault: the first pages (pages touched ÷ rounds) of a 32 MiB file on ext4 on a zram disk, "
               "evicted from a memory cgroup with memory.reclaim, then mapped MAP_SHARED and read 1 byte per page; "
               "ns per refaulted page (workingset_refault_file in /proc/vmstat), faults included",
    "refault-read": "file refault brought back by pread(): the same range evicted the same way, then pread() of "
                    "1 byte per page; ns per refaulted page, no page fault involved",
}
REFAULT_COUNTS = ("ops", "pages", "evicted", "activate", "restore", "faults")
LINE = re.compile(r"^(?:# )?(BENCH\w*) ?(.*)$")


def parse_kv(text):
    out = {}
    for word in text.split():
        if "=" in word:
            k, v = word.split("=", 1)
            out[k] = v
    return out


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def parse_log(path):
    d = {"bench": [], "stat": [], "mem": [], "run": [], "fail": [], "prof": [], "info": {}, "done": None}
    if not os.path.exists(path):
        return d
    with open(path, errors="replace") as f:
        for raw in f:
            m = LINE.match(raw.rstrip("\n"))
            if not m:
                continue
            kind, rest = m.groups()
            kv = parse_kv(rest)
            if kind == "BENCH":
                d["bench"].append(kv)
            elif kind == "BENCHSTAT":
                d["stat"].append(kv)
            elif kind == "BENCHPROF":
                d["prof"].append(kv)
            elif kind == "BENCHMEM":
                d["mem"].append(kv)
            elif kind == "BENCHRUN":
                d["run"].append(kv)
            elif kind == "BENCHFAIL":
                d["fail"].append(rest)
            elif kind == "BENCHINFO":
                d["info"] = kv
            elif kind == "BENCHDONE":
                d["done"] = kv
    return d


def summary(values):
    if not values:
        return None
    s = sorted(values)
    out = {"n": len(s), "median": statistics.median(s), "min": s[0], "max": s[-1], "values": s}
    if len(s) >= 4:
        q = statistics.quantiles(s, n=4)
        out["iqr"] = [q[0], q[2]]
    return out


def series(bench, cfg, wl):
    return {int(b["rep"]): num(b["ns"]) for b in bench if b.get("cfg") == cfg and b.get("wl") == wl}


def paired_overhead(bench, cfg, wl, base="base"):
    """Per-rep differences cfg - base (the runs alternate, so rep i of each
    configuration ran next to each other)."""
    a, b = series(bench, cfg, wl), series(bench, base, wl)
    return [a[r] - b[r] for r in sorted(a) if r in b]


def workload_table(bench, configs, workloads=WORKLOADS,
                   refs=("kretprobe", "fprobe", "direct", "fexit", "bpftrace")):
    table = {}
    for wl in workloads:
        rows = {}
        base = summary(list(series(bench, "base", wl).values()))
        for cfg in configs:
            s = summary(list(series(bench, cfg, wl).values()))
            if not s:
                continue
            row = dict(s)
            if base and base["median"] and cfg != "base":
                diffs = paired_overhead(bench, cfg, wl)
                row["overhead_ns"] = s["median"] - base["median"]
                row["overhead_pct"] = 100.0 * row["overhead_ns"] / base["median"]
                if diffs:
                    row["overhead_paired"] = summary(diffs)
            rows[cfg] = row
        for cfg, row in rows.items():
            for ref in refs:
                r = rows.get(ref)
                # a reference that costs (next to) nothing on this workload
                # (segv never calls handle_mm_fault) gives no useful ratio
                if cfg == ref or not r or "overhead_ns" not in row or \
                        abs(r.get("overhead_ns", 0)) < 0.01 * base["median"]:
                    continue
                row["ratio_vs_" + ref] = row["overhead_ns"] / r["overhead_ns"]
        if rows:
            table[wl] = rows
    return table


def refault_table(bench, configs):
    """The refault rows, each with the medians of what the kernel counted:
    refaulted pages (ops), pages touched, evicted, activated, restored, and
    the process's page faults."""
    table = workload_table(bench, configs, REFAULT_WORKLOADS, ("kprobe-refault", "kprobe-refault-sites"))
    for wl, rows in table.items():
        for cfg, row in rows.items():
            runs = [b for b in bench if b.get("cfg") == cfg and b.get("wl") == wl]
            row["counts"] = {k: statistics.median([num(b.get(k)) or 0 for b in runs]) for k in REFAULT_COUNTS}
            row["evict"] = runs[-1].get("evict", "?") if runs else "?"
    return table


def scale_table(bench):
    out = {}
    for cfg in ("base", "pfs"):
        levels = {}
        for b in bench:
            if b.get("cfg") != cfg or not b.get("wl", "").startswith("anon@"):
                continue
            levels.setdefault(int(b["wl"][5:]), []).append(num(b["ns"]))
        if levels:
            out[cfg] = {str(k): summary(v) for k, v in sorted(levels.items())}
    return out


def readproc(bench, mem):
    vals = [b for b in bench if b.get("wl") == "readproc"]
    if not vals:
        return None
    s = summary([num(b["ns"]) for b in vals])
    s["lines"] = int(vals[-1]["ops"])
    procs = [int(m["procs"]) for m in mem if m.get("procs", "").isdigit() and not m["tag"].endswith("loaded")]
    s["rows"] = procs[-1] if procs else None
    return s


def memory(mem):
    if not mem:
        return None
    first = next((m for m in mem if m["tag"].endswith("loaded")), None)
    last = next((m for m in reversed(mem) if not m["tag"].endswith("loaded")), None)
    if not first or not last or first.get("cache") == "absent":
        return {"cache": "absent"}
    page = 4096 << int(last["order"])
    dprocs = int(last["procs"]) - int(first["procs"])
    out = {
        "cache": last["cache"],
        "object_size": int(last["object_size"]),
        "slab_size": int(last["slab_size"]),
        "objs_per_slab": int(last["objs_per_slab"]),
        "bytes_per_object_in_slab": page / int(last["objs_per_slab"]),
        "procs_before": int(first["procs"]),
        "procs_after": int(last["procs"]),
        "merged": last["cache"].startswith(":"),
    }
    if dprocs > 0:
        out["slab_bytes_per_proc"] = (int(last["slabs"]) - int(first["slabs"])) * page / dprocs
        out["meminfo_slab_bytes_per_proc"] = (int(last["Slab_kib"]) - int(first["Slab_kib"])) * 1024 / dprocs
    # the hash table: one pointer per bucket, buckets = max_procs rounded up
    # to a power of two (table.c); 16384 in the scale test
    out["hash_bytes_per_row_at_max_procs"] = 8.0
    return out


def smp_table(bench):
    out = {}
    for cfg in ("base", "pfs", "kretprobe"):
        row = {}
        for wl in ("smp1", "smp2"):
            v = [num(b["ns"]) for b in bench if b.get("cfg") == cfg and b.get("wl") == wl]
            if v:
                row[wl] = summary(v)
        if row:
            out[cfg] = row
    for cfg, row in out.items():
        if cfg == "base" or "base" not in out:
            continue
        for wl in ("smp1", "smp2"):
            if wl in row and wl in out["base"]:
                b = out["base"][wl]["median"]
                row[wl]["overhead_pct"] = 100.0 * (row[wl]["median"] - b) / b
    return out


SMP_NOTE = {
    "smp": "This boot runs `-smp 2` without icount (QEMU 7.2 does not boot `-smp 2` with `-icount` "
           "here): wall-clock guest time, "
           "which on a loaded host swings far more than the overheads measured; the vCPUs take turns "
           "on one host thread (single-threaded TCG), so 2 workers take about twice the time of one.",
}
MECHANISM = re.compile(r"kprobe|kretprobe|rethook|ftrace|static_call")
OURS = re.compile(r"^pfs_")
CLOCK = re.compile(r"sched_clock|local_clock")


def profile(prof):
    """Samples by symbol (percent of all samples of the anon run), grouped:
    our handlers (pfs_*), the probe machinery, the clock reads."""
    out = {}
    for p in prof:
        cfg, sym = p.get("cfg"), p.get("sym")
        pct = num(p.get("pct", "").rstrip("%"))
        if cfg is None or sym is None or pct is None:
            continue
        c = out.setdefault(cfg, {"symbols": [], "ours_pct": 0.0, "mechanism_pct": 0.0, "clock_pct": 0.0})
        c["symbols"].append([sym, pct])
        if OURS.search(sym):
            c["ours_pct"] += pct
        elif MECHANISM.search(sym):
            c["mechanism_pct"] += pct
        elif CLOCK.search(sym):
            c["clock_pct"] += pct
    return out


def targets(res):
    t = []
    anon = res["workloads"].get("anon", {})
    pfs = anon.get("pfs", {})

    def add(name, goal, measured, met, detail=""):
        t.append({"target": name, "goal": goal, "measured": measured, "met": met, "detail": detail})

    if "ratio_vs_kretprobe" in pfs:
        r = pfs["ratio_vs_kretprobe"]
        add("default overhead vs empty kretprobe (anon)", "<= 1.25x", "%.2fx" % r, r <= 1.25,
            "%.0f ns vs %.0f ns (mode %s)" % (pfs["overhead_ns"], anon["kretprobe"]["overhead_ns"],
                                             res["meta"].get("pfs_mode", "?")))
    else:
        add("default overhead vs empty kretprobe (anon)", "<= 1.25x", "not measured", None)
    for cfg, ref in (("pfs-fprobe", "fprobe"),):
        row = anon.get(cfg, {})
        if "ratio_vs_" + ref in row:
            r = row["ratio_vs_" + ref]
            add("%s overhead vs empty %s, its own mechanism (anon)" % (cfg, ref), "<= 1.25x",
                "%.2fx" % r, r <= 1.25,
                "%.0f ns vs %.0f ns" % (row["overhead_ns"], anon[ref]["overhead_ns"]))
    direct = anon.get("pfs-direct", {})
    if "ratio_vs_kretprobe" in direct:
        r = direct["ratio_vs_kretprobe"]
        add("mode=direct overhead vs empty kretprobe (anon)", "<= 0.65x", "%.2fx" % r, r <= 0.65,
            "%.0f ns vs %.0f ns; empty direct trampoline %s ns, empty BPF fexit %s ns" %
            (direct["overhead_ns"], anon["kretprobe"]["overhead_ns"],
             fmt(anon.get("direct", {}).get("overhead_ns")), fmt(anon.get("fexit", {}).get("overhead_ns"))))
    every = anon.get("pfs-all", {})
    if "ratio_vs_kretprobe" in every:
        r = every["ratio_vs_kretprobe"]
        add("every option vs empty kretprobe (anon)", "<= 1.3x", "%.2fx" % r, r <= 1.3,
            "%.0f ns vs %.0f ns (filters decided once per process)" %
            (every["overhead_ns"], anon["kretprobe"]["overhead_ns"]))
    light = anon.get("pfs-light", {})
    if "overhead_pct" in light:
        add("light mode overhead (anon)", "<= 1%", "%.2f%%" % light["overhead_pct"],
            light["overhead_pct"] <= 1.0, "%.0f ns per fault" % light["overhead_ns"])
    if "ratio_vs_bpftrace" in pfs:
        r = pfs["ratio_vs_bpftrace"]
        add("default overhead vs bpftrace (anon)", "<= 1/3 (0.33)", "%.2f" % r, r <= 1 / 3.0,
            "%.0f ns vs %.0f ns" % (pfs["overhead_ns"], anon["bpftrace"]["overhead_ns"]))
    else:
        add("default overhead vs bpftrace (anon)", "<= 1/3", "not measured", None)
    sc = res["scale"].get("pfs")
    if sc and len(sc) >= 2:
        lv = sorted(sc, key=int)
        lo, hi = sc[lv[0]]["median"], sc[lv[-1]]["median"]
        d = 100.0 * (hi - lo) / lo
        add("per-fault cost flat from %s to %s tracked procs" % (lv[0], lv[-1]), "within 2%",
            "%+.2f%%" % d, abs(d) <= 2.0, "%.0f -> %.0f ns per fault" % (lo, hi))
    else:
        add("per-fault cost flat with tracked procs", "within 2%", "not measured", None)
    rp = res.get("readproc")
    if rp:
        ms = rp["median"] / 1e6
        add("read /proc/pagefault_stats with %s rows" % rp.get("rows"), "<= 50 ms guest time",
            "%.1f ms" % ms, ms <= 50.0 if (rp.get("rows") or 0) >= 10000 else None,
            "" if (rp.get("rows") or 0) >= 10000 else "fewer than 10,000 rows: not judged")
    else:
        add("read /proc/pagefault_stats with 10,000 rows", "<= 50 ms", "not measured", None)
    mem = res.get("memory")
    if mem and "bytes_per_object_in_slab" in mem:
        b = mem["bytes_per_object_in_slab"]
        add("kernel memory per tracked process", "<= 256 bytes", "%.0f bytes" % b, b <= 256,
            "slab object %d B (%d per %d-byte slab); plus the hash table's %.0f B per row of max_procs, fixed at load"
            % (mem["slab_size"], mem["objs_per_slab"], 4096 * 1, mem["hash_bytes_per_row_at_max_procs"]))
    else:
        add("kernel memory per tracked process", "<= 256 bytes", "not measured", None)
    return t


def refault_check(stats, bench):
    """The module's refault_file total after a refault run against the
    kernel's count over that run's timed parts: equal unless something else
    refaulted while the module was loaded (the untimed parts do not)."""
    out = []
    for s in stats:
        if s.get("wl") != "refault" or s.get("probe_refault") != "attached":
            continue
        vm = sum(int(b["ops"]) for b in bench if b.get("cfg") == s["cfg"] and b.get("rep") == s["rep"]
                 and b.get("wl") in REFAULT_WORKLOADS)
        out.append("%s rep %s, refault workload: the module counted refault_file %s, /proc/vmstat "
                   "workingset_refault_file rose by %d over the timed parts" % (s["cfg"], s["rep"], s["refault_file"], vm))
    return out


def fmt(v, digits=0):
    if v is None:
        return "–"
    return "{:,.{d}f}".format(v, d=digits)


def verdict(met):
    return {True: "met", False: "**not met**", None: "not judged"}[met]



def cost_table(w, wl, desc, rows, extra_heads, extra_cells):
    """Workload @wl's section: its description @desc, then a table of each
    configuration's median, spread and overhead, and the columns
    @extra_heads, whose cells extra_cells(row) gives."""
    w("")
    w("### %s" % wl)
    w("")
    w(desc[0].upper() + desc[1:] + ".")
    w("")
    w("| configuration | median ns | min–max | overhead ns | overhead % | paired diff min–max | "
      + " | ".join(extra_heads) + " |")
    w("| --- |" + " ---: |" * (5 + len(extra_heads)))
    for cfg in CONFIG_ORDER:
        r = rows.get(cfg)
        if not r:
            continue
        pd = r.get("overhead_paired")
        cells = [CONFIG_DESC[cfg] if cfg != "base" else "**" + CONFIG_DESC[cfg] + "**",
                 fmt(r["median"], 1), "%s–%s" % (fmt(r["min"], 1), fmt(r["max"], 1)),
                 fmt(r.get("overhead_ns"), 1), fmt(r.get("overhead_pct"), 2),
                 (fmt(pd["min"], 1) + "–" + fmt(pd["max"], 1)) if pd else "–"]
        w("| " + " | ".join(cells + extra_cells(r)) + " |")

def markdown(res, analysis):
    m = res["meta"]
    out = []
    w = out.append
    w("<!-- SPDX-License-Identifier: GPL-2.0 -->")
    w("<!-- Generated by bench/report.py from a bench/run; the analysis section comes from bench/analysis.md. -->")
    w("# Performance of pagefault_stats")
    w("")
    w("What the module costs per page fault, measured side by side with the probe")
    w("mechanism's own floor (an empty kretprobe / kprobe) and with what a user would")
    w("otherwise run (bpftrace, perf). Issue 6 states the targets.")
    w("")
    w("## The run")
    w("")
    w("| | |")
    w("| --- | --- |")
    w("| kernel | %s (Debian), guest: %s |" % (m["kernel"], m.get("guest_cpus", "?") + " vCPU, " + m.get("guest_mem_mib", "?") + " MiB"))
    w("| QEMU | %s, `%s` |" % (m["qemu"], m["qemu_mode"]))
    w("| date | %s |" % m["date"])
    w("| module commit | %s |" % m["module_commit"])
    w("| reproduce | `%s`%s |" % (m["command"], "" if "--series" in m["command"] else " (or `make bench`)"))
    w("| repetitions | %s per configuration, alternating A B C … A B C … in one boot |" % m.get("reps", "?"))
    w("| guest | THP `%s`, fault_around_bytes %s |" % (m.get("thp", "?"), m.get("fault_around_bytes", "?")))
    w("")
    w("Guest time is `CLOCK_MONOTONIC` inside the VM. Under `-icount shift=0,sleep=off`")
    w("one guest nanosecond is one guest instruction, so the figures are instruction")
    w("counts: repeatable from boot to boot (to about 0.05%), independent of the host's")
    w("load, and proportional to — but not equal to — time on real hardware (TCG models")
    w("no caches, so cache misses and cache-line bouncing cost nothing here).")
    w("")
    w("Overhead = median(configuration) − median(baseline) over the repetitions; the")
    w("spread columns give min–max of the configuration and of the per-repetition paired")
    w("difference to the baseline run next to it. \"× kretprobe\" is the overhead divided")
    w("by the empty kretprobe's, \"× fprobe\" by the empty fprobe's (kernels that have")
    w("fprobe); \"÷ bpftrace\" divided by bpftrace's. `pagefault_stats, default` runs")
    w("in the mode `auto` picks on this kernel: %s." % res["meta"].get("pfs_mode", "?"))
    w("")
    w("## Targets")
    w("")
    w("| target | goal | measured | verdict | detail |")
    w("| --- | --- | --- | --- | --- |")
    for t in res["targets"]:
        w("| %s | %s | %s | %s | %s |" % (t["target"], t["goal"], t["measured"], verdict(t["met"]), t["detail"]))
    w("")
    w("## Per-fault cost by configuration")
    for wl, desc in WORKLOADS.items():
        rows = res["workloads"].get(wl)
        if not rows:
            continue
        cost_table(w, wl, desc, rows, ["× kretprobe", "× fprobe", "÷ bpftrace"],
                   lambda r: [fmt(r.get("ratio_vs_kretprobe"), 2),
                              fmt(r.get("ratio_vs_fprobe"), 2),
                              fmt(r.get("ratio_vs_bpftrace"), 2)])
    rf = res.get("refault") or {}
    if rf:
        w("")
        w("## Per-refault cost by configuration")
        w("")
        w("A refault is a page the kernel evicted, leaving a shadow entry, brought back;")
        w("pagefault_stats counts them with probes on the calls inside `workingset_refault()`")
        w("that count them in vmstat. The workload (pfs-bench refault) runs in a memory cgroup")
        w("of its own, with no swap; what it evicts is only its file's pages. The refaults are")
        w("the kernel's own count, `workingset_refault_file` in /proc/vmstat (after")
        w("`vm.stat_refresh`) over the timed part, not the pages touched. \"× entry kprobe\" is")
        w("the overhead divided by the empty kprobe's on `workingset_refault`'s first byte (an")
        w("ftrace call there), \"× site kprobes\" by the empty kprobes' on pagefault_stats' own")
        w("sites (call instructions: an int3 or, optimized, a jump; the sanity figures say which).")
    for wl, desc in REFAULT_WORKLOADS.items():
        rows = rf.get(wl)
        if not rows:
            continue
        cost_table(w, wl, desc, rows, ["× entry kprobe", "× site kprobes", "refaults", "pages touched",
                             "activated", "faults"],
                   lambda r: [fmt(r.get("ratio_vs_kprobe-refault"), 2),
                              fmt(r.get("ratio_vs_kprobe-refault-sites"), 2),
                              fmt(r["counts"]["ops"]), fmt(r["counts"]["pages"]),
                              fmt(r["counts"]["activate"]), fmt(r["counts"]["faults"])])
    sc = res["scale"]
    if sc:
        w("")
        w("## Scale: tracked processes")
        w("")
        w("Anonymous minor fault cost with N processes in the table (pagefault_stats")
        w("loaded with `max_procs=16384`; N short-lived processes forked, each faulting a")
        w("page; exited rows stay in the table). The baseline forks the same processes.")
        w("")
        w("| tracked processes | baseline ns | pagefault_stats ns | overhead ns | min–max (pfs) |")
        w("| ---: | ---: | ---: | ---: | ---: |")
        for lv in sorted(sc.get("pfs", {}), key=int):
            p = sc["pfs"][lv]
            b = sc.get("base", {}).get(lv)
            w("| %s | %s | %s | %s | %s–%s |" % (
                fmt(int(lv)), fmt(b["median"], 1) if b else "–", fmt(p["median"], 1),
                fmt(p["median"] - b["median"], 1) if b else "–", fmt(p["min"], 1), fmt(p["max"], 1)))
    rp = res.get("readproc")
    if rp:
        w("")
        w("Reading `/proc/pagefault_stats` whole (open, read in 64 KiB chunks, close) with")
        w("%s rows (%s lines): median %s ms guest time (min %s, max %s over the repetitions)." % (
            fmt(rp.get("rows")), fmt(rp["lines"]), fmt(rp["median"] / 1e6, 2),
            fmt(rp["min"] / 1e6, 2), fmt(rp["max"] / 1e6, 2)))
    mem = res.get("memory")
    if mem and "slab_size" in mem:
        w("")
        w("## Memory per tracked process")
        w("")
        w("| figure | value |")
        w("| --- | ---: |")
        w("| slab cache (`/sys/kernel/slab/pfs_proc` →) | `%s`%s |" % (mem["cache"], " (merged with other caches of that size)" if mem["merged"] else ""))
        w("| object size / slab size | %d / %d bytes |" % (mem["object_size"], mem["slab_size"]))
        w("| objects per slab | %d → %.0f bytes per row |" % (mem["objs_per_slab"], mem["bytes_per_object_in_slab"]))
        if "slab_bytes_per_proc" in mem:
            w("| slab pages grown, %d → %d rows | %.0f bytes per row |" % (mem["procs_before"], mem["procs_after"], mem["slab_bytes_per_proc"]))
            w("| `Slab:` in /proc/meminfo grown | %.0f bytes per row (whole kernel; noisy) |" % mem["meminfo_slab_bytes_per_proc"])
        w("| hash table (fixed at load) | %.0f bytes per row of `max_procs` (rounded up to a power of two) |" % mem["hash_bytes_per_row_at_max_procs"])
    smp = res.get("smp")
    if smp:
        w("")
        w("## Two vCPUs at once")
        w("")
        w("Anonymous minor faults, one worker alone (smp1) and two workers at the same time")
        w("(smp2) on a 2-vCPU guest: guest ns per fault, median over workers and repetitions.")
        w("%s" % res["meta"].get("smp_note", ""))
        w("")
        w("| configuration | 1 worker ns | overhead % | 2 workers ns | overhead % | 2 ÷ 1 |")
        w("| --- | ---: | ---: | ---: | ---: | ---: |")
        for cfg in ("base", "pfs", "kretprobe"):
            r = smp.get(cfg)
            if not r or "smp1" not in r or "smp2" not in r:
                continue
            w("| %s | %s | %s | %s | %s | %.2f |" % (
                CONFIG_DESC[cfg], fmt(r["smp1"]["median"]), fmt(r["smp1"].get("overhead_pct"), 1),
                fmt(r["smp2"]["median"]), fmt(r["smp2"].get("overhead_pct"), 1),
                r["smp2"]["median"] / r["smp1"]["median"]))
    prof = {c: v for c, v in (res.get("profile") or {}).items() if c in CONFIG_DESC}
    rprof = (res.get("profile") or {}).get("readproc")
    if prof:
        w("")
        w("## Where the instructions go (perf profile, anon workload)")
        w("")
        w("`perf record -a -e cpu-clock -F 20000` in the guest around the anon workload;")
        w("under icount the sampling timer runs on instruction count, so a symbol's share")
        w("of samples is its share of executed instructions (symbols under 0.2% are not")
        w("listed; `clear_page_erms` is large because TCG's icount counts every iteration")
        w("of `rep stosb`). Groups: pfs_* = the module's handlers; probe machinery = kprobe,")
        w("kretprobe, rethook and ftrace symbols; clock = `local_clock()`'s sched_clock.")
        w("")
        w("| | " + " | ".join(CONFIG_DESC[c] for c in prof) + " |")
        w("| --- |" + " ---: |" * len(prof))
        for key, label in (("ours_pct", "pfs_* symbols"), ("mechanism_pct", "probe machinery"), ("clock_pct", "clock")):
            w("| %s | %s |" % (label, " | ".join("%.2f%%" % prof[c][key] for c in prof)))
        w("")
        w("Symbols with a larger share under pagefault_stats than under the empty kretprobe,")
        w("or only there:")
        w("")
        base = dict(prof.get("kretprobe", {}).get("symbols", []))
        rows = []
        for sym, pct in prof.get("pfs", {}).get("symbols", []):
            d = pct - base.get(sym, 0.0)
            if d > 0.1 and (OURS.search(sym) or MECHANISM.search(sym) or CLOCK.search(sym) or sym not in base):
                rows.append((d, sym, pct, base.get(sym)))
        w("| symbol | pfs % | empty kretprobe % |")
        w("| --- | ---: | ---: |")
        for d, sym, pct, b in sorted(rows, reverse=True)[:15]:
            w("| `%s` | %.2f | %s |" % (sym, pct, "%.2f" % b if b is not None else "–"))
    if rprof:
        w("")
        w("### Reading the table: perf profile")
        w("")
        w("Three reads of `/proc/pagefault_stats` with the scale test's rows, same method;")
        w("the symbols above 1% of samples:")
        w("")
        w("| symbol | % of samples |")
        w("| --- | ---: |")
        for sym, pct in sorted(rprof["symbols"], key=lambda x: -x[1]):
            if pct >= 1.0:
                w("| `%s` | %.2f |" % (sym, pct))
    if res.get("stats"):
        w("")
        w("## Sanity figures")
        w("")
        for s in res["stats"]:
            w("- " + s)
    if res.get("failures"):
        w("")
        w("## Configurations that did not run")
        w("")
        for f in res["failures"]:
            w("- " + f)
    if analysis:
        w("")
        w(analysis.rstrip())
    w("")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("logs", nargs="+")
    ap.add_argument("--kernel", default="?")
    ap.add_argument("--commit", default="?")
    ap.add_argument("--command", default="bench/run")
    ap.add_argument("--qemu", default="?")
    ap.add_argument("--json", required=True)
    ap.add_argument("--markdown", required=True)
    ap.add_argument("--analysis", default=os.path.join(os.path.dirname(__file__), "analysis.md"))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--smp-mode", default="smp")
    ap.add_argument("--date", help="when the run was (default: now), to remake a report from its logs")
    ap.add_argument("--results")
    a = ap.parse_args()

    main_log = parse_log(a.logs[0])
    smp_log = parse_log(a.logs[1]) if len(a.logs) > 1 else None
    bench = main_log["bench"]
    configs = [c for c in CONFIG_ORDER if any(b.get("cfg") == c for b in bench)]
    info = main_log["info"]
    reps = max([int(b["rep"]) for b in bench if b.get("cfg") in CONFIG_ORDER] or [0])
    res = {
        "meta": {
            "kernel": a.kernel,
            "qemu": a.qemu,
            "qemu_mode": "-accel tcg,thread=single -cpu max -smp 1 -icount shift=0,sleep=off -m 2048",
            "date": a.date or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "command": a.command,
            "module_commit": a.commit,
            "reps": reps,
            "quick": a.quick,
            "guest_cpus": info.get("cpus", "?"),
            "guest_mem_mib": info.get("mem_mib", "?"),
            "thp": info.get("thp", "?"),
            "fault_around_bytes": info.get("fault_around_bytes", "?"),
            "smp_mode": a.smp_mode,
            "smp_note": SMP_NOTE[a.smp_mode],
            "pfs_mode": next((s["mode"] for s in main_log["stat"]
                              if s.get("cfg") == "pfs" and s.get("mode")), "?"),
        },
        "workloads": workload_table(bench, configs),
        "refault": refault_table(bench, configs),
        "scale": scale_table(bench),
        "readproc": readproc(bench, main_log["mem"]),
        "memory": memory(main_log["mem"]),
        "smp": smp_table(smp_log["bench"]) if smp_log else None,
        "profile": profile(main_log["prof"]),
        "runs": main_log["run"] + (smp_log["run"] if smp_log else []),
        "failures": main_log["fail"] + (smp_log["fail"] if smp_log else []),
        "stats": [],
        "raw": bench + (smp_log["bench"] if smp_log else []),
    }
    for s in main_log["stat"]:
        if s.get("cfg") in ("pfs", "pfs-trace", "pfs-perf", "pfs-fprobe", "pfs-light", "pfs-all", "pfs-filtered-out", "perf",
                            "kprobe-refault-sites") and "tracked" not in s and s.get("rep") == "1":
            res["stats"].append("after %s rep 1%s: %s" % (
                s["cfg"], " (%s workload)" % s["wl"] if "wl" in s else "", ", ".join(
                    "%s %s" % (k, v) for k, v in s.items() if k not in ("cfg", "rep", "wl"))))
    res["stats"] += refault_check(main_log["stat"], bench)
    res["targets"] = targets(res)

    ok = sum(1 for r in res["runs"] if r.get("status") == "ok")
    bad = sum(1 for r in res["runs"] if r.get("status") == "fail")
    unavailable = sum(1 for r in res["runs"] if r.get("status") == "unavailable")
    # an empty log is a boot that was not asked for (--no-icount)
    skipped = os.path.exists(a.logs[0]) and os.path.getsize(a.logs[0]) == 0
    done = (main_log["done"] is not None or skipped) and (smp_log is None or smp_log["done"] is not None)
    if not done:
        bad += 1
        res["failures"].append("a boot ended without BENCHDONE (see the console logs)")
    res["runs_ok"], res["runs_failed"], res["runs_unavailable"] = ok, bad, unavailable

    analysis = ""
    if a.analysis and os.path.exists(a.analysis) and not a.quick:
        with open(a.analysis) as f:
            # its own licence line: the report has one already
            analysis = re.sub(r"\A<!-- SPDX-License-Identifier:[^>]*-->\n", "", f.read())
    with open(a.json, "w") as f:
        # the licence line comes first, like every file's (upper case sorts first)
        json.dump({"SPDX": "SPDX-License-Identifier: GPL-2.0", **res}, f, indent=1, sort_keys=True)
    with open(a.markdown, "w") as f:
        f.write(markdown(res, analysis))
    if a.results:
        with open(a.results, "w") as f:
            f.write("%d %d %d\n" % (ok, bad + unavailable, 0))
    for t in res["targets"]:
        print("bench: %-55s %-22s %-14s %s" % (t["target"], t["goal"], t["measured"], verdict(t["met"]).strip("*")))
    print("bench-smoke: %d runs ok, %d failed, %d unavailable" % (ok, bad, unavailable) if a.quick
          else "bench: %d runs ok, %d failed, %d unavailable" % (ok, bad, unavailable))
    return 0 if bad == 0 and unavailable == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
