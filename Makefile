# POS terminal firmware: see README.md. Every target installs what it needs first.
BOARD ?= pos-esp32-v1
PORT ?= /dev/ttyUSB0
TSX := node_modules/.bin/tsx
MOCHA := node_modules/.bin/mocha
export NODE_OPTIONS ?= --max-old-space-size=4096

# Targets that take BOARD= check the name before anything is installed or built.
BOARDS := $(sort $(filter-out esp32-cli,$(basename $(notdir $(wildcard boards/*.json)))))
ifneq ($(filter sim flash flash-dry memtest,$(MAKECMDGOALS)),)
ifeq ($(filter $(BOARD),$(BOARDS)),)
$(error unknown board '$(BOARD)'; known boards: $(BOARDS))
endif
endif

.PHONY: all install build selftest check test test-fast sim bench memtest fuzz soak flash flash-dry clean

all: build selftest

# npm ci on a fresh clone (or when the lock file changes).
node_modules/.install-stamp: package-lock.json package.json
	npm ci --no-audit --no-fund
	@touch $@
install: node_modules/.install-stamp

# One bundle per board: dist/<board>/firmware.js (+ .map), gated and size-reported.
build: install
	$(TSX) tools/build.ts firmware

# dist/<board>/selftest.js: the pure-logic self-tests, for the simulator and bare boards.
selftest: install
	$(TSX) tools/build.ts selftest

# Type-check both worlds.
check: install
	node_modules/.bin/tsc -p tsconfig.json --noEmit
	node_modules/.bin/tsc -p sim/tsconfig.json

test: build selftest check
	$(MOCHA)

sim: build
	$(TSX) sim/cli.ts sim --board $(BOARD)

bench: build
	$(TSX) test/bench/run.ts

# Device memory on the ESP32 twin (../shared/espruino-twin): firmware.js booted on journal
# images, memtest.js flows and growth; figures with budgets, dist/<board>/memory.json. Skipped
# (one line) without the twin. MEMTEST_FLAGS=--report-only never fails on a figure.
MEMTEST_FLAGS ?=
memtest: build
	$(TSX) test/bench/device.bench.ts --board $(BOARD) $(MEMTEST_FLAGS)

fuzz: install
	$(TSX) test/fuzz/run.ts --iterations 1000000

soak: install
	$(TSX) test/journal/soak.ts --cuts 1000000

# make flash [BOARD=...] [PORT=...] [PROBE=nfc]: the firmware in the update-ready layout (loader.js
# as .bootcde, firmware.js as slot fw.a, boot control reset), or dist/<board>/probe-<PROBE>.js as
# .bootcde alone; checks the board first and each stored file after (docs/toolchain.md).
FLASH_FILE = $(if $(PROBE),--file dist/$(BOARD)/probe-$(PROBE).js)
flash: build
	$(TSX) tools/flash.ts --board $(BOARD) --port $(PORT) $(FLASH_FILE)

flash-dry: build
	$(TSX) tools/flash.ts --board $(BOARD) --dry-run dist/$(BOARD)/upload$(if $(PROBE),-probe-$(PROBE)).js $(FLASH_FILE)

clean:
	rm -rf build dist

# Display/keypad: regenerate the golden screen fixtures (after an intended UI change, review
# the diff) and firmware/ui/font-data.ts from firmware/ui/font6x8.txt.
.PHONY: golden ui-font
golden: install
	UPDATE_GOLDEN=1 $(MOCHA) --no-config --require tsx/cjs test/drivers/ssd1306-screens.test.ts

ui-font: install
	$(TSX) tools/font-gen.ts

# Application: every committed scenario on the bundle, and the fault matrix alone.
.PHONY: scenarios fault-matrix
scenarios: build
	$(TSX) sim/cli.ts run --quiet test/scenarios/*.json

fault-matrix: build
	$(MOCHA) --no-config -r tsx/cjs --timeout 0 test/system/fault-matrix.test.ts

# Memory model: run the calibration bundles (test/sim/memory-twin.ts) on the ESP32 twin
# (../shared/espruino-twin) and pin the figures in test/fixtures/memory/twin-figures.json, with
# a copy of the firmware bundle measured, for machines without the twin (after `make build`).
.PHONY: memory-fixtures
memory-fixtures: install
	$(TSX) test/sim/memory-twin.ts

# Cards: the card readers' tests alone (the probe bundles' tests need `make build`), and
# the APDU trace fixtures regenerated from tools/make-traces.ts.
.PHONY: test-cards card-traces
test-cards: install
	$(MOCHA) --no-config -r tsx/cjs test/unit/track*.test.ts test/unit/tlv*.test.ts test/unit/pn532*.test.ts test/unit/emv*.test.ts test/drivers/magstripe*.test.ts test/drivers/pn532*.test.ts

card-traces: install
	$(TSX) tools/make-traces.ts

# Host link (docs/host-protocol.md): codec, framing, link, engine on memory and flash journal, acquirer.
.PHONY: test-host acquirer
test-host: install
	$(MOCHA) --no-config -r tsx/cjs -r test/support/hooks.ts --timeout 120000 'test/unit/iso8583*.test.ts' 'test/host/**/*.test.ts'

# The acquirer simulator on a real loopback socket for boards on the bench: make acquirer PORT_ACQ=5000
PORT_ACQ ?= 5000
acquirer: install
	$(TSX) sim/cli.ts acquirer --port $(PORT_ACQ)

# Printer: its tests alone, golden receipts regenerated (review the diff), third-party
# ESC/POS fixtures regenerated from @point-of-sale/receipt-printer-encoder.
.PHONY: test-printer golden-receipts escpos-fixtures
test-printer: install
	$(MOCHA) --no-config -r tsx/cjs test/unit/escpos*.test.ts test/unit/receipt*.test.ts test/drivers/escpos*.test.ts

golden-receipts: install
	UPDATE_GOLDEN=1 $(MOCHA) --no-config -r tsx/cjs test/drivers/escpos-golden.test.ts

escpos-fixtures: install
	$(TSX) test/fixtures/escpos/generate.ts

# Toolchain: gate vs probes, board validation, build determinism, flashing dry run.
.PHONY: test-toolchain
test-toolchain: install
	$(MOCHA) --no-config -r tsx/cjs --timeout 180000 test/toolchain/*.test.ts
