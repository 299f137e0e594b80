package onnxmodel

import "github.com/maskkit/maskkit/maskcls"

// Kind is the model kind this package registers with
// maskcls.RegisterModelKind, so that an ensemble config can name
// {"kind": "onnx", "path": "mask.onnx"}. A program imports the package for
// that effect:
//
//	import _ "github.com/maskkit/maskkit/maskcls/onnxmodel"
const Kind = "onnx"

func init() {
	maskcls.RegisterModelKind(Kind, func(path string) (maskcls.Model, error) {
		return LoadFile(path, nil)
	})
}
