"""Cross-team collaboration network analyser: silos, bridges and unit links from project rosters."""

__version__ = "0.3.0"
