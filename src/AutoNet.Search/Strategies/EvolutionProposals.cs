using AutoNet.Search.Spaces;

namespace AutoNet.Search.Strategies;

/// <summary>
/// How a <see cref="RegularizedEvolution"/> makes its proposals when a wrapping strategy decides instead of plain
/// random draws: <see cref="DrawInitial"/> gives each member of the first population, and <see cref="PickChild"/>
/// chooses among mutations of the tournament's winner (it is handed the function that makes one mutation).
/// </summary>
internal sealed record EvolutionProposals(Func<SearchSample> DrawInitial, Func<Func<SearchSample>, SearchSample> PickChild);
