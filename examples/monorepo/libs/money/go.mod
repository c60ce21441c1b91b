module example.com/shop/libs/money

go 1.22

require github.com/stretchr/testify v1.9.0 // modguard:ignore banned-module testify is not banned; this note is stale
