using System.Diagnostics;
using System.Text.Json;

namespace PovertyNews.BrowserTests.Infrastructure;

/// <summary>One message of the Nu HTML Checker about one file.</summary>
public sealed record HtmlMessage(string File, string Type, int Line, int Column, string Message, string Extract)
{
    public override string ToString() => $"line {Line}:{Column}: {Message}\n      {Extract.ReplaceLineEndings(" ").Trim()}";
}

/// <summary>
/// The Nu HTML Checker (vnu.jar from the npm package vnu-jar, installed by <c>npm ci</c> in this project's folder)
/// run with the machine's Java on a set of files at once: one JVM start for every page.
/// </summary>
public static class NuHtmlChecker
{
    public static string JarPath { get; } =
        Path.Combine(PortalApp.RepositoryRoot, "tests", "PovertyNews.BrowserTests", "node_modules", "vnu-jar", "build", "dist", "vnu.jar");

    /// <summary>Errors (not warnings) per file name; a file without errors maps to an empty list.</summary>
    public static async Task<IReadOnlyDictionary<string, List<HtmlMessage>>> CheckAsync(IReadOnlyCollection<string> files)
    {
        if (!File.Exists(JarPath))
        {
            throw new InvalidOperationException(
                $"The Nu HTML Checker is not installed ({JarPath} is missing). Run 'npm ci --ignore-scripts' in tests/PovertyNews.BrowserTests, or ./test at the top of the repository, which installs everything the tests need.");
        }
        var java = FindJava() ?? throw new InvalidOperationException(
            "The HTML validity test needs Java to run vnu.jar, and none was found (JAVA_HOME, /usr/bin/java, PATH). " +
            "Install it: 'apt-get install -y --no-install-recommends default-jre-headless', or run ./test at the top of the repository, which installs everything the tests need.");

        var start = new ProcessStartInfo(java)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-Xss4m", "-jar", JarPath, "--format", "json", "--stdout" })
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {java}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var json = await stdout;
        // vnu exits 1 when it found errors; anything else without JSON output is a failure of the checker itself.
        if (!json.TrimStart().StartsWith('{'))
        {
            throw new InvalidOperationException($"vnu.jar exited {process.ExitCode} without a report: {await stderr}\n{json}");
        }

        var result = files.ToDictionary(f => Path.GetFileName(f), _ => new List<HtmlMessage>(), StringComparer.Ordinal);
        using var report = JsonDocument.Parse(json);
        foreach (var message in report.RootElement.GetProperty("messages").EnumerateArray())
        {
            var type = message.GetProperty("type").GetString() ?? "";
            if (type == "info")
            {
                continue; // warnings and notes; only errors fail
            }
            var url = message.TryGetProperty("url", out var u) ? u.GetString() ?? "" : "";
            // "file:/path/name.html"; the names are plain ASCII.
            var name = Path.GetFileName(url);
            if (!result.TryGetValue(name, out var list))
            {
                result[name] = list = [];
            }
            list.Add(new HtmlMessage(name, type,
                message.TryGetProperty("lastLine", out var line) ? line.GetInt32() : 0,
                message.TryGetProperty("firstColumn", out var column) ? column.GetInt32() : 0,
                message.GetProperty("message").GetString() ?? "",
                message.TryGetProperty("extract", out var extract) ? extract.GetString() ?? "" : ""));
        }
        return result;
    }

    private static string? FindJava()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("JAVA_HOME") is { Length: > 0 } home)
        {
            candidates.Add(Path.Combine(home, "bin", "java"));
        }
        candidates.Add("/usr/bin/java");
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "java")));
        return candidates.FirstOrDefault(File.Exists);
    }
}
