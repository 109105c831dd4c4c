// The load test measures scheduling overhead and the training test sets libtorch's process-wide thread count:
// tests here run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
