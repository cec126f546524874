"""Click commands, one module per top-level command (imported lazily by :mod:`kp_translate.cli`)."""
