package onnxmodel

import (
	"errors"
	"testing"
)

// TestResizeErrors feeds Resize hostile scales, sizes and rois: each must
// be an error wrapping the named sentinel, never a panic or a huge
// allocation. (Resize's numbers are checked by ONNX's node tests and the
// resize fixtures of testdata/ops.)
func TestResizeErrors(t *testing.T) {
	x := &array{dt: Float32, shape: []int{1, 1, 2, 3}, f: make([]float32, 6)}
	empty := &array{dt: Float32, shape: []int{1, 1, 0, 3}, f: []float32{}}
	f := func(v ...float32) *array { return &array{dt: Float32, shape: []int{len(v)}, f: v} }
	i := func(v ...int64) *array { return &array{dt: Int64, shape: []int{len(v)}, i: v} }
	cases := []struct {
		name  string
		attrs map[string]*attrProto
		in    []*array
		want  error
	}{
		{"no scales or sizes", nil, []*array{x, nil, nil, nil}, ErrMalformed},
		{"scales and sizes", nil, []*array{x, nil, f(1, 1, 2, 2), i(1, 1, 4, 6)}, ErrMalformed},
		{"zero scale", nil, []*array{x, nil, f(1, 1, 0, 2)}, ErrInputShape},
		{"NaN scale", nil, []*array{x, nil, f(1, 1, float32(nan()), 2)}, ErrInputShape},
		{"scales of the wrong rank", nil, []*array{x, nil, f(2, 2)}, ErrInputShape},
		{"huge scale", nil, []*array{x, nil, f(1, 1, 1e9, 1e9)}, ErrTooLarge},
		{"huge sizes", nil, []*array{x, nil, nil, i(1, 1, 1<<20, 1<<20)}, ErrTooLarge},
		{"negative size", nil, []*array{x, nil, nil, i(1, 1, -2, 3)}, ErrInputShape},
		{"sizes of floats", nil, []*array{x, nil, nil, f(1, 1, 2, 3)}, ErrInputType},
		{"empty axis", nil, []*array{empty, nil, nil, i(1, 1, 2, 3)}, ErrInputShape},
		{"roi of the wrong length", map[string]*attrProto{"coordinate_transformation_mode": {s: []byte("tf_crop_and_resize")}},
			[]*array{x, f(0, 1), nil, i(1, 1, 2, 3)}, ErrInputShape},
		{"reversed roi", map[string]*attrProto{"coordinate_transformation_mode": {s: []byte("tf_crop_and_resize")}},
			[]*array{x, f(0, 0, 1, 0, 1, 1, 0, 1), f(1, 1, 2, 2), nil}, ErrInputShape},
		{"linear of int64", map[string]*attrProto{"mode": {s: []byte("linear")}},
			[]*array{{dt: Int64, shape: []int{1, 2}, i: []int64{1, 2}}, nil, f(1, 2)}, ErrInputType},
	}
	for _, c := range cases {
		attrs := c.attrs
		if attrs == nil {
			attrs = map[string]*attrProto{}
		}
		nc := &nodeCtx{node: &nodeProto{opType: "Resize", inputs: []string{"X", "roi", "scales", "sizes"}, outputs: []string{"Y"}, attrs: attrs}, opset: 13, limit: 1 << 20}
		k, err := buildResize(nc)
		if err != nil {
			t.Fatalf("%s: build: %v", c.name, err)
		}
		rc := &runCtx{limit: 1 << 20, threads: 1}
		if _, err := k.run(rc, c.in); !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
	// Attributes the runtime does not implement are refused at load.
	for name, a := range map[string]*attrProto{
		"antialias": {i: 1}, "mode": {s: []byte("area")},
		"coordinate_transformation_mode": {s: []byte("tf_half_pixel_for_nn")},
	} {
		nc := &nodeCtx{node: &nodeProto{opType: "Resize", inputs: []string{"X", "", "scales"}, outputs: []string{"Y"}, attrs: map[string]*attrProto{name: a}}, opset: 18}
		if _, err := buildResize(nc); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s at opset 18: error %v, want ErrUnsupported", name, err)
		}
	}
}
