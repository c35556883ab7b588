# Vigil - a thin wrapper over CMake presets (CMakePresets.json).
#
#   make          build the release binaries: build/vigil, build/vigild, build/vigil-agent
#   make run      set everything up and show Vigil on this host
#   make check    set everything up and run every test (ASan+UBSan build)
#   make bench    run the benchmarks on the release build
#   make fuzz     run every libFuzzer target briefly (FUZZ_SECONDS each, default 20)
#   make format   reformat the C sources with the checked-in .clang-format
#   make clean    remove build/
#
# Each target installs what it is missing first (scripts/deps.sh).

BINARIES := vigil vigild vigil-agent
FUZZ_SECONDS ?= 20

.PHONY: all build run check check-clang bench fuzz format lint clean

all: build

build:
	@scripts/deps.sh build
	@cmake --preset release >/dev/null
	@cmake --build --preset release
	@for b in $(BINARIES); do ln -sfn release/bin/$$b build/$$b; done

run: build
	@scripts/deps.sh run
	@scripts/run.sh

check:
	@scripts/deps.sh check
	@cmake --preset dev >/dev/null
	@cmake --build --preset dev
	@ctest --preset dev

# The second compiler of docs/STYLE.md: clang 14 with the same warnings, tests included.
check-clang:
	@scripts/deps.sh check fuzz
	@cmake --preset clang >/dev/null
	@cmake --build --preset clang
	@ctest --preset clang

bench: build
	@scripts/bench.sh

fuzz:
	@scripts/deps.sh fuzz
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

format:
	@scripts/lint.sh --fix

lint:
	@scripts/lint.sh

clean:
	rm -rf build
