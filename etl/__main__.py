from etl.cli import main

main(prog_name="python -m etl")
