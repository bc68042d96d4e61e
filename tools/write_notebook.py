"""Write a case notebook from a plain-text outline (used to author notebooks/; not shipped).

The outline separates cells with lines `%% md`, `%% code` or `%% code tags=a,b`.
usage: python tools/write_notebook.py OUTLINE.txt NOTEBOOK.ipynb
"""
import sys

import nbformat


def cells_from(text: str):
    kind, tags, lines = None, [], []
    for line in text.splitlines() + ["%% end"]:
        if line.startswith("%% "):
            if kind is not None:
                source = "\n".join(lines).strip("\n")
                cell = nbformat.v4.new_markdown_cell(source) if kind == "md" else nbformat.v4.new_code_cell(source)
                if tags:
                    cell.metadata["tags"] = tags
                yield cell
            words = line[3:].split()
            kind = words[0] if words else None
            tags = [t for w in words[1:] if w.startswith("tags=") for t in w[5:].split(",")]
            lines = []
        else:
            lines.append(line)


def main(outline: str, target: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python"},
    }
    nb.cells = list(cells_from(open(outline, encoding="utf-8").read()))
    for index, cell in enumerate(nb.cells):
        cell.id = f"cell-{index:02d}"  # stable ids keep diffs and reports reproducible
    nbformat.validate(nb)
    nbformat.write(nb, target)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
