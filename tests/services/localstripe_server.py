"""Run localstripe on loopback only, without its on-disk store.

    python tests/services/localstripe_server.py [--port N]    (0, the default: any free port)

localstripe's own entry point (`localstripe --port N`) binds every interface (`::`) and
pickles its whole store to the fixed path /tmp/localstripe.pickle after every write (and
reloads it on start unless --from-scratch), so two copies on one machine share and
clobber one file. This wrapper serves the same aiohttp app on 127.0.0.1, keeps the store
in memory, and prints `localstripe listening on 127.0.0.1:<port>` once the socket is bound,
so a caller can ask for port 0 and read the port it got (no race for a free port).
"""

import argparse
import logging
import socket
import sys

from aiohttp import web
from localstripe import resources
from localstripe.server import app


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    # In memory only: no shared /tmp/localstripe.pickle.
    resources.Store.dump_to_disk = lambda self: None

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    port = sock.getsockname()[1]

    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    print(f"localstripe listening on 127.0.0.1:{port}", flush=True)
    web.run_app(app, sock=sock, print=None, access_log=logging.getLogger("aiohttp.access"))


if __name__ == "__main__":
    main()
