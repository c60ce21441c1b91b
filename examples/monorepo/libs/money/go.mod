module example.com/shop/libs/money

go 1.22

require (
	example.com/shop/libs/currency v0.0.0-00010101000000-000000000000
	github.com/stretchr/testify v1.9.0 // modguard:ignore banned-module testify is not banned; this note is stale
)

replace example.com/shop/libs/currency => ../currency
