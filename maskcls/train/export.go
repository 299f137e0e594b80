package train

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/maskkit/maskkit/augment"
	"github.com/maskkit/maskkit/maskcls/graphmodel"
)

// Export writes a trained model as ONNX (opset 17, see
// graphmodel.Model.WriteONNX) to onnxPath and its eval pipeline as
// Albumentations JSON beside it, "<name>_eval.json" for "<name>.onnx",
// the layout of a Python-trained member: an ensemble config names the
// two files with {"kind": "onnx", "path": ..., "pipeline": ...}, and
// maskcls/onnxmodel or onnxruntime runs the model. It returns the
// pipeline's path. The pipeline must be one that augment can write
// (no TransformFunc).
func Export(m *graphmodel.Model, eval augment.Transform, onnxPath string) (string, error) {
	base, ok := strings.CutSuffix(onnxPath, ".onnx")
	if !ok || base == "" {
		return "", fmt.Errorf("%w: export path %q does not end in .onnx", ErrConfig, onnxPath)
	}
	var pipe bytes.Buffer
	if err := augment.WritePipeline(&pipe, eval); err != nil {
		return "", fmt.Errorf("train: export %s: eval pipeline: %w", onnxPath, err)
	}
	if err := m.SaveONNX(onnxPath); err != nil {
		return "", fmt.Errorf("train: export %s: %w", onnxPath, err)
	}
	jsonPath := base + "_eval.json"
	if err := os.WriteFile(jsonPath, pipe.Bytes(), 0o644); err != nil {
		return "", fmt.Errorf("train: export %s: %w", onnxPath, err)
	}
	return jsonPath, nil
}
