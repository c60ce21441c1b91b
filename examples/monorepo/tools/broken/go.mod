module example.com/shop/tools/broken

go 1.22

// A version without the leading v: Go rejects this file.
require golang.org/x/tools 0.21.0
