using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace PovertyNews.Benchmarks;

/// <summary>
/// What a server process allocates while something runs, read from the runtime's own allocation events over EventPipe
/// (the diagnostics port every .NET process opens): the runtime raises one for about every 100 KB a thread allocates,
/// naming the amount since the last one and the type that crossed the line, so their sum is the bytes allocated and
/// their types sample where the bytes go. No setting or endpoint of the app is involved, and nothing else about the
/// server changes while it is watched (the events are a few thousand a second at most).
/// </summary>
public sealed record ServerAllocations(long Bytes, IReadOnlyList<(string Type, long Bytes)> ByType)
{
    public static async Task<(ServerAllocations Allocations, T Result)> WatchAsync<T>(int pid, Func<Task<T>> run)
    {
        var client = new DiagnosticsClient(pid);
        EventPipeProvider[] providers =
        [
            new("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, (long)ClrTraceEventParser.Keywords.GC),
        ];
        using var session = client.StartEventPipeSession(providers, requestRundown: false, circularBufferMB: 64);
        long bytes = 0;
        var byType = new Dictionary<string, long>();
        using var events = new EventPipeEventSource(session.EventStream);
        events.Clr.GCAllocationTick += e =>
        {
            bytes += e.AllocationAmount64;
            var type = string.IsNullOrEmpty(e.TypeName) ? "(unnamed)" : e.TypeName;
            byType[type] = byType.GetValueOrDefault(type) + e.AllocationAmount64;
        };
        var reading = Task.Run(events.Process);
        T result;
        try
        {
            result = await run();
        }
        finally
        {
            await session.StopAsync(CancellationToken.None);
            await reading;
        }
        var types = byType.OrderByDescending(t => t.Value).Select(t => (t.Key, t.Value)).ToList();
        return (new ServerAllocations(bytes, types), result);
    }
}
