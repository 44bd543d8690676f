"""Git checkpoints on a real JupyterHub: two users, two environments, one remote, the gateway."""

from __future__ import annotations

from conftest import USERS


def test_each_user_lands_on_their_own_branch(hubs, remote):
    for env, hub in hubs.items():
        for user in USERS:
            hub.save(user, "notes.txt", f"{user} on {env}\n")
    for env, hub in hubs.items():
        for user in USERS:
            status = hub.wait_pushed(user)
            assert status["branch"] == f"{user}-{env}"
    branches = remote.git("for-each-ref", "--format=%(refname:short)", "refs/heads").split()
    assert sorted(branches) == sorted(f"{u}-{e}" for u in USERS for e in hubs)
    for env in hubs:
        for user in USERS:
            branch = f"{user}-{env}"
            authors = set(remote.git("log", "--format=%an <%ae>", branch).splitlines())
            assert authors == {f"{user} <{user}@example.org>"}
            assert remote.git("show", f"{branch}:notes.txt") == f"{user} on {env}\n"
