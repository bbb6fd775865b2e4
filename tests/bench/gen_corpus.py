#!/usr/bin/env python3
"""Generate a deterministic Skaidra site with N bilingual services, for benchmarks.

Usage: gen_corpus.py N OUTDIR [--seed S]

The site uses the repository's own theme and i18n files (copied), N/40 providers, 8 audiences,
12 categories, a charter and a quality policy; every service has a Lithuanian and an English page
of about 600 words with headings, lists, a table and internal links. Same N and seed give the same
files. Standard library only.
"""
import os
import random
import shutil
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

LT = ("paslauga socialinė pagalba asmuo šeima vaikų priežiūra globa namų slauga neįgaliesiems senjorams "
      "savivaldybė prašymas dokumentai teikėjas gyventojų sąlygos mokestis įstaiga darbuotojas konsultacija "
      "laikinas apgyvendinimas dienos centras užimtumas transportas maitinimas bendruomenė ir su be kad į iš "
      "per pagal dėl yra gali turi bus teikiama kreiptis gauti sužinoti padėti užtikrinti").split()
EN = ("service social support person family children care home nursing disability seniors municipality "
      "application documents provider residents conditions fee institution worker consultation temporary "
      "accommodation day centre activities transport meals community and with without that into from "
      "through according is can has will provided apply receive learn help ensure").split()


def words(rng, vocab, n):
    return " ".join(rng.choice(vocab) for _ in range(n))


def sentence(rng, vocab):
    s = words(rng, vocab, rng.randint(6, 14))
    return s[0].upper() + s[1:] + "."


def body(rng, vocab, i, n, lang):
    parts = []
    heads = ["Apie paslaugą", "Kaip vyksta", "Kas svarbu"] if lang == "lt" else ["About the service", "How it works", "Good to know"]
    for h in heads:
        parts.append(f"## {h}\n")
        for _ in range(3):
            parts.append(" ".join(sentence(rng, vocab) for _ in range(5)) + "\n")
        parts.append("\n".join(f"- {sentence(rng, vocab)}" for _ in range(4)) + "\n")
    other = rng.randint(1, n)
    label = "Susijusi paslauga" if lang == "lt" else "Related service"
    parts.append(f"{label}: [{words(rng, vocab, 3)}](@/services/s{other}).\n")
    parts.append("| A | B |\n|---|---|\n| " + words(rng, vocab, 2) + " | " + words(rng, vocab, 2) + " |\n")
    return "\n".join(parts)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    n, out = int(args[0]), args[1]
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 1
    rng = random.Random(seed)
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(os.path.join(REPO, "themes"), os.path.join(out, "themes"))
    shutil.copytree(os.path.join(REPO, "i18n"), os.path.join(out, "i18n"))
    write(os.path.join(out, "site.toml"), """base_url = "https://example.lt/"
languages = ["lt", "en"]

[lang.lt]
title = "Paslaugų katalogas"
description = "Sugeneruotas katalogas."
organisation = "Savivaldybė"

[lang.en]
title = "Service catalogue"
description = "A generated catalogue."
organisation = "Municipality"

[contact]
phone = "+370 315 56 660"
email = "info@example.lt"

[feedback]
phone = "+370 315 56 660"
email = "info@example.lt"
""")
    aud = [f"a{i}" for i in range(8)]
    cat = [f"c{i}" for i in range(12)]
    tax = "[audiences]\n" + "".join(f'{a} = {{ lt = "Grupė {a}", en = "Group {a}" }}\n' for a in aud)
    tax += "[categories]\n" + "".join(f'{c} = {{ lt = "Sritis {c}", en = "Topic {c}" }}\n' for c in cat)
    write(os.path.join(out, "content/taxonomies.toml"), tax)
    review = 'reviewed = 2026-10-01\nreview_every = "12 months"\nowner = "Skyrius"\n'
    providers = max(1, n // 40)
    for p in range(providers):
        d = os.path.join(out, f"content/providers/p{p}")
        write(os.path.join(d, "provider.toml"), f'phone = "+370 315 56 660"\nwebsite = "https://example.lt/"\n{review}')
        for lang, vocab in (("lt", LT), ("en", EN)):
            write(os.path.join(d, f"index.{lang}.md"), f'+++\ntitle = "{words(rng, vocab, 3)} {p}"\nslug = "p{p}"\nsummary = "{sentence(rng, vocab)}"\n+++\n{sentence(rng, vocab)}\n')
    for i in range(1, n + 1):
        d = os.path.join(out, f"content/services/s{i}")
        a = rng.sample(aud, 2)
        c = rng.sample(cat, 1)
        write(os.path.join(d, "service.toml"),
              f'provider = "p{rng.randrange(providers)}"\naudiences = {a!r}\ncategories = {c!r}\nhome_visit = {"true" if i % 3 == 0 else "false"}\nphone = "+370 315 56 660"\nemail = "info@example.lt"\n{review}'.replace("'", '"'))
        for lang, vocab in (("lt", LT), ("en", EN)):
            fm = (f'+++\ntitle = "{words(rng, vocab, 3).capitalize()} {i}"\nslug = "paslauga-{i}"\nsummary = "{sentence(rng, vocab)}"\n'
                  f'eligibility = ["{sentence(rng, vocab)}", "{sentence(rng, vocab)}"]\nhow_to_apply = ["{sentence(rng, vocab)}"]\n'
                  f'documents = ["{sentence(rng, vocab)}"]\ncost = "{sentence(rng, vocab)}"\n+++\n')
            write(os.path.join(d, f"index.{lang}.md"), fm + body(rng, vocab, i, n, lang))
    print(f"wrote {n} services and {providers} providers to {out}")


if __name__ == "__main__":
    main()
