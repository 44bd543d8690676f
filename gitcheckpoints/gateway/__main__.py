"""``python -m gitcheckpoints.gateway``: started by JupyterHub as a managed service.

Configured by its environment (``c.JupyterHub.services[...]["environment"]``):

- ``GIT_URL``, ``GIT_USER``, ``GIT_PASS``: the real remote and its credential (only here);
- ``GATEWAY_ENVIRONMENTS``: the DEPLOY_ENV names of branches, comma-separated (optional);
- ``GATEWAY_RATE_LIMIT``: requests per minute per user (default 120, bursts of as many);
- ``GATEWAY_MIRROR``: the bare mirror's directory (default: a temporary one);
- ``GATEWAY_BIND``: ``host:port`` to listen on (default: the service URL's), e.g.
  ``0.0.0.0:10101`` when the proxy runs in another pod.

The hub provides ``JUPYTERHUB_API_TOKEN``, ``JUPYTERHUB_API_URL``,
``JUPYTERHUB_SERVICE_PREFIX`` and ``JUPYTERHUB_SERVICE_URL``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import tempfile
from urllib.parse import urlsplit

from jupyterhub.services.auth import HubAuth
from tornado.httpserver import HTTPServer

from .app import GatewaySettings, make_app
from .mirror import Mirror
from .policy import BranchPolicy, RateLimit

#: The largest push accepted (the request body is held in memory while it is checked).
MAX_PUSH_BYTES = 512 * 2**20


def settings_from_environment(env: dict[str, str], hub_auth: HubAuth) -> GatewaySettings:
    url = env.get("GIT_URL", "")
    if not url:
        raise SystemExit("gitcheckpoints gateway: GIT_URL (the real remote) is not set")
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise SystemExit("gitcheckpoints gateway: put the credential in GIT_USER/GIT_PASS")
    rate = float(env.get("GATEWAY_RATE_LIMIT") or 120)
    mirror_dir = env.get("GATEWAY_MIRROR") or tempfile.mkdtemp(prefix="gitcheckpoints-gateway-")
    username, password = env.get("GIT_USER", ""), env.get("GIT_PASS", "")
    environments = [e.strip() for e in env.get("GATEWAY_ENVIRONMENTS", "").split(",") if e.strip()]
    return GatewaySettings(
        remote_url=url,
        remote_username=username,
        remote_password=password,
        repo=parts.path.rstrip("/").rsplit("/", 1)[-1],
        policy=BranchPolicy(environments),
        rate=RateLimit(per_minute=rate, burst=max(1, int(rate))),
        mirror=Mirror(mirror_dir, url, username, password),
        identify=lambda token: hub_auth.user_for_token(token, sync=False),
    )


async def main() -> None:
    logging.basicConfig(level=logging.INFO, format="[%(levelname)s %(name)s] %(message)s")
    hub_auth = HubAuth()
    settings = settings_from_environment(dict(os.environ), hub_auth)
    await settings.mirror.init()
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
    bind = os.environ.get("GATEWAY_BIND")
    listen = urlsplit(
        f"http://{bind}"
        if bind
        else os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101")
    )
    server = HTTPServer(make_app(settings, prefix), max_body_size=MAX_PUSH_BYTES)
    server.listen(listen.port or 80, listen.hostname or "127.0.0.1")
    logging.getLogger("gitcheckpoints.gateway").info(
        "serving %s%s for %s", prefix, settings.repo, settings.remote_url
    )
    stopped = asyncio.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(signal_number, stopped.set)
    await stopped.wait()
    server.stop()


if __name__ == "__main__":
    asyncio.run(main())
