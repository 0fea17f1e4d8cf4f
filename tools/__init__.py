"""Developer and staff tools run through make (evaluations, reports)."""
