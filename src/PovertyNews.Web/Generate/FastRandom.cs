namespace PovertyNews.Web.Generate;

/// <summary>
/// A small seeded generator (xoshiro256**, seeded through SplitMix64) for the generate command.
/// </summary>
/// <remarks>
/// <see cref="Random"/> with a seed would do, but every article gets its own generator (so an article depends only
/// on the seed and its number), and constructing a seeded <see cref="Random"/> costs about 2 µs, a tenth of the
/// whole budget per article; its virtual calls are slow in the text model's inner loop as well. The sequence is
/// fixed by this code, not by the runtime, so a seed gives the same corpus on every .NET version.
/// </remarks>
public sealed class FastRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public FastRandom(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    /// <summary>A generator for item <paramref name="number"/> of <paramref name="seed"/>'s sequence.</summary>
    public FastRandom(int seed, int number) : this(((ulong)(uint)seed << 32) | (uint)number)
    {
    }

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

    /// <summary>0 ≤ result &lt; <paramref name="maxValue"/> (which must be positive).</summary>
    public int Next(int maxValue) => (int)(((NextUInt64() >> 32) * (ulong)maxValue) >> 32);

    /// <summary><paramref name="minValue"/> ≤ result &lt; <paramref name="maxValue"/>.</summary>
    public int Next(int minValue, int maxValue) => minValue + Next(maxValue - minValue);

    /// <summary>0 ≤ result &lt; 1.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public void NextBytes(Span<byte> bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(NextUInt64() >> 56);
        }
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
