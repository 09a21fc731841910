#!/usr/bin/env python3
"""Write an invented registrations file (bench and scale tests; never real people).

    bench/make_registrations.py OUT.csv [--rows 2000] [--seed 1] [--scripts]

Names mix accents, non-Latin scripts (Greek, Cyrillic) and very long compound names;
addresses are at example.org; countries and languages follow the shipped content.
--scripts: every other name is in a script of the fallback faces (Arabic, Hebrew, Chinese,
Japanese, Korean, Devanagari, Thai, Ethiopic), with its Latin letters in the
given_name_latin/family_name_latin columns.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

COUNTRIES = {"BZ": "en", "CA": "en", "US": "en", "CR": "es", "DO": "es", "SV": "es",
             "GT": "es", "HN": "es", "MX": "es", "NI": "es", "PA": "es"}
GIVEN = ["Ana María", "José Ángel", "Chloé", "Iñaki", "Søren", "Dolores", "Kwame", "Zoë",
         "Ольга", "Дмитрий", "Αικατερίνη", "Νίκος", "María de los Ángeles", "François",
         "Björn", "Ngozi", "Łukasz", "Renée", "Tomás", "Aurélie"]
FAMILY = ["García López", "Núñez Peña", "Lefèvre-Bouchard", "Muñoz Ibáñez", "Ødegård",
          "Quiñónez Aguilar", "Mensah", "Кузнецова", "Смирнов", "Παπαδοπούλου",
          "Γεωργίου", "Fernández-Villaverde y Rodríguez de la Concepción", "Çelik Ünal",
          "Okonkwo-Adébáyọ̀", "Wójcik", "Dubois", "Åström", "Hernández", "Pérez", "Ruiz"]
# (given, family, Latin given, Latin family): invented names in other scripts.
SCRIPTS = [("محمد", "عبد الله", "Mohammed", "Abdullah"), ("فاطمة", "الزهراء", "Fatima", "Alzahra"),
           ("דוד", "לוי", "David", "Levi"), ("小明", "王", "Xiaoming", "Wang"),
           ("丽华", "李", "Lihua", "Li"), ("太郎", "山田", "Taro", "Yamada"),
           ("민준", "김", "Minjun", "Kim"), ("अमिताभ", "शर्मा", "Amitabh", "Sharma"),
           ("สมชาย", "ใจดี", "Somchai", "Jaidee"), ("አበበ", "ቢቂላ", "Abebe", "Bikila")]
TITLES = ["Ms", "Mr", "Dr", ""]
ORGS = ["Ministry of Labour", "Secretaría del Trabajo y Previsión Social",
        "Instituto Nacional de Migración y Desarrollo Económico Sostenible",
        "Department of State", "Ministerio de Relaciones Exteriores"]
POSITIONS = ["Director", "Asesora", "Coordinadora General de Cooperación Internacional",
             "Programme Officer", "Técnico"]


def rows(count: int, seed: int, scripts: bool = False):
    rng = random.Random(seed)
    codes = sorted(COUNTRIES)
    for number in range(count):
        code = codes[number % len(codes)]
        name = [rng.choice(GIVEN), rng.choice(FAMILY)]
        latin = []
        if scripts:
            given, family, *latin = rng.choice(SCRIPTS) if number % 2 else (*name, "", "")
            name = [given, family]
        yield [*name, rng.choice(TITLES), rng.choice(ORGS),
               rng.choice(POSITIONS), code, COUNTRIES[code],
               f"delegate{number:06d}@example.org",
               rng.choice(["attended", "attended", "registered", "no-show"]),
               rng.choice(["in-person", "remote"]), *latin]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scripts", action="store_true")
    args = parser.parse_args()
    with args.out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["given_name", "family_name", "title", "organisation", "position",
                         "country", "language", "email", "attendance", "participation"]
                        + (["given_name_latin", "family_name_latin"] if args.scripts else []))
        writer.writerows(rows(args.rows, args.seed, args.scripts))


if __name__ == "__main__":
    main()
