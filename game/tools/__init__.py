"""Author tools: random, scripted and exhaustive playthroughs, the story map, stats, schema.

These sit beside the front ends, not under them: they read a loaded `Story` and drive the pure
`Engine`, so a rule of play can never behave one way in the game and another in a test run.
"""
