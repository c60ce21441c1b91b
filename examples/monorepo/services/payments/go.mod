module example.com/shop/services/payments

go 1.22

require (
	github.com/cenkalti/backoff/v5 v5.0.2
	github.com/google/uuid v1.6.0
	github.com/stretchr/testify v1.9.0
	github.com/stripe/stripe-go/v76 v76.0.0
)

// The fork carries a retry fix; tracked in PAY-311.
replace github.com/stripe/stripe-go/v76 => github.com/shop-forks/stripe-go/v76 v76.0.1
