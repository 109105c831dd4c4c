// Live-tensor counts and libtorch's thread count are process-wide: a test running beside another would
// see its tensors come and go, and parity results depend on the thread count. Tests here run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
