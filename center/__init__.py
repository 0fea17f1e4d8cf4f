"""The center's facts (helpline, name) and the sources content may cite."""
