using PovertyNews.Benchmarks;

// dotnet run -c Release --project tests/PovertyNews.Benchmarks -- search [--sizes 100000,1000000] [--seed 1]
//     [--runs 40] [--data /tmp/povertynews-bench] [--reuse] [--out results.md]
// dotnet run -c Release --project tests/PovertyNews.Benchmarks -- words [--words 10000] [--length 20000] [--runs 500] [--seed 1]
switch (args.Length == 0 ? "" : args[0])
{
    case "search":
        return await SearchBenchmark.RunAsync(BenchOptions.Parse(args[1..]));
    case "words":
        return WordsBenchmark.Run(WordsBenchmark.Options.Parse(args[1..]));
    default:
        Console.Error.WriteLine("usage: search [--sizes 100000,1000000] [--seed 1] [--runs 40] [--data <folder>] [--reuse] [--out <file>]");
        Console.Error.WriteLine("       words [--words 10000] [--length 20000] [--runs 500] [--seed 1]");
        return 2;
}
