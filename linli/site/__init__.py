"""The project's shell above the feature apps: home page, menu, help page, demo builder.

It reads what each app registered in linli.core.shell (from the app's own shell.py) and names no app itself,
except the base layers it builds the demo community from (areas, accounts, residents).
"""
