#!/usr/bin/env python3
"""Live-preview benchmark: how long from saving a file to the new page being served by `skaidra serve`.

Usage: tests/bench/serve_bench.py [N] [--edits K] [--site DIR] [--what title|body]
       (default N: 10000, K: 10, title)

Generates a corpus of N services with tests/bench/gen_corpus.py under target/bench/serve-N/
(or, with --site, uses DIR, a site with the same layout such as hugo_corpus.py makes),
builds the release binary, starts `skaidra serve --root DIR --port 0`, and waits for the first
build (the `serving on` line; the `built ... in X ms` line gives the build time) and until the
watcher reacts to a save (`serving on` comes before the watches are in place). Then K times:
changes the Lithuanian title of a different service, or with `--what body` adds a sentence to
its text (whole-file write, then relies on the watcher) and polls the service's page in a tight loop (a fresh connection per request) until the
new title is served. Reports, as median / min / max:
  - edit-to-page: from just before the write to the first response with the new title;
  - server rebuild: the time the server printed (`rebuilt P pages in X ms (...)`);
and the page counts the server printed, the first-build time, and the server's peak RSS
(VmHWM from /proc/PID/status, read before it is stopped). While polling, it also counts
responses that were not `200` (a preview should keep serving the last good page while it
rebuilds). Standard library only.
"""
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TIMEOUT = 60.0  # seconds for any one wait
WATCH_WAIT = 10.0  # seconds a save may take to show up as a rebuild
REBUILT = re.compile(r"^rebuilt (\d+) pages in ([0-9.]+) ms \((.*)\)\s*$")
BUILT = re.compile(r"^built (\d+) files in ([0-9.]+) ms")


def get(port, path):
    """GET with a fresh connection; returns (status, body bytes)."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while True:
            c = s.recv(262144)
            if not c:
                break
            chunks.append(c)
    raw = b"".join(chunks)
    head, _, body = raw.partition(b"\r\n\r\n")
    try:
        status = int(head.split(b" ", 2)[1])
    except (IndexError, ValueError):
        status = 0
    return status, body


class Server:
    def __init__(self, exe, root):
        self.proc = subprocess.Popen([exe, "serve", "--root", root, "--port", "0"], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, bufsize=1)
        self.lines = []  # stderr lines
        self.lock = threading.Lock()
        self.url_line = None
        self.url_ready = threading.Event()
        threading.Thread(target=self._read_err, daemon=True).start()
        threading.Thread(target=self._read_out, daemon=True).start()

    def _read_err(self):
        for line in self.proc.stderr:
            with self.lock:
                self.lines.append(line.rstrip("\n"))

    def _read_out(self):
        for line in self.proc.stdout:
            if line.startswith("serving on ") and not self.url_ready.is_set():
                self.url_line = line.strip()
                self.url_ready.set()
        self.url_ready.set()

    def stderr_lines(self):
        with self.lock:
            return list(self.lines)

    def rebuilds(self):
        return [m for m in (REBUILT.match(l) for l in self.stderr_lines()) if m]

    def peak_rss_mib(self):
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return float("nan")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()

    def fail(self, what):
        tail = "\n".join(self.stderr_lines()[-20:])
        self.stop()
        sys.exit(f"{what}\n--- server stderr (last lines):\n{tail}")


def set_title(path, title):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    new, n = re.subn(r'^title = ".*"$', f'title = "{title}"', text, count=1, flags=re.M)
    if n != 1:
        sys.exit(f"no title line in {path}")
    return new


def stats(xs):
    return f"median {statistics.median(xs):8.1f}   min {min(xs):8.1f}   max {max(xs):8.1f}"


def main():
    args = sys.argv[1:]
    edits = 10
    if "--edits" in args:
        i = args.index("--edits")
        edits = int(args[i + 1])
        del args[i:i + 2]
    what = "title"
    if "--what" in args:
        i = args.index("--what")
        what = args[i + 1]
        del args[i:i + 2]
    if what not in ("title", "body"):
        sys.exit("--what is title or body")
    site = None
    if "--site" in args:
        i = args.index("--site")
        site = args[i + 1]
        del args[i:i + 2]
    n = int(args[0]) if args else 10000
    if edits < 1 or n < 1:
        sys.exit(__doc__)

    t = time.perf_counter()
    if site is None:
        site = os.path.join(REPO, "target/bench", f"serve-{n}")
        subprocess.run([sys.executable, os.path.join(REPO, "tests/bench/gen_corpus.py"), str(n), site], check=True, stdout=subprocess.DEVNULL)
    gen_s = time.perf_counter() - t
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    exe = os.path.join(REPO, "target/release/skaidra")
    print(f"machine: {os.cpu_count()} cores; binary: {exe}")
    print(f"corpus: {n} services in {site} (generated in {gen_s:.1f} s); {edits} edits of the {what}")

    t0 = time.perf_counter()
    srv = Server(exe, site)
    try:
        if not srv.url_ready.wait(TIMEOUT * 10) or srv.url_line is None:
            srv.fail("the server did not print `serving on ...`")
        ready_s = time.perf_counter() - t0
        m = re.match(r"serving on http://([^:/]+):(\d+)(/.*)?$", srv.url_line)
        if not m:
            srv.fail(f"unexpected line: {srv.url_line}")
        host, port, base = m.group(1), int(m.group(2)), m.group(3) or "/"
        if host != "127.0.0.1":
            print(f"WARNING: the server listens on {host}, not 127.0.0.1")
        built = next((BUILT.match(l) for l in srv.stderr_lines() if BUILT.match(l)), None)
        first_files, first_ms = (int(built.group(1)), float(built.group(2))) if built else (0, float("nan"))
        rss_after_build = srv.peak_rss_mib()

        # `serving on` is printed before the watcher has registered its watches (an edit saved at
        # once is lost), so save a provider's page unchanged, wait up to WATCH_WAIT for a rebuild
        # and save again if none came; the saves before the one noticed were lost.
        canary = os.path.join(site, "content/providers/p0/index.en.md")
        with open(canary, encoding="utf-8") as f:
            canary_text = f.read()
        lost, t = -1, time.perf_counter()
        while not srv.rebuilds():
            if time.perf_counter() - t > TIMEOUT:
                srv.fail("the watcher never reacted to a save")
            lost += 1
            noticed_at = time.perf_counter()
            with open(canary, "w", encoding="utf-8") as f:
                f.write(canary_text)
            until = time.perf_counter() + WATCH_WAIT
            while not srv.rebuilds() and time.perf_counter() < until:
                time.sleep(0.01)
        watcher_ms = (noticed_at - t) * 1000
        # Earlier saves may have queued more rebuilds: wait until none has come for a while.
        seen, quiet_since = len(srv.rebuilds()), time.perf_counter()
        while True:
            last_ms = float(srv.rebuilds()[-1].group(2))
            if time.perf_counter() - quiet_since > max(1.0, 3 * last_ms / 1000):
                break
            time.sleep(0.05)
            if len(srv.rebuilds()) != seen:
                seen, quiet_since = len(srv.rebuilds()), time.perf_counter()

        # Services spread over the corpus, a different one each time.
        ids = sorted({1 + (i * n) // edits for i in range(edits)})
        while len(ids) < edits:  # tiny N: fewer services than edits
            ids.append(ids[-1] % n + 1)
        wall, server_ms, pages, non_200, requests = [], [], [], 0, 0
        stamp = int(time.time())
        for k, sid in enumerate(ids):
            url = f"{base}paslaugos/paslauga-{sid}/"
            status, body = get(port, url)
            if status != 200:
                srv.fail(f"GET {url} before the edit: {status}")
            title = f"Naujas pavadinimas {sid} {stamp}-{k}"
            path = os.path.join(site, f"content/services/s{sid}/index.lt.md")
            if what == "title":
                text = set_title(path, title)
            else:
                with open(path, encoding="utf-8") as f:
                    text = f.read().rstrip("\n") + f"\n\n{title}.\n"
            needle = title.encode()
            before = len(srv.rebuilds())
            start = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            while True:
                status, body = get(port, url)
                requests += 1
                if status != 200:
                    non_200 += 1
                if needle in body:
                    break
                if time.perf_counter() - start > TIMEOUT:
                    srv.fail(f"edit {k + 1} (s{sid}): the new title was not served within {TIMEOUT:.0f} s")
            wall.append((time.perf_counter() - start) * 1000)
            # The server prints its line right after swapping the files in; wait for it.
            deadline = time.perf_counter() + TIMEOUT
            while len(srv.rebuilds()) <= before:
                if time.perf_counter() > deadline:
                    srv.fail(f"edit {k + 1}: no `rebuilt ...` line")
                time.sleep(0.005)
            r = srv.rebuilds()[before]
            server_ms.append(float(r.group(2)))
            pages.append(int(r.group(1)))
            print(f"  edit {k + 1:>2}: s{sid:<6} edit-to-page {wall[-1]:8.1f} ms   server {server_ms[-1]:8.1f} ms   "
                  f"{pages[-1]:>5} pages ({r.group(3)})", flush=True)
        rss = srv.peak_rss_mib()
    finally:
        srv.stop()

    print()
    print(f"first build:      {first_ms:.0f} ms ({first_files} files; `serving on` {ready_s * 1000:.0f} ms after start)")
    print(f"watcher:          {lost} save(s) made at once after `serving on` lost; the first noticed was made {watcher_ms:.0f} ms after it")
    print(f"edit-to-page ms:  {stats(wall)}")
    print(f"server ms:        {stats(server_ms)}")
    print(f"pages rebuilt:    {' '.join(map(str, pages))} (median {statistics.median(pages):.0f})")
    print(f"peak RSS:         {rss:.0f} MiB (after first build: {rss_after_build:.0f} MiB)")
    print(f"polling:          {requests} requests, {non_200} not 200 while rebuilding")


if __name__ == "__main__":
    main()
