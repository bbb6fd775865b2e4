#!/usr/bin/env python3
"""Skaidra and Hugo side by side on the same service catalogue, plus Skaidra's other timings.

Usage: tests/bench/side_by_side.py [N ...] [--runs K] [--shared DIR] [--hugo-max N] [--json FILE] [--keep-corpus] [--light]
       (default N: 1000 10000; K: 3; DIR: ../shared/bench beside the repository, or
        $SKAIDRA_BENCH_SHARED; --hugo-max: largest N Hugo is run at, default 20000, because Hugo
        needs about 6 GiB at 20,000 services and its memory grows faster than linearly;
        --keep-corpus: use the corpus already in target/bench/ instead of making it again;
        --light: a lighter corpus (short easy-read pages, every translation stamped), see hugo_corpus.py)

For each N:
  1. `gen-hugo-corpus.py N` (from DIR) writes the Hugo site; `hugo_corpus.py` converts it into a
     Skaidra site with the same services and Markdown, plus providers and easy-read versions.
  2. Full builds, alternating Hugo and Skaidra (A B A B ...), K rounds each of:
       cold: the output folder removed first (Hugo: `public/` and `resources/`; Skaidra:
             `public/` and its build manifest in `.skaidra-cache/`);
       warm: the previous build's output left in place (Skaidra: without its build manifest, so
             everything is made again and only the files that differ are written).
  2b. Skaidra's builds that use the manifest, beside Hugo's warm build of the same round:
       unchanged: nothing changed since the last build;
       edit: one service's Lithuanian text changed (a sentence appended), then built;
       and `skaidra check` after such an edit.
     Each run is timed with os.wait4 on the process itself: wall time, CPU time, peak RSS.
  3. The I/O floor: `io-floor.py` from DIR writes Skaidra's output tree (same files, sizes and
     folders) from memory, with as many threads as Skaidra uses (the machine's cores).
  3b. The same I/O floor for Hugo's output tree.
  4. `skaidra check --today 2026-11-23` offline: one untimed run (the content back in the page
     cache), then max(K, 5) runs.
  5. Leaflets per second: `skaidra leaflets` on the first 200 services of the site (a copy with
     only those services), timed once.
  6. One-file edit to served page in `skaidra serve`: `serve_bench.py --site` on the same site.
Prints a table per N (medians; ratio = Hugo / Skaidra) and appends JSON lines to --json.
Needs `hugo` (Debian package) and GNU time is not needed. Standard library only.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(REPO, "target/bench")


def timed(cmd, cwd=None, ok=(0,)):
    """(wall s, cpu s, peak RSS MiB) of one run of `cmd`, from the process's own rusage."""
    # stderr goes to a file: a pipe read only after the process ends fills up and blocks it.
    # Flushed first (untimed): otherwise the previous run's output is still being written back to
    # disk during this run, and the two tools slow each other down in turn (as io-floor.py does).
    os.sync()
    with tempfile.TemporaryFile() as errf:
        t = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errf)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        errf.seek(0)
        err = errf.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        sys.exit(f"command failed ({code}): {' '.join(cmd)}\n{err[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def wait_removal(site):
    """Seconds until no `.public.old-*` folder (a previous output being removed) is left."""
    t = time.perf_counter()
    while any(n.startswith(".public.old-") for n in os.listdir(site)):
        time.sleep(0.05)
    return time.perf_counter() - t


def med(rows, k):
    return statistics.median(r[k] for r in rows)


def files_in(d):
    return sum(len(fs) for _, _, fs in os.walk(d))


def main():
    args = sys.argv[1:]
    if "-h" in args or "--help" in args:
        print(__doc__)
        return

    def opt(name, default):
        if name in args:
            i = args.index(name)
            v = args[i + 1]
            del args[i:i + 2]
            return v
        return default

    runs = int(opt("--runs", 3))
    shared = opt("--shared", os.environ.get("SKAIDRA_BENCH_SHARED", os.path.join(os.path.dirname(REPO), "shared", "bench")))
    hugo_max = int(opt("--hugo-max", 20000))
    keep = "--keep-corpus" in args
    if keep:
        args.remove("--keep-corpus")
    light = "--light" in args
    if light:
        args.remove("--light")
    jpath = opt("--json", None)
    unknown = [a for a in args if not a.isdigit()]
    if unknown:
        sys.exit(f"unknown argument {unknown[0]!r}; see --help")
    sizes = [int(a) for a in args] or [1000, 10000]
    for tool in ("gen-hugo-corpus.py", "io-floor.py"):
        if not os.path.exists(os.path.join(shared, tool)):
            sys.exit(f"{tool} not found in {shared}: pass --shared DIR (the folder with the benchmark scripts)")
    hugo = shutil.which("hugo")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    exe = os.path.join(REPO, "target/release/skaidra")
    hv = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip() if hugo else "not installed"
    print(f"machine: {os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; hugo: {hv}")
    os.makedirs(BENCH, exist_ok=True)
    for n in sizes:
        hsite = os.path.join(BENCH, f"hugo-{n}")
        ssite = os.path.join(BENCH, f"skaidra-{n}")
        t = time.perf_counter()
        if not (keep and os.path.exists(os.path.join(ssite, "site.toml")) and os.path.exists(os.path.join(hsite, "content"))):
            subprocess.run([sys.executable, os.path.join(shared, "gen-hugo-corpus.py"), str(n), hsite], check=True, stdout=subprocess.DEVNULL)
            subprocess.run([sys.executable, os.path.join(REPO, "tests/bench/hugo_corpus.py"), hsite, ssite] + (["--light"] if light else []),
                           check=True, stdout=subprocess.DEVNULL)
        print(f"\n== N = {n} services (corpus made and converted in {time.perf_counter() - t:.0f} s)")
        sout = os.path.join(ssite, "public")
        hout = os.path.join(hsite, "public")
        run_hugo = hugo is not None and n <= hugo_max
        res = {"n": n, "runs": runs, "corpus": "light" if light else "realistic"}
        rows = {"hugo cold": [], "skaidra cold": [], "hugo warm": [], "skaidra warm": []}
        manifests = lambda: [os.path.join(ssite, ".skaidra-cache", f) for f in os.listdir(os.path.join(ssite, ".skaidra-cache"))
                             if f.startswith("build-")] if os.path.isdir(os.path.join(ssite, ".skaidra-cache")) else []
        sk_cmd = [exe, "build", "--root", ssite, "--quiet"]
        hugo_cmd = [hugo, "--quiet", "--source", hsite] if hugo else None
        for mode in ("cold", "warm"):
            for r in range(runs):
                if run_hugo:
                    if mode == "cold":
                        shutil.rmtree(hout, ignore_errors=True)
                        shutil.rmtree(os.path.join(hsite, "resources"), ignore_errors=True)
                    elif not os.path.exists(hout):
                        timed(hugo_cmd)
                    rows[f"hugo {mode}"].append(dict(zip(("wall", "cpu", "rss"), timed(hugo_cmd))))
                if mode == "cold":
                    shutil.rmtree(sout, ignore_errors=True)
                elif not os.path.exists(sout):
                    timed(sk_cmd)
                    wait_removal(ssite)
                # Without the manifest: a full build.
                for m in manifests():
                    os.remove(m)
                rows[f"skaidra {mode}"].append(dict(zip(("wall", "cpu", "rss"), timed(sk_cmd))))
                # A big previous output is removed by a process of its own after the build; the
                # next run starts when it is gone, so it does not slow that run down.
                rows[f"skaidra {mode}"][-1]["removal"] = wait_removal(ssite)
                print(f"  round {r + 1} {mode}: " + "  ".join(f"{k} {v[-1]['wall']:.2f} s" for k, v in rows.items() if k.endswith(mode) and v), flush=True)
        # Builds that use the manifest, and `check` after an edit.
        timed(sk_cmd)
        edited = os.path.join(ssite, "content/services/s1/index.lt.md")
        with open(edited, encoding="utf-8") as f:
            original = f.read()
        inc = {"unchanged": [], "edit": [], "check after edit": []}
        check_cmd = [exe, "check", "--root", ssite, "--today", "2026-11-23", "--quiet"]
        for r in range(max(runs, 5)):
            inc["unchanged"].append(timed(sk_cmd)[0])
            with open(edited, "w", encoding="utf-8") as f:
                f.write(original + f"\nEdit {r}.\n")
            inc["edit"].append(timed(sk_cmd)[0])
            with open(edited, "w", encoding="utf-8") as f:
                f.write(original + f"\nEdit {r}, again.\n")
            inc["check after edit"].append(timed(check_cmd, ok=(0, 1, 2))[0])
            # Built again (untimed), so the next "unchanged" build has nothing to do.
            timed(sk_cmd)
        with open(edited, "w", encoding="utf-8") as f:
            f.write(original)
        timed(sk_cmd)
        res["incremental"] = {k: statistics.median(v) for k, v in inc.items()}
        pages = {"skaidra": sum(1 for _, _, fs in os.walk(sout) for f in fs if f.endswith(".html")), "skaidra files": files_in(sout)}
        if run_hugo:
            pages["hugo"] = sum(1 for _, _, fs in os.walk(hout) for f in fs if f.endswith(".html"))
        res["pages"] = pages
        res["builds"] = {k: {"wall": med(v, "wall"), "cpu": med(v, "cpu"), "rss": max(x["rss"] for x in v)} for k, v in rows.items() if v}
        for k in ("skaidra cold", "skaidra warm"):
            if rows[k]:
                res["builds"][k]["removal_after"] = med(rows[k], "removal")

        # I/O floor for Skaidra's output tree.
        floor = subprocess.run([sys.executable, os.path.join(shared, "io-floor.py"), sout, os.path.join(BENCH, f"floor-{n}"),
                                "--runs", str(runs), "--threads", str(os.cpu_count())], capture_output=True, text=True, check=True).stdout
        m = re.search(r"python write.*?min/med/max [0-9.]+/([0-9.]+)/", floor)
        res["io_floor"] = float(m.group(1)) if m else None
        res["io_floor_text"] = floor.strip()

        # The I/O floor of Hugo's own output tree (fewer pages): what the disk alone costs Hugo.
        if run_hugo and os.path.isdir(hout):
            hfloor = subprocess.run([sys.executable, os.path.join(shared, "io-floor.py"), hout, os.path.join(BENCH, f"floor-hugo-{n}"),
                                     "--runs", str(runs), "--threads", str(os.cpu_count())], capture_output=True, text=True, check=True).stdout
            m = re.search(r"python write.*?min/med/max [0-9.]+/([0-9.]+)/", hfloor)
            res["hugo_io_floor"] = float(m.group(1)) if m else None

        # `check` after one untimed run: the I/O floor's writing above can leave the content out
        # of the page cache (this machine's kernel also drops pages it thinks cold), and an
        # editor's `check` follows the build that has just read the content. The first run is
        # kept in the results as "first".
        check_cmd = [exe, "check", "--root", ssite, "--today", "2026-11-23", "--quiet"]
        first = timed(check_cmd, ok=(0, 1, 2))
        checks = [dict(zip(("wall", "cpu", "rss"), timed(check_cmd, ok=(0, 1, 2)))) for _ in range(max(runs, 5))]
        res["check"] = {"wall": med(checks, "wall"), "cpu": med(checks, "cpu"), "rss": max(c["rss"] for c in checks),
                        "runs": len(checks), "first": first[0]}

        # Leaflets: a copy of the site with its first 200 services.
        lsite = os.path.join(BENCH, f"leaflets-{n}")
        shutil.rmtree(lsite, ignore_errors=True)
        shutil.copytree(ssite, lsite, ignore=shutil.ignore_patterns("public", ".skaidra-*"))
        keep = {f"s{i}" for i in range(1, 201)}
        for d in os.listdir(os.path.join(lsite, "content/services")):
            if d not in keep:
                shutil.rmtree(os.path.join(lsite, "content/services", d))
            else:  # links to services left out now point at a kept one
                for f in ("index.lt.md", "index.en.md"):
                    path = os.path.join(lsite, "content/services", d, f)
                    with open(path, encoding="utf-8") as fh:
                        text = fh.read()
                    text = re.sub(r"@/services/(s\d+)", lambda m: m.group(0) if m.group(1) in keep else "@/services/s1", text)
                    with open(path, "w", encoding="utf-8") as fh:
                        fh.write(text)
        w, c, rss = timed([exe, "leaflets", "--root", lsite])
        made = sum(1 for _, _, fs in os.walk(os.path.join(lsite, "public/leaflets")) for f in fs if f.endswith(".pdf"))
        res["leaflets"] = {"made": made, "wall": w, "cpu": c, "rss": rss, "per_second": made / w}
        shutil.rmtree(lsite, ignore_errors=True)

        serve = subprocess.run([sys.executable, os.path.join(REPO, "tests/bench/serve_bench.py"), str(n), "--site", ssite, "--edits", "10"],
                               capture_output=True, text=True)
        if serve.returncode != 0:
            print(serve.stdout[-2000:], serve.stderr[-2000:])
        sm = re.search(r"edit-to-page ms:\s+median\s+([0-9.]+)", serve.stdout)
        rm = re.search(r"server ms:\s+median\s+([0-9.]+)", serve.stdout)
        pm = re.search(r"peak RSS:\s+([0-9.]+) MiB", serve.stdout)
        res["serve"] = {"edit_to_page_ms": float(sm.group(1)) if sm else None, "server_ms": float(rm.group(1)) if rm else None,
                        "rss": float(pm.group(1)) if pm else None}

        b = res["builds"]
        print(f"pages: {pages}")
        print(f"{'':24} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9}")
        for k, v in b.items():
            extra = f"   (old output removed {v['removal_after']:.1f} s after, in the background)" if v.get("removal_after", 0) > 0.05 else ""
            print(f"{'build ' + k:24} {v['wall']:>8.2f} {v['cpu']:>8.2f} {v['rss']:>9.0f}{extra}")
        if run_hugo:
            for mode in ("cold", "warm"):
                h, s = b[f"hugo {mode}"], b[f"skaidra {mode}"]
                print(f"  {mode}: Skaidra is {h['wall'] / s['wall']:.1f}x faster than Hugo; peak memory {s['rss'] / h['rss']:.2f} of Hugo's")
        if res["io_floor"]:
            print(f"I/O floor (writing Skaidra's {pages['skaidra files']} files from memory): {res['io_floor']:.2f} s; "
                  f"cold build / floor = {b['skaidra cold']['wall'] / res['io_floor']:.2f}")
        if res.get("hugo_io_floor"):
            print(f"I/O floor of Hugo's output tree: {res['hugo_io_floor']:.2f} s; Hugo cold build / 10 = {b['hugo cold']['wall'] / 10:.2f} s")
        hw = b["hugo warm"]["wall"] if run_hugo else None
        for k, v in res["incremental"].items():
            vs = f"   ({hw / v:.0f}x faster than Hugo's warm build)" if hw and not k.startswith("check") else ""
            print(f"{k:24} {v:>8.3f} s{vs}")
        print(f"{'check (offline)':24} {res['check']['wall']:>8.2f} {res['check']['cpu']:>8.2f} {res['check']['rss']:>9.0f}"
              f"   (median of {res['check']['runs']}; the untimed first run took {res['check']['first']:.2f} s)")
        lf = res["leaflets"]
        print(f"leaflets: {lf['made']} in {lf['wall']:.2f} s = {lf['per_second']:.0f} per second ({lf['rss']:.0f} MiB)")
        sv = res["serve"]
        print(f"serve: edit to page {sv['edit_to_page_ms']} ms (median of 10; server rebuild {sv['server_ms']} ms), peak {sv['rss']} MiB")
        if jpath:
            with open(jpath, "a") as f:
                f.write(json.dumps(res) + "\n")


if __name__ == "__main__":
    main()
