namespace AutoNet.Search;

/// <summary>
/// A seeded random generator whose whole state is four numbers, so a strategy can save it with its
/// other state and resume with exactly the same sequence (System.Random cannot be saved). The
/// generator is xoshiro256**, seeded through SplitMix64 as its authors recommend.
/// </summary>
public sealed class SearchRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public SearchRandom(long seed)
    {
        var x = unchecked((ulong)seed);
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    private SearchRandom(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        _s0 = s0;
        _s1 = s1;
        _s2 = s2;
        _s3 = s3;
    }

    /// <summary>The generator's state; <see cref="FromState"/> continues the same sequence from it.</summary>
    public IReadOnlyList<ulong> State => [_s0, _s1, _s2, _s3];

    public static SearchRandom FromState(IReadOnlyList<ulong> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Count != 4 || state.All(s => s == 0))
        {
            throw new ArgumentException("a SearchRandom state is four numbers, not all zero", nameof(state));
        }

        return new SearchRandom(state[0], state[1], state[2], state[3]);
    }

    /// <summary>An independent copy at the same point of the sequence.</summary>
    public SearchRandom Clone() => new(_s0, _s1, _s2, _s3);

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A double uniform in [0, 1), with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>An integer uniform in [0, count), without modulo bias.</summary>
    public long NextInt64(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var bound = (ulong)count;
        var limit = ulong.MaxValue - (ulong.MaxValue % bound);
        ulong draw;
        do
        {
            draw = NextUInt64();
        }
        while (draw >= limit);
        return (long)(draw % bound);
    }

    /// <summary>An integer uniform in [0, count).</summary>
    public int NextInt32(int count) => (int)NextInt64(count);

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
