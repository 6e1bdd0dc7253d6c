# healthy: `make` builds the static release binary ./healthy with musl-gcc.
# `make check` runs every test against a sanitized debug build and the release binary.

VERSION = 0.1.0
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=

MUSLCC ?= musl-gcc
CC ?= cc

SRCS = src/main.c src/opts.c src/check.c src/kind.c src/run.c src/watch.c \
	$(sort $(wildcard src/kinds/*.c)) $(sort $(wildcard src/lib/*.c))
LIB_SRCS = $(filter-out src/main.c,$(SRCS))
HDRS = $(wildcard src/*.h src/kinds/*.h src/lib/*.h)

WFLAGS = -std=c11 -Wall -Wextra -Wpedantic -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wshadow
DEFS = -D_GNU_SOURCE -DVERSION='"$(VERSION)"' -Isrc
# -z noseparate-code: the default pads a static binary with a page per segment; common-page-size=64
# lets the data segment follow the text in the file instead of starting on a new page. -z norelro:
# relro would page-align the data segment (3 KB of padding) to protect a GOT a static binary barely has.
# -flto: the source is many small files (lib/, kinds/), and a kind's run is called through the table; the link
# inlines across them what one file would have (arm64: 2.8 KB smaller, x86-64 0.5 KB).
# -Oz (GCC 12): -Os that also picks the shorter of two encodings where the longer is faster (1.2 KB on x86-64);
# -fno-inline-functions-called-once keeps a helper called once a function of its own (0.5 KB): a run spends
# its time in the kernel, and neither shows in bench/run's times. -fno-jump-tables: switches over a few small cases
# as compare chains (128 bytes).
REL_CFLAGS = $(WFLAGS) $(DEFS) -Oz -fno-inline-functions-called-once -fno-jump-tables -flto -flto-partition=one -ffile-prefix-map=$(CURDIR)=. -fstack-protector-strong -ffunction-sections \
	-fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables -fno-ident -fno-stack-clash-protection
REL_LDFLAGS = -static -s -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,--build-id=none -Wl,-z,norelro \
	-Wl,-z,common-page-size=64 \
	-Wl,--hash-style=gnu -Wl,-z,noexecstack
DBG_CFLAGS = $(WFLAGS) $(DEFS) -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fstack-protector-strong
DBG_LDFLAGS = -fsanitize=address,undefined

UNIT_TESTS = $(patsubst tests/unit/%.c,build/%,$(wildcard tests/unit/test_*.c))
HELPERS = $(patsubst tests/helpers/%.c,build/helpers/%,$(wildcard tests/helpers/*.c))

SHELL = /bin/bash

.PHONY: all static arm64 size bench bench-deps debug check check-layers check-size check-docker check-podman check-examples check-arm64 deps-arm64 fuzz fuzz-deps check-unit check-integration check-oracle check-man check-repro check-install deps install uninstall clean

all: healthy

# The release build; it installs nothing (make install does).
static: healthy

healthy: $(SRCS) $(HDRS) Makefile
	@command -v $(MUSLCC) >/dev/null || { echo "healthy: $(MUSLCC) not found: run 'make deps'" >&2; exit 1; }
	$(MUSLCC) $(REL_CFLAGS) $(CFLAGS) -o $@ $(SRCS) $(REL_LDFLAGS) $(LDFLAGS)

# arm64: the same release binary for aarch64, with Debian's cross gcc and musl-dev:arm64's musl-gcc wrapper.
AARCH64_MUSLCC ?= aarch64-linux-musl-gcc

arm64: build/healthy-aarch64

build/healthy-aarch64: $(SRCS) $(HDRS) Makefile
	@command -v $(AARCH64_MUSLCC) >/dev/null || { echo "healthy: $(AARCH64_MUSLCC) not found: run 'make deps-arm64'" >&2; exit 1; }
	@mkdir -p $(@D)
	$(AARCH64_MUSLCC) $(REL_CFLAGS) $(CFLAGS) -o $@ $(SRCS) $(REL_LDFLAGS) $(LDFLAGS)

debug: build/healthy-debug

build/dbg/%.o: src/%.c $(HDRS) Makefile
	@mkdir -p $(@D)
	$(CC) $(DBG_CFLAGS) $(CFLAGS) -c -o $@ $<

build/healthy-debug: $(patsubst src/%.c,build/dbg/%.o,$(SRCS))
	$(CC) -o $@ $^ $(DBG_LDFLAGS) $(LDFLAGS)

# Every object but main's in an archive: a test links only the objects its code reaches (test_glob: glob.o).
build/dbg/libhealthy.a: $(patsubst src/%.c,build/dbg/%.o,$(LIB_SRCS))
	rm -f $@
	ar rcsD $@ $^

build/test_%: tests/unit/test_%.c tests/unit/fixture.h build/dbg/libhealthy.a
	$(CC) $(DBG_CFLAGS) -Isrc -DFIXTURES='"$(CURDIR)/tests/fixtures"' $(CFLAGS) -o $@ $< \
		build/dbg/libhealthy.a $(DBG_LDFLAGS) -lcmocka $(LDFLAGS)

build/helpers/%: tests/helpers/%.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE -O1 -Wall -Wextra -o $@ $< -pthread

build/oracle: tests/oracle/oracle.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE -O1 -Wall -Wextra $$(pkg-config --cflags libproc2) -o $@ $< $$(pkg-config --libs libproc2)

# Every suite, then one line that adds them up. A failing suite fails the target, after the others ran (-k).
check:
	@set -o pipefail; $(MAKE) -k --no-print-directory check-man check-layers check-unit check-integration check-oracle \
		check-examples check-repro check-install check-size 2>&1 | tests/summary

# ../shared/ARCHITECTURE.md's layers, from the objects' symbol tables: lib/ uses nothing above it, no kind another's.
check-layers: $(patsubst src/%.c,build/dbg/%.o,$(SRCS))
	tests/layers/run build/dbg

# Each test program under a hang bound, as every command in tests/ is.
check-unit: $(UNIT_TESTS)
	@set -e; for t in $(UNIT_TESTS); do echo "== $$t"; timeout -k 5 300 $$t; done

check-integration: healthy build/healthy-debug $(HELPERS)
	@# Both binaries, whatever the first gave: a failure in one must not hide the other's.
	tests/integration/run build/healthy-debug; a=$$?; tests/integration/run ./healthy; b=$$?; exit $$((a | b))

check-oracle: healthy build/oracle $(HELPERS)
	tests/oracle/run ./healthy

# healthy against a real Docker engine and docker-compose: root; installs docker.io and docker-compose,
# runs a dockerd of its own and stops it (HEALTHY_DOCKER_DEBIAN=1 also builds ./Dockerfile).
check-docker: healthy
	tests/docker/run ./healthy

# healthy against Podman, a second engine: root; installs podman, crun, runc and catatonit, keeps all
# its state in a temporary directory: health checks, the seed scenario, kube play of examples/.
check-podman: healthy
	tests/docker/podman ./healthy

# examples/ and README.md's snippets, offline: every healthy command through healthy's own parser, every
# port against the fluent-bit configuration the example names, ECS against the ECS API's model (botocore).
check-examples: healthy
	tests/docker/examples ./healthy

# The process and socket tests on the arm64 binary, under qemu-user (make deps-arm64).
check-arm64: build/healthy-aarch64 $(HELPERS)
	tests/arm64/run build/healthy-aarch64

# Two clean builds in different directories, times, umasks and zones: byte-identical, no path or date inside.
check-repro:
	tests/repro/run healthy $$(command -v $(AARCH64_MUSLCC) >/dev/null && echo build/healthy-aarch64)

# make install and make uninstall into a scratch DESTDIR, with a PREFIX, a BINDIR and a MANDIR of its own.
check-install: healthy
	tests/install/run $(MAKE)

check-man: man/healthy.1
	@out=$$(LC_ALL=C.UTF-8 MANWIDTH=80 groff -man -ww -z $< 2>&1); \
	if [ -n "$$out" ]; then echo "$$out" >&2; exit 1; fi; echo "man/healthy.1: groff -man -ww clean"

# The sizes README.md gives are ceilings the binaries built now are under, and 128 KiB holds.
# The arm64 binary is built first where the cross compiler is: a stale one must not pass for today's.
check-size: healthy $(if $(shell command -v $(AARCH64_MUSLCC)),build/healthy-aarch64)
	tests/size/run ./healthy $$(test -x build/healthy-aarch64 && echo build/healthy-aarch64)

# The sizes, and where the bytes go: the largest symbols and libc objects of the same build, unstripped, with a map.
size: healthy build/healthy-unstripped
	@echo "healthy: $$(stat -c %s healthy) bytes (x86-64; the finished program aims at 131072)"
	@if test -x build/healthy-aarch64; then echo "build/healthy-aarch64: $$(stat -c %s build/healthy-aarch64) bytes"; fi
	@tests/size/top build/healthy-unstripped build/healthy.map

build/healthy-unstripped: $(SRCS) $(HDRS) Makefile
	@mkdir -p $(@D)
	$(MUSLCC) $(REL_CFLAGS) $(CFLAGS) -o $@ $(SRCS) $(filter-out -s,$(REL_LDFLAGS)) -Wl,-Map=build/healthy.map $(LDFLAGS)

# libFuzzer targets for every pure parser, FUZZ_SECONDS each (needs clang).
fuzz:
	FUZZ_SECONDS=$(or $(FUZZ_SECONDS),10) tests/fuzz/run

# healthy against pgrep, pidof, ps | grep, ss, /proc/net parsing, nc, curl, wget, pidwait: one table (bench/README.md).
# BENCH_QUICK=1 for a small, fast run; bench/run --results writes bench/RESULTS.md.
bench: healthy
	bench/run

# Debian 12 packages for make bench. Needs root.
bench-deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		hyperfine jq strace file iproute2 procps util-linux coreutils netcat-openbsd curl wget \
		make gcc libc6-dev musl-tools golang-go golang-google-grpc-dev python3-grpcio

# clang and its libFuzzer runtime, for make fuzz. Needs root.
fuzz-deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev

# Debian 12 packages for the arm64 build and its tests under qemu-user. Needs root.
deps-arm64:
	dpkg --add-architecture arm64
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		gcc-aarch64-linux-gnu musl-dev:arm64 qemu-user-static file

# Debian 12 packages for the build and the tests. Needs root.
deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		make gcc libc6-dev musl-tools libcmocka-dev libproc2-dev pkg-config \
		procps util-linux groff-base file strace iproute2 python3-yaml python3-botocore python3-grpcio \
		libcrypt1 libpcre2-8-0 libssl3 zlib1g
	@# Debian's nginx for t_nginx.sh, unpacked, never installed: the package would start a service on port 80.
	rm -rf /opt/healthy-test/nginx && mkdir -p /opt/healthy-test/nginx
	cd /opt/healthy-test/nginx && apt-get download -qq -o APT::Sandbox::User=root nginx && dpkg-deb -x nginx_*.deb . && rm nginx_*.deb

# The binary and the man page, the version stamped into it (sbase); uninstall removes exactly those two.
install: healthy
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 healthy $(DESTDIR)$(BINDIR)/healthy
	sed 's/@VERSION@/$(VERSION)/' man/healthy.1 > $(DESTDIR)$(MANDIR)/man1/healthy.1
	chmod 644 $(DESTDIR)$(MANDIR)/man1/healthy.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/healthy $(DESTDIR)$(MANDIR)/man1/healthy.1

clean:
	rm -rf healthy build
