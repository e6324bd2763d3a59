"""One module per `offscreen` subcommand; each exposes `run(...) -> exit code`."""
