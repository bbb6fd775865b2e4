#!/usr/bin/env python3
"""Convert the Hugo benchmark corpus into a Skaidra site with the same services and Markdown.

Usage: hugo_corpus.py HUGO_DIR OUT_DIR

HUGO_DIR is a site made by `gen-hugo-corpus.py N HUGO_DIR` (see ../shared/bench/). OUT_DIR gets a
Skaidra site built from the same text:
  - every content/services/service-<i>/index.{lt,en}.md becomes content/services/s<i>/ with the
    same title, summary and Markdown body (links `../service-<k>/` become `@/services/s<k>`, the
    internal-link form Skaidra checks), slugs `paslauga-<i>` (lt) and `service-<i>` (en);
  - the front matter's facts (provider, audiences, categories, home visit, review date, phone,
    e-mail) go to service.toml; provider names become provider items p<k> (lt and en pages),
    audience and category labels become the two taxonomies;
  - every service also gets a short easy-read version in both languages (easy.lt.md, easy.en.md),
    as a real Skaidra site would;
  - the English page is stamped `translated_from` the Lithuanian one, as `skaidra stamp` does, so
    `check` measures a site with nothing to report but the review dates the corpus itself sets.
The theme and i18n files are copied from this repository. Leaflets are switched off in site.toml
(the benchmark times them separately with `skaidra leaflets`). Standard library only.
"""
import hashlib
import os
import re
import shutil
import sys
import tomllib

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SITE_TOML = """base_url = "https://paslaugos.example.lt/"
languages = ["lt", "en"]

[lang.lt]
title = "Socialinių paslaugų katalogas"
description = "Savivaldybių socialinių paslaugų katalogas."
organisation = "Savivaldybė"

[lang.en]
title = "Social services catalogue"
description = "A catalogue of municipal social services."
organisation = "Municipality"

[contact]
phone = "+370 5 000 0000"
email = "info@savivaldybe.example.lt"

[feedback]
phone = "+370 5 000 0000"
email = "info@savivaldybe.example.lt"

[easy_read]
required = true

[leaflets]
enabled = false
"""

EASY = {
    "lt": """+++
title = "{title}"
level = 2
checked_by = []
+++
## Kas tai yra

Tai paslauga {i}.
Ji skirta žmonėms, kuriems reikia pagalbos.

## Kaip gauti

Paskambinkite mums.
Mūsų telefonas: {phone}.
Mes jums padėsime.
""",
    "en": """+++
title = "{title}"
level = 2
checked_by = []
+++
## What it is

This is service number {i}.
It is for people who need help.

## How to get it

Call us.
Our phone number is {phone}.
We will help you.
""",
}


def slugify(s):
    table = str.maketrans("ąčęėįšųūžĄČĘĖĮŠŲŪŽ", "aceeisuuzACEEISUUZ")
    s = s.translate(table).lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def split(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    _, fm, body = text.split("+++\n", 2)
    return tomllib.loads(fm), body


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def short_hash(text):
    """The fingerprint `skaidra stamp` writes: first 8 hex digits of SHA-256 of the source page."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


LINK = re.compile(r"\]\(\.\./service-(\d+)/\)")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, out = sys.argv[1], sys.argv[2]
    services = os.path.join(src, "content/services")
    ids = sorted(int(d.split("-")[1]) for d in os.listdir(services) if d.startswith("service-"))
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(os.path.join(REPO, "themes"), os.path.join(out, "themes"))
    shutil.copytree(os.path.join(REPO, "i18n"), os.path.join(out, "i18n"))
    write(os.path.join(out, "site.toml"), SITE_TOML)
    providers, audiences, categories = {}, {}, {}
    for i in ids:
        d = os.path.join(services, f"service-{i}")
        lt, lt_body = split(os.path.join(d, "index.lt.md"))
        en, en_body = split(os.path.join(d, "index.en.md"))
        pkey = (lt["provider"], en["provider"])
        pid = providers.setdefault(pkey, f"p{len(providers)}")
        aud = [audiences.setdefault(slugify(e), (l, e)) and slugify(e) for l, e in zip(lt["audiences"], en["audiences"])]
        cat = [categories.setdefault(slugify(e), (l, e)) and slugify(e) for l, e in zip(lt["categories"], en["categories"])]
        o = os.path.join(out, f"content/services/s{i}")
        write(os.path.join(o, "service.toml"),
              f'provider = "{pid}"\naudiences = [{", ".join(map(q, aud))}]\ncategories = [{", ".join(map(q, cat))}]\n'
              f'home_visit = {"true" if lt["home_visit"] else "false"}\nphone = {q(lt["phone"])}\nemail = {q(lt["email"])}\n'
              f'reviewed = {lt["reviewed"].isoformat()}\nreview_every = "24 months"\n'
              f'owner = {{ lt = "Socialinių paslaugų skyrius", en = "Social Services Division" }}\n')
        lt_text = (f'+++\ntitle = {q(lt["title"])}\nslug = "paslauga-{i}"\nsummary = {q(lt["summary"])}\n+++\n'
                   + LINK.sub(r"](@/services/s\1)", lt_body))
        write(os.path.join(o, "index.lt.md"), lt_text)
        write(os.path.join(o, "index.en.md"),
              f'+++\ntitle = {q(en["title"])}\nslug = "service-{i}"\nsummary = {q(en["summary"])}\n'
              f'translated_from = "{short_hash(lt_text)}"\n+++\n' + LINK.sub(r"](@/services/s\1)", en_body))
        easy_lt = EASY["lt"].format(title=lt["title"], i=i, phone=lt["phone"])
        write(os.path.join(o, "easy.lt.md"), easy_lt)
        easy_en = EASY["en"].format(title=en["title"], i=i, phone=en["phone"])
        write(os.path.join(o, "easy.en.md"), easy_en.replace("+++\n", f'+++\ntranslated_from = "{short_hash(easy_lt)}"\n', 1))
    for (lt_name, en_name), pid in providers.items():
        o = os.path.join(out, f"content/providers/{pid}")
        write(os.path.join(o, "provider.toml"),
              'phone = "+370 5 000 0000"\nemail = "info@savivaldybe.example.lt"\nreviewed = 2026-06-01\nreview_every = "24 months"\n'
              'owner = { lt = "Socialinių paslaugų skyrius", en = "Social Services Division" }\n')
        lt_text = f"+++\ntitle = {q(lt_name)}\nslug = \"{pid}\"\nsummary = {q(lt_name + ' teikia socialines paslaugas.')}\n+++\n{lt_name} teikia socialines paslaugas gyventojams.\n"
        write(os.path.join(o, "index.lt.md"), lt_text)
        write(os.path.join(o, "index.en.md"),
              f"+++\ntitle = {q(en_name)}\nslug = \"{pid}\"\nsummary = {q(en_name + ' provides social services.')}\n"
              f"translated_from = \"{short_hash(lt_text)}\"\n+++\n{en_name} provides social services to residents.\n")
    tax = "[audiences]\n" + "".join(f"{k} = {{ lt = {q(l)}, en = {q(e)} }}\n" for k, (l, e) in sorted(audiences.items()))
    tax += "\n[categories]\n" + "".join(f"{k} = {{ lt = {q(l)}, en = {q(e)} }}\n" for k, (l, e) in sorted(categories.items()))
    write(os.path.join(out, "content/taxonomies.toml"), tax)
    print(f"converted {len(ids)} services, {len(providers)} providers, {len(audiences)} audiences, "
          f"{len(categories)} categories into {out}")


if __name__ == "__main__":
    main()
