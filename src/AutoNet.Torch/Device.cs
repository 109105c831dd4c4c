namespace AutoNet.Torch;

/// <summary>Where a tensor lives: the CPU or one CUDA device.</summary>
public readonly record struct Device(DeviceType Type, int Index = 0)
{
    public static Device Cpu { get; } = new(DeviceType.Cpu);

    public static Device Cuda(int index = 0) => new(DeviceType.Cuda, index);

    public bool IsCuda => Type == DeviceType.Cuda;

    /// <summary>Parses "cpu", "cuda" or "cuda:N", as torch.device does.</summary>
    public static Device Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim().ToLowerInvariant();
        if (trimmed == "cpu")
        {
            return Cpu;
        }

        if (trimmed == "cuda")
        {
            return Cuda();
        }

        if (trimmed.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(trimmed.AsSpan(5), out var index) && index >= 0)
        {
            return Cuda(index);
        }

        throw new FormatException($"device '{text}' is not one of: cpu, cuda, cuda:N");
    }

    public override string ToString() => Type == DeviceType.Cpu ? "cpu" : $"cuda:{Index}";
}
