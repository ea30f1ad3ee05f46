"""The frozen build's entry point: the same `dcp-kiosk` command as the installed script."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
