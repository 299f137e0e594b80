package serve

import (
	"bytes"
	"context"
	"net"
	"strconv"
	"sync/atomic"
)

// net/http answers some requests itself, without calling the handler: a
// header block over MaxHeaderBytes (431), a malformed request line or an
// unsupported HTTP version (400, 505), an unknown transfer encoding (501);
// and a client whose headers do not arrive within ReadHeaderTimeout is
// dropped without an answer. None of these reach ServeHTTP, so the server
// watches its connections to count them: a conn knows how many requests
// the handler took and how many answers were written on it, and at close
// an answer the handler did not write, or request bytes that no answer
// followed, is a rejection.

// trackedListener wraps every accepted connection in a trackedConn.
type trackedListener struct {
	net.Listener
	s *Server
}

func (l trackedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &trackedConn{Conn: c, s: l.s}, nil
}

// trackedConn counts, for one connection, the requests the handler took,
// the answers written, and the bytes read since the last answer.
type trackedConn struct {
	net.Conn
	s        *Server
	handled  atomic.Int64 // requests that reached ServeHTTP
	answers  atomic.Int64 // final (non-1xx) status lines written
	lastCode atomic.Int64 // the last one's status code
	unanswer atomic.Int64 // bytes read since the last answer or handler start
	closed   atomic.Bool
}

func (c *trackedConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.unanswer.Add(int64(n))
	return n, err
}

func (c *trackedConn) Write(b []byte) (int, error) {
	// Every answer starts a Write: the server flushes each response before
	// reading the next request, and writes its own rejections in one call.
	if len(b) >= 12 && bytes.HasPrefix(b, []byte("HTTP/1.")) && b[8] == ' ' {
		if code, err := strconv.Atoi(string(b[9:12])); err == nil && code >= 200 {
			c.answers.Add(1)
			c.lastCode.Store(int64(code))
			c.unanswer.Store(0)
		}
	}
	return c.Conn.Write(b)
}

func (c *trackedConn) Close() error {
	if !c.closed.Swap(true) {
		switch {
		case c.answers.Load() > c.handled.Load():
			c.s.reject(strconv.FormatInt(c.lastCode.Load(), 10), c.RemoteAddr())
		case c.unanswer.Load() > 0 && c.answers.Load() == c.handled.Load():
			// Bytes of a request whose header never completed: the header
			// timeout, or a client that gave up mid-request.
			c.s.reject("incomplete_request", c.RemoteAddr())
		}
	}
	return c.Conn.Close()
}

// connKey is the request context key of the request's trackedConn.
type connKey struct{}

// connContext puts the connection into its requests' context, so that
// ServeHTTP can count the request as handled.
func connContext(ctx context.Context, c net.Conn) context.Context {
	if tc, ok := c.(*trackedConn); ok {
		return context.WithValue(ctx, connKey{}, tc)
	}
	return ctx
}

// markHandled counts a request that reached ServeHTTP on its connection.
func markHandled(ctx context.Context) {
	if tc, ok := ctx.Value(connKey{}).(*trackedConn); ok {
		tc.handled.Add(1)
		tc.unanswer.Store(0)
	}
}

// reject counts and logs a request net/http refused itself.
func (s *Server) reject(reason string, remote net.Addr) {
	s.metrics.reject(reason)
	s.log.Warn("request rejected before the handler", "reason", reason, "remote", remote.String())
}
