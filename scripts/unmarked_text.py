"""Find text a person reads that is not marked for translation: ``python -m scripts.unmarked_text [paths]``.

A programmer's error that no page shows says so with ``# English: …`` on the line of its call.
A string counts as text when it holds a word (three letters or more) outside placeholders, icons and code
spans. It must reach the screen through ``_``, ``ngettext`` or ``N_``; a bare literal or f-string given to
Streamlit, to a chart's title or axis, or to a digitlib error is reported with its file and line.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("app.py", "pages", "ui", "digitlib")
# The command-line tool speaks English (its options are English words too).
ENGLISH_ONLY = ("digitlib/cli.py", "digitlib/__main__.py")

# Streamlit's calls (``st.x`` or a container's ``.x``) whose first argument is shown.
SHOWN_FIRST = {
    "title", "header", "subheader", "markdown", "caption", "write", "text", "button", "toggle", "checkbox",
    "radio", "selectbox", "select_slider", "slider", "number_input", "text_input", "text_area", "metric",
    "info", "warning", "error", "success", "toast", "expander", "popover", "download_button",
    "file_uploader", "camera_input", "segmented_control", "pills", "spinner", "status", "form_submit_button",
    "link_button", "multiselect", "dialog", "feedback", "color_picker", "date_input", "time_input",
    "chat_input", "progress", "image_caption",
    # matplotlib figures: titles, axes, labels written on them
    "set_title", "set_xlabel", "set_ylabel", "suptitle", "set_label", "supxlabel", "supylabel",
}
# Keywords shown wherever they appear.
SHOWN_KEYWORDS = {"label", "help", "placeholder", "caption", "page_title", "title", "xlabel", "ylabel",
                  "text", "body", "alt", "tooltip", "y_label", "x_label"}
MARKERS = {"_", "ngettext", "N_"}
ERROR_SUFFIXES = ("Error", "Unavailable")
# Modules whose calls share a name with Streamlit's but show nothing (``sa.text`` is SQL).
NOT_SHOWN_OWNERS = {"sa", "sqlalchemy", "np", "re", "os"}
# A comment that keeps a message English on purpose: a programmer's error no page shows.
ENGLISH_MARK = "# English:"
_WORD = re.compile(r"[^\W\d_]{3,}")
_NOT_WORDS = re.compile(r":material/[a-z_]+:|`[^`]*`|\{[^}]*\}|https?://\S+|<[^>]*>")
# Words that are the same in every language here: names, units, abbreviations.
SAME_EVERYWHERE = {"MNIST", "SVM", "SVC", "CNN", "RBF", "PNG", "CSV", "JSON", "NPZ", "IDX", "JPEG", "HEIC",
                   "WebP", "sklearn", "scikit", "learn", "keras", "TensorFlow", "numpy", "Streamlit", "digits",
                   "gamma", "scale", "auto", "rbf", "linear", "poly", "sigmoid", "Python", "Jupyter", "GIF",
                   "LeCun", "Corinna", "Cortes", "Yann", "Burges", "CC", "SQLite", "PostgreSQL", "Deutsch",
                   "English", "Español", "Français", "Kernel", "seaborn", "matplotlib", "imshow", "reshape", "uint"}


def is_text(value: str) -> bool:
    """Whether ``value`` holds words a person reads (not only names, placeholders, icons or code)."""
    stripped = _NOT_WORDS.sub(" ", value)
    return any(word not in SAME_EVERYWHERE for word in _WORD.findall(stripped))


def _literal_text(node: ast.AST) -> str | None:
    """The readable text of a bare string literal, f-string or concatenation of them, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if is_text(node.value) else None
    if isinstance(node, ast.JoinedStr):
        parts = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        return parts if is_text(parts) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _literal_text(node.left) or _literal_text(node.right)
    if isinstance(node, ast.IfExp):
        return _literal_text(node.body) or _literal_text(node.orelse)
    if isinstance(node, (ast.List, ast.Tuple)):
        return next((t for t in map(_literal_text, node.elts) if t), None)
    return None


def _is_log(func: ast.AST) -> bool:
    """``_LOG.info(…)``, ``logger.warning(…)``: log lines are for the server's operator, in English; and
    calls of modules that show nothing (``sa.text``)."""
    owner = func.value if isinstance(func, ast.Attribute) else None
    return isinstance(owner, ast.Name) and ("log" in owner.id.lower() or owner.id in NOT_SHOWN_OWNERS)


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def unmarked_in(path: Path) -> list[tuple[int, str]]:
    """(line, text) of each unmarked text in one file."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source, filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name in MARKERS or _is_log(node.func) or ENGLISH_MARK in lines[node.lineno - 1]:
            continue
        shown = []
        if name in SHOWN_FIRST and node.args:
            shown.append(node.args[0])
        if name == "tabs" and node.args:
            shown.append(node.args[0])
        if name.endswith(ERROR_SUFFIXES) and name[:1].isupper():
            shown += node.args  # a digitlib error's message and its parts (or a ValueError a page shows)
        shown += [kw.value for kw in node.keywords if kw.arg in SHOWN_KEYWORDS]
        for arg in shown:
            text = _literal_text(arg)
            if text:
                found.append((arg.lineno, text.strip()[:70]))
    return found


def python_files(paths=SOURCES) -> list[Path]:
    files = []
    for name in paths:
        path = ROOT / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return [f for f in files if "migrations" not in f.parts and "__pycache__" not in f.parts
            and f.relative_to(ROOT).as_posix() not in ENGLISH_ONLY]


def unmarked(paths=SOURCES) -> list[str]:
    """Every unmarked text in ``paths``, as ``file:line: text``."""
    return [f"{f.relative_to(ROOT)}:{line}: {text}" for f in python_files(paths) for line, text in unmarked_in(f)]


if __name__ == "__main__":
    lines = unmarked(sys.argv[1:] or SOURCES)
    print("\n".join(lines) or "Every text is marked for translation.")
    print(f"{len(lines)} unmarked", file=sys.stderr)
    sys.exit(1 if lines else 0)
