namespace AutoNet.Store.Tests;

/// <summary>
/// Entry point for child processes of the multi-process tests (<c>dotnet AutoNet.Store.Tests.dll writer ...</c>);
/// the test host never calls it.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["writer", var location, var worker, var count])
        {
            try
            {
                await StoreWriter.RunAsync(location, worker, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture));
                return 0;
            }
            catch (Exception e)
            {
                await Console.Error.WriteLineAsync($"{worker}: {e}");
                return 1;
            }
        }

        await Console.Error.WriteLineAsync("usage: AutoNet.Store.Tests writer <store> <worker-id> <trials-to-add>");
        return 2;
    }
}
