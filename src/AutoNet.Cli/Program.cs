namespace AutoNet.Cli;

public static class Program
{
    public static int Main(string[] args) => AutoNetCommand.Create().Parse(args).Invoke();
}
