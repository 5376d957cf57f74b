from linli.notices import shell_confirm  # noqa: F401
