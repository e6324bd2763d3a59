"""One module per screen, each imported only when it is first shown (start-up speed)."""
