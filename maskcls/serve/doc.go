// Package serve is an HTTP service over a maskcls.Ensemble (or any
// Classifier): it classifies JPEG and PNG photos posted to it and answers in
// JSON, with the limits a public endpoint needs.
//
// Routes:
//
//	POST /v1/classify        one photo: the raw body, or a multipart form with one file part
//	POST /v1/classify/batch  several photos: a multipart form, one file part per photo
//	GET  /healthz            200 while the process serves
//	GET  /readyz             200 once a Classifier is set (models loaded) and while not saturated, else 503
//	GET  /metrics            Prometheus text format: requests by route and status, latency, memory, rejections
//
// One photo's answer:
//
//	{"class": 4, "mask": "wear", "gender": "female", "age": "30-59",
//	 "probabilities": {"mask": [...3], "gender": [...2], "age": [...3], "class": [...18]}}
//
// A batch answers {"results": [...]} with one such object per photo, in
// the order of the parts. Every error is {"error": "one-line reason"}
// saying what the request did wrong, with its status: 400 for a body that
// is not a photo (corrupt, truncated, unknown format, no file part), 405
// for a wrong method (with Allow), 408 for a body not received within
// Options.BodyTimeout, 413 for a body over Options.MaxBodyBytes or photos
// that would take more than Options.MaxRequestMemory to decode, 422 for a
// photo that declares more than Options.MaxPixels pixels (refused from its
// header, before decoding) or that the models' preprocessing cannot take
// (a crop larger than the photo, naming both sizes), 503 with Retry-After
// when the memory budget or a work slot does not free within
// Options.QueueWait, or when no Classifier is set yet, and 503 when a
// request runs past Options.RequestTimeout. A client that leaves before
// its answer is logged and counted as 499. Failures of the server itself
// are 500 with a generic reason; the details go to the log.
//
// Hostile clients: the body is read first, under its own deadline, before
// the request takes anything but the memory its bytes use, so slow bodies
// hold no work slot; what photos will decode to is charged against one
// Options.MemoryBudget before they are decoded, so decompression bombs
// wait, or are refused, instead of exhausting memory; requests that
// net/http itself refuses (oversized or malformed headers, headers that
// never complete) are counted in /metrics as maskkit_http_rejected_total.
// /readyz answers 503 "saturated" while the server turns work away.
//
// Server.Serve runs the service on a listener until its context ends, then
// shuts down gracefully: new connections are refused, requests in flight
// finish (within Options.ShutdownTimeout). Every request is logged with
// log/slog.
package serve
