#!/usr/bin/env python3
"""The layering check: every `#include "..."` under src/ and every ecomon_* library link in src/**/CMakeLists.txt
must follow an allowed edge of the table in docs/architecture.md (between the `layers:` markers), or be one of
the known violations listed there (between the `debts:` markers) that the core redesign removes. A debt that is
no longer present fails too, so that the document stays true. And no file under src/ outside src/store names the
SQLite backend (`SqliteStore`, `sqlite3`): the rest reach storage through store/api (issue 16).

  scripts/check-layers.py            # exit 0: every edge allowed; 1: violations listed with file:line
  scripts/check-layers.py --graph    # also print the module graph as found

No third-party modules: runs with Debian's python3.
"""
import fnmatch
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "architecture.md")


def table_rows(text, name):
    m = re.search(r"<!-- %s:begin -->(.*?)<!-- %s:end -->" % (name, name), text, re.S)
    if not m:
        sys.exit("check-layers: docs/architecture.md has no '%s' table" % name)
    rows = []
    for line in m.group(1).splitlines():
        line = line.strip()
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        cells = [c.strip().strip("`") for c in line.strip("|").split("|")]
        if cells[0].lower() == "module" or cells[0].lower().startswith("from "):
            continue
        rows.append(cells)
    return rows


def split_list(cell):
    cell = cell.replace("`", "")
    return [x.strip() for x in re.split(r"[,\s]+", cell) if x.strip() and x.strip() not in ("—", "-", "nothing")]


# The SQLite backend by name: only src/store may say it (tests that need raw SQL use store/test_sqlite_file.h).
BACKEND_NAMES = re.compile(r"SqliteStore|sqlite3")


def backend_names_outside_store():
    found = []
    for base, _, files in os.walk(os.path.join(ROOT, "src")):
        for f in sorted(files):
            path = os.path.join(base, f)
            rel = os.path.relpath(path, ROOT)
            if rel.startswith("src/store/"):
                continue
            with open(path, encoding="utf-8", errors="replace") as fh:
                for no, line in enumerate(fh, 1):
                    m = BACKEND_NAMES.search(line)
                    if m:
                        found.append("%s:%d names %s outside src/store (use store/api, open_sqlite_stores, "
                                     "store/test_sqlite_file.h)" % (rel, no, m.group(0)))
    return found


def main():
    text = open(DOC, encoding="utf-8").read()
    modules = []  # (name, [path patterns], set(allowed))
    for cells in table_rows(text, "layers"):
        name, paths, allowed = cells[0], split_list(cells[1]), set(split_list(cells[2]))
        modules.append((name, paths, allowed))
    names = {m[0] for m in modules}
    for name, _, allowed in modules:
        unknown = allowed - names
        if unknown:
            sys.exit("check-layers: row %s allows unknown module(s) %s" % (name, ", ".join(sorted(unknown))))
    allowed_of = {m[0]: m[2] for m in modules}
    debts = {}
    for cells in table_rows(text, "debts"):
        edge = cells[0].replace("→", "->")
        a, b = [x.strip() for x in edge.split("->")]
        debts[(a, b)] = cells[1] if len(cells) > 1 else ""

    # File-name patterns (tests) first, then the longest path: "src/store/store.h" (store-api) before "src/store/".
    patterns = sorted(((p, m[0]) for m in modules for p in m[1]),
                      key=lambda x: (0 if ("*" in x[0] or "?" in x[0]) else 1, -len(x[0])))

    def module_of(rel):
        for p, name in patterns:
            if "*" in p or "?" in p:
                if fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(os.path.basename(rel), p):
                    return name
            elif rel == p or rel.startswith(p.rstrip("/") + "/"):
                return name
        return None

    found = {}  # (from, to) -> first "file:line"
    problems = []
    unmapped = set()
    for base, _, files in os.walk(os.path.join(ROOT, "src")):
        for f in sorted(files):
            path = os.path.join(base, f)
            rel = os.path.relpath(path, ROOT)
            if f == "CMakeLists.txt" or not f.endswith((".cc", ".h", ".inc", ".in")):
                continue
            src_mod = module_of(rel)
            if src_mod is None:
                unmapped.add(rel)
                continue
            with open(path, encoding="utf-8", errors="replace") as fh:
                for no, line in enumerate(fh, 1):
                    m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                    if not m:
                        continue
                    target = "src/" + m.group(1)
                    if not os.path.exists(os.path.join(ROOT, target)):
                        continue  # generated or local to the directory
                    dst_mod = module_of(target)
                    if dst_mod is None or dst_mod == src_mod:
                        continue
                    found.setdefault((src_mod, dst_mod), "%s:%d" % (rel, no))

    # CMake: which module each ecomon_* library belongs to (where it is added), then its links.
    lib_module = {}
    links = []
    for base, _, files in os.walk(os.path.join(ROOT, "src")):
        if "CMakeLists.txt" not in files:
            continue
        path = os.path.join(base, "CMakeLists.txt")
        rel_dir = os.path.relpath(base, ROOT)
        text_cm = open(path, encoding="utf-8").read()
        for m in re.finditer(r"add_(?:library|executable)\(\s*(ecomon\w*)", text_cm):
            # a library's module: that of its first source file, else of its directory
            lib_module[m.group(1)] = module_of(rel_dir + "/CMakeLists.txt") or module_of(rel_dir + "/")
        for m in re.finditer(r"target_link_libraries\(\s*(ecomon\w*)([^)]*)\)", text_cm, re.S):
            start = text_cm.count("\n", 0, m.start()) + 1
            for lib in re.findall(r"\becomon_\w+", m.group(2)):
                links.append((m.group(1), lib, "%s:%d" % (os.path.relpath(path, ROOT), start)))
    for frm, to, where in links:
        a, b = lib_module.get(frm), lib_module.get(to)
        if a and b and a != b:
            found.setdefault((a, b), where + " (link " + frm + " -> " + to + ")")

    for (a, b), where in sorted(found.items()):
        if b in allowed_of.get(a, set()):
            continue
        if (a, b) in debts:
            continue
        problems.append("forbidden edge %s -> %s at %s" % (a, b, where))
    for (a, b) in sorted(debts):
        if (a, b) not in found:
            problems.append("known violation %s -> %s is gone: remove it from docs/architecture.md" % (a, b))
        elif b in allowed_of.get(a, set()):
            problems.append("known violation %s -> %s is an allowed edge: remove it from the debts" % (a, b))
    for rel in sorted(unmapped):
        problems.append("%s belongs to no module of docs/architecture.md" % rel)
    problems.extend(backend_names_outside_store())

    if "--graph" in sys.argv:
        for (a, b), where in sorted(found.items()):
            mark = "ok" if b in allowed_of.get(a, set()) else ("debt" if (a, b) in debts else "FORBIDDEN")
            print("%-14s -> %-14s %-9s %s" % (a, b, mark, where))
    if problems:
        print("check-layers: %d problem(s) (docs/architecture.md, 'Allowed dependencies'):" % len(problems))
        for p in problems:
            print("  " + p)
        return 1
    print("check-layers: %d module edges, all allowed (%d known violations listed)" % (len(found), len(debts)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
