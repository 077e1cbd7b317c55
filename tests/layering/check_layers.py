#!/usr/bin/env python3
"""The include layering of conventions.md, checked on every source file: an include only ever points down, no engine
includes another, the CLI includes nothing from widgets/, and core uses no QtGui/QtWidgets.

core, bottom up: common -> formats -> io -> model -> plan -> jobs -> the engines (export, analysis, vram, engine,
calibration, solvers, optimize: none includes another) -> project (a file of analysis results), pipeline (work that joins engines: a plan's weights evaluated) -> report -> widgets
-> app. Usage: check_layers.py SOURCE_DIR. Exit 1 with one line per offending include."""
import os
import re
import sys

CORE_RANK = {"common": 0, "formats": 1, "io": 2, "model": 3, "plan": 4, "jobs": 4,
             "export": 5, "analysis": 5, "vram": 5, "engine": 5, "calibration": 5, "solvers": 5, "optimize": 5,
             "project": 6, "pipeline": 6}
ENGINES = {d for d, r in CORE_RANK.items() if r == 5}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')
QT_GUI = re.compile(r"^(QtGui|QtWidgets|QtCharts|QtPrintSupport)/|^Q(Widget|Painter|Image|Color|Font|PdfWriter|Pixmap|Application|GuiApplication)\b")


def sources(root, folder):
    for dirpath, _, files in os.walk(os.path.join(root, folder)):
        for f in sorted(files):
            if f.endswith((".h", ".cpp")):
                yield os.path.join(dirpath, f)


def includes(path):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if m:
                yield n, m.group(1)


def self_test():
    """The check must be able to fail: a tree with one violation of each kind is caught, a clean one is not."""
    import tempfile
    with tempfile.TemporaryDirectory() as root:
        files = {
            "core/plan/plan.h": '#include "formats/ggml_type.h"\n',
            "core/vram/est.cpp": '#include "export/quantize_job.h"\n',     # engine -> engine
            "core/model/m.cpp": '#include "plan/plan.h"\n',                 # points up
            "core/io/w.cpp": "#include <QPainter>\n",                       # QtGui in core
            "app/cli/main.cpp": '#include "view.h"\n',                     # CLI -> widgets
            "widgets/view.h": "",
        }
        for rel, text in files.items():
            os.makedirs(os.path.join(root, os.path.dirname(rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
                f.write(text)
        found = check(root)
        expected = ["engine 'vram' includes engine 'export'", "'model' includes 'plan/plan.h'", "QPainter", "the CLI includes view.h"]
        missing = [e for e in expected if not any(e in p for p in found)]
        if missing or len(found) != len(expected):
            print("self-test failed: found", found, "missing", missing)
            return 1
    print("self-test: the check catches each kind of violation")
    return 0


def main():
    if sys.argv[1] == "--self-test":
        return self_test()
    problems = check(sys.argv[1])
    for p in problems:
        print(p)
    checked = sum(1 for _ in sources(sys.argv[1], "core"))
    print(f"{checked} core files checked; {len(problems)} layering problem(s)")
    return 1 if problems else 0


def check(root):
    problems = []
    widgets = os.path.join(root, "widgets")
    widget_headers = {f for f in os.listdir(widgets) if f.endswith(".h")} if os.path.isdir(widgets) else set()
    for path in sources(root, "core"):
        rel = os.path.relpath(path, root)
        own = rel.split(os.sep)[1]
        if own not in CORE_RANK:
            problems.append(f"{rel}: core/{own}/ has no place in the layering (add it to CORE_RANK in {sys.argv[0]})")
            continue
        for n, inc in includes(path):
            if QT_GUI.search(inc):
                problems.append(f"{rel}:{n}: core includes {inc}; core is QtCore only")
            top = inc.split("/")[0] if "/" in inc else None
            if top not in CORE_RANK or top == own:
                continue
            if own in ENGINES and top in ENGINES:
                problems.append(f"{rel}:{n}: engine '{own}' includes engine '{top}' ({inc}); pass its result as plain data")
            elif CORE_RANK[top] > CORE_RANK[own]:
                problems.append(f"{rel}:{n}: '{own}' includes '{inc}' from the higher layer '{top}'")
    for path in sources(root, "app/cli"):
        for n, inc in includes(path):
            if inc in widget_headers:
                problems.append(f"{os.path.relpath(path, root)}:{n}: the CLI includes {inc} from widgets/")
    for path in sources(root, "report"):
        for n, inc in includes(path):
            if inc in widget_headers:
                problems.append(f"{os.path.relpath(path, root)}:{n}: the report library includes {inc} from widgets/")
    return problems


if __name__ == "__main__":
    sys.exit(main())
