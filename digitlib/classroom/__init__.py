"""The class space: a class code shared by a teacher and students, their saved drawings,
the experiments they train (the board) and a guess-the-accuracy question, kept in SQLite
or PostgreSQL.

* ``store``: ``ClassStore``, the API the pages call; it is made of the four parts below.
* ``lifecycle``: a class created, joined by code, used, closed, given a new token, deleted or expired.
* ``drawings``: the class set: saved within limits, undone, relabelled, removed, imported.
* ``experiments``: the board's rows: models students trained and posted.
* ``questions``: the teacher's guess-the-accuracy question.
* ``access``: what those parts share: transactions, finding a class, marking it used.
* ``records``: the plain, frozen records they return.
* ``failures``: database and disk failures as one ``StorageUnavailableError``.
* ``inputs``: checks on every value a page hands in, before it reaches the database.
* ``limits``: rate limits in this process's memory, and the guard on joining by code.
* ``codes``: class codes easy to read aloud, and the teacher's secret token.
* ``database``: SQLite or PostgreSQL engines, where the data lives, migrations (Alembic).
* ``schema``: the tables (SQLAlchemy).
* ``board``: the board as a table and a learning curve.
* ``mixed``: "MNIST + our class": does training on the class's own handwriting help?
* ``transfer``: a class set exported for download and imported from a file.
* ``wording``: parts of messages written when they are shown, in the reader's language (waits, lists).
"""
