using System.Numerics;
using AutoNet.Search.Spaces;

namespace AutoNet.Search.Tests.Spaces;

public sealed class SearchGridTests
{
    [Fact]
    public void The_count_follows_the_conditions_and_equals_the_points_enumerated()
    {
        var space = TestSpaces.Parse(TestSpaces.Conditional);

        var points = SearchGrid.Enumerate(space).ToList();

        // depth 1: 1 point, depth 2-3: wide × 2; optimizer adamw: 1, sgd: momentum 0.9 (1) + 0.95 (nesterov × 2) = 3; batch 4.
        var expected = (1 + (2 * 2)) * (1 + 3) * 4;
        Assert.Equal(new BigInteger(expected), SearchGrid.Count(space).Count);
        Assert.Equal(expected, points.Count);
        Assert.Equal(expected, points.Select(p => p.Hash).Distinct().Count());
        Assert.All(points, p => Assert.Empty(space.Check(p)));
    }

    [Fact]
    public void Points_come_in_a_stable_order_with_the_last_decision_fastest()
    {
        var space = TestSpaces.Parse(TestSpaces.Conditional);

        var points = SearchGrid.Enumerate(space).Take(5).Select(p => p.ToJson(indented: false)).ToArray();

        Assert.Equal(
            [
                "{\"arch/depth\":1,\"hp/optimizer\":\"sgd\",\"hp/momentum\":0.9,\"hp/batch_size\":32}",
                "{\"arch/depth\":1,\"hp/optimizer\":\"sgd\",\"hp/momentum\":0.9,\"hp/batch_size\":64}",
                "{\"arch/depth\":1,\"hp/optimizer\":\"sgd\",\"hp/momentum\":0.9,\"hp/batch_size\":96}",
                "{\"arch/depth\":1,\"hp/optimizer\":\"sgd\",\"hp/momentum\":0.9,\"hp/batch_size\":128}",
                "{\"arch/depth\":1,\"hp/optimizer\":\"sgd\",\"hp/momentum\":0.95,\"hp/nesterov\":false,\"hp/batch_size\":32}",
            ],
            points);
        Assert.Equal(SearchGrid.Enumerate(space).Select(p => p.Hash), SearchGrid.Enumerate(space).Select(p => p.Hash));
    }

    [Fact]
    public void A_space_with_a_continuous_decision_is_infinite_and_refused()
    {
        var space = TestSpaces.Shipped("darts");

        var size = SearchGrid.Count(space);
        var error = Assert.Throws<InvalidOperationException>(() => SearchGrid.Enumerate(space));

        Assert.False(size.IsFinite);
        Assert.Contains("continuous", size.InfiniteBecause, StringComparison.Ordinal);
        Assert.Contains("cannot be enumerated as a grid", error.Message, StringComparison.Ordinal);
        Assert.Contains("hp/momentum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_space_too_big_for_the_limit_is_refused_with_its_size()
    {
        var space = TestSpaces.Parse("""
            {"name": "cells-only", "kind": "cell", "cell": {"blocks": 4, "ops": ["none", "skip_connect", "sep_conv_3x3"]}, "hyperparameters": {}}
            """);

        var size = SearchGrid.Count(space);
        var error = Assert.Throws<InvalidOperationException>(() => SearchGrid.Enumerate(space, limit: 1000));

        // Per cell: blocks 0..3 have 2, 3, 4, 5 inputs, each of the two slots × 3 ops.
        var perCell = BigInteger.Pow(2 * 3, 2) * BigInteger.Pow(3 * 3, 2) * BigInteger.Pow(4 * 3, 2) * BigInteger.Pow(5 * 3, 2);
        Assert.Equal(perCell * perCell, size.Count);
        Assert.Contains("more than the grid limit of 1,000", error.Message, StringComparison.Ordinal);
        Assert.Contains((perCell * perCell).ToString("N0", null), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_one_block_cell_enumerates_every_input_and_op_pair()
    {
        var space = TestSpaces.Parse("""
            {"name": "tiny", "kind": "transfer", "cell": {"blocks": 1, "ops": ["none", "skip_connect"], "cells": ["normal"]}, "hyperparameters": {}}
            """);

        var points = SearchGrid.Enumerate(space).ToList();

        Assert.Equal(16, points.Count);
        Assert.Equal("{\"normal/block0/input0\":0,\"normal/block0/op0\":\"none\",\"normal/block0/input1\":0,\"normal/block0/op1\":\"none\"}", points[0].ToJson(indented: false));
        Assert.Equal("{\"normal/block0/input0\":1,\"normal/block0/op0\":\"skip_connect\",\"normal/block0/input1\":1,\"normal/block0/op1\":\"skip_connect\"}", points[^1].ToJson(indented: false));
    }
}
