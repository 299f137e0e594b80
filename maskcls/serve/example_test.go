package serve_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"

	"github.com/maskkit/maskkit/maskcls"
	"github.com/maskkit/maskkit/maskcls/serve"
)

// fixed is a Classifier that answers class 4 (wear, female, 30-59) for every photo; a program
// passes a *maskcls.Ensemble instead.
type fixed struct{}

func (fixed) Predict(_ context.Context, photos []image.Image) ([]maskcls.Prediction, error) {
	p := maskcls.Prediction{Class: 4, Mask: [3]float64{1, 0, 0}, Gender: [2]float64{0, 1}, Age: [3]float64{0, 1, 0}}
	p.Label, _ = maskcls.LabelOf(4)
	p.Probs[4] = 1
	out := make([]maskcls.Prediction, len(photos))
	for i := range out {
		out[i] = p
	}
	return out, nil
}

func Example() {
	s := serve.New(fixed{}, &serve.Options{Logger: slog.New(slog.DiscardHandler)})
	ts := httptest.NewServer(s) // a program calls s.Serve(ctx, listener)
	defer ts.Close()

	var body bytes.Buffer
	png.Encode(&body, image.NewRGBA(image.Rect(0, 0, 384, 512)))
	resp, err := http.Post(ts.URL+"/v1/classify", "image/png", &body)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode)
	fmt.Print(string(answer))
	// Output:
	// 200
	// {"class":4,"mask":"wear","gender":"female","age":"30-59","probabilities":{"mask":[1,0,0],"gender":[0,1],"age":[0,1,0],"class":[0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0]}}
}
