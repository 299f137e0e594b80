package maskcls

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// csvTable is a CSV file read by column name: the header row names the
// columns, extra columns are ignored, and each row remembers its line.
type csvTable struct {
	cols []int // index in a record of each wanted column
	rows []csvRow
}

// csvRow is one data row: the wanted fields, in the order they were asked
// for, and the 1-based line the row starts on. err is set when the row
// itself is bad: a wrong number of fields (fields is nil then), or a wanted
// field that is not UTF-8 (fields are kept, so that the caller can still
// tell which folder the row meant). It wraps ErrCSV or ErrEncoding.
type csvRow struct {
	line   int
	fields []string
	err    error
}

// utf8BOM is the byte order mark that Excel and pandas' utf-8-sig put first.
const utf8BOM = "\xef\xbb\xbf"

// parseCSV reads a CSV file's bytes and returns the wanted columns of every
// row. It accepts what pandas' read_csv accepts from a well-formed file: a
// UTF-8 byte order mark, CRLF or LF line ends, quoted fields (with commas,
// quotes and newlines inside), columns in any order, extra columns, and
// blank lines, which are skipped. Header names are matched after trimming
// spaces. Syntax errors and a header without a wanted column end the read
// with an error wrapping ErrCSV that names file and line. A row with more
// or fewer fields than the header (pandas would pad a short one with NaN),
// or with a wanted field that is not valid UTF-8, comes back with err set,
// so that the caller can report it as the row's problem.
func parseCSV(file string, data []byte, want ...string) (*csvTable, error) {
	data = bytes.TrimPrefix(data, []byte(utf8BOM))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1 // checked here, with a better message
	header, err := r.Read()
	if err == io.EOF {
		return nil, &Problem{File: file, Err: fmt.Errorf("empty file, want header %s: %w", strings.Join(want, ","), ErrCSV)}
	}
	if err != nil {
		return nil, csvSyntax(file, err)
	}
	headerLine, _ := r.FieldPos(0)
	t := &csvTable{cols: make([]int, len(want))}
	for i, name := range want {
		t.cols[i] = -1
		for j, h := range header {
			if strings.TrimSpace(h) != name {
				continue
			}
			if t.cols[i] >= 0 {
				return nil, &Problem{File: file, Line: headerLine, Err: fmt.Errorf("header has column %q twice: %w", name, ErrCSV)}
			}
			t.cols[i] = j
		}
		if t.cols[i] < 0 {
			return nil, &Problem{File: file, Line: headerLine, Err: fmt.Errorf("header %q lacks column %q (want %s): %w",
				strings.Join(header, ","), name, strings.Join(want, ","), ErrCSV)}
		}
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return t, nil
		}
		if err != nil {
			return nil, csvSyntax(file, err)
		}
		line, _ := r.FieldPos(0)
		t.rows = append(t.rows, t.row(file, line, header, rec, want))
	}
}

// csvSyntax wraps an encoding/csv error so that it names the file and
// wraps ErrCSV, as a *Problem.
func csvSyntax(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Problem{File: file, Line: pe.Line, Err: fmt.Errorf("column %d: %v: %w", pe.Column, pe.Err, ErrCSV)}
	}
	return &Problem{File: file, Err: fmt.Errorf("%v: %w", err, ErrCSV)}
}

// row picks the wanted fields of one record, or explains why it cannot.
func (t *csvTable) row(file string, line int, header, rec, want []string) csvRow {
	if len(rec) != len(header) {
		return csvRow{line: line, err: fmt.Errorf("row has %d fields, header has %d: %w", len(rec), len(header), ErrCSV)}
	}
	row := csvRow{line: line, fields: make([]string, len(want))}
	for i, c := range t.cols {
		if !utf8.ValidString(rec[c]) && row.err == nil {
			row.err = fmt.Errorf("column %s = %q: %w", want[i], rec[c], ErrEncoding)
		}
		row.fields[i] = rec[c]
	}
	return row
}
