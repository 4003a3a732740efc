"""The class space: a class code shared by a teacher and students, their saved drawings,
the experiments they train (the board) and a guess-the-accuracy question, kept in SQLite
or PostgreSQL.

Modules: ``codes`` (class codes and teacher tokens), ``database`` (engines, where the data
lives, migrations), ``schema`` (the tables), ``inputs`` (checks on every value), ``limits``
(rate limits in memory, joining by code), ``store`` (``ClassStore``, the API the pages use),
made of ``lifecycle``, ``drawings``, ``experiments`` and ``questions`` over ``access``, with
``records`` (what it returns) and ``failures`` (database errors as messages).
"""
