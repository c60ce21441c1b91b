module example.com/shop/services/search

go 1.22

require (
	github.com/cenkalti/backoff/v4 v4.3.0
	github.com/google/uuid v1.6.0
	github.com/shop/legacy-client v1.4.0
	golang.org/x/exp v0.0.0-20240506185415-9bf2ced13842
	google.golang.org/grpc v1.64.0
)

require golang.org/x/net v0.24.0 // indirect

replace github.com/shop/legacy-client => github.com/shop-forks/legacy-client v1.4.1
