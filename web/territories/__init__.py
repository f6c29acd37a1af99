"""Territory settings: minimum shared language levels and the territory's contact."""
