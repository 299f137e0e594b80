package maskcls

import (
	"errors"
	"testing"
	"unicode/utf8"
)

// FuzzParseCSV checks that the CSV reader never panics, that every error
// wraps ErrCSV, and that rows come back in increasing line order with valid
// UTF-8 fields unless the row reports an error.
func FuzzParseCSV(f *testing.F) {
	f.Add([]byte("id,gender,race,age,path\n000001,female,Asian,45,000001_female_Asian_45\n"))
	f.Add([]byte("\xef\xbb\xbfid,gender,race,age,path\r\n000001,female,Asian,45,\"000001_female_Asian_45\"\r\n"))
	f.Add([]byte("x,path,age,race,gender,id\n\n\"a\nb\",p,1,r,male,7\n"))
	f.Add([]byte("id,gender,race,age,path\n1,male,\xff,3,p\n1,male\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := parseCSV("train.csv", data, trainColumns...)
		if err != nil {
			var p *Problem
			if !errors.Is(err, ErrCSV) || !errors.As(err, &p) {
				t.Fatalf("error %v is not a *Problem wrapping ErrCSV", err)
			}
			return
		}
		last := 0
		for _, row := range tab.rows {
			if row.line <= last {
				t.Fatalf("row on line %d after line %d", row.line, last)
			}
			last = row.line
			if row.err != nil {
				if !errors.Is(row.err, ErrCSV) && !errors.Is(row.err, ErrEncoding) {
					t.Fatalf("row error %v wraps neither ErrCSV nor ErrEncoding", row.err)
				}
				continue
			}
			if len(row.fields) != len(trainColumns) {
				t.Fatalf("row has %d fields", len(row.fields))
			}
			for _, s := range row.fields {
				if !utf8.ValidString(s) {
					t.Fatalf("field %q is not UTF-8 and the row has no error", s)
				}
			}
		}
	})
}

// FuzzParseFolderName checks that a folder name that parses prints back to
// a name that parses to the same fields, and that errors wrap ErrFolderName.
func FuzzParseFolderName(f *testing.F) {
	for _, s := range []string{"000001_female_Asian_45", "006959_male_Asian_19", "1_MALE_Asian_Korean_7",
		"000001_female_Asian_", "_male_Asian_3", "1_male__3", "1_male_Asian_045", "1_male_Asian_\xff", "1__2_3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		fn, err := ParseFolderName(name)
		if err != nil {
			if !errors.Is(err, ErrFolderName) {
				t.Fatalf("ParseFolderName(%q): error %v does not wrap ErrFolderName", name, err)
			}
			return
		}
		if fn.Age < 0 || fn.Age > maxAge || fn.Gender > Female || fn.ID == "" || fn.Race == "" {
			t.Fatalf("ParseFolderName(%q) = %+v", name, fn)
		}
		again, err := ParseFolderName(fn.String())
		if err != nil || again != fn {
			t.Fatalf("ParseFolderName(%q) = %+v; its String %q parses to %+v, %v", name, fn, fn.String(), again, err)
		}
	})
}
