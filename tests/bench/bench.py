#!/usr/bin/env python3
"""Full-build benchmark: generates corpora of N services and times `skaidra build` on each.

Usage: tests/bench/bench.py [N ...] [--runs K]     (default N: 1000 10000, K: 3)

Builds the release binary once, generates each corpus under target/bench/, then runs a cold
build (output folder absent), K warm builds (output present, replaced atomically) and K offline
`check` runs, printing median wall time, CPU time and peak memory. Standard library only.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def timed(cmd):
    """Wall seconds, CPU seconds and peak RSS (MiB) of one run of `cmd` (os.wait4 gives the
    child's own resource usage, not the maximum over all children so far)."""
    with tempfile.TemporaryFile() as errf:  # a pipe read after the end would fill and block
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errf)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        errf.seek(0)
        err = errf.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"command failed: {' '.join(cmd)}\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main():
    args = sys.argv[1:]
    runs = 3
    if "--runs" in args:
        i = args.index("--runs")
        runs = int(args[i + 1])
        del args[i:i + 2]
    sizes = [int(a) for a in args] or [1000, 10000]
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    exe = os.path.join(REPO, "target/release/skaidra")
    print(f"machine: {os.cpu_count()} cores; binary: {exe}")
    print(f"{'services':>9} {'pages':>7} {'cold s':>8} {'warm s (median)':>16} {'cpu s':>7} {'peak MiB':>9} {'check s':>8} {'check MiB':>10}")
    for n in sizes:
        site = os.path.join(REPO, "target/bench", f"site-{n}")
        subprocess.run([sys.executable, os.path.join(REPO, "tests/bench/gen_corpus.py"), str(n), site], check=True, stdout=subprocess.DEVNULL)
        out = os.path.join(site, "public")
        subprocess.run(["rm", "-rf", out], check=True)
        cmd = [exe, "build", "--root", site, "--quiet"]
        cold, _, _ = timed(cmd)
        warm = [timed(cmd) for _ in range(runs)]
        pages = sum(1 for _, _, fs in os.walk(out) for f in fs if f.endswith(".html"))
        checks = [timed([exe, "check", "--root", site, "--today", "2026-11-23", "--quiet"]) for _ in range(runs)]
        print(f"{n:>9} {pages:>7} {cold:>8.2f} {statistics.median(w for w, _, _ in warm):>16.2f} "
              f"{statistics.median(c for _, c, _ in warm):>7.2f} {max(m for _, _, m in warm):>9.0f} "
              f"{statistics.median(w for w, _, _ in checks):>8.2f} {max(m for _, _, m in checks):>10.0f}")


if __name__ == "__main__":
    main()
