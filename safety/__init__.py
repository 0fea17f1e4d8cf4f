"""The crisis safety layer: detection, categories and the handoff audit."""
