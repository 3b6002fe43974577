#!/usr/bin/env python3
"""Checks a crate's structure: module cycles, public items, long files.

Usage: scripts/check-structure.py [CRATE_SRC] [--max-pub N] [--max-lines N]

A module depends on another when its code (comments and strings removed)
names `crate::other` or `super::other`; submodules count as their top-level
module; test modules (`tests.rs`, `tests/`) are left out of the graph.
Public items are counted as in the project's rule:
`grep -rE '^\\s*pub (fn|struct|enum|trait|mod|type|const|use)'`.
Exits non-zero on a cycle or a limit exceeded.
"""
import os
import re
import sys

args = sys.argv[1:]
src = "reactive-core/src"
max_pub, max_lines = 250, 400
while args:
    a = args.pop(0)
    if a == "--max-pub":
        max_pub = int(args.pop(0))
    elif a == "--max-lines":
        max_lines = int(args.pop(0))
    else:
        src = a

files = []
for root, _, names in os.walk(src):
    files += [os.path.join(root, n) for n in names if n.endswith(".rs")]


def top_module(path):
    rel = os.path.relpath(path, src).split(os.sep)
    return rel[0][:-3] if len(rel) == 1 else rel[0]


def strip(code):
    """The code without comments, strings and char literals."""
    out, i, n = [], 0, len(code)
    while i < n:
        c = code[i]
        if code.startswith("//", i):
            i = code.find("\n", i)
            i = n if i < 0 else i
        elif code.startswith("/*", i):
            j = code.find("*/", i)
            i = n if j < 0 else j + 2
        elif (m := re.compile(r'b?r(#*)"').match(code, i)) and (
            i == 0 or not (code[i - 1].isalnum() or code[i - 1] == "_")
        ):
            end = code.find('"' + m.group(1), m.end())
            i = n if end < 0 else end + 1 + len(m.group(1))
            out.append('""')
        elif c == '"':
            i += 1
            while i < n and code[i] != '"':
                i += 2 if code[i] == "\\" else 1
            i += 1
            out.append('""')
        elif (m := re.compile(r"'(\\.|[^\\'])'").match(code, i)):
            i = m.end()
        else:
            out.append(c)
            i += 1
    return "".join(out)


def crate_paths(code):
    """Top-level names after `crate::`, including inside `use crate::{...}`."""
    names = re.findall(r"\bcrate::([a-z_][a-z0-9_]*)", code)
    for group in re.findall(r"\bcrate::\{([^;]*)\}", code):
        names += re.findall(r"(?:^|[{,])\s*([a-z_][a-z0-9_]*)", group)
    return names


def is_test_module(path):
    """A `#[cfg(test)]` module's file (`tests.rs`, or under a `tests/`
    folder): test code may drive a module through a higher one (the
    hookenv tests run on the testing harness's in-memory tools), and is
    not part of the library's module graph."""
    parts = os.path.relpath(path, src).split(os.sep)
    return parts[-1] == "tests.rs" or "tests" in parts[:-1]


mods = {top_module(f) for f in files} - {"lib"}
deps = {m: set() for m in mods}
pub_re = re.compile(r"^\s*pub (fn|struct|enum|trait|mod|type|const|use)", re.M)
pub_count, long_files = 0, []
for f in files:
    text = open(f, encoding="utf-8").read()
    pub_count += len(pub_re.findall(text))
    n = text.count("\n")
    if n >= max_lines:
        long_files.append((f, n))
    m = top_module(f)
    if m == "lib" or is_test_module(f):
        continue
    code = strip(text)
    # `super::x` at depth 1 (src/m/x.rs) names a sibling of m's own files.
    depth = len(os.path.relpath(f, src).split(os.sep))
    for other in crate_paths(code):
        if other in mods and other != m:
            deps[m].add(other)
    if depth == 1:
        for other in re.findall(r"\bsuper::([a-z_][a-z0-9_]*)", code):
            if other in mods and other != m:
                deps[m].add(other)

# Tarjan's strongly connected components.
index, low, stack, on, sccs = {}, {}, [], set(), []


def visit(v):
    index[v] = low[v] = len(index)
    stack.append(v)
    on.add(v)
    for w in sorted(deps[v]):
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            sccs.append(sorted(comp))


for m in sorted(mods):
    if m not in index:
        visit(m)

ok = True
for m in sorted(mods):
    print(f"{m}: {' '.join(sorted(deps[m]))}")
for c in sccs:
    ok = False
    print(f"CYCLE: {', '.join(c)}")
print(f"public items: {pub_count} (limit {max_pub})")
if pub_count > max_pub:
    ok = False
for f, n in long_files:
    ok = False
    print(f"TOO LONG: {f}: {n} lines (must be under {max_lines})")
sys.exit(0 if ok else 1)
