package augment

// jsonMeta remembers how a transform looked in the JSON it was loaded
// from, so that saving it again writes the same bytes.
type jsonMeta struct{}
