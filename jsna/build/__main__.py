"""`python -m jsna.build`: build the database (jsna.build.pipeline)."""

import sys

from jsna.build.pipeline import main

sys.exit(main())
