using System.Net;
using PovertyNews.IntegrationTests.Infrastructure;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>No URL of the public contract answers 500, whatever the query string says.</summary>
public sealed class RobustnessTests(NewsFactory factory) : IClassFixture<NewsFactory>
{
    public static TheoryData<string> OddUrls()
    {
        var data = new TheoryData<string>();
        string[] paths = ["/", "/channels/xiezuo", "/tags/%E6%B9%98%E8%A5%BF", "/archive/2020", "/archive/2020/6", "/videos", "/search", "/feed.xml", "/channels/xiezuo/feed.xml"];
        string[] queries = ["?page=-1", "?page=0", "?page=abc", "?page=99999999999999999999", "?page=2147483647", "?page=1.5", "?page=%00", "?page=1&page=2",
            "?q=%E6%B9%98%E8%A5%BF&page=-5", "?q=" + new string('x', 5000), "?q=%22unbalanced", "?q=*:^()", "?channel=nope&q=a", "?x=%FF%FE"];
        foreach (var path in paths)
        {
            foreach (var query in queries)
            {
                data.Add(path + query);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(OddUrls))]
    public async Task OddQueryValues_NeverAnswer500(string url)
    {
        using var response = await factory.CreateReader().GetAsync(url);

        Assert.True((int)response.StatusCode < 500, $"{url} answered {(int)response.StatusCode}");
    }

    [Theory]
    [InlineData("/articles/999999")]
    [InlineData("/articles/0")]
    [InlineData("/articles/-1")]
    [InlineData("/articles/abc")]
    [InlineData("/articles/99999999999999999999")]
    [InlineData("/channels/nope")]
    [InlineData("/channels/nope/feed.xml")]
    [InlineData("/tags/%E4%B8%8D%E5%AD%98%E5%9C%A8")]
    [InlineData("/archive/2020/13")]
    [InlineData("/archive/2020/0")]
    [InlineData("/archive/99999")]
    [InlineData("/archive/1800")]
    [InlineData("/no/such/page")]
    public async Task UnknownThings_AnswerNotFoundInChinese(string url)
    {
        using var response = await factory.CreateReader().GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        if (!url.EndsWith(".xml"))
        {
            Assert.Contains("页面不存在", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task HealthCheck_AnswersWhenTheDatabaseDoes()
    {
        using var response = await factory.CreateReader().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var report = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", report.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }
}
