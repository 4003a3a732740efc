"""``python -m digitlib.servers ADDRESS... [--listen PORT] [--logs FOLDER]``: print the nginx site."""

import argparse
import sys

from digitlib.servers.nginx_site import render


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m digitlib.servers",
                                     description="Print the nginx site that puts these app servers behind one address.")
    parser.add_argument("addresses", nargs="+", metavar="IP:PORT",  # English: the operator's command line
                        help="each app server, e.g. 127.0.0.1:8501")
    parser.add_argument("--listen", default="80", help="nginx's port, or IP:port (default 80)")  # English: ditto
    parser.add_argument("--logs", default="/var/log/nginx", help="the folder for its logs")  # English: ditto
    args = parser.parse_args(argv)
    try:
        sys.stdout.write(render(args.addresses, args.listen, args.logs))
    except ValueError as exc:
        parser.error(str(exc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
