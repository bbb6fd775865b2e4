#!/usr/bin/env python3
"""Convert the Hugo benchmark corpus into a Skaidra site with the same services and Markdown.

Usage: hugo_corpus.py HUGO_DIR OUT_DIR [--light]

HUGO_DIR is a site made by `gen-hugo-corpus.py N HUGO_DIR` (see ../shared/bench/). OUT_DIR gets a
Skaidra site built from the same text:
  - every content/services/service-<i>/index.{lt,en}.md becomes content/services/s<i>/ with the
    same title, summary and Markdown body (links `../service-<k>/` become `@/services/s<k>`, the
    internal-link form Skaidra checks), slugs `paslauga-<i>` (lt) and `service-<i>` (en);
  - the front matter's facts (provider, audiences, categories, home visit, review date, phone,
    e-mail) go to service.toml; provider names become provider items p<k> (lt and en pages),
    audience and category labels become the two taxonomies;
  - every service also gets an easy-read version in both languages (easy.lt.md, easy.en.md), as
    long as the example site's (about 2.5 KB: five sections of short sentences and a glossary);
  - the English page is stamped `translated_from` the Lithuanian one, as `skaidra stamp` does,
    except for three services in ten, whose English text and easy-read text carry the stamp of an
    older version of the Lithuanian one (out of date, as part of a real site's translations are),
    so `check` reports them.
With --light, a lighter corpus: short easy-read pages (about 300 bytes) and every
translation stamped up to date.
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

EASY_LIGHT = {
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


# Sentences of the long easy-read versions: short, one idea each, as easy-read guidance asks.
EASY_LONG = {
    "lt": {
        "heads": ["Kas tai yra", "Kam ši pagalba", "Kaip gauti pagalbą", "Kiek tai kainuoja", "Ką dar reikia žinoti"],
        "lines": [
            "Tai paslauga numeris {i}.", "Ji skirta žmonėms, kuriems reikia pagalbos.", "Darbuotojas jums padeda.",
            "Jis ateina pas jus į namus.", "Jūs kartu nusprendžiate, ko jums reikia.", "Pagalba gali būti kasdien.",
            "Pagalba gali būti kelis kartus per savaitę.", "Jums nereikia nieko mokėti iš karto.",
            "Kaina priklauso nuo jūsų pajamų.", "Mes paaiškinsime, kiek reikės mokėti.", "Paskambinkite mums.",
            "Mūsų telefonas: {phone}.", "Galite ateiti ir patys.", "Atsineškite asmens dokumentą.",
            "Mes padėsime užpildyti prašymą.", "Jei nesuprantate, paklauskite dar kartą.",
            "Galite atsivesti artimą žmogų.", "Mes kalbame paprastai ir aiškiai.", "Jūs galite bet kada atsisakyti.",
            "Jūsų nuomonė mums svarbi.",
        ],
        "glossary": [("Darbuotojas", "Žmogus, kurio darbas yra padėti."), ("Prašymas", "Popierius, kuriame prašote pagalbos."),
                     ("Pajamos", "Pinigai, kuriuos gaunate, pavyzdžiui, pensija.")],
    },
    "en": {
        "heads": ["What it is", "Who it is for", "How to get help", "What it costs", "Good to know"],
        "lines": [
            "This is service number {i}.", "It is for people who need help.", "A worker helps you.",
            "The worker comes to your home.", "Together you decide what you need.", "Help can be every day.",
            "Help can be a few times a week.", "You do not pay anything at once.", "The price depends on your income.",
            "We explain how much you pay.", "Call us.", "Our phone number is {phone}.", "You can also come to us.",
            "Bring an identity document.", "We help you fill in the application.", "If you do not understand, ask again.",
            "You can bring a person you trust.", "We speak plainly and clearly.", "You can say no at any time.",
            "What you think matters to us.",
        ],
        "glossary": [("Worker", "A person whose job is to help people."), ("Application", "A paper where you ask for help."),
                     ("Income", "The money you get, like a pension.")],
    },
}


def easy_long(lang, title, i, phone):
    """An easy-read version as long as the example site's: a glossary and five sections."""
    e = EASY_LONG[lang]
    lines = [x.format(i=i, phone=phone) for x in e["lines"]]
    glossary = "".join(f'  {{ term = {q(t)}, explanation = {q(x)} }},\n' for t, x in e["glossary"])
    text = f"+++\ntitle = {q(title)}\nlevel = 2\nchecked_by = []\nglossary = [\n{glossary}]\n+++\n"
    for n, head in enumerate(e["heads"]):
        text += f"## {head}\n\n"
        for k in range(11):
            text += lines[(i + n * 11 + k) % len(lines)] + "\n"
            if k % 4 == 3:
                text += "\n"  # easy-read paragraphs have at most five sentences
        text += "\n"
    return text


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
    args = [a for a in sys.argv[1:] if a != "--light"]
    light = "--light" in sys.argv[1:]
    if len(args) != 2:
        sys.exit(__doc__)
    src, out = args
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
        # Three translations in ten were made from an older version of the Lithuanian text.
        stale = not light and i % 10 < 3
        stamp = (lambda text: short_hash("older version\n" + text)) if stale else short_hash
        write(os.path.join(o, "index.en.md"),
              f'+++\ntitle = {q(en["title"])}\nslug = "service-{i}"\nsummary = {q(en["summary"])}\n'
              f'translated_from = "{stamp(lt_text)}"\n+++\n' + LINK.sub(r"](@/services/s\1)", en_body))
        if light:
            easy_lt = EASY_LIGHT["lt"].format(title=lt["title"], i=i, phone=lt["phone"])
            easy_en = EASY_LIGHT["en"].format(title=en["title"], i=i, phone=en["phone"])
        else:
            easy_lt = easy_long("lt", lt["title"], i, lt["phone"])
            easy_en = easy_long("en", en["title"], i, en["phone"])
        write(os.path.join(o, "easy.lt.md"), easy_lt)
        write(os.path.join(o, "easy.en.md"), easy_en.replace("+++\n", f'+++\ntranslated_from = "{stamp(easy_lt)}"\n', 1))
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
          f"{len(categories)} categories into {out} ({'light' if light else 'realistic'} corpus)")


if __name__ == "__main__":
    main()
