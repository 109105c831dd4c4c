// Live-tensor counts and libtorch's thread count are process-wide: a test running beside another would
// see its tensors come and go, and trainers and checkpoints use the global generator. Tests here run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
