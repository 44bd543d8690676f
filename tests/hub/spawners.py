"""A local spawner that sets no USER, like KubeSpawner and the docker-stacks images."""

from jupyterhub.spawner import SimpleLocalProcessSpawner


class NoUserSpawner(SimpleLocalProcessSpawner):
    def user_env(self, env):
        env = super().user_env(env)
        env.pop("USER", None)
        return env
