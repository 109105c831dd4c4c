namespace AutoNet.Data.Augmentation;

/// <summary>
/// A small seeded generator (xoshiro256** seeded through SplitMix64) for augmentation parameters. Each batch gets
/// its own generator derived from (seed, epoch, batch), so what a batch looks like depends on nothing else: not
/// on threads, prefetch depth, or which batches were drawn before it (a resumed trial sees the same batches).
/// libtorch's global generator is never used for augmentation.
/// </summary>
public sealed class AugmentRandom
{
    private ulong s0;
    private ulong s1;
    private ulong s2;
    private ulong s3;

    public AugmentRandom(ulong seed)
    {
        var x = seed;
        s0 = SplitMix64(ref x);
        s1 = SplitMix64(ref x);
        s2 = SplitMix64(ref x);
        s3 = SplitMix64(ref x);
    }

    /// <summary>A generator for one stream identified by <paramref name="seed"/> and any number of integers.</summary>
    public static AugmentRandom For(long seed, params long[] stream) => new(Derive(seed, stream));

    /// <summary>Mixes a seed and a stream identity into one 64-bit seed; different inputs give unrelated streams.</summary>
    public static ulong Derive(long seed, params long[] stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var state = unchecked((ulong)seed);
        var hash = SplitMix64(ref state);
        foreach (var part in stream)
        {
            state = hash ^ unchecked((ulong)part * 0xD1B54A32D192ED03UL);
            hash = SplitMix64(ref state);
        }

        return hash;
    }

    public ulong NextUInt64()
    {
        var result = RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double Uniform(double low, double high) => low + ((high - low) * NextDouble());

    /// <summary>Uniform integer in [0, <paramref name="count"/>), without modulo bias.</summary>
    public int NextInt(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var bound = (ulong)count;
        var threshold = (0UL - bound) % bound;
        while (true)
        {
            var r = NextUInt64();
            if (r >= threshold)
            {
                return (int)(r % bound);
            }
        }
    }

    /// <summary>Uniform integer in [<paramref name="low"/>, <paramref name="high"/>), as Python's <c>randint(low, high - 1)</c>.</summary>
    public int NextInt(int low, int high) => low + NextInt(high - low);

    public bool Bernoulli(double probability) => probability >= 1 || (probability > 0 && NextDouble() < probability);

    /// <summary>Standard normal (Box-Muller; one value per call, so the stream does not depend on call pairing).</summary>
    public double Normal()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Gamma(<paramref name="shape"/>, 1) by Marsaglia and Tsang, boosted for shape below one.</summary>
    public double Gamma(double shape)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shape);
        if (shape < 1)
        {
            var u = NextDouble();
            return Gamma(shape + 1) * Math.Pow(u, 1.0 / shape);
        }

        var d = shape - (1.0 / 3.0);
        var c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal();
                v = 1.0 + (c * x);
            }
            while (v <= 0);

            v = v * v * v;
            var u = NextDouble();
            if (u < 1.0 - (0.0331 * x * x * x * x) || Math.Log(u) < (0.5 * x * x) + (d * (1.0 - v + Math.Log(v))))
            {
                return d * v;
            }
        }
    }

    /// <summary>Beta(<paramref name="a"/>, <paramref name="b"/>), the mixing weight of mixup and cutmix.</summary>
    public double Beta(double a, double b)
    {
        var x = Gamma(a);
        var y = Gamma(b);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    /// <summary>A uniformly random permutation of 0..<paramref name="count"/>-1 (Fisher-Yates).</summary>
    public int[] Permutation(int count)
    {
        var result = new int[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = i;
        }

        for (var i = count - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (result[i], result[j]) = (result[j], result[i]);
        }

        return result;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix64(ref ulong x)
    {
        x = unchecked(x + 0x9E3779B97F4A7C15UL);
        var z = x;
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
