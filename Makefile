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
DEFS = -D_GNU_SOURCE -DVERSION='"$(VERSION)"' -Isrc $(BEARSSL_INC)
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

# BearSSL (issue 17): Debian's source package, which `make deps` fetches, checks against a pinned SHA-256 and unpacks
# into BEARSSL_SRC, outside the tree (never copied into it; make clean keeps it). From it, one static archive of the
# 69 files the TLS client needs for each toolchain: x86_64 (musl, LTO), aarch64 (cross musl, LTO) and host ($(CC),
# glibc, for the sanitized debug build, the unit tests and the fuzzers). Linked after healthy's code, an archive
# adds only the members that code references: none, as long as nothing in src/ calls BearSSL.
BEARSSL_SRC ?= /opt/healthy-deps/bearssl-0.6
BEARSSL_INC = -I$(BEARSSL_SRC)/inc
BEARSSL_LIB_X86_64 = build/bearssl/x86_64/libbearssl.a
BEARSSL_LIB_AARCH64 = build/bearssl/aarch64/libbearssl.a
BEARSSL_LIB_HOST = build/bearssl/host/libbearssl.a
# Relative to $(BEARSSL_SRC)/src: the files the client profile links (tls-spike's link map; the same on both arches).
# A br_* call that needs another one fails the link with an undefined reference that names it: add its file here.
BEARSSL_FILES = codec/ccopy.c codec/dec32be.c codec/dec64be.c codec/enc32be.c codec/enc64be.c codec/pemdec.c \
	ec/ec_c25519_i31.c ec/ec_prime_i31.c ec/ec_secp256r1.c ec/ec_secp384r1.c ec/ec_secp521r1.c ec/ecdsa_atr.c \
	ec/ecdsa_i31_bits.c ec/ecdsa_i31_sign_asn1.c ec/ecdsa_i31_sign_raw.c ec/ecdsa_i31_vrfy_asn1.c \
	ec/ecdsa_i31_vrfy_raw.c ec/ecdsa_rta.c hash/ghash_ctmul64.c hash/multihash.c hash/sha2big.c hash/sha2small.c \
	int/i31_add.c int/i31_bitlen.c int/i31_decmod.c int/i31_decode.c int/i31_decred.c int/i31_encode.c \
	int/i31_fmont.c int/i31_iszero.c int/i31_modpow.c int/i31_modpow2.c int/i31_montmul.c int/i31_mulacc.c \
	int/i31_muladd.c int/i31_ninv31.c int/i31_reduce.c int/i31_rshift.c int/i31_sub.c int/i31_tmont.c \
	int/i32_div32.c mac/hmac.c rand/hmac_drbg.c rand/sysrng.c rsa/rsa_i31_pkcs1_sign.c rsa/rsa_i31_pkcs1_vrfy.c \
	rsa/rsa_i31_priv.c rsa/rsa_i31_pub.c rsa/rsa_pkcs1_sig_pad.c rsa/rsa_pkcs1_sig_unpad.c ssl/prf.c \
	ssl/prf_sha256.c ssl/prf_sha384.c ssl/ssl_ccert_single_ec.c ssl/ssl_ccert_single_rsa.c ssl/ssl_client.c \
	ssl/ssl_engine.c ssl/ssl_hashes.c ssl/ssl_hs_client.c ssl/ssl_rec_chapol.c ssl/ssl_rec_gcm.c \
	symcipher/aes_ct.c symcipher/aes_ct_ctr.c symcipher/aes_ct_enc.c symcipher/chacha20_ct.c \
	symcipher/poly1305_ctmul.c x509/skey_decoder.c x509/x509_decoder.c x509/x509_minimal.c
# No OS seeding (no /dev/urandom, no rdrand): the client injects getrandom()'s bytes. No time(): the caller gives
# X.509 its time. A thin -flto archive is linked only by an -flto link (the release's are). Reproducible: -frandom-seed,
# a file's own, names its LTO sections; BEARSSL_SRC mapped to an absolute /bearssl-0.6 (to a relative one, GCC 12's LTO
# would record the build directory), the same archive wherever the tree is. No stack protector: it costs BearSSL 2-3 KB,
# and LTO keeps each function's own flags: the link's -fstack-protector-strong (REL_CFLAGS) stays on healthy's code.
BEARSSL_DEFS = -DBR_USE_URANDOM=0 -DBR_RDRAND=0 -DBR_USE_UNIX_TIME=0 -I$(BEARSSL_SRC)/src $(BEARSSL_INC)
BEARSSL_REL_CFLAGS = -Oz -flto -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-ident -fno-stack-clash-protection -fno-stack-protector -ffile-prefix-map=$(BEARSSL_SRC)=/bearssl-0.6
# The host's: no LTO, no sanitizer (ASan checks healthy's side of every call), frame pointers for ASan's stacks.
BEARSSL_DBG_CFLAGS = -O1 -g -fno-omit-frame-pointer -ffile-prefix-map=$(CURDIR)=.
BEARSSL_AR_X86_64 ?= gcc-ar
BEARSSL_AR_AARCH64 ?= aarch64-linux-gnu-gcc-ar
BEARSSL_AR_HOST ?= ar
BEARSSL_OBJS_X86_64 = $(BEARSSL_FILES:%.c=build/bearssl/x86_64/obj/%.o)
BEARSSL_OBJS_AARCH64 = $(BEARSSL_FILES:%.c=build/bearssl/aarch64/obj/%.o)
BEARSSL_OBJS_HOST = $(BEARSSL_FILES:%.c=build/bearssl/host/obj/%.o)
# The source package: the version and its orig tarball's SHA-256 pinned; a Debian update fails `make deps` loudly
# until both are bumped. apt runs on lists of its own in BEARSSL_APT, with deb-src entries made from the machine's
# Debian ones (APT_ETC's debian.sources or one-line sources.list): nothing under /etc changes.
BEARSSL_DEBVER = 0.6+dfsg.1-3
BEARSSL_ORIG = bearssl_0.6+dfsg.1.orig.tar.xz
BEARSSL_SHA256 = 102a625bd8f6155260867a50c508df8d8c3f796985dd744df1a68e5cd1a79004
BEARSSL_APT ?= /opt/healthy-deps/apt
APT_ETC ?= /etc/apt
BEARSSL_APT_OPTS = -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$(BEARSSL_APT)/sources.list.d \
	-o Dir::State::Lists=$(BEARSSL_APT)/lists -o Dir::Cache=$(BEARSSL_APT)/cache -o APT::Sandbox::User=root

UNIT_TESTS = $(patsubst tests/unit/%.c,build/%,$(wildcard tests/unit/test_*.c))
HELPERS = $(patsubst tests/helpers/%.c,build/helpers/%,$(wildcard tests/helpers/*.c))

SHELL = /bin/bash

.PHONY: all static arm64 bearssl size bench bench-deps debug check check-layers check-size check-docker check-podman check-examples check-arm64 deps-arm64 fuzz fuzz-deps check-unit check-integration check-oracle check-man check-repro check-install deps deps-bearssl install uninstall clean

all: healthy

# The release build; it installs nothing (make install does).
static: healthy

healthy: $(SRCS) $(HDRS) $(BEARSSL_LIB_X86_64) Makefile
	@command -v $(MUSLCC) >/dev/null || { echo "healthy: $(MUSLCC) not found: run 'make deps'" >&2; exit 1; }
	$(MUSLCC) $(REL_CFLAGS) $(CFLAGS) -o $@ $(SRCS) $(BEARSSL_LIB_X86_64) $(REL_LDFLAGS) $(LDFLAGS)

# arm64: the same release binary for aarch64, with Debian's cross gcc and musl-dev:arm64's musl-gcc wrapper.
AARCH64_MUSLCC ?= aarch64-linux-musl-gcc

arm64: build/healthy-aarch64

build/healthy-aarch64: $(SRCS) $(HDRS) $(BEARSSL_LIB_AARCH64) Makefile
	@command -v $(AARCH64_MUSLCC) >/dev/null || { echo "healthy: $(AARCH64_MUSLCC) not found: run 'make deps-arm64'" >&2; exit 1; }
	@mkdir -p $(@D)
	$(AARCH64_MUSLCC) $(REL_CFLAGS) $(CFLAGS) -o $@ $(SRCS) $(BEARSSL_LIB_AARCH64) $(REL_LDFLAGS) $(LDFLAGS)

debug: build/healthy-debug

build/dbg/%.o: src/%.c $(HDRS) Makefile
	@mkdir -p $(@D)
	$(CC) $(DBG_CFLAGS) $(CFLAGS) -c -o $@ $<

build/healthy-debug: $(patsubst src/%.c,build/dbg/%.o,$(SRCS)) $(BEARSSL_LIB_HOST)
	$(CC) -o $@ $^ $(DBG_LDFLAGS) $(LDFLAGS)

# Every object but main's in an archive: a test links only the objects its code reaches (test_glob: glob.o).
build/dbg/libhealthy.a: $(patsubst src/%.c,build/dbg/%.o,$(LIB_SRCS))
	rm -f $@
	ar rcsD $@ $^

build/test_%: tests/unit/test_%.c tests/unit/fixture.h build/dbg/libhealthy.a $(BEARSSL_LIB_HOST)
	$(CC) $(DBG_CFLAGS) -Isrc -DFIXTURES='"$(CURDIR)/tests/fixtures"' $(CFLAGS) -o $@ $< \
		build/dbg/libhealthy.a $(BEARSSL_LIB_HOST) $(DBG_LDFLAGS) -lcmocka $(LDFLAGS)

# BearSSL's archives. One rule an object, so that make -j builds them side by side, each with the file's own
# -frandom-seed; an archive's members in a sorted order, with zero dates (D). Not CFLAGS: BearSSL is not healthy's
# code (CFLAGS=-Werror is for that). No source in BEARSSL_SRC: one line from bearssl.h's rule says so.
bearssl: $(BEARSSL_LIB_X86_64) $(BEARSSL_LIB_HOST) $(if $(shell command -v $(AARCH64_MUSLCC)),$(BEARSSL_LIB_AARCH64))

$(BEARSSL_SRC)/inc/bearssl.h:
	@echo "healthy: BearSSL source not found in $(BEARSSL_SRC): run 'make deps'" >&2; exit 1

$(BEARSSL_LIB_X86_64): $(BEARSSL_OBJS_X86_64)
	rm -f $@
	@echo "$(BEARSSL_AR_X86_64) rcsD $@ <$(words $^) objects>"
	@$(BEARSSL_AR_X86_64) rcsD $@ $(sort $^)

$(BEARSSL_LIB_AARCH64): $(BEARSSL_OBJS_AARCH64)
	rm -f $@
	@echo "$(BEARSSL_AR_AARCH64) rcsD $@ <$(words $^) objects>"
	@$(BEARSSL_AR_AARCH64) rcsD $@ $(sort $^)

$(BEARSSL_LIB_HOST): $(BEARSSL_OBJS_HOST)
	rm -f $@
	@echo "$(BEARSSL_AR_HOST) rcsD $@ <$(words $^) objects>"
	@$(BEARSSL_AR_HOST) rcsD $@ $(sort $^)

# Secondary expansion ($$): an object depends on its source file when it is there, and on bearssl.h always, whose
# rule, when BEARSSL_SRC has no source, runs once for all of them.
.SECONDEXPANSION:
$(BEARSSL_OBJS_X86_64): build/bearssl/x86_64/obj/%.o: $$(wildcard $(BEARSSL_SRC)/src/$$*.c) $(BEARSSL_SRC)/inc/bearssl.h Makefile
	@command -v $(MUSLCC) >/dev/null || { echo "healthy: $(MUSLCC) not found: run 'make deps'" >&2; exit 1; }
	@mkdir -p $(@D)
	@echo "$(MUSLCC) [BEARSSL_REL_CFLAGS] $*.c"
	@$(MUSLCC) $(BEARSSL_REL_CFLAGS) -frandom-seed=$* $(BEARSSL_DEFS) -c -o $@ $(BEARSSL_SRC)/src/$*.c

$(BEARSSL_OBJS_AARCH64): build/bearssl/aarch64/obj/%.o: $$(wildcard $(BEARSSL_SRC)/src/$$*.c) $(BEARSSL_SRC)/inc/bearssl.h Makefile
	@command -v $(AARCH64_MUSLCC) >/dev/null || { echo "healthy: $(AARCH64_MUSLCC) not found: run 'make deps-arm64'" >&2; exit 1; }
	@mkdir -p $(@D)
	@echo "$(AARCH64_MUSLCC) [BEARSSL_REL_CFLAGS] $*.c"
	@$(AARCH64_MUSLCC) $(BEARSSL_REL_CFLAGS) -frandom-seed=$* $(BEARSSL_DEFS) -c -o $@ $(BEARSSL_SRC)/src/$*.c

$(BEARSSL_OBJS_HOST): build/bearssl/host/obj/%.o: $$(wildcard $(BEARSSL_SRC)/src/$$*.c) $(BEARSSL_SRC)/inc/bearssl.h Makefile
	@mkdir -p $(@D)
	@echo "$(CC) [BEARSSL_DBG_CFLAGS] $*.c"
	@$(CC) $(BEARSSL_DBG_CFLAGS) -frandom-seed=$* $(BEARSSL_DEFS) -c -o $@ $(BEARSSL_SRC)/src/$*.c

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

# The sizes README.md gives are ceilings the binaries built now are under, and the 176 KiB budget holds (128 KiB was the aim; TLS took it past, README.md says why).
# The arm64 binary is built first where the cross compiler is: a stale one must not pass for today's.
check-size: healthy $(if $(shell command -v $(AARCH64_MUSLCC)),build/healthy-aarch64)
	tests/size/run ./healthy $$(test -x build/healthy-aarch64 && echo build/healthy-aarch64)

# The sizes, and where the bytes go: the largest symbols and libc objects of the same build, unstripped, with a map.
size: healthy build/healthy-unstripped
	@echo "healthy: $$(stat -c %s healthy) bytes (x86-64; make check holds it under 180224)"
	@if test -x build/healthy-aarch64; then echo "build/healthy-aarch64: $$(stat -c %s build/healthy-aarch64) bytes"; fi
	@tests/size/top build/healthy-unstripped build/healthy.map

build/healthy-unstripped: $(SRCS) $(HDRS) $(BEARSSL_LIB_X86_64) Makefile
	@mkdir -p $(@D)
	$(MUSLCC) $(REL_CFLAGS) $(CFLAGS) -o $@ $(SRCS) $(BEARSSL_LIB_X86_64) $(filter-out -s,$(REL_LDFLAGS)) -Wl,-Map=build/healthy.map $(LDFLAGS)

# libFuzzer targets for every pure parser, FUZZ_SECONDS each (needs clang). BearSSL for them is the host archive
# (clang links gcc's objects): BEARSSL_LIB and BEARSSL_INC in tests/fuzz/run's environment, for its link to use.
fuzz: $(BEARSSL_LIB_HOST)
	FUZZ_SECONDS=$(or $(FUZZ_SECONDS),10) BEARSSL_LIB=$(CURDIR)/$(BEARSSL_LIB_HOST) BEARSSL_INC='$(BEARSSL_INC)' tests/fuzz/run

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
		make gcc libc6-dev musl-tools libcmocka-dev libproc2-dev pkg-config xz-utils \
		procps util-linux groff-base file strace iproute2 python3-yaml python3-botocore python3-grpcio \
		libcrypt1 libpcre2-8-0 libssl3 zlib1g openssl
	@# Debian's nginx for t_nginx.sh, unpacked, never installed: the package would start a service on port 80.
	rm -rf /opt/healthy-test/nginx && mkdir -p /opt/healthy-test/nginx
	cd /opt/healthy-test/nginx && apt-get download -qq -o APT::Sandbox::User=root nginx && dpkg-deb -x nginx_*.deb . && rm nginx_*.deb
	@$(MAKE) --no-print-directory deps-bearssl

# BearSSL's source into BEARSSL_SRC: the tarball fetched once (below), checked, unpacked; a tree already the same is
# left as it is, so that a build using it goes on. Needs root (BEARSSL_APT and BEARSSL_SRC under /opt), and xz-utils.
deps-bearssl: $(BEARSSL_APT)/source/$(BEARSSL_ORIG)
	@command -v xz >/dev/null || { echo "healthy: xz not found: install xz-utils (make deps does)" >&2; exit 1; }
	@echo '$(BEARSSL_SHA256)  $<' | sha256sum -c --quiet || { rm -f '$<'; \
		echo "healthy: $< is not the BearSSL source pinned here (SHA-256 $(BEARSSL_SHA256)): removed it" >&2; exit 1; }
	@test ! -e $(BEARSSL_SRC) || test -f $(BEARSSL_SRC)/inc/bearssl.h || \
		{ echo "healthy: $(BEARSSL_SRC) is there but not BearSSL's source: remove it, or set BEARSSL_SRC" >&2; exit 1; }
	rm -rf $(BEARSSL_SRC).new && mkdir -p $(BEARSSL_SRC).new
	tar -C $(BEARSSL_SRC).new --strip-components=1 --no-same-owner -xJf $<
	@if diff -r -q $(BEARSSL_SRC) $(BEARSSL_SRC).new >/dev/null 2>&1; then rm -rf $(BEARSSL_SRC).new; \
		echo "$(BEARSSL_SRC): BearSSL $(BEARSSL_DEBVER), as it was"; \
	else rm -rf $(BEARSSL_SRC) && mv $(BEARSSL_SRC).new $(BEARSSL_SRC) && \
		echo "$(BEARSSL_SRC): BearSSL $(BEARSSL_DEBVER), unpacked"; fi

# apt-get source without deb-src in /etc: lists of its own, each deb entry of the machine's Debian sources as deb-src.
$(BEARSSL_APT)/source/$(BEARSSL_ORIG):
	rm -rf $(BEARSSL_APT)/sources.list.d && mkdir -p $(BEARSSL_APT)/sources.list.d $(BEARSSL_APT)/lists/partial \
		$(BEARSSL_APT)/cache/archives/partial $(@D)
	if test -f $(APT_ETC)/sources.list.d/debian.sources; then sed 's/^Types:.*/Types: deb-src/' \
		$(APT_ETC)/sources.list.d/debian.sources >$(BEARSSL_APT)/sources.list.d/debian-src.sources; fi
	if grep -qs '^[[:space:]]*deb[[:space:]]' $(APT_ETC)/sources.list; then sed -n 's/^[[:space:]]*deb[[:space:]]\+/deb-src /p' \
		$(APT_ETC)/sources.list >$(BEARSSL_APT)/sources.list.d/debian-src.list; fi
	@test -n "$$(ls $(BEARSSL_APT)/sources.list.d)" || { echo "healthy: no Debian entry in" \
		"$(APT_ETC)/sources.list.d/debian.sources nor $(APT_ETC)/sources.list to fetch BearSSL's source from" >&2; exit 1; }
	apt-get -qq $(BEARSSL_APT_OPTS) update
	cd $(@D) && apt-get -qq $(BEARSSL_APT_OPTS) source --download-only bearssl=$(BEARSSL_DEBVER)

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
