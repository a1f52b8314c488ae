# The README's two commands, also as make targets.
.PHONY: run test bench
run:
	scripts/run.sh
test:
	scripts/test.sh
bench:
	.venv/bin/python bench/decode_bench.py
