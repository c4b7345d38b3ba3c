# linli — one binary, two commands: `make run` and `make test`.
#
# build/rel/linli   optimised, what `make run` serves
# build/test/linli  AddressSanitizer + UndefinedBehaviorSanitizer, what the tests run

CC      ?= cc
PKGS    := libmicrohttpd jansson libsodium sqlite3 libpq xlsxwriter libcurl
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wno-format-nonliteral -Wcast-qual
CFLAGS  := -std=c17 -D_GNU_SOURCE -Isrc -Ibuild/gen $(WARN) -g \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lpthread -lm
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRC     := $(sort $(wildcard src/*/*.c))
LIBSRC  := $(filter-out src/cli/main.c,$(SRC))
EMBED   := $(sort $(wildcard src/store/migrations/*.sql) $(wildcard web/static/*) $(wildcard web/openapi/*.json) \
           $(wildcard data/demo/*.csv))
UNIT    := $(patsubst tests/unit/%.c,build/test/unit/%,$(sort $(wildcard tests/unit/test_*.c)))
HDRS    := $(wildcard src/*/*.h)

.PHONY: all deps run test unit api valgrind bench fmt clean fuzz fuzz-build
# Packages first, then a fresh make that sees their pkg-config flags.
all:
	@tools/deps.sh build
	@$(MAKE) --no-print-directory build/rel/linli

deps:
	@tools/deps.sh build

build/gen/embedded.c: $(EMBED) tools/embed.sh
	@mkdir -p build/gen
	tools/embed.sh $@ $(EMBED)

build/rel/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo CC $<; $(CC) $(CFLAGS) -O2 -c $< -o $@
build/test/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo CC-SAN $<; $(CC) $(CFLAGS) -O1 $(SAN) -DLINLI_TEST_BUILD -c $< -o $@
build/rel/gen.o: build/gen/embedded.c
	$(CC) $(CFLAGS) -O2 -c $< -o $@
build/test/gen.o: build/gen/embedded.c
	$(CC) $(CFLAGS) -O1 $(SAN) -c $< -o $@

REL_OBJ  := $(patsubst src/%.c,build/rel/%.o,$(SRC)) build/rel/gen.o
TEST_OBJ := $(patsubst src/%.c,build/test/%.o,$(LIBSRC)) build/test/gen.o

build/rel/linli: $(REL_OBJ)
	$(CC) -o $@ $(REL_OBJ) $(LIBS)
build/test/linli: $(TEST_OBJ) build/test/cli/main.o
	$(CC) $(SAN) -o $@ $^ $(LIBS)
build/test/liblinli.a: $(TEST_OBJ)
	rm -f $@; ar rcs $@ $^
build/test/unit/%: tests/unit/%.c build/test/liblinli.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O1 $(SAN) -o $@ $< build/test/liblinli.a $(LIBS) -lcmocka

# libFuzzer targets (tests/fuzz/README.md): every tests/fuzz/fuzz_<name>.c is one
# target, linked with all of src/ but main.c, built by clang under build/fuzz/.
# -O1 keeps the extra clang build of src/ cheap in `make test`; ccache is used
# for clang too when CC uses it.
FUZZ_CC      ?= $(if $(findstring ccache,$(CC)),ccache )clang
FUZZ_SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_SECONDS ?= 300
FUZZ         := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_OBJ     := $(patsubst src/%.c,build/fuzz/src/%.o,$(LIBSRC)) build/fuzz/src/gen.o

build/fuzz/src/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo CC-FUZZ $<; $(FUZZ_CC) $(CFLAGS) -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c $< -o $@
build/fuzz/src/gen.o: build/gen/embedded.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CFLAGS) -O1 -c $< -o $@
# Objects, not an archive: the ROUTE()s in src/api and src/pages must be linked
# in although nothing refers to them by name.
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ) $(HDRS) $(wildcard tests/fuzz/*.h)
	@echo LD-FUZZ $@; $(FUZZ_CC) $(CFLAGS) -O1 $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(LIBS)
fuzz-build: $(FUZZ)
# Found through the pattern rule above: without this make deletes them as intermediates.
.SECONDARY: $(FUZZ_OBJ)

# `make fuzz`: every target for FUZZ_SECONDS each, FUZZ_JOBS at a time, over a
# scratch copy of its seed corpus (new inputs never land in the repository).
FUZZ_JOBS ?= $(shell nproc)
fuzz:
	@tools/deps.sh fuzz
	@$(MAKE) --no-print-directory -j$$(nproc) fuzz-build
	tests/fuzz/run.sh --seconds $(FUZZ_SECONDS) --jobs $(FUZZ_JOBS)

# `make run`: build, create the demo county on first run, serve it.
LINLI_DB ?= linli.db
run:
	@tools/deps.sh build
	@$(MAKE) --no-print-directory build/rel/linli
	@test -e $(LINLI_DB) || build/rel/linli demo --db $(LINLI_DB)
	@echo "邻里 Linli: http://localhost:8080  (演示账号 demo accounts: see above or README; 密码 password linli2026)"
	build/rel/linli serve --db $(LINLI_DB) --listen 127.0.0.1:8080

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

unit: build/test/linli $(UNIT)
	@set -e; for t in $(UNIT); do $$t; done

test:
	@tools/deps.sh test
	@$(MAKE) --no-print-directory -j$$(nproc) build/test/linli $(UNIT) $(FUZZ) node_modules/.package-lock.json
	@tests/run.sh

valgrind:
	@tools/deps.sh valgrind
	@$(MAKE) --no-print-directory -j$$(nproc) build/rel/linli node_modules/.package-lock.json
	LINLI_VALGRIND=1 LINLI_BIN=build/rel/linli tests/run.sh tests/api

bench:
	@tools/deps.sh bench
	@$(MAKE) --no-print-directory build/rel/linli
	bench/run.sh

fmt:
	clang-format -i $(SRC) $(HDRS) tests/unit/*.c tests/fuzz/*.c

clean:
	rm -rf build
