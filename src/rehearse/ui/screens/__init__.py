"""The studio's screens."""
