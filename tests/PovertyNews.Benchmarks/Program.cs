using PovertyNews.Benchmarks;

// dotnet run -c Release --project tests/PovertyNews.Benchmarks -- search [--sizes 100000,1000000] [--seed 1]
//     [--runs 40] [--data /tmp/povertynews-bench] [--reuse] [--out results.md]
if (args.Length == 0 || args[0] != "search")
{
    Console.Error.WriteLine("usage: search [--sizes 100000,1000000] [--seed 1] [--runs 40] [--data <folder>] [--reuse] [--out <file>]");
    return 2;
}
return await SearchBenchmark.RunAsync(BenchOptions.Parse(args[1..]));
