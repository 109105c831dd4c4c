namespace AutoNet.Store.Tests;

/// <summary>
/// Entry point for child processes of the multi-process tests (<c>dotnet AutoNet.Store.Tests.dll writer|search|reader ...</c>);
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

        if (args is ["search", var store, var folder, var name, var checkpoints])
        {
            await SearchWorkload.RunAsync(store, folder, name, checkpoints == "slow-checkpoint");
            return 0;
        }

        if (args is ["reader", var readFrom])
        {
            await StoreReader.RunAsync(readFrom);
            return 0;
        }

        await Console.Error.WriteLineAsync("usage: AutoNet.Store.Tests writer <store> <worker-id> <trials-to-add> | search <store> <folder> <worker-id> fast|slow-checkpoint | reader <store>");
        return 2;
    }
}
