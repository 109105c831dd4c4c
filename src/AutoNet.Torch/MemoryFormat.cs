namespace AutoNet.Torch;

/// <summary>Memory layouts; the values are libtorch's <c>c10::MemoryFormat</c> numbers.</summary>
public enum MemoryFormat
{
    Contiguous = 0,
    Preserve = 1,
    ChannelsLast = 2,
}
