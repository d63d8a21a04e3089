using Microsoft.AspNetCore.Http;
using PovertyNews.Web;
using PovertyNews.Web.Infrastructure;
using Serilog.Events;

namespace PovertyNews.Tests.Infrastructure;

public sealed class ClientAbortsTests
{
    private static DefaultHttpContext Request(bool abandoned)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "GET";
        http.RequestAborted = new CancellationToken(canceled: abandoned);
        return http;
    }

    [Fact]
    public async Task CancellationAfterTheClientLeft_Answers499AndIsLoggedAtDebug()
    {
        var http = Request(abandoned: true);
        var aborts = new ClientAborts(context => throw new TaskCanceledException("a search stopped with its request"));

        await aborts.InvokeAsync(http);

        Assert.Equal(ClientAborts.ClientClosedRequest, http.Response.StatusCode);
        Assert.Equal(LogEventLevel.Debug, Extensions.RequestLogLevel(http, 900, error: null));
    }

    [Fact]
    public async Task CancellationWhileTheClientWaits_StillFails()
    {
        var http = Request(abandoned: false);
        var aborts = new ClientAborts(context => throw new OperationCanceledException("a timeout of our own"));

        await Assert.ThrowsAsync<OperationCanceledException>(() => aborts.InvokeAsync(http));
    }

    [Fact]
    public async Task OtherFailureAfterTheClientLeft_StillFails()
    {
        var http = Request(abandoned: true);
        var aborts = new ClientAborts(context => throw new InvalidOperationException("a real bug"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => aborts.InvokeAsync(http));
    }
}
