using PovertyNews.Benchmarks;

// dotnet run -c Release --project tests/PovertyNews.Benchmarks -- search [--sizes 100000,1000000] [--seed 1]
//     [--runs 40] [--data /tmp/povertynews-bench] [--reuse] [--out results.md] [--provider sqlite|postgresql [--pg-connection <cs>]]
// dotnet run -c Release --project tests/PovertyNews.Benchmarks -- load [--size 100000] [--seed 1] [--seconds 10]
//     [--rounds 3] [--connections 64] [--threads 2] [--mix-seconds 30] [--port 5327] [--data /tmp/povertynews-bench]
//     [--no-publish] [--out results.md] [--profile] [--cluster [--nodes 2] [--lag-changes 20]]
// dotnet run -c Release --project tests/PovertyNews.Benchmarks -- words [--words 10000] [--length 20000] [--runs 500] [--seed 1]
// dotnet run -c Release --project tests/PovertyNews.Benchmarks -- signin [--attempts 60] [--port 5331] [--data /tmp/povertynews-bench] [--no-publish]
// dotnet run -c Release --project tests/PovertyNews.Benchmarks -- uploads [--seconds 15] [--rounds 3] [--clients 32] [--previews 16]
//     [--connections 64] [--threads 2] [--port 5110] [--data /tmp/povertynews-bench] [--no-publish] [--out results.md]
// dotnet run -c Release --project tests/PovertyNews.Benchmarks -- faults [--rounds 60] [--seed 1] [--port 5111]
//     [--data /tmp/povertynews-faults] [--no-publish] [--start-limit 60] [--repair-wait 20] [--generate 5000]
//     [--import-files 400] [--only first-start|import|reindex|editing|uploads]
// dotnet run -c Release --project tests/PovertyNews.Benchmarks -- coldstart --db-folder <folder with a writable news.db>
// dotnet run -c Release --project tests/PovertyNews.Benchmarks -- backup [--size 100000] [--seed 1] [--runs 3] [--folder <data folder>]
// dotnet run -c Release --project tests/PovertyNews.Benchmarks -- generate [--provider sqlite|postgresql] [--size 100000] [--seed 1]
//     [--batch 20000] [--runs 1] [--connection <PostgreSQL connection string to an empty database>]
return args.FirstOrDefault() switch
{
    "search" => await SearchBenchmark.RunAsync(BenchOptions.Parse(args[1..])),
    "load" => await LoadBenchmark.RunAsync(LoadOptions.Parse(args[1..])),
    "coldstart" => await LoadBenchmark.ColdStartAsync(args[1..]),
    "words" => WordsBenchmark.Run(WordsBenchmark.Options.Parse(args[1..])),
    "signin" => await SignInBenchmark.RunAsync(args[1..]),
    "backup" => await BackupBenchmark.RunAsync(args[1..]),
    "generate" => await GenerateBenchmark.RunAsync(args[1..]),
    "uploads" => await UploadsBenchmark.RunAsync(UploadsOptions.Parse(args[1..])),
    "faults" => await FaultsBenchmark.RunAsync(FaultsOptions.Parse(args[1..])),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: search [--sizes 100000,1000000] [--seed 1] [--runs 40] [--data <folder>] [--reuse] [--out <file>] [--provider sqlite|postgresql]
               (postgresql: [--pg-connection <cs to a database of its own, kept and reused with --reuse>])
               load [--size 100000] [--seed 1] [--seconds 10] [--rounds 3] [--connections 64] [--threads 2]
                    [--mix-seconds 30] [--port 5327] [--data <folder>] [--no-publish] [--out <file>] [--profile]
                    [--cluster [--nodes 2] [--lag-changes 20]]   (the same beside deploy/cluster's nginx + nodes + PostgreSQL + Redis)
               coldstart --db-folder <folder with a writable news.db> [--port 5329] [--runs 2]
               signin [--attempts 60] [--port 5331] [--data <folder>] [--no-publish]
               uploads [--seconds 15] [--rounds 3] [--clients 32] [--previews 16] [--connections 64] [--threads 2]
                    [--port 5110] [--data <folder>] [--no-publish] [--out <file>]
               faults [--rounds 60] [--seed 1] [--port 5111] [--data <folder>] [--no-publish] [--start-limit 60]
                    [--repair-wait 20] [--generate 5000] [--import-files 400] [--only <scenario>]
               words [--words 10000] [--length 20000] [--runs 500] [--seed 1]
               backup [--size 100000] [--seed 1] [--runs 3] [--folder <data folder>]
               generate [--provider sqlite|postgresql] [--size 100000] [--seed 1] [--batch 20000] [--runs 1] [--connection <cs>]
        """);
    return 2;
}
