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
	"core/mech":     {"core/zmtp"},
	"core/engine":   {"core/msg", "core/pipe", "core/zmtp", "core/mech"},
	"transport":     {},
	"transport/tcp": {"transport"},
	"transport/ipc": {"transport"},
	"core": {"core/msg", "core/zerr", "core/pipe", "core/route", "core/socktype",
		"core/zmtp", "core/engine", "core/mech", "transport"},
}

const module = "github.com/gozmq/gozmq/"

// TestImportsPointDown checks every package of the module: a package
// that is not in the table fails too, so new packages get a rule.
func TestImportsPointDown(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}:{{join .Imports ","}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Fields(string(out)) {
		path, imports, _ := strings.Cut(line, ":")
		pkg := strings.TrimPrefix(strings.TrimPrefix(path, "github.com/gozmq/gozmq"), "/")
		if pkg == "" || pkg == "capi" || strings.HasPrefix(pkg, "internal/") {
			continue // the root holds only tests; capi may import anything
		}
		ok, known := allowed[pkg]
		if !known {
			t.Errorf("package %s has no import rule in arch_test.go", pkg)
			continue
		}
		for _, imp := range strings.Split(imports, ",") {
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
