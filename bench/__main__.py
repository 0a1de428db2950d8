"""`python -m bench`: every benchmark of the project, printed as figures."""

from __future__ import annotations

import os

from bench import geocoder, importing

geocoder.main()
importing.main(os.environ.get("TEST_POSTGRES_URL"))
