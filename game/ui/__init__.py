"""The Textual front end: screens over a `Session`, which holds the engine and the stores."""
