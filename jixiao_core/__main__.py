"""`python -m jixiao_core` → cli.main()."""

import sys

from jixiao_core.cli import main

sys.exit(main())
