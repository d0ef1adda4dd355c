#!/usr/bin/env python3
"""Import circles between files, and between a crate's top-level modules (issue 26).

Every .rs file under src/ and crates/*/src/ is a module; the paths it names in `use`
declarations and in code (`crate::…`, `super::…`, `self::…`, another workspace crate's
`gallra_core::…`) are resolved to the file that defines them: the longest module-path prefix
that is a file, following a `use`/`pub use` re-export in that file when the next segment is one
(so `super::Plan`, re-exported by mod.rs from exec.rs, is an edge to exec.rs). A `mod x;`
declaration is not an edge. Cycles are the strongly connected components of more than one
file (Tarjan); the same is done for the top-level modules of each crate (retention ↔
scheduler). Prints every cycle and exits 1 if there is one, 0 when there is none.
Standard library only: CI runs it before the tests.
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def crates():
    """(crate name, src dir, root files) for the workspace's crates with sources here."""
    out = [("gallra", os.path.join(ROOT, "src"))]
    cdir = os.path.join(ROOT, "crates")
    for name in sorted(os.listdir(cdir)) if os.path.isdir(cdir) else []:
        src = os.path.join(cdir, name, "src")
        if os.path.isdir(src):
            out.append((name.replace("-", "_"), src))
    return out


def module_of(src, path):
    """A file's module path inside its crate: retention/exec.rs -> [retention, exec]."""
    rel = os.path.relpath(path, src)[:-3].split(os.sep)
    if rel[-1] == "mod":
        rel = rel[:-1]
    elif len(rel) == 1 and rel[0] in ("lib", "main"):
        rel = []
    return rel


# --- lexing: comments and literals out, then tokens -------------------------------------------

TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|::|[{}();,*]|\S")


def strip(text):
    """The source with comments, strings and char literals blanked (newlines kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            i = j
            continue
        if text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(" " + "\n" * text.count("\n", i, j))
            i = j
            continue
        m = re.compile(r'b?r(#*)"').match(text, i)
        if m and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            end = text.find('"' + m.group(1), m.end())
            end = n if end < 0 else end + 1 + len(m.group(1))
            out.append(' "" ' + "\n" * text.count("\n", i, end))
            i = end
            continue
        if c == '"' or (c == "b" and text.startswith('b"', i)
                        and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_"))):
            j = i + (2 if c == "b" else 1)
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(' "" ' + "\n" * text.count("\n", i, j))
            i = j + 1
            continue
        if c == "'":
            m = re.compile(r"'(\\u\{[0-9a-fA-F]+\}|\\.|[^\\'])'").match(text, i)
            if m:
                out.append(" ' ")
                i = m.end()
                continue
        out.append(c)
        i += 1
    return "".join(out)


# --- parsing: use trees, rooted paths, inline modules -----------------------------------------

def parse_use(toks, i):
    """The use tree at toks[i]; returns ([(segments, alias, glob)], index after `;`)."""
    results = []

    def tree(i, prefix):
        segs = list(prefix)
        while i < len(toks):
            t = toks[i]
            if t == "{":
                i += 1
                while toks[i] != "}":
                    i = tree(i, segs)
                    if toks[i] == ",":
                        i += 1
                return i + 1
            if t == "*":
                results.append((segs, None, True))
                return i + 1
            if re.match(r"[A-Za-z_]", t):
                segs.append(t)
                i += 1
                if i < len(toks) and toks[i] == "::":
                    i += 1
                    continue
                alias = segs[-1]
                if i < len(toks) and toks[i] == "as":
                    alias = toks[i + 1]
                    i += 2
                if segs[-1] == "self":
                    segs = segs[:-1]
                    if alias == "self":
                        alias = segs[-1] if segs else None
                results.append((segs, alias, False))
                return i
            return i
        return i

    if toks[i] == "::":
        i += 1
    i = tree(i, [])
    while i < len(toks) and toks[i] != ";":
        i += 1
    return results, i + 1


def parse(text):
    """Uses and rooted code paths of a file, each with the inline-module stack it sits in."""
    toks = TOKEN.findall(strip(text))
    uses, paths, inline_children = [], [], set()
    stack, depth, pending = [], 0, None  # stack of (name, depth its block opened at)
    i = 0
    while i < len(toks):
        t = toks[i]
        if t == "mod" and i + 2 < len(toks) and toks[i + 2] in ("{", ";"):
            if toks[i + 2] == "{":
                pending = toks[i + 1]
                if not stack:
                    inline_children.add(toks[i + 1])
            i += 2
            continue
        if t == "{":
            depth += 1
            if pending:
                stack.append((pending, depth))
                pending = None
        elif t == "}":
            if stack and stack[-1][1] == depth:
                stack.pop()
            depth -= 1
        elif t == "use" and (i == 0 or toks[i - 1] != "::"):
            trees, i = parse_use(toks, i + 1)
            inner = [s[0] for s in stack]
            for segs, alias, glob in trees:
                uses.append((inner, segs, alias, glob, depth))
            continue
        elif t in ("crate", "super", "self", "gallra_core", "gallra") and (
                i + 1 < len(toks) and toks[i + 1] == "::") and (i == 0 or toks[i - 1] != "::"):
            segs, j = [t], i + 1
            while j + 1 < len(toks) and toks[j] == "::" and re.match(r"[A-Za-z_]", toks[j + 1]):
                segs.append(toks[j + 1])
                j += 2
            paths.append(([s[0] for s in stack], segs))
            i = j
            continue
        i += 1
    return uses, paths, inline_children


# --- resolution -------------------------------------------------------------------------------

class Workspace:
    def __init__(self):
        self.files = {}  # (crate, tuple(module)) -> relative file path
        self.info = {}  # relative file path -> (crate, module, uses, paths, inline children)
        for crate, src in crates():
            for dirpath, _, names in os.walk(src):
                for name in sorted(names):
                    if not name.endswith(".rs"):
                        continue
                    path = os.path.join(dirpath, name)
                    rel = os.path.relpath(path, ROOT)
                    mod = module_of(src, path)
                    c = crate
                    if os.path.relpath(path, src) == "main.rs":
                        c = crate + "(bin)"
                    elif os.path.dirname(os.path.relpath(path, src)) == "bin":
                        c, mod = crate + "(bin " + name[:-3] + ")", []
                    with open(path, encoding="utf-8") as f:
                        uses, paths, inline = parse(f.read())
                    self.files[(c, tuple(mod))] = rel
                    self.info[rel] = (c, mod, uses, paths, inline)
        self.crate_names = {c for c, _ in self.files}
        # Each file's imported names: (crate, module) -> {name: (crate, segments)}; outer scope only.
        self.names = {}
        for rel, (c, mod, uses, _, inline) in self.info.items():
            table = {}
            for inner, segs, alias, glob, depth in uses:
                if inner or glob or not alias or depth:
                    continue
                target = self.absolute(c, mod, inner, segs, inline)
                if target:
                    table[alias] = target
            self.names[rel] = table

    def absolute(self, crate, mod, inner, segs, inline):
        """A path's (crate, absolute segments), or None for another crate's."""
        here = list(mod) + list(inner)
        if not segs:
            return None
        head = segs[0]
        if head == "crate":
            return crate, list(segs[1:])
        if head in ("gallra_core", "gallra") and head != crate:
            return head, list(segs[1:])
        if head in ("self", "super"):
            base, k = here, 0
            while k < len(segs) and segs[k] in ("self", "super"):
                if segs[k] == "super":
                    base = base[:-1]
                k += 1
            return crate, base + list(segs[k:])
        # A 2018 path from the current module: one of its children, file or inline.
        if (crate, tuple(here + [head])) in self.files or (not inner and head in inline):
            return crate, here + list(segs)
        return None

    def resolve(self, crate, segs, hops=0):
        """The file that defines a path: longest file prefix, through its re-exports."""
        for k in range(len(segs), -1, -1):
            rel = self.files.get((crate, tuple(segs[:k])))
            if rel is None:
                continue
            if k < len(segs) and hops < 8:
                target = self.names.get(rel, {}).get(segs[k])
                if target and target != (crate, segs[: k + 1]):
                    tc, ts = target
                    return self.resolve(tc, ts + list(segs[k + 1:]), hops + 1) or rel
            return rel
        return None

    def edges(self):
        """{file: {file: set of names}} for the references between distinct files."""
        out = {rel: {} for rel in self.info}
        for rel, (c, mod, uses, paths, inline) in self.info.items():
            refs = [(inner, segs) for inner, segs, _, _, _ in uses] + paths
            for inner, segs in refs:
                target = self.absolute(c, mod, inner, segs, inline)
                if not target:
                    continue
                dest = self.resolve(*target)
                if dest and dest != rel:
                    out[rel].setdefault(dest, set()).add("::".join(target[1][-2:]) or "crate")
        return out


def tarjan(graph):
    """Strongly connected components of more than one node."""
    index, low, onstack, stack, out, counter = {}, {}, set(), [], [], [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        onstack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in onstack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                onstack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(out)


def main():
    ws = Workspace()
    edges = ws.edges()
    found = 0
    for comp in tarjan({v: set(ws_) for v, ws_ in edges.items()}):
        found += 1
        print("cycle between files:")
        for a in comp:
            for b in comp:
                if b in edges[a]:
                    print(f"  {a} -> {b} ({', '.join(sorted(edges[a][b]))})")
    # Top-level modules of each crate: retention, scheduler, http, app, …
    top = {}
    for a, outs in edges.items():
        ca, ma = ws.info[a][0], ws.info[a][1]
        for b, why in outs.items():
            cb, mb = ws.info[b][0], ws.info[b][1]
            if ca != cb or not ma or not mb or ma[0] == mb[0]:
                continue
            key = (f"{ca}::{ma[0]}", f"{cb}::{mb[0]}")
            top.setdefault(key[0], {}).setdefault(key[1], []).append((a, b, why))
    for comp in tarjan({v: set(o) for v, o in top.items()}):
        found += 1
        print("cycle between modules: " + " ↔ ".join(comp))
        for a in comp:
            for b in comp:
                for fa, fb, why in top.get(a, {}).get(b, []):
                    print(f"  {fa} -> {fb} ({', '.join(sorted(why))})")
    if found:
        print(f"{found} import cycle(s)")
        return 1
    print("no import cycles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
