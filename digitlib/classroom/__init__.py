"""The class space: a class code shared by a teacher and students, their saved drawings,
the experiments they train (the board) and a guess-the-accuracy question, kept in SQLite
or PostgreSQL.

Modules: ``codes`` (class codes and teacher tokens), ``database`` (engines, where the data
lives, migrations), ``schema`` (the tables), ``store`` (``ClassStore``, the API the pages use).
"""
