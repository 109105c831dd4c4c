using static TorchSharp.torch;

namespace AutoNet.Models;

/// <summary>
/// State dicts in PyTorch's order. TorchSharp's <c>state_dict()</c> lists every parameter of the tree before any
/// buffer; PyTorch walks module by module (own parameters, own buffers, then children), and torchvision .pth files and
/// our reference tests follow PyTorch's order.
/// </summary>
public static class StateDicts
{
    public static IReadOnlyList<KeyValuePair<string, Tensor>> Ordered(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var result = new List<KeyValuePair<string, Tensor>>();
        Walk(module, string.Empty, result);
        return result;
    }

    public static IReadOnlyList<string> Keys(nn.Module module) => Ordered(module).Select(e => e.Key).ToArray();

    private static void Walk(nn.Module module, string prefix, List<KeyValuePair<string, Tensor>> result)
    {
        foreach (var (name, parameter) in module.named_parameters(recurse: false))
        {
            result.Add(new(prefix + name, parameter));
        }

        foreach (var (name, buffer) in module.named_buffers(recurse: false, include_nonpersistent: false))
        {
            result.Add(new(prefix + name, buffer));
        }

        foreach (var (name, child) in module.named_children())
        {
            Walk(child, prefix + name + ".", result);
        }
    }
}
