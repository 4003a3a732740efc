"""Every text a person reads is marked for translation, and ``_`` always means "translate"."""

import ast

from scripts import unmarked_text


def test_every_text_given_to_streamlit_charts_or_errors_is_marked():
    found = unmarked_text.unmarked()
    assert not found, f"{len(found)} texts not marked for translation, first:\n" + "\n".join(found[:25])


def test_the_finder_sees_bare_literals_and_f_strings(tmp_path):
    source = tmp_path / "page.py"
    source.write_text(
        'st.button("Train the model")\n'
        'st.caption(f"Trained on {n} images")\n'
        'st.metric(_("Accuracy"), value)\n'
        'st.markdown(f"**{title}**")\n'
        'c.toggle(label="Show the pixels")\n'
        'raise InvalidSettingError(N_("N is {n}"), n=3)\n'
        'raise InvalidSettingError("N is too big")\n'
        'ax.set_xlabel("Predicted digit")\n', encoding="utf-8")
    found = [line for line, _text in unmarked_text.unmarked_in(source)]
    assert found == [1, 2, 5, 7, 8]


def test_modules_that_translate_never_reuse_the_underscore():
    """``for _ in …`` in a module that imported ``_`` would turn every later message into an error."""
    reused = []
    for path in unmarked_text.python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports = any(isinstance(node, ast.ImportFrom) and any(alias.name == "_" for alias in node.names)
                      for node in ast.walk(tree))
        if imports:
            reused += [f"{path.name}:{node.lineno}" for node in ast.walk(tree)
                       if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store)]
    assert not reused
