#!/usr/bin/env python3
"""Generate a Skaidra site whose search index has many files, for search.mjs --big.

Usage: gen_search_site.py N OUTDIR

N services (Lithuanian and English pages) and N/40 providers. Each Lithuanian service is titled
"Paslauga <word> Nr. <i>" with a title word of its own, and its summary has six words from a
vocabulary of 3N more; the words are made-up Lithuanian-looking words with diacritics, none
starting with "pas" or "ser", so the only words that do are "paslauga" (every service) and
"service". Same N gives the same files. OUTDIR/expect.json names, for the test, the queries and
what they must find:
  - "common": the word every service has, and how many documents have it;
  - "prefix": its first three letters (the same documents);
  - "rare": a service's own title word, which finds that service first;
  - "folded": a title word with diacritics typed without them;
  - "typo": a title word of 8 or more letters with one letter (not the first) wrong.
Standard library only.
"""
import json
import os
import random
import shutil
import sys
import unicodedata

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

ONSETS = ["b", "d", "g", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "č", "š", "ž", "dr", "kl", "gr", "tr", "st"]
VOWELS = ["a", "e", "i", "o", "u", "y", "ą", "ę", "ė", "į", "ų", "ū", "ie", "uo", "ai"]
ENDINGS = ["as", "is", "ys", "ė", "a", "ai", "ų", "ams", "ose", "iai", "us"]

SITE = """base_url = "https://paieska.savivaldybe.test/"
languages = ["lt", "en"]

[lang.lt]
title = "Paieškos bandymų katalogas"
description = "Sugeneruotas katalogas paieškai išbandyti."
organisation = "Savivaldybė"

[lang.en]
title = "Search test catalogue"
description = "A generated catalogue to try the search on."
organisation = "Municipality"

[contact]
phone = "+370 315 56 660"
email = "info@savivaldybe.test"

[feedback]
phone = "+370 315 56 660"
email = "info@savivaldybe.test"

[leaflets]
enabled = false
"""

REVIEW = 'reviewed = 2026-10-01\nreview_every = "12 months"\nowner = "Skyrius"\n'


def fold(s):
    return "".join(c for c in unicodedata.normalize("NFD", s.lower()) if not unicodedata.combining(c))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(26)
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(os.path.join(REPO, "themes"), os.path.join(out, "themes"))
    shutil.copytree(os.path.join(REPO, "i18n"), os.path.join(out, "i18n"))
    write(os.path.join(out, "site.toml"), SITE)
    write(os.path.join(out, "content/taxonomies.toml"),
          '[audiences]\nall = { lt = "Gyventojai", en = "Residents" }\n[categories]\nhelp = { lt = "Pagalba", en = "Help" }\n')

    # Made-up words, each folded form once.
    seen, vocabulary = set(), []
    while len(vocabulary) < 4 * n + 100:
        w = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(rng.randint(2, 4))) + rng.choice(ENDINGS)
        f = fold(w)
        if f in seen or f.startswith(("pas", "ser")):
            continue
        seen.add(f)
        vocabulary.append(w)
    own, shared = vocabulary[:n], vocabulary[n:]

    providers = max(1, n // 40)
    for p in range(providers):
        d = os.path.join(out, f"content/providers/p{p}")
        write(os.path.join(d, "provider.toml"), f'phone = "+370 315 56 660"\n{REVIEW}')
        write(os.path.join(d, "index.lt.md"), f'+++\ntitle = "Įstaiga {rng.choice(shared)} {p}"\nslug = "istaiga-{p}"\nsummary = "Įstaiga."\n+++\nĮstaiga.\n')
        write(os.path.join(d, "index.en.md"), f'+++\ntitle = "Provider {p}"\nslug = "provider-{p}"\nsummary = "A provider."\n+++\nA provider.\n')
    for i in range(1, n + 1):
        d = os.path.join(out, f"content/services/s{i}")
        write(os.path.join(d, "service.toml"),
              f'provider = "p{rng.randrange(providers)}"\naudiences = ["all"]\ncategories = ["help"]\nphone = "+370 315 56 660"\n{REVIEW}')
        summary = " ".join(rng.choice(shared) for _ in range(6)).capitalize() + "."
        word = own[i - 1]
        write(os.path.join(d, "index.lt.md"),
              f'+++\ntitle = "Paslauga {word} Nr. {i}"\nslug = "paslauga-{i}"\nsummary = "{summary}"\n+++\n{summary}\n')
        write(os.path.join(d, "index.en.md"),
              f'+++\ntitle = "Service {i}"\nslug = "service-{i}"\nsummary = "A service."\n+++\nA service.\n')

    def service(i):
        return {"title": f"Paslauga {own[i - 1]} Nr. {i}", "path": f"paslaugos/paslauga-{i}/"}

    rare = n // 2
    folded = next(i for i in range(n // 3, n + 1) if fold(own[i - 1]) != own[i - 1] and len(own[i - 1]) >= 8)

    def with_typo(w):
        k = len(w) // 2
        return w[:k] + ("o" if w[k] != "o" else "a") + w[k + 1:]

    typo_at = next(i for i in range(2 * n // 3, n + 1)
                   if len(own[i - 1]) >= 8 and fold(own[i - 1]) == own[i - 1] and with_typo(own[i - 1]) not in seen)
    typo = with_typo(own[typo_at - 1])
    expect = {
        "services": n,
        "common": {"q": "paslauga", "count": n},
        "prefix": {"q": "pas", "count": n},
        "rare": {"q": fold(own[rare - 1]), "find": service(rare)},
        "folded": {"q": fold(own[folded - 1]), "find": service(folded)},
        "typo": {"q": typo, "find": service(typo_at)},
    }
    write(os.path.join(out, "expect.json"), json.dumps(expect, ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {n} services and {providers} providers to {out}")


if __name__ == "__main__":
    main()
