using Microsoft.AspNetCore.Http;
using PovertyNews.Web;
using Serilog.Events;

namespace PovertyNews.Tests.Infrastructure;

public sealed class RequestLogLevelTests
{
    [Theory]
    [InlineData("GET", 200, 20, LogEventLevel.Debug)]
    [InlineData("GET", 200, 900, LogEventLevel.Warning)]
    [InlineData("POST", 302, 20, LogEventLevel.Information)]
    [InlineData("GET", 500, 20, LogEventLevel.Error)]
    [InlineData("POST", 503, 20, LogEventLevel.Warning)]
    [InlineData("GET", 503, 20, LogEventLevel.Warning)]
    public void Level_FollowsStatusMethodAndTime(string method, int status, double milliseconds, LogEventLevel expected)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = method;
        http.Response.StatusCode = status;

        Assert.Equal(expected, Extensions.RequestLogLevel(http, milliseconds, error: null));
    }

    [Fact]
    public void Exception_IsAnErrorWhateverTheStatus()
    {
        var http = new DefaultHttpContext();
        http.Response.StatusCode = 503;

        Assert.Equal(LogEventLevel.Error, Extensions.RequestLogLevel(http, 5, new InvalidOperationException("boom")));
    }
}
