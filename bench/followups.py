"""Are short questions in the next message read after the answer before them? Two-message
exchanges written by helpers who never saw the guide (``tests/data/followups.csv``: 40 whose
second message only makes sense after the first, 10 whose second is a question of its own;
``followups_en.csv``: 24 and 6 in English, counted apart).

No one labelled them with entries: each carries what its second message ``means`` in full (对信息
公开答复不服，提起行政诉讼有没有期限), and the entry that answers that explicit question outright is
the target. The second message is answered on its own and after the first's answer
(``Answerer.answer(text, before)``, as ``Conversation.reply_to`` does within ten minutes); for the
independent ones nothing should change.

Run: python -m bench.followups [-v]
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="print every exchange whose reply changed")
    args = parser.parse_args()

    from bot.evaluation import default_settings
    from bot.knowledge import load
    from bot.matching import build_matcher
    from bot.services.answering import Answerer

    settings = default_settings()
    answerer = Answerer(build_matcher(load(ROOT / "knowledge"), settings), settings)
    counts: dict[str, Counter[str]] = {}
    for name, suffix in (("followups.csv", ""), ("followups_en.csv", " (en)")):
        with (ROOT / "tests" / "data" / name).open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        for row in rows:
            kind = counts.setdefault(row["kind"].strip() + suffix, Counter())
            target = answerer.answer(row["means"])
            alone = answerer.answer(row["second"])
            after = answerer.answer(row["second"], answerer.answer(row["first"]))
            changed = (alone.outcome, alone.entry_id) != (after.outcome, after.entry_id)
            kind["exchanges"] += 1
            kind["changed"] += changed
            if target.outcome != "answer":
                continue
            kind["targeted"] += 1
            kind["right alone"] += alone.outcome == "answer" and alone.entry_id == target.entry_id
            kind["right after"] += after.outcome == "answer" and after.entry_id == target.entry_id
            if changed and args.verbose:
                was, now = f"{alone.outcome} {alone.entry_id}", f"{after.outcome} {after.entry_id}"
                print(f"{row['first']} / {row['second']}: {was} -> {now}")
    columns = ("exchanges", "targeted", "right alone", "right after", "changed")
    print(f"{'kind':18}" + "".join(f"{c:>13}" for c in columns))
    for name, c in sorted(counts.items()):
        print(f"{name:18}" + "".join(f"{c[column]:>13}" for column in columns))


if __name__ == "__main__":
    main()
