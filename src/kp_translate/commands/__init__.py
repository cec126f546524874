"""Click commands, one module per top-level command (imported lazily by the group,
:mod:`kp_translate.commands.group`)."""
