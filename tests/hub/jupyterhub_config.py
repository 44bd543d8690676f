# The JupyterHub configuration that tests/hub/test_hub.py runs (README: JupyterHub).
# The first part is what a hub needs for git checkpoints through the gateway; the
# second part makes the hub a local one for the test (dummy logins, local processes).
import os
import sys

c = get_config()  # noqa: F821  (JupyterHub's config loader provides it)

public_url = os.environ.get("HUB_PUBLIC_URL", "http://127.0.0.1:8000")

# -- git checkpoints ----------------------------------------------------------------
# The gateway holds the remote's credential; the users' servers get none of it.
c.JupyterHub.services = [
    {
        "name": "git-checkpoints",
        "url": os.environ.get("GATEWAY_URL", "http://127.0.0.1:10101"),
        "command": [sys.executable, "-m", "gitcheckpoints.gateway"],
        "environment": {
            "GIT_URL": os.environ["CHECKPOINTS_REMOTE_URL"],  # the real remote
            "GIT_USER": os.environ["CHECKPOINTS_REMOTE_USER"],
            "GIT_PASS": os.environ["CHECKPOINTS_REMOTE_PASS"],  # from your secret store
            "GATEWAY_ENVIRONMENTS": "prod,staging",
        },
    }
]
c.Spawner.environment = {
    "DEPLOY_ENV": os.environ.get("DEPLOY_ENV", "prod"),
    # The gateway, through the hub's proxy; the remote's name is the gateway's GIT_URL's.
    "GIT_URL": f"{public_url}/services/git-checkpoints/checkpoints.git",
    "GIT_AUTH": "jupyterhub",  # send the user's own hub token
    "GIT_EMAIL": "{username}@example.org",  # expanded by the extension on every spawner
}

# -- the local test hub ---------------------------------------------------------------
state = os.environ["HUB_STATE_DIR"]
c.JupyterHub.bind_url = public_url
c.JupyterHub.hub_port = int(os.environ["HUB_API_PORT"])
c.JupyterHub.db_url = f"sqlite:///{state}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = f"{state}/cookie_secret"
c.JupyterHub.pid_file = f"{state}/jupyterhub.pid"
c.ConfigurableHTTPProxy.command = [os.environ["CHP_COMMAND"]]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ['CHP_API_PORT']}"
c.ConfigurableHTTPProxy.pid_file = f"{state}/proxy.pid"
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = os.environ.get("HUB_SPAWNER", "simple")
c.SimpleLocalProcessSpawner.home_dir_template = f"{state}/homes/{{username}}"
c.Spawner.cmd = [os.path.join(os.path.dirname(sys.executable), "jupyterhub-singleuser")]
c.Spawner.args = ["--allow-root"] if os.geteuid() == 0 else []  # CI runs as root
c.Spawner.start_timeout = 60
c.JupyterHub.tornado_settings = {"slow_spawn_timeout": 0}  # answer 202 at once; the test polls
c.JupyterHub.load_roles = [
    {
        "name": "test-driver",
        "scopes": ["admin:users", "admin:servers", "tokens", "access:servers"],
        "services": ["test-driver"],
    }
]
c.JupyterHub.services.append({"name": "test-driver", "api_token": os.environ["HUB_DRIVER_TOKEN"]})
