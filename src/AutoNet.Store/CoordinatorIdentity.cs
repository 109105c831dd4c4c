using System.Globalization;

namespace AutoNet.Store;

/// <summary>How a coordinator names itself to whoever finds the experiment taken: host and process.</summary>
internal static class CoordinatorIdentity
{
    public static string Current { get; } =
        string.Create(CultureInfo.InvariantCulture, $"autonet on {Environment.MachineName} (process {Environment.ProcessId})");
}
