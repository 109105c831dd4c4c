// libtorch's thread count and live-tensor counts are process-wide: tests here run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
