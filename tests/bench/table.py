#!/usr/bin/env python3
"""Print the performance table (docs/performance.md) from side_by_side.py's JSON lines.

Usage: tests/bench/table.py target/bench/results.jsonl
Standard library only.
"""
import json
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
    print("| services | pages (Skaidra / Hugo) | build cold: Skaidra / Hugo | build warm: Skaidra / Hugo "
          "| peak memory: Skaidra / Hugo | I/O floor: Skaidra / Hugo tree | `check` offline | leaflets | `serve` edit to page |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        b = r["builds"]
        hugo = "hugo cold" in b

        def pair(k, unit="s", f="{:.2f}"):
            s = b[f"skaidra {k}"]["wall"]
            if not hugo:
                return f"{f.format(s)} {unit} / not run"
            h = b[f"hugo {k}"]["wall"]
            return f"{f.format(s)} {unit} / {f.format(h)} {unit} ({h / s:.1f}x)"

        mem_s = max(b["skaidra cold"]["rss"], b["skaidra warm"]["rss"])
        mem = f"{mem_s:.0f} MiB / " + (f"{max(b['hugo cold']['rss'], b['hugo warm']['rss']):.0f} MiB" if hugo else "not run")
        pages = f"{r['pages']['skaidra']:,} / " + (f"{r['pages']['hugo']:,}" if hugo else "-")
        floor = f"{r['io_floor']:.2f} s" if r.get("io_floor") else "-"
        if r.get("hugo_io_floor"):
            floor += f" / {r['hugo_io_floor']:.2f} s"
        c = r["check"]
        lf = r["leaflets"]
        sv = r["serve"]
        serve = f"{sv['edit_to_page_ms']:.0f} ms (server {sv['server_ms']:.0f} ms)" if sv.get("edit_to_page_ms") else "-"
        print(f"| {r['n']:,} | {pages} | {pair('cold')} | {pair('warm')} | {mem} | {floor} | "
              f"{c['wall']:.2f} s, {c['rss']:.0f} MiB | {lf['per_second']:.0f}/s | {serve} |")


if __name__ == "__main__":
    main()
