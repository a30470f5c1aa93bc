package gozmq_test

import (
	"os/exec"
	"strings"
	"testing"
)

// allowed lists, for each package, the project packages it may import
// (STYLE.md §2: imports point down only).
var allowed = map[string][]string{
	"core/msg":      {},
	"core/zerr":     {},
	"core/pipe":     {"core/msg"},
	"core/route":    {"core/msg", "core/pipe", "core/zerr"},
	"core/socktype": {"core/msg", "core/pipe", "core/route", "core/zerr"},
	"core/zmtp":     {},
	"core/engine":   {"core/msg", "core/pipe", "core/zmtp"},
	"transport":     {},
	"transport/tcp": {"transport"},
	"transport/ipc": {"transport"},
	"core": {"core/msg", "core/zerr", "core/pipe", "core/route", "core/socktype",
		"core/zmtp", "core/engine", "transport"},
}

const module = "github.com/gozmq/gozmq/"

func TestImportsPointDown(t *testing.T) {
	for pkg, ok := range allowed {
		out, err := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, "./"+pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		for _, imp := range strings.Fields(string(out)) {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			dep := strings.TrimPrefix(imp, module)
			if !contains(ok, dep) {
				t.Errorf("%s imports %s, which it must not (STYLE.md §2)", pkg, dep)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
