"""Several app servers, one school: what they share (a database, a model folder) and how they take turns.

* ``model_lock``: one training of a model at a time across processes and machines (a PostgreSQL advisory
  lock when the class database is PostgreSQL, a file lock in the model folder otherwise).

The nginx configuration and the units that run N servers are in ``deploy/`` (README "Deploy for a school").
"""
