using PovertyNews.Web.Newsroom.Analytics;
using PovertyNews.Web.Reading;

namespace PovertyNews.Tests.Reading;

public sealed class ReferrerHostTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("javascript:alert(1)")]
    [InlineData("android-app://com.tencent.mm/")]
    [InlineData("ftp://files.example.com/a")]
    public void NoUsableReferrer_IsDirect(string? referrer) =>
        Assert.Equal(ReferrerHost.Direct, ReferrerHost.Of(referrer, "news.example.cn"));

    [Theory]
    [InlineData("https://www.Baidu.com/s?wd=%E6%B9%98%E8%A5%BF&rsv=1", "www.baidu.com")]
    [InlineData("http://m.sogou.com:8080/web?query=x", "m.sogou.com")]
    [InlineData("https://mp.weixin.qq.com/s/abcdef", "mp.weixin.qq.com")]
    [InlineData("https://example.org./page", "example.org")]
    [InlineData("https://湘西.中国/新闻", "xn--p7w429c.xn--fiqs8s")]
    public void ReferrerElsewhere_KeepsOnlyItsHost_InOneSpelling(string referrer, string host) =>
        Assert.Equal(host, ReferrerHost.Of(referrer, "news.example.cn"));

    [Theory]
    [InlineData("https://news.example.cn/channels/yaowen")]
    [InlineData("http://NEWS.example.cn:5000/")]
    [InlineData("http://127.0.0.1/articles/3")]
    public void ReferrerOnTheSite_IsInternal(string referrer) =>
        Assert.Equal(ReferrerHost.Internal, ReferrerHost.Of(referrer, "news.example.cn", "127.0.0.1"));

    [Fact]
    public void OverlongReferrer_IsDirect() =>
        Assert.Equal(ReferrerHost.Direct, ReferrerHost.Of("https://" + new string('a', 300) + ".com/", "news.example.cn"));

    [Theory]
    [InlineData("", "直接访问")]
    [InlineData(ReferrerHost.Internal, "站内")]
    [InlineData("www.baidu.com", "百度（www.baidu.com）")]
    [InlineData("baidu.com", "百度（baidu.com）")]
    [InlineData("mp.weixin.qq.com", "微信（mp.weixin.qq.com）")]
    [InlineData("www.qq.com", "腾讯（www.qq.com）")]
    [InlineData("notbaidu.com", "notbaidu.com")]
    [InlineData("partner.example.org", "partner.example.org")]
    public void Labels_NameKnownSitesByTheirMostSpecificDomain(string host, string label) =>
        Assert.Equal(label, ReferrerNames.Label(host));
}
