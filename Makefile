# gozmq — build, test, install. See README.md.
PREFIX      ?= /usr/local
BUILD       := build
LIBDIR      := $(BUILD)/lib
LIB         := $(LIBDIR)/libzmq.so.5.2.5
SONAME      := libzmq.so.5
GO          ?= go
GOFLAGS     ?= -trimpath
CAPI_SRCS   := $(wildcard capi/*.go capi/*.c capi/*.h) capi/libzmq.vers
GO_SRCS     := $(shell find core poller transport -name '*.go' -not -name '*_test.go' 2>/dev/null)

# The version script limits exports to libzmq's zmq_* symbols; -soname
# makes the file a drop-in libzmq.so.5.
LDFLAGS_EXT := -Wl,-soname,$(SONAME) -Wl,--version-script=$(CURDIR)/capi/libzmq.vers

.PHONY: fuzz-c all lib lib-draft install test test-heavy demo deps clean bench perf-tools node-addon node-deps test-node bench-node test-python bench-python

all: lib

lib: $(LIBDIR)/$(SONAME) $(LIBDIR)/pkgconfig/libzmq.pc

# The draft variant also exports the draft API functions gozmq implements
# (zmq_poller_*, draft zmq_msg_*), as libzmq built with --enable-drafts.
DRAFTDIR := $(BUILD)/lib-draft
lib-draft: $(DRAFTDIR)/$(SONAME)

$(DRAFTDIR)/$(SONAME): $(CAPI_SRCS) capi/libzmq-draft.vers $(GO_SRCS) include/zmq.h go.mod go.sum
	@mkdir -p $(DRAFTDIR)
	CGO_CFLAGS="-O2 -g -I$(CURDIR)/include -I$(CURDIR)/capi" \
	$(GO) build $(GOFLAGS) -buildmode=c-shared \
	  -ldflags='-extldflags "-Wl,-soname,$(SONAME) -Wl,--version-script=$(CURDIR)/capi/libzmq-draft.vers"' \
	  -o $(DRAFTDIR)/libzmq.so.5.2.5 ./capi
	@rm -f $(DRAFTDIR)/libzmq.so.5.2.5.h
	ln -sf libzmq.so.5.2.5 $(DRAFTDIR)/$(SONAME)
	ln -sf $(SONAME) $(DRAFTDIR)/libzmq.so

$(LIB): $(CAPI_SRCS) $(GO_SRCS) include/zmq.h go.mod go.sum
	@mkdir -p $(LIBDIR)
	CGO_CFLAGS="-O2 -g -I$(CURDIR)/include -I$(CURDIR)/capi" \
	$(GO) build $(GOFLAGS) -buildmode=c-shared -ldflags='-extldflags "$(LDFLAGS_EXT)"' -o $@ ./capi
	@rm -f $(LIBDIR)/libzmq.so.5.2.5.h $(basename $@).h

$(LIBDIR)/$(SONAME): $(LIB)
	ln -sf libzmq.so.5.2.5 $(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(LIBDIR)/libzmq.so

$(LIBDIR)/pkgconfig/libzmq.pc: scripts/libzmq.pc.in Makefile
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(abspath $(BUILD))|' -e 's|@INCLUDEDIR@|$(CURDIR)/include|' scripts/libzmq.pc.in > $@

install: lib
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 0755 $(LIB) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libzmq.so.5.2.5 $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libzmq.so
	install -m 0644 include/zmq.h $(DESTDIR)$(PREFIX)/include/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@INCLUDEDIR@|$(PREFIX)/include|' scripts/libzmq.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/libzmq.pc

deps:
	bash scripts/install-deps.sh

test: deps lib lib-draft
	bash scripts/test.sh

# The Python binding (bindings/python): its pytest suite on gozmq and on
# pyzmq, and its throughput benchmark against pyzmq (writes the
# bench-python section of BENCHMARKS.md).
test-python: deps lib lib-draft
	bash scripts/test-python.sh

bench-python: deps lib perf-tools
	bash scripts/bench-python.sh

demo: deps lib
	bash scripts/demo.sh

clean:
	rm -rf $(BUILD)

# Perf tools (perf/*.c, libzmq's local_thr & co. written against zmq.h):
# built once, run on either library by LD_LIBRARY_PATH (no rpath).
PERF_TOOLS := local_thr remote_thr local_lat remote_lat inproc_thr inproc_lat proxy_thr pubsub_thr backlog_mem
PERF_BINS  := $(addprefix $(BUILD)/perf/,$(PERF_TOOLS)) $(BUILD)/perf/runstat
perf-tools: $(PERF_BINS)

$(BUILD)/perf/runstat: perf/runstat.c
	@mkdir -p $(dir $@)
	cc -O2 -Wall -o $@ $<

$(BUILD)/perf/%: perf/%.c perf/perf.h include/zmq.h $(LIBDIR)/$(SONAME)
	@mkdir -p $(dir $@)
	cc -O2 -Wall -Wextra -Iinclude -o $@ $< -L$(LIBDIR) -lzmq

# Runs the perf tools on gozmq and Debian's libzmq, alternating, and
# rewrites the `bench` section of BENCHMARKS.md (about 5 minutes).
bench: deps lib perf-tools
	bash scripts/bench.sh

# Tests too heavy for CI: a 2 GiB + 1 byte message over inproc and tcp.
test-heavy: lib
	@mkdir -p $(BUILD)/heavy
	cc -O2 -Iinclude tests/heavy/test_huge_message.c -o $(BUILD)/heavy/test_huge_message -L$(LIBDIR) -lzmq -Wl,-rpath,$(CURDIR)/$(LIBDIR)
	$(BUILD)/heavy/test_huge_message

# Node binding (bindings/node, npm package "gozmq"): a small N-API addon,
# built here ahead of time against the system's Node headers and linked to
# a copy of our library placed beside it ($ORIGIN), so that `npm pack`
# ships both and installing the package compiles nothing.
NODE_DIR   := bindings/node
NODE_BUILD := $(NODE_DIR)/build
NODE_INC   ?= $(shell node -p 'require("path").resolve(process.execPath, "../../include/node")' 2>/dev/null)

node-addon: $(NODE_BUILD)/gozmq.node

$(NODE_BUILD)/libzmq.so.5: $(LIB)
	@mkdir -p $(NODE_BUILD)
	cp $(LIB) $@

$(NODE_BUILD)/gozmq.node: $(NODE_DIR)/src/addon.c include/zmq.h $(NODE_BUILD)/libzmq.so.5
	@test -f $(NODE_INC)/node_api.h || { echo "Node headers not found in '$(NODE_INC)' (set NODE_INC)"; exit 1; }
	cc -O2 -g -Wall -Wextra -Wno-unused-parameter -fPIC -shared -DNODE_GYP_MODULE_NAME=gozmq \
	  -I$(NODE_INC) -Iinclude $(NODE_DIR)/src/addon.c -o $@ \
	  -L$(NODE_BUILD) -l:libzmq.so.5 -lm -Wl,--disable-new-dtags,-rpath,'$$ORIGIN'

# Pinned dev dependencies (package-lock.json): the zeromq package that the
# same tests and the benchmark run against, TypeScript for the typings.
# --ignore-scripts: both ship prebuilt binaries and need no install step.
node-deps: $(NODE_DIR)/node_modules/.package-lock.json

$(NODE_DIR)/node_modules/.package-lock.json: $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	cd $(NODE_DIR) && npm ci --ignore-scripts --no-audit --no-fund

test-node: deps lib node-addon node-deps
	bash scripts/test-node.sh

bench-node: deps lib node-addon node-deps
	node $(NODE_DIR)/bench/throughput.js

# The C fuzz targets (tests/c/fuzz) as libFuzzer programs: clang is
# installed by scripts/install-fuzz-deps.sh; FUZZ_TIME seconds per target.
# Optional, not part of `make test` (which replays the same targets on a
# fixed set of inputs through ctest).
FUZZ_TIME ?= 30
fuzz-c: lib
	bash scripts/install-fuzz-deps.sh
	bash tests/c/fuzz/libfuzzer.sh $(FUZZ_TIME)
