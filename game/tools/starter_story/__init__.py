"""The starter story that `offscreen new` copies: a small story that uses every key.

It lives in the package (not in docs/) so an installed `offscreen` can create it anywhere; its
YAML files are package data. Tests check it passes `offscreen check` with no warnings, runs
its own playthroughs, and between its files uses every key of every table in the format.
"""
