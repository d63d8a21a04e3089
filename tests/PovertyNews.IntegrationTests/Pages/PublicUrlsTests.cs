using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Common;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>
/// PublicUrls formats reader paths by hand for code without an HttpContext; these tests tie it to the pages' route
/// templates, so changing an <c>@page</c> route without changing PublicUrls (or the reverse) fails here.
/// </summary>
public sealed class PublicUrlsTests(NewsFactory factory) : IClassFixture<NewsFactory>
{
    private LinkGenerator Links => factory.Services.GetRequiredService<LinkGenerator>();

    [Fact]
    public void Article_IsWhatRoutingGenerates()
    {
        Assert.Equal(Links.GetPathByPage("/Articles/Show", values: new { id = 12, slug = "a-20260612-3f9c1a" }),
            PublicUrls.Article(12, "a-20260612-3f9c1a"));
    }

    [Fact]
    public void Channel_IsWhatRoutingGenerates()
    {
        Assert.Equal(Links.GetPathByPage("/Channels/Show", values: new { slug = "chanye" }), PublicUrls.Channel("chanye"));
    }

    [Theory]
    [InlineData("扶贫")]
    [InlineData("东西部 协作")]
    public void Tag_IsWhatRoutingGenerates_ButForTheCaseOfItsEscapes(string name)
    {
        // Routing's LowercaseUrls writes %e6 where Uri.EscapeDataString writes %E6; both address the same page.
        Assert.Equal(Links.GetPathByPage("/Tags/Show", values: new { tag = name }), PublicUrls.Tag(name), ignoreCase: true);
    }

    [Fact]
    public async Task ChannelFeed_IsServed()
    {
        using var response = await factory.CreateReader().GetAsync(PublicUrls.ChannelFeed("chanye"));
        response.EnsureSuccessStatusCode();
    }
}
