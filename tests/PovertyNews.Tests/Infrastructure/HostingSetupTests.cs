using System.ComponentModel.DataAnnotations;
using PovertyNews.Web.Infrastructure;

namespace PovertyNews.Tests.Infrastructure;

public sealed class HostingSetupTests
{
    [Theory]
    [InlineData("https://news.example.com", true)]
    [InlineData("http://news.example.com:8080/", true)]
    [InlineData("news.example.com", false)]
    [InlineData("ftp://news.example.com", false)]
    [InlineData("https://news.example.com/news", false)]
    [InlineData("https://news.example.com/?a=1", false)]
    [InlineData("https://user@news.example.com", false)]
    [InlineData("/relative", false)]
    public void PublicBaseUrl_MustBeAnAbsoluteHttpOrigin(string value, bool valid) =>
        Assert.Equal(valid, HostingSetup.ParsePublicBaseUrl(value) is not null);

    [Fact]
    public void ProxyOptions_RefuseWhatIsNotAnAddressOrNetwork()
    {
        var options = new ProxyOptions { KnownProxies = ["10.0.0.5", "proxy.local"], KnownNetworks = ["10.0.0.0/8", "10.0.0.0"] };
        var errors = options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e!.Contains("proxy.local"));
    }
}
