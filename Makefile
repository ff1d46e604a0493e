# consent-banner: two commands for a newcomer. Both install what is missing; both are safe to rerun.
#   make demo   build dist/ and serve the demo on http://127.0.0.1:$(PORT)
#   make test   every check and test layer, ending with "summary: N passed, N failed"
PORT ?= 8080

.PHONY: demo test build bench setup

demo:
	bash scripts/setup.sh demo
	bash scripts/build.sh
	bash scripts/consent-log-demo.sh $(PORT) node scripts/serve.mjs --port $(PORT)

test:
	bash scripts/test.sh

build:
	bash scripts/setup.sh demo
	bash scripts/build.sh

bench: build
	node bench/run.mjs
