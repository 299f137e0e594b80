package main

import (
	"testing"

	"github.com/maskkit/maskkit/internal/cli/clitest"
)

func TestMain(m *testing.M) { clitest.Main(m, main) }

func TestHelp(t *testing.T) {
	clitest.CheckHelp(t, "loadtest", "measure the classification service", "clients", "duration", "soak", "addr", "ensemble")
}

func TestBadClients(t *testing.T) {
	clitest.CheckError(t, "", []string{"-clients", "0"}, `loadtest: -clients: "0" is not a number of clients in [1, 1024]`)
}
