module example.com/shop/tools/codegen

go 1.22

// modguard:ignore version-divergence codegen pins uuid for reproducible output until=2024-06-30
require github.com/google/uuid v1.4.0
