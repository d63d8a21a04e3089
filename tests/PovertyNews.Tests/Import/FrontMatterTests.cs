using PovertyNews.Web.Import;

namespace PovertyNews.Tests.Import;

public class FrontMatterTests
{
    [Fact]
    public void ValidFile_SplitsMetadataAndBody()
    {
        var (meta, body) = FrontMatter.Parse<ArticleFrontMatter>(
            "---\nslug: a-b\ntitle: 湘西见闻\ntags: [湘西, 济南]\nreprinted_from: 济南日报\nheadline: true\n---\n\n正文第一段。\n");

        Assert.Equal("a-b", meta.Slug);
        Assert.Equal("湘西见闻", meta.Title);
        Assert.Equal(["湘西", "济南"], meta.Tags);
        Assert.Equal("济南日报", meta.ReprintedFrom);
        Assert.True(meta.Headline);
        Assert.Equal("正文第一段。", body);
    }

    [Fact]
    public void CrLfAndByteOrderMark_AreAccepted()
    {
        var (meta, body) = FrontMatter.Parse<ArticleFrontMatter>("\uFEFF---\r\ntitle: 标题\r\n---\r\n正文\r\n");

        Assert.Equal("标题", meta.Title);
        Assert.Equal("正文", body);
    }

    [Fact]
    public void MissingOpeningLine_IsRejectedWithReason()
    {
        var e = Assert.Throws<FrontMatterException>(() => FrontMatter.Parse<ArticleFrontMatter>("title: x\n---\n"));

        Assert.Contains("does not start", e.Message);
    }

    [Fact]
    public void MissingClosingLine_IsRejectedWithReason()
    {
        var e = Assert.Throws<FrontMatterException>(() => FrontMatter.Parse<ArticleFrontMatter>("---\ntitle: x\n正文"));

        Assert.Contains("closing", e.Message);
    }

    [Fact]
    public void UnknownKey_IsRejectedWithItsLine()
    {
        var e = Assert.Throws<FrontMatterException>(() => FrontMatter.Parse<ArticleFrontMatter>("---\ntitle: x\ntitel: y\n---\n"));

        Assert.Contains("line 3", e.Message);
        Assert.Contains("titel", e.Message);
    }

    [Fact]
    public void BrokenYaml_IsRejectedWithItsLine()
    {
        var e = Assert.Throws<FrontMatterException>(() => FrontMatter.Parse<ArticleFrontMatter>("---\ntitle: x\ntags: [a, b\n---\n"));

        Assert.Contains("YAML error at line", e.Message);
    }

    [Fact]
    public void WrongType_IsRejected()
    {
        Assert.Throws<FrontMatterException>(() => FrontMatter.Parse<ArticleFrontMatter>("---\nheadline: maybe\n---\n"));
    }
}
