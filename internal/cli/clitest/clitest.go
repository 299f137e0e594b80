// Package clitest runs an example program's main from its own test binary,
// so the tests see exactly what a user sees (usage, errors, exit status)
// without building the program again.
package clitest

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"strings"
	"testing"
)

const childEnv = "MASKKIT_CLITEST_MAIN"

// Main is the body of the package's TestMain: in a child started by Run it
// runs main with the child's arguments on a fresh flag set and exits 0
// when main returns; otherwise it runs the tests.
func Main(m *testing.M, main func()) {
	if os.Getenv(childEnv) == "1" {
		flag.CommandLine = flag.NewFlagSet(os.Args[0], flag.ExitOnError)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Result is what one run of the program did.
type Result struct {
	Stdout, Stderr string
	Code           int // exit status
}

// Run runs the program (this test binary as main) with args in the folder
// dir ("" for the package's folder).
func Run(t *testing.T, dir string, args ...string) Result {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), childEnv+"=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	code := 0
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("%v: %v", args, err)
	}
	return Result{Stdout: stdout.String(), Stderr: stderr.String(), Code: code}
}

// CheckHelp runs the program with -h and checks that it exits 0 and that
// its first line is "name: " followed by a sentence with the words of
// want, then that it lists each of flags.
func CheckHelp(t *testing.T, name, want string, flags ...string) {
	t.Helper()
	r := Run(t, "", "-h")
	out := r.Stderr + r.Stdout
	if r.Code != 0 {
		t.Errorf("-h: exit status %d, want 0\n%s", r.Code, out)
	}
	first, _, _ := strings.Cut(out, "\n")
	if !strings.HasPrefix(first, name+": ") || !strings.Contains(first, want) {
		t.Errorf("-h: first line %q, want %q saying %q", first, name+": ...", want)
	}
	for _, f := range flags {
		if !strings.Contains(out, "\n  -"+f+" ") && !strings.Contains(out, "\n  -"+f+"\n") && !strings.Contains(out, "\n  -"+f+"\t") {
			t.Errorf("-h does not list -%s:\n%s", f, out)
		}
	}
}

// CheckError runs the program with args in dir and checks that it fails
// with one line on stderr that contains each of want, in order, and says
// no word twice in a row across a colon ("x: x: ").
func CheckError(t *testing.T, dir string, args []string, want ...string) {
	t.Helper()
	r := Run(t, dir, args...)
	msg := strings.TrimSuffix(r.Stderr, "\n")
	if r.Code == 0 {
		t.Errorf("%v: exit status 0, want a failure; stderr %q", args, msg)
		return
	}
	if lines := strings.Count(msg, "\n") + 1; lines != 1 {
		t.Errorf("%v: %d lines on stderr, want 1:\n%s", args, lines, msg)
	}
	rest := msg
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Errorf("%v: error %q lacks %q (in this order: %q)", args, msg, w, want)
			return
		}
		rest = rest[i+len(w):]
	}
	if s := Stutter(msg); s != "" {
		t.Errorf("%v: error %q repeats %q", args, msg, s)
	}
}

// Stutter returns a prefix that msg's chain repeats ("synth: " in
// "synth: x: synth: y"), or "" if none: each layer of an error chain
// should add what it knows, once.
func Stutter(msg string) string {
	seen := map[string]bool{}
	for _, part := range strings.Split(msg, ": ") {
		if strings.ContainsAny(part, " /.") || part == "" {
			continue // a sentence or a path, not a package prefix
		}
		if seen[part] {
			return part + ": "
		}
		seen[part] = true
	}
	return ""
}
