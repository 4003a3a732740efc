"""Several app servers, one school: what they share (a database, a model folder) and how they take turns.

* ``model_lock``: one training of a model at a time across processes and machines (a PostgreSQL advisory
  lock when the class database is PostgreSQL, a file lock in the model folder otherwise).
* ``nginx_site``: the nginx site that puts N servers behind one address, sticky by a cookie naming the
  server (``python -m digitlib.servers 127.0.0.1:8501 127.0.0.1:8502`` prints it).

``deploy/`` holds that site for two servers on one machine and the systemd unit that runs N of them
(README "Deploy for a school").
"""
