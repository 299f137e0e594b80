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
	"net/http"
	"strconv"
	"strings"

	"github.com/maskkit/maskkit/maskcls"
)

// statusError is a failure that maps to an HTTP status.
type statusError struct {
	code   int
	reason string
}

func (e *statusError) Error() string { return e.reason }

func fail(code int, format string, args ...any) error {
	return &statusError{code, fmt.Sprintf(format, args...)}
}

func itoa(n int) string { return strconv.Itoa(n) }

// classify answers POST /v1/classify.
func (s *Server) classify(w http.ResponseWriter, r *http.Request) int {
	return s.classifyRequest(w, r, false)
}

// classifyBatch answers POST /v1/classify/batch.
func (s *Server) classifyBatch(w http.ResponseWriter, r *http.Request) int {
	return s.classifyRequest(w, r, true)
}

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
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.RequestTimeout)
	defer cancel()
	if err := s.acquire(ctx); err != nil {
		if errors.Is(err, errBusy) {
			w.Header().Set("Retry-After", "1")
			return writeError(w, http.StatusServiceUnavailable,
				fmt.Sprintf("server busy: %d requests at work; retry later", s.opts.MaxConcurrent))
		}
		return s.ctxError(w, r, err)
	}
	defer func() { <-s.slots }()

	r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
	photos, err := s.readPhotos(r, batch)
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	if err != nil {
		var se *statusError
		if errors.As(err, &se) {
			return writeError(w, se.code, se.reason)
		}
		return s.ctxError(w, r, err)
	}
	preds, err := box.Predict(ctx, photos)
	if err == nil && len(preds) != len(photos) {
		err = fmt.Errorf("classifier returned %d predictions for %d photos", len(preds), len(photos))
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
		return s.ctxError(w, r, ctx.Err())
	case errors.Is(err, maskcls.ErrPreprocess):
		return writeError(w, http.StatusUnprocessableEntity, "photo cannot be preprocessed: "+err.Error())
	default:
		s.log.Error("classification failed", "path", r.URL.Path, "err", err)
		return writeError(w, http.StatusInternalServerError, "classification failed: "+err.Error())
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

// ctxError answers a request whose context ended: past RequestTimeout, or
// the client went away (then nobody reads the answer; it is logged).
func (s *Server) ctxError(w http.ResponseWriter, r *http.Request, err error) int {
	if r.Context().Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		return writeError(w, http.StatusServiceUnavailable,
			fmt.Sprintf("request timed out after %v", s.opts.RequestTimeout))
	}
	return writeError(w, http.StatusServiceUnavailable, "request cancelled: "+err.Error())
}

// readPhotos reads and decodes the request's photos: the raw body, or the
// file parts of a multipart body (one for /v1/classify).
func (s *Server) readPhotos(r *http.Request, batch bool) ([]image.Image, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if !strings.HasPrefix(mt, "multipart/") {
		if batch {
			return nil, fail(http.StatusBadRequest, "a batch is a multipart/form-data body with one file part per photo, not %q", mt)
		}
		data, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, bodyError(err)
		}
		img, err := s.decode(data)
		if err != nil {
			return nil, err
		}
		return []image.Image{img}, nil
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, fail(http.StatusBadRequest, "bad multipart body: %v", err)
	}
	var photos []image.Image
	for i := 0; ; i++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, bodyError(err)
		}
		if part.FileName() == "" && part.FormName() != "" && !strings.HasPrefix(part.Header.Get("Content-Type"), "image/") {
			continue // a plain form field
		}
		if !batch && len(photos) == 1 {
			return nil, fail(http.StatusBadRequest, "more than one file part: /v1/classify takes one photo, /v1/classify/batch several")
		}
		if len(photos) == s.opts.MaxBatch {
			return nil, fail(http.StatusRequestEntityTooLarge, "more than %d photos in one batch", s.opts.MaxBatch)
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, bodyError(err)
		}
		img, err := s.decode(data)
		if err != nil {
			var se *statusError
			if errors.As(err, &se) {
				se.reason = fmt.Sprintf("part %d (%q): %s", i, part.FileName(), se.reason)
			}
			return nil, err
		}
		photos = append(photos, img)
	}
	if len(photos) == 0 {
		return nil, fail(http.StatusBadRequest, "multipart body has no file part")
	}
	return photos, nil
}

// bodyError maps an error reading the body: over the size limit is 413,
// anything else 400.
func bodyError(err error) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return fail(http.StatusRequestEntityTooLarge, "body is over the %d-byte limit", mb.Limit)
	}
	return fail(http.StatusBadRequest, "reading body: %v", err)
}

// decode decodes a JPEG or PNG photo. The dimensions its header declares
// are checked first, so a small file claiming a huge image costs nothing.
func (s *Server) decode(data []byte) (image.Image, error) {
	if len(data) == 0 {
		return nil, fail(http.StatusBadRequest, "empty body: send a JPEG or PNG photo")
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fail(http.StatusBadRequest, "truncated photo header")
		}
		return nil, fail(http.StatusBadRequest, "not a JPEG or PNG photo: %v", err)
	}
	if format != "jpeg" && format != "png" {
		return nil, fail(http.StatusBadRequest, "%s photos are not accepted: send JPEG or PNG", format)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fail(http.StatusBadRequest, "%s declares %dx%d pixels", format, cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > s.opts.MaxPixels {
		return nil, fail(http.StatusUnprocessableEntity, "%s declares %dx%d pixels, over the %d-pixel limit",
			format, cfg.Width, cfg.Height, s.opts.MaxPixels)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fail(http.StatusBadRequest, "corrupt or truncated %s: %v", format, err)
	}
	return img, nil
}
