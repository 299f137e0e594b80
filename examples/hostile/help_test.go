package main

import (
	"strings"
	"testing"

	"github.com/maskkit/maskkit/internal/cli/clitest"
)

func TestMain(m *testing.M) { clitest.Main(m, main) }

func TestHelp(t *testing.T) {
	clitest.CheckHelp(t, "hostile", "replay hostile clients", "server", "phases", "time")
}

// Without -server, or with a stray argument, it says what is wrong and
// starts nothing.
func TestUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "hostile: -server is required"},
		{[]string{"-server", "/bin/false", "extra"}, `hostile: unexpected argument "extra"`},
		{[]string{"-server", "/bin/true", "-phases", "nope"}, `hostile: unknown phase "nope"`},
	} {
		r := clitest.Run(t, "", c.args...)
		if r.Code != 1 || !strings.Contains(r.Stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 1 and %q", c.args, r.Code, r.Stderr, c.want)
		}
	}
}
