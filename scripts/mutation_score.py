"""Print mutmut's results per mutated file (run after `mutmut run`, from the project root, with the venv's python).

Reads the ``mutants/<file>.meta`` files mutmut 3 writes. Score = (killed + timeout) / mutants run, where
"run" leaves out mutants not run yet; a mutant no test reaches counts against the score.
"""

import collections
import configparser
import json
import sys
from pathlib import Path

from mutmut.stats import status_by_exit_code

COLUMNS = ["killed", "timeout", "survived", "no tests", "other", "not run"]


def status(code) -> str:
    name = status_by_exit_code[code]
    if name == "not checked":
        return "not run"
    return name if name in COLUMNS else "other"


def main() -> int:
    cfg = configparser.ConfigParser()
    cfg.read("setup.cfg")
    files = [f for f in cfg.get("mutmut", "only_mutate").split() if f]
    print(f"{'file':40} " + " ".join(f"{c:>9}" for c in COLUMNS) + "    score")
    for name in files:
        meta = Path("mutants") / f"{name}.meta"
        if not meta.exists():
            print(f"{name:40} (no results)")
            continue
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        counts = collections.Counter(status(c) for c in codes.values())
        tested = sum(counts.values()) - counts["not run"]
        score = f"{100 * (counts['killed'] + counts['timeout']) / tested:5.1f}%" if tested else "   -"
        print(f"{name:40} " + " ".join(f"{counts[c]:>9}" for c in COLUMNS) + f"   {score}")
        if "-v" in sys.argv:
            for key, code in codes.items():
                if status(code) in ("survived", "no tests", "other"):
                    print(f"    {status(code):9} {key}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
