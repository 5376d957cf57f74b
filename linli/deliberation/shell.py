from linli.deliberation import shell_hearings  # noqa: F401
