package maskcls

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxAge is the largest age in years the reader accepts; anything above is
// taken for a typo.
const maxAge = 150

// FolderName is what a person's folder name says: <id>_<gender>_<race>_<age>,
// for example 000001_female_Asian_45.
type FolderName struct {
	ID     string
	Gender Gender
	Race   string
	Age    int
}

// String returns the canonical folder name, with the gender in lower case.
func (f FolderName) String() string {
	return fmt.Sprintf("%s_%s_%s_%d", f.ID, f.Gender, f.Race, f.Age)
}

// ParseFolderName parses a person's folder name <id>_<gender>_<race>_<age>.
// The baseline splits the name on "_" and wants exactly four fields; here the
// id is the first field, the gender the second (male or female, any case),
// the age the last (decimal digits only), and the race everything between,
// so a race with underscores in it (Asian_Korean) is kept whole. The id and
// race must not be empty; the name must be valid UTF-8. Errors wrap
// ErrFolderName, and ErrGender, ErrAge or ErrEncoding where that is the cause.
func ParseFolderName(name string) (FolderName, error) {
	if !utf8.ValidString(name) {
		return FolderName{}, fmt.Errorf("folder name %q: %w: %w", name, ErrFolderName, ErrEncoding)
	}
	parts := strings.Split(name, "_")
	if len(parts) < 4 {
		return FolderName{}, fmt.Errorf("folder name %q is not <id>_<gender>_<race>_<age>: %w", name, ErrFolderName)
	}
	id, race := parts[0], strings.Join(parts[2:len(parts)-1], "_")
	if id == "" || race == "" {
		return FolderName{}, fmt.Errorf("folder name %q has an empty id or race: %w", name, ErrFolderName)
	}
	g, err := parseGender(parts[1])
	if err != nil {
		return FolderName{}, fmt.Errorf("folder name %q: %w: %w", name, ErrFolderName, err)
	}
	age, err := parseAge(parts[len(parts)-1])
	if err != nil {
		return FolderName{}, fmt.Errorf("folder name %q: %w: %w", name, ErrFolderName, err)
	}
	return FolderName{ID: id, Gender: g, Race: race, Age: age}, nil
}

// parseAge parses an age in whole years: decimal digits only (the baseline's
// int() would also take signs, spaces and underscores, which no real file
// has), at most maxAge. Errors wrap ErrAge.
func parseAge(s string) (int, error) {
	if s == "" || len(s) > 3 {
		return 0, fmt.Errorf("age %q is not a whole number of years in [0, %d]: %w", s, maxAge, ErrAge)
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("age %q is not a whole number of years in [0, %d]: %w", s, maxAge, ErrAge)
		}
		n = 10*n + int(c-'0')
	}
	if n > maxAge {
		return 0, fmt.Errorf("age %q is not a whole number of years in [0, %d]: %w", s, maxAge, ErrAge)
	}
	return n, nil
}

// parseGender is ParseGender with an error that wraps ErrGender and ErrLabel.
func parseGender(s string) (Gender, error) {
	g, err := ParseGender(s)
	if err != nil {
		return 0, fmt.Errorf("gender %q is neither male nor female: %w: %w", s, ErrGender, ErrLabel)
	}
	return g, nil
}
