// Package serve is an HTTP service over a maskcls.Ensemble (or any
// Classifier): it classifies JPEG and PNG photos posted to it and answers in
// JSON, with the limits a public endpoint needs.
//
// Routes:
//
//	POST /v1/classify        one photo: the raw body, or a multipart form with one file part
//	POST /v1/classify/batch  several photos: a multipart form, one file part per photo
//	GET  /healthz            200 while the process serves
//	GET  /readyz             200 once a Classifier is set (models loaded), 503 before
//	GET  /metrics            Prometheus text format: requests by route and status, latency histogram
//
// One photo's answer:
//
//	{"class": 7, "mask": "wear", "gender": "female", "age": "30-59",
//	 "probabilities": {"mask": [...3], "gender": [...2], "age": [...3], "class": [...18]}}
//
// A batch answers {"results": [...]} with one such object per photo, in
// the order of the parts. Every error is {"error": "one-line reason"} with
// its status: 400 for a body that is not a photo (corrupt, truncated,
// unknown format, no file part), 405 for a wrong method (with Allow), 413
// for a body over Options.MaxBodyBytes, 422 for a photo that declares more
// than Options.MaxPixels pixels (refused from its header, before decoding),
// 503 with Retry-After when more than Options.MaxConcurrent requests are at
// work and no slot frees within Options.QueueWait, or when no Classifier is
// set yet, and 503 when a request runs past Options.RequestTimeout.
//
// Server.Serve runs the service on a listener until its context ends, then
// shuts down gracefully: new connections are refused, requests in flight
// finish (within Options.ShutdownTimeout). Every request is logged with
// log/slog.
package serve
