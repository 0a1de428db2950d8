"""`python -m bench`: every benchmark of the project, printed as figures."""

from __future__ import annotations

import os

import bench.geocoder
import bench.importing

bench.geocoder.main()
bench.importing.main(os.environ.get("TEST_POSTGRES_URL"))
