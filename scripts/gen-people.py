#!/usr/bin/env python3
"""Writes a CSV of N made-up people for import benchmarks: Hebrew and English names, unique
emails, Israeli mobile numbers, roles, tags and a consent column, with Hebrew headers.

Usage: scripts/gen-people.py N FILE
"""
import random
import sys

FIRST_HE = ["נועה", "תמר", "מאיה", "שירה", "יעל", "רונית", "מיכל", "הדס", "יוסי", "דוד", "אברהם", "משה", "איתי", "עומר", "אורי", "רועי"]
LAST_HE = ["כהן", "לוי", "מזרחי", "פרץ", "ביטון", "דהן", "אברהם", "פרידמן", "שפירא", "אזולאי", "גולן", "חדד"]
FIRST_EN = ["Sarah", "David", "Emily", "Michael", "Hannah", "Daniel"]
LAST_EN = ["Cohen", "Levy", "Goldberg", "Miller", "Katz", "Adler"]
ROLES = ["donor", "volunteer", "activist", "partner", "beneficiary", "press", "public"]
TAGS = ["חיפה", "תל אביב", "ירושלים", "סטודנט", "פנסיונר", ""]


def main() -> None:
    n = int(sys.argv[1])
    out = sys.argv[2]
    rnd = random.Random(2026)
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("שם פרטי,שם משפחה,דוא\"ל,טלפון נייד,תפקיד,תגיות,מסכים לדיוור\n")
        for i in range(n):
            if rnd.random() < 0.2:
                first, last = rnd.choice(FIRST_EN), rnd.choice(LAST_EN)
            else:
                first, last = rnd.choice(FIRST_HE), rnd.choice(LAST_HE)
            phone = f"05{rnd.choice('2348')}-{2 + i % 7}{i % 1000000:06d}" if rnd.random() < 0.6 else ""
            consent = "כן" if rnd.random() < 0.7 else "לא"
            f.write(f"{first},{last},person{i}@bench.example,{phone},{rnd.choice(ROLES)},{rnd.choice(TAGS)},{consent}\n")


if __name__ == "__main__":
    main()
