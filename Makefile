# orbat - plain GNU Make build. See README.md and docs/HACKING.md.
#
#   make              build build/orbat and build/liborbat_decode.a
#   make test         unit + golden + fuzz-corpus replay, normal build then ASan+UBSan
#   make SAN=1 check  the suite once, under ASan+UBSan only (build/san)
#   make bench        benchmarks -> bench/RESULTS.md
#   make mutants      mutation testing (tests/mutants/, MUTANTS=pattern for a subset)
#   make fuzz         libFuzzer binaries (clang) in build/fuzz
#   make fuzz-run     each fuzz target for FUZZ_SECONDS (default 120)
#   make demo         build and run the demo
#   make format / format-check / hdrcheck / clean

CC      ?= cc
BUILD   ?= $(if $(SAN),build/san,build)
WERROR  ?= $(if $(CI),-Werror,)
OPT     ?= -O2 -g
CFLAGS  ?=
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Wshadow \
           -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wformat=2 $(WERROR) \
           -Iinclude -Isrc -MMD -MP
ifdef SAN
OPT      = -O1 -g
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif
CFLAGS  += $(OPT)
PKGS    := zlib sqlite3 jansson libpq libmicrohttpd libcurl inih librsvg-2.0 cairo libarchive libzstd libdeflate libcrypto libwebsockets libnats
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lz -lsqlite3 -ljansson -lpq -lmicrohttpd -lcurl -linih \
              -lrsvg-2 -lcairo -lgobject-2.0 -lglib-2.0 -larchive -lzstd -ldeflate -lcrypto -lwebsockets -lnats)
LDLIBS  += $(PKG_LIBS) -lm -lpthread

# The decoder library: src/decode/** only. It may include nothing else from src/.
DECODE_SRCS := $(sort $(wildcard src/decode/*/*.c))
# The application library: every other module except the CLI.
APP_SRCS    := $(sort $(filter-out src/decode/% src/cli/%,$(wildcard src/*/*.c)))
CLI_SRCS    := $(sort $(wildcard src/cli/*.c))
UNIT_SRCS   := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRCS   := $(sort $(wildcard tests/fuzz/fuzz_*.c))

DECODE_OBJS := $(DECODE_SRCS:%.c=$(BUILD)/obj/%.o)
APP_OBJS    := $(APP_SRCS:%.c=$(BUILD)/obj/%.o)
CLI_OBJS    := $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)
DECODE_LIB  := $(BUILD)/liborbat_decode.a
APP_LIB     := $(BUILD)/liborbat.a
ORBAT       := $(BUILD)/orbat
UNIT_BINS   := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
REPLAY_BINS := $(FUZZ_SRCS:tests/fuzz/fuzz_%.c=$(BUILD)/replay/fuzz_%)

.PHONY: all test check tests demo bench fuzz fuzz-run format format-check hdrcheck clean mutants
all: $(ORBAT) $(DECODE_LIB)

$(BUILD)/obj/src/decode/%.o: src/decode/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(DECODE_LIB): $(DECODE_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
$(APP_LIB): $(APP_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^ $(if $(APP_OBJS),,; ar rcs $@)

$(ORBAT): $(CLI_OBJS) $(APP_LIB) $(DECODE_LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(APP_LIB) $(DECODE_LIB) $(LDLIBS)

# Unit tests: one binary per tests/unit/test_*.c, linked against both libraries.
$(BUILD)/tests/%: tests/unit/%.c tests/unit/check.h $(APP_LIB) $(DECODE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(APP_LIB) $(DECODE_LIB) $(LDLIBS)

# Fuzz targets built with a plain main() that replays corpus files (no libFuzzer needed).
$(BUILD)/replay/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay_main.c $(APP_LIB) $(DECODE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/replay_main.c $(APP_LIB) $(DECODE_LIB) $(LDLIBS)

tests: $(ORBAT) $(DECODE_LIB) $(UNIT_BINS) $(REPLAY_BINS)

# One pass of the whole suite against $(BUILD).
check: tests
	@BUILD=$(BUILD) sh tests/run.sh

# The README's test command: the suite in the normal build, then under ASan+UBSan.
test:
	@mkdir -p build && rm -f build/.counts
	@$(MAKE) --no-print-directory check COUNTS=1 || echo "0 1" >>build/.counts
	@$(MAKE) --no-print-directory check SAN=1 COUNTS=1 || echo "0 1" >>build/.counts
	@sh tests/total.sh build/.counts

FUZZ_BUILD := build/fuzz
fuzz: $(FUZZ_SRCS:tests/fuzz/fuzz_%.c=$(FUZZ_BUILD)/fuzz_%)
$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(DECODE_SRCS) $(APP_SRCS)
	@mkdir -p $(dir $@)
	clang -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 -Iinclude -Isrc $(PKG_CFLAGS) \
	  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ $< $(DECODE_SRCS) \
	  $(APP_SRCS) $(LDLIBS)

# Run every fuzz target for FUZZ_SECONDS (default 120) each; findings are
# saved in build/fuzz/findings/NAME/ and make the run fail. FUZZ_TARGETS
# picks some ("http readsb").
FUZZ_SECONDS ?= 120
FUZZ_TARGETS ?=
fuzz-run: fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh scripts/fuzz-run.sh $(FUZZ_TARGETS)

# The README's first command: install build dependencies if missing, build, run the demo.
demo:
	@sh scripts/deps.sh
	@echo "building $(ORBAT) (make -s all: only compiler errors and warnings are shown)"
	@$(MAKE) --no-print-directory -s all
	@sh scripts/demo.sh $(ORBAT)

bench: $(ORBAT)
	@sh bench/run.sh $(ORBAT)

# Mutation testing (not part of make test): tests/mutants/run.sh, MUTANTS=pattern for a subset.
mutants: tests
	@sh tests/mutants/run.sh

FORMAT_FILES = $(wildcard include/orbat/*.h src/*/*.c src/*/*.h src/*/*/*.c src/*/*/*.h tests/unit/*.c tests/unit/*.h tests/fuzz/*.c bench/*.c)
format:
	clang-format -i $(FORMAT_FILES)
format-check:
	clang-format --dry-run -Werror $(FORMAT_FILES)

hdrcheck:
	@for h in include/orbat/*.h $(wildcard src/*/*.h src/*/*/*.h); do \
	  echo "#include \"$$h\"" | $(CC) -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Werror -Iinclude -Isrc -I. $(PKG_CFLAGS) -fsyntax-only -x c - || exit 1; \
	done; echo "hdrcheck: ok"

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj $(BUILD)/tests $(BUILD)/replay -name '*.d' 2>/dev/null)
