"""kp-translate: offline translation into English (from fr, es, ca, gl, eu, pt, it) with enforced terminology."""

__version__ = "0.1.0"
