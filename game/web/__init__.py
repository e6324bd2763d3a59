"""`offscreen serve`: the Textual game in a web browser, one game process per visitor's tab.

The parts: `visitors` (who a visitor is, and where their files live; no web framework),
`child` (the game process a browser tab talks to), `server` (the aiohttp server built on
textual-serve: the cookie, the bound on sessions, idle sessions ended) and `app` (the game
with keys a browser does not keep for itself). Only `server` needs the `[web]` extra.
"""
