package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // register JPEG for image.Decode
	_ "image/png"  // register PNG for image.Decode
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/maskkit/maskkit/augment"
	"github.com/maskkit/maskkit/maskcls"
)

// statusError is a failure that maps to an HTTP status. Its reason is for
// the client: what the request did wrong, never where the server was.
type statusError struct {
	code   int
	reason string
}

func (e *statusError) Error() string { return e.reason }

func fail(code int, format string, args ...any) error {
	return &statusError{code, fmt.Sprintf(format, args...)}
}

func itoa(n int) string { return strconv.Itoa(n) }

// statusClientClosed labels, in the logs and /metrics, a request whose
// client went away before its answer (nginx's 499); nobody receives it.
const statusClientClosed = 499

// classify answers POST /v1/classify.
func (s *Server) classify(w http.ResponseWriter, r *http.Request) int {
	return s.classifyRequest(w, r, false)
}

// classifyBatch answers POST /v1/classify/batch.
func (s *Server) classifyBatch(w http.ResponseWriter, r *http.Request) int {
	return s.classifyRequest(w, r, true)
}

// classifyRequest answers a classification request in four steps, each
// bounded:
//
//  1. the body is read under Options.BodyTimeout, charged to the memory
//     budget as it arrives, before the request takes any work slot, so a
//     slow client holds only the bytes it sent;
//  2. the photos' headers are checked and priced (what they will decode
//     to), and the request's whole price is taken from the budget at once,
//     waiting at most QueueWait;
//  3. the photos are decoded, one at a time, stopping when the request's
//     context ends;
//  4. a work slot (Options.MaxConcurrent) is taken, waiting at most
//     QueueWait, and the Classifier runs.
func (s *Server) classifyRequest(w http.ResponseWriter, r *http.Request, batch bool) int {
	box := s.clf.Load()
	if box == nil {
		w.Header().Set("Retry-After", "1")
		return writeError(w, http.StatusServiceUnavailable, "models are still loading")
	}
	if r.ContentLength > s.opts.MaxBodyBytes {
		return writeError(w, http.StatusRequestEntityTooLarge,
			fmt.Sprintf("body of %d bytes is over the %d-byte limit", r.ContentLength, s.opts.MaxBodyBytes))
	}
	arrived := time.Now()
	var bodyCharge int64
	defer func() { s.mem.release(bodyCharge) }()
	body, err := s.readBody(w, r, &bodyCharge)
	if err != nil {
		return s.answerError(w, r, err)
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.RequestTimeout)
	defer cancel()
	photos, err := splitPhotos(r.Header.Get("Content-Type"), body, batch, s.opts.MaxBatch)
	if err != nil {
		return s.answerError(w, r, err)
	}
	costs, err := s.price(photos)
	if err != nil {
		return s.answerError(w, r, err)
	}
	kept, transient := requestCost(costs)
	if err := s.wait(ctx, func(ctx context.Context) error { return s.mem.acquire(ctx, kept+transient) },
		"memory for %d decoded bytes", kept+transient); err != nil {
		return s.answerError(w, r, err)
	}
	defer s.mem.release(kept)
	imgs, err := s.decodeAll(ctx, photos, costs)
	s.mem.release(transient) // the decoders' buffers and the encoded photos are garbage now
	s.mem.release(bodyCharge)
	bodyCharge = 0
	if err != nil {
		return s.answerError(w, r, err)
	}
	s.waiting.Add(1)
	err = s.wait(ctx, func(ctx context.Context) error { return s.acquireSlot(ctx) },
		"all %d work slots busy", s.opts.MaxConcurrent)
	s.waiting.Add(-1)
	if err != nil {
		return s.answerError(w, r, err)
	}
	defer func() { <-s.slots }()
	preds, err := box.Predict(ctx, imgs)
	if err == nil && len(preds) != len(imgs) {
		err = fmt.Errorf("classifier returned %d predictions for %d photos", len(preds), len(imgs))
	}
	if err == nil {
		for i, p := range preds {
			if p.Err != nil {
				err = fmt.Errorf("photo %d: %w", i, p.Err)
				break
			}
		}
	}
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return s.answerError(w, r, ctx.Err())
	case errors.Is(err, maskcls.ErrPreprocess):
		s.log.Info("photo cannot be preprocessed", "path", r.URL.Path, "err", err)
		return writeError(w, http.StatusUnprocessableEntity, preprocessReason(err, costs))
	default:
		s.log.Error("classification failed", "path", r.URL.Path, "err", err, "since_arrival", time.Since(arrived))
		return writeError(w, http.StatusInternalServerError, "classification failed; the server logged why")
	}
	s.metrics.images.Add(int64(len(preds)))
	if !batch {
		return writeJSON(w, http.StatusOK, NewResult(preds[0]))
	}
	res := BatchResult{Results: make([]Result, len(preds))}
	for i, p := range preds {
		res.Results[i] = NewResult(p)
	}
	return writeJSON(w, http.StatusOK, res)
}

// errBusy is what wait returns when a resource did not free within
// QueueWait; its text says which.
type errBusy struct{ what string }

func (e errBusy) Error() string { return "server busy: " + e.what }

// wait runs acquire with QueueWait as its deadline (within ctx). A
// negative QueueWait means no wait.
func (s *Server) wait(ctx context.Context, acquire func(context.Context) error, format string, args ...any) error {
	d := max(s.opts.QueueWait, time.Millisecond)
	if s.opts.QueueWait < 0 {
		d = 0
	}
	wctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	err := acquire(wctx)
	if err != nil && ctx.Err() == nil {
		return errBusy{fmt.Sprintf(format, args...)}
	}
	return err
}

// acquireSlot takes a work slot, waiting until ctx ends. The caller
// releases it with <-s.slots.
func (s *Server) acquireSlot(ctx context.Context) error {
	select {
	case s.slots <- struct{}{}:
		return nil
	default:
	}
	select {
	case s.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// answerError writes the answer for err: a statusError's code and reason,
// 503 with Retry-After when busy or past RequestTimeout, 499 when the
// client went away.
func (s *Server) answerError(w http.ResponseWriter, r *http.Request, err error) int {
	var se *statusError
	var busy errBusy
	switch {
	case errors.As(err, &se):
		return writeError(w, se.code, se.reason)
	case r.Context().Err() != nil:
		return writeError(w, statusClientClosed, "client closed the request")
	case errors.As(err, &busy):
		w.Header().Set("Retry-After", "1")
		return writeError(w, http.StatusServiceUnavailable, busy.Error()+"; retry later")
	case errors.Is(err, context.DeadlineExceeded):
		w.Header().Set("Retry-After", "1")
		return writeError(w, http.StatusServiceUnavailable,
			fmt.Sprintf("request timed out after %v", s.opts.RequestTimeout))
	}
	s.log.Error("request failed", "path", r.URL.Path, "err", err)
	return writeError(w, http.StatusInternalServerError, "request failed; the server logged why")
}

// readBody reads the whole body under BodyTimeout, charging the budget
// for its buffer as it grows, twice over for a multipart body (whose parts
// are copied out of it); the caller releases *charged, which readBody
// keeps current even when it fails. Its errors say what the client did:
// 413 over MaxBodyBytes, 408 too slow, 400 otherwise, or busy.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, charged *int64) ([]byte, error) {
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Now().Add(s.opts.BodyTimeout)) // httptest's recorder cannot: then unbounded
	factor := int64(1)
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); strings.HasPrefix(mt, "multipart/") {
		factor = 2
	}
	src := http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
	size := int64(64 << 10)
	if r.ContentLength >= 0 {
		size = r.ContentLength + 1 // room to read the EOF without growing
	}
	var body []byte
	for {
		if len(body) == cap(body) {
			if err := s.wait(r.Context(), func(ctx context.Context) error { return s.mem.acquire(ctx, factor*size) },
				"memory for a %d-byte body", size); err != nil {
				return nil, err
			}
			*charged += factor * size
			b := make([]byte, len(body), size)
			copy(b, body)
			s.mem.release(factor * int64(cap(body)))
			*charged -= factor * int64(cap(body))
			body = b
			size = min(2*size, s.opts.MaxBodyBytes+1)
		}
		n, err := src.Read(body[len(body):cap(body)])
		body = body[:len(body)+n]
		if err == io.EOF {
			rc.SetReadDeadline(time.Time{}) // a lapsed deadline would cancel the request mid-work
			return body, nil
		}
		if err != nil {
			// The connection cannot carry another request: close it rather
			// than let net/http drain the rest of a slow body.
			w.Header().Set("Connection", "close")
			if r.Context().Err() != nil && !isTimeout(err) {
				return nil, r.Context().Err() // the client went away
			}
			return nil, bodyError(err, s.opts.BodyTimeout)
		}
	}
}

// bodyError maps an error reading the body to what the client did.
func bodyError(err error, timeout time.Duration) error {
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &mb):
		return fail(http.StatusRequestEntityTooLarge, "body is over the %d-byte limit", mb.Limit)
	case isTimeout(err):
		return fail(http.StatusRequestTimeout, "the body did not arrive within %v", timeout)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fail(http.StatusBadRequest, "the body ended before its declared length")
	}
	return fail(http.StatusBadRequest, "the body could not be read")
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// rawPhoto is one photo of a request, still encoded, and where it was.
type rawPhoto struct {
	where string // "" for a raw body, `part 2 ("a.png")` for a multipart one
	data  []byte
}

func (p rawPhoto) prefix() string {
	if p.where == "" {
		return ""
	}
	return p.where + ": "
}

// splitPhotos finds the request's photos in its body: the raw body, or the
// file parts of a multipart body (one for /v1/classify). Parts alias body.
func splitPhotos(ctype string, body []byte, batch bool, maxBatch int) ([]rawPhoto, error) {
	mt, params, _ := mime.ParseMediaType(ctype)
	if !strings.HasPrefix(mt, "multipart/") {
		if batch {
			return nil, fail(http.StatusBadRequest, "a batch is a multipart/form-data body with one file part per photo, not %q", mt)
		}
		return []rawPhoto{{data: body}}, nil
	}
	boundary := params["boundary"]
	if boundary == "" {
		return nil, fail(http.StatusBadRequest, "bad multipart body: no boundary in the content type")
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	var photos []rawPhoto
	for i := 0; ; i++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fail(http.StatusBadRequest, "bad multipart body at part %d: %v", i, err)
		}
		if part.FileName() == "" && part.FormName() != "" && !strings.HasPrefix(part.Header.Get("Content-Type"), "image/") {
			continue // a plain form field
		}
		if !batch && len(photos) == 1 {
			return nil, fail(http.StatusBadRequest, "more than one file part: /v1/classify takes one photo, /v1/classify/batch several")
		}
		if len(photos) == maxBatch {
			return nil, fail(http.StatusRequestEntityTooLarge, "more than %d photos in one batch", maxBatch)
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, fail(http.StatusBadRequest, "bad multipart body at part %d: %v", i, err)
		}
		photos = append(photos, rawPhoto{where: fmt.Sprintf("part %d (%q)", i, part.FileName()), data: data})
	}
	if len(photos) == 0 {
		return nil, fail(http.StatusBadRequest, "multipart body has no file part")
	}
	return photos, nil
}

// price checks each photo's header (format, declared size against
// MaxPixels) and returns what each will cost to decode and classify. A
// request whose cost could never fit MaxRequestMemory is 413.
func (s *Server) price(photos []rawPhoto) ([]photoCost, error) {
	costs := make([]photoCost, len(photos))
	for i, p := range photos {
		c, err := s.checkHeader(p.data)
		if err != nil {
			var se *statusError
			if errors.As(err, &se) {
				se.reason = p.prefix() + se.reason
			}
			return nil, err
		}
		costs[i] = c
	}
	kept, transient := requestCost(costs)
	if need := kept + transient; need > s.opts.MaxRequestMemory {
		return nil, fail(http.StatusRequestEntityTooLarge,
			"the photos would take %d bytes of memory to decode and classify, over the %d-byte limit of one request; send fewer or smaller photos",
			need, s.opts.MaxRequestMemory)
	}
	return costs, nil
}

// requestCost is the most a request's photos hold at once: all their kept
// bytes, and one photo's decoder buffers at a time.
func requestCost(costs []photoCost) (kept, transient int64) {
	for _, c := range costs {
		kept += c.kept
		transient = max(transient, c.transient)
	}
	return kept, transient
}

// checkHeader checks a photo's header without decoding its pixels, so a
// small file claiming a huge image costs nothing, and prices it.
func (s *Server) checkHeader(data []byte) (photoCost, error) {
	if len(data) == 0 {
		return photoCost{}, fail(http.StatusBadRequest, "empty body: send a JPEG or PNG photo")
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return photoCost{}, fail(http.StatusBadRequest, "truncated photo header")
		}
		return photoCost{}, fail(http.StatusBadRequest, "not a JPEG or PNG photo")
	}
	if format != "jpeg" && format != "png" {
		return photoCost{}, fail(http.StatusBadRequest, "%s photos are not accepted: send JPEG or PNG", format)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return photoCost{}, fail(http.StatusBadRequest, "%s declares %dx%d pixels", format, cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > s.opts.MaxPixels {
		return photoCost{}, fail(http.StatusUnprocessableEntity, "%s declares %dx%d pixels, over the %d-pixel limit",
			format, cfg.Width, cfg.Height, s.opts.MaxPixels)
	}
	return costOf(data, cfg, format), nil
}

// decodeAll decodes the photos in order, checking ctx before each.
func (s *Server) decodeAll(ctx context.Context, photos []rawPhoto, costs []photoCost) ([]image.Image, error) {
	imgs := make([]image.Image, len(photos))
	for i, p := range photos {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		img, _, err := image.Decode(bytes.NewReader(p.data))
		if err != nil {
			return nil, fail(http.StatusBadRequest, "%scorrupt or truncated %s", p.prefix(), costs[i].format)
		}
		imgs[i] = img
	}
	return imgs, nil
}

// preprocessReason says why a photo could not be prepared for the models,
// in the client's terms: for a crop that does not fit, the photo's size
// and the crop's.
func preprocessReason(err error, costs []photoCost) string {
	photo := "the photo"
	var i int
	if _, e := fmt.Sscanf(err.Error(), "photo %d:", &i); e == nil && i < len(costs) {
		photo = fmt.Sprintf("photo %d (%dx%d, width x height)", i, costs[i].width, costs[i].height)
	} else if len(costs) == 1 {
		photo = fmt.Sprintf("the photo (%dx%d, width x height)", costs[0].width, costs[0].height)
	}
	if !errors.Is(err, augment.ErrCropTooLarge) {
		return photo + " cannot be prepared for the models"
	}
	// augment's message is "augment: <Crop> HxW larger than image HxW: ...".
	msg := err.Error()
	if k := strings.LastIndex(msg, "augment: "); k >= 0 {
		msg = msg[k+len("augment: "):]
	}
	msg = strings.TrimSuffix(msg, ": "+augment.ErrCropTooLarge.Error())
	return photo + " is too small for the models' preprocessing: " + msg + " (height x width); send a larger photo"
}
