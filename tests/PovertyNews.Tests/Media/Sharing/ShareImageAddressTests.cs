using PovertyNews.Web.Media.Sharing;

namespace PovertyNews.Tests.Media.Sharing;

/// <summary>The share images' addresses change exactly when what they are drawn from changes.</summary>
public sealed class ShareImageAddressTests
{
    private static readonly SiteText Site = new("扶贫新闻网", "聚焦脱贫攻坚与东西部扶贫协作");

    [Fact]
    public void NewCover_IsANewAddress_TheSameCoverTheSame()
    {
        var before = ShareImages.ArticlePath(5, "/images/samples/delegation.jpg", Site);

        Assert.Equal(before, ShareImages.ArticlePath(5, "/images/samples/delegation.jpg", Site));
        Assert.NotEqual(before, ShareImages.ArticlePath(5, "/images/samples/kiwi.jpg", Site));
        Assert.Matches(@"^/articles/5/share\.jpg\?v=[0-9a-f]{16}$", before);
    }

    [Fact]
    public void RenamedSite_IsANewDefaultImage()
    {
        Assert.NotEqual(ShareImages.DefaultPath(Site), ShareImages.DefaultPath(Site with { Name = "新闻网" }));
        Assert.NotEqual(ShareImages.DefaultPath(Site), ShareImages.DefaultPath(Site with { Tagline = null }));
        Assert.StartsWith("/share/default.jpg?v=", ShareImages.DefaultPath(Site));
    }

    [Fact]
    public void ArticleWithoutPicture_IsDrawnLikeTheDefault()
    {
        Assert.Equal(ShareImages.Version(null, Site), ShareImages.DefaultPath(Site)[("/share/default.jpg?v=".Length)..]);
        Assert.Null(ShareImages.SourceOf(null, " "));
        Assert.Equal("/p.jpg", ShareImages.SourceOf(null, "/p.jpg"));
        Assert.Equal("/c.jpg", ShareImages.SourceOf("/c.jpg", "/p.jpg"));
    }
}
