"""A JupyterHub service between the users' servers and the git remote.

It holds the remote's credential, so the single-user servers hold none: each
server sends its own JupyterHub token, and the gateway lets it update only that
user's own branches, fast-forward only (docs/jupyterhub.md). Run by the hub as a
managed service: ``python -m gitcheckpoints.gateway``.
"""
