// The tests share one lab and one broker: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
