package serve

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/maskkit/maskkit/maskcls"
)

// Result is the JSON answer for one photo.
type Result struct {
	// Class is the 18-class answer, 6*mask + 3*gender + age.
	Class int `json:"class"`
	// Mask, Gender and Age name the class's parts as maskcls prints them:
	// "wear", "incorrect" or "not_wear"; "male" or "female"; "<30", "30-59"
	// or "60+".
	Mask   string `json:"mask"`
	Gender string `json:"gender"`
	Age    string `json:"age"`
	// Probabilities are the ensemble's distributions.
	Probabilities Probabilities `json:"probabilities"`
}

// Probabilities are the per-task distributions (in the label encodings'
// order) and the 18-class one.
type Probabilities struct {
	Mask   []float64 `json:"mask"`
	Gender []float64 `json:"gender"`
	Age    []float64 `json:"age"`
	Class  []float64 `json:"class"`
}

// BatchResult is the JSON answer of /v1/classify/batch: one Result per
// photo, in the order of the parts.
type BatchResult struct {
	Results []Result `json:"results"`
}

// ErrorResult is the JSON answer of every failed request.
type ErrorResult struct {
	Error string `json:"error"`
}

// NewResult returns the Result of a Prediction.
func NewResult(p maskcls.Prediction) Result {
	return Result{
		Class:  p.Class,
		Mask:   p.Label.Mask.String(),
		Gender: p.Label.Gender.String(),
		Age:    p.Label.Age.String(),
		Probabilities: Probabilities{
			Mask:   p.Mask[:],
			Gender: p.Gender[:],
			Age:    p.Age[:],
			Class:  p.Probs[:],
		},
	}
}

// writeJSON writes v as JSON with the status and returns the status.
func writeJSON(w http.ResponseWriter, code int, v any) int {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // "<30", not "\u003c30"
	err := enc.Encode(v)
	data := buf.Bytes()
	if err != nil {
		// Only a NaN probability can get here; the Ensemble never gives one.
		code = http.StatusInternalServerError
		data = []byte(`{"error":"cannot encode the answer"}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", itoa(len(data)))
	w.WriteHeader(code)
	w.Write(data)
	return code
}

// writeError writes {"error": reason} with the status, the reason on one
// line.
func writeError(w http.ResponseWriter, code int, reason string) int {
	reason = strings.Join(strings.Fields(reason), " ")
	return writeJSON(w, code, ErrorResult{Error: reason})
}
