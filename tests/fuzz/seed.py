#!/usr/bin/env python3
"""Seeds the fuzz corpora (tests/fuzz/corpus/<target>/) from the site's real content.

Run from the repository root: python3 tests/fuzz/seed.py
Input layouts are those of skaidra::fuzzing (src/fuzzing.rs): a selector byte, then the text.
"""
import hashlib
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests/fuzz/corpus"
CONTENT_DIRS = [ROOT / "content", ROOT / "src/init_site/content", ROOT / "tests/fixtures/check-site/content"]
# Kind order of skaidra::fuzzing::front_matter's selector byte.
KINDS = {"service.toml": 0, "provider.toml": 1, "charter.toml": 2, "quality.toml": 3, "page.toml": 4}


def put(target, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def body(md):
    parts = md.split(b"\n+++", 2)
    return parts[2].split(b"\n", 1)[-1] if len(parts) == 3 else md


def main():
    md_files, values = [], set()
    for base in CONTENT_DIRS:
        for facts in sorted(base.rglob("*.toml")):
            if facts.name not in KINDS:
                continue
            item = facts.parent
            f = facts.read_bytes()
            for lang in ["lt", "en"]:
                index = item / f"index.{lang}.md"
                easy = item / f"easy.{lang}.md"
                data = bytes([KINDS[facts.name]]) + f
                if index.exists():
                    data += b"\0" + index.read_bytes()
                    if easy.exists():
                        data += b"\0" + easy.read_bytes()
                put("front_matter", data)
            for line in f.decode().splitlines():
                m = re.match(r'\s*(phone|hours|review_every|reviewed|review_by|signed)\s*=\s*(.*)', line)
                if m:
                    v = m.group(2).strip()
                    values.add(v)
                    values.add(v.strip('"'))
        md_files += sorted(base.rglob("*.md"))
    for md in md_files:
        text = md.read_bytes()
        b = body(text)
        easy_lang = 1 if md.name.endswith(".en.md") else 0
        if md.name.startswith("easy."):
            # Selector: language bit, level 2, body from line 6; then title line and body.
            title = re.search(rb'title\s*=\s*"([^"]*)"', text)
            put("easy_sentences", bytes([easy_lang | (2 << 1) | (5 << 3)]) + (title.group(1) if title else b"") + b"\n" + b)
        for sel in [0, 1, 2] + ([4 | 0, 4 | 1] if md.name.startswith("easy.") else []):
            put("markdown_rewrite", bytes([sel | (8 if easy_lang else 0)]) + b)
    for sel in [0, 1, 2]:
        put("markdown_rewrite", bytes([sel]) + b'<p onclick="x()">Hi <b>there</b><script>alert(1)</script> <a href="javascript:alert(1)">a</a> <a href="@/charter">c</a></p>\n\n<iframe src="https://maps.example/x" title="Map"></iframe>\n\n[x](javascript:alert(1)) ![](pictogram:phone) ## Kaina {#kaina}\n')
        put("markdown_rewrite", bytes([sel]) + b"See [home help](@/services/pagalba-i-namus#cost) and [x](https://example.org).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    values |= {
        "+370 315 56 660", "8 315 56660", "8 700 35545", "(8 5) 212 3456", "+37061234567", "+370 37 123 456",
        "+44 20 7946 0958", "00370 315 56 660", "+370 015 56 660",
        "6 months", "1 year", "2 weeks", "30 days", "12 mėnesių", "3 savaitės", "1200 metų",
        "Mo-Th 08:00-17:00; Fr 8:00-15:45", "Mo-Fr 08:00-12:00, 13:00-17:00", "Sa 10:00-14:00; Su 00:00-24:00",
        "2026-10-01", "2026-10-01T08:00:00", "2026-02-30", "{ y = 1 }", "[2026-10-01]",
    }
    for v in sorted(values):
        put("values", v.encode())
    for s in ["Sveiki. Kaip sekasi? Gerai 2.5 karto!", "Skambinkite +370 315 56 660.\nMes jums padėsime.", "Tai SVARBU; VšĮ centras… 2026-10-01."]:
        put("easy_sentences", bytes([2 << 1]) + b"Pavadinimas\n" + s.encode())
    for t in sorted(CORPUS.iterdir()):
        print(t.name, len(list(t.iterdir())))


if __name__ == "__main__":
    main()
