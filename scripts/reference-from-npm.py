#!/usr/bin/env python3
"""Rebuilds crates/domain/reference/{municipalities,postal_codes,countries,languages}.tsv from the
npm packages named in crates/domain/reference/SOURCES.md, unpacked with `npm pack` + `tar`:

    scripts/reference-from-npm.py POSTAL_DIR COUNTRIES_DIR LANGUAGES_DIR

Each directory is a package's unpacked `package/` folder."""
import json, sys, os

postal, countries, languages = sys.argv[1:4]
out = os.path.join(os.path.dirname(__file__), "..", "crates", "domain", "reference")

# The postal file's language-ratio field is left out: it disagrees with the official status
# (Pedersöre, Swedish-majority bilingual, is marked Finnish).
# The regional council's name, not the NUTS 3 statistical name the postal file carries.
REGION_NAME = {"Helsinki-Uusimaa": ("Uusimaa", "Nyland")}

rows = json.load(open(os.path.join(postal, "postcodes.json")))
munis = {}
for r in rows:
    fi, sv = REGION_NAME.get(r["ad_area_fi"], (r["ad_area_fi"], r["ad_area_sv"]))
    munis[r["municipal_code"]] = (r["municipal_name_fi"], r["municipal_name_sv"], r["ad_area_code"], fi, sv)
# Mergers after the postal file's date (2024-04-13), from mergers.tsv: the old municipality
# leaves the list and its postal codes move to the new one.
merged = {}
for line in open(os.path.join(out, "mergers.tsv")).read().splitlines()[1:]:
    old, _, new, year = line.split("\t")
    if int(year) >= 2025:
        merged[old] = new
for old in merged:
    munis.pop(old, None)
for r in rows:
    r["municipal_code"] = merged.get(r["municipal_code"], r["municipal_code"])
with open(os.path.join(out, "municipalities.tsv"), "w") as f:
    f.write("code\tname_fi\tname_sv\tnuts3\tregion_fi\tregion_sv\n")
    for code in sorted(munis):
        f.write("\t".join((code,) + munis[code]) + "\n")
with open(os.path.join(out, "postal_codes.tsv"), "w") as f:
    f.write("postal_code\tmunicipality\tname_fi\tname_sv\n")
    for r in sorted(rows, key=lambda r: r["postcode"]):
        f.write("\t".join((r["postcode"], r["municipal_code"], r["postcode_fi_name"], r["postcode_sv_name"])) + "\n")

def name(v):
    return v[0] if isinstance(v, list) else v

codes = json.load(open(os.path.join(countries, "codes.json")))
names = {l: json.load(open(os.path.join(countries, "langs", f"{l}.json")))["countries"] for l in ("fi", "sv", "en")}
EU = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
EEA_ONLY = "IS LI NO".split()
with open(os.path.join(out, "countries.tsv"), "w") as f:
    f.write("alpha2\talpha3\tnumeric\tname_fi\tname_sv\tname_en\teu\teea\n")
    for a2, a3, num, _ in sorted(codes):
        f.write("\t".join([a2, a3, num] + [name(names[l][a2]) for l in ("fi", "sv", "en")]
                          + ["1" if a2 in EU else "0", "1" if a2 in EU or a2 in EEA_ONLY else "0"]) + "\n")

lcodes = json.load(open(os.path.join(languages, "codes.json")))
lnames = {l: json.load(open(os.path.join(languages, "langs", f"{l}.json")))["languages"] for l in ("fi", "sv", "en")}
with open(os.path.join(out, "languages.tsv"), "w") as f:
    f.write("iso639_1\tiso639_2\tname_fi\tname_sv\tname_en\n")
    for c1, c2, _, _ in sorted(lcodes):
        f.write("\t".join([c1, c2] + [name(lnames[l][c1]) for l in ("fi", "sv", "en")]) + "\n")
