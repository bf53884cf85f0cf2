"""``python -m kiosk.cli``: the same as the installed ``kiosk`` command."""

from .main import main

raise SystemExit(main())
