using System.CommandLine;
using AutoNet.Torch;

namespace AutoNet.Cli;

public static class Program
{
    /// <summary>
    /// How long Ctrl-C waits for a command to stop by itself before the process is ended: long enough for a search's
    /// running trials to stop at their next step and hand back to the store (their checkpoint is already on disk).
    /// </summary>
    private static readonly TimeSpan GracefulStop = TimeSpan.FromMinutes(2);

    public static int Main(string[] args)
    {
        // System.CommandLine's own handler would print "Unhandled exception" and a stack trace; every command reports
        // through CliErrors, and this catches what escapes one anyway (a bug by definition).
        try
        {
            // Doctor sets the engine up itself, so that it can report a native library that will not load.
            if (!IsDoctor(args))
            {
                TorchEngine.Initialize();
            }

            return AutoNetCommand.Create().Parse(args).Invoke(new InvocationConfiguration
            {
                ProcessTerminationTimeout = GracefulStop,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (Exception e)
        {
            return CliErrors.Report(e, Console.Error, Path.GetTempPath());
        }
    }

    private static bool IsDoctor(string[] args) => args.FirstOrDefault(a => !a.StartsWith('-')) == "doctor";
}
