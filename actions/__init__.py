"""Custom actions, one per module, run by the action server (`rasa run actions`)."""
