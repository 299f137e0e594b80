package npy

import "fmt"

// parseDict parses the header dict the way numpy's reader takes it (a
// Python literal checked by _read_array_header): exactly the keys 'descr'
// (a string; the list of a structured dtype is refused), 'fortran_order'
// (True or False) and 'shape' (a tuple of non-negative ints, Python 2's
// "L" suffix allowed), in any order, with Python's whitespace and an
// optional trailing comma. Duplicate keys, which Python would let the last
// one win, are refused.
func parseDict(s string, maxElems int) (Header, error) {
	p := &dictParser{s: s}
	var h Header
	seen := map[string]bool{}
	p.space()
	if !p.eat('{') {
		return h, p.fail("want '{'")
	}
	for p.space(); !p.eat('}'); p.space() {
		key, ok := p.str()
		if !ok {
			return h, p.fail("want a quoted key or '}'")
		}
		if seen[key] {
			return h, fmt.Errorf("key %q appears twice", key)
		}
		seen[key] = true
		if p.space(); !p.eat(':') {
			return h, p.fail("want ':' after '" + key + "'")
		}
		p.space()
		var err error
		switch key {
		case "descr":
			if h.Descr, ok = p.str(); !ok && p.eat('[') {
				err = p.fail("'descr' is a list: structured dtypes are not supported")
			} else if !ok {
				err = p.fail("'descr' is not a plain quoted string")
			}
		case "fortran_order":
			switch {
			case p.word("True"):
				h.Fortran = true
			case !p.word("False"):
				err = p.fail("'fortran_order' is not True or False")
			}
		case "shape":
			h.Shape, err = p.shape(maxElems)
		default:
			err = fmt.Errorf("unexpected key %q (want 'descr', 'fortran_order' and 'shape')", key)
		}
		if err != nil {
			return h, err
		}
		if p.space(); !p.eat(',') {
			if p.space(); !p.eat('}') {
				return h, p.fail("want ',' or '}'")
			}
			break
		}
	}
	if p.space(); p.i != len(s) {
		return h, p.fail("want the end of the header")
	}
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return h, fmt.Errorf("no %q key", k)
		}
	}
	return h, nil
}

type dictParser struct {
	s string
	i int
}

// fail reports a syntax error at the current position.
func (p *dictParser) fail(want string) error {
	rest := p.s[p.i:]
	if len(rest) > 20 {
		rest = rest[:20] + "..."
	}
	return fmt.Errorf("%s at byte %d (%q)", want, p.i, rest)
}

// space skips Python whitespace, newlines included (the dict is inside
// braces, where Python joins lines).
func (p *dictParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r' || p.s[p.i] == '\f') {
		p.i++
	}
}

func (p *dictParser) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// word consumes w if it is the next token (not the start of a longer name).
func (p *dictParser) word(w string) bool {
	j := p.i + len(w)
	if j > len(p.s) || p.s[p.i:j] != w || j < len(p.s) && isNameByte(p.s[j]) {
		return false
	}
	p.i = j
	return true
}

func isNameByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// str consumes a quoted string without escapes (no dtype string has one).
func (p *dictParser) str() (string, bool) {
	if p.i >= len(p.s) || p.s[p.i] != '\'' && p.s[p.i] != '"' {
		return "", false
	}
	q := p.s[p.i]
	for j := p.i + 1; j < len(p.s); j++ {
		switch p.s[j] {
		case q:
			v := p.s[p.i+1 : j]
			p.i = j + 1
			return v, true
		case '\\', '\n':
			return "", false
		}
	}
	return "", false
}

// shape consumes a tuple of dimensions and checks it against maxElems.
func (p *dictParser) shape(maxElems int) ([]int, error) {
	if !p.eat('(') {
		return nil, p.fail("'shape' is not a tuple")
	}
	dims := []int{}
	comma := false
	for p.space(); !p.eat(')'); p.space() {
		if len(dims) == MaxDims {
			return nil, fmt.Errorf("'shape' has more than %d dimensions", MaxDims)
		}
		d, err := p.dim(maxElems)
		if err != nil {
			return nil, err
		}
		dims = append(dims, d)
		if p.space(); !p.eat(',') {
			if p.space(); !p.eat(')') {
				return nil, p.fail("want ',' or ')' in 'shape'")
			}
			break
		}
		comma = true
	}
	if len(dims) == 1 && !comma {
		// (5) is the int 5 in Python, and numpy refuses it.
		return nil, fmt.Errorf("'shape' (%d) is not a tuple", dims[0])
	}
	// The nonzero dimensions alone must fit, so that an empty array
	// cannot declare absurd ones either, whatever their order.
	n, over := 1, maxElems < 1
	for _, d := range dims {
		if over = over || d != 0 && n > maxElems/d; over {
			break
		}
		n *= max(d, 1)
	}
	if over {
		return nil, fmt.Errorf("'shape' %v is too large: over %d elements", dims, maxElems)
	}
	return dims, nil
}

// dim consumes one non-negative decimal dimension of at most maxElems.
func (p *dictParser) dim(maxElems int) (int, error) {
	start := p.i
	neg := p.eat('-')
	d, digits, over := 0, 0, false
	for ; p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9'; p.i++ {
		c := int(p.s[p.i] - '0')
		// Stop growing once over the limit: no overflow.
		if over = over || c > maxElems || d > (maxElems-c)/10; !over {
			d = 10*d + c
		}
		digits++
	}
	if digits == 0 {
		p.i = start
		return 0, p.fail("want a dimension in 'shape'")
	}
	if p.i < len(p.s) && (p.s[p.i] == 'L' || p.s[p.i] == 'l') {
		p.i++ // Python 2 long, which numpy's _filter_header drops
	}
	switch {
	case neg && d != 0:
		return 0, fmt.Errorf("'shape' dimension %s is negative", p.s[start:p.i])
	case over:
		return 0, fmt.Errorf("'shape' dimension %s is too large: over %d elements", p.s[start:p.i], maxElems)
	}
	return d, nil
}
