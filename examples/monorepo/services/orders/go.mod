module example.com/shop/services/orders

go 1.21

require (
	github.com/google/uuid v1.5.0
	github.com/pkg/errors v0.9.1
	golang.org/x/exp v0.0.0-20240409090435-93d18d7e34b8
	google.golang.org/grpc v1.64.0
)

require golang.org/x/net v0.24.0 // indirect
