"""`python -m bench`: every benchmark of the project, printed as figures."""

from __future__ import annotations

import os

import bench.coverage
import bench.geocoder
import bench.http
import bench.importing
import bench.search
import bench.weight
import bench.workbook

postgres_url = os.environ.get("TEST_POSTGRES_URL")
bench.geocoder.main()
bench.importing.main(postgres_url)
bench.workbook.main()
bench.search.main(postgres_url)
bench.http.main(postgres_url)
bench.coverage.main(postgres_url)
bench.weight.main()
