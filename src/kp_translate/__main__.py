"""``python -m kp_translate``: the same command line as ``kp-translate``."""

from .cli import main

if __name__ == "__main__":
    main()
