using AutoNet.Models.Genotypes;

namespace AutoNet.Models.Tests.Genotypes;

public sealed class GenotypeTests
{
    private static CellGenotype Cell(params (string Op, int Input)[] inputs) => PublishedGenotypes.Cell(inputs);

    [Fact]
    public void Json_round_trips_every_published_genotype()
    {
        foreach (var (name, genotype) in PublishedGenotypes.ByName)
        {
            var back = Genotype.FromJson(genotype.ToJson());
            Assert.True(genotype.Equals(back), name);
            Assert.Equal(genotype.Hash, back.Hash);
        }
    }

    [Fact]
    public void Json_is_human_readable_with_named_fields()
    {
        var json = PublishedGenotypes.DartsV2.ToJson();
        Assert.Contains("\"normal\": {", json, StringComparison.Ordinal);
        Assert.Contains("\"op\": \"sep_conv_3x3\"", json, StringComparison.Ordinal);
        Assert.Contains("\"input\": 0", json, StringComparison.Ordinal);
        Assert.Contains("\"concat\": [", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_is_sha256_hex_of_the_canonical_json()
    {
        var genotype = PublishedGenotypes.DartsV2;
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(genotype.ToCanonicalJson())));
        Assert.Equal(expected, genotype.Hash);
        Assert.Equal(64, genotype.Hash.Length);
    }

    [Fact]
    public void Swapping_the_two_inputs_of_a_block_keeps_the_hash()
    {
        var a = new Genotype(Cell(("sep_conv_3x3", 0), ("skip_connect", 1), ("max_pool_3x3", 2), ("sep_conv_5x5", 0)), Cell(("max_pool_3x3", 0), ("avg_pool_3x3", 1)));
        var b = new Genotype(Cell(("skip_connect", 1), ("sep_conv_3x3", 0), ("sep_conv_5x5", 0), ("max_pool_3x3", 2)), Cell(("avg_pool_3x3", 1), ("max_pool_3x3", 0)));
        Assert.False(a.Equals(b));
        Assert.Equal(a.Hash, b.Hash);
    }

    [Fact]
    public void Reordering_independent_blocks_keeps_the_hash()
    {
        // Blocks 0 and 1 read only the cell inputs; block 2 reads block 0. Swapping blocks 0 and 1 renumbers block 2's input.
        var reduction = Cell(("max_pool_3x3", 0), ("avg_pool_3x3", 1));
        var a = new Genotype(Cell(("sep_conv_3x3", 0), ("sep_conv_3x3", 1), ("skip_connect", 0), ("dil_conv_3x3", 1), ("sep_conv_5x5", 2), ("none", 1)), reduction);
        var b = new Genotype(Cell(("skip_connect", 0), ("dil_conv_3x3", 1), ("sep_conv_3x3", 0), ("sep_conv_3x3", 1), ("sep_conv_5x5", 3), ("none", 1)), reduction);
        Assert.Equal(a.Hash, b.Hash);
        Assert.Equal(a.ToCanonicalJson(), b.ToCanonicalJson());
    }

    [Fact]
    public void Different_architectures_hash_differently()
    {
        var hashes = PublishedGenotypes.ByName.Values.Select(g => g.Hash).ToList();
        Assert.Equal(hashes.Count, hashes.Distinct().Count());
        var reduction = Cell(("max_pool_3x3", 0), ("avg_pool_3x3", 1));
        var a = new Genotype(Cell(("sep_conv_3x3", 0), ("sep_conv_3x3", 1)), reduction);
        var b = new Genotype(Cell(("sep_conv_3x3", 0), ("sep_conv_5x5", 1)), reduction);
        var c = new Genotype(Cell(("sep_conv_3x3", 0), ("sep_conv_3x3", 0)), reduction);

        // Same cells swapped between normal and reduction are a different network.
        var d = new Genotype(reduction, Cell(("sep_conv_3x3", 0), ("sep_conv_3x3", 1)));
        Assert.Equal(4, new[] { a.Hash, b.Hash, c.Hash, d.Hash }.Distinct().Count());
    }

    [Fact]
    public void Explicit_concat_equal_to_the_unused_rule_hashes_like_the_implicit_one()
    {
        var reduction = Cell(("max_pool_3x3", 0), ("avg_pool_3x3", 1));
        var implicitConcat = new Genotype(Cell(("sep_conv_3x3", 0), ("sep_conv_3x3", 1), ("skip_connect", 2), ("sep_conv_5x5", 1), ("skip_connect", 0), ("avg_pool_3x3", 1)), reduction);
        var explicitConcat = new Genotype(
            PublishedGenotypes.Cell([("sep_conv_3x3", 0), ("sep_conv_3x3", 1), ("skip_connect", 2), ("sep_conv_5x5", 1), ("skip_connect", 0), ("avg_pool_3x3", 1)], [4, 3]),
            reduction);
        Assert.Equal([3, 4], implicitConcat.Normal.OutputStates);
        Assert.Equal(implicitConcat.Hash, explicitConcat.Hash);
    }

    [Fact]
    public void Unused_block_outputs_are_the_cell_output_and_the_last_block_always_is_one()
    {
        // Every block but the last is read by a later one: only the last is concatenated.
        var chain = Cell(("sep_conv_3x3", 0), ("skip_connect", 1), ("sep_conv_3x3", 2), ("skip_connect", 1), ("sep_conv_3x3", 3), ("skip_connect", 2));
        Assert.Equal([4], chain.OutputStates);
        Assert.Equal(1, chain.Multiplier);
        Assert.Null(chain.Concat);

        var wide = Cell(("sep_conv_3x3", 0), ("skip_connect", 1), ("sep_conv_3x3", 0), ("skip_connect", 1));
        Assert.Equal([2, 3], wide.OutputStates);
    }

    [Fact]
    public void An_unknown_op_is_named_with_its_block_and_path()
    {
        var json = """{"normal": {"blocks": [[{"op": "sep_conv_3x3", "input": 0}, {"op": "sep_conv_9x9", "input": 1}]]}, "reduction": {"blocks": [[["max_pool_3x3", 0], ["max_pool_3x3", 1]]]}}""";
        var e = Assert.Throws<GenotypeException>(() => Genotype.FromJson(json, "arch.json"));
        Assert.Equal("arch.json: $.normal.blocks[0][1].op", e.Path);
        Assert.Contains("'sep_conv_9x9'", e.Message, StringComparison.Ordinal);
        Assert.Contains("block 0, second input", e.Message, StringComparison.Ordinal);
        Assert.Contains("sep_conv_3x3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_input_out_of_range_names_the_block_and_the_allowed_states()
    {
        var e = Assert.Throws<GenotypeException>(() => Cell(("sep_conv_3x3", 0), ("skip_connect", 1), ("sep_conv_3x3", 0), ("skip_connect", 4)));
        Assert.Equal("blocks[1][1].input", e.Path);
        Assert.Contains("block 1 (state 3)", e.Message, StringComparison.Ordinal);
        Assert.Contains("state 4 is out of range", e.Message, StringComparison.Ordinal);
        Assert.Contains("0..2", e.Message, StringComparison.Ordinal);
        Assert.Throws<GenotypeException>(() => Cell(("sep_conv_3x3", -1), ("skip_connect", 1)));
    }

    [Fact]
    public void Bad_json_shapes_are_named_by_path()
    {
        Assert.Equal("$", Assert.Throws<GenotypeException>(() => Genotype.FromJson("{ not json")).Path);
        Assert.Equal("$", Assert.Throws<GenotypeException>(() => Genotype.FromJson("""{"normal": {"blocks": [[["none", 0], ["none", 1]]]}}""")).Path);
        Assert.Equal("$.reduce", Assert.Throws<GenotypeException>(() => Genotype.FromJson("""{"normal": {"blocks": []}, "reduce": {}}""")).Path);
        Assert.Equal("$.normal.blocks", Assert.Throws<GenotypeException>(() => Genotype.FromJson("""{"normal": {"blocks": []}, "reduction": {"blocks": []}}""")).Path);
        Assert.Equal("$.normal.blocks[0]", Assert.Throws<GenotypeException>(() => Genotype.FromJson("""{"normal": {"blocks": [[["none", 0]]]}, "reduction": {"blocks": []}}""")).Path);
        Assert.Equal("$.normal.blocks[0][0].input", Assert.Throws<GenotypeException>(() => Genotype.FromJson("""{"normal": {"blocks": [[{"op": "none", "input": "0"}, ["none", 1]]]}, "reduction": {"blocks": []}}""")).Path);
        Assert.Equal("$.normal.concat[1]", Assert.Throws<GenotypeException>(() => Genotype.FromJson("""{"normal": {"blocks": [[["none", 0], ["none", 1]]], "concat": [2, 2]}, "reduction": {"blocks": [[["none", 0], ["none", 1]]]}}""")).Path);
        Assert.Equal("$.normal.concat[0]", Assert.Throws<GenotypeException>(() => Genotype.FromJson("""{"normal": {"blocks": [[["none", 0], ["none", 1]]], "concat": [1]}, "reduction": {"blocks": [[["none", 0], ["none", 1]]]}}""")).Path);
    }

    [Fact]
    public void Every_op_name_in_the_published_genotypes_is_known()
    {
        Assert.Equal(8, OpNames.Darts.Count);
        foreach (var genotype in PublishedGenotypes.ByName.Values)
        {
            foreach (var block in genotype.Normal.Blocks.Concat(genotype.Reduction.Blocks))
            {
                Assert.True(OpNames.IsKnown(block.First.Op) && OpNames.IsKnown(block.Second.Op));
            }
        }
    }

    [Fact]
    public void Darts_flat_form_in_json_reads_like_the_object_form()
    {
        var flat = """{"normal": {"blocks": [[["sep_conv_3x3", 0], ["skip_connect", 1]]]}, "reduction": {"blocks": [[["max_pool_3x3", 0], ["max_pool_3x3", 1]]], "concat": [2]}}""";
        var genotype = Genotype.FromJson(flat);
        Assert.Equal(new BlockInput(1, "skip_connect"), genotype.Normal.Blocks[0].Second);
        Assert.Equal(genotype, Genotype.FromJson(genotype.ToJson()));
    }

    private sealed record Trial(string Name, Genotype Genotype, AutoNet.Models.Cells.CellNetworkSettings Settings, AutoNet.Models.MacroCnn.MacroCnnConfig Macro);

    [Fact]
    public void Genotypes_and_settings_serialise_inside_other_documents()
    {
        var trial = new Trial("t", PublishedGenotypes.AmoebaNetA, new AutoNet.Models.Cells.CellNetworkSettings(InitialChannels: 20),
            new AutoNet.Models.MacroCnn.MacroCnnConfig(1, 10, [new(8, 2, 5, true)], AutoNet.Models.MacroCnn.MacroCnnDownsampling.StridedConv));
        var json = System.Text.Json.JsonSerializer.Serialize(trial);
        Assert.Contains("\"Downsampling\":\"StridedConv\"", json, StringComparison.Ordinal);
        var back = System.Text.Json.JsonSerializer.Deserialize<Trial>(json)!;
        Assert.Equal(trial.Genotype, back.Genotype);
        Assert.Equal(trial.Settings, back.Settings);
        Assert.Equal(trial.Macro.Stages, back.Macro.Stages);
        Assert.Equal(trial.Macro.Downsampling, back.Macro.Downsampling);
        var bad = json.Replace("conv_7x1_1x7", "conv_9x1", StringComparison.Ordinal);
        Assert.Throws<GenotypeException>(() => System.Text.Json.JsonSerializer.Deserialize<Trial>(bad));
    }

    [Fact]
    public void Identical_blocks_used_differently_hash_the_same_whichever_is_read()
    {
        // Blocks 0 and 1 compute the same thing; block 2 reads one of them, the other is concatenated.
        var reduction = Cell(("max_pool_3x3", 0), ("avg_pool_3x3", 1));
        var readsFirst = new Genotype(Cell(("sep_conv_3x3", 0), ("sep_conv_3x3", 1), ("sep_conv_3x3", 0), ("sep_conv_3x3", 1), ("skip_connect", 2), ("max_pool_3x3", 1)), reduction);
        var readsSecond = new Genotype(Cell(("sep_conv_3x3", 0), ("sep_conv_3x3", 1), ("sep_conv_3x3", 0), ("sep_conv_3x3", 1), ("skip_connect", 3), ("max_pool_3x3", 1)), reduction);
        Assert.Equal([3, 4], readsFirst.Normal.OutputStates);
        Assert.Equal([2, 4], readsSecond.Normal.OutputStates);
        Assert.Equal(readsFirst.Hash, readsSecond.Hash);
    }

    [Fact]
    public void Canonical_form_is_a_fixed_point_and_keeps_the_architecture_valid()
    {
        foreach (var genotype in PublishedGenotypes.ByName.Values)
        {
            var canonical = genotype.Canonicalize();
            Assert.Equal(canonical, canonical.Canonicalize());
            Assert.Equal(genotype.Hash, canonical.Hash);
            Assert.Equal(genotype.Normal.Multiplier, canonical.Normal.Multiplier);
            Assert.Equal(genotype.Reduction.Multiplier, canonical.Reduction.Multiplier);
        }
    }

    [Fact]
    public void Random_cells_keep_their_hash_under_any_valid_renumbering_and_input_swap()
    {
        var random = new Random(7);
        var reduction = Cell(("max_pool_3x3", 0), ("avg_pool_3x3", 1));
        for (var trial = 0; trial < 200; trial++)
        {
            var count = random.Next(1, 7);
            var blocks = new List<CellBlock>();
            for (var k = 0; k < count; k++)
            {
                BlockInput Pick() => new(random.Next(0, k + 2), OpNames.Darts[random.Next(OpNames.Darts.Count)]);
                blocks.Add(new CellBlock(Pick(), Pick()));
            }

            var original = new Genotype(new CellGenotype(blocks), reduction);

            // A random topological order: repeatedly take any block whose inputs are all placed.
            var placed = new List<int>();
            while (placed.Count < count)
            {
                var ready = Enumerable.Range(0, count).Where(k => !placed.Contains(k) &&
                    new[] { blocks[k].First.Input, blocks[k].Second.Input }.All(s => s < 2 || placed.Contains(s - 2))).ToList();
                placed.Add(ready[random.Next(ready.Count)]);
            }

            int Renumber(int state) => state < 2 ? state : placed.IndexOf(state - 2) + 2;
            var shuffled = placed.Select(k =>
            {
                var first = blocks[k].First with { Input = Renumber(blocks[k].First.Input) };
                var second = blocks[k].Second with { Input = Renumber(blocks[k].Second.Input) };
                return random.Next(2) == 0 ? new CellBlock(first, second) : new CellBlock(second, first);
            });
            var relabelled = new Genotype(new CellGenotype(shuffled), reduction);
            Assert.True(original.Hash == relabelled.Hash, $"trial {trial}: {original.Normal} vs {relabelled.Normal}");
        }
    }

    [Fact]
    public void Canonical_json_format_is_pinned_because_stored_hashes_depend_on_it()
    {
        // Changing this format changes every genotype hash already stored in experiment databases.
        var genotype = new Genotype(Cell(("skip_connect", 1), ("sep_conv_3x3", 0)), PublishedGenotypes.Cell([("max_pool_3x3", 1), ("max_pool_3x3", 0)], [2]));
        const string expected = """{"normal":{"blocks":[[{"op":"sep_conv_3x3","input":0},{"op":"skip_connect","input":1}]],"concat":[2]},"reduction":{"blocks":[[{"op":"max_pool_3x3","input":0},{"op":"max_pool_3x3","input":1}]],"concat":[2]}}""";
        Assert.Equal(expected, genotype.ToCanonicalJson());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(expected))), genotype.Hash);
    }
}
