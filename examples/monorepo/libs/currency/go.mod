module example.com/shop/libs/currency

go 1.22

// Formatting needs money.Amount, and money needs currency codes: a cycle.
require example.com/shop/libs/money v0.0.0-00010101000000-000000000000

replace example.com/shop/libs/money => ../money
