"""`python -m game` is `offscreen`."""

from game.cli import main

raise SystemExit(main())
