package deps

import (
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const module = "github.com/creditpay/yookassa-go"

// allowed are the only packages outside the module and the standard
// library that a library package may compile.
var allowed = map[string]bool{
	"github.com/shopspring/decimal": true,
	"github.com/google/uuid":        true,
}

// sharedInternal are the module's internal packages that library packages
// share (not test helpers); their own dependencies are checked with the
// library's, since -deps lists them too.
var sharedInternal = map[string]bool{
	module + "/internal/clientip":  true, // source-address walk of notification and loanapproval
	module + "/internal/redact":    true, // removal of credentials from network text, for both clients
	module + "/internal/limit":     true, // the words of sberloan's and sberbnpl's limit errors
	module + "/internal/sqlscript": true, // splitting of the stores' schema files into statements
}

// goList runs go list in the module and returns its output lines.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH")
	}
	cmd := exec.Command(goTool, append([]string{"list"}, args...)...)
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		t.Fatalf("go list %v: %v\n%s", args, err, exit.Stderr)
	}
	require.NoError(t, err)
	return strings.Fields(string(out))
}

// libraryPackages are the packages a merchant's program imports: every
// package of the module except commands, examples and internal helpers.
func libraryPackages(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, line := range goList(t, "-f", "{{.Name}}:{{.ImportPath}}", module+"/...") {
		name, path, _ := strings.Cut(line, ":")
		if name == "main" || strings.Contains(path, "/internal/") || strings.HasPrefix(path, module+"/examples/") {
			continue
		}
		out = append(out, path)
	}
	return out
}

func TestLibraryPackagesCompileOnlyTheAllowedDependencies(t *testing.T) {
	libs := libraryPackages(t)
	for _, want := range []string{"yookassa", "yookassa/notification", "yookassa/yookassatest", "receipt", "sberloan", "loanapproval"} {
		require.Contains(t, libs, module+"/"+want, "the list of library packages")
	}
	for _, pkg := range libs {
		t.Run(strings.TrimPrefix(pkg, module+"/"), func(t *testing.T) {
			// -deps lists everything the package compiles (not its tests).
			for _, dep := range goList(t, "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", pkg) {
				if dep == module || strings.HasPrefix(dep, module+"/") {
					if !sharedInternal[dep] {
						assert.NotContains(t, dep, "/internal/", "%s compiles the test helper %s", pkg, dep)
					}
					assert.NotContains(t, dep, "/examples/", "%s compiles %s", pkg, dep)
					continue
				}
				assert.True(t, allowed[dep], "%s compiles %s, which is neither the standard library nor decimal or uuid", pkg, dep)
			}
		})
	}
}

// TestTheCheckSeesDrivers makes sure the check above can fail: the test
// helper of the store tests compiles the SQL drivers.
func TestTheCheckSeesDrivers(t *testing.T) {
	deps := goList(t, "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", module+"/internal/dbtest")
	assert.Contains(t, deps, "modernc.org/sqlite")
	assert.Contains(t, deps, "github.com/jackc/pgx/v5/stdlib")
}
