using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PovertyNews.Benchmarks;

/// <summary>One run of the wrk load generator, and what it reported.</summary>
public sealed partial record WrkResult(long Requests, double Seconds, double P50, double P99, long Errors, string Output)
{
    public double RequestsPerSecond => Requests / Seconds;

    /// <summary>The serving processes' processor time per request, when the scenario can read it; NaN otherwise.</summary>
    public double ProcessorMicroseconds { get; init; } = double.NaN;

    public static async Task<WrkResult> RunAsync(string url, int threads, int connections, int seconds,
        string? script = null, IEnumerable<string>? headers = null, CancellationToken ct = default)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { $"-t{threads}", $"-c{connections}", $"-d{seconds}s", "--timeout", "10s", "--latency" })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var header in headers ?? [])
        {
            start.ArgumentList.Add("-H");
            start.ArgumentList.Add(header);
        }
        if (script is not null)
        {
            start.ArgumentList.Add("-s");
            start.ArgumentList.Add(script);
        }
        start.ArgumentList.Add(url);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start");
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        var error = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {error}{output}");
        }
        return Parse(output);
    }

    public static WrkResult Parse(string output)
    {
        var total = TotalPattern().Match(output);
        if (!total.Success)
        {
            throw new FormatException("wrk output without a request count: " + output);
        }
        var requests = long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture);
        var seconds = Duration(total.Groups[2].Value);
        var errors = 0L;
        if (SocketErrorsPattern().Match(output) is { Success: true } socket)
        {
            errors += Enumerable.Range(1, 4).Sum(i => long.Parse(socket.Groups[i].Value, CultureInfo.InvariantCulture));
        }
        if (Non2xxPattern().Match(output) is { Success: true } non2xx)
        {
            errors += long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        return new WrkResult(requests, seconds, Percentile(output, "50"), Percentile(output, "99"), errors, output);
    }

    private static double Percentile(string output, string percent)
    {
        var match = Regex.Match(output, $@"^\s+{percent}(?:\.000)?%\s+([\d.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline);
        return match.Success ? Milliseconds(match.Groups[1].Value, match.Groups[2].Value) : double.NaN;
    }

    /// <summary>A latency in milliseconds.</summary>
    private static double Milliseconds(string value, string unit) =>
        double.Parse(value, CultureInfo.InvariantCulture) * unit switch { "us" => 0.001, "ms" => 1, "s" => 1000, "m" => 60_000, _ => double.NaN };

    private static double Duration(string text)
    {
        var match = Regex.Match(text, @"^([\d.]+)(ms|s|m|h)$");
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return value * match.Groups[2].Value switch { "ms" => 0.001, "s" => 1, "m" => 60, "h" => 3600, _ => double.NaN };
    }

    [GeneratedRegex(@"(\d+) requests in ([\d.]+(?:ms|s|m|h)),")]
    private static partial Regex TotalPattern();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsPattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xxPattern();
}
