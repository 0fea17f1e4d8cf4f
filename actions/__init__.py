"""Custom actions, one per module, run by the action server (`python -m actions`)."""
