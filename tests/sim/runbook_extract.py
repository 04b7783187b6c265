#!/usr/bin/env python3
# tests/sim/runbook_extract.py RUNBOOK OUTDIR EXPECTED-FAILURES
#
# Extracts the kubectl commands from the fenced code blocks of one runbook
# for tests/sim/runbook_commands.sh. Writes OUTDIR/cmd.N (a bash script: the
# kubectl part of the command, with its heredoc if any) and prints one record
# per command, separated by the unit separator (0x1f):
#   run    LINE N WANT-ERROR-OR-EMPTY  COMMAND-ONE-LINE
#   assign LINE N VAR                  COMMAND-ONE-LINE   (VAR=$(kubectl ...))
#   skip   LINE REASON                 COMMAND-ONE-LINE
#   entry  LINE PROBLEM                ENTRY              (allow-list problems)
import os
import re
import sys

RUN_VERBS = {"get", "describe", "logs", "top", "rollout", "scale", "set", "apply",
             "delete", "label", "annotate", "patch", "auth", "wait", "create"}
CLIENT_VERBS = {"exec", "cp", "port-forward", "proxy", "run", "debug", "attach"}
PLACEHOLDER = re.compile(r"@@[A-Za-z][A-Za-z0-9_.-]*@@|\bYYYYMMDD\b|\bVERSION\b|=N\b|"
                         r"\bSNAPSHOT_NAME\b(?!.*<<)")


def quote_state(s):
    """Returns the open quote character at the end of s, or ''."""
    q = ""
    i = 0
    while i < len(s):
        c = s[i]
        if q == "'":
            if c == "'":
                q = ""
        elif q == '"':
            if c == "\\":
                i += 1
            elif c == '"':
                q = ""
        else:
            if c == "\\":
                i += 1
            elif c in "'\"":
                q = c
            elif c == "#" and (i == 0 or s[i - 1] in " \t"):
                break
        i += 1
    return q


def kubectl_part(s, start):
    """From s[start:] (which begins with 'kubectl'), the command up to the first
    unquoted |, ;, &&, ||, >, or unbalanced ')'. Returns (part, cut)."""
    q = ""
    depth = 0
    i = start
    while i < len(s):
        c = s[i]
        if q == "'":
            if c == "'":
                q = ""
        elif q == '"':
            if c == "\\":
                i += 1
            elif c == '"':
                q = ""
        else:
            if c == "\\":
                i += 1
            elif c in "'\"":
                q = c
            elif s.startswith("$(", i):
                depth += 1
                i += 1
            elif c == ")":
                if depth == 0:
                    return s[start:i].rstrip(), True
                depth -= 1
            elif depth == 0 and (c in "|;>" or s.startswith("&&", i)
                                 or (c == "2" and s.startswith("2>", i))):
                return s[start:i].rstrip(), True
            elif depth == 0 and c == "#" and s[i - 1] in " \t":
                return s[start:i].rstrip(), False
        i += 1
    return s[start:].rstrip(), False


def logical_lines(path):
    """Yields (lineno, text, heredoc_body_or_None, in_fence) for the fenced code
    blocks: continuation lines joined, open quotes carried on, heredocs
    collected."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    fence = False
    while i < len(lines):
        raw = lines[i]
        if raw.lstrip().startswith("```"):
            fence = not fence
            i += 1
            continue
        if not fence:
            i += 1
            continue
        start = i + 1
        text = raw.strip()
        if text.startswith("$ "):
            text = text[2:]
        while True:
            if text.endswith("\\") and i + 1 < len(lines):
                i += 1
                text = text[:-1].rstrip() + " " + lines[i].strip()
                continue
            if quote_state(text) and i + 1 < len(lines) \
                    and not lines[i + 1].lstrip().startswith("```"):
                i += 1
                text = text + "\n" + lines[i]
                continue
            break
        body = None
        term = None
        m = re.search(r"<<-?\s*['\"]?(\w+)['\"]?", text)
        if m and "kubectl" in text:
            term = m.group(1)
            body = []
            while i + 1 < len(lines) and lines[i + 1].strip() != term:
                i += 1
                body.append(lines[i])
            i += 1  # the terminator
        yield start, text, (body, term) if body is not None else None
        i += 1


def main():
    runbook, outdir, expected = sys.argv[1], sys.argv[2], sys.argv[3]
    name = os.path.basename(runbook)
    entries = []
    if os.path.exists(expected):
        with open(expected, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                fields = [x.strip() for x in line.rstrip("\n").split("|")]
                if len(fields) != 4 or not all(fields):
                    print("entry\x1f%d\x1fmalformed (want FILE | COMMAND | ERROR | REASON)\x1f%s"
                          % (n, line.strip()))
                    continue
                if fields[0] == name:
                    entries.append((n, fields))
    matched = {n: set() for n, _ in entries}
    loopvars = {}
    n = 0
    out = []
    for lineno, text, hd in logical_lines(runbook):
        body, term = hd if hd else (None, None)
        stripped = text.lstrip()
        if stripped.startswith("#"):
            continue
        m = re.match(r"for (\w+) in (.+?); do", stripped)
        if m:
            items = m.group(2).split()
            first = items[0] if items else ""
            sm = re.match(r"\{(\d+)\.\.\d+\}", first) or re.match(r"\$\(seq (\d+)", m.group(2))
            loopvars[m.group(1)] = sm.group(1) if sm else first
        am = re.match(r"(?:export )?([A-Z_][A-Z0-9_]*)=\$\((kubectl .*)\)\s*$", stripped)
        text = re.sub(r"<[A-Za-z][A-Za-z0-9_.-]*>", lambda m: "@@" + m.group(0)[1:-1] + "@@", text)
        for km in re.finditer(r"(?<![\w/.-])kubectl\s", text):
            part, _ = kubectl_part(text, km.start())
            one = " ".join(part.split())
            if one.startswith("kubectl") is False:
                continue
            for v, val in loopvars.items():
                part = re.sub(r"\$\{?%s\}?(?!\w)" % v, val, part)
                one = re.sub(r"\$\{?%s\}?(?!\w)" % v, val, one)
            words = one.split()
            verb = words[1] if len(words) > 1 else ""
            # a kubectl nested inside another kubectl command's $(...) is
            # counted with the outer command
            before = text[:km.start()]
            prev = [x.start() for x in re.finditer(r"kubectl\s", before)]
            if prev and "$(" in before[prev[-1]:]:
                continue
            if verb in CLIENT_VERBS:
                out.append(("skip", lineno, "kubectl-side verb (" + verb + ")", one))
                continue
            if verb == "explain":
                out.append(("skip", lineno, "explain", one))
                continue
            if verb == "edit":
                out.append(("skip", lineno, "interactive (edit)", one))
                continue
            if verb not in RUN_VERBS:
                out.append(("skip", lineno, "verb outside the sim's scope (" + verb + ")", one))
                continue
            if PLACEHOLDER.search(one):
                out.append(("skip", lineno, "unresolved placeholder", one))
                continue
            if verb == "apply" and (body is None or "-f -" not in one):
                out.append(("skip", lineno, "applies a file the runbook does not inline", one))
                continue
            if verb in ("delete", "create") and len(words) > 2 and words[2] in ("namespace", "ns"):
                out.append(("skip", lineno, "namespace create/delete (disaster recovery)", one))
                continue
            if re.search(r"\$\{?[A-Za-z_]", re.sub(r"\$\{?(NAMESPACE|POD|[A-Z_]+)\}?", "", one)) \
                    and verb != "apply":
                out.append(("skip", lineno, "unresolved placeholder", one))
                continue
            n += 1
            with open(os.path.join(outdir, "cmd.%d" % n), "w", encoding="utf-8") as f:
                f.write(part + "\n")
                if body is not None and "-f -" in one:
                    f.writelines(x + "\n" for x in body)
                    f.write(term + "\n")
            want = ""
            for en, fields in entries:
                pat = fields[1]
                if (one.endswith(pat[:-1]) if pat.endswith("$") else pat in one):
                    matched[en].add(one)
                    want = fields[2] + ("\x1e" + "TODO" if fields[3].startswith("TODO") else "")
            if am and part.strip() == am.group(2).strip():
                out.append(("assign", lineno, "%d\t%s" % (n, am.group(1)), one))
            else:
                out.append(("run", lineno, "%d\t%s" % (n, want), one))
    for en, fields in entries:
        if not matched[en]:
            out.append(("entry", en, "matches no command of %s" % name, " | ".join(fields)))
        elif len(matched[en]) > 1:
            out.append(("entry", en, "matches %d different commands" % len(matched[en]),
                        " | ".join(fields)))
    for kind, lineno, mid, one in out:
        one = re.sub(r"@@([A-Za-z][A-Za-z0-9_.-]*)@@", r"<\1>", one)
        print("%s\x1f%d\x1f%s\x1f%s" % (kind, lineno, mid.replace("\t", "\x1f"), one.replace("\n", " ").replace("\t", " ")))


main()
