// Command onnxrun runs an ONNX model with maskkit's pure-Go runtime.
//
//	go run ./examples/onnxrun -model M.onnx -in X.npy -out Y.npy
//	go run ./examples/onnxrun -model M.onnx -in a=A.npy -in b=B.npy -bench 20
//
// -in X.npy feeds the model's first input; -in name=X.npy names the input
// (repeat for several). An input one axis short of what the model takes
// (augment's CHW output for a model that takes [N,3,H,W]) gets a batch axis
// of 1, and onnxrun says so. An input of the wrong element type is named
// with its .npy dtype and the type the model wants. The first output is
// written as .npy to -out, and -bench N prints the median latency of N
// runs. Errors are one line on stderr and exit status 1.
//
// The default models in testdata/models have ready-made inputs beside
// them, one synthetic photo through each model's eval pipeline
// (testdata/models/gen_inputs.sh writes them):
//
//	go run ./examples/onnxrun -model testdata/models/mask.onnx -in testdata/models/mask_input.npy
//
// and any photo becomes an input the same way:
//
//	go run ./examples/augment -pipeline testdata/models/age_eval.json -in PHOTO -out x.npy
//	go run ./examples/onnxrun -model testdata/models/age.onnx -in x.npy
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/maskkit/maskkit/internal/cli"
	"github.com/maskkit/maskkit/internal/npy"
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
	cli.Usage(flag.CommandLine, "onnxrun", "run an ONNX model on .npy inputs with maskkit's pure-Go runtime and write or time its first output",
		"onnxrun -model M.onnx -in X.npy [-out Y.npy] [-bench 20]",
		"onnxrun -model M.onnx -in a=A.npy -in b=B.npy",
		"onnxrun -model testdata/models/mask.onnx -in testdata/models/mask_input.npy   # from the module root",
		"A photo as input: augment -pipeline testdata/models/mask_eval.json -in PHOTO -out x.npy, then -in x.npy.")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "onnxrun: unexpected argument %q (inputs are -in X.npy)\n", flag.Arg(0))
		os.Exit(2)
	}
	if err := run(*model, ins, *out, *bench, *threads, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, cli.Message("onnxrun", err))
		os.Exit(1)
	}
}

func run(model string, ins []string, out string, bench, threads int, stdout, stderr io.Writer) error {
	if model == "" {
		return errors.New("-model is required")
	}
	m, err := onnxmodel.LoadFile(model, &onnxmodel.Options{Threads: threads})
	if err != nil {
		return err
	}
	if len(ins) == 0 {
		return fmt.Errorf("-in is required: %s takes %s", model, describe(m.Inputs()))
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
		i := slices.IndexFunc(m.Inputs(), func(t onnxmodel.TensorInfo) bool { return t.Name == name })
		if i < 0 {
			return fmt.Errorf("-in %s: the model has no input %q; it takes %s", spec, name, describe(m.Inputs()))
		}
		t, err := readInput(path, m.Inputs()[i], stderr)
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
	fmt.Fprintf(stdout, "%s: %v %v\n", first, y.Dtype(), y.Shape())
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
		fmt.Fprintf(stdout, "median latency over %d runs: %.3f ms\n", bench, float64(times[bench/2])/1e6)
	}
	return nil
}

// npyTypes are the .npy dtypes each model element type accepts: the
// runtime widens integers to int64, so the check is made here, where the
// file's own dtype is still known.
var npyTypes = map[onnxmodel.DType][]string{
	onnxmodel.Float32: {"<f4"},
	onnxmodel.Int64:   {"<i8", "<i4", "<i2", "|i1", "<i1", "|u1", "<u1"},
	onnxmodel.Bool:    {"|b1"},
}

// readInput reads one .npy input for the model input info: it refuses an
// element type the input does not take, naming both, and gives an array
// one axis short (CHW for NCHW) a batch axis of 1, saying so on stderr.
func readInput(path string, info onnxmodel.TensorInfo, stderr io.Writer) (*tensor.Dense, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	h, _, err := npy.ReadHeader(f, 1<<30)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: not a .npy file: %v", path, err)
	}
	if want, ok := npyTypes[info.DType]; ok && !slices.Contains(want, h.Descr) {
		return nil, fmt.Errorf("%s holds %s (%s) %v, but input %q takes %v %s",
			path, dtypeName(h.Descr), h.Descr, h.Shape, info.Name, info.DType, shape(info))
	}
	t, err := onnxmodel.ReadNPYFile(path)
	if err != nil {
		return nil, err
	}
	if len(info.Shape) == t.Dims()+1 && (info.Shape[0] < 0 || info.Shape[0] == 1) {
		batched := append([]int{1}, t.Shape()...)
		if err := t.Reshape(batched...); err != nil {
			return nil, err
		}
		fmt.Fprintf(stderr, "onnxrun: %s is %v; added a batch axis for input %q %s: %v\n", path, h.Shape, info.Name, shape(info), batched)
	}
	return t, nil
}

func dtypeName(descr string) string {
	names := map[string]string{"<f4": "float32", "<f8": "float64", "<i8": "int64", "<i4": "int32", "<i2": "int16",
		"|i1": "int8", "<i1": "int8", "|u1": "uint8", "<u1": "uint8", "|b1": "bool"}
	if n, ok := names[descr]; ok {
		return n
	}
	return "dtype " + descr
}

// shape writes a declared shape with its dynamic axes by name: [N 3 32 32].
func shape(info onnxmodel.TensorInfo) string {
	parts := make([]string, len(info.Shape))
	for k, d := range info.Shape {
		switch {
		case d >= 0:
			parts[k] = fmt.Sprint(d)
		case k < len(info.DimNames) && info.DimNames[k] != "":
			parts[k] = info.DimNames[k]
		default:
			parts[k] = "?"
		}
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func describe(ins []onnxmodel.TensorInfo) string {
	parts := make([]string, len(ins))
	for k, in := range ins {
		parts[k] = fmt.Sprintf("%q %v %s", in.Name, in.DType, shape(in))
	}
	if len(parts) == 0 {
		return "no inputs"
	}
	return strings.Join(parts, ", ")
}
