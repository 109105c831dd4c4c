using AutoNet.Models.Cells;
using AutoNet.Models.Genotypes;
using AutoNet.Models.Backbones;
using AutoNet.Models.MacroCnn;
using AutoNet.Models.Transfer;

namespace AutoNet.Search.Spaces;

/// <summary>
/// Turns a validated sample into what the model layer builds from: a <see cref="Genotype"/> and
/// <see cref="CellNetworkSettings"/> for cell spaces, a <see cref="MacroCnnConfig"/> for macro-cnn;
/// and a published genotype back into cell decisions (to seed a search with DARTS' cells, say).
/// </summary>
public static class SampleConversions
{
    /// <summary>The normal and reduction cells of a cell-space sample; each cell's output concatenates the block outputs the space's <see cref="CellSpace.Concat"/> rule names.</summary>
    public static Genotype ToGenotype(SearchSpace space, SearchSample sample)
    {
        var cell = CellOf(space, sample);
        foreach (var name in CellSpace.KnownCells.Where(c => !cell.Cells.Contains(c)))
        {
            throw new InvalidOperationException($"the space '{space.Name}' searches no {name} cell, so its samples are not full genotypes; use ToCellGenotype");
        }

        return new Genotype(BuildCell(cell, sample, "normal"), BuildCell(cell, sample, "reduction"));
    }

    /// <summary>One cell of a sample (a transfer space's searched head has only a normal cell); throws when the cell is inactive in the sample.</summary>
    public static CellGenotype ToCellGenotype(SearchSpace space, SearchSample sample, string cellName)
    {
        var cell = CellOf(space, sample);
        if (!cell.Cells.Contains(cellName))
        {
            throw new ArgumentException($"the space '{space.Name}' has no {cellName} cell; it has {string.Join(", ", cell.Cells)}", nameof(cellName));
        }

        if (!sample.Contains(CellSpace.OpLabel(cellName, 0, 0)))
        {
            throw new InvalidOperationException($"the {cellName} cell is inactive in this sample: it exists only when {string.Join(" and ", cell.Conditions)}");
        }

        return BuildCell(cell, sample, cellName);
    }

    /// <summary>The cell decisions that describe <paramref name="genotype"/> (blocks as written, not canonicalised); throws when it does not fit the space's cells.</summary>
    public static SearchSample FromGenotype(SearchSpace space, Genotype genotype)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(genotype);
        var cell = space.Cell ?? throw new InvalidOperationException($"the space '{space.Name}' has no cells");
        var entries = new List<KeyValuePair<string, ParameterValue>>();
        foreach (var name in cell.Cells)
        {
            var cellGenotype = name == "normal" ? genotype.Normal : genotype.Reduction;
            if (cellGenotype.Blocks.Count != cell.Blocks)
            {
                throw new ArgumentException($"the {name} cell has {cellGenotype.Blocks.Count} blocks; the space '{space.Name}' has {cell.Blocks}", nameof(genotype));
            }

            for (var block = 0; block < cell.Blocks; block++)
            {
                BlockInput[] inputs = [cellGenotype.Blocks[block].First, cellGenotype.Blocks[block].Second];
                for (var slot = 0; slot < CellSpace.InputsPerBlock; slot++)
                {
                    if (!cell.Ops.Contains(inputs[slot].Op))
                    {
                        throw new ArgumentException($"the {name} cell's block {block} uses '{inputs[slot].Op}', which is not among the ops of the space '{space.Name}' ({string.Join(", ", cell.Ops)})", nameof(genotype));
                    }

                    entries.Add(new(CellSpace.InputLabel(name, block, slot), (long)inputs[slot].Input));
                    entries.Add(new(CellSpace.OpLabel(name, block, slot), inputs[slot].Op));
                }
            }
        }

        return new SearchSample(entries);
    }

    /// <summary>The network around the cells: initial channels, cells per stage and stages from the sample, dropout and drop-path when it has them.</summary>
    public static CellNetworkSettings ToCellNetworkSettings(SearchSpace space, SearchSample sample, int inputChannels, int numClasses)
    {
        Validated(space, sample);
        var settings = new CellNetworkSettings(
            InitialChannels: sample.GetInt32(SpaceLabels.InitChannels),
            CellsPerStage: sample.GetInt32(SpaceLabels.CellsPerStage),
            Stages: sample.GetInt32(SpaceLabels.Stages),
            InputChannels: inputChannels,
            NumClasses: numClasses,
            Dropout: sample.TryGetValue(SpaceLabels.Dropout, out var dropout) ? dropout.AsDouble() : 0.0,
            DropPath: sample.TryGetValue(SpaceLabels.DropPath, out var dropPath) ? dropPath.AsDouble() : 0.0);
        settings.Validate();
        return settings;
    }

    /// <summary>A macro-cnn from a sample of a space with the macro-cnn labels (<see cref="SpaceLabels"/>).</summary>
    public static MacroCnnConfig ToMacroCnnConfig(SearchSpace space, SearchSample sample, int inputChannels, int numClasses)
    {
        Validated(space, sample);
        var residual = sample.GetBool(SpaceLabels.Residual);
        var stages = Enumerable.Range(1, sample.GetInt32(SpaceLabels.Stages))
            .Select(i => new MacroCnnStage(
                Width: sample.GetInt32(SpaceLabels.StageWidth(i)),
                Depth: sample.GetInt32(SpaceLabels.StageDepth(i)),
                KernelSize: sample.GetInt32(SpaceLabels.StageKernel(i)),
                Residual: residual))
            .ToArray();
        var downsampling = sample.GetString(SpaceLabels.Downsampling) switch
        {
            "max_pool" => MacroCnnDownsampling.MaxPool,
            "avg_pool" => MacroCnnDownsampling.AvgPool,
            "strided_conv" => MacroCnnDownsampling.StridedConv,
            var other => throw new InvalidOperationException($"'{SpaceLabels.Downsampling}' is \"{other}\"; a macro-cnn knows max_pool, avg_pool, strided_conv"),
        };
        var pooling = sample.GetString(SpaceLabels.GlobalPooling) switch
        {
            "avg" => GlobalPooling.Average,
            "max" => GlobalPooling.Max,
            var other => throw new InvalidOperationException($"'{SpaceLabels.GlobalPooling}' is \"{other}\"; a macro-cnn knows avg, max"),
        };
        var config = new MacroCnnConfig(inputChannels, numClasses, stages, downsampling, pooling,
            sample.TryGetValue(SpaceLabels.Dropout, out var dropout) ? dropout.AsDouble() : 0.0);
        config.Validate();
        return config;
    }

    /// <summary>
    /// The backbone, head and frozen fraction of a transfer-space sample (decisions the space fixes rather than
    /// searches are read from its fixed values); a linear head without dropout where the space says nothing.
    /// </summary>
    public static TransferSettings ToTransferSettings(SearchSpace space, SearchSample sample)
    {
        Validated(space, sample);
        ParameterValue? Find(string label)
        {
            if (sample.TryGetValue(label, out var value))
            {
                return value;
            }

            return space.TryGetFixed(label[(label.IndexOf('/', StringComparison.Ordinal) + 1)..], out var fixedValue) ? fixedValue : (ParameterValue?)null;
        }

        var dropout = Find(SpaceLabels.Dropout)?.AsDouble() ?? 0.0;
        var headName = Find(SpaceLabels.Head)?.AsString() ?? "linear";
        var head = headName switch
        {
            "linear" => TransferHead.Linear(dropout),
            "mlp" => TransferHead.Mlp(Find(SpaceLabels.HeadHidden)?.AsInt32() ?? 256, dropout),
            "cell" => TransferHead.SearchedCell(ToCellGenotype(space, sample, "normal"), dropout: dropout),
            _ => throw new ArgumentException($"'{SpaceLabels.Head}' is \"{headName}\"; expected linear, mlp or cell"),
        };
        var backbone = Find(SpaceLabels.Backbone)?.AsString();
        if (backbone is not null && !BackboneFactory.Contains(backbone))
        {
            throw new ArgumentException($"'{SpaceLabels.Backbone}' is \"{backbone}\"; expected one of {string.Join(", ", BackboneFactory.Names)}");
        }

        return new TransferSettings(backbone, head, Find(SpaceLabels.FreezeFraction)?.AsDouble() ?? 0.0);
    }

    private static CellSpace CellOf(SearchSpace space, SearchSample sample)
    {
        Validated(space, sample);
        return space.Cell ?? throw new InvalidOperationException($"the space '{space.Name}' has no cells");
    }

    private static void Validated(SearchSpace space, SearchSample sample)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(sample);
        space.Validate(sample);
    }

    private static CellGenotype BuildCell(CellSpace cell, SearchSample sample, string name) =>
        new(
            Enumerable.Range(0, cell.Blocks).Select(block => new CellBlock(
                sample.GetInt32(CellSpace.InputLabel(name, block, 0)), sample.GetString(CellSpace.OpLabel(name, block, 0)),
                sample.GetInt32(CellSpace.InputLabel(name, block, 1)), sample.GetString(CellSpace.OpLabel(name, block, 1)))),
            cell.Concat == CellConcat.All ? Enumerable.Range(2, cell.Blocks) : null);
}
