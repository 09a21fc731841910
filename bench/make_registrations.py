#!/usr/bin/env python3
"""Write an invented registrations file (bench and scale tests; never real people).

    bench/make_registrations.py OUT.csv [--rows 2000] [--seed 1]

Names mix accents, non-Latin scripts (Greek, Cyrillic) and very long compound names;
addresses are at example.org; countries and languages follow the shipped content.
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
TITLES = ["Ms", "Mr", "Dr", ""]
ORGS = ["Ministry of Labour", "Secretaría del Trabajo y Previsión Social",
        "Instituto Nacional de Migración y Desarrollo Económico Sostenible",
        "Department of State", "Ministerio de Relaciones Exteriores"]
POSITIONS = ["Director", "Asesora", "Coordinadora General de Cooperación Internacional",
             "Programme Officer", "Técnico"]


def rows(count: int, seed: int):
    rng = random.Random(seed)
    codes = sorted(COUNTRIES)
    for number in range(count):
        code = codes[number % len(codes)]
        yield [rng.choice(GIVEN), rng.choice(FAMILY), rng.choice(TITLES), rng.choice(ORGS),
               rng.choice(POSITIONS), code, COUNTRIES[code],
               f"delegate{number:06d}@example.org",
               rng.choice(["attended", "attended", "registered", "no-show"]),
               rng.choice(["in-person", "remote"])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with args.out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["given_name", "family_name", "title", "organisation", "position",
                         "country", "language", "email", "attendance", "participation"])
        writer.writerows(rows(args.rows, args.seed))


if __name__ == "__main__":
    main()
