// Command onnxrun runs an ONNX model with maskkit's pure-Go runtime.
//
//	go run ./examples/onnxrun -model M.onnx -in X.npy -out Y.npy
//	go run ./examples/onnxrun -model M.onnx -in a=A.npy -in b=B.npy -bench 20
//
// -in X.npy feeds the model's first input; -in name=X.npy names the input
// (repeat for several). The first output is written as .npy to -out, and
// -bench N prints the median latency of N runs. Errors are one line on
// stderr and exit status 1.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/maskkit/maskkit/maskcls/onnxmodel"
	"gorgonia.org/tensor"
)

type inputFlags []string

func (f *inputFlags) String() string     { return strings.Join(*f, ",") }
func (f *inputFlags) Set(v string) error { *f = append(*f, v); return nil }

func main() {
	var ins inputFlags
	model := flag.String("model", "", "ONNX model file")
	out := flag.String("out", "", "write the first output to this .npy file")
	bench := flag.Int("bench", 0, "run N times and print the median latency")
	threads := flag.Int("threads", 0, "goroutines per kernel (0: GOMAXPROCS)")
	flag.Var(&ins, "in", "input .npy file, or name=file.npy (repeatable)")
	flag.Parse()
	if err := run(*model, ins, *out, *bench, *threads); err != nil {
		fmt.Fprintln(os.Stderr, "onnxrun:", err)
		os.Exit(1)
	}
}

func run(model string, ins []string, out string, bench, threads int) error {
	if model == "" {
		return fmt.Errorf("-model is required")
	}
	m, err := onnxmodel.LoadFile(model, &onnxmodel.Options{Threads: threads})
	if err != nil {
		return err
	}
	inputs := map[string]*tensor.Dense{}
	for _, spec := range ins {
		name, path, named := strings.Cut(spec, "=")
		if !named {
			path = spec
			if len(m.Inputs()) == 0 {
				return fmt.Errorf("the model has no inputs")
			}
			name = m.Inputs()[0].Name
		}
		t, err := onnxmodel.ReadNPYFile(path)
		if err != nil {
			return err
		}
		inputs[name] = t
	}
	ctx := context.Background()
	res, err := m.Run(ctx, inputs)
	if err != nil {
		return err
	}
	first := m.Outputs()[0].Name
	y := res[first]
	fmt.Printf("%s: %v %v\n", first, y.Dtype(), y.Shape())
	if out != "" {
		if err := onnxmodel.WriteNPYFile(out, y); err != nil {
			return err
		}
	}
	if bench > 0 {
		times := make([]time.Duration, bench)
		for i := range times {
			start := time.Now()
			if _, err := m.Run(ctx, inputs); err != nil {
				return err
			}
			times[i] = time.Since(start)
		}
		slices.Sort(times)
		fmt.Printf("median latency over %d runs: %.3f ms\n", bench, float64(times[bench/2])/1e6)
	}
	return nil
}
