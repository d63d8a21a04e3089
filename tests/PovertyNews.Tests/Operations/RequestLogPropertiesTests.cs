using Microsoft.AspNetCore.Http;
using PovertyNews.Web.Operations.Logs;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace PovertyNews.Tests.Operations;

public sealed class RequestLogPropertiesTests
{
    private static LogEvent Event() =>
        new(DateTimeOffset.UtcNow, LogEventLevel.Warning, null, new MessageTemplateParser().Parse("Something happened"), []);

    private sealed class Factory : ILogEventPropertyFactory
    {
        public LogEventProperty CreateProperty(string name, object? value, bool destructureObjects = false) =>
            new(name, new ScalarValue(value));
    }

    [Fact]
    public void EventDuringARequest_CarriesItsIdAndPath()
    {
        var http = new DefaultHttpContext { TraceIdentifier = "0HN:00000001" };
        http.Request.Path = "/articles/7";
        var enricher = new RequestLogProperties(new HttpContextAccessor { HttpContext = http });
        var logEvent = Event();

        enricher.Enrich(logEvent, new Factory());

        Assert.Equal("\"0HN:00000001\"", logEvent.Properties["RequestId"].ToString());
        Assert.Equal("\"/articles/7\"", logEvent.Properties["RequestPath"].ToString());
    }

    [Fact]
    public void EventOutsideARequest_GetsNeither()
    {
        var enricher = new RequestLogProperties(new HttpContextAccessor());
        var logEvent = Event();

        enricher.Enrich(logEvent, new Factory());

        Assert.False(logEvent.Properties.ContainsKey("RequestId"));
        Assert.False(logEvent.Properties.ContainsKey("RequestPath"));
    }
}
