"""Saves, autosave and the cross-playthrough profile: the only layer that touches the disk."""
