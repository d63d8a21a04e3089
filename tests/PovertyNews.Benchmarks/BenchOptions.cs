using System.Globalization;

namespace PovertyNews.Benchmarks;

public sealed record BenchOptions(int[] Sizes, int Seed, int Runs, string DataRoot, bool Reuse, string? Out, string Provider = "sqlite",
    string? PgConnection = null)
{
    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions([100_000, 1_000_000], 1, 40, Path.Combine(Path.GetTempPath(), "povertynews-bench"), false, null);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--sizes" => options with { Sizes = Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() },
                "--seed" => options with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--runs" => options with { Runs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--data" => options with { DataRoot = Next() },
                "--reuse" => options with { Reuse = true },
                "--out" => options with { Out = Next() },
                "--provider" => options with { Provider = Next().ToLowerInvariant() },
                "--pg-connection" => options with { PgConnection = Next() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return options;
    }
}
