using TorchSharp;

namespace AutoNet.Torch.Scalars;

/// <summary>
/// Scalars that live as long as the process, for the constants AutoNet passes to tensor operations.
/// </summary>
/// <remarks>
/// TorchSharp turns a number passed where an operation wants a <see cref="Scalar"/> (and the implicit alpha of
/// <c>add(tensor)</c>) into a native <c>c10::Scalar</c> owned by a temporary object with a finalizer, and hands only
/// the native pointer to libtorch. Once the pointer is read nothing keeps the temporary alive, so a garbage
/// collection started by any other thread can finalize it, and free the native scalar, while libtorch is still
/// reading it (seen in CI as "Expected false to be true … toFloat" from <c>Scalar.h</c>, a freed scalar's tag read
/// back as garbage). A scalar held in a static field can never be finalized; a scalar made for one value is
/// created with <c>ToScalar()</c> under <c>using</c>, which keeps it reachable until the operation has returned.
/// </remarks>
public static class HeldScalars
{
    public static Scalar Zero { get; } = 0.ToScalar();

    public static Scalar One { get; } = 1.ToScalar();

    public static Scalar Six { get; } = 6.ToScalar();

    public static Scalar ByteMax { get; } = 255.ToScalar();
}
