using Serilog.Events;
using Serilog.Parsing;
using PovertyNews.Web.Operations.Logs;

namespace PovertyNews.Tests.Operations;

public sealed class RecentErrorsTests
{
    private static LogEvent Event(LogEventLevel level, string text, Exception? exception = null) =>
        new(DateTimeOffset.UtcNow, level, exception, new MessageTemplateParser().Parse("Event {Text}"),
            [new LogEventProperty("Text", new ScalarValue(text))]);

    [Fact]
    public void Emit_KeepsTheLast50WarningsAndErrorsNewestFirst()
    {
        var recent = new RecentErrors();

        for (var i = 1; i <= 60; i++)
        {
            recent.Emit(Event(i % 2 == 0 ? LogEventLevel.Error : LogEventLevel.Warning, $"n{i}"));
            recent.Emit(Event(LogEventLevel.Information, $"info{i}"));
        }

        var kept = recent.Snapshot();
        Assert.Equal(RecentErrors.Capacity, kept.Count);
        Assert.Equal("Event \"n60\"", kept[0].Message);
        Assert.Equal("Event \"n11\"", kept[^1].Message);
        Assert.Equal(LogEventLevel.Error, kept[0].Level);
        Assert.DoesNotContain(kept, e => e.Message.Contains("info", StringComparison.Ordinal));
    }

    [Fact]
    public void Emit_EscapesControlCharactersOfTheMessageAndTheException()
    {
        var recent = new RecentErrors();

        recent.Emit(Event(LogEventLevel.Error, "a\r\nb", new IOException("disk\nfull")));

        var entry = Assert.Single(recent.Snapshot());
        Assert.Equal("Event \"a\\r\\nb\"", entry.Message);
        Assert.Equal("System.IO.IOException: disk\\nfull", entry.Exception);
    }
}
