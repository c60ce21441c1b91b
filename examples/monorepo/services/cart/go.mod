module example.com/shop/services/cart

go 1.22

require (
	example.com/shop/libs/money v0.0.0-00010101000000-000000000000
	github.com/google/uuid v1.6.0
	github.com/stretchr/testify v1.9.0
	google.golang.org/grpc v1.62.0
)

require (
	golang.org/x/net v0.24.0 // indirect
	google.golang.org/protobuf v1.34.1 // indirect
)

replace example.com/shop/libs/money => ../../libs/money
