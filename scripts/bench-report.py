#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
bench-report.py RAW [--markdown | --readme README.md]

Tables from the raw lines scripts/bench-uml.sh and scripts/bench-tcg.sh
append to RAW ("<env> <boot> <kind> ..."; the kinds are in
tests/bench/bench.h).  Every ratio pairs a safe variant with its raw
alternative timed in the same round of the same boot; per boot the median
of those per-round ratios is taken, and a row gives the min/median/max of
the per-boot medians.  Times are the median over every round of every
boot.  --markdown prints the README's performance block instead, and
--readme replaces that block, between its BEGIN and END markers, in the
file given: nothing in it is typed by hand.
"""
import contextlib
import io
import statistics
import sys
from collections import defaultdict

# (group, title, [(label, safe variant, raw variant)])
PAIRS = [
    ("locked", "Lock-bound data vs the bare lock: one locked update", [
        ("safe_locked_scope(mutex) / mutex_lock+unlock",
         "safe_mutex", "raw_mutex"),
        ("safe_locked_scope(spinlock) / spin_lock+unlock",
         "safe_spinlock", "raw_spinlock"),
        ("safe_locked_get() in spin_lock / spin_lock+unlock",
         "safe_get", "raw_spinlock"),
    ]),
    ("access", "Revocable access vs the alternatives: one access", [
        ("safe_revocable_scope() / SRCU by hand", "scope", "srcu"),
        ("safe_revocable_try_access() / SRCU by hand", "try_access", "srcu"),
        ("safe_revocable_scope() / Rust Revocable (RCU)", "scope", "rust_rcu"),
        ("safe_revocable_scope() / drm_dev_enter()", "scope", "drm"),
        ("safe_revocable_scope() / percpu_ref_tryget_live()",
         "scope", "percpu_ref"),
        ("safe_revocable_bound() / plain pointer", "bound", "plain"),
    ]),
    ("dma_access", "DMA element access vs READ_ONCE()/WRITE_ONCE()", [
        ("read, run-time index, ring in a register", "safe_read_loop",
         "raw_read_loop"),
        ("write, run-time index, ring in a register", "safe_write_loop",
         "raw_write_loop"),
        ("read, run-time index, ring reloaded", "safe_read_reload",
         "raw_read_reload"),
        ("write, run-time index, ring reloaded", "safe_write_reload",
         "raw_write_reload"),
        ("read, constant index", "safe_read_const", "raw_read_const"),
        ("write, constant index", "safe_write_const", "raw_write_const"),
    ]),
] + [
    ("dma_alloc_%d" % size, "DMA alloc+free, %d bytes" % size, [
        ("safe_dma_alloc() / dma_alloc_coherent()", "safe", "raw"),
        ("devm_safe_dma_alloc() / dmam_alloc_coherent()", "devm_safe",
         "dmam"),
    ] + ([("the same, 32 devres entries on the device", "safe_devres32",
           "raw_devres32")] if size == 64 else []))
    for size in (64, 4096, 65536)
]

PARTS = [
    ("part_desc", "descriptor kzalloc()+kfree()"),
    ("part_devref", "get_device()+put_device()"),
    ("part_binding", "binding lookup"),
    ("part_binding_devres32", "binding lookup, 32 devres entries"),
    ("part_locks", "binding lock x6 + 2 wakeups"),
]

# The targets: (label, group, safe, raw, goal ratio).
TARGETS = [
    ("DMA read, run-time index", "dma_access", "safe_read_reload",
     "raw_read_reload", 1.10),
    ("DMA write, run-time index", "dma_access", "safe_write_reload",
     "raw_write_reload", 1.10),
    ("DMA read, run-time index (tight loop)", "dma_access",
     "safe_read_loop", "raw_read_loop", 1.10),
    ("DMA write, run-time index (tight loop)", "dma_access",
     "safe_write_loop", "raw_write_loop", 1.10),
    ("DMA alloc+free, 64 B", "dma_alloc_64", "safe", "raw", 1.05),
]

REVOKE_N = (1, 10, 100, 1000, 10000)


def load(path):
    times = defaultdict(lambda: defaultdict(dict))  # env/name -> (boot,round)
    info = defaultdict(dict)
    mem = defaultdict(dict)
    host = defaultdict(lambda: defaultdict(dict))
    for line in open(path):
        f = line.split()
        if len(f) < 4:
            continue
        env, boot, kind = f[0], int(f[1]), f[2]
        if kind == "t" and len(f) == 6:
            times[env][f[3]][(boot, int(f[4]))] = int(f[5]) / 1000.0
        elif kind == "i" and len(f) >= 5:
            info[env][f[3]] = " ".join(f[4:])
        elif kind == "m" and len(f) == 5:
            mem[env][f[3]] = int(f[4])
        elif kind == "h" and len(f) >= 5:
            host[env][boot][f[3]] = " ".join(f[4:])
    return times, info, mem, host


def ratio_stats(t, safe, raw):
    """min/median/max over boots of the per-boot median per-round ratio."""
    s, r = t.get(safe, {}), t.get(raw, {})
    per_boot = defaultdict(list)
    for key in s:
        if key in r and r[key] > 0:
            per_boot[key[0]].append(s[key] / r[key])
    meds = [statistics.median(v) for v in per_boot.values()]
    if not meds:
        return None
    return min(meds), statistics.median(meds), max(meds), len(meds)


def med(t, name):
    v = list(t.get(name, {}).values())
    return statistics.median(v) if v else None


def revoke_slope(t):
    """Least-squares ns per resource over the domain sizes timed."""
    pts = [(n, med(t, "domain_%d" % n)) for n in REVOKE_N]
    pts = [(n, d) for n, d in pts if d is not None]
    if len(pts) < 2:
        return None
    mx = statistics.mean(n for n, _ in pts)
    my = statistics.mean(d for _, d in pts)
    sxx = sum((n - mx) ** 2 for n, _ in pts)
    return sum((n - mx) * (d - my) for n, d in pts) / sxx


def fmt_ns(x):
    if x is None:
        return "-"
    if x >= 100000:
        return "%.0f" % x
    if x >= 100:
        return "%.1f" % x
    return "%.2f" % x


def env_title(env, info, host):
    i = info.get(env, {})
    boots = sorted(host.get(env, {}))
    loads = ["%s-%s" % (host[env][b].get("load_before", "?"),
                        host[env][b].get("load_after", "?")) for b in boots]
    kind = "UML, native on the host CPU" if env.startswith("uml") else \
        "QEMU TCG (emulated CPU: instruction counts, not a real CPU's cost)"
    cpu = host[env][boots[0]].get("cpu", "?") if boots else "?"
    return ("%s: Linux %s, %s; %s CPU(s) online, %s RCU, %s SRCU, "
            "DMA element access on %s memory, DMA allocation %s; "
            "%s boots x %s rounds; host %s, load %s"
            % (env, i.get("release", "?"), kind, i.get("online_cpus", "?"),
               i.get("rcu", "?"), i.get("srcu", "?"),
               i.get("dma_access_memory", "?"),
               i.get("dma_alloc", "timed"), len(boots),
               i.get("rounds", "?"), cpu, ", ".join(loads)))


def pair_rows(t, rows):
    out = []
    for label, safe, raw in rows:
        st = ratio_stats(t, safe, raw)
        if st is None:
            continue
        out.append((label, med(t, raw), med(t, safe), st))
    return out


def text_report(times, info, mem, host):
    for env in sorted(times):
        t_all = times[env]
        print()
        print("=" * 78)
        print(env_title(env, info, host))
        print("ratio = safe / raw timed in the same round; min/median/max "
              "over boots")
        for group, title, rows in PAIRS:
            t = {n.split("/", 1)[1]: v for n, v in t_all.items()
                 if n.startswith(group + "/")}
            got = pair_rows(t, rows)
            if not got:
                continue
            print()
            print(title)
            print("  %-50s %9s %9s  %5s %5s %5s" %
                  ("safe / raw", "raw ns", "safe ns", "min", "med", "max"))
            for label, r, s, (lo, mid, hi, _) in got:
                print("  %-50s %9s %9s  %5.2f %5.2f %5.2f" %
                      (label, fmt_ns(r), fmt_ns(s), lo, mid, hi))
            if group == "access":
                print("  all variants, ns per access: " + ", ".join(
                    "%s %s" % (n, fmt_ns(med(t, n))) for n in
                    ("plain", "bound", "try_access", "scope", "srcu",
                     "rust_rcu", "drm", "percpu_ref") if n in t))
            if group == "dma_alloc_64":
                print("  parts of safe's fixed cost, each timed alone (ns):")
                for name, what in PARTS:
                    if name in t:
                        print("    %-40s %9s" % (what, fmt_ns(med(t, name))))
        revoke_table(env, t_all, info, mem)
        targets_table(t_all)


def revoke_table(env, t_all, info, mem):
    t = {n.split("/", 1)[1]: v for n, v in t_all.items()
         if n.startswith("revoke/")}
    if not t:
        return
    gp = med(t, "gp_srcu")
    print()
    print("Revocation: one domain of N resources vs N domains (one "
          "srcu_struct each)")
    print("  SRCU grace period (synchronize_srcu_expedited): %s ns; "
          "synchronize_rcu: %s ns" % (fmt_ns(gp), fmt_ns(med(t, "gp_rcu"))))
    print("  each resource adds %s ns to its domain's revocation "
          "(least-squares slope over N)" % fmt_ns(revoke_slope(t)))
    print("  %6s %12s %12s %12s %14s %12s" %
          ("N", "revoke ns", "ns/resource", "create/res.", "N domains ns",
           "per domain"))
    for n in REVOKE_N:
        d = med(t, "domain_%d" % n)
        if d is None:
            continue
        c = med(t, "create_%d" % n)
        s = med(t, "separate_%d" % n)
        print("  %6d %12s %12s %12s %14s %12s" %
              (n, fmt_ns(d), fmt_ns(d / n), fmt_ns(c / n if c else None),
               fmt_ns(s), fmt_ns(s / n if s else None)))
    m = mem.get(env, {})
    if m:
        cpus = int(info[env].get("nr_cpu_ids", "1"))
        dom = m.get("domain", 0) + m.get("srcu_usage", 0)
        pcpu = m.get("srcu_data_per_cpu", 0)
        res = m.get("resource", 0)
        print("  memory: domain %d B + %d B per possible CPU (srcu_data), "
              "resource %d B (kmalloc sizes)" % (dom, pcpu, res))
        for n in (1, 100, 10000):
            for ncpu in sorted({cpus, 64}):
                one_dom = dom + pcpu * ncpu + n * res
                sep = n * (dom + pcpu * ncpu + res)
                print("    N=%-5d %3d CPUs: one domain %9d B, N domains "
                      "%10d B" % (n, ncpu, one_dom, sep))


def targets_table(t_all):
    rows = []
    for label, group, safe, raw, goal in TARGETS:
        t = {n.split("/", 1)[1]: v for n, v in t_all.items()
             if n.startswith(group + "/")}
        st = ratio_stats(t, safe, raw)
        if st:
            rows.append((label, goal, st))
    if not rows:
        return
    print()
    print("Targets of issue 13 (median ratio against the goal; a report, "
          "not a test)")
    for label, goal, (lo, mid, hi, _) in rows:
        print("  %-42s goal <= %.2f: %.2f (%.2f-%.2f) %s" %
              (label, goal, mid, lo, hi, "met" if mid <= goal else "MISSED"))


def markdown(times, info, mem, host):
    print("<!-- generated by scripts/bench-report.py --markdown from "
          "\"make bench\"; do not edit -->")
    for env in sorted(times, key=lambda e: (not e.startswith("uml"), e)):
        t_all = times[env]
        print()
        print("*%s*" % env_title(env, info, host))
        print()
        print("| safe / raw, same run | raw ns | safe ns | ratio "
              "(min-max) |")
        print("|---|---|---|---|")
        for group, title, rows in PAIRS:
            t = {n.split("/", 1)[1]: v for n, v in t_all.items()
                 if n.startswith(group + "/")}
            for label, r, s, (lo, mid, hi, _) in pair_rows(t, rows):
                print("| %s: %s | %s | %s | %.2f (%.2f-%.2f) |" %
                      (title.split(":")[0].split(" vs ")[0], label,
                       fmt_ns(r), fmt_ns(s), mid, lo, hi))
        t = {n.split("/", 1)[1]: v for n, v in t_all.items()
             if n.startswith("revoke/")}
        if t:
            print()
            print("Revocation: the SRCU grace period takes %s ns; each "
                  "resource adds %s ns to its domain's one revocation "
                  "(least-squares slope over N)."
                  % (fmt_ns(med(t, "gp_srcu")), fmt_ns(revoke_slope(t))))
            print()
            print("| N resources | one domain: revoke ns | ns per resource "
                  "| N domains (one srcu_struct each): revoke ns |")
            print("|---|---|---|---|")
            for n in REVOKE_N:
                d = med(t, "domain_%d" % n)
                if d is None:
                    continue
                print("| %d | %s | %s | %s |" %
                      (n, fmt_ns(d), fmt_ns(d / n),
                       fmt_ns(med(t, "separate_%d" % n))))
            m = mem.get(env, {})
            if m:
                dom = m.get("domain", 0) + m.get("srcu_usage", 0)
                pcpu = m.get("srcu_data_per_cpu", 0)
                res = m.get("resource", 0)
                print()
                print("Memory: a domain takes %d B plus %d B per possible "
                      "CPU (its srcu_data), a resource %d B; 10,000 "
                      "resources on 64 CPUs take %d B in one domain, %d B "
                      "as one domain (one srcu_struct) each."
                      % (dom, pcpu, res, dom + 64 * pcpu + 10000 * res,
                         10000 * (dom + 64 * pcpu + res)))


BEGIN = "<!-- BEGIN bench-report -->"
END = "<!-- END bench-report -->"


def splice(path, block):
    text = open(path).read()
    head, sep, rest = text.partition(BEGIN)
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        sys.exit("%s: no %s ... %s block" % (path, BEGIN, END))
    with open(path, "w") as f:
        f.write(head + BEGIN + "\n" + block + END + tail)


def main():
    times, info, mem, host = load(sys.argv[1])
    if not times:
        sys.exit("%s: no timings" % sys.argv[1])
    if sys.argv[2:3] == ["--markdown"]:
        markdown(times, info, mem, host)
    elif sys.argv[2:3] == ["--readme"]:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            markdown(times, info, mem, host)
        splice(sys.argv[3], buf.getvalue())
    else:
        text_report(times, info, mem, host)


if __name__ == "__main__":
    main()
