# DB Lab: `make serve` runs the app at http://127.0.0.1:8080, `make test` runs every check.
.PHONY: serve test setup

serve:
	./scripts/serve.sh

test:
	./scripts/test.sh

setup:
	./scripts/setup.sh
