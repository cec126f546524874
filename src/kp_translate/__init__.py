"""kp-translate: offline French-to-English translation with enforced terminology."""

__version__ = "0.1.0"
