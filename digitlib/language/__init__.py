"""The app in the class's language: English, German, Spanish and French.

* ``catalogs``: the gettext catalogs (``locale/<lang>/LC_MESSAGES/digits.po``, managed with Babel), the
  language in use in this thread (``use``, ``current``), and the translating functions ``_`` and ``ngettext``;
  ``N_`` marks a message to be translated later.
* ``messages``: ``Message``, a message translated when it is shown (errors raised in one thread, read in another).
* ``formats``: numbers, percentages and dates written as the language writes them (Babel): 0,68 and 60.000 in German.
* ``choice``: which language a page speaks: the link's ``lang``, else the browser's, else English.

Strings are marked with ``_("…")`` where they are shown and with ``N_("…")`` where they are defined earlier;
``python -m scripts.translations`` extracts, updates and checks the catalogs (see the README's "Languages").
"""

from digitlib.language.catalogs import LANGUAGES, N_, _, current, ngettext, use

__all__ = ["LANGUAGES", "N_", "_", "current", "ngettext", "use"]
