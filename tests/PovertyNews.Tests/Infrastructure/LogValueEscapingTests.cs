using PovertyNews.Web.Infrastructure;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace PovertyNews.Tests.Infrastructure;

/// <summary>Request values written into the log cannot start a line of their own (a forged log entry).</summary>
public sealed class LogValueEscapingTests
{
    [Theory]
    [InlineData("/\r\nfake INF admin signed in")]
    [InlineData("/channels/\nfake INF admin signed in\u2028x")]
    [InlineData("/\u0085fake INF admin signed in")]
    public void ControlCharactersInARequestPath_StayOnTheirLogLine(string path)
    {
        var sink = new Collected();
        using (var logger = new LoggerConfiguration().Enrich.With<LogValueEscaping>().WriteTo.Sink(sink).CreateLogger())
        {
            logger.Information("HTTP {RequestMethod} {RequestPath} responded {StatusCode}", "GET", path, 404);
            logger.Information("Search {@Request}", new { Query = path, Tags = new[] { path } });
        }

        var lines = sink.Events.Select(e => e.RenderMessage() + "|" + string.Join(",", e.Properties.Values)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.DoesNotContain('\r', l));
        Assert.All(lines, l => Assert.DoesNotContain('\n', l));
        Assert.All(lines, l => Assert.DoesNotContain('\u2028', l));
        Assert.All(lines, l => Assert.Contains("fake INF admin signed in", l));
    }

    private sealed class Collected : ILogEventSink
    {
        public List<LogEvent> Events { get; } = [];

        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }
}
