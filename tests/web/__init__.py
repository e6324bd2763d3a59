"""tests/web is a package so that its conftest is `web.conftest`, not a second `conftest`
module that a `from conftest import ...` inside a tests/ui test could find instead."""
