// Package cli holds the little that maskkit's example programs share: a
// usage text whose first line says what the program does, and the one-line
// error report that names the program once.
package cli

import (
	"flag"
	"fmt"
	"strings"
)

// Usage makes fs print, on -h or a bad flag, first "name: summary" (one
// line saying what the program does), then the usage lines, each one a
// command line or a sentence, then the flags with their defaults.
func Usage(fs *flag.FlagSet, name, summary string, usage ...string) {
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "%s: %s\n", name, summary)
		if len(usage) > 0 {
			fmt.Fprintln(w, "\nUsage:")
			for _, u := range usage {
				fmt.Fprintf(w, "  %s\n", u)
			}
		}
		fmt.Fprintln(w, "\nFlags:")
		fs.PrintDefaults()
	}
}

// Message is the line a program prints for err: "name: " and the error's
// text, newlines folded into spaces, and the name only once when the error
// already starts with it (a library error from the package of that name).
func Message(name string, err error) string {
	msg := strings.ReplaceAll(err.Error(), "\n", " ")
	if strings.HasPrefix(msg, name+": ") {
		return msg
	}
	return name + ": " + msg
}
