"""CSV in and out of the directory, and the command line `python -m etl`."""
