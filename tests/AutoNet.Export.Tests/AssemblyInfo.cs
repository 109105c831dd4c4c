// libtorch's thread count and RNG are process-wide: tests here run one at a time so seeded models stay reproducible.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
