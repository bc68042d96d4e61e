"""How much of the chapter modules is wording: the share of their lines that hold a string literal of words.

usage: python tools/literal_share.py [PATH ...]   (default: casekit/chapters/**/*.py)
A line counts when it holds a string literal containing a space (a phrase, not a column name or an id);
docstrings are left out, blank lines and comments do not count as lines. Issue 6's yardstick: under a fifth.
"""
import io
import sys
import tokenize
from pathlib import Path


def measure(source: str) -> tuple[int, int]:
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    code_lines, wording_lines = set(), set()
    previous = tokenize.NEWLINE
    for token in tokens:
        if token.type in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT,
                          tokenize.ENDMARKER):
            if token.type == tokenize.NEWLINE:
                previous = tokenize.NEWLINE
            continue
        lines = range(token.start[0], token.end[0] + 1)
        is_docstring = token.type == tokenize.STRING and previous in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)
        if not is_docstring:
            code_lines.update(lines)
            if token.type == tokenize.STRING and " " in token.string:
                wording_lines.update(lines)
        previous = token.type
    return len(wording_lines), len(code_lines)


def main(paths: list[str]) -> None:
    files = [Path(p) for p in paths] or sorted(Path("casekit/chapters").rglob("*.py"))
    total_wording = total_code = 0
    for file in files:
        wording, code = measure(file.read_text(encoding="utf-8"))
        total_wording, total_code = total_wording + wording, total_code + code
        print(f"{file}: {wording}/{code} = {wording / max(code, 1):.0%}")
    print(f"all: {total_wording}/{total_code} = {total_wording / max(total_code, 1):.0%}")


if __name__ == "__main__":
    main(sys.argv[1:])
