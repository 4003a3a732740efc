"""python -m bench.loadtest --mix --servers 2: light students through Debian's nginx to two app servers."""

import re
import subprocess
import sys

from tests.support.nginx import require_nginx
from tests.support.paths import ROOT


def test_the_mix_reaches_both_servers_through_nginx_and_every_drawing_is_answered(tmp_path):
    require_nginx()
    # Ten students: nginx gives each a random route cookie, so all ten land on one server once in 512 runs.
    run = subprocess.run(
        [sys.executable, "-m", "bench.loadtest", "--mix", "--servers", "2", "--students", "10",
         "--duration", "10", "--arrive", "2", "--think", "0.2", "0.5", "--timeout", "40",
         "--cache-dir", str(tmp_path / "models")],
        cwd=ROOT, capture_output=True, text=True, timeout=170,
    )
    out = run.stdout
    assert run.returncode == 0, out + run.stderr
    assert "errors seen: none" in out, out
    answered = re.search(r"drawings answered (\d+) of (\d+)", out)
    assert answered and int(answered[2]) > 0 and answered[1] == answered[2], out
    # Each server's actions are counted from nginx's access log by the students' route cookies.
    served = [int(n) for n in re.findall(r"^server \d \(pid \d+, port \d+\):.* (\d+) actions,", out, re.M)]
    assert len(served) == 2 and all(n > 0 for n in served), out
    total = int(re.search(r"^servers: (\d+) actions", out, re.M)[1])
    assert sum(served) == total, out  # every action reached a server nginx logged for its student
    for k in (100, 500, 1000, 2000, 5000):  # each size of the mix trained and evaluated
        assert re.search(rf"^light +Evaluate \?n={k} ", out, re.M), out
    assert re.search(r"^machine: peak RSS \d+ MB", out, re.M), out
    assert out.count("no tracebacks, no warnings") == 2, out
